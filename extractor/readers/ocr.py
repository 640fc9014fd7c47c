"""OCR of a scanned PDF page: text lines with boxes and confidences, and the ruling lines of its tables.

The engine is RapidOCR (PaddleOCR's PP-OCRv4 Chinese detection and recognition models, run by
onnxruntime on the CPU, the models inside the `rapidocr-onnxruntime` wheel): the optional extra
`jixiao[ocr]`. On our scanned fixtures it read all 15 money figures of six pages where Tesseract 5
(chi_sim) read 2, at about twice Tesseract's time a page (bench/ocr.py; the README gives the figures).

Before recognition a page is set straight: a page scanned sideways is turned upright (text rows
give the image's row profile its stripes; a sideways page stripes its columns), and the skew of a
sheet fed askew is measured by the same profile over angles of ±3° and undone, so lines stay
level and table rules stay straight. The caller gets everything in PDF points with a top-left
origin, like the text layer, so the PDF reader builds paragraphs and tables the same way.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
from collections.abc import Generator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from ..patterns import lazy
from ..records import BBox
from .ocr_options import OcrOptions

EXTRA = "pip install 'jixiao[ocr]'"
_SKEW_STEP = 0.1  # degrees
_SKEW_RANGE = 3.0  # degrees either way
_PROFILE_WIDTH = 800  # pixels: the page is measured at this width (fast, and rows still resolve)
_PAPER = 195  # red-channel level above which a pixel is paper (or a seal's red ink), not print
DASH_CONFIDENCE = 0.9  # a lone dash is recognised by its shape; sure enough, and never a figure
COMPARATOR_CONFIDENCE = 0.85  # a leading 2 read again as ≥ or ≤ by its shape: below rules/ocr.toml's threshold
_DASH_INK = 128  # darker than this counts as the dash's ink
_SEAL_RED, _SEAL_TINT = 150, 60  # a pixel this red, and this much redder than green and blue, is seal ink
_SMEAR = 7  # pixels at that width: more than the gap between characters, less than between lines
_UPSIDE_DOWN_CONFIDENCE = 0.75  # below this mean, an upright-looking page is tried turned by 180°
_RULE_INK = 190  # darker than this is a rule pixel (below paper level _PAPER)
_RULE_SHARE = 0.04  # a ruling line is at least this share of the page's width (or height) long
_RULE_THICKNESS = 9  # pixels at 200 dpi: thicker strokes are not rules (scaled with dpi)


@dataclass(frozen=True)
class OcrLine:
    text: str
    box: BBox  # points, top-left origin, on the page set upright and straight
    confidence: float  # the recogniser's score, 0..1


@dataclass(frozen=True)
class OcrPage:
    lines: list[OcrLine]
    edges: list[tuple[float, float, float, float]]  # ruling lines (x0, top, x1, bottom) in points
    rotation: int  # degrees the scan was turned to read it (0, 90, 180, 270)
    skew: float  # degrees of skew undone


def available() -> bool:
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@cache
def _engine(threads: int = 0):
    """The recogniser computing with `threads` threads (0: onnxruntime's default), loaded once per process
    and thread count (≈1 s: three ONNX models)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=threads) if threads else RapidOCR()


def _cv() -> tuple[Any, Any]:
    """OpenCV and NumPy, which come with the extra: imported when a page needs them, never at startup
    (reading a .txt should not load them, and they may not be installed)."""
    import cv2
    import numpy

    return cv2, numpy


# ---------------------------------------------------------------- setting the page straight


