"""Golden diffs: records matched by stable keys, numbers by interval, printed like `diff`."""

import json
import shutil
from pathlib import Path

from test_arithmetic import SEED, pipeline, record, seed_facts

from extractor.checks.golden import diff_records, golden_path
from extractor.cli import main
from extractor.config import load_default
from extractor.records import Section

config = load_default()  # the installed rule set, validated once for these tests


def golden_record():
    section = Section(id="1", parent=None, level=1, number="一、", title="单位基本情况", key="basic_info", score=100,
                      page=1, block=0, block_start=0, block_end=20)  # fmt: skip
    facts = [f.model_copy(update={"section": "1"}) for f in seed_facts()]
    return record(facts, sections=[section])


def test_a_record_equals_its_own_golden():
    rec = golden_record()
    assert diff_records(config, rec.model_dump(mode="json"), rec) == []


def test_order_and_trailing_zeros_do_not_matter():
    rec = golden_record()
    golden = rec.model_dump(mode="json")
    golden["facts"].reverse()
    basic = next(f for f in golden["facts"] if f["value"] == "717.79")
    basic["value"] = "717.790"
    assert diff_records(config, golden, rec) == []


def test_an_edited_value_is_one_change_with_its_path():
    rec = golden_record()
    golden = rec.model_dump(mode="json")
    next(f for f in golden["facts"] if f["value"] == "717.79")["value"] = "727.79"
    (difference,) = diff_records(config, golden, rec)
    assert (difference.kind, difference.collection, difference.field) == ("changed", "facts", "value")
    assert (difference.expected, difference.actual) == ("727.79", "717.79")
    assert difference.lines() == [
        "- facts[单位基本情况 | basic_expenditure | 727.79].value: 727.79",
        "+ facts[单位基本情况 | basic_expenditure | 727.79].value: 717.79",
    ]
    finding = difference.finding(config)
    assert finding.rule == "G103" and finding.category == "golden" and "727.79" in finding.message


def test_missing_and_extra_items():
    rec = golden_record()
    golden = rec.model_dump(mode="json")
    removed = golden["facts"].pop()  # the output has a figure the golden lacks
    golden["findings"].append({"rule": "A103", "severity": "error", "message": "基本支出不等于…", "section": None})
    kinds = sorted((d.kind, d.collection) for d in diff_records(config, golden, rec))
    assert kinds == [("extra", "facts"), ("missing", "findings")]
    extra = next(d for d in diff_records(config, golden, rec) if d.kind == "extra")
    assert extra.lines()[0].startswith("+ facts[单位基本情况 | government_fund | 13]") and removed["value"] == "13"


def test_golden_path_keeps_the_extension():
    assert golden_path("golden", "corpus/heshan_commerce_2024.txt") == Path("golden/heshan_commerce_2024.txt.json")


def test_diff_command_on_the_seed(tmp_path, capsys):
    pipeline(SEED)  # skips while an upstream stage is missing
    report = tmp_path / SEED.name
    shutil.copyfile(SEED, report)
    goldens = tmp_path / "golden"
    assert main(["diff", str(report), "--golden", str(goldens), "--update"]) == 0
    capsys.readouterr()
    assert main(["diff", str(report), "--golden", str(goldens)]) == 0
    assert capsys.readouterr().out == ""

    path = goldens / "heshan_commerce_2024.txt.json"
    golden = json.loads(path.read_text(encoding="utf-8"))
    basic = next(f for f in golden["facts"] if f["value"] == "717.79")
    basic["value"] = "727.79"
    path.write_text(json.dumps(golden, ensure_ascii=False), encoding="utf-8")
    assert main(["diff", str(report), "--golden", str(goldens)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"--- {path}" and out[1] == f"+++ {report}"
    changed = [line for line in out[2:] if line.endswith(".value: 727.79") or line.endswith(".value: 717.79")]
    assert len(changed) == 2 and changed[0].startswith("- facts[") and changed[1].startswith("+ facts[")


def test_diff_command_without_a_golden_file(tmp_path, capsys):
    pipeline(SEED)
    assert main(["diff", str(SEED), "--golden", str(tmp_path)]) == 2
    assert "no golden file" in capsys.readouterr().err
