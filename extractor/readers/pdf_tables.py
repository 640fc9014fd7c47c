"""Ruled tables of a PDF page: ruling lines from pdfium's path objects, cells from our own grid builder.

The rulings are the straight horizontal and vertical segments of the page's path objects (a thin filled
rectangle gives two close parallel segments, which snap into one ruling), read through pdfium's raw API
in well under a millisecond a page. The grid builder follows the table finder of pdfplumber (MIT), with
its default tolerances, on which this reader's output was checked: rulings within a few points snap to
one line and join where they nearly touch, every crossing of a horizontal and a vertical ruling is a
corner, and a cell is the smallest rectangle whose four corners are joined by rulings, so a cell whose
inner ruling is missing comes out merged, one box over several grid positions (its spans counted from the
grid lines). Cells sharing a corner form one table. pdfplumber itself would parse the page again with
pdfminer first (~50 ms a page, and its import) for what pdfium already has.
"""

from __future__ import annotations

import bisect
import ctypes
from collections import defaultdict
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import NamedTuple

import pypdfium2.raw as pdfium_c

from ..records import BBox, Cell, Table
from . import pdfium_calls

_AXIS_SLACK = 0.5  # points a ruling line may lean and still count as horizontal / vertical
_MIN_EDGE = 3.0  # points; shorter strokes are glyph-like marks, not rules
_SNAP = 2.0  # points within which two grid lines are one
# the grid builder's tolerances, in points (pdfplumber's defaults)
_RULE_SNAP = 3  # parallel rulings this close lie on one line (moved to their mean)
_RULE_JOIN = 3  # rulings on one line with a gap this small are one ruling
_RULE_MIN = 3  # a joined ruling shorter than this is no ruling
_CROSSING = 3  # a ruling ending this close to another still crosses it


@dataclass(slots=True)
class Ruling:
    """A horizontal (top == bottom) or vertical (x0 == x1) ruling line, top-left origin."""

    x0: float
    top: float
    x1: float
    bottom: float
    vertical: bool
    length: float

    def position(self) -> float:
        """Where it stands across its direction: x of a vertical ruling, y of a horizontal one."""
        return self.x0 if self.vertical else self.top

    def box(self) -> tuple[float, float, float, float]:
        return self.x0, self.top, self.x1, self.bottom


class GridCell(NamedTuple):
    """A cell of a grid before its text: its first grid position, the positions it spans, its box."""

    row: int
    col: int
    row_span: int
    col_span: int
    bbox: BBox


@dataclass
class Grid:
    """A ruled table found on one page: its cells' positions, without text yet."""

    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: list[GridCell]  # top to bottom, left to right
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


def edge(x0: float, top: float, x1: float, bottom: float) -> Ruling:
    """A ruling line from its ends (horizontal when top == bottom)."""
    vertical = abs(bottom - top) > abs(x1 - x0)
    return Ruling(x0, top, x1, bottom, vertical, bottom - top if vertical else x1 - x0)


Matrix = tuple[float, float, float, float, float, float]  # a, b, c, d, e, f as in PDF


def _matrix(obj: pdfium_calls.Handle) -> Matrix:
    matrix = pdfium_c.FS_MATRIX()
    pdfium_calls.OBJECT_MATRIX(obj, ctypes.byref(matrix))
    return matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f


