"""Ruled tables of a PDF page: grid lines from pdfium's path objects, cells from pdfplumber's table finder.

pdfplumber finds tables well but parses a whole page with pdfminer first (~50 ms a page). Its
`TableFinder` also accepts explicit lines, so we hand it the ruling lines pdfium already has
(well under a millisecond a page) and never let pdfminer see the page. Merged cells come out as
one bounding box covering several grid positions; spans are counted from the grid lines.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c
from pdfplumber.table import TableFinder

from ..records import BBox, Cell, Table

_AXIS_SLACK = 0.5  # points a ruling line may lean and still count as horizontal / vertical
_MIN_EDGE = 3.0  # points; shorter strokes are glyph-like marks, not rules
_SNAP = 2.0  # points within which two grid lines are one


@dataclass
class Grid:
    """A ruled table found on one page: its cells' positions, without text yet."""

    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: list[Cell]  # text empty, row/col/spans and bbox set


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line_edge"}


def _segments(path, height: float):
    """Straight segments of a path object, in page space with a top-left origin."""
    matrix = path.get_matrix()
    x = ctypes.c_float()
    y = ctypes.c_float()
    start = current = None
    for index in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        px, py = matrix.on_point(x.value, y.value)
        point = (px, height - py)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            yield current, point
        current = point  # a Bézier control point moves the pen too; curves are never rules
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            yield current, start
            current = start


def page_edges(page, height: float) -> list[dict]:
    """Horizontal and vertical ruling lines of a pdfium page, as pdfplumber edge dicts."""
    edges = []
    for path in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        for (ax, ay), (bx, by) in _segments(path, height):
            if abs(ay - by) <= _AXIS_SLACK and abs(ax - bx) >= _MIN_EDGE:
                edges.append(_edge(min(ax, bx), ay, max(ax, bx), ay, "h"))
            elif abs(ax - bx) <= _AXIS_SLACK and abs(ay - by) >= _MIN_EDGE:
                edges.append(_edge(ax, min(ay, by), ax, max(ay, by), "v"))
    return edges


def _grid_lines(values: list[float]) -> list[float]:
    """Distinct positions, those closer than _SNAP taken as one."""
    lines: list[float] = []
    for value in sorted(values):
        if not lines or value - lines[-1] > _SNAP:
            lines.append(value)
    return lines


def _index(lines: list[float], value: float) -> int:
    return min(range(len(lines)), key=lambda i: abs(lines[i] - value))


def find_grids(edges: list[dict], page: int) -> list[Grid]:
    """Tables ruled by `edges`; a page needs two rules each way before pdfplumber is asked."""
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    finder = TableFinder(None, {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                                "explicit_vertical_lines": vertical, "explicit_horizontal_lines": horizontal})
    grids = []
    for found in finder.tables:
        xs = _grid_lines([x for box in found.cells for x in (box[0], box[2])])
        ys = _grid_lines([y for box in found.cells for y in (box[1], box[3])])
        cells = []
        for x0, top, x1, bottom in found.cells:
            row, col = _index(ys, top), _index(xs, x0)
            cells.append(Cell(row=row, col=col, text="", row_span=max(1, _index(ys, bottom) - row),
                              col_span=max(1, _index(xs, x1) - col),
                              bbox=BBox(x0=x0, top=top, x1=x1, bottom=bottom), page=page))
        cells.sort(key=lambda cell: (cell.row, cell.col))
        x0, top, x1, bottom = found.bbox
        grids.append(Grid(page=page, bbox=BBox(x0=x0, top=top, x1=x1, bottom=bottom),
                          n_rows=len(ys) - 1, n_cols=len(xs) - 1, cells=cells))
    return grids


def column_lines(table: Table) -> list[float]:
    """x-positions of a table's column rules (from its first page's cells)."""
    first_page = table.pages[0] if table.pages else None
    return _grid_lines([x for cell in table.cells if cell.bbox and cell.page == first_page
                        for x in (cell.bbox.x0, cell.bbox.x1)])


def _row_texts(table: Table, row: int) -> list[str]:
    return [cell.text for cell in table.cells if cell.row == row]


def _columns_within(lines: list[float], following: list[float]) -> bool:
    """Whether every column rule of `following` stands on one of `lines`, the outer two on the outer two."""
    return (len(following) >= 2 and abs(following[0] - lines[0]) <= _SNAP and abs(following[-1] - lines[-1]) <= _SNAP
            and all(min(abs(x - line) for line in lines) <= _SNAP for x in following))


def continues(previous: Table, following: Table) -> bool:
    """Whether `following` (first thing on the next page) carries on `previous` (last thing on its page).

    The continuation may show fewer columns: a header row with more cell boundaries may stay behind.
    """
    return _columns_within(column_lines(previous), column_lines(following))


def join(previous: Table, following: Table) -> Table:
    """One table of `previous` and its continuation `following`, on `previous`'s columns.

    A repeated header row is dropped. An empty cell at the top of the continuation under a cell of
    the last row is that cell carried on (a vertical merge the page cut) if the cell above spans
    rows already or every cell left of it is carried on too (the 一级/二级指标 columns of indicator tables).
    """
    lines = column_lines(previous)
    repeated = 0
    while (repeated < min(previous.n_rows, following.n_rows - 1)
           and _row_texts(following, repeated) == _row_texts(previous, repeated)):
        repeated += 1
    last_row = previous.n_rows - 1
    cells = list(previous.cells)
    above = {(cell.col, cell.col_span): position for position, cell in enumerate(cells)
             if cell.row + cell.row_span - 1 == last_row}
    leading = True  # still in the run of carried-on cells from the left edge
    for cell in sorted(following.cells, key=lambda c: (c.row, c.col)):
        if cell.row < repeated:
            continue
        col = _index(lines, cell.bbox.x0)
        col_span = max(1, _index(lines, cell.bbox.x1) - col)
        position = above.get((col, col_span)) if cell.row == repeated and not cell.text else None
        if position is not None and cells[position].text and (leading or cells[position].row_span > 1):
            cells[position] = cells[position].model_copy(update={"row_span": cells[position].row_span + cell.row_span})
            continue
        leading = leading and cell.row != repeated
        cells.append(cell.model_copy(update={"row": cell.row - repeated + previous.n_rows, "col": col,
                                             "col_span": col_span}))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Table(n_rows=previous.n_rows + following.n_rows - repeated, n_cols=previous.n_cols, cells=cells,
                 pages=previous.pages + [page for page in following.pages if page not in previous.pages])
