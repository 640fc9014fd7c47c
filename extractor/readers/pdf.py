"""PDF with a text layer: characters from pdfium, grouped into lines, lines into paragraphs; ruled tables.

pdfium gives every character with its box (~2 ms a page, against ~50 ms for pdfminer). We rebuild
lines ourselves, drop the doubled characters of fake bold, remove running headers, footers and page
numbers, and join lines into paragraphs without the spaces a PDF extractor usually puts between
Chinese characters. Tables come from `pdf_tables`; their characters never reach the paragraphs.
Pages without a text layer (scanned) are read by OCR (`ocr`, the optional extra), page by page, into
the same characters with boxes, so a mixed document goes through one path; OCR's scores go with the
text (Block.ocr, Cell.confidence).
"""

from __future__ import annotations

import bisect
import ctypes
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import add, attrgetter, gt, rshift, sub
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import ReadError
from ..patterns import lazy
from ..records import BBox, Block, Cell, Document, OcrSpan, Style, Table
from . import pdf_tables, pdfium_calls
from .common import PARAGRAPH_LABEL
from .ocr_options import OcrOptions
from .text_layout import close_letter_spacing

if TYPE_CHECKING:
    from . import ocr

_FURNITURE_BAND = 0.12  # share of the page height at top and bottom where headers and footers live
_FURNITURE_LINES = 2  # lines per page edge that may be furniture
_FURNITURE_SHARE = 0.5  # a header repeats on at least this share of the pages
_FAKE_BOLD = 1.0  # points (at most one: see _may_have_doubles): a character drawn again this close is the same one
_GARBLED_SHARE = 0.3
_OCR_TITLE_HEIGHT = 1.25  # an OCR line this many times the page's usual line height is set larger (a title)
PAGE_NUMBER = lazy(
    r"[-—–－_\s]*\d+[-—–－_\s]*|第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+|page\s*\d+(\s*of\s*\d+)?",
    re.IGNORECASE,
)
_X0, _MIDDLE = attrgetter("x0"), attrgetter("middle")
_SENTENCE_END = tuple("。；：！？;:!?")


