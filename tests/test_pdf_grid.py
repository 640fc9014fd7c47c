"""The PDF grid builder: ruled tables from pdfium's path objects, without pdfplumber.

Pages are drawn here with pdfium's own object API (stroked lines, thin filled rectangles, text), so each
test states its ruling and reads the table back through the whole PDF reader.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.readers import pdf_tables, read
from extractor.readers.pdf_tables import edge, find_grids

HEIGHT = 400.0


def _line(page, x0: float, top: float, x1: float, bottom: float) -> None:
    """A stroked line between two points given top-down."""
    path = pdfium_c.FPDFPageObj_CreateNewPath(x0, HEIGHT - top)
    pdfium_c.FPDFPath_LineTo(path, x1, HEIGHT - bottom)
    pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_NONE, True)
    pdfium_c.FPDFPage_InsertObject(page.raw, path)


def _bar(page, x0: float, top: float, x1: float, bottom: float) -> None:
    """A filled rectangle without a stroke: how some producers draw a thin ruling."""
    rect = pdfium_c.FPDFPageObj_CreateNewRect(x0, HEIGHT - bottom, x1 - x0, bottom - top)
    pdfium_c.FPDFPath_SetDrawMode(rect, pdfium_c.FPDF_FILLMODE_ALTERNATE, False)
    pdfium_c.FPDFPage_InsertObject(page.raw, rect)


def _text(pdf, page, x: float, baseline: float, text: str) -> None:
    obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", 10.0)
    wide = ctypes.create_string_buffer(text.encode("utf-16-le") + b"\0\0")
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, pdfium_c.FPDF_WIDESTRING))
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, HEIGHT - baseline)
    pdfium_c.FPDFPage_InsertObject(page.raw, obj)


def _save(pdf, path):
    pdf.save(path)
    pdf.close()
    return path


def _cells(table) -> list[tuple[int, int, int, int, str]]:
    return [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]


def test_a_missing_inner_ruling_merges_the_cells_it_would_part():
    """Three columns, two rows; the rule between columns 2 and 3 stops at the first row, and the one
    between columns 1 and 2 is drawn in two pieces with a small gap (joined)."""
    xs, ys = (50.0, 150.0, 250.0, 350.0), (100.0, 130.0, 160.0)
    rulings = [edge(xs[0], y, xs[-1], y) for y in ys]
    rulings += [edge(x, ys[0], x, ys[-1]) for x in (xs[0], xs[-1])]
    rulings += [edge(xs[1], ys[0], xs[1], 129.0), edge(xs[1], 131.0, xs[1], ys[-1])]  # a 2-point gap
    rulings.append(edge(xs[2], ys[0], xs[2], ys[1]))  # first row only
    (grid,) = find_grids(rulings, 1)
    assert (grid.n_rows, grid.n_cols) == (2, 3)
    assert [(c.row, c.col, c.row_span, c.col_span) for c in grid.cells] == [
        (0, 0, 1, 1),
        (0, 1, 1, 1),
        (0, 2, 1, 1),
        (1, 0, 1, 1),
        (1, 1, 1, 2),
    ]
    assert grid.cells[-1].bbox is not None and (grid.cells[-1].bbox.x0, grid.cells[-1].bbox.x1) == (150.0, 350.0)


def test_rulings_a_little_apart_snap_onto_one_line_and_a_lone_box_is_no_table():
    """A rule drawn 1 point off its column still bounds the same cells; a framed box (one cell) elsewhere on
    the page is not a table."""
    rulings = [edge(50, y, 250, y) for y in (100, 120, 140)]
    rulings += [edge(50, 100, 50, 140), edge(150, 100, 150, 120), edge(151, 120, 151, 140), edge(250, 100, 250, 140)]
    rulings += [edge(50, 300, 250, 300), edge(50, 330, 250, 330), edge(50, 300, 50, 330), edge(250, 300, 250, 330)]
    (grid,) = find_grids(rulings, 1)
    assert (grid.n_rows, grid.n_cols) == (2, 2) and len(grid.cells) == 4
    assert grid.bbox.bottom == 140


def _ruled_page(pdf) -> None:
    """A page whose rulings are stroked lines for the frame and 0.6-point filled bars inside; the lower row
    has no bar between its two right columns, so its text sits in one cell spanning both."""
    page = pdf.new_page(400, HEIGHT)
    _text(pdf, page, 50, 60, "Ruled table below")
    for y in (100, 160):
        _line(page, 50, y, 350, y)
    for x in (50, 350):
        _line(page, x, 100, x, 160)
    _bar(page, 50, 129.7, 350, 130.3)  # the row rule
    _bar(page, 149.7, 100, 150.3, 160)  # column 1 | 2, both rows
    _bar(page, 249.7, 100, 250.3, 130)  # column 2 | 3, first row only
    for x, baseline, text in ((60, 120, "Item"), (160, 120, "2024"), (260, 120, "2025"), (60, 150, "Total")):
        _text(pdf, page, x, baseline, text)
    _text(pdf, page, 190, 150, "120.50")
    page.gen_content()


RULED_CELLS = [
    (0, 0, 1, 1, "Item"),
    (0, 1, 1, 1, "2024"),
    (0, 2, 1, 1, "2025"),
    (1, 0, 1, 1, "Total"),
    (1, 1, 1, 2, "120.50"),
]


def test_a_pdf_table_ruled_with_lines_and_thin_bars_is_read_with_its_merged_cell(tmp_path):
    pdf = pdfium.PdfDocument.new()
    _ruled_page(pdf)
    document = read(_save(pdf, tmp_path / "ruled.pdf"))
    (table_block,) = [b for b in document.blocks if b.kind == "table"]
    assert _cells(table_block.table) == RULED_CELLS
    assert [b.text for b in document.blocks if b.kind == "paragraph"] == ["Ruled table below"]


def test_a_table_inside_a_form_xobject_keeps_its_rulings(tmp_path):
    """A page placed in another PDF as a form XObject (as imposition and stamping tools do), scaled by half
    and moved: its rulings are inside the form, in the form's space, and still make the table."""
    source = pdfium.PdfDocument.new()
    _ruled_page(source)
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(400, HEIGHT)
    xobject = pdfium_c.FPDF_NewXObjectFromPage(pdf.raw, source.raw, 0)
    form = pdfium_c.FPDF_NewFormObjectFromXObject(xobject)
    pdfium_c.FPDFPageObj_Transform(form, 0.5, 0, 0, 0.5, 100, 20)
    pdfium_c.FPDFPage_InsertObject(page.raw, form)
    page.gen_content()
    pdfium_c.FPDF_CloseXObject(xobject)
    document = read(_save(pdf, tmp_path / "placed.pdf"))
    source.close()
    (table_block,) = [b for b in document.blocks if b.kind == "table"]
    assert _cells(table_block.table) == RULED_CELLS
    box = table_block.table.cells[0].bbox
    assert box is not None  # (50, 100) scaled by half, moved by (100, 20) up: x 125, top 400 - (150 + 20)
    assert (round(box.x0, 1), round(box.top, 1)) == (125.0, 230.0)


