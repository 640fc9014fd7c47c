"""Money facts from the cells of generic tables: the tables no self-evaluation layout types.

A cell holds money when its column's unit is a money unit (bracketed in the column header, "（万元）", else
the table's own "单位：万元" in a caption or a cell) and neither the column header nor the row label names a
measure that is not money (rates, counts, scores: `schemas/lexicon/table_columns.toml`). The row label is
the fact's label; the column header gives its context (year, basis, period), so a 预算数 column is never
taken for the 决算数 column beside it. A table flattened into one paragraph ("单位：万元 … 49,171 51,385 …")
gives its bare numbers after the caption the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from ..cells import Grid, cell_kind, table_grid
from ..cjk import to_halfwidth
from ..config import Config, derived
from ..memo import per_document_by_identity
from ..patterns import lazy
from ..records import Block, Context, Document, Fact, Table
from .labels import canonical_key
from .table_units import unit_bracketed, unit_stated

_YEAR = lazy(r"(20\d\d|19\d\d)\s*年")
_PART_PREFIX = lazy(r"^(?:其中|含)\s*[:：]?\s*")
_NUMBERING = lazy(
    r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．](?!\d)|[（(][一二三四五六七八九十\d]{1,2}[)）])\s*"
)
_FLAT_NUMBER = lazy(r"(?<!\S)-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\S)")
_NOT_MONEY_AFTER = lazy(r"\s*[年月日%％个人次项家辆]")  # "2025 年", "100.00 %"
_FLAT_LABEL = lazy(r"[\u4e00-\u9fff][^\s\d]*$")


@dataclass(frozen=True)
class _Column:
    header: str
    unit: str | None  # the money unit of its cells, None when they are no money
    change: bool  # a column of differences
    context: Context


@derived
def _words(config: Config) -> dict:
    return config.lexicon["table_columns"]


def _names_no_money(config: Config, text: str) -> bool:
    return any(word in text for word in _words(config)["not_money"])


def _context(config: Config, header: str) -> Context:
    words = _words(config)
    year = _YEAR.search(header)
    basis = next((b for w, b in sorted(words["basis"].items(), key=lambda i: -len(i[0])) if w in header), None)
    period = next((p for w, p in words["period"].items() if w in header), None)
    return Context(year=int(year.group(1)) if year else None, basis=basis, period=period)


def _header_rows(grid: Grid) -> int:
    """How many rows on top are header: those before the first row holding a number."""
    for r, row in enumerate(grid):
        if any(cell_kind(cell) == "number" for cell in row):
            return r
    return len(grid)


def _table_unit(config: Config, captions: list[str], grid: Grid) -> str | None:
    stated = unit_stated(config)
    for text in [*captions, *(cell for row in grid for cell in row)]:
        if match := stated.search(to_halfwidth(text)):
            return match.group(1)
    return None


def _columns(config: Config, grid: Grid, top: int, unit: str | None) -> list[_Column]:
    stated, bracketed = unit_stated(config), unit_bracketed(config)
    columns = []
    for c in range(len(grid[0]) if grid else 0):
        texts: list[str] = []
        for r in range(top):
            text = grid[r][c].strip()
            if text and text not in texts and not stated.search(to_halfwidth(text)):
                texts.append(text)
        header = " ".join(texts)
        own = bracketed.search(to_halfwidth(header))
        money_unit = own.group(1) if own else (None if _names_no_money(config, header) else unit)
        change = any(word in header for word in _words(config)["change"])
        columns.append(_Column(header, money_unit, change, _context(config, header)))
    return columns


@per_document_by_identity  # asked by the table facts and again by the sums check
def cell_offsets(table: Table) -> Mapping[tuple[int, int], tuple[int, int]]:
    """Where each origin cell's text stands in the table block's text (`Table.text`), read-only: shared."""
    offsets: dict[tuple[int, int], tuple[int, int]] = {}
    position = 0
    rows: dict[int, list] = {}
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(cell.row, []).append(cell)
    for r in range(table.n_rows):
        for i, cell in enumerate(rows.get(r, [])):
            if i:
                position += 1  # the tab
            text = " ".join(cell.text.split("\n"))
            offsets[(cell.row, cell.col)] = (position, position + len(text))
            position += len(text)
        position += 1  # the newline
    return MappingProxyType(offsets)


def row_label(row: Sequence[str]) -> str:
    """A row's label: its first text cell without numbering ("2、", "（1）") or a 其中 prefix."""
    text = next((cell for cell in row if cell_kind(cell) == "text"), "")
    compact = "".join(text.split())
    return _PART_PREFIX.sub("", _NUMBERING.sub("", compact))


