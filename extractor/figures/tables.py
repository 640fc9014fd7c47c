"""The attached self-evaluation tables (部门整体支出绩效自评表, 项目支出绩效自评表, 基础数据表) as typed records.

A table's kind comes from its caption (the paragraphs just before it), else from the section it lies
in, else from its content. Inside a table, a row whose cells name at least `_MIN_HEADER_ROLES`
columns of a block (budget, indicator or basic-data columns, matched fuzzily against the variants in
`schemas/tables/*.json`) opens that block; the rows below it are read by those columns until a row
no longer fits (text where numbers belong, a 总分 row). Headers vary by province, so nothing relies
on a column's position, only on its header text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..cells import Grid, table_grid
from ..cjk import normalize_space, to_halfwidth
from ..config import Config, derived
from ..patterns import lazy
from ..records import BBox, Block, BudgetRow, Cell, Document, EvalTable, Kpi, Section, Table
from .table_units import unit_bracketed, unit_stated
from .targets import parse_cell_number, parse_comparator, parse_indicator_value

_MIN_HEADER_ROLES = 3  # one or two matching cells are as likely a label row as a header
_FUZZY_CUTOFF = 90  # rapidfuzz ratio: close enough for 年初预算 ~ 年初预算数, not for 本年预算数 ~ 全年预算数
_MAX_HEADER_LENGTH = 20  # longer cells are text, never a column header
_CAPTION_LOOKBACK = 4  # paragraphs before a table that may be its caption (附件2 / title / 填报单位 / 单位)
_BLOCKS = ("budget", "indicator", "basic")

_BRACKETED = lazy(r"\([^()]*\)")
_YEAR = lazy(r"(\d{4})年")
_BRACKET_WEIGHT = lazy(r"^(.*?)\((\d+(?:\.\d+)?)分?\)$")  # 产出指标(50分)
_FILLED_BY = lazy(r"填报单位[:：]\s*(\S.*)")
_CJK_GAP = lazy(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


# ---------------------------------------------------------------- the layouts, as data


@lru_cache(maxsize=8192)  # every cell is keyed several times over
def _key(text: str) -> str:
    """Header text reduced to what identifies a column: half-width, no spaces, no bracketed units or
    asides ("执行率(%)" -> "执行率", "全年（调整）预算数" -> "全年预算数"), no colons."""
    compact = "".join(to_halfwidth(text).split())
    return _BRACKETED.sub("", compact).replace(":", "").replace("：", "")


@dataclass(frozen=True)
class Layouts:
    kind_titles: dict[str, list[str]]  # kind -> normalised title variants
    columns: dict[str, dict[str, str]]  # block -> normalised header -> role
    header_fields: dict[str, str]  # normalised label -> "project" / "department"
    signatures: list[tuple[str, frozenset[str]]]  # (kind, every normalised header and row label of a layout)
    total_labels: frozenset[str]
    grade_labels: tuple[str, ...]
    grades: dict[str, str]  # normalised alias -> 优 / 良 / 中 / 差
    blank_cells: frozenset[str]


@derived
def layouts(config: Config) -> Layouts:
    common = config.tables["common"]
    columns: dict[str, dict[str, str]] = {block: {} for block in _BLOCKS}
    header_fields: dict[str, str] = {}
    signatures = []
    for layout in config.tables.values():
        if "kind" not in layout:
            continue  # common.json, targets.json
        signature = set()
        for block in _BLOCKS:
            for role, variants in layout.get(f"{block}_columns", {}).items():
                for variant in variants:
                    columns[block][_key(variant)] = role
                    signature.add(_key(variant))
        for field_name, labels in layout["header_fields"].items():
            for label in labels:
                header_fields.setdefault(_key(label), field_name)
                signature.add(_key(label))
        signature.update(_key(label) for label in layout.get("budget_rows", []))
        signatures.append((layout["kind"], frozenset(signature)))
    return Layouts(
        kind_titles={kind: [_key(t) for t in titles] for kind, titles in common["kind_titles"].items()},
        columns=columns,
        header_fields=header_fields,
        signatures=signatures,
        total_labels=frozenset(_key(label) for label in common["total_labels"]),
        grade_labels=tuple(sorted((_key(label) for label in common["grade_labels"]), key=len, reverse=True)),
        grades={_key(alias): grade for grade, aliases in common["grades"].items() for alias in aliases},
        blank_cells=frozenset(_key(text) for text in common["blank_cells"]),
    )


def _column_role(config: Config, block: str, key: str) -> str | None:
    """The role of a header cell in `block`: exact variant first, then the closest one within the cutoff."""
    return _column_roles(config)(block, key)


@derived
def _column_roles(config: Config) -> Callable[[str, str], str | None]:
    columns = layouts(config).columns

    @lru_cache(maxsize=4096)  # header texts repeat across documents; bounded, as a batch sees endless cell texts
    def role(block: str, key: str) -> str | None:
        variants = columns[block]
        if key in variants:
            return variants[key]
        best = process.extractOne(key, variants.keys(), scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
        return variants[best[0]] if best else None

    return role


# ---------------------------------------------------------------- cell text


def _clean(text: str) -> str:
    """Printed text with line breaks a cell wrapped at removed ("产出\n指标" -> "产出指标")."""
    return _CJK_GAP.sub("", normalize_space(text))


def _blank(config: Config, text: str) -> bool:
    return _key(text) in layouts(config).blank_cells


def _number(config: Config, text: str) -> Decimal | None:
    return None if _blank(config, text) else parse_cell_number(text)


def _fits_number(config: Config, text: str) -> bool:
    """A cell a numeric column may hold: a number, or nothing ("", "—", "/")."""
    return _blank(config, text) or parse_cell_number(text) is not None


def _text(config: Config, text: str) -> str | None:
    return None if _blank(config, text) else _clean(text)


def _grade(config: Config, text: str) -> str | None:
    return layouts(config).grades.get(_key(text))


def _relative_years(row: Sequence[str]) -> Sequence[str]:
    """Headers with years read against the latest year in the row: "2023年决算数" -> "上年决算数"."""
    years = [int(year) for text in row for year in _YEAR.findall(text)]
    if not years:
        return row
    latest = max(years)
    names = {latest: "本年", latest - 1: "上年"}
    return [_YEAR.sub(lambda m: names.get(int(m.group(1)), m.group(0)), text) for text in row]


# ---------------------------------------------------------------- reading one table


@dataclass
class _Header:
    block: str
    columns: dict[str, int]  # role -> grid column


def _header(config: Config, row: Sequence[str]) -> _Header | None:
    """The block whose column headers this row names, with the column of each; None for other rows."""
    keyed = [_key(text) for text in _relative_years(row)]
    column_role = _column_roles(config)  # once a row, not once a cell and block
    best: _Header | None = None
    for block in _BLOCKS:
        columns: dict[str, int] = {}
        for col, key in enumerate(keyed):
            role = column_role(block, key) if 0 < len(key) <= _MAX_HEADER_LENGTH else None
            if role and role not in columns and (col == 0 or keyed[col - 1] != key):  # a spanned header counts once
                columns[role] = col
        if len(columns) >= _MIN_HEADER_ROLES and (best is None or len(columns) > len(best.columns)):
            best = _Header(block, columns)
    return best


def _distinct(row: Sequence[str]) -> list[tuple[int, str]]:
    """(first column, text) of each cell of a row, a spanned cell once."""
    out = []
    for col, text in enumerate(row):
        if text.strip() and (col == 0 or row[col - 1] != text):
            out.append((col, text))
    return out


def _labelled_values(cells: list[str], labels) -> Iterator[tuple[str, str]]:
    """(label, value) for each of a row's `cells` (spanned ones once) that is one of `labels` (normalised):
    "项目名称 | X" or "项目名称：X"."""
    for i, text in enumerate(cells):
        if _key(text) in labels and i + 1 < len(cells):
            yield _key(text), cells[i + 1]
        elif "：" in text or ":" in text:
            name, _, value = to_halfwidth(text).partition(":")
            if value.strip() and _key(name) in labels:
                yield _key(name), value


@dataclass
class _Reading:
    """What the walk over one table's rows has found so far."""

    budget_rows: list[BudgetRow] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)  # Kpi fields, ids and provenance still to come
    fields: dict[str, str] = field(default_factory=dict)  # project / department
    total_score: Decimal | None = None
    stated_grade: str | None = None
    blocks_found: set[str] = field(default_factory=set)