class Char:
    """A character with its box (top-left origin). A plain class with slots: a page makes hundreds, and a
    dataclass's __post_init__ call for the middle costs a third of making one."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "index", "middle", "doubled", "confidence")

    def __init__(
        self,
        text: str,
        x0: float,
        top: float,
        x1: float,
        bottom: float,
        index: int,  # in pdfium's character array of the page
        confidence: float | None = None,  # OCR's score for the line the character was read in
    ) -> None:
        self.text = text
        self.x0 = x0
        self.top = top
        self.x1 = x1
        self.bottom = bottom
        self.index = index
        self.middle = (top + bottom) / 2  # vertical centre
        self.doubled = False  # drawn twice: fake bold
        self.confidence = confidence

    def __repr__(self) -> str:
        return f"Char({self.text!r}, {self.x0:.1f}, {self.top:.1f}, {self.x1:.1f}, {self.bottom:.1f}, {self.index})"


@dataclass
class Line:
    chars: list[Char]
    page: int
    text: str = ""
    size: float = 0.0
    bold: bool = False
    confidence: float | None = None  # the lowest OCR score of its characters; None from a text layer
    x0: float = field(init=False)
    top: float = field(init=False)
    x1: float = field(init=False)
    bottom: float = field(init=False)

    def __post_init__(self) -> None:
        self.x0 = min([c.x0 for c in self.chars])
        self.x1 = max([c.x1 for c in self.chars])
        self.top = min([c.top for c in self.chars])
        self.bottom = max([c.bottom for c in self.chars])
        scores = [c.confidence for c in self.chars if c.confidence is not None]
        self.confidence = min(scores) if scores else None


@dataclass
class Layout:
    """Where body text runs on pages of one width: its left and right edge, the usual gap between lines."""

    left: float
    right: float
    line_gap: float
    first_line_indent: bool  # paragraphs open with an indent, so a full line ending in 。 may go on


# ---------------------------------------------------------------- characters and lines


_RECT_BYTES = ctypes.sizeof(pdfium_c.FS_RECTF)  # left, top, right, bottom: four floats
_PRIVATE_USE = lazy("[\ue000-\uf8ff\ufffd]")  # private use area, or the replacement character


def _page_chars(textpage, height: float) -> tuple[list[Char], int]:
    """Characters of a page with top-left boxes, fake-bold doubles dropped; and how many look garbled.

    pdfium is asked once a character, by `map` (no Python loop), into one array of boxes read at once;
    the characters are made from columns of it."""
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: fall back to one call a character
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, i)) for i in range(count))
    indices = [index for index, value in enumerate(text) if value not in "\r\n"]
    n = len(indices)
    boxes = (pdfium_c.FS_RECTF * n)()
    slots = map(ctypes.byref, repeat(boxes, n), range(0, n * _RECT_BYTES, _RECT_BYTES))
    found = list(map(pdfium_calls.LOOSE_CHAR_BOX, repeat(handle, n), indices, slots))
    values = (ctypes.c_float * (4 * n)).from_buffer(boxes)[:]
    if not all(found):  # a box pdfium refused: the one before stands for it, as in one reused rectangle
        for k in range(n):
            if not found[k]:
                values[4 * k : 4 * k + 4] = values[4 * k - 4 : 4 * k] if k else [0.0] * 4
    lefts, tops, rights, bottoms = values[0::4], values[1::4], values[2::4], values[3::4]
    wide = list(map(gt, rights, lefts))  # zero width: spaces and line breaks pdfium made up
    kept = list(compress(indices, wide))
    chars = list(
        map(
            Char,
            map(text.__getitem__, kept),
            compress(lefts, wide),
            map(sub, repeat(height), compress(tops, wide)),
            compress(rights, wide),
            map(sub, repeat(height), compress(bottoms, wide)),
            kept,
        )
    )
    # pdfium's indices of characters in the private use area, unknown or unmapped
    garbled = set(compress(kept, map(pdfium_calls.UNICODE_MAP_ERROR, repeat(handle, len(kept)), kept)))
    if _PRIVATE_USE.search(text):
        garbled.update(index for index in kept if _PRIVATE_USE.match(text[index]))
    if not _may_have_doubles(chars):
        return chars, len(garbled)
    chars = dedupe_chars(chars)
    return chars, sum(1 for char in chars if char.index in garbled)


def _may_have_doubles(chars: list[Char]) -> bool:
    """Whether `dedupe_chars` could find a double: two characters of one text less than _FAKE_BOLD (at
    most a point) apart both ways. Their whole-point columns (truncated, as `int` does) differ by at most
    one, and columns c and c + 1 share a 2-point column of the grid from 0 (c >> 1, when c is even) or of
    the grid from 1 ((c + 1) >> 1, when odd); the same for rows. So a double shares a cell in one of four
    2-point grids, and a page where no grid has a cell twice has none. Most pages have none, and this
    test runs in C, at a fraction of the cost of `dedupe_chars`."""
    texts = [char.text for char in chars]
    columns = [int(char.x0) for char in chars]
    rows = [int(char.top) for char in chars]
    one = repeat(1)
    grids_x = (list(map(rshift, columns, one)), list(map(rshift, map(add, columns, one), one)))
    grids_y = (list(map(rshift, rows, one)), list(map(rshift, map(add, rows, one), one)))
    return any(len(set(zip(texts, xs, ys))) < len(chars) for xs in grids_x for ys in grids_y)


def dedupe_chars(chars: list[Char]) -> list[Char]:
    """Drop a character drawn again within _FAKE_BOLD points of itself (fake bold); the one kept is `doubled`."""
    kept = []
    # positions bucketed by _FAKE_BOLD; a character is stored in buckets (c..c+1, r..r+1) and looked up
    # in the same four, so two characters share a bucket when their columns and rows differ by at most one
    seen: dict[tuple[str, int, int], Char] = {}
    get = seen.get
    for char in chars:
        text, column, row = char.text, int(char.x0 // _FAKE_BOLD), int(char.top // _FAKE_BOLD)
        b0, b1, b2, b3 = (
            (text, column, row),
            (text, column + 1, row),
            (text, column, row + 1),
            (text, column + 1, row + 1),
        )
        twin = get(b0) or get(b1) or get(b2) or get(b3)
        if twin is not None and abs(twin.x0 - char.x0) < _FAKE_BOLD and abs(twin.top - char.top) < _FAKE_BOLD:
            twin.doubled = True
            continue
        seen[b0] = seen[b1] = seen[b2] = seen[b3] = char
        kept.append(char)
    return kept


def _font(textpage, index: int) -> tuple[float, bool]:
    """Font size and boldness of a character: a weight of 600+, a bold face name, or fill-and-stroke drawing."""
    size = pdfium_calls.FONT_SIZE(textpage, index)
    name = ctypes.create_string_buffer(128)
    pdfium_calls.FONT_INFO(textpage, index, name, len(name), None)
    render_mode = pdfium_calls.RENDER_MODE(pdfium_calls.TEXT_OBJECT(textpage, index))
    bold = (
        pdfium_calls.FONT_WEIGHT(textpage, index) >= 600
        or b"bold" in name.value.lower()
        or render_mode == pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE
    )
    return round(size, 1), bold


def _line_text(chars: list[Char]) -> str:
    """Characters left to right; a wide gap (a tab stop) becomes one space, space runs collapse."""
    out = []
    previous = None
    for char in chars:
        if previous is not None and char.x0 - previous.x1 > (previous.bottom - previous.top):
            out.append(" ")
        out.append(char.text)
        previous = char
    # a letter-spaced title ("项 目 支 出 预 算") is one word: its gaps are layout
    return close_letter_spacing(" ".join("".join(out).split()))


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Characters sorted into rows top to bottom, each left to right: a character joins the row its
    vertical middle falls in (the row's first character's top to bottom)."""
    rows: list[list[Char]] = []
    current: list[Char] = []
    top = bottom = 0.0  # the current row's first character's
    for char in sorted(chars, key=_MIDDLE):
        if current and top <= char.middle <= bottom:
            current.append(char)
        else:
            current = [char]
            rows.append(current)
            top, bottom = char.top, char.bottom
    for row in rows:
        row.sort(key=_X0)
    return rows


