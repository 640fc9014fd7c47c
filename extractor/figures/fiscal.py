"""The standard tables of a 部门决算 / 部门预算 (收入支出决算总表 … 三公) as typed `FiscalTable` records.

A table is recognised by its title, one of the paragraphs just before it, against the names and aliases
of `schemas/tables/fiscal.toml`. Its header rows are the leading rows that hold no figure, no class code
and no total line; each column's header path (the distinct header texts above it) is matched against the
layout's column keys. Below the header, a row is keyed by its class code — printed in one column
(2010601) or in three (201 | 06 | 01) — or, in a two-sided table, by its line name. The PDF reader has
already joined a table that crosses pages (readers/pdf_tables.py).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Literal

from ..cells import Grid, table_grid
from ..cjk import to_halfwidth
from ..config import Config, derived
from ..memo import per_document
from ..patterns import lazy
from ..records import Block, Cell, Document, FiscalCell, FiscalRow, FiscalShape, FiscalTable, Table

if TYPE_CHECKING:
    from .fiscal_layouts import TableLayout

_CODE = lazy(r"\d{2,7}")
_ORDINAL = lazy(r"^([一二三四五六七八九十]+[、.]|\d+[、.])\s*")
_NUMBER = lazy(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")
_UNIT = lazy(r"单位[:：]\s*(万元|千元|亿元|元)")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」 \u3000\n")
_COLUMN_NUMBERS = {"栏次", "栏号"}  # a header row numbering the columns
_LINE_NUMBERS = {"行次", "行号"}  # a column numbering the lines


@per_document  # the cells of a 决算 table are compared as titles, headers and labels ~6 times each
def normalized(text: str) -> str:
    """Text as titles and headers are compared: half-width, no spaces, no quotes."""
    return to_halfwidth(text).translate(_QUOTES)


@derived
def _titles(config: Config) -> list[tuple[str, TableLayout]]:
    """Every title variant, longest first (一般公共预算财政拨款基本支出决算表 before 支出决算表)."""
    pairs = [(normalized(title), layout) for layout in config.fiscal_layouts.table for title in layout.titles]
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


def standard_of(config: Config, text: str) -> TableLayout | None:
    """The layout whose title `text` names (a title may carry an ordinal, the department, the year)."""
    compact = normalized(text)
    if len(compact) > 60:
        return None
    core = _title_core(compact)  # once, not for every title variant compared
    return next((layout for title, layout in _titles(config) if compact.endswith(title) or core == title), None)


def _title_core(compact: str) -> str:
    """A title without its ordinal, 附表 number and trailing bracketed remark: "表一、收入支出决算总表" -> "收入支出决算总表"."""
    core = re.sub(r"^(附表|表)?[0-9一二三四五六七八九十]+[、.:：-]?", "", compact)
    return re.sub(r"\(.*\)$", "", core)


@derived
def _fillers(config: Config) -> frozenset[str]:
    return frozenset(normalized(text) for text in config.fiscal_layouts.placeholder_cells)


@derived
def _class_codes(config: Config) -> dict[str, str]:
    """Functional class (类) name -> code, from the lexicon."""
    return {
        normalized(name): entry["code"]
        for entry in config.lexicon["functional_classes"]["class"]
        for name in entry["names"]
    }


def class_code(config: Config, label: str) -> str | None:
    """The 类 code a line name stands for ("一般公共服务支出" -> "201"), None if it is not a class."""
    return _class_codes(config).get(normalized(re.sub(r"[（(]类[)）]$", "", label)))


# ---------------------------------------------------------------- cells


def cell_value(config: Config, text: str) -> Decimal | None:
    """The money a cell holds: "2,940.05" -> 2940.05; blank (empty, "-", "—") -> None."""
    compact = "".join(text.split())
    if compact in config.fiscal_layouts.blank_cells:
        return None
    if _NUMBER.fullmatch(compact):
        try:
            return Decimal(compact.replace(",", ""))
        except InvalidOperation:
            return None
    return None


def _is_figure(text: str) -> bool:
    return bool(_NUMBER.fullmatch("".join(text.split()))) and not _CODE.fullmatch("".join(text.split()))


def _is_code(text: str) -> bool:
    return bool(_CODE.fullmatch("".join(text.split())))


# ---------------------------------------------------------------- finding the tables


def extract_fiscal_tables(config: Config, document: Document) -> list[FiscalTable]:
    """Every standard fiscal table of `document`, in document order, ids FT1, FT2 …"""
    found = []
    blocks = document.blocks
    for block in blocks:
        if block.kind != "table" or block.table is None:
            continue
        title, layout = _title_before(config, blocks, block.index)
        if layout is None:
            continue
        table = _build(config, layout, title, block, blocks)
        if table is not None:
            found.append(table)
    for number, table in enumerate(found, 1):
        table.id = f"FT{number}"
    return found


def _title_before(config: Config, blocks: list[Block], index: int) -> tuple[str, TableLayout | None]:
    """The nearest paragraph before the table (within the lookback, not past another table) naming a standard."""
    for back in range(1, config.fiscal_layouts.title_lookback + 1):
        if index - back < 0 or blocks[index - back].kind == "table":
            break
        text = blocks[index - back].text
        layout = standard_of(config, text)
        if layout is not None:
            return text, layout
    return "", None


def _unit_before(config: Config, blocks: list[Block], index: int) -> str | None:
    for back in range(1, config.fiscal_layouts.title_lookback + 1):
        if index - back < 0 or blocks[index - back].kind == "table":
            break
        match = _UNIT.search(to_halfwidth(blocks[index - back].text).replace(":", "："))
        if match:
            return match.group(1)
    return None


def _note_after(config: Config, blocks: list[Block], index: int) -> str | None:
    """The 注/说明 paragraph printed under a table, up to the next table's title."""
    for block in blocks[index + 1 : index + 4]:
        if block.kind == "table" or standard_of(config, block.text):
            break
        if re.match(r"^\s*(注|说明|备注)\s*[:：]", block.text) or "本表无数据" in block.text:
            return block.text
    return None


