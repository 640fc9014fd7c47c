"""Evidence images: the region of a PDF page a finding is about, with its figures boxed.

A finding points at figures by block and character offsets in the block's text; the reader's text is
cleaned (lines joined, spaces dropped), so the figure is found again on its page by what it says: the
page's characters (pypdfium2's text page) are compared with the printed figure, spaces ignored, and of
several occurrences the one whose neighbouring characters agree best with the block's wins. The boxes
are pdfium's character boxes, one per line the figure covers. The image is a horizontal strip of the page
around them, rendered at a reading resolution (not the whole page at print resolution) and encoded as
WebP, so that a review page can embed one per finding and page.

What to box comes from a batch database's rows (`marks_for`): a finding's figures as printed; for a
finding that sets text against a table, also the table's value; without figures, the stretch of text the
finding points at, or the start of its block.
"""

from __future__ import annotations

import base64
import io
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from ..store.duckdb import Store

DPI = 110  # screen reading size: a 595 pt wide page is ~900 px
MARGIN_Y = 48.0  # points of page shown above and below the boxed figures
MARGIN_X = 36.0  # points left and right of the text's extent
CONTEXT = 12  # characters compared on either side of a figure to choose between occurrences
BOX_COLOUR = (220, 0, 0)
BOX_PADDING = 2  # pixels between a figure and its box
OPEN_DOCUMENTS = 4  # PDFs kept open while a report is rendered


@dataclass(frozen=True)
class Mark:
    """A stretch of a block's text to box: what it says, and the text before and after it in the block."""

    page: int  # 1-based
    text: str
    before: str = ""
    after: str = ""


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points, origin top-left


@dataclass
class Evidence:
    """An image of a page region; `crop` and `scale` map its pixels back to page points."""

    page: int
    image: bytes
    mime: str
    crop: Box  # the region of the page shown, in points
    scale: float  # pixels per point
    boxes: list[Box] = field(default_factory=list)  # the figures boxed, in points
    width: int = 0
    height: int = 0

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.image).decode('ascii')}"

    def to_pixels(self, box: Box) -> Box:
        x0, top, x1, bottom = box
        cx, ct = self.crop[0], self.crop[1]
        return ((x0 - cx) * self.scale, (top - ct) * self.scale, (x1 - cx) * self.scale, (bottom - ct) * self.scale)


def compact(text: str) -> str:
    return "".join(text.split())


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


class _Page:
    """A page's characters without whitespace, each with its index in pdfium's text page."""

    def __init__(self, page: pdfium.PdfPage):
        self.page = page
        self.width, self.height = page.get_size()
        self.text_page = page.get_textpage()
        count = self.text_page.count_chars()
        text = self.text_page.get_text_range(0, count)
        if len(text) != count:  # characters outside the BMP: indices no longer line up, search nothing
            text = ""
        self.indices = [i for i, ch in enumerate(text) if not ch.isspace()]
        self.text = "".join(text[i] for i in self.indices)

    def locate(self, mark: Mark) -> list[Box]:
        """Boxes (one per line) of the occurrence of the mark's text that fits its neighbours best."""
        wanted = compact(mark.text)
        if not wanted:
            return []
        before, after = compact(mark.before)[-CONTEXT:], compact(mark.after)[:CONTEXT]
        best, best_score = -1, -1
        at = self.text.find(wanted)
        while at >= 0:
            score = _common_suffix(self.text[max(0, at - CONTEXT) : at], before) + _common_prefix(
                self.text[at + len(wanted) : at + len(wanted) + CONTEXT], after
            )
            if score > best_score:
                best, best_score = at, score
            at = self.text.find(wanted, at + 1)
        if best < 0:
            return []
        return self._line_boxes([self.indices[k] for k in range(best, best + len(wanted))])

    def _line_boxes(self, indices: list[int]) -> list[Box]:
        boxes: list[list[float]] = []
        for index in indices:
            left, bottom, right, top = self.text_page.get_charbox(index)
            x0, y0, x1, y1 = left, self.height - top, right, self.height - bottom
            line = boxes[-1] if boxes else None
            if line and y0 < line[3] and y1 > line[1] and x0 >= line[0] - 1:  # same line: overlapping heights
                line[0], line[1], line[2], line[3] = (
                    min(line[0], x0),
                    min(line[1], y0),
                    max(line[2], x1),
                    max(line[3], y1),
                )
            else:
                boxes.append([x0, y0, x1, y1])
        return [(b[0], b[1], b[2], b[3]) for b in boxes]

    @cached_property
    def char_boxes(self) -> list[Box]:
        """Every visible character's box, top-left origin."""
        boxes = []
        for index in self.indices:
            left, bottom, right, top = self.text_page.get_charbox(index)
            boxes.append((left, self.height - top, right, self.height - bottom))
        return boxes

    def text_extent(self) -> tuple[float, float]:
        """Left and right edge of the page's text, for a strip as wide as the text column."""
        if not self.char_boxes:
            return 0.0, self.width
        left, right = min(b[0] for b in self.char_boxes), max(b[2] for b in self.char_boxes)
        return max(0.0, left - MARGIN_X), min(self.width, right + MARGIN_X)

    def whole_lines(self, top: float, bottom: float) -> tuple[float, float]:
        """The strip from `top` to `bottom` narrowed so that it cuts no line of text in half."""
        # characters of one line differ in height: move past each until none straddles an edge
        for box in sorted(self.char_boxes, key=lambda b: b[1]):
            if box[1] - 1 <= top <= box[3] + 1:
                top = box[3] + 1.5
        for box in sorted(self.char_boxes, key=lambda b: -b[3]):
            if box[1] - 1 <= bottom <= box[3] + 1:
                bottom = box[1] - 1.5
        return top, bottom


