"""Evidence images: the region of a PDF page a finding is about, with its figures boxed.

A finding points at figures by block and character offsets in the block's text; the reader's text is
cleaned (lines joined, spaces dropped), so the figure is found again on its page by what it says: the
page's characters (pypdfium2's text page) are compared with the printed figure, spaces ignored, and of
several occurrences the one whose neighbouring characters agree best with the block's wins. The boxes
are pdfium's character boxes, one per line the figure covers. The image is a horizontal strip of the page
around them, rendered at a reading resolution (not the whole page at print resolution) and encoded as
WebP, so that a review page can embed one per finding.
"""

from __future__ import annotations

import base64
import io
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pypdfium2 as pdfium

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
                line[0], line[1], line[2], line[3] = min(line[0], x0), min(line[1], y0), max(line[2], x1), max(line[3], y1)
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
        image = page.page.render(
            scale=self.scale, crop=(left, page.height - bottom, page.width - right, top)
        ).to_pil().convert("RGB")
        evidence = Evidence(number, b"", f"image/{self.image_format.lower()}", crop, self.scale, boxes,
                            image.width, image.height)
        draw = ImageDraw.Draw(image)
        for box in boxes:
            x0, y0, x1, y1 = evidence.to_pixels(box)
            draw.rectangle((x0 - BOX_PADDING, y0 - BOX_PADDING, x1 + BOX_PADDING, y1 + BOX_PADDING),
                           outline=BOX_COLOUR, width=2)
        buffer = io.BytesIO()
        image.save(buffer, self.image_format, **({"quality": 80} if self.image_format == "WEBP" else {}))
        evidence.image = buffer.getvalue()
        return evidence