def _budget_row(config: Config, row: Sequence[str], header: _Header, r: int) -> BudgetRow | None:
    """The row as a budget row, or None when it does not fit the budget columns (the block has ended)."""
    first = min(header.columns.values())
    labels = [text for text in row[:first] if not _fits_number(config, text)]  # not a stray number of a misaligned row
    values = {role: row[col] for role, col in header.columns.items()}
    if not labels or not all(_fits_number(config, text) for text in values.values()):
        return None
    numbers = {role: _number(config, text) for role, text in values.items() if role in BudgetRow.model_fields}
    return BudgetRow(label=_clean(labels[-1]), row=r, **numbers)


def _is_total(config: Config, keys: list[str]) -> bool:
    return any(key in layouts(config).total_labels for key in keys)


def _total_score(config: Config, row: Sequence[str], header: _Header | None) -> Decimal | None:
    """The score of a 总分 row: in the score column when there is one, else its last number."""
    if header and "score" in header.columns and _number(config, row[header.columns["score"]]) is not None:
        return _number(config, row[header.columns["score"]])
    numbers = [_number(config, text) for _, text in _distinct(row)]
    return next((n for n in reversed(numbers) if n is not None), None)


def _indicator(config: Config, row: Sequence[str], header: _Header, carried: dict) -> dict | None:
    """Kpi fields of an indicator row; None for rows that are not one (a title row spanning the table).

    `carried` holds the levels of the indicator above: a level cell left empty (PDF tables read
    without spans) belongs to it.
    """
    cell = {role: row[col] for role, col in header.columns.items()}
    level3 = _text(config, cell.get("level3", ""))
    measured = [cell.get(role, "") for role in ("target", "target_adjusted", "actual", "weight", "score")]
    if not level3 or not any(text.strip() and _clean(text) != level3 for text in measured):
        return None
    level1_name, level1_weight = carried.get("level1"), carried.get("level1_weight")
    if level1 := _text(config, cell.get("level1", "")):
        bracketed = _BRACKET_WEIGHT.match("".join(to_halfwidth(level1).split()))
        level1_name, level1_weight = (bracketed.group(1), Decimal(bracketed.group(2))) if bracketed else (level1, None)
    level2 = _text(config, cell.get("level2", "")) or carried.get("level2")
    target = _text(config, cell.get("target_adjusted", "")) or _text(config, cell.get("target", ""))
    stated = parse_indicator_value(config, target)
    unit_column = _text(config, cell.get("target_unit", ""))
    actual = _text(config, cell.get("actual", ""))
    achieved = parse_indicator_value(config, actual)
    return {
        "label": level3,
        "level1": level1_name,
        "level1_weight": level1_weight,
        "level2": level2,
        "level3": level3,
        "target": target,
        # a 指标性质 column (Sichuan "≥", Chongqing "定性") overrides what the value cell implies
        "target_comparator": parse_comparator(config, cell.get("comparator", "")) or stated.comparator,
        "target_value": stated.value,
        "target_unit": stated.unit or unit_column,
        "actual": actual,
        "actual_value": achieved.value,
        "value": achieved.value,
        "unit": achieved.unit or unit_column,
        "weight": _number(config, cell.get("weight", "")),
        "score": _number(config, cell.get("score", "")),
        "deviation_reason": _text(config, cell.get("deviation_reason", "")),
    }


