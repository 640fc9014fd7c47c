"""OCR of scanned PDF pages, against the text layer they were rendered from.

Scans are made at test time by corpus/make/scanned.py (seal over the text, 1° skew, noise, JPEG, one
page sideways) from a few corpus pages: OCR takes seconds a page, so CI reads four pages in all.
bench/ocr.py measures every page of the corpus. Skipped without the OCR extra, unless
JIXIAO_REQUIRE_OCR=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.checks.confidence import qualify
from extractor.pipeline import build_record
from extractor.readers import ReadOptions, ocr, read
from extractor.records import DocumentInfo, Fact, Finding, Record

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "corpus" / "make"))
import scanned  # noqa: E402

from extractor.config import load_default  # noqa: E402

config = load_default()  # the installed rule set, validated once for these tests

CHANGSHA = ROOT / "corpus" / "changsha_road_project_2024.pdf"
HESHAN = ROOT / "corpus" / "heshan_commerce_2024.pdf"
PDF_FIXTURES = ROOT / "tests" / "fixtures" / "pdf"


@pytest.fixture(scope="module", autouse=True)
def _needs_ocr():
    if not ocr.available():
        if os.environ.get("JIXIAO_REQUIRE_OCR") == "1":
            pytest.fail("JIXIAO_REQUIRE_OCR=1 but the OCR extra is missing (pip install -e '.[ocr]')")
        pytest.skip("the OCR extra (jixiao[ocr]) is not installed")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _money(record: Record, pages: set[int]) -> Counter:
    return Counter((f.value, f.unit) for f in record.facts if f.page in pages)


@pytest.fixture(scope="module")
def changsha_scan(tmp_path_factory):
    """Pages 1 and 2 of the changsha report scanned: page 1 stamped over its body text, page 2 sideways;
    both fed 1° askew. Read with per-page progress."""
    out = scanned.scanned(CHANGSHA, tmp_path_factory.mktemp("scan") / "changsha.pdf", 200, [1, 2], sideways=2)
    told = []
    document = read(out, ReadOptions(ocr=ocr.OcrOptions(progress=lambda *args: told.append(args))))
    return document, build_record(document, config), told


def test_image_only_page_reads_as_its_text_layer():
    """The fixture's page 1 as a 72 dpi bitmap: the same paragraphs as the text layer, word for word."""
    text = [b.text for b in read(PDF_FIXTURES / "paragraphs.pdf").blocks if b.page == 1]
    document = read(PDF_FIXTURES / "scanned.pdf")
    assert document.ocr_pages == [1]
    ocr_text = [b.text for b in document.blocks]
    # the one-page scan keeps its running header (furniture is told by repeating over pages)
    assert [_norm(t) for t in ocr_text[1:]] == [_norm(t) for t in text]


def test_stamped_skewed_and_sideways_scan_keeps_the_figures_and_outline(changsha_scan):
    document, record, told = changsha_scan
    original = build_record(read(CHANGSHA), config)
    assert document.ocr_pages == [1, 2] and [(page, done, total) for page, done, total in told] == [
        (1, 1, 2),
        (2, 2, 2),
    ]
    wanted, found = _money(original, {1, 2}), _money(record, {1, 2})
    assert sum((wanted & found).values()) >= 0.95 * sum(wanted.values()), wanted - found
    title = [(_norm(s.number or ""), _norm(s.title)) for s in original.sections if s.page in (1, 2)]
    assert [(_norm(s.number or ""), _norm(s.title)) for s in record.sections] == title


def test_ocr_figures_carry_page_box_and_confidence(changsha_scan):
    _, record, _ = changsha_scan
    fact = next(f for f in record.facts if f.value == Decimal("1352.60"))  # 全年执行数, on the sideways page
    assert fact.page == 2 and fact.confidence is not None and 0.5 < fact.confidence <= 1
    # the box is on the page set upright (portrait: 595 x 842 points), around the line it was read in
    assert (
        fact.bbox is not None and 0 < fact.bbox.x0 < fact.bbox.x1 <= 596 and 0 < fact.bbox.top < fact.bbox.bottom <= 842
    )


def test_mixed_pdf_is_read_page_by_page(tmp_path):
    """heshan with page 6 (eight money figures) scanned and stamped, the rest text: OCR only there, its figures kept."""
    out = scanned.mixed(HESHAN, tmp_path / "mixed.pdf", [6])
    document = read(out)
    assert document.ocr_pages == [6]
    # only page 6's lines carry OCR scores (a paragraph going on from page 5 carries them for its page-6 part)
    assert {span.page for b in document.blocks for span in b.ocr} == {6}
    original, record = build_record(read(HESHAN), config), build_record(document, config)
    wanted, found = _money(original, {6}), _money(record, {6})
    assert len(wanted) >= 5 and sum((wanted & found).values()) >= 0.95 * sum(wanted.values()), wanted - found
    assert _money(record, set(range(1, 18)) - {6}) == _money(original, set(range(1, 18)) - {6})


def test_scanned_table_rows(tmp_path):
    """The 项目支出绩效自评表 page of changsha scanned (stamped over the table): its ruled grid found in
    the image, and most rows read cell for cell."""
    out = scanned.scanned(CHANGSHA, tmp_path / "table.pdf", 200, [5], sideways=None)
    rows = [tuple(_norm(c) for c in row) for b in read(out).blocks if b.table for row in b.table.grid()]
    text = [
        tuple(_norm(c) for c in row) for b in read(CHANGSHA).blocks if b.table and b.page == 5 for row in b.table.grid()
    ][: len(rows)]
    assert len(rows) == 23  # the page's part of the 33-row table
    assert sum(row in text for row in rows) >= 0.8 * len(rows)


# ---------------------------------------------------------------- findings on unsure figures (no OCR run)


def _fact(fid: str, confidence: float | None) -> Fact:
    return Fact(
        id=fid,
        label="基本支出",
        key=None,
        value=Decimal("717.79"),
        unit="万元",
        currency="CNY",
        amount=Decimal("7177900"),
        decimals=2,
        section=None,
        page=3,
        block=0,
        start=0,
        end=9,
        sentence="基本支出717.79万元",
        confidence=confidence,
    )


def _record(*facts: Fact) -> Record:
    return Record(
        tool_version="test", document=DocumentInfo(path="x.pdf", sha256="", format="pdf", pages=3), facts=list(facts)
    )


def test_an_error_on_a_low_confidence_figure_is_a_warning_that_says_so():
    error = Finding(
        rule="A102",
        category="arithmetic",
        severity="error",
        message="基本支出不等于人员经费与公用经费之和",
        facts=["F1", "F2"],
    )
    unsure, sure = (
        qualify(config, [error], _record(_fact("F1", 0.82), _fact("F2", 0.99)))[0],
        qualify(config, [error], _record(_fact("F1", 0.97), _fact("F2", None)))[0],
    )
    assert (
        unsure.severity == "warning" and "OCR" in unsure.message and "F1" in unsure.message and "0.82" in unsure.message
    )
    assert sure == error


def test_table_cells_read_by_ocr_are_set_right_only_where_a_scan_misleads():
    assert [ocr.clean_cell(t) for t in ("一", "-", "6.", "0.00.", "≥50个.", "96.06%:")] == [
        "—",
        "—",
        "6",
        "0.00",
        "≥50个",
        "96.06%",
    ]
    # text that merely looks alike is left as read
    assert [ocr.clean_cell(t) for t in ("一级指标", "完成。", "增长:5%", "3.5")] == [
        "一级指标",
        "完成。",
        "增长:5%",
        "3.5",
    ]