def _text_ink(gray):
    """Dark pixels as 1.0 (text; not the red of a seal, whose gray is light, nor paper), ruling lines
    removed: a table's vertical rules would stripe the columns like a sideways page's text rows."""
    cv2, np = _cv()
    ink = (gray < 140).astype(np.uint8)
    rules = [
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
        for size in ((ink.shape[1] // 20, 1), (1, ink.shape[0] // 20))
    ]
    return (ink & ~(rules[0] | rules[1]) & 1).astype(np.float32)


def _profile_score(ink, angle: float) -> float:
    """How sharply rows stand out when the page is turned by `angle`: the variance of the row sums."""
    cv2, np = _cv()
    height, width = ink.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turned = cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
    return float(np.var(turned.sum(axis=1)))


def _sideways(ink) -> bool:
    """Whether text runs up the page: characters of a line stand closer than lines do, so smearing the
    ink along the lines joins far more of it into fewer pieces than smearing it across them."""
    cv2, _ = _cv()
    pieces = []
    for size in ((_SMEAR, 1), (1, _SMEAR)):
        smeared = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, size))
        pieces.append(cv2.connectedComponents(smeared)[0])
    return pieces[1] < pieces[0]


def orientation(gray) -> tuple[bool, float]:
    """Whether the page lies sideways, and its skew in degrees (counter-clockwise)."""
    cv2, np = _cv()
    scale = _PROFILE_WIDTH / max(gray.shape)
    small = _text_ink(cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    sideways = _sideways(small.astype(np.uint8))
    if sideways:
        small = np.ascontiguousarray(np.rot90(small, -1))
    steps = int(_SKEW_RANGE / _SKEW_STEP)
    angles = [step * _SKEW_STEP for step in range(-steps, steps + 1)]
    best = max(angles, key=lambda angle: _profile_score(small, angle))
    return sideways, best


def _straighten(image, rotation: int, skew: float):
    """The page image turned clockwise by `rotation` degrees, then by `skew` counter-clockwise."""
    cv2, np = _cv()
    if rotation:
        image = np.ascontiguousarray(np.rot90(image, -rotation // 90))  # np.rot90 turns counter-clockwise
    if skew:
        height, width = image.shape[:2]
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1.0)
        image = cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=(255, 255, 255))
    return image


# ---------------------------------------------------------------- text and rules


def _recognise(image, scale: float, threads: int) -> list[OcrLine]:
    # no angle classifier: it would turn each upside-down line right, and hide that a page was read
    # the wrong way up (whose lines then come bottom to top); upside-down text reads with low confidence
    result, _ = _engine(threads)(image, use_cls=False)
    lines = []
    for quad, text, score in result or []:
        xs = [point[0] for point in quad]
        ys = [point[1] for point in quad]
        if text.strip():
            lines.append(
                OcrLine(
                    text.strip(),
                    BBox(x0=min(xs) * scale, top=min(ys) * scale, x1=max(xs) * scale, bottom=max(ys) * scale),
                    float(score),
                )
            )
    return lines


def _mean_confidence(lines: list[OcrLine]) -> float:
    weights = sum(len(line.text) for line in lines)
    return sum(line.confidence * len(line.text) for line in lines) / weights if weights else 0.0


def ruling_lines(gray, dpi: int) -> list[tuple[float, float, float, float]]:
    """Horizontal and vertical rules of a straightened page image, in points: long thin runs of ink
    kept by a morphological opening with a long kernel (text strokes are too short to survive it)."""
    cv2, np = _cv()
    ink = (gray < _RULE_INK).astype(np.uint8) * 255  # a thin rule blurred by the scan is light gray
    height, width = ink.shape
    scale = 72 / dpi
    thickness = _RULE_THICKNESS * dpi / 200
    edges = []
    for horizontal in (True, False):
        length = int((width if horizontal else height) * _RULE_SHARE)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        # close the gaps a light scan leaves in a rule
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask)
        for x, y, w, h, _ in stats[1:count]:
            if horizontal and h <= thickness + 4:
                middle = (y + h / 2) * scale
                edges.append((x * scale, middle, (x + w) * scale, middle))
            elif not horizontal and w <= thickness + 4:
                middle = (x + w / 2) * scale
                edges.append((middle, y * scale, middle, (y + h) * scale))
    return edges