def _read_rows(config: Config, table: Table, grid: Grid) -> _Reading:
    found = _Reading()
    pages = _cell_pages(table)
    header: _Header | None = None
    previous_was_header = False
    for r, row in enumerate(grid):
        cells = [text for _, text in _distinct(row)]
        for label, value in _labelled_values(cells, layouts(config).header_fields):
            found.fields.setdefault(layouts(config).header_fields[label], _clean(value))
        for _, value in _labelled_values(cells, layouts(config).grade_labels):
            found.stated_grade = found.stated_grade or _grade(config, value)
        opened = _header(config, row)
        if opened:
            if previous_was_header and header and header.block == opened.block:  # a two-row header
                opened.columns = header.columns | opened.columns
            header, previous_was_header = opened, True
            found.blocks_found.add(opened.block)
            continue
        previous_was_header = False
        if header and header.block in ("budget", "basic"):
            if budget_row := _budget_row(config, row, header, r):
                found.budget_rows.append(budget_row)
                continue
            header = None
        level_columns = [col for role, col in header.columns.items() if role.startswith("level")] if header else []
        label_keys = [_key(row[col]) for col in level_columns] or [_key(text) for text in cells[:1]]
        if _is_total(config, label_keys):
            found.total_score = _total_score(config, row, header)
            header = None
            continue
        if header and header.block == "indicator":
            if indicator := _indicator(config, row, header, found.indicators[-1] if found.indicators else {}):
                indicator["page"] = pages.get((r, header.columns["level3"]))
                indicator["row"] = r
                indicator |= _row_ocr(table, r)
                found.indicators.append(indicator)
    return found


