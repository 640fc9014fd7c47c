"""The Config's data is read-only all the way down (no check can change what every other check shares), and a
rule can be switched off in the data (`enabled = false`): it stays documented but never fires."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractor.config import Config, ReadOnlyDict
from extractor.errors import DataError
from extractor.pipeline import build_record
from extractor.readers import read

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
# our own words: a 基本支出 that is not the sum of its two parts (A103), in a report whose second heading breaks the numbering (S103)
REPORT = (
    "某县某局2024年度部门整体支出绩效自评报告\n"
    "一、部门基本情况\n"
    "本单位2024年度基本支出500.00万元，其中人员经费300.00万元、公用经费150.00万元。\n"
    "2、部门预算执行情况\n"
    "本年度项目支出80.00万元，主要用于办公设备购置。\n"
)


@pytest.fixture(scope="module")
def config() -> Config:
    return Config.load(SCHEMAS)


def _mutable_inside(value, path: str = "") -> list[str]:
    """Where in `value` a plain (changeable) dict or list stands."""
    if isinstance(value, dict):
        found = [] if isinstance(value, ReadOnlyDict) else [path or "."]
        return found + [p for key, item in value.items() for p in _mutable_inside(item, f"{path}/{key}")]
    if isinstance(value, list):
        return [path]
    if isinstance(value, tuple):
        return [p for n, item in enumerate(value) for p in _mutable_inside(item, f"{path}/{n}")]
    return []


def test_no_dict_or_list_of_the_data_can_be_changed(config):
    for name in ("rules", "settings", "lexicon", "template_data", "tables", "store"):
        assert _mutable_inside(getattr(config, name)) == [], name


def test_a_check_that_tries_to_change_shared_data_fails(config):
    words = config.lexicon["label_words"]
    with pytest.raises(TypeError, match="read-only"):
        words["sentence_delimiters"] = "。"
    with pytest.raises(TypeError, match="read-only"):
        config.settings["arithmetic"]["money"].update(exact_step="1")
    with pytest.raises(TypeError, match="read-only"):
        del config.rules["A103"]
    with pytest.raises(TypeError, match="read-only"):
        config.tables["targets"].setdefault("comparators", {})
    with pytest.raises(ValidationError):  # a rule is frozen, its lists tuples
        config.rules["A103"].severity = "info"
    assert isinstance(config.rules["A103"].parts, tuple)
    with pytest.raises(AttributeError):  # a list of the data is a tuple: no append
        config.lexicon["units"]["qualifiers"]["before"].append("大概")
    # nothing changed, and a copy is the caller's to change
    assert (
        "约" in config.lexicon["units"]["qualifiers"]["before"]
        and "大概" not in config.lexicon["units"]["qualifiers"]["before"]
    )
    mine = dict(words)
    mine["sentence_delimiters"] = "。"
    assert words["sentence_delimiters"] != mine["sentence_delimiters"]


def test_the_read_only_data_pickles_and_serialises_as_before(config):
    copy = pickle.loads(pickle.dumps(config))
    assert isinstance(copy.lexicon["label_words"], ReadOnlyDict) and copy.lexicon == config.lexicon
    assert _mutable_inside(copy.settings) == []
    assert json.loads(json.dumps(config.store)) == json.loads(json.dumps(copy.store))


def _report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def _switched_off(tmp_path: Path, code: str, value: str = "false") -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    for path in (root / "rules").glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        head = f'code = "{code}"\n'
        if head in text:
            path.write_text(text.replace(head, f"{head}enabled = {value}\n", 1), encoding="utf-8")
            return root
    raise AssertionError(f"{code} is in no rules file")


@pytest.mark.parametrize("code", ["A103", "S103"])
def test_a_rule_switched_off_in_the_data_does_not_fire(tmp_path, config, code):
    document = read(_report(tmp_path))
    assert code in {f.rule for f in build_record(document, config).findings}  # it fires when on
    off = Config.load(_switched_off(tmp_path, code))
    assert not off.rules[code].enabled and code in off.rules  # still defined, so still documented
    found = build_record(document, off).findings
    assert code not in {f.rule for f in found}
    # the other rules are untouched
    others = {f.rule for f in build_record(document, config).findings} - {code}
    assert others <= {f.rule for f in found}


def test_a_switched_off_rule_is_still_listed_with_every_code(tmp_path, config):
    root = _switched_off(tmp_path, "A103")
    listed = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "rules", "--format", "json", "--schemas", str(root)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    rules = {rule["code"]: rule for rule in json.loads(listed.stdout)}
    assert set(rules) == set(config.rules)  # every code documented, the one switched off too
    assert rules["A103"]["enabled"] is False and all(r["enabled"] for c, r in rules.items() if c != "A103")
    text = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "rules", "--schemas", str(root)],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    (line,) = [line for line in text.splitlines() if line.startswith("A103")]
    assert " off " in line


def test_a_switch_that_is_not_true_or_false_fails_at_load_naming_file_and_key(tmp_path):
    root = _switched_off(tmp_path, "A103", '"no"')
    with pytest.raises(DataError) as caught:
        Config.load(root)
    assert caught.value.path == str(root / "rules" / "arithmetic.toml")
    assert "enabled" in caught.value.message