def _then(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix that applies `inner`, then `outer`."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _path_objects(objects: list[pdfium_calls.Handle], outer: Matrix | None):
    """The path objects among `objects`, each with the matrix from its container to the page (None:
    the page itself). Form XObjects are gone into: a page placed in another PDF as a form keeps its rulings
    there."""
    for obj, kind in zip(objects, map(pdfium_calls.OBJECT_TYPE, objects)):
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj, outer
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            placed = _matrix(obj) if outer is None else _then(_matrix(obj), outer)
            count = pdfium_calls.FORM_OBJECT_COUNT(obj)
            yield from _path_objects(list(map(pdfium_calls.FORM_OBJECT, repeat(obj, count), range(count))), placed)


def _segments(path: pdfium_calls.Handle, outer: Matrix | None, height: float):
    """Straight segments of a path object, in page space with a top-left origin."""
    a, b, c, d, e, f = _matrix(path) if outer is None else _then(_matrix(path), outer)
    x = ctypes.c_float()
    y = ctypes.c_float()
    x_at, y_at = ctypes.byref(x), ctypes.byref(y)
    point_of, kind_of, closes = pdfium_calls.SEGMENT_POINT, pdfium_calls.SEGMENT_TYPE, pdfium_calls.SEGMENT_CLOSES
    moveto, lineto = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO
    start = current = None
    count = pdfium_calls.SEGMENT_COUNT(path)
    for segment in map(pdfium_calls.SEGMENT, repeat(path, count), range(count)):
        point_of(segment, x_at, y_at)
        point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        kind = kind_of(segment)
        if kind == moveto:
            start = point
        elif kind == lineto and current is not None:
            yield current, point
        current = point  # a Bézier control point moves the pen too; curves are never rules
        if closes(segment) and start is not None:
            yield current, start
            current = start


def page_edges(page, height: float) -> list[Ruling]:
    """Horizontal and vertical ruling lines of a pdfium page."""
    edges = []
    # the raw API: pypdfium2's get_objects wraps every text object in Python first, ~4 ms a page
    handle = page.raw
    count = pdfium_c.FPDFPage_CountObjects(handle)
    objects = list(map(pdfium_calls.PAGE_OBJECT, repeat(handle, count), range(count)))
    for path, outer in _path_objects(objects, None):
        for (ax, ay), (bx, by) in _segments(path, outer, height):
            if abs(ay - by) <= _AXIS_SLACK and abs(ax - bx) >= _MIN_EDGE:
                edges.append(Ruling(min(ax, bx), ay, max(ax, bx), ay, False, max(ax, bx) - min(ax, bx)))
            elif abs(ax - bx) <= _AXIS_SLACK and abs(ay - by) >= _MIN_EDGE:
                edges.append(Ruling(ax, min(ay, by), ax, max(ay, by), True, max(ay, by) - min(ay, by)))
    return edges


# ---------------------------------------------------------------- the grid builder


def _snapped(rulings: list[Ruling]) -> list[Ruling]:
    """Rulings of one direction moved onto shared lines: positions that follow each other within _RULE_SNAP
    form one line, at their mean (kept in input order within a line, lines in order of position)."""
    lines: dict[float, int] = {}  # position -> its line's number
    line, last = -1, None
    for value in sorted({r.position() for r in rulings}):
        if last is None or value > last + _RULE_SNAP:  # a chain: each within _RULE_SNAP of the one before
            line += 1
        lines[value], last = line, value
    members: dict[int, list[Ruling]] = defaultdict(list)
    for ruling in rulings:
        members[lines[ruling.position()]].append(ruling)
    out = []
    for line in sorted(members):
        group = members[line]
        mean = sum(r.position() for r in group) / len(group)
        for r in group:
            shift = mean - r.position()  # as a shift, the way pdfplumber moves it (the same float)
            if r.vertical:
                out.append(Ruling(r.x0 + shift, r.top, r.x1 + shift, r.bottom, True, r.length))
            else:
                out.append(Ruling(r.x0, r.top + shift, r.x1, r.bottom + shift, False, r.length))
    return out


def _joined(rulings: list[Ruling]) -> list[Ruling]:
    """Rulings of one direction snapped and joined: on one line, one that starts within _RULE_JOIN of the end
    of the one before extends it; the joined rulings shorter than _RULE_MIN are dropped."""
    by_line: dict[float, list[Ruling]] = defaultdict(list)
    for ruling in _snapped(rulings):
        by_line[ruling.position()].append(ruling)
    out = []
    for line in sorted(by_line):
        vertical = by_line[line][0].vertical
        ordered = sorted(by_line[line], key=(lambda r: r.top) if vertical else (lambda r: r.x0))
        joined = [ordered[0]]
        for r in ordered[1:]:
            last = joined[-1]
            if vertical and r.top <= last.bottom + _RULE_JOIN:
                if r.bottom > last.bottom:
                    joined[-1] = Ruling(
                        last.x0, last.top, last.x1, r.bottom, True, last.length + (r.bottom - last.bottom)
                    )
            elif not vertical and r.x0 <= last.x1 + _RULE_JOIN:
                if r.x1 > last.x1:
                    joined[-1] = Ruling(last.x0, last.top, r.x1, last.bottom, False, r.x1 - last.x0)
            else:
                joined.append(r)
        out += [r for r in joined if r.length >= _RULE_MIN]
    return out


def _corners(vertical: list[Ruling], horizontal: list[Ruling]) -> dict[tuple[float, float], tuple[set, set]]:
    """Every crossing of a vertical and a horizontal ruling (within _CROSSING), with the boxes of the
    rulings through it: (vertical ones, horizontal ones)."""
    corners: dict[tuple[float, float], tuple[set, set]] = {}
    horizontal = sorted(horizontal, key=attrgetter("top"))
    tops = [h.top for h in horizontal]
    boxes = [h.box() for h in horizontal]
    for v in vertical:
        box = v.box()
        # the rulings across at heights it reaches, found by bisection in a window a point wider than
        # _CROSSING each way (whatever the rounding of the test below), then tested exactly
        start = bisect.bisect_left(tops, v.top - _CROSSING - 1)
        for k in range(start, bisect.bisect_right(tops, v.bottom + _CROSSING + 1)):
            h = horizontal[k]
            if (
                v.top <= h.top + _CROSSING
                and v.bottom >= h.top - _CROSSING
                and h.x0 - _CROSSING <= v.x0 <= h.x1 + _CROSSING
            ):
                through = corners.get((v.x0, h.top))
                if through is None:
                    corners[(v.x0, h.top)] = through = (set(), set())
                through[0].add(box)
                through[1].add(boxes[k])
    return corners


def _cells(corners: dict[tuple[float, float], tuple[set, set]]) -> list[tuple[float, float, float, float]]:
    """The cells the corners make: from each corner, the smallest rectangle to a corner below and to the right
    whose sides are rulings (the nearest corner below first, then the nearest to the right)."""
    columns: dict[float, list[float]] = defaultdict(list)  # x -> the corners' y, top to bottom
    rows: dict[float, list[float]] = defaultdict(list)  # y -> the corners' x, left to right
    points = sorted(corners)
    for x, y in points:
        columns[x].append(y)
        rows[y].append(x)
    cells = []
    for x, y in points:
        cell = _cell(corners, x, y, columns[x], rows[y])
        if cell:
            cells.append(cell)
    return cells


def _cell(
    corners: dict[tuple[float, float], tuple[set, set]], x: float, y: float, column: list[float], row: list[float]
) -> tuple[float, float, float, float] | None:
    """The cell whose top-left corner is (x, y), if any; `column` and `row` are the corners' positions
    through it. The corners below it that share a vertical ruling with it are the first ones of its column:
    a ruling through it reaches every corner down to its end (each has a ruling across that meets it,
    within _CROSSING), and none after; the same for the corners to its right. So both are walked from the
    nearest, only as far as the cell is found."""
    down, across = corners[(x, y)]
    right = row[bisect.bisect(row, x) :]
    for b in column[bisect.bisect(column, y) :]:
        if down.isdisjoint(corners[(x, b)][0]):
            return None
        for r in right:
            if across.isdisjoint(corners[(r, y)][1]):
                break
            if (
                (r, b) in corners
                and not corners[(r, b)][0].isdisjoint(corners[(r, y)][0])
                and not corners[(r, b)][1].isdisjoint(corners[(x, b)][1])
            ):
                return x, y, r, b
    return None


def _tables(rulings: list[Ruling]) -> list[list[tuple[float, float, float, float]]]:
    """The cell boxes of each table the rulings make: cells that share a corner are one table; a lone cell
    is a box, not a table. Tables top to bottom, then left to right."""
    joined = _joined([r for r in rulings if not r.vertical]) + _joined([r for r in rulings if r.vertical])
    cells = _cells(_corners([r for r in joined if r.vertical], [r for r in joined if not r.vertical]))
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            if corner in owner:
                parent[root(i)] = root(owner[corner])
            else:
                owner[corner] = i
    groups: dict[int, list[tuple[float, float, float, float]]] = defaultdict(list)
    for i, cell in enumerate(cells):
        groups[root(i)].append(cell)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: min((c[1], c[0]) for c in g))


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


def find_grids(edges: list[Ruling], page: int) -> list[Grid]:
    """Tables ruled by `edges`; a page needs two rules each way to have one."""
    if sum(e.vertical for e in edges) < 2 or sum(not e.vertical for e in edges) < 2:
        return []
    grids = []
    for found in _tables(edges):
        x_values = [x for box in found for x in (box[0], box[2])]
        y_values = [y for box in found for y in (box[1], box[3])]
        xs, ys = _grid_lines(x_values), _grid_lines(y_values)
        # the cells' sides stand on few distinct positions: each placed once
        column = {x: _index(xs, x) for x in set(x_values)}
        row_at = {y: _index(ys, y) for y in set(y_values)}
        cells = []
        for x0, top, x1, bottom in found:
            row, col = row_at[top], column[x0]
            cells.append(
                GridCell(
                    row,
                    col,
                    max(1, row_at[bottom] - row),
                    max(1, column[x1] - col),
                    BBox(x0=x0, top=top, x1=x1, bottom=bottom),
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
