"""`jixiao check` and `jixiao rules`: output lines, summary, JSON shape, selection, exit codes 0/1/2.

The pipeline is replaced by one that reads the file for real (so unreadable files fail as they do)
and returns hand-built seed figures, wrong ones when the file says "wrong"; the checks run for real.
"""

import json
import sys
from pathlib import Path

import pytest
from test_arithmetic import SEED, pipeline, record, seed_facts

from extractor import checks
from extractor import pipeline as pipeline_module
from extractor.checks import structure
from extractor.cli import main
from extractor.config import load_default
from extractor.inputs import iter_input_files
from extractor.readers import read

config = load_default()  # the installed rule set, validated once for these tests


@pytest.fixture
def fake_pipeline(monkeypatch):
    seen = []

    def process(path, config, options=None):
        document = read(path)
        text = document.blocks[0].text
        if text == "boom":
            raise ValueError("a bug in some stage")
        facts = (
            seed_facts(personnel="352.98")
            if "wrong" in text
            else seed_facts(gb_project="437.19")
            if "warn" in text
            else seed_facts()
        )
        rec = record(facts)
        rec.findings = checks.run(rec, document, config, options)
        seen.append(options)
        return rec

    # the hand-built records have no sections: leave structure findings out of these tests
    monkeypatch.setattr(structure, "check_structure", lambda config, rec, document: [])
    monkeypatch.setattr(pipeline_module, "process", process)
    return seen


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_file_exits_0_with_a_summary(fake_pipeline, tmp_path, capsys):
    good = write(tmp_path, "good.txt", "支出1166.98万元")
    assert main(["check", str(good)]) == 0
    assert capsys.readouterr().out == "1 file, 0 errors, 0 warnings, 0 infos\n"


def test_error_finding_exits_1_and_prints_file_page_code_message_severity(fake_pipeline, tmp_path, capsys):
    wrong = write(tmp_path, "wrong.txt", "wrong")
    assert main(["check", str(wrong)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{wrong}:1: A103 基本支出不等于人员经费与公用经费之和") and lines[0].endswith(
        " [error]"
    )
    assert "\033[" not in lines[0]  # not a terminal: no colour
    assert lines[-1] == "1 file, 1 error, 0 warnings, 0 infos (arithmetic 1)"


def test_warnings_alone_exit_0(fake_pipeline, tmp_path, capsys):
    assert main(["check", str(write(tmp_path, "warn.txt", "warn"))]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 file, 0 errors, 2 warnings, 0 infos (arithmetic 2)"


@pytest.mark.parametrize(
    "options, codes",
    [
        ([], ["A104", "A110"]),
        (["--select", "A110"], ["A110"]),
        (["--select", "T,C"], []),
        (["--select", "arithmetic"], ["A104", "A110"]),
        (["--ignore", "A11"], ["A104"]),
        (["--ignore", "A104", "--ignore", "A110"], []),
    ],
)
def test_select_and_ignore(fake_pipeline, tmp_path, capsys, options, codes):
    main(["check", str(write(tmp_path, "warn.txt", "warn")), "--format", "json", *options])
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]] == codes


def test_json_is_one_object_for_a_file_and_a_list_for_a_folder(fake_pipeline, tmp_path, capsys):
    wrong = write(tmp_path, "a/wrong.txt", "wrong")
    write(tmp_path, "a/b/good.txt", "good")
    assert main(["check", str(wrong), "--format", "json"]) == 1
    one = json.loads(capsys.readouterr().out)
    assert one["path"] == str(wrong) and [f["rule"] for f in one["findings"]] == ["A103"]
    assert one["findings"][0]["stated"] == "717.79" and one["findings"][0]["facts"][0] == "personnel"
    assert main(["check", str(tmp_path / "a"), "--format", "json"]) == 1
    many = json.loads(capsys.readouterr().out)
    assert [(Path(r["path"]).name, len(r["findings"])) for r in many] == [("good.txt", 0), ("wrong.txt", 1)]


def test_a_bad_file_among_good_ones_exits_2_and_the_others_go_on(fake_pipeline, tmp_path, capsys):
    write(tmp_path, "1.txt", "good")
    empty = write(tmp_path, "2.txt", "   \n")
    write(tmp_path, "3.txt", "wrong")
    assert main(["check", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert err == f"jixiao: {empty}: empty file\n"
    assert "3.txt:1: A103" in out
    assert out.splitlines()[-1] == "3 files, 1 error, 0 warnings, 0 infos, 1 unreadable (arithmetic 1)"


def test_a_bug_on_one_file_is_one_line_and_the_others_go_on(fake_pipeline, tmp_path, capsys):
    write(tmp_path, "1.txt", "boom")
    write(tmp_path, "2.txt", "wrong")
    assert main(["check", str(tmp_path)]) == 3  # a bug has its own exit code
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "1.txt: internal error, a bug in jixiao (ValueError: a bug in some stage)" in err
    assert "2.txt:1: A103" in out


def test_truncate_option_reaches_the_checks(fake_pipeline, tmp_path):
    main(["check", str(write(tmp_path, "good.txt", "good")), "--truncate"])
    assert fake_pipeline[-1].rounding == "truncate"


def test_colour_only_on_a_terminal_without_no_color(fake_pipeline, tmp_path, capsys, monkeypatch):
    wrong = write(tmp_path, "wrong.txt", "wrong")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    main(["check", str(wrong)])
    assert "\033[31m[error]\033[0m" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    main(["check", str(wrong)])
    assert "\033[" not in capsys.readouterr().out


def test_rules_lists_every_rule(capsys):
    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    for code in ("A101", "A110", "A121", "C101", "C102", "T101", "T104", "T107", "G101"):
        assert f"\n{code}  " in "\n" + text
    assert main(["rules", "--format", "json"]) == 0
    rules = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rules["A103"]["category"] == "arithmetic" and rules["A103"]["severity"] == "error"
    assert rules["T101"]["name"] == "score-over-weight" and rules["T101"]["rationale"]


def test_input_files_walk_folders_sorted_and_skip_non_reports(tmp_path):
    for name in ("b/2.pdf", "a.docx", "b/1.html", "notes.rst", "~$a.docx", "c/x.htm", "c/.hidden.txt"):
        write(tmp_path, name, "x")
    missing = tmp_path / "missing.txt"
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])]
    assert found == ["a.docx", "b/1.html", "b/2.pdf", "c/x.htm"]
    assert list(iter_input_files([missing, tmp_path / "notes.rst"])) == [missing, tmp_path / "notes.rst"]


def test_the_seed_checks_clean_of_arithmetic_and_consistency_findings(capsys):
    pipeline(SEED)  # skips while an upstream stage is missing
    assert main(["check", str(SEED), "--select", "arithmetic,consistency,table"]) == 0
    assert capsys.readouterr().out == "1 file, 0 errors, 0 warnings, 0 infos\n"
