"""Ruled tables of a PDF page: grid lines from pdfium's path objects, cells from pdfplumber's table finder.

pdfplumber finds tables well but parses a whole page with pdfminer first (~50 ms a page). Its
`TableFinder` also accepts explicit lines, so we hand it the ruling lines pdfium already has
(well under a millisecond a page) and never let pdfminer see the page. Merged cells come out as
one bounding box covering several grid positions; spans are counted from the grid lines.
"""

from __future__ import annotations

import bisect
import ctypes
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

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
    xs: list[float]  # the column rules, left to right
    ys: list[float]  # the row rules, top to bottom

    def cell_at(self) -> dict[tuple[int, int], int]:
        """Index in `cells` of the cell covering each grid position."""
        return {
            (row, col): number
            for number, cell in enumerate(self.cells)
            for row in range(cell.row, cell.row + cell.row_span)
            for col in range(cell.col, cell.col + cell.col_span)
        }


def edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    """A ruling line from its ends (horizontal when top == bottom), as a pdfplumber edge dict."""
    return _edge(x0, top, x1, bottom, "h" if abs(bottom - top) <= abs(x1 - x0) else "v")


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        "object_type": "line_edge",
    }


def _segments(path, height: float):
    """Straight segments of a path object, in page space with a top-left origin."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(path, matrix)
    x = ctypes.c_float()
    y = ctypes.c_float()
    start = current = None
    for index in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (
            matrix.a * x.value + matrix.c * y.value + matrix.e,
            height - (matrix.b * x.value + matrix.d * y.value + matrix.f),
        )
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
    # the raw API: pypdfium2's get_objects wraps every text object in Python first, ~4 ms a page
    handle = page.raw
    objects = (pdfium_c.FPDFPage_GetObject(handle, i) for i in range(pdfium_c.FPDFPage_CountObjects(handle)))
    for path in (o for o in objects if pdfium_c.FPDFPageObj_GetType(o) == pdfium_c.FPDF_PAGEOBJ_PATH):
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
    """Index of the line nearest to `value` (`lines` sorted)."""
    after = bisect.bisect(lines, value)
    if after == len(lines) or (after and value - lines[after - 1] <= lines[after] - value):
        return after - 1
    return after


def _tables(edges: list[dict]) -> list[list[tuple[float, float, float, float]]]:
    """The cell boxes of each table the ruling `edges` make, by pdfplumber's public table functions with its
    default settings: what its TableFinder does with explicit lines, without a pdfplumber page (the text
    comes from pdfium; pdfplumber would parse the whole page again with pdfminer). pdfplumber is imported
    here, by the first page with ruling lines both ways: importing it loads pdfminer (and its cryptography),
    which a PDF of prose alone does not need."""
    from pdfplumber.table import (
        TableSettings,
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )
    from pdfplumber.utils import filter_edges

    settings = TableSettings.resolve({"vertical_strategy": "explicit", "horizontal_strategy": "explicit"})
    merged = merge_edges(
        edges,
        snap_x_tolerance=settings.snap_x_tolerance,
        snap_y_tolerance=settings.snap_y_tolerance,
        join_x_tolerance=settings.join_x_tolerance,
        join_y_tolerance=settings.join_y_tolerance,
    )
    merged = filter_edges(merged, min_length=settings.edge_min_length)
    points = edges_to_intersections(merged, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    return cells_to_tables(intersections_to_cells(points))


def find_grids(edges: list[dict], page: int) -> list[Grid]:
    """Tables ruled by `edges`; a page needs two rules each way before pdfplumber is asked."""
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    grids = []
    for found in _tables(vertical + horizontal):
        xs = _grid_lines([x for box in found for x in (box[0], box[2])])
        ys = _grid_lines([y for box in found for y in (box[1], box[3])])
        cells = []
        for x0, top, x1, bottom in found:
            row, col = _index(ys, top), _index(xs, x0)
            cells.append(
                Cell(
                    row=row,
                    col=col,
                    text="",
                    row_span=max(1, _index(ys, bottom) - row),
                    col_span=max(1, _index(xs, x1) - col),
                    bbox=BBox(x0=x0, top=top, x1=x1, bottom=bottom),
                    page=page,
                )
            )
        cells.sort(key=lambda cell: (cell.row, cell.col))
        x0, top = min(box[0] for box in found), min(box[1] for box in found)
        x1, bottom = max(box[2] for box in found), max(box[3] for box in found)
        grids.append(
            Grid(
                page=page,
                bbox=BBox(x0=x0, top=top, x1=x1, bottom=bottom),
                n_rows=len(ys) - 1,
                n_cols=len(xs) - 1,
                cells=cells,
                xs=xs,
                ys=ys,
            )
        )
    return grids


def column_lines(table: Table) -> list[float]:
    """x-positions of a table's column rules (from its first page's cells)."""
    first_page = table.pages[0] if table.pages else None
    return _grid_lines(
        [x for cell in table.cells if cell.bbox and cell.page == first_page for x in (cell.bbox.x0, cell.bbox.x1)]
    )


def _row_texts(table: Table, row: int) -> list[str]:
    return [cell.text for cell in table.cells if cell.row == row]


def _columns_within(lines: list[float], following: list[float]) -> bool:
    """Whether every column rule of `following` stands on one of `lines`, the outer two on the outer two."""
    return (
        len(following) >= 2
        and abs(following[0] - lines[0]) <= _SNAP
        and abs(following[-1] - lines[-1]) <= _SNAP
        and all(min(abs(x - line) for line in lines) <= _SNAP for x in following)
    )


def continues(previous: Table, following: Table) -> bool:
    """Whether `following` (first thing on the next page) carries on `previous` (last thing on its page).

    The continuation may show fewer columns (a header row with more cell boundaries stayed behind) or
    more (only a header row with merged cells stood on the page before: 经济分类科目编码 over 类 | 款).
    """
    before, after = column_lines(previous), column_lines(following)
    return _columns_within(before, after) or _columns_within(after, before)


def join(previous: Table, following: Table) -> Table:
    """One table of `previous` and its continuation `following`, on `previous`'s columns.

    A repeated header row is dropped. The top row of the continuation may carry on the last row:
    - a row the page break split (Word's default): few of its cells have text, all under cells of the
      last row; their text is appended there and the row dropped;
    - a vertical merge the page cut: an empty cell under a cell of the last row is that cell carried on
      if the cell above spans rows already or every cell left of it is carried on too (the
      一级/二级指标 columns of indicator tables).
    """
    lines = _grid_lines(column_lines(previous) + column_lines(following))

    def placed(cell: Cell) -> tuple[int, int]:
        assert cell.bbox is not None  # every cell of a ruled PDF table has its box
        col = _index(lines, cell.bbox.x0)
        return col, max(1, _index(lines, cell.bbox.x1) - col)

    if len(lines) - 1 != previous.n_cols:  # the continuation is finer: lay the part before on its columns
        previous = previous.model_copy(
            update={
                "n_cols": len(lines) - 1,
                "cells": [
                    cell.model_copy(update=dict(zip(("col", "col_span"), placed(cell)))) if cell.bbox else cell
                    for cell in previous.cells
                ],
            }
        )

    repeated = 0
    while repeated < min(previous.n_rows, following.n_rows - 1) and _row_texts(following, repeated) == _row_texts(
        previous, repeated
    ):
        repeated += 1
    cells = list(previous.cells)
    above = {
        (cell.col, cell.col_span): position
        for position, cell in enumerate(cells)
        if cell.row + cell.row_span == previous.n_rows
    }
    top_row = sorted((cell for cell in following.cells if cell.row == repeated), key=lambda cell: cell.col)
    spots = [above.get(placed(cell)) for cell in top_row]
    filled_above = sum(1 for position in above.values() if cells[position].text)
    filled_here = sum(1 for cell in top_row if cell.text)
    split_row = None not in spots and 0 < filled_here < filled_above / 2
    carried: set[int] = set()
    for cell, spot in zip(top_row, spots):
        if spot is None:  # only when not split_row: a split row has a spot for every cell
            continue
        if not split_row and (
            cell.text or not cells[spot].text or (len(carried) < top_row.index(cell) and cells[spot].row_span == 1)
        ):
            continue
        carried.add(id(cell))
        cells[spot] = cells[spot].model_copy(
            update={"text": cells[spot].text + cell.text, "row_span": cells[spot].row_span + cell.row_span - split_row}
        )
    shift = previous.n_rows - repeated - split_row
    for cell in following.cells:
        if cell.row >= repeated and id(cell) not in carried:
            col, col_span = placed(cell)
            cells.append(cell.model_copy(update={"row": cell.row + shift, "col": col, "col_span": col_span}))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Table(
        n_rows=previous.n_rows + following.n_rows - repeated - split_row,
        n_cols=len(lines) - 1,
        cells=cells,
        pages=previous.pages + [page for page in following.pages if page not in previous.pages],
    )
