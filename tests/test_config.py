"""One typed, frozen Config per schemas folder: two rule sets side by side in one process, every data file
validated at load (file and key named), frozen, picklable, and chosen on the command line with --schemas."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.config import Config
from extractor.errors import DataError
from extractor.pipeline import build_record
from extractor.readers import read

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
DOCUMENT = ROOT / "corpus" / "heshan_commerce_2024.txt"
# a placeholder pattern of our own that matches a heading of the document: a settings change, not a rule's
EXTRA_PLACEHOLDER = "消费促进"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def modified_schemas(tmp_path_factory) -> Path:
    """A user's rule set: S101 (numbering style) raised from warning to error, and one more placeholder pattern
    in structure.toml's settings."""
    root = _copy(tmp_path_factory.mktemp("modified"))
    structure = root / "rules" / "structure.toml"
    _edit(structure, 'code = "S101"\nname = "numbering-style"\ncategory = "structure"\nseverity = "warning"',
          'code = "S101"\nname = "numbering-style"\ncategory = "structure"\nseverity = "error"')  # fmt: skip
    _edit(structure, "    '此处填写',\n", f"    '此处填写',\n    '{EXTRA_PLACEHOLDER}',\n")
    return root


def _findings(config: Config) -> list[tuple[str, str, str]]:
    record = build_record(read(DOCUMENT), config)
    return [(f.rule, f.severity, f.message) for f in record.findings]


@pytest.mark.parametrize("modified_first", [False, True], ids=["default-first", "modified-first"])
def test_two_rule_sets_in_one_process_give_their_own_findings(modified_schemas, modified_first):
    default, modified = Config.load(SCHEMAS), Config.load(modified_schemas)
    order = [modified, default, modified] if modified_first else [default, modified, default]
    runs = [_findings(config) for config in order]
    assert runs[0] == runs[2], "a rule set's findings changed after the other one ran"
    ours, theirs = (runs[1], runs[0]) if modified_first else (runs[0], runs[1])
    assert ours != theirs

    def severities(findings, rule):
        return {severity for code, severity, _ in findings if code == rule}

    assert severities(ours, "S101") == {"warning"}
    assert severities(theirs, "S101") == {"error"}
    placeholder = [f for f in theirs if EXTRA_PLACEHOLDER in f[2] and f not in ours]
    assert placeholder, "the modified settings' placeholder pattern found nothing"
    assert not [f for f in ours if f[0] == placeholder[0][0] and EXTRA_PLACEHOLDER in f[2]]
    # the rest of the findings is the same in both rule sets
    assert [f for f in ours if f[0] != "S101"] == [f for f in theirs if f[0] != "S101" and f not in placeholder]


@pytest.mark.parametrize(
    "file, old, new, words",
    [
        ("rules/copies.toml", "min_chars", "min_charz", "unknown key 'copies.min_charz'"),
        ("rules/table.toml", "severity = ", "severty = ", "unknown key 'rule[0].severty'"),
        ("templates/hunan_dept.json", '"may_be_empty"', '"may_be_emtpy"', "unknown key 'sections[0].may_be_emtpy'"),
        ("tables/common.json", '"total_labels"', '"total_lables"', "unknown key 'total_lables'"),
        ("tables/fiscal.toml", "title_lookback", "title_lookbak", "unknown key 'title_lookbak'"),
        ("lexicon/label_words.toml", "strong_words", "strong_word", "unknown key 'totals_after_parts.strong_word'"),
        ("kinds.toml", "min_score", "min_scor", "unknown key 'weights.min_scor'"),
        ("indicators/standard.toml", "name_en", "name_eng", "unknown key 'indicator[0].name_eng'"),
        ("indicators/departments.toml", "min_core_chars", "min_core_char", "unknown key 'min_core_char'"),
        ("store/tables.toml", "title =", "titel =", "unknown key 'documents.titel'"),
    ],
)
def test_a_misspelled_key_in_any_data_file_fails_at_load_naming_file_and_key(tmp_path, file, old, new, words):
    root = _copy(tmp_path)
    _edit(root / file, old, new)
    with pytest.raises(DataError) as caught:
        Config.load(root)
    assert caught.value.path == str(root / file)
    assert words in caught.value.message


def test_an_indicator_naming_a_term_the_lexicon_lacks_fails_at_load(tmp_path):
    root = _copy(tmp_path)
    _edit(root / "indicators" / "standard.toml", 'key = "total_income", origin', 'key = "total_incme", origin')
    with pytest.raises(DataError) as caught:
        Config.load(root)
    assert caught.value.path == str(root / "indicators" / "standard.toml")
    assert "'total_incme' is not a term" in caught.value.message


def test_the_config_is_frozen_and_pickles_with_its_findings():
    config = Config.load(SCHEMAS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.rules = {}  # type: ignore[misc]
    before = _findings(config)  # builds the derived patterns and tokenizer, which are not pickled
    copy = pickle.loads(pickle.dumps(config))
    assert copy.rules == config.rules and copy.settings == config.settings and copy.schemas == config.schemas
    assert _findings(copy) == before


def _jixiao(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "extractor.cli", *args],
        capture_output=True, text=True, timeout=180, env={**os.environ, "JIXIAO_SCHEMAS": ""},
    )  # fmt: skip


def test_the_command_runs_the_rule_set_of_schemas_dir(modified_schemas):
    default = _jixiao("check", str(DOCUMENT))
    modified = _jixiao("check", str(DOCUMENT), "--schemas", str(modified_schemas))
    assert default.returncode == 0, default.stderr  # warnings only
    assert modified.returncode == 1, modified.stderr  # S101 is an error in the user's rule set
    assert "S101" in modified.stdout and "error" in modified.stdout


@pytest.mark.parametrize("command", ["check", "extract", "batch"])
def test_a_broken_schemas_dir_is_one_line_and_the_data_error_exit_code(tmp_path, command):
    root = _copy(tmp_path)
    _edit(root / "lexicon" / "context.toml", "sub_unit_words", "sub_unit_word")
    extra = ["--db", str(tmp_path / "x.duckdb")] if command == "batch" else []
    result = _jixiao(command, str(DOCUMENT), "--schemas", str(root), *extra)
    assert result.returncode == 3  # README: 3, an internal error or the data files invalid
    assert result.stderr.splitlines() == [
        f"jixiao: {root / 'lexicon' / 'context.toml'}: unknown key 'subject.sub_unit_word' "
        "(misspelled? 'subject.sub_unit_words' is missing)"
    ]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_batch_workers_run_the_rule_set_of_the_batch(tmp_path, modified_schemas):
    from extractor.batch import BatchOptions, run_batch
    from extractor.store.duckdb import Store

    modified = Config.load(modified_schemas)
    db = tmp_path / "modified.duckdb"
    run_batch([DOCUMENT], db, modified, BatchOptions(workers=1, timeout=120))
    with Store(db, modified, read_only=True) as store:
        _, rows = store.query("SELECT DISTINCT severity FROM findings WHERE rule = 'S101'")
    assert rows == [("error",)]  # the worker process loaded the modified folder, not the installed one