# ---------------------------------------------------------------- one table


def _own_cells(table: Table) -> list[dict[int, Cell]]:
    """For each grid row, the cells that start in it, by every column they cover (spans from above excluded)."""
    rows: list[dict[int, Cell]] = [{} for _ in range(table.n_rows)]
    for cell in table.cells:
        for col in range(cell.col, cell.col + cell.col_span):
            rows[cell.row][col] = cell
    return rows


def _header_rows(config: Config, grid: Grid, layout: TableLayout) -> int:
    """How many leading rows are header: they hold no figure, no class code, no total line, no listed line.
    The 三公 table's header names its 合计 column, so there only a figure or an empty line ends it."""
    totals = {normalized(label) for label in config.fiscal_layouts.total_labels}
    named_lines = layout.shape != "three_public"
    for number, row in enumerate(grid):
        texts = [normalized(text) for text in row]
        if any(text in _COLUMN_NUMBERS for text in texts):
            continue  # the national layout's 栏次 row numbers the columns (1, 2, 3 …): header, not figures
        if (
            not any(texts)
            or any(_is_figure(t) or _is_code(t) for t in texts)
            or (named_lines and (texts[0] in totals or any(_ORDINAL.match(t) for t in texts)))
        ):
            return number
    return len(grid)


def _header_paths(grid: Grid, header: int) -> list[list[str]]:
    """The distinct header texts above each column, top down."""
    paths = []
    for col in range(len(grid[0]) if grid else 0):
        path: list[str] = []
        for row in range(header):
            text = normalized(grid[row][col])
            if text and text not in path:
                path.append(text)
        paths.append(path)
    return paths


def _matches(path: list[str], alternative: str) -> bool:
    """Whether the segments of `alternative` appear in `path`, in order."""
    position = 0
    for segment in normalized(alternative).split("/"):
        while position < len(path) and path[position] != segment:
            position += 1
        if position == len(path):
            return False
        position += 1
    return True