def read_page(page, options: OcrOptions) -> OcrPage:
    """OCR of a pdfium page: rendered at `options.dpi`, set upright and straight, read."""
    cv2, np = _cv()
    image = page.render(scale=options.dpi / 72).to_numpy()
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    # the red channel: black text stays dark, the red of a seal turns as light as paper, so the seal's ring
    # and name neither cut table rules nor get read into the cells; text stamped over stays readable
    # (red print goes too, which in these reports is a letterhead, never a figure)
    blue, green, red = (image[:, :, channel].astype(np.int16) for channel in range(3))  # pdfium renders BGR
    gray = np.ascontiguousarray(image[:, :, 2])
    # a light seal still reads as faint text, and the thin strokes of its name, their red smeared by the
    # scan's JPEG, as stray characters: lift both to paper (black print under the seal stays: its red is low)
    gray[(gray > _PAPER) | ((red > _SEAL_RED) & (red - np.maximum(green, blue) > _SEAL_TINT))] = 255
    image = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    sideways, skew = orientation(gray)
    scale = 72 / options.dpi
    attempts = (90, 270) if sideways else (0, 180)
    best: tuple[float, int, list[OcrLine]] | None = None
    for rotation in attempts:
        lines = _recognise(_straighten(image, rotation, skew), scale, options.threads)
        confidence = _mean_confidence(lines)
        if best is None or confidence > best[0]:
            best = (confidence, rotation, lines)
        if confidence >= _UPSIDE_DOWN_CONFIDENCE:  # read well: no need to try it the other way up
            break
    assert best is not None
    _, rotation, lines = best
    upright = _straighten(gray, rotation, skew)
    lines = [comparator(upright, undoubled(upright, line, scale, options.threads), scale) for line in lines]
    edges = ruling_lines(upright, options.dpi)
    if edges:  # a page with a table: its empty cells' dashes
        lines = with_dashes(upright, lines, scale)
    return OcrPage(lines=lines, edges=edges, rotation=rotation, skew=skew)


# ---------------------------------------------------------------- pages of one document at once

# In a page worker process only: the document it reads pages of and how, set once by `_start_worker`
# (the PDF crosses to each worker once, not with every page).
_worker_state: dict[str, Any] = {}


def _start_worker(data: bytes, options: OcrOptions) -> None:
    import pypdfium2 as pdfium

    _worker_state.update(pdf=pdfium.PdfDocument(data), options=options)


def _read_in_worker(number: int) -> OcrPage:
    return read_page(_worker_state["pdf"][number - 1], _worker_state["options"])


def read_pages(data: bytes, numbers: list[int], options: OcrOptions) -> Generator[OcrPage, None, None]:
    """OCR of the pages `numbers` (1-based) of the PDF `data`, yielded in that order. With `options.workers`
    above 1, that many processes read pages at once, each holding the document and one page image at a time
    (memory grows with the workers, not the pages); they are stopped when the caller stops (an error, a time
    limit) or has every page. Close the iterator to stop them at once."""
    import pypdfium2 as pdfium

    workers = min(options.workers, len(numbers))
    if workers <= 1:
        pdf = pdfium.PdfDocument(data)
        try:
            for number in numbers:
                yield read_page(pdf[number - 1], options)
        finally:
            pdf.close()
        return
    # spawn: a fresh interpreter, not a fork of one whose onnxruntime threads may hold locks
    pool = multiprocessing.get_context("spawn").Pool(
        workers, initializer=_start_worker, initargs=(data, replace(options, progress=None, workers=1))
    )
    try:
        yield from pool.imap(_read_in_worker, numbers)
    finally:
        pool.terminate()
        pool.join()


