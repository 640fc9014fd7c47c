"""Exports: one file per table, row counts equal to the database's, Excel-friendly CSV and xlsx."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from test_store import BLOCKS, SHA_B, sample_record

from extractor.config import load_default
from extractor.store.duckdb import Store, table_specs
from extractor.store.export import export_database
from extractor.store.reviews import REVIEW_COLUMNS

config = load_default()  # the installed rule set, validated once for these tests


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "t.duckdb"
    with Store(path, config) as store:
        store.write_document(sample_record(), BLOCKS, [("/data/a.docx", 100)])
        store.write_document(sample_record(SHA_B, "/data/b.docx", "另一局"), BLOCKS, [("/data/b.docx", 100)])
        store.write_error("/data/坏文件.pdf", None, "corrupt PDF", "0.1.0")
    return path


def row_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in table_specs(config)}


def test_parquet_has_one_file_per_table_with_every_row(db: Path, tmp_path: Path):
    files = export_database(config, db, "parquet", tmp_path)
    assert sorted(f.name for f in files) == sorted(f"{t}.parquet" for t in table_specs(config))
    expected = row_counts(db)
    assert expected["facts"] == 4 and expected["errors"] == 1
    assert {f.stem: pq.read_metadata(f).num_rows for f in files} == expected
    facts = pq.read_table(tmp_path / "facts.parquet").to_pylist()
    assert {row["value_text"] for row in facts} == {"1200.50", "717.790"}


def test_csv_starts_with_a_bom_and_keeps_chinese(db: Path, tmp_path: Path):
    files = export_database(config, db, "csv", tmp_path)
    expected = row_counts(db)
    for file in files:
        raw = file.read_bytes()
        assert raw.startswith("\ufeff".encode())
        with file.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        review = [name for name, _, _ in REVIEW_COLUMNS] if file.stem == "findings" else []
        assert rows[0] == [c.name for c in table_specs(config)[file.stem].columns] + review
        assert len(rows) - 1 == expected[file.stem]
    errors = (tmp_path / "errors.csv").read_text(encoding="utf-8-sig")
    assert "/data/坏文件.pdf" in errors and "corrupt PDF" in errors


def test_jsonl_has_one_object_per_row(db: Path, tmp_path: Path):
    export_database(config, db, "jsonl", tmp_path)
    lines = (tmp_path / "sections.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["部门基本情况", "部门基本情况"]


def test_xlsx_has_a_sheet_per_table_with_chinese_headers(db: Path, tmp_path: Path):
    (file,) = export_database(config, db, "xlsx", tmp_path)
    workbook = load_workbook(file, read_only=True)
    assert workbook.sheetnames == ["说明", *table_specs(config)]
    facts = list(workbook["facts"].iter_rows(values_only=True))
    header = facts[0]
    assert "金额（元）" in header and "单位" in header and "原句" in header
    assert len(facts) - 1 == row_counts(db)["facts"]
    row = dict(zip(header, facts[1]))
    assert row["单位"] == "万元"
    findings = dict(zip(*list(workbook["findings"].iter_rows(values_only=True))[:2]))
    assert findings["涉及金额"] == "f1、f2"


def test_unknown_format_is_refused(db: Path, tmp_path: Path):
    with pytest.raises(ValueError, match="unknown export format"):
        export_database(config, db, "xml", tmp_path)
