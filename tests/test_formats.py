"""Every format a department publishes: sniffing by content, spreadsheets, legacy office files through
LibreOffice, and a batch over a folder of all of them.

The LibreOffice tests make their .doc/.xls from the corpus's .docx/.xlsx at test time (LibreOffice
writes them) and read them back: the record must be the one of the file they were saved from.
They skip without LibreOffice, unless JIXIAO_REQUIRE_LIBREOFFICE=1 (CI), where they fail.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from extractor.cli import main
from extractor.config import load_default
from extractor.errors import ReadError
from extractor.pipeline import process
from extractor.readers import legacy, ocr, read, sniff_format
from extractor.records import Record

config = load_default()  # the installed rule set, validated once for these tests

CORPUS = Path(__file__).parent.parent / "corpus"
SELFEVAL_XLSX = CORPUS / "changsha_road_project_2024_selfeval.xlsx"
SELFEVAL_DOCX = CORPUS / "make" / "src" / "changsha_road_project_2024.docx"  # the report the table is attached to
MAOMING_DOCX = CORPUS / "maoming_agri_2024.docx"
LEGACY = Path(__file__).parent / "fixtures" / "legacy"  # tiny.doc: one paragraph saved as Word 97 by LibreOffice
KPI_FIELDS = (
    "level1",
    "level1_weight",
    "level2",
    "level3",
    "target",
    "target_comparator",
    "target_value",
    "target_unit",
    "actual",
    "actual_value",
    "weight",
    "score",
    "deviation_reason",
)


def _need(available: bool, variable: str, what: str) -> None:
    if not available:
        if os.environ.get(variable) == "1":
            pytest.fail(f"{variable}=1 but {what} is missing")
        pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def legacy_copies(tmp_path_factory) -> dict[str, Path]:
    """maoming as .doc and .wps, the self-evaluation workbook as .xls and .et, written by LibreOffice.
    WPS Office writes .wps and .et in the Word 97 and Excel 97 binary formats (LibreOffice has no
    writer for the WPS names), so the .wps and .et are those bytes under WPS's names."""
    _need(legacy.soffice() is not None, "JIXIAO_REQUIRE_LIBREOFFICE", "LibreOffice (soffice)")
    folder = tmp_path_factory.mktemp("legacy")
    doc = legacy.save_as(MAOMING_DOCX, MAOMING_DOCX.read_bytes(), ".docx", "doc")
    xls = legacy.save_as(SELFEVAL_XLSX, SELFEVAL_XLSX.read_bytes(), ".xlsx", "xls")
    copies = {
        "doc": folder / "maoming_agri_2024.doc",
        "wps": folder / "maoming_agri_2024.wps",
        "xls": folder / "selfeval.xls",
        "et": folder / "selfeval.et",
    }
    for name, data in (("doc", doc), ("wps", doc), ("xls", xls), ("et", xls)):
        copies[name].write_bytes(data)
    return copies


def _content(record: Record) -> dict:
    """A record without what names the file (path, hash, format)."""
    return record.model_dump(exclude={"document": {"path", "sha256", "format"}})


def _table_kpis(record: Record) -> list[tuple]:
    return [tuple(getattr(k, f) for f in KPI_FIELDS) for k in record.kpis if k.source == "table"]


# ---------------------------------------------------------------- sniffing


def test_zip_is_told_by_its_members(tmp_path):
    """A workbook named .docx is read as a workbook, a report named .xlsx as a report."""
    workbook = tmp_path / "form.docx"
    workbook.write_bytes(SELFEVAL_XLSX.read_bytes())
    report = tmp_path / "report.xlsx"
    report.write_bytes(MAOMING_DOCX.read_bytes())
    assert read(workbook).format == "xlsx"
    assert read(report).format == "docx"


def test_ole_and_markup_are_told_by_content(tmp_path):
    html = b"<!DOCTYPE html><html><body><p>x</p></body></html>"
    assert sniff_format(tmp_path / "page.doc", html) == "html"  # a web page saved as .doc
    assert sniff_format(tmp_path / "letter.doc", b"{\\rtf1\\ansi hello}") == "rtf"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "x")
    with pytest.raises(ReadError, match="neither a .docx nor an .xlsx"):
        sniff_format(tmp_path / "bundle.zip", buffer.getvalue())
    assert sniff_format(tmp_path / "report.doc", (LEGACY / "tiny.doc").read_bytes()) == "doc"
    assert sniff_format(tmp_path / "report.wps", (LEGACY / "tiny.doc").read_bytes()) == "wps"
    assert sniff_format(tmp_path / "report.bin", (LEGACY / "tiny.doc").read_bytes()) == "doc"


# ---------------------------------------------------------------- spreadsheets