def group_lines(chars: list[Char], page: int) -> list[Line]:
    """Characters sorted into lines top to bottom; rows without text are no line."""
    out = []
    for members in _rows(chars):
        text = _line_text(members)
        if text:
            out.append(Line(members, page, text))
    return out


# ---------------------------------------------------------------- headers, footers, page numbers


def _furniture_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.replace(" ", ""))


def remove_furniture(pages: list[list[Line]], heights: list[float]) -> None:
    """Drop running headers and footers (repeated in the margin, page numbers allowed to change) in place."""
    candidates: list[tuple[int, Line]] = []
    for number, (lines, height) in enumerate(zip(pages, heights)):
        ordered = sorted(lines, key=lambda line: line.top)
        top = [line for line in ordered[:_FURNITURE_LINES] if line.bottom <= height * _FURNITURE_BAND]
        bottom = [line for line in ordered[-_FURNITURE_LINES:] if line.top >= height * (1 - _FURNITURE_BAND)]
        candidates += [(number, line) for line in top + bottom]
    by_key: dict[str, list[tuple[int, Line]]] = defaultdict(list)
    for number, line in candidates:
        by_key[_furniture_key(line)].append((number, line))
    # a share of the pages that have text: blank pages (a report padded with empty pages, separator sheets)
    # carry no header and must not hide the header of the others
    needed = max(2, _FURNITURE_SHARE * sum(1 for lines in pages if lines))
    furniture = set()
    for _, line in candidates:
        repeats = {other for other, twin in by_key[_furniture_key(line)] if abs(twin.top - line.top) <= 4}
        if len(repeats) >= needed or PAGE_NUMBER.fullmatch(line.text):
            furniture.add(id(line))
    for lines in pages:
        lines[:] = [line for line in lines if id(line) not in furniture]


