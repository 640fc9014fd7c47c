"""Finding fingerprints and `jixiao check --baseline` on a copy of the corpus seed report (.txt).

The seed gives ten structure findings. Edits elsewhere in the report (a new paragraph, a sentence put
before a figure) keep every fingerprint; changing a figure of an identity makes one new arithmetic finding.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractor.cli import main

SEED = Path(__file__).parent.parent / "corpus" / "heshan_commerce_2024.txt"


def edited(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def check_json(capsys, *args: str) -> dict:
    main(["check", *args, "--format", "json"])
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    copy = tmp_path / "report.txt"
    shutil.copyfile(SEED, copy)
    return copy


def test_every_finding_has_a_fingerprint_that_edits_elsewhere_keep(report: Path, capsys):
    before = check_json(capsys, str(report))["findings"]
    assert before and all(f["fingerprint"].startswith(f["rule"] + "-") for f in before)
    assert len({f["fingerprint"] for f in before}) == len(before)
    # a new paragraph with a figure near the top shifts every block; a sentence before the basic expenditure
    # shifts the offsets of its figures
    edited(report, "（一）职能职责\n", "（一）职能职责\n本局另安排宣传经费3.5万元。\n")
    edited(report, "基本支出主要用于：", "全年工作有序推进。基本支出主要用于：")
    after = check_json(capsys, str(report))["findings"]
    assert [f["block"] for f in after] != [f["block"] for f in before]
    assert sorted(f["fingerprint"] for f in after) == sorted(f["fingerprint"] for f in before)


def test_a_baseline_of_the_same_file_shows_nothing_and_says_how_much_it_suppressed(report: Path, tmp_path, capsys):
    baseline = tmp_path / "baseline.json"
    assert main(["check", str(report), "--write-baseline", str(baseline)]) == 0
    recorded = capsys.readouterr()
    count = len(json.loads(baseline.read_text(encoding="utf-8"))["files"]["report.txt"])  # beside the baseline
    assert f"wrote baseline {baseline}: {count} findings" in recorded.err
    assert count == len(recorded.out.splitlines()) - 1  # every finding line, and the summary
    assert main(["check", str(report), "--baseline", str(baseline)]) == 0
    assert (
        capsys.readouterr().out == f"1 file, 0 errors, 0 warnings, 0 infos; {count} suppressed by baseline {baseline}\n"
    )
    assert check_json(capsys, str(report), "--baseline", str(baseline)) == {
        "path": str(report),
        "findings": [],
        "suppressed": count,
    }


def test_one_changed_figure_shows_only_the_new_arithmetic_finding(report: Path, tmp_path, capsys):
    baseline = tmp_path / "baseline.json"
    main(["check", str(report), "--write-baseline", str(baseline)])
    capsys.readouterr()
    edited(report, "日常公用经费支出374.81万元", "日常公用经费支出384.81万元")
    result = check_json(capsys, str(report), "--baseline", str(baseline))
    assert [f["rule"] for f in result["findings"]] == ["A103"]
    assert "384.81" in result["findings"][0]["message"]
    assert result["suppressed"] == len(json.loads(baseline.read_text(encoding="utf-8"))["files"]["report.txt"])


@pytest.mark.parametrize(
    "content, reason",
    [(None, "no such baseline file"), ("{", "baseline is not JSON"), ('{"files": []}', "not a jixiao baseline")],
)
def test_a_bad_baseline_is_one_line_and_exit_2(report: Path, tmp_path, capsys, content, reason):
    baseline = tmp_path / "baseline.json"
    if content is not None:
        baseline.write_text(content, encoding="utf-8")
    assert main(["check", str(report), "--baseline", str(baseline)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"jixiao: {baseline}: {reason}") and err.count("\n") == 1


def test_a_fingerprint_is_the_figures_in_context_not_their_place():
    from test_arithmetic import fact, record

    from extractor.checks.identity import identified
    from extractor.records import Context, Finding, Section

    section = Section(
        id="1",
        parent=None,
        level=1,
        number="一、",
        title="部门基本情况",
        key="basic",
        score=100.0,
        page=1,
        block=0,
        block_start=0,
        block_end=9,
    )
    finding = Finding(
        rule="A103", category="arithmetic", severity="error", message="m", section="1", facts=["F1", "F2"]
    )

    def fingerprint(block: int = 0, year: int = 2024, value: str = "342.98", title: str = "部门基本情况") -> str:
        facts = [
            fact("F1", "basic_expenditure", "717.79", block=block, start=block + 3, context=Context(year=year)),
            fact("F2", "personnel_expenditure", value, block=block, context=Context(year=year)),
        ]
        rec = record(facts, sections=[section.model_copy(update={"title": title})])
        (found,) = identified([finding.model_copy(update={"block": block, "page": block})], rec)
        return found.fingerprint

    assert fingerprint() == fingerprint(block=7)  # moved: same finding
    assert fingerprint() == fingerprint(title="一、单位基本情况")  # the section's template key, not its wording
    assert fingerprint() != fingerprint(year=2023)  # the same figures about another year
    assert fingerprint() != fingerprint(value="352.98")  # a figure of it changed
    # two alike in everything within one document are told apart by their order
    rec = record([fact("F1", "basic_expenditure", "1")], sections=[section])
    twins = identified([finding.model_copy(update={"facts": []})] * 2, rec)
    assert twins[1].fingerprint == twins[0].fingerprint + "#2"


def test_a_baseline_names_files_relative_to_itself_and_works_from_another_folder(
    report: Path, tmp_path, capsys, monkeypatch
):
    baseline = tmp_path / "ci" / "baseline.json"
    baseline.parent.mkdir()
    main(["check", str(report), "--write-baseline", str(baseline)])
    capsys.readouterr()
    assert list(json.loads(baseline.read_text(encoding="utf-8"))["files"]) == ["../report.txt"]
    monkeypatch.chdir(tmp_path)  # the same file named relatively, from elsewhere
    assert main(["check", "report.txt", "--baseline", "ci/baseline.json"]) == 0
    assert capsys.readouterr().out.startswith("1 file, 0 errors, 0 warnings, 0 infos; ")
