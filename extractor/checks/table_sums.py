"""Column sums of generic tables (A110 over table cells): a 合计/总计 row, and a row whose fiscal key has
parts among the rows (公务用车购置及运行维护费 over 购置费 and 运行维护费), equal the sum of their part rows,
column by column.

The rows are read from the table's money facts (figures/table_facts.py): each fact names its cell by its
offsets in the table block's text. A total row's parts are the rows that are no part of another row: not
"其中…" rows, not rows whose key is a declared part of another row's key. Columns are never mixed: a sum
stays within one column, so a 预算数 is never added to a 决算数.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ..figures.table_facts import cell_offsets, row_label
from ..lexicon import declared_parts
from ..records import Document, Fact, Finding, Record, Table
from .arithmetic import PARTS_SUM, Identity, identity_findings
from .engine import load_rules, load_settings

_SUB_ROW_PREFIXES = ("其中", "含")
_SUB_NUMBER = re.compile(r"[（(]\d{1,2}[)）]")


def _rows(table: Table, facts: list[Fact]) -> dict[int, dict[int, Fact]]:
    """Row -> column -> the money fact read from that cell."""
    by_span = {(f.start, f.end): f for f in facts}
    rows: dict[int, dict[int, Fact]] = defaultdict(dict)
    for (row, col), span in cell_offsets(table).items():
        if span in by_span:
            rows[row][col] = by_span[span]
    return rows


def _sub_rows(grid: list[list[str]]) -> set[int]:
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


def _is_total_label(label: str) -> bool:
    words = load_settings("arithmetic")["table_sums"]
    return label in words["total_labels"] or label.startswith(tuple(words["total_prefixes"]))


def _identities(table: Table, facts: list[Fact]) -> Iterator[Identity]:
    rule = load_rules()[PARTS_SUM]
    grid = table.grid()
    rows = _rows(table, facts)
    labels = {r: row_label(grid[r]) for r in rows}
    keys = {r: next(iter(rows[r].values())).key for r in rows}
    below = {part for r in rows if keys[r] for part in declared_parts().get(keys[r] or "", ())}
    totals = [r for r in rows if _is_total_label(labels[r])]
    sub_rows = _sub_rows(grid)
    top_level = [r for r in rows if r not in totals and r not in sub_rows and keys[r] not in below]
    groups = [(t, top_level) for t in totals]
    for r in rows:  # a keyed row and the rows holding its declared parts
        parts = declared_parts().get(keys[r] or "", frozenset())
        children = [c for c in rows if c != r and keys[c] in parts]
        direct = [c for c in children if not any(keys[c] in declared_parts().get(keys[o] or "", ()) for o in children)]
        if len(direct) >= 2:
            groups.append((r, direct))
    for total_row, part_rows in groups:
        for col, whole in rows[total_row].items():
            parts = [rows[p][col] for p in part_rows if col in rows[p]]
            if len(parts) >= 2:
                yield Identity(rule, whole, tuple((1, part) for part in parts))


def check(record: Record, document: Document, mode: str) -> list[Finding]:
    by_block: dict[int, list[Fact]] = defaultdict(list)
    for fact in record.facts:
        if fact.source == "table" and fact.qualifier is None:
            by_block[fact.block].append(fact)
    found = [
        identity
        for block in document.blocks
        if block.kind == "table" and block.table and block.index in by_block
        for identity in _identities(block.table, by_block[block.index])
    ]
    return identity_findings(found, mode)