def _pdfplumber_tables(rulings) -> list[list[tuple[float, float, float, float]]]:
    """The same rulings through pdfplumber's table finder with explicit lines (its default tolerances), as
    this reader used it before it had its own grid builder."""
    from pdfplumber.table import (
        TableSettings,
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )
    from pdfplumber.utils import filter_edges

    edges = [
        {
            "x0": r.x0,
            "x1": r.x1,
            "top": r.top,
            "bottom": r.bottom,
            "width": r.x1 - r.x0,
            "height": r.bottom - r.top,
            "orientation": "v" if r.vertical else "h",
            "object_type": "line_edge",
        }
        for r in rulings
    ]
    settings = TableSettings.resolve({"vertical_strategy": "explicit", "horizontal_strategy": "explicit"})
    merged = merge_edges(edges, settings.snap_x_tolerance, settings.snap_y_tolerance, 3, 3)
    merged = filter_edges(merged, min_length=settings.edge_min_length)
    points = edges_to_intersections(merged, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    return cells_to_tables(intersections_to_cells(points))


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_the_grid_builder_finds_the_cells_pdfplumbers_table_finder_finds(data):
    """On ruled grids with rules left out, drawn in pieces, a little off their line or too short, both give
    the same tables with the same cell boxes (each table's cells compared as a set)."""
    xs = sorted(data.draw(st.sets(st.integers(0, 40), min_size=2, max_size=7)))
    ys = sorted(data.draw(st.sets(st.integers(0, 40), min_size=2, max_size=7)))
    jitter = st.sampled_from([0.0, 0.0, 0.0, 0.4, -0.7, 1.5, 2.9, 3.5])
    rulings = []
    for y in ys:  # each horizontal rule, segment by segment between columns
        for left, right in zip(xs, xs[1:]):
            if data.draw(st.integers(0, 5)):  # one in six left out
                shift, gap = data.draw(jitter), data.draw(jitter)
                rulings.append(edge(left * 12.0 + abs(gap), y * 10.0 + shift, right * 12.0, y * 10.0 + shift))
    for x in xs:
        for top, bottom in zip(ys, ys[1:]):
            if data.draw(st.integers(0, 5)):
                shift, gap = data.draw(jitter), data.draw(jitter)
                rulings.append(edge(x * 12.0 + shift, top * 10.0 + abs(gap), x * 12.0 + shift, bottom * 10.0))
    ours = [sorted(table) for table in pdf_tables._tables(rulings)]
    theirs = [sorted(table) for table in _pdfplumber_tables(rulings)]
    assert ours == theirs
