"""Every data file of schemas/ is validated when it is loaded: a misspelled key fails with its file and key."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractor import datafiles
from extractor.errors import DataError

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
DATA = sorted(p for p in SCHEMAS.rglob("*") if p.suffix in (".toml", ".json") and not p.name.endswith(".schema.json"))


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.relative_to(SCHEMAS).as_posix())
def test_every_data_file_has_a_model_and_passes_it(path):
    relative = path.relative_to(SCHEMAS).as_posix()
    assert datafiles.model_for(relative) is not None, "add its model to datafiles.MODELS"
    datafiles.read(path, SCHEMAS)


@pytest.mark.parametrize(
    "file, old, new, words",
    [
        ("rules/copies.toml", "min_chars", "min_charz", "unknown key 'copies.min_charz'"),
        ("rules/table.toml", "weights_total", "weights_totl", "unknown key 'tables.weights_totl'"),
        ("tables/common.json", '"total_labels"', '"total_lables"', "unknown key 'total_lables'"),
        ("lexicon/units.toml", 'currency = "CNY"', 'currency = "RMB"', "key 'money.元.currency'"),
        ("lexicon/measure_words.toml", "percent", "percnt", "unknown key 'percnt'"),
        ("tables/targets.json", '"max_unit_length"', '"max_unit_lenght"', "unknown key 'max_unit_lenght'"),
        ("rules/fiscal.toml", "min_found", "min_fund", "unknown key 'tables.min_fund'"),
        ("rules/consistency.toml", "max_grade_span", "max_grade_spam", "unknown key 'wording.max_grade_spam'"),
        ("lexicon/context.toml", "sub_unit_words", "sub_unit_word", "unknown key 'subject.sub_unit_word'"),
        ("lexicon/label_words.toml", "strong_words", "strong_word", "unknown key 'totals_after_parts.strong_word'"),
        ("templates/hunan_dept.json", '"may_be_empty"', '"may_be_emtpy"', "unknown key 'sections[0].may_be_emtpy'"),
        ("tables/fiscal.toml", "title_lookback", "title_lookbak", "unknown key 'title_lookbak'"),
        ("kinds.toml", "min_score", "min_scor", "unknown key 'weights.min_scor'"),
        ("indicators/standard.toml", "name_en", "name_eng", "unknown key 'indicator[0].name_eng'"),
        ("indicators/departments.toml", "min_core_chars", "min_core_char", "unknown key 'min_core_char'"),
        ("store/tables.toml", "title =", "titel =", "unknown key 'documents.titel'"),
    ],
)
def test_a_misspelled_key_names_its_file_and_key(tmp_path, file, old, new, words):
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        datafiles.read(path, root)
    assert caught.value.path == str(path) and words in caught.value.message


def test_the_command_stops_at_load_with_one_line_and_exit_3(tmp_path):
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    rules = root / "rules" / "table.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("weights_total", "weights_totl", 1), encoding="utf-8")
    corpus = SCHEMAS.parent / "corpus" / "yunnan_edu_2024.txt"
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "check", str(corpus)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "JIXIAO_SCHEMAS": str(root)},
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert (
        result.stderr
        == f"jixiao: {rules}: unknown key 'tables.weights_totl' (misspelled? 'tables.weights_total' is missing)\n"
    )


def test_a_batch_stops_at_a_broken_data_file_instead_of_failing_every_document(tmp_path):
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    rules = root / "rules" / "table.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("weights_total", "weights_totl", 1), encoding="utf-8")
    corpus = SCHEMAS.parent / "corpus"
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "batch", str(corpus / "yunnan_edu_2024.txt"),
         str(corpus / "heshan_commerce_2024.txt"), "--db", str(tmp_path / "x.duckdb"), "--workers", "1", "--quiet"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "JIXIAO_SCHEMAS": str(root)},
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"jixiao: {rules}: unknown key 'tables.weights_totl' (misspelled? 'tables.weights_total' is missing)"
    ]


def test_a_misspelled_rule_key_names_the_rule(tmp_path):
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    rules = root / "rules" / "table.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("severity = ", "severty = ", 1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "rules"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "JIXIAO_SCHEMAS": str(root)},
    )  # fmt: skip
    assert result.returncode == 3
    assert result.stderr.startswith(f"jixiao: {rules}: unknown key 'rule[0].severty'")