def _money(config: Config, value_text: str, unit: str) -> tuple[Decimal, int, Decimal]:
    digits = to_halfwidth(value_text).replace(",", "").replace(" ", "")
    value = Decimal(digits)
    factor = Decimal(config.lexicon["units"]["money"][unit]["factor"])
    return value, len(digits.partition(".")[2]), value * factor


def _fact(
    config: Config,
    block: Block,
    label: str | None,
    text: str,
    unit: str,
    start: int,
    end: int,
    sentence: str,
    context: Context,
) -> Fact:
    value, decimals, amount = _money(config, text, unit)
    return Fact(
        id="",
        label=label,
        key=canonical_key(config, label) if label else None,
        value=value,
        unit=unit,
        currency="CNY",
        amount=amount,
        decimals=decimals,
        section=None,
        source="table",
        page=block.page,
        block=block.index,
        start=start,
        end=end,
        sentence=sentence,
        context=context,
    )


def table_facts(config: Config, block: Block, captions: list[str]) -> Iterator[Fact]:
    """The money cells of one generic table, row by row."""
    assert block.table is not None
    grid = table_grid(block.table)
    top = _header_rows(grid)
    unit = _table_unit(config, captions, grid)
    columns = _columns(config, grid, top, unit)
    offsets = cell_offsets(block.table)
    origins = block.table.origin_grid()
    for r in range(top, len(grid)):
        row = grid[r]
        label_text = next((cell for cell in row if cell_kind(cell) == "text"), "")
        if _names_no_money(config, label_text):
            continue
        label = row_label(row) or None
        sentence = " | ".join(cell for cell in row if cell)
        for c, text in enumerate(row):
            cell = origins[r][c]
            column = columns[c]
            if cell is None or column.unit is None or cell_kind(text) != "number":
                continue
            start, end = offsets[(r, c)]
            name = f"{label}{column.header}" if column.change and label else label
            yield _fact(config, block, name, text, column.unit, start, end, sentence, column.context)


def flattened_facts(config: Config, block: Block, taken: list[tuple[int, int]]) -> Iterator[Fact]:
    """ "单位：万元 2020年 2021年 完成数 … 49,171 51,385 …": a table flattened into a paragraph. Bare numbers
    standing alone after the caption are its cells, each labelled by the words before it."""
    text = block.text
    caption = unit_stated(config).search(to_halfwidth(text))
    if not caption:
        return
    unit = caption.group(1)
    for match in _FLAT_NUMBER.finditer(text, caption.end()):
        if any(s < match.end() and match.start() < e for s, e in taken) or _NOT_MONEY_AFTER.match(text, match.end()):
            continue
        before = text[caption.end() : match.start()].rstrip()
        label = _FLAT_LABEL.search(before)
        yield _fact(
            config,
            block,
            label.group(0) if label else None,
            match.group(0),
            unit,
            match.start(),
            match.end(),
            text[max(caption.end(), match.start() - 30) : match.end()].strip(),
            Context(),
        )


def generic_table_facts(config: Config, document: Document, typed: set[int], prose: list[Fact]) -> list[Fact]:
    """Money facts of every table block no self-evaluation layout typed, and of flattened tables in
    paragraphs, in document order."""
    taken: dict[int, list[tuple[int, int]]] = {}
    for fact in prose:
        taken.setdefault(fact.block, []).append((fact.start, fact.end))
    found: list[Fact] = []
    for block in document.blocks:
        if block.in_table_of_contents:
            continue
        if block.kind == "table" and block.table and block.table.cells and block.index not in typed:
            captions = [b.text for b in document.blocks[max(0, block.index - 3) : block.index] if b.kind == "paragraph"]
            found.extend(table_facts(config, block, captions))
        elif block.kind == "paragraph":
            found.extend(flattened_facts(config, block, taken.get(block.index, [])))
    return found