# ---------------------------------------------------------------- paragraphs


def _margin(values: list[float], pick) -> float:
    """The outermost (`pick` = min or max) position many lines share, to the 2-point bucket; a rare
    outlier (a wide caption) does not move it, nor do the many short first-line-indented lines."""
    buckets = Counter(round(value / 2) * 2 for value in values)
    frequent = [value for value, count in buckets.items() if count >= max(2, 0.05 * len(values))]
    return pick(frequent or values)


def measure_layout(pages: list[list[Line]]) -> Layout:
    lines = [line for page in pages for line in page]
    left = _margin([line.x0 for line in lines], min)
    right = max(_margin([line.x1 for line in lines], max), left + 1)
    gaps = [
        b.top - a.bottom
        for page in pages
        for a, b in zip(page, page[1:])
        if a.size == b.size and 0 <= b.top - a.bottom < 2 * a.size
    ]
    ends = [
        b.x0 - left > 0.8 * b.size
        for page in pages
        for a, b in zip(page, page[1:])
        if a.text.endswith(_SENTENCE_END) and a.x1 < right - 2 * a.size
    ]
    return Layout(
        left=left,
        right=right,
        line_gap=statistics.median(gaps) if gaps else 0.0,
        first_line_indent=sum(ends) > len(ends) / 2,
    )


def starts_paragraph(before: Line, line: Line, layout: Layout) -> bool:
    """Whether `line` opens a new paragraph after `before` (the line above it, maybe on the page before)."""
    if PARAGRAPH_LABEL.match(line.text) or abs(before.size - line.size) > 0.6 or before.bold != line.bold:
        return True
    if before.page == line.page and line.top - before.bottom > layout.line_gap + 0.5 * line.size:
        return True
    indented = line.x0 - layout.left > 0.8 * line.size
    # a line is full when it reaches the right edge, or spans the text width (a wrapped centred title)
    full = (
        before.x1 >= layout.right - 1.5 * before.size
        or before.x1 - before.x0 >= layout.right - layout.left - 1.5 * before.size
    )
    centred = abs(line.x0 + line.x1 - layout.left - layout.right) < line.size  # a wrapped title's second line
    if not full or (line.x0 - before.x0 > 0.8 * line.size and not centred):
        return True  # the line above stops short, or this one is indented further
    return before.text.endswith(_SENTENCE_END) and (indented or not layout.first_line_indent)


def join_lines(texts: list[str]) -> str:
    """Lines of one paragraph as one string: no space between Chinese characters or the halves of a number
    ("1166." + "98万元"), one between two Latin words."""
    out = texts[0]
    for text in texts[1:]:
        if out[-1:].isascii() and out[-1:].isalpha() and text[:1].isascii() and text[:1].isalpha():
            out += " "
        out += text
    return out


def _enclosing(boxes) -> BBox:
    """The box around things that have x0, top, x1 and bottom."""
    return BBox(
        x0=min(b.x0 for b in boxes),
        top=min(b.top for b in boxes),
        x1=max(b.x1 for b in boxes),
        bottom=max(b.bottom for b in boxes),
    )


_MARKS = frozenset("。，；：、）)")
_STREAM_NEAR = 3  # characters of one run of text lie this close in the page's character array


def _detached(chars: list[Char]) -> list[str]:
    """Punctuation of a line whose neighbours on the line were all drawn elsewhere in the text layer."""
    return [
        c.text
        for k, c in enumerate(chars)
        if c.text in _MARKS
        and len(chars) > 1
        and all(abs(n.index - c.index) > _STREAM_NEAR for n in chars[max(0, k - 1) : k + 2] if n is not c)
    ]


