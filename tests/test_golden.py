"""Every corpus document against its hand-verified golden record (golden/<file>.json).

The goldens hold the truth as read from the source; where the pipeline is known to differ, the difference is
listed in golden/known_gaps.json. The record must equal the golden with exactly those gaps turned back to the
pipeline's output: a new difference fails, and so does a listed gap that has disappeared (then the list, and
the golden, are out of date).
"""

from __future__ import annotations

import json
import shutil
import sys

import pytest
from corpus_records import CORPUS, FILES, GOLDEN, ROOT, corpus_record

from extractor.checks.golden import diff_records, golden_path
from extractor.cli import main

sys.path.insert(0, str(ROOT / "golden"))
import gaps  # noqa: E402  golden/gaps.py

from extractor.config import load_default

config = load_default()  # the installed rule set, validated once for these tests


def golden(name: str) -> dict:
    return json.loads(golden_path(GOLDEN, name).read_text(encoding="utf-8"))


def test_there_is_a_golden_for_every_corpus_document():
    assert len(FILES) == 8  # heshan in 4 formats, maoming, changsha, yunnan, hubei
    assert sorted(p.name.removesuffix(".json") for p in GOLDEN.glob("*.json") if p.name != "known_gaps.json") == FILES


@pytest.mark.parametrize("name", FILES)
def test_record_equals_golden_but_for_the_known_gaps(name):
    record = corpus_record(name)
    listed = gaps.for_file(name)
    pipeline_view = gaps.apply(golden(name), listed, side="actual")
    differences = diff_records(config, pipeline_view, record)
    assert [line for d in differences for line in d.lines()] == [], "new differences, or a known gap has gone"
    # the truth itself differs from the output exactly where gaps are listed
    assert bool(diff_records(config, golden(name), record)) == bool(listed)


def test_known_gaps_are_explained_and_name_corpus_files():
    listed = gaps.load()
    assert all(gap["why"] and gap["file"] in FILES for gap in listed)
    assert all(
        gap["collection"] in {"facts", "kpis", "sections", "tables", "budget_rows", "findings"} for gap in listed
    )


def test_golden_values_are_the_documents(tmp_path):
    """A few values read from the sources, checked on the goldens themselves (not on the output)."""
    seed = golden("heshan_commerce_2024.txt")
    facts = {(f["label"], f["value"]) for f in seed["facts"]}
    assert {
        ("部门决算收入", "1166.98"),
        ("基本支出", "717.79"),
        ("人员经费支出", "342.98"),
        ("住房保障支出", "13.64"),
    } <= facts
    assert [f["rule"] for f in seed["findings"]].count("S101") == 6  # 1、 （2） 4、 5、 8、 9、
    maoming = golden("maoming_agri_2024.docx")
    assert sorted(f["rule"] for f in _errors(maoming)) == ["T101", "T104"]
    assert [f["rule"] for f in _errors(golden("changsha_road_project_2024.pdf"))] == ["C102", "C102"]
    assert _errors(golden("heshan_commerce_2024.pdf")) == []  # no _GoBack in the PDF text
    # the target review's remark: maoming's 自评表 row 农业面源污染防治长效机制 has the target 建立, no measure
    [remark] = [f for f in maoming["findings"] if f["category"] == "targets"]
    assert (remark["rule"], remark["indicator"], remark["item"]) == (
        "P201",
        "农业面源污染防治长效机制",
        "指标值不具量化易评性",
    )


def _errors(record: dict) -> list[dict]:
    """The findings about the report's figures and structure, without the target review's remarks."""
    return [f for f in record["findings"] if f["category"] != "targets"]


def test_an_edited_golden_value_is_detected(tmp_path, capsys):
    name = "hubei_health_2024.html"
    report = tmp_path / name
    shutil.copyfile(CORPUS / name, report)
    goldens = tmp_path / "golden"
    goldens.mkdir()
    edited = golden(name)
    row = next(r for t in edited["tables"] for r in t["budget_rows"] if r["label"] == "基本支出")
    assert row["executed"] == "1206.85"
    row["executed"] = "1260.85"
    (goldens / f"{name}.json").write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    assert main(["diff", str(report), "--golden", str(goldens)]) == 1
    out = capsys.readouterr().out
    assert "- budget_rows[" in out and "基本支出].executed: 1260.85" in out
    assert "基本支出].executed: 1206.85" in out