# ---------------------------------------------------------------- what a table is


def _title_kind(config: Config, text: str) -> str | None:
    """The kind a caption names; None when it names none, or several (a run-together 附件 list)."""
    key = _key(text)
    if len(key) > 2 * _MAX_HEADER_LENGTH:
        return None  # prose that mentions a table ("详见附件3项目支出绩效自评表…"), not its title
    named = {kind for kind, titles in layouts(config).kind_titles.items() if any(title in key for title in titles)}
    if len(named) == 1:
        return named.pop()
    if named:
        return None
    scored = [
        (fuzz.ratio(key, title), kind) for kind, titles in layouts(config).kind_titles.items() for title in titles
    ]
    score, kind = max(scored)
    return kind if score >= _FUZZY_CUTOFF else None


def _content_kind(config: Config, grid: Grid) -> str:
    """The kind of the layout sharing the most header and row labels with the table."""
    keys = {_key(text) for row in grid for text in _relative_years(row) if len(text) <= _MAX_HEADER_LENGTH}
    return max(layouts(config).signatures, key=lambda signature: len(signature[1] & keys))[0]


def _captions(document: Document, block: Block) -> list[Block]:
    """The paragraphs just before a table, nearest first, up to the previous table."""
    out: list[Block] = []
    for index in range(block.index - 1, -1, -1):
        before = document.blocks[index]
        if before.kind == "table" or len(out) == _CAPTION_LOOKBACK:
            break
        if before.text.strip():
            out.append(before)
    return out


def _spanning_title(table: Table) -> str | None:
    """The text of a first row that is one cell across the whole table, as HTML tables often carry their title."""
    first = [cell for cell in table.cells if cell.row == 0]
    return first[0].text if len(first) == 1 and first[0].col_span == table.n_cols else None


def _deepest(config: Config, sections: list[Section], index: int, kinds_only: bool = False) -> Section | None:
    """The innermost section covering block `index`; with `kinds_only`, the innermost keyed to a table kind."""
    covering = [
        s
        for s in sections
        if s.block_start <= index <= s.block_end
        and (not kinds_only or (s.key and s.key.split(".")[-1] in layouts(config).kind_titles))
    ]
    return max(covering, key=lambda s: s.level, default=None)


