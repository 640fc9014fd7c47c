"""Column sums of generic tables (A110 over table cells): a 合计/总计 row, and a row whose fiscal key has
parts among the rows (公务用车购置及运行维护费 over 购置费 and 运行维护费), equal the sum of their part rows,
column by column; and a row's 增减 cell is its later year's cell less the earlier one's (A113).

The rows are read from the table's money facts (figures/table_facts.py): each fact names its cell by its
offsets in the table block's text. A total row's parts are the rows that are no part of another row: not
"其中…" rows, not rows whose key is a declared part of another row's key. Columns are never mixed: a sum
stays within one column, so a 预算数 is never added to a 决算数.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from ..cells import Grid, cell_kind, table_grid
from ..config import Config, derived
from ..figures.table_facts import cell_offsets, row_label
from ..lexicon import declared_parts
from ..patterns import lazy
from ..records import Document, Fact, Finding, Record, Table
from .arithmetic import PARTS_SUM, Identity, identity_findings, show
from .intervals import compare, comparison_finding, fact_money, unit_scale

CHANGE_CELL = "A113"

_SUB_ROW_PREFIXES = ("其中", "含")
_SUB_NUMBER = lazy(r"[（(]\d{1,2}[)）]")


@derived
def _change_words(config: Config) -> tuple[str, ...]:
    return tuple(config.lexicon["table_columns"]["change"])


def _rows(table: Table, facts: list[Fact]) -> dict[int, dict[int, Fact]]:
    """Row -> column -> the money fact read from that cell."""
    by_span = {(f.start, f.end): f for f in facts}
    rows: dict[int, dict[int, Fact]] = defaultdict(dict)
    for (row, col), span in cell_offsets(table).items():
        if span in by_span:
            rows[row][col] = by_span[span]
    return rows


def _sub_rows(grid: Grid) -> set[int]:
    """Rows listed under another: "其中：…" rows, and the "(2)…" rows that go on a "其中：(1)…" list."""
    found: set[int] = set()
    in_list = False
    for r, row in enumerate(grid):
        raw = "".join(next((cell for cell in row if cell.strip()), "").split())
        if raw.startswith(_SUB_ROW_PREFIXES):
            found.add(r)
            in_list = True
        elif in_list and _SUB_NUMBER.match(raw):
            found.add(r)
        else:
            in_list = False
    return found


@derived
def _total_words(config: Config) -> tuple[str, ...]:
    return tuple(config.settings["arithmetic"]["table_sums"]["total_labels"])


def _is_total_label(config: Config, label: str) -> bool:
    words = config.settings["arithmetic"]["table_sums"]
    return label in words["total_labels"] or label.startswith(tuple(words["total_prefixes"]))


def _identities(config: Config, table: Table, facts: list[Fact]) -> Iterator[Identity]:
    rule = config.rules[PARTS_SUM]
    grid = table_grid(table)
    rows = _rows(table, facts)
    labels = {r: row_label(grid[r]) for r in rows}
    keys = {r: next(iter(rows[r].values())).key for r in rows}
    below = {part for r in rows if keys[r] for part in declared_parts(config).get(keys[r] or "", ())}
    totals = [r for r in rows if _is_total_label(config, labels[r])]
    sub_rows = _sub_rows(grid)
    top_level = [r for r in rows if r not in totals and r not in sub_rows and keys[r] not in below]
    # a table of functional classes lists each 类 with its 款 and 项 below it: the 类 rows (a class code) are the
    # top level, the 款/项 rows (a class without a code, figures/context.py) are their parts, not the total's
    contexts = {r: next(iter(rows[r].values())).context for r in rows}
    classes = [r for r in top_level if contexts[r].subject_kind == "functional_class"]
    if any(contexts[r].subject_code for r in classes):
        top_level = [r for r in top_level if r not in classes or contexts[r].subject_code]
    # a total row sums the rows of a simple list only: not a table with labels on both sides (收入 | 支出 in one
    # row) or with totals of several levels (本年收入合计 above 总计), whose structure a layout must say
    two_sided = any(sum(cell_kind(cell) == "text" for cell in grid[r]) >= 2 for r in rows)
    levels = [r for r in rows if any(word in labels[r] for word in _total_words(config))]
    groups = [] if two_sided or len(levels) > 1 else [(t, top_level) for t in totals]
    for r in rows:  # a keyed row and the rows holding its declared parts
        parts = declared_parts(config).get(keys[r] or "", frozenset())
        children = [c for c in rows if c != r and keys[c] in parts]
        direct = [
            c for c in children if not any(keys[c] in declared_parts(config).get(keys[o] or "", ()) for o in children)
        ]
        if len(direct) >= 2:
            groups.append((r, direct))
    for total_row, part_rows in groups:
        for col, whole in rows[total_row].items():
            part_facts = [rows[p][col] for p in part_rows if col in rows[p]]
            if len(part_facts) >= 2:
                yield Identity(rule, whole, tuple((1, part) for part in part_facts))


def _change_columns(config: Config, rows: dict[int, dict[int, Fact]]) -> tuple[int, int, int] | None:
    """(earlier, later, change) columns: two money columns a year apart (or 上年 / 本年) and a 增减 column."""
    by_column: dict[int, Fact] = {}
    for row in rows.values():
        for col, fact in row.items():
            by_column.setdefault(col, fact)
    change = [c for c, f in by_column.items() if any(word in (f.label or "") for word in _change_words(config))]
    dated = {c: f.context for c, f in by_column.items() if c not in change}
    years = sorted((ctx.year, c) for c, ctx in dated.items() if ctx.year is not None)
    periods = {ctx.period: c for c, ctx in dated.items() if ctx.period in ("prior_year", "year")}
    if len(change) != 1:
        return None
    if len(years) == 2 and years[1][0] == years[0][0] + 1:
        return years[0][1], years[1][1], change[0]
    if len(periods) == 2:
        return periods["prior_year"], periods["year"], change[0]
    return None


def _change_findings(config: Config, table: Table, facts: list[Fact], mode: str) -> Iterator[Finding]:
    """ "| 合计 | 846.20 | 812.70 | -33.50 |": the 增减 cell is the later year's cell less the earlier one's."""
    rows = _rows(table, facts)
    columns = _change_columns(config, rows)
    if columns is None:
        return
    earlier, later, change = columns
    for cells in rows.values():
        if not all(c in cells for c in columns):
            continue
        stated = fact_money(config, cells[change], mode)
        computed = fact_money(config, cells[later], mode) - fact_money(config, cells[earlier], mode)
        result = compare(stated, computed, unit_scale(config, cells[change].unit) or Decimal(1))
        if not result.holds:
            yield comparison_finding(
                config,
                CHANGE_CELL,
                result,
                page=cells[change].page,
                block=cells[change].block,
                start=cells[change].start,
                end=cells[change].end,
                facts=[cells[change].id, cells[later].id, cells[earlier].id],
                change=show(cells[change]),
                later=show(cells[later]),
                earlier=show(cells[earlier]),
                unit=cells[change].unit,
            )


def check(config: Config, record: Record, document: Document, mode: str) -> list[Finding]:
    by_block: dict[int, list[Fact]] = defaultdict(list)
    for fact in record.facts:
        if fact.source == "table" and fact.qualifier is None:
            by_block[fact.block].append(fact)
    # a standard 部门决算/预算 table is summed by the fiscal checks (F101-F103), which know its class hierarchy
    # (类 = Σ款, not Σ of every line) and its two sides (收入 | 支出)
    fiscal = {table.block for table in record.fiscal_tables}
    found = [
        identity
        for block in document.blocks
        if block.kind == "table" and block.table and block.index in by_block and block.index not in fiscal
        for identity in _identities(config, block.table, by_block[block.index])
    ]
    changes = [
        finding
        for block in document.blocks
        if block.kind == "table" and block.table and block.index in by_block
        for finding in _change_findings(config, block.table, by_block[block.index], mode)
    ]
    return identity_findings(config, found, mode) + changes