class PdfEvidence:
    """Renders evidence images from PDFs, keeping a few documents and their pages open meanwhile."""

    def __init__(self, dpi: int = DPI, image_format: str = "WEBP"):
        self.scale = dpi / 72
        self.image_format = image_format
        self._documents: OrderedDict[str, tuple[pdfium.PdfDocument, dict[int, _Page]]] = OrderedDict()

    def __enter__(self) -> PdfEvidence:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        while self._documents:
            self._forget_oldest()

    def _forget_oldest(self) -> None:
        _, (document, pages) = self._documents.popitem(last=False)
        for page in pages.values():
            page.text_page.close()
            page.page.close()
        document.close()

    def _page(self, path: str, number: int) -> _Page | None:
        if path not in self._documents:
            try:
                document = pdfium.PdfDocument(path)
            except (pdfium.PdfiumError, OSError):  # moved, deleted or now unreadable: no image, the text stays
                return None
            self._documents[path] = (document, {})
            if len(self._documents) > OPEN_DOCUMENTS:
                self._forget_oldest()
        self._documents.move_to_end(path)
        document, pages = self._documents[path]
        if not 1 <= number <= len(document):
            return None
        if number not in pages:
            try:
                pages[number] = _Page(document[number - 1])
            except pdfium.PdfiumError:
                return None
        return pages[number]

    def render(self, path: str | Path, marks: list[Mark]) -> list[Evidence]:
        """One image per page the marks stand on (in page order), the located marks boxed; pages where no
        mark was found give none."""
        out = []
        for number in sorted({m.page for m in marks}):
            page = self._page(str(path), number)
            if page is None:
                continue
            try:
                boxes = [box for mark in marks if mark.page == number for box in page.locate(mark)]
                if boxes:
                    out.append(self._draw(page, number, boxes))
            except pdfium.PdfiumError:  # a page pdfium cannot draw: that finding shows its text only
                continue
        return out

    def _draw(self, page: _Page, number: int, boxes: list[Box]) -> Evidence:
        from PIL import ImageDraw

        left, right = page.text_extent()
        left, right = min(left, *(b[0] for b in boxes)), max(right, *(b[2] for b in boxes))
        top, bottom = page.whole_lines(
            max(0.0, min(b[1] for b in boxes) - MARGIN_Y), min(page.height, max(b[3] for b in boxes) + MARGIN_Y)
        )
        top, bottom = min(top, min(b[1] for b in boxes) - 2), max(bottom, max(b[3] for b in boxes) + 2)
        crop = (left, top, right, bottom)
        # pdfium crops by the amount taken off each side: left, bottom, right, top
        image = (
            page.page.render(scale=self.scale, crop=(left, page.height - bottom, page.width - right, top))
            .to_pil()
            .convert("RGB")
        )
        evidence = Evidence(
            number, b"", f"image/{self.image_format.lower()}", crop, self.scale, boxes, image.width, image.height
        )
        draw = ImageDraw.Draw(image)
        for box in boxes:
            x0, y0, x1, y1 = evidence.to_pixels(box)
            draw.rectangle(
                (x0 - BOX_PADDING, y0 - BOX_PADDING, x1 + BOX_PADDING, y1 + BOX_PADDING), outline=BOX_COLOUR, width=2
            )
        buffer = io.BytesIO()
        image.save(buffer, self.image_format, **({"quality": 80} if self.image_format == "WEBP" else {}))
        evidence.image = buffer.getvalue()
        return evidence