def _paragraph(lines: list[Line], index: int) -> Block:
    box = _enclosing([line for line in lines if line.page == lines[0].page])  # its part on its first page
    texts = [line.text for line in lines]
    # where the text goes on to the next page, so a figure there is placed on its own page
    breaks = [
        len(join_lines(texts[: i + 1])) - len(texts[i])
        for i in range(1, len(lines))
        if lines[i].page != lines[i - 1].page
    ]
    spans = []
    for i, line in enumerate(lines):
        if line.confidence is not None:
            end = len(join_lines(texts[: i + 1]))
            spans.append(
                OcrSpan(
                    start=end - len(line.text),
                    end=end,
                    page=line.page,
                    bbox=_enclosing([line]),
                    confidence=line.confidence,
                )
            )
    return Block(
        index=index,
        kind="paragraph",
        text=join_lines(texts),
        page=lines[0].page,
        page_breaks=breaks,
        bbox=box,
        style=Style(font_size=lines[0].size, bold=lines[0].bold),
        ocr=spans,
        # text-layer facts: a scanned line has no character stream
        stream_index=min(c.index for c in lines[0].chars) if lines[0].confidence is None else None,
        detached_marks=[mark for line in lines if line.confidence is None for mark in _detached(line.chars)],
    )


# ---------------------------------------------------------------- tables


def _cell_text(chars: list[Char]) -> tuple[str, float | None]:
    """A cell's text, its lines joined as a paragraph's are, and OCR's lowest score of them (None from a text
    layer). No Line objects: a table makes a cell's worth of them for every cell."""
    if not chars:
        return "", None
    texts: list[str] = []
    scores: list[float] = []
    for members in _rows(chars):
        text = _line_text(members)
        if text:
            texts.append(text)
            scores += [c.confidence for c in members if c.confidence is not None]
    text = join_lines(texts) if texts else ""
    if not scores:
        return text, None
    from .ocr import clean_cell  # scores come only from OCR, whose module a text layer does not import

    return clean_cell(text), min(scores)


def _fill(grid: pdf_tables.Grid, chars: list[Char]) -> Table:
    """The grid with each cell's text: the characters whose middle lies inside it."""
    owner = grid.cell_at()
    texts: dict[int, list[Char]] = defaultdict(list)
    ys, xs, find = grid.ys, grid.xs, bisect.bisect
    for char in chars:
        position = (find(ys, char.middle) - 1, find(xs, (char.x0 + char.x1) / 2) - 1)
        if position in owner:
            texts[owner[position]].append(char)
    cells = []
    for number, cell in enumerate(grid.cells):
        text, confidence = _cell_text(texts[number])
        cells.append(
            Cell(
                row=cell.row,
                col=cell.col,
                text=text,
                row_span=cell.row_span,
                col_span=cell.col_span,
                bbox=cell.bbox,
                page=grid.page,
                confidence=confidence,
            )
        )
    return Table(n_rows=grid.n_rows, n_cols=grid.n_cols, cells=cells, pages=[grid.page])


# ---------------------------------------------------------------- the document


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    tables: list[Table]
    text_chars: int
    scanned: bool = False  # no text layer, only an image: read by OCR, or left unread without it


def _layout_page(number: int, width: float, height: float, chars: list[Char], grids: list[pdf_tables.Grid]) -> Page:
    """Characters into tables (those inside a ruled grid) and lines (the rest)."""
    tables = []
    for grid in grids:
        box = grid.bbox
        left, right, top, bottom = box.x0 - 1, box.x1 + 1, box.top - 1, box.bottom + 1
        inside: list[Char] = []
        outside: list[Char] = []
        for char in chars:  # within the grid's box (1 point slack): its horizontal centre and its middle
            within = left <= (char.x0 + char.x1) / 2 <= right and top <= char.middle <= bottom
            (inside if within else outside).append(char)
        tables.append(_fill(grid, inside))
        chars = outside
    lines = group_lines(chars, number)
    text_chars = sum(len(line.text) for line in lines) + sum(len(c.text) for t in tables for c in t.cells)
    return Page(number, width, height, lines, tables, text_chars)


