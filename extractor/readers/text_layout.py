"""Lines of plain text (or Markdown) into paragraph and table blocks.

Text copied out of PDFs and web pages carries its layout in characters: lines hard-wrapped at a fixed
width (a figure and its unit split: "57.36\\n万元"), page numbers ("—10—") between them, letter-spaced
headers ("预 算 数"), and tables as pipe rows ("| 合计 | 1532.60 | 1498.25 |"), as one cell per line
("30.8 |"), or as bare short lines under a "单位：万元" caption. This module undoes that: wrapped lines are
joined, page-number lines dropped, letter spacing closed, and tables become `Table` blocks whose cells the
figures stage reads by row label and column header.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cells import cell_kind
from ..cjk import to_halfwidth
from ..patterns import lazy
from ..records import Block, Cell, Style, Table
from .common import PARAGRAPH_LABEL, clean_paragraph

_PAGE_NUMBER_LINE = lazy(r"[-—–－]{1,2}\s*\d{1,4}\s*[-—–－]{1,2}")
# single Chinese characters each set apart by one space: "预 算 数", "合 计"
_LETTER_SPACED = lazy(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?: [\u4e00-\u9fff](?![\u4e00-\u9fff]))+")
_ENDS_SENTENCE = tuple("。；！？;!?：:")
_CONTINUES = tuple("，,、")
_UNIT_START = lazy(r"(?:万元|亿元|千元|元|%|％)")
_SPLIT_FIGURE = lazy(r"\d\s*[万亿千]?$")
_UNIT_CAPTION = lazy(r"(?:金额)?单位\s*[:：]\s*(?:亿元|万元|千元|元)")
_MARKDOWN_RULE = lazy(r":?-{2,}:?")
_WRAP_SHARE = 0.75  # a line this close to the usual full width was wrapped, not ended
_MIN_WRAPPED = 3  # lines at full width a text needs before its wrapping is believed
_SHORT_CELL = 16  # characters: a longer line under a unit caption is prose again
_MIN_BARE_CELLS = 6  # lines a captioned run of bare cells needs to be a table


def close_letter_spacing(text: str) -> str:
    """ "预 算 数" -> "预算数": a space between two single Chinese characters is layout, not a word break."""
    if not _space_between_han(text):  # most lines and cells: no pattern to run (nor to compile, ~4 CJK ranges)
        return text
    return _LETTER_SPACED.sub(lambda match: match.group(0).replace(" ", ""), text)


def _space_between_han(text: str) -> bool:
    """Whether a space stands between two characters of `_LETTER_SPACED`'s range: every run it closes holds one."""
    space = text.find(" ", 1)
    while 0 < space < len(text) - 1:
        if "\u4e00" <= text[space - 1] <= "\u9fff" and "\u4e00" <= text[space + 1] <= "\u9fff":
            return True
        space = text.find(" ", space + 1)
    return False


def _width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


# ---------------------------------------------------------------- cells


def _pipe_cells(line: str) -> list[str] | None:
    """The cells of a pipe row ("| 合计 | 1.8 |", "30.8 |"), None for a line that is no pipe row."""
    if "|" not in line:
        return None
    stripped = line.strip()
    if not (stripped.startswith("|") or stripped.endswith("|") or stripped.count("|") >= 2):
        return None
    parts = stripped.split("|")
    if stripped.startswith("|"):
        parts = parts[1:]
    if stripped.endswith("|"):
        parts = parts[:-1]
    return [close_letter_spacing(" ".join(part.split())) for part in parts]


def _is_rule(cells: list[str]) -> bool:
    return bool(cells) and all(_MARKDOWN_RULE.fullmatch(cell.replace(" ", "")) for cell in cells if cell) and any(cells)


def rows_from_cells(cells: list[str]) -> list[list[str]]:
    """One cell per line back into rows: the header is what comes before the first data row, and a row
    begins at each label (a text cell) once the figures have begun."""
    kinds = [cell_kind(cell) for cell in cells]
    first_value = next((i for i, kind in enumerate(kinds) if kind in ("number", "percent")), None)
    if first_value is None:
        return [cells]
    label_at = first_value - 1 if first_value and kinds[first_value - 1] == "text" else first_value
    rows: list[list[str]] = []
    header = cells[:label_at]
    captions = [cell for cell in header if _UNIT_CAPTION.search(to_halfwidth(cell))]
    rows.extend([caption] for caption in captions)
    header = [cell for cell in header if cell not in captions]
    if header:
        rows.append(header)
    for cell, kind in zip(cells[label_at:], kinds[label_at:]):
        if kind == "text" or not rows or len(rows) == len(captions) + bool(header):
            rows.append([cell])
        else:
            rows[-1].append(cell)
    return rows


