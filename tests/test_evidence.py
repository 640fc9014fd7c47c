"""Evidence images of PDF findings, over a batch of the corpus.

Every finding on a PDF gets an image of each page its figures stand on; the red box drawn in it, read back from the pixels and mapped to
page points through the image's region, must cover the figure where pdfplumber (a second, independent
reader of the same PDF) finds its printed text on that page.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from extractor.batch import BatchOptions, run_batch
from extractor.config import load_default
from extractor.report.evidence import Mark, PdfEvidence
from extractor.report.html import render_report, report_data
from extractor.store.duckdb import Store

config = load_default()  # the installed rule set, validated once for these tests

CORPUS = Path(__file__).parent.parent / "corpus"
TOLERANCE = 3.0  # points


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("evidence") / "corpus.duckdb"
    run_batch([CORPUS], db, config, BatchOptions(workers=2, timeout=120))
    return db


@pytest.fixture(scope="module")
def data(corpus_db: Path) -> dict:
    with Store(corpus_db, config, read_only=True) as store:
        return report_data(config, store)


def red_box(png: bytes) -> tuple[int, int, int, int]:
    """Pixel bounds of the red box drawn into an image."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    xs, ys = [], []
    for y in range(image.height):
        for x in range(image.width):
            r, g, b = image.getpixel((x, y))
            if r > 150 and g < 90 and b < 90:
                xs.append(x)
                ys.append(y)
    assert xs, "no red box in the image"
    return min(xs), min(ys), max(xs), max(ys)


def same_region(box: tuple[float, float, float, float], hit: dict) -> bool:
    """The box covers the printed figure: the same left and right edges, and the line it stands on (pdfium's
    glyph boxes are tighter in height than pdfplumber's font-size boxes)."""
    middle, height = (hit["top"] + hit["bottom"]) / 2, hit["bottom"] - hit["top"]
    return (
        abs(box[0] - hit["x0"]) <= TOLERANCE
        and abs(box[2] - hit["x1"]) <= TOLERANCE
        and box[1] < middle < box[3]
        and 0.5 * height <= box[3] - box[1] <= 1.5 * height
    )


def covers(box: tuple[float, float, float, float], hit: dict) -> bool:
    """The boxes drawn (their union) cover a pdfplumber hit: its left and right edges and its middle."""
    middle = (hit["top"] + hit["bottom"]) / 2
    return box[0] <= hit["x0"] + TOLERANCE and box[2] >= hit["x1"] - TOLERANCE and box[1] < middle < box[3]


def printed_region(pdf: Path, page: int, printed: str) -> list[dict]:
    """Where pdfplumber finds `printed` on the page (spaces between characters allowed)."""
    pattern = r"\s*".join(re.escape(ch) for ch in printed if not ch.isspace())
    with pdfplumber.open(pdf) as document:
        return document.pages[page - 1].search(pattern, regex=True)


def boxed_region(image: dict) -> tuple[float, float, float, float]:
    """The red box of an evidence image, read from its pixels, in page points."""
    png = base64.b64decode(image["src"].split(",", 1)[1])
    x0, top, x1, bottom = red_box(png)
    left, upper, right, _ = image["region"]
    scale = image["width"] / (right - left)
    return left + x0 / scale, upper + top / scale, left + x1 / scale, upper + bottom / scale


def test_changsha_text_against_table_findings_box_both_sides(data: dict):
    """changsha's two C102 findings compare a figure of the prose (page 2) with the table (page 5): one image
    of each page, the prose figure boxed in the first and the table's value, in the row the message names,
    in the second."""
    pdf_docs = {d["doc_id"]: d for d in data["documents"] if d["format"] == "pdf"}
    on_pdf = [f for f in data["findings"] if f["doc_id"] in pdf_docs and f["rule"] == "C102"]
    assert len(on_pdf) == 2
    facts = {(x["doc_id"], x["id"]): x for x in data["facts"]}
    blocks = {(b["doc_id"], b["block"]): b for b in data["blocks"]}
    for finding in on_pdf:
        pdf = Path(pdf_docs[finding["doc_id"]]["path"])
        (fact,) = [facts[(finding["doc_id"], i)] for i in finding["facts"]]
        assert [image["page"] for image in finding["evidence"]] == [fact["page"], finding["page"]]
        prose, table = (boxed_region(image) for image in finding["evidence"])
        text = blocks[(finding["doc_id"], fact["block"])]["text"][fact["start"] : fact["end"]]
        found = printed_region(pdf, fact["page"], text)
        assert any(same_region(prose, hit) for hit in found), (text, prose, found)
        (row,) = printed_region(pdf, finding["page"], "年度资金总额")
        in_row = [
            hit for hit in printed_region(pdf, finding["page"], finding["stated"]) if abs(hit["top"] - row["top"]) < 4
        ]
        assert len(in_row) == 1 and same_region(table, in_row[0]), (finding["stated"], table, in_row)