def _read_page(page, textpage, number: int) -> tuple[Page, int]:
    width, height = page.get_size()
    if page.get_rotation() in (90, 270):  # a page shown sideways: its text and rules stay in the unrotated frame
        width, height = height, width
    chars, garbled = _page_chars(textpage, height)
    grids = pdf_tables.find_grids(pdf_tables.page_edges(page, height), number)
    result = _layout_page(number, width, height, chars, grids)
    for line in result.lines:
        start = next(c for c in line.chars if c.text != " ")
        line.size, line.bold = _font(textpage, start.index)
        line.bold = line.bold or any(c.doubled for c in line.chars)
    return result, garbled


def _has_image(page) -> bool:
    handle = page.raw
    return any(
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(handle, i)) == pdfium_c.FPDF_PAGEOBJ_IMAGE
        for i in range(pdfium_c.FPDFPage_CountObjects(handle))
    )


def _ocr_chars(line: ocr.OcrLine) -> list[Char]:
    """An OCR line as characters: the line's box shared out, a full-width character two units, others one."""
    units = [2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line.text]
    step = (line.box.x1 - line.box.x0) / max(1, sum(units))
    chars, x = [], line.box.x0
    for index, (char, unit) in enumerate(zip(line.text, units)):
        if not char.isspace():
            chars.append(
                Char(char, x, line.box.top, x + unit * step, line.box.bottom, index, confidence=line.confidence)
            )
        x += unit * step
    return chars


def _scanned_page(read: ocr.OcrPage, page, number: int) -> Page:
    """A page without a text layer, read by OCR; its lines take one size unless clearly larger (a title):
    a scanned line's height varies with its glyphs, and a size change would split paragraphs."""
    width, height = page.get_size()
    if read.rotation in (90, 270):
        width, height = height, width
    chars = [char for line in read.lines for char in _ocr_chars(line)]
    edges = [pdf_tables.edge(x0, top, x1, bottom) for x0, top, x1, bottom in read.edges]
    result = _layout_page(number, width, height, chars, pdf_tables.find_grids(edges, number))
    heights = [line.bottom - line.top for line in result.lines]
    body = statistics.median(heights) if heights else 0.0
    for line in result.lines:
        size = line.bottom - line.top
        line.size = round(size, 1) if size > _OCR_TITLE_HEIGHT * body else round(body, 1)
    result.scanned = True
    return result


def _blocks(pages: list[Page]) -> list[Block]:
    layouts = {}
    for width in {round(p.width) for p in pages}:
        same = [p.lines for p in pages if round(p.width) == width and p.lines]
        if same:
            layouts[width] = measure_layout(same)
    blocks: list[Block] = []
    paragraph: list[Line] = []
    last_on_page: Block | None = None  # the last block of the page before, for tables that go on

    def close_paragraph() -> None:
        if paragraph:
            blocks.append(_paragraph(paragraph, len(blocks)))
            paragraph.clear()

    for page in pages:
        items: list[tuple[float, Line | Table]] = [(line.top, line) for line in page.lines]
        items += [(t.cells[0].bbox.top if t.cells[0].bbox else 0.0, t) for t in page.tables]
        items.sort(key=lambda item: item[0])
        for position, (_, item) in enumerate(items):
            if isinstance(item, Line):
                if paragraph and starts_paragraph(paragraph[-1], item, layouts[round(page.width)]):
                    close_paragraph()
                paragraph.append(item)
                continue
            close_paragraph()
            previous = blocks[-1] if blocks else None
            if (
                position == 0
                and previous is last_on_page
                and previous is not None
                and previous.table
                and previous.table.pages[-1] == page.number - 1
                and pdf_tables.continues(previous.table, item)
            ):
                joined = pdf_tables.join(previous.table, item)
                blocks[-1] = previous.model_copy(update={"table": joined, "text": joined.text()})
                continue
            blocks.append(
                Block(
                    index=len(blocks),
                    kind="table",
                    text=item.text(),
                    page=page.number,
                    bbox=_enclosing([cell.bbox for cell in item.cells]),
                    table=item,
                )
            )
        # a table goes on over the page break only if nothing but furniture followed it
        last_on_page = blocks[-1] if blocks and not paragraph else None
    close_paragraph()
    return blocks