# ---------------------------------------------------------------- what to box, from a batch database's rows


def marks_for(
    finding: dict[str, Any], facts: dict[tuple[str, str], dict], blocks: dict[tuple[str, int], dict]
) -> list[Mark]:
    """What to box on the page for a finding: its figures as printed; without figures, the stretch of text it
    points at, or the start of its block."""
    doc = finding["doc_id"]
    marks = []
    for fact_id in finding["facts"] or []:
        fact = facts.get((doc, fact_id))
        if not fact:
            continue
        block = blocks.get((doc, fact["block"]))
        if not block or fact["page"] is None:
            continue
        if fact["start"] is not None and fact["end"] is not None:
            text = block["text"]
            marks.append(
                Mark(fact["page"], text[fact["start"] : fact["end"]], text[: fact["start"]], text[fact["end"] :])
            )
        elif fact["level3"] or fact["label"]:  # a table row's indicator: its name, and its target after it
            name = fact["level3"] or fact["label"]
            marks.append(Mark(fact["page"], name))
            if fact.get("target"):
                marks.append(Mark(fact["page"], fact["target"], before=name))
    block = blocks.get((doc, finding["block"])) if finding["block"] is not None else None
    figure_blocks = {facts[(doc, i)]["block"] for i in finding["facts"] or [] if (doc, i) in facts}
    if marks and block and block["kind"] == "table" and finding["block"] not in figure_blocks:
        # text against table (C102): the table's side of the comparison is the value it states
        stated = stated_in_table(block, finding)
        if stated:
            marks.append(stated)
    if not marks and block and (block["page"] or finding["page"]):
        text, page = block["text"], finding["page"] or block["page"]
        if finding["start"] is not None and finding["end"] is not None and finding["end"] > finding["start"]:
            marks.append(
                Mark(page, text[finding["start"] : finding["end"]], text[: finding["start"]], text[finding["end"] :])
            )
        else:
            first_line = text.strip().split("\n")[0].split("\t")[0]
            marks.append(Mark(page, first_line[:30]))
    return marks


def stated_in_table(block: dict[str, Any], finding: dict[str, Any]) -> Mark | None:
    """The finding's stated value where the table prints it: after the row the message quotes (“年度资金总额”),
    as a whole number (not the tail of a longer one)."""
    stated, text = finding["stated"], block["text"]
    page = finding["page"] or block["page"]
    if not stated or not page:
        return None
    quoted = [q for q in re.findall(r"“([^”]+)”", finding["message"]) if q in text]
    at = text.find(stated, text.find(quoted[0]) if quoted else 0)
    while at >= 0:
        before, after = text[at - 1 : at], text[at + len(stated) : at + len(stated) + 1]
        if not re.fullmatch(r"[\d.,]", before or "x") and not re.fullmatch(r"\d", after or "x"):
            return Mark(page, stated, text[:at], text[at + len(stated) :])
        at = text.find(stated, at + 1)
    return None


def document_files(store: Store) -> dict[str, list[str]]:
    """Where each PDF can be opened: the path it was processed from first, then any other path seen."""
    _, rows = store.query(
        """
        SELECT d.doc_id, d.path, list(f.path ORDER BY f.path) FILTER (WHERE f.path IS NOT NULL)
        FROM documents d LEFT JOIN files f USING (doc_id) WHERE d.format = 'pdf' GROUP BY ALL
        """
    )
    return {doc: [path, *[p for p in others or [] if p != path]] for doc, path, others in rows}


def openable(paths: list[str]) -> str | None:
    return next((p for p in paths if Path(p).is_file()), None)