def test_every_pdf_finding_of_the_corpus_has_its_figures_boxed_on_their_pages(data: dict):
    """Every finding on a PDF has an image of each page its figures stand on (a crop, not the page), whose
    boxes cover the first figure: as printed in the prose, or a table row's indicator name."""
    pdf_docs = {d["doc_id"]: d for d in data["documents"] if d["format"] == "pdf"}
    on_pdf = [f for f in data["findings"] if f["doc_id"] in pdf_docs]
    assert len(on_pdf) >= 2
    assert all(f["evidence"] == [] for f in data["findings"] if f["doc_id"] not in pdf_docs)
    facts = {(x["doc_id"], x["id"]): x for x in data["facts"]}
    blocks = {(b["doc_id"], b["block"]): b for b in data["blocks"]}
    for finding in on_pdf:
        figures = [facts[(finding["doc_id"], i)] for i in finding["facts"]]
        assert figures, finding["message"]
        assert {x["page"] for x in figures} <= {image["page"] for image in finding["evidence"]}
        for image in finding["evidence"]:
            png = base64.b64decode(image["src"].split(",", 1)[1])
            assert image["src"].startswith("data:image/webp;base64,") and len(png) < 60_000
            assert image["height"] < image["width"]  # a strip of the page
        first = figures[0]
        if first["start"] is not None:
            printed = blocks[(finding["doc_id"], first["block"])]["text"][first["start"] : first["end"]]
        else:  # a name wrapped in its cell: pdfplumber reads the row's other cells between its lines
            printed = (first["level3"] or first["label"])[:4]
        (image,) = [i for i in finding["evidence"] if i["page"] == first["page"]]
        boxed = boxed_region(image)
        found = printed_region(Path(pdf_docs[finding["doc_id"]]["path"]), first["page"], printed)
        assert any(covers(boxed, hit) for hit in found), (printed, boxed, found)


def test_the_report_embeds_the_images_and_stays_self_contained(corpus_db: Path, data: dict):
    html = render_report(config, corpus_db)
    images = sum(len(f["evidence"]) for f in data["findings"])
    assert images >= 4 and html.count("data:image/webp;base64,") == images
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "data:image" not in render_report(config, corpus_db, images=False)


def test_an_occurrence_is_chosen_by_its_neighbours():
    """Page 2 of the changsha PDF prints 392.40万元 twice (县道 and 乡道): the box follows the words around it."""
    pdf = CORPUS / "changsha_road_project_2024.pdf"
    first, second = printed_region(pdf, 2, "392.40万元")
    with PdfEvidence() as renderer:
        for before, hit in (("其中：县道日常养护支出", first), ("万元，乡道日常养护支出", second)):
            (evidence,) = renderer.render(pdf, [Mark(2, "392.40万元", before, "，")])
            (box,) = evidence.boxes
            assert same_region(box, hit) and not same_region(box, first if hit is second else second)


def test_a_missing_file_or_unfound_text_gives_no_image(tmp_path: Path):
    with PdfEvidence() as renderer:
        assert renderer.render(tmp_path / "gone.pdf", [Mark(1, "1,352.60万元")]) == []
        assert renderer.render(CORPUS / "changsha_road_project_2024.pdf", [Mark(2, "不在此页的文字")]) == []
        assert renderer.render(CORPUS / "changsha_road_project_2024.pdf", [Mark(99, "1,352.60万元")]) == []