def _panels(paths: list[list[str]], shape: FiscalShape) -> list[tuple[int, int, str | None]]:
    """Column ranges of the side-by-side panels: (first, end, name). A panel starts where the first column's
    header comes back (项目 … 项目; 经济分类 … 经济分类)."""
    width = len(paths)
    if shape == "three_public" or width == 0:
        return [(0, width, None)]
    first = paths[0][-1] if paths[0] else None
    starts = [0] + [
        c
        for c in range(1, width)
        if first and paths[c] and paths[c][-1] == first and (not paths[c - 1] or paths[c - 1][-1] != first)
    ]
    panels = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else width
        name = None
        if shape == "balance":
            head = paths[start][0] if paths[start] else ""
            name = (
                "expense"
                if "支出" in head
                else "income"
                if "收入" in head
                else ("income" if position == 0 else "expense")
            )
        panels.append((start, end, name))
    return panels


def _columns(layout: TableLayout, paths: list[list[str]], panel: str | None, columns: range) -> dict[int, str]:
    """Grid column -> column key, for the value columns of one panel."""
    keys: dict[int, str] = {}
    taken: set[str] = set()
    for spec in layout.columns:
        if spec.panel is not None and panel is not None and spec.panel != panel:
            continue
        for col in columns:
            if col in keys or spec.key in taken:
                continue
            if any(_matches(paths[col], alternative) for alternative in spec.headers):
                keys[col] = spec.key
                taken.add(spec.key)
    return keys


def _build(config: Config, layout: TableLayout, title: str, block: Block, blocks: list[Block]) -> FiscalTable | None:
    table = block.table
    assert table is not None
    grid = table_grid(table)
    if not grid:
        return None
    if layout.shape == "three_public" and _transposed(config, grid):
        return _transposed_three_public(config, layout, title, block, blocks)
    header = _header_rows(config, grid, layout)
    paths = _header_paths(grid, header)
    own = _own_cells(table)
    rows: list[FiscalRow] = []
    column_order: list[str] = []
    for start, end, panel in _panels(paths, layout.shape):
        keys = _columns(layout, paths, panel, range(start, end))
        for _, key in sorted(keys.items()):
            if key not in column_order:
                column_order.append(key)
        label_cols = [
            c for c in range(start, end) if c not in keys and not (paths[c] and paths[c][-1] in _LINE_NUMBERS)
        ]
        for number in range(header, table.n_rows):
            row = _row(config, layout, own[number], number, keys, label_cols, panel, paths)
            if row is not None and not _repeats(rows, row):
                rows.append(row)
                if layout.shape == "three_public":
                    break
    if not column_order:
        return None  # a table under a standard title whose columns are none of that table's: something else
    empty = not any(cell.value for row in rows for cell in row.cells)
    return FiscalTable(
        id="",
        standard=layout.standard,
        document_kind=layout.document_kind,
        number=layout.number,
        shape=layout.shape,
        title=title.strip(),
        unit=_unit_before(config, blocks, block.index),
        columns=column_order,
        rows=rows,
        empty=empty,
        note=_note_after(config, blocks, block.index),
        block=block.index,
        page=block.page,
        pages=table.pages or ([block.page] if block.page else []),
    )


def _transposed(config: Config, grid: Grid) -> bool:
    """A 三公 table with one line per item: its header names bases (预算数 | 决算数), its first column the items."""
    bases = {normalized(name) for names in config.fiscal_layouts.three_public_bases.values() for name in names}
    return len(grid[0]) <= 4 and any(normalized(text) in bases for text in grid[0][1:])