def test_selfeval_workbook_gives_the_typed_table_of_the_report():
    """The 自评表 as a workbook: the same EvalTable and table KPIs as the same table inside the .docx."""
    sheet, report = process(SELFEVAL_XLSX, config), process(SELFEVAL_DOCX, config)
    assert _table_kpis(sheet) == _table_kpis(report)
    assert len(_table_kpis(sheet)) == 22  # the table's 22 三级指标 rows (corpus/make/changsha.py)
    ours, theirs = sheet.tables[0], report.tables[0]
    assert ours.kind == "project_self_eval_table" and ours.total_score == Decimal("99.48")
    assert ours.unit == "万元" and ours.project == "2024年农村公路养护项目"
    same = {"row"}  # grid rows differ: a sheet's rows are its own (title and unit rows above the table)
    assert [b.model_dump(exclude=same) for b in ours.budget_rows] == [
        b.model_dump(exclude=same) for b in theirs.budget_rows
    ]
    first = sheet.kpis[0]
    assert first.level3 == "县道日常养护里程" and first.target == "=218公里" and first.score == Decimal("4")


def test_target_workbook_indicators_and_the_wan_label_holding_yuan():
    """The 绩效目标申报表 workbook (corpus/make/workbooks.py): each sheet's indicators are table KPIs, and sheet 2's
    项目总金额（万元） of 24800000 (yuan, as its 成本指标 ≤2480万元 shows) is flagged by the target review's P110."""
    record = process(CORPUS / "xiangyue_road_targets_2025.xlsx", config)
    costs = [(k.level2, k.level3, k.target_value, k.target_unit) for k in record.kpis if k.level2 == "成本指标"]
    assert costs == [
        ("成本指标", "项目总成本", Decimal("860"), "万元"),
        ("成本指标", "项目总成本", Decimal("2480"), "万元"),
    ]
    assert len([k for k in record.kpis if k.source == "table"]) == 10
    quirk = [f for f in record.findings if f.rule == "P110"]
    assert [(f.project, f.stated) for f in quirk] == [("431123250002", Decimal("24800000"))]
    assert "2480万元" in quirk[0].message


# ---------------------------------------------------------------- legacy office files


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["doc", "wps"])
def test_word_binary_gives_the_record_of_its_docx(legacy_copies, fmt):
    record = process(legacy_copies[fmt], config)
    assert record.document.format == fmt
    assert _content(record) == _content(process(MAOMING_DOCX, config))
    assert record.facts and record.kpis  # not two empty records agreeing


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "et"])
def test_excel_binary_gives_the_record_of_its_xlsx(legacy_copies, fmt):
    record = process(legacy_copies[fmt], config)
    assert record.document.format == fmt
    assert _content(record) == _content(process(SELFEVAL_XLSX, config))
    assert len(_table_kpis(record)) == 22


def test_without_libreoffice_one_line_names_the_package(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    path = tmp_path / "report.doc"
    path.write_bytes((LEGACY / "tiny.doc").read_bytes())
    code = main(["parse", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err and "apt-get install libreoffice-writer-nogui" in err


def test_conversion_timeout_is_one_line(tmp_path, monkeypatch):
    """A conversion that hangs is stopped and said in one line (a shell script stands in for soffice)."""
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(legacy, "soffice", lambda: str(fake))
    with pytest.raises(ReadError, match="did not convert it within 1 s"):
        legacy.convert(tmp_path / "slow.doc", b"x", "doc", timeout=1)
    assert not list(Path(legacy.tempfile.gettempdir()).glob("jixiao-soffice-*/input.doc"))


# ---------------------------------------------------------------- a folder of everything


@pytest.mark.libreoffice
@pytest.mark.ocr
def test_batch_over_a_mixed_folder_stores_every_document(legacy_copies, tmp_path, capsys):
    _need(ocr.available(), "JIXIAO_REQUIRE_OCR", "the OCR extra (jixiao[ocr])")
    folder = tmp_path / "downloads"
    folder.mkdir()
    sources = [
        CORPUS / "changsha_road_project_2024.pdf",
        Path(__file__).parent / "fixtures" / "pdf" / "scanned.pdf",
        CORPUS / "heshan_commerce_2024.docx",
        legacy_copies["doc"],
        SELFEVAL_XLSX,
        CORPUS / "hubei_health_2024.html",
        CORPUS / "yunnan_edu_2024.txt",
    ]
    for source in sources:
        shutil.copy(source, folder / source.name)
    (folder / "notes.md").write_text(
        "# 思澜县教育体育局2024年度部门整体支出绩效自评报告\n\n## 一、部门基本情况\n\n"
        "2024年度部门收入合计3,210.50万元，其中一般公共预算拨款3,100.00万元。\n\n"
        "| 项目 | 金额（万元） |\n|---|---|\n| 基本支出 | 2,400.00 |\n| 项目支出 | 810.50 |\n",
        encoding="utf-8",
    )
    db = tmp_path / "all.duckdb"
    # exit 1: error findings (the corpus's deliberate errors); 2 would mean a file was not stored
    assert main(["batch", str(folder), "--db", str(db), "--workers", "2", "--quiet"]) == 1
    with duckdb.connect(str(db), read_only=True) as con:
        stored = dict(con.execute("select path, format from documents").fetchall())
    assert {Path(p).name: f for p, f in stored.items()} == {
        "changsha_road_project_2024.pdf": "pdf",
        "scanned.pdf": "pdf",
        "heshan_commerce_2024.docx": "docx",
        "maoming_agri_2024.doc": "doc",
        SELFEVAL_XLSX.name: "xlsx",
        "hubei_health_2024.html": "html",
        "yunnan_edu_2024.txt": "txt",
        "notes.md": "md",
    }