def undoubled(gray, line: OcrLine, scale: float, threads: int) -> OcrLine:
    """The line read again at full resolution where it has a character twice in a row ("引引进"): the engine
    reads a page shrunk to fit 2000 pixels, and its decoder now and then emits a character twice. The
    second reading is taken only if it is the first with one of a doubled pair dropped; real doubles
    (常常, 100) read twice again and stay."""
    doubled = [i for i in range(1, len(line.text)) if line.text[i] == line.text[i - 1] and not line.text[i].isdigit()]
    if not doubled:
        return line
    cv2, _ = _cv()
    x0, top = max(0, int(line.box.x0 / scale) - 1), max(0, int(line.box.top / scale) - 1)
    x1, bottom = int(line.box.x1 / scale) + 1, int(line.box.bottom / scale) + 1
    result, _ = _engine(threads)(
        cv2.cvtColor(gray[top:bottom, x0:x1], cv2.COLOR_GRAY2BGR), use_det=False, use_cls=False
    )
    if not result:
        return line
    text, score = str(result[0][0]).strip(), float(result[0][1])
    if any(text == line.text[:i] + line.text[i + 1 :] for i in doubled):
        return OcrLine(text, line.box, score)
    return line


def comparator(gray, line: OcrLine, scale: float) -> OcrLine:
    """The line with a leading "2" set to the ≥ or ≤ it was printed as, where the glyph's shape shows it.

    The recogniser reads a ≥ before some figures as 2 ("≥150亿元" as "2150亿元"). The shapes differ
    in a way a scan keeps: a 2 is one stroke as tall as a digit, a ≥ (≤) is two, a chevron over a flat bar,
    with paper between them. The chevron's point (right or left) tells ≥ from ≤. The line keeps the lower
    of its score and COMPARATOR_CONFIDENCE: two readings disagreed, so a finding resting on it is a warning."""
    if not line.text.startswith("2") or len(line.text) < 2:
        return line
    cv2, np = _cv()
    height = (line.box.bottom - line.box.top) / scale
    pad = max(2, int(height * 0.1))
    x0, top = max(0, int(line.box.x0 / scale) - pad), max(0, int(line.box.top / scale) - pad)
    x1, bottom = int(line.box.x1 / scale) + pad, int(line.box.bottom / scale) + pad
    ink = np.ascontiguousarray((gray[top:bottom, x0:x1] < _DASH_INK + 32).astype(np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    # glyph pieces: not specks, not a rule the padded box reaches into
    pieces = sorted(
        (tuple(int(v) for v in stat) for stat in stats[1:count] if stat[4] >= 4 and stat[2] < 1.5 * height),
        key=lambda piece: piece[0],
    )
    if len(pieces) < 2:
        return line
    first = pieces[0]
    glyph = [p for p in pieces if p[0] < first[0] + first[2]]
    if len(glyph) != 2:
        return line
    upper, lower = sorted(glyph, key=lambda piece: piece[1])
    flat_bar = lower[3] <= max(3, 0.25 * upper[3]) and lower[2] >= 0.6 * upper[2]
    if not (flat_bar and lower[1] > upper[1] + upper[3] and upper[3] < 0.8 * height):
        return line
    # the chevron's middle row: its ink lies right of the middle for ≥ (the point), left for ≤
    row = ink[upper[1] + upper[3] // 2, upper[0] : upper[0] + upper[2]]
    columns = np.flatnonzero(row)
    if not len(columns):
        return line
    sign = "≥" if columns.mean() > upper[2] / 2 else "≤"
    return OcrLine(sign + line.text[1:], line.box, min(line.confidence, COMPARATOR_CONFIDENCE))


_DASH_MISREADINGS = {"二"}  # what the recogniser makes of some lone dashes, told apart by their ink (with_dashes)
_DASH_LOOKALIKES = {"一", "-", "－", "_", "–", "~"}  # what the recogniser makes of a "—" alone in a cell
_STRAY_END = lazy(r"(?<=[0-9%个元座家人次])[.:：,，]+$")  # a scan's speck read after a figure
_STRAY_START = lazy(r"^[.·:：,，]+(?=[0-9])")  # and before one


def clean_cell(text: str) -> str:
    """A table cell's OCR text: a lone dash read as 一 or -, and a speck read as a full stop or colon after
    the figure that ends the cell ("6." for 6) or before the figure that starts it ("·58公里"), set right.
    Nothing else is changed (a figure in a table cell never starts with a point: 0.95, not .95)."""
    if text in _DASH_LOOKALIKES:
        return "—"
    return _STRAY_START.sub("", _STRAY_END.sub("", text))


def with_dashes(gray, lines: list[OcrLine], scale: float) -> list[OcrLine]:
    """The lines and the lone dashes (—, the "nothing here" of a table cell) the detector passed over or
    misread: a short thin stroke of ink, about a character wide, outside every line read and with no other
    ink beside it; or a lone 二 whose whole ink is one such stroke (the recogniser makes 二 of some dashes;
    a real 二 has two strokes). They carry `DASH_CONFIDENCE`: seen as a shape, not read."""
    cv2, np = _cv()
    heights = sorted(line.box.bottom - line.box.top for line in lines)
    if not heights:
        return lines
    char = heights[len(heights) // 2] / scale  # a text line's height, in pixels
    ink = (gray < _DASH_INK).astype(np.uint8)
    # table rules out: a cell's borders are not ink beside its dash
    long = int(3 * char)
    rules = [
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
        for size in ((long, 1), (1, long))
    ]
    ruled = rules[0] | rules[1]
    ink = ink & ~ruled & 1
    # a stroke left where a rule's blurred edge or a short border piece was is near a rule; a dash is not
    near_rule = cv2.dilate(ruled, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    # the ink that can stand beside a dash: a rule's blurred fringe, left by the opening, is not
    loose = ink & ~near_rule & 1
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    suspects = [line for line in lines if line.text in _DASH_MISREADINGS]
    boxes = [
        (line.box.x0 / scale, line.box.top / scale, line.box.x1 / scale, line.box.bottom / scale) for line in lines
    ]
    found = []
    for x, y, w, h, area in stats[1:count]:
        if not (0.4 * char <= w <= 2.5 * char and h <= 0.2 * char and area >= 0.6 * w * h):
            continue
        if any(x0 - 2 <= x + w / 2 <= x1 + 2 and top - 2 <= y + h / 2 <= bottom + 2 for x0, top, x1, bottom in boxes):
            continue
        if near_rule[y : y + h, x : x + w].any():
            continue
        # nothing else inked within a character's width either side (a dash stands alone in its cell), rules aside
        around = loose[max(0, int(y - char / 2)) : int(y + h + char / 2), max(0, int(x - char)) : int(x + w + char)]
        if int(around.sum()) > area * 1.3:
            continue
        found.append(
            OcrLine(
                "—",
                BBox(
                    x0=x * scale,
                    top=(y + h / 2) * scale - char * scale / 2,
                    x1=(x + w) * scale,
                    bottom=(y + h / 2) * scale + char * scale / 2,
                ),
                DASH_CONFIDENCE,
            )
        )
    # a lone 二 whose ink is one stroke is a dash
    kept = []
    for line in lines:
        if line in suspects and _one_stroke(loose, line.box, scale, char):
            found.append(OcrLine("—", line.box, DASH_CONFIDENCE))
        else:
            kept.append(line)
    return kept + found


def _one_stroke(ink, box: BBox, scale: float, char: float) -> bool:
    """Whether the ink inside `box` (points) is a single dash-shaped stroke, specks aside."""
    cv2, _ = _cv()
    x0, top = max(0, int(box.x0 / scale) - 2), max(0, int(box.top / scale) - 2)
    x1, bottom = int(box.x1 / scale) + 3, int(box.bottom / scale) + 3
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink[top:bottom, x0:x1].copy())
    pieces = [stat for stat in stats[1:count] if stat[4] >= 4]
    return len(pieces) == 1 and 0.4 * char <= pieces[0][2] and pieces[0][3] <= 0.2 * char