def _corrupt(path: Path, error: pdfium.PdfiumError) -> ReadError:
    return ReadError(path, f"corrupt PDF ({str(error).rstrip('.')})", "corrupt")


def _open(path: Path, data: bytes) -> pdfium.PdfDocument:
    try:
        # an encrypted PDF whose user password is empty (owner password only) opens here as it is
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError(path, "encrypted PDF: a password is needed", "encrypted") from None
        raise _corrupt(path, error) from None


def read(path: Path, data: bytes, options: OcrOptions | None = None, max_pages: int | None = None) -> Document:
    options = options or OcrOptions()
    pdf = _open(path, data)
    if max_pages is not None and len(pdf) > max_pages:
        count = len(pdf)
        pdf.close()
        raise ReadError(path, f"too many pages: {count}, the limit is {max_pages}", "too_large")
    try:
        read: dict[int, Page] = {}
        garbled = 0
        scanned = []
        # each page is loaded once (pdfium parses its content then): its text layer read, or the page found
        # scanned and left to OCR, which goes once all scanned pages are known (its progress counts them)
        for number in range(1, len(pdf) + 1):
            pdf_page = pdf[number - 1]
            textpage = pdf_page.get_textpage()
            try:
                if _is_scanned(pdf_page, textpage):
                    scanned.append(number)
                    continue
                read[number], page_garbled = _read_page(pdf_page, textpage, number)
                garbled += page_garbled
            finally:
                textpage.close()
        can_ocr = False
        if scanned:  # OCR's code is imported only for a document with scanned pages
            from . import ocr

            can_ocr = ocr.available()
            # the scanned pages' OCR, in page order (in worker processes when options.workers > 1)
            ocr_reads = ocr.read_pages(data, scanned if can_ocr else [], options)
            with closing(ocr_reads):
                for done, number in enumerate(scanned, 1):
                    read[number] = (
                        _scanned_page(next(ocr_reads), pdf[number - 1], number)
                        if can_ocr
                        # pypdfium2 is untyped: mypy cannot tell its size is a (width, height) pair
                        else Page(number, *pdf[number - 1].get_size(), [], [], 0, scanned=True)  # type: ignore[call-arg, misc]
                    )
                    if can_ocr and options.progress:
                        options.progress(number, done, len(scanned))
        pages = [read[number] for number in sorted(read)]
    except pdfium.PdfiumError as error:
        raise _corrupt(path, error) from None
    finally:
        pdf.close()
    total = sum(page.text_chars for page in pages)
    if not total:
        reason = "no text layer (scanned image?)"
        if scanned and not can_ocr:
            from .ocr import EXTRA

            reason += f": OCR is not installed ({EXTRA})"
        elif scanned:
            reason += ": OCR found no text either"
        raise ReadError(path, reason, "scanned")
    if garbled > _GARBLED_SHARE * total:
        raise ReadError(path, "garbled text layer (fonts without ToUnicode)", "garbled")
    remove_furniture([page.lines for page in pages], [page.height for page in pages])
    return Document(
        path=str(path),
        sha256="",
        format="pdf",
        pages=len(pages),
        blocks=_blocks(pages),
        ocr_pages=scanned if can_ocr else [],
        unread_pages=[] if can_ocr else scanned,
    )


def _is_scanned(page, textpage) -> bool:
    """No character in the text layer, and an image: a scan (a blank page has no image)."""
    return pdfium_c.FPDFText_CountChars(textpage.raw) == 0 and _has_image(page)