def _unit(config: Config, captions: list[Block], grid: Grid) -> str | None:
    """The money unit: stated in a caption ("单位：万元"), stated in a cell, or bracketed in a header ("（万元）")."""
    cells = [text for row in grid for text in row]
    stated, bracketed = unit_stated(config), unit_bracketed(config)
    for pattern, texts in ((stated, [b.text for b in captions]), (stated, cells), (bracketed, cells)):
        for text in texts:
            if match := pattern.search(to_halfwidth(text)):
                return match.group(1)
    return None


def _row_ocr(table: Table, row: int) -> dict:
    """For a row OCR read: the box around its cells (those starting in it) and their lowest score."""
    cells = [cell for cell in table.cells if cell.row == row and cell.confidence is not None and cell.bbox]
    if not cells:
        return {}
    boxes = [c.bbox for c in cells if c.bbox]
    box = BBox(
        x0=min(b.x0 for b in boxes),
        top=min(b.top for b in boxes),
        x1=max(b.x1 for b in boxes),
        bottom=max(b.bottom for b in boxes),
    )
    return {"bbox": box, "confidence": min(c.confidence for c in cells if c.confidence is not None)}


def _cell_pages(table: Table) -> dict[tuple[int, int], int | None]:
    """The page of the cell covering each grid position (PDF tables may cross pages)."""
    pages: dict[tuple[int, int], int | None] = {}
    cell: Cell
    for cell in table.cells:
        for r in range(cell.row, cell.row + cell.row_span):
            for c in range(cell.col, cell.col + cell.col_span):
                pages[(r, c)] = cell.page
    return pages


# ---------------------------------------------------------------- the stage's entry point


def extract_tables(config: Config, document: Document, sections: list[Section]) -> tuple[list[EvalTable], list[Kpi]]:
    """Every self-evaluation table of `document` ("T1", "T2" … in document order) and its indicator rows
    as Kpis with provisional ids ("T1.K1" …) for the figures stage to renumber. Other tables are skipped."""
    tables: list[EvalTable] = []
    kpis: list[Kpi] = []
    for block in document.blocks:
        if block.kind != "table" or not block.table or not block.table.cells:
            continue
        grid = table_grid(block.table)
        captions = _captions(document, block)
        titled = [(b.text, kind) for b in captions if (kind := _title_kind(config, b.text))]
        spanning = _spanning_title(block.table)
        if not titled and spanning and (kind := _title_kind(config, spanning)):
            titled = [(spanning, kind)]
        found = _read_rows(config, block.table, grid)
        if titled:
            title, kind = titled[0]
        elif section := _deepest(config, sections, block.index, kinds_only=True):
            title, kind = section.title, (section.key or "").split(".")[-1]
        elif found.blocks_found:
            title, kind = None, _content_kind(config, grid)
        else:
            continue
        table_id = f"T{len(tables) + 1}"
        filled_by = next((m.group(1).strip() for b in captions if (m := _FILLED_BY.search(b.text))), None)
        tables.append(
            EvalTable(
                id=table_id,
                kind=kind,  # type: ignore[arg-type]  # a kind named by the layouts' data; pydantic checks it
                title=_clean(title) if title else None,
                unit=_unit(config, captions, grid),
                block=block.index,
                page=block.page,
                project=found.fields.get("project") if kind == "project_self_eval_table" else None,
                department=found.fields.get("department") or filled_by,
                budget_rows=found.budget_rows,
                total_score=found.total_score,
                stated_grade=found.stated_grade,
            )
        )
        section = _deepest(config, sections, block.index)
        for number, indicator in enumerate(found.indicators, 1):
            kpis.append(
                Kpi(
                    id=f"{table_id}.K{number}",
                    source="table",
                    section=section.id if section else None,
                    block=block.index,
                    table=table_id,
                    **indicator | {"page": indicator["page"] or block.page},
                )
            )
    return tables, kpis
