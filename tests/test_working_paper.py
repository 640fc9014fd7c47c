"""The working paper (`jixiao export --format xlsx --findings-only`) and the review columns of the other
exports, over a batch of three corpus reports with decisions recorded as `jixiao review` records them."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from PIL import Image

from extractor.batch import BatchOptions, run_batch
from extractor.cli import main
from extractor.config import load_default
from extractor.store.duckdb import Store
from extractor.store.reviews import record_decision

config = load_default()  # the installed rule set, validated once for these tests

CORPUS = Path(__file__).parent.parent / "corpus"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("paper")
    for name in ("changsha_road_project_2024.pdf", "maoming_agri_2024.docx", "yunnan_edu_2024.txt"):
        shutil.copyfile(CORPUS / name, folder / name)
    db = folder / "t.duckdb"
    run_batch([folder], db, config, BatchOptions(workers=2, timeout=120))
    with Store(db, config) as store:
        for doc_id, seq, rule in store.query(
            "SELECT doc_id, seq, rule FROM findings WHERE rule IN ('C102', 'T101', 'T104')"
        )[1]:
            status = "dismissed" if rule == "T104" else "confirmed"
            record_decision(store, doc_id, seq, status, f"{rule} 已核对", "审计员甲")
    return db


def confirmed(db: Path) -> dict[str, list[tuple[str, str]]]:
    """Department -> (rule, message) of the confirmed findings, from the database."""
    with Store(db, config, read_only=True) as store:
        rows = store.query(
            """SELECT d.department, f.rule, f.message FROM findings f JOIN documents d USING (doc_id)
               WHERE f.rule IN ('C102', 'T101') ORDER BY d.department, f.seq"""
        )[1]
    out: dict[str, list[tuple[str, str]]] = {}
    for department, rule, message in rows:
        out.setdefault(department, []).append((rule, message))
    return out


def test_the_working_paper_has_a_sheet_per_department_with_confirmed_findings_and_images(db: Path, tmp_path: Path):
    assert main(["export", "--db", str(db), "--format", "xlsx", "-o", str(tmp_path), "--findings-only"]) == 0
    workbook = load_workbook(tmp_path / "working_paper.xlsx")
    expected = confirmed(db)
    assert len(expected) == 2  # changsha's two C102, maoming's T101 (its T104 was dismissed)
    assert workbook.sheetnames == [f"底稿-{department}" for department in expected]
    for department, findings in expected.items():
        sheet = workbook[f"底稿-{department}"]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        assert header[:6] == ("序号", "文件", "年度", "规则", "严重程度", "检查发现") and header[-1] == "原文图像"
        body = [dict(zip(header, row)) for row in rows[1:]]
        assert [(row["规则"], row["检查发现"]) for row in body] == findings
        assert all(row["复核意见"] == f"{row['规则']} 已核对" and row["复核人"] == "审计员甲" for row in body)
        assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
        pdf = any(row["文件"].endswith(".pdf") for row in body)
        assert all("/" not in row["文件"] for row in body)  # the file's name; its folder is in the database
        # a PDF finding has its page image in the last column of its row; a .docx has none
        assert [(image.anchor._from.row, image.anchor._from.col) for image in sheet._images] == (
            [(i + 1, len(header) - 1) for i in range(len(body))] if pdf else []
        )
        for image in sheet._images:
            picture = Image.open(io.BytesIO(image._data())).convert("RGB")
            assert picture.width > 300
            pixels = picture.tobytes()
            assert any(
                r > 150 and g < 90 and b < 90 for r, g, b in zip(pixels[::3], pixels[1::3], pixels[2::3])
            )  # red box
        if pdf:
            assert all("万元" in row["涉及数字"] or "%" in row["涉及数字"] for row in body)
            assert all("2" in str(row["页码"]) for row in body)  # the prose figure stands on page 2


def test_the_full_workbook_and_parquet_carry_the_review_columns(db: Path, tmp_path: Path):
    main(["export", "--db", str(db), "--format", "xlsx", "-o", str(tmp_path)])
    workbook = load_workbook(tmp_path / "jixiao.xlsx")
    names = workbook.sheetnames
    assert names[names.index("说明") + 1].startswith("底稿-") and "reviews" in names  # the working paper after 说明
    rows = list(workbook["findings"].iter_rows(values_only=True))
    decided = {(row[rows[0].index("规则")], row[rows[0].index("复核结论")]) for row in rows[1:]}
    assert ("T104", "dismissed") in decided and ("C102", "confirmed") in decided and ("A1", None) not in decided
    main(["export", "--db", str(db), "--format", "parquet", "-o", str(tmp_path), "--findings-only"])
    table = pq.read_table(tmp_path / "findings.parquet").to_pylist()
    assert {row["rule"]: row["review_status"] for row in table if row["rule"] in ("T101", "T104")} == {
        "T101": "confirmed",
        "T104": "dismissed",
    }
    assert all(row["fingerprint"] for row in table)
    assert {row["reviewer"] for row in table if row["review_status"]} == {"审计员甲"}


def test_the_static_report_shows_the_decisions(db: Path):
    from extractor.report.html import report_data

    with Store(db, config, read_only=True) as store:
        findings = report_data(config, store, images=False)["findings"]
    decided = {(f["rule"], f["review"]["status"], f["review"]["note"]) for f in findings if f["review"]}
    assert decided == {
        ("C102", "confirmed", "C102 已核对"),
        ("T101", "confirmed", "T101 已核对"),
        ("T104", "dismissed", "T104 已核对"),
    }