def table_block(index: int, rows: list[list[str]]) -> Block:
    n_cols = max(len(row) for row in rows)
    cells = [Cell(row=r, col=c, text=text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    table = Table(n_rows=len(rows), n_cols=n_cols, cells=cells)
    return Block(index=index, kind="table", text=table.text(), table=table)


# ---------------------------------------------------------------- lines into blocks


@dataclass
class _Run:
    """A stretch of lines that is one block: a paragraph (lines to join) or a table (its rows)."""

    lines: list[str]
    rows: list[list[str]] | None = None


def _pipe_table(lines: list[list[str]]) -> list[list[str]]:
    rows = [cells for cells in lines if not _is_rule(cells)]
    one_cell = sum(1 for cells in rows if sum(1 for c in cells if c) <= 1)
    if one_cell * 5 >= len(rows) * 3:  # mostly one cell a line: the cells of a flattened table
        return rows_from_cells([cell for cells in rows for cell in cells if cell])
    return rows


def _is_short_cell(line: str) -> bool:
    text = line.strip()
    return 0 < len(text) <= _SHORT_CELL and not any(mark in text for mark in "。，；,;") and "|" not in text


def _bare_table_end(lines: list[str], start: int) -> int:
    """After a unit caption at `start - 1`: where a run of short lines holding figures ends (== start if none)."""
    end = start
    while end < len(lines) and (_is_short_cell(lines[end]) or not lines[end].strip()):
        end += 1
    cells = [line.strip() for line in lines[start:end] if line.strip()]
    numbers = sum(1 for cell in cells if cell_kind(cell) == "number")
    return end if len(cells) >= _MIN_BARE_CELLS and numbers >= 2 else start


def split_runs(lines: list[str]) -> list[_Run]:
    """Lines grouped into tables and single lines (paragraph joining comes after)."""
    runs: list[_Run] = []
    i = 0
    while i < len(lines):
        cells = _pipe_cells(lines[i])
        if cells is not None:
            j, rows = i, []
            while j < len(lines) and (row := _pipe_cells(lines[j])) is not None:
                rows.append(row)
                j += 1
            if j - i >= 2 or sum(1 for c in cells if c) >= 3:
                runs.append(_Run(lines[i:j], _pipe_table(rows)))
                i = j
                continue
        if _UNIT_CAPTION.search(to_halfwidth(lines[i])) and len(lines[i].strip()) <= 2 * _SHORT_CELL:
            end = _bare_table_end(lines, i + 1)
            if end > i + 1:
                runs.append(_Run([lines[i]]))
                cells = [close_letter_spacing(" ".join(line.split())) for line in lines[i + 1 : end] if line.strip()]
                runs.append(_Run(lines[i + 1 : end], rows_from_cells(cells)))
                i = end
                continue
        runs.append(_Run([lines[i]]))
        i += 1
    return runs


def _full_width(lines: list[str]) -> int | None:
    """The width hard-wrapped lines run to, when the text is wrapped (enough lines reach it)."""
    widths = sorted(_width(line) for line in lines if _width(line) >= 20)
    if len(widths) < _MIN_WRAPPED:
        return None
    usual = widths[int(len(widths) * 0.8)]
    return usual if sum(1 for w in widths if w >= _WRAP_SHARE * usual) >= _MIN_WRAPPED else None


def _joins(line: str, following: str, full: int | None) -> bool:
    """Whether `following` goes on the paragraph `line` ends."""
    if _SPLIT_FIGURE.search(line) and _UNIT_START.match(following):
        return True  # "57.36" / "万元", "1.5万" / "元": a figure and its unit split by a wrap
    if PARAGRAPH_LABEL.match(following):
        return False
    if line.endswith(_ENDS_SENTENCE):
        return False
    if line.endswith(_CONTINUES):
        return True
    return full is not None and _width(line) >= _WRAP_SHARE * full


def lines_to_blocks(
    raw_lines: list[str], soft_wraps: bool = False, headings: dict[int, int] | None = None
) -> list[Block]:
    """Paragraph and table blocks of a text's lines, wrapped lines joined, page-number lines dropped.

    With `soft_wraps` (Markdown), the lines between two blank lines are one paragraph unless a line opens a
    numbered item; `headings` maps the index of a heading line to its outline level (0 = top), and a heading
    is always a paragraph of its own."""
    headings = headings or {}
    lines = [(n, line) for n, line in enumerate(raw_lines) if not _PAGE_NUMBER_LINE.fullmatch(line.strip())]
    numbers = [n for n, _ in lines]
    runs = split_runs([line for _, line in lines])
    prose = [close_letter_spacing(" ".join(r.lines[0].split())) for r in runs if r.rows is None]
    full = _full_width(prose)
    blocks: list[Block] = []
    pending: list[str] = []  # the lines of the paragraph being gathered

    def close(level: int | None = None) -> None:
        if pending:
            text, artifacts = clean_paragraph(_join(pending))
            if text:
                style = Style(outline_level=level) if level is not None else None
                blocks.append(Block(index=len(blocks), kind="paragraph", text=text, artifacts=artifacts, style=style))
            pending.clear()

    position = 0  # index into `lines` of the run's first line
    for run in runs:
        number = numbers[position]
        position += len(run.lines)
        if run.rows is not None:
            close()
            if any(any(cell for cell in row) for row in run.rows):
                blocks.append(table_block(len(blocks), run.rows))
            continue
        line = close_letter_spacing(" ".join(run.lines[0].split()))
        if not line:
            close()
            continue
        if number in headings:
            close()
            pending.append(line)
            close(headings[number])
            continue
        joins = (
            not PARAGRAPH_LABEL.match(line) if soft_wraps and pending else pending and _joins(pending[-1], line, full)
        )
        if not joins:
            close()
        pending.append(line)
    close()
    return blocks


def _join(lines: list[str]) -> str:
    """Wrapped lines as one paragraph: no space between Chinese characters, one between Latin words."""
    out = lines[0]
    for line in lines[1:]:
        latin = out[-1:].isascii() and out[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum()
        out += (" " if latin else "") + line
    return out