def _transposed_three_public(
    config: Config, layout: TableLayout, title: str, block: Block, blocks: list[Block]
) -> FiscalTable:
    table = block.table
    assert table is not None
    layouts = config.fiscal_layouts
    items = {normalized(name): key for key, names in layouts.three_public_lines.items() for name in names}
    bases = {normalized(name): basis for basis, names in layouts.three_public_bases.items() for name in names}
    heading = {col: bases.get(normalized(text)) for col, text in enumerate(table_grid(table)[0])}
    cells: list[FiscalCell] = []
    for number, own in enumerate(_own_cells(table)[1:], 1):
        label = own.get(0)
        item = items.get(re.sub(r"^其中[:：]?", "", normalized(label.text))) if label else None
        if label is None or item is None:
            continue
        for col, cell in sorted(own.items()):
            basis = heading.get(col)
            key = f"{item}.{basis}" if layout.document_kind == "final_accounts" else item
            if (
                basis is None
                or cell.col != col
                or key not in {spec.key for spec in layout.columns}
                or key in {c.column for c in cells}
            ):
                continue
            cells.append(
                FiscalCell(
                    column=key,
                    header=f"{label.text.strip()}/{table_grid(table)[0][col].strip()}",
                    value=cell_value(config, cell.text),
                    text=cell.text.strip(),
                    row=number,
                    col=col,
                    page=cell.page,
                    bbox=cell.bbox,
                )
            )
    order = [spec.key for spec in layout.columns]
    cells.sort(key=lambda c: order.index(c.column))
    return FiscalTable(
        id="",
        standard=layout.standard,
        document_kind=layout.document_kind,
        number=layout.number,
        shape=layout.shape,
        title=title.strip(),
        unit=_unit_before(config, blocks, block.index),
        columns=[c.column for c in cells],
        rows=[FiscalRow(label="“三公”经费", row=1, cells=cells)],
        empty=not any(c.value for c in cells),
        note=_note_after(config, blocks, block.index),
        block=block.index,
        page=block.page,
        pages=table.pages or ([block.page] if block.page else []),
    )


def _repeats(rows: list[FiscalRow], row: FiscalRow) -> bool:
    """A total line printed again where a page break cut the table (the joined table carries it twice)."""
    if not rows:
        return False
    last = rows[-1]
    return (
        last.panel == row.panel
        and last.label == row.label
        and last.code == row.code
        and [c.value for c in last.cells] == [c.value for c in row.cells]
    )


def _row(
    config: Config,
    layout: TableLayout,
    cells: dict[int, Cell],
    number: int,
    keys: dict[int, str],
    label_cols: list[int],
    panel: str | None,
    paths: list[list[str]],
) -> FiscalRow | None:
    texts = {col: normalized(cells[col].text) if col in cells else "" for col in label_cols}
    code_parts = []
    label = ""
    seen_cells: set[int] = set()
    for col in label_cols:
        cell = cells.get(col)
        if cell is None or id(cell) in seen_cells:
            continue
        seen_cells.add(id(cell))
        text = texts[col]
        if _is_code(text):
            code_parts.append(text)
        elif text and text not in ("类", "款", "项") and not label:
            label = " ".join(cell.text.split())
    values = []
    for col, key in keys.items():
        cell = cells.get(col)
        if cell is None or cell.col != col:
            continue
        value = cell_value(config, cell.text)
        values.append(
            FiscalCell(
                column=key,
                header="/".join(paths[col]),
                value=value,
                text=cell.text.strip(),
                row=number,
                col=col,
                page=cell.page,
                bbox=cell.bbox,
            )
        )
    if layout.shape == "three_public":
        # one line of figures; kept blank too, so an empty 三公 table still shows which cells it has
        return FiscalRow(label=label or "“三公”经费", row=number, cells=values) if values else None
    if not code_parts and not any(c.text for c in values) and (not label or normalized(label) in _fillers(config)):
        return None  # an empty line (a blank template row, a "………" filler row, a page-break remnant)
    code, level = _code(code_parts)
    ordinal = None
    match = _ORDINAL.match(label)
    if match:
        ordinal, label = match.group(1), label[match.end() :]
    if code is None and layout.shape == "balance":
        code = class_code(config, label)
        level = "类" if code else None
    return FiscalRow(label=label, code=code, level=level, panel=panel, ordinal=ordinal, row=number, cells=values)


def _code(parts: list[str]) -> tuple[str | None, Literal["类", "款", "项"] | None]:
    """One code from the code cells of a row: "2010601", or "201" + "06" + "01" printed in three columns."""
    if not parts:
        return None, None
    code = parts[0] if len(parts) == 1 else parts[0] + "".join(p.zfill(2) for p in parts[1:])
    levels: dict[int, Literal["类", "款", "项"]] = {3: "类", 5: "款", 7: "项"}
    return code, levels.get(len(code))
