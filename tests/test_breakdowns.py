"""A total stated with two breakdowns (by nature and by functional class) adds up list by list."""

from pathlib import Path

from extractor.config import load_default
from extractor.pipeline import process

config = load_default()  # the installed rule set, validated once for these tests

CORPUS = Path(__file__).parent.parent / "corpus"

TWO_BREAKDOWNS = (
    "一、部门基本情况\n"
    "2024年全年支出2,415.37万元。其中基本支出1,206.85万元，项目支出1,208.52万元。"
    "按功能分类：卫生健康支出2,036.18万元，社会保障和就业支出236.45万元，住房保障支出{housing}万元。\n"
)


def _record(tmp_path, housing: str):
    path = tmp_path / "report.txt"
    path.write_text(TWO_BREAKDOWNS.format(housing=housing), encoding="utf-8")
    return process(path, config)


def test_each_list_is_its_own_breakdown(tmp_path):
    record = _record(tmp_path, "142.74")
    by_value = {str(f.value): f for f in record.facts}
    total = by_value["2415.37"]
    nature = {by_value["1206.85"].breakdown, by_value["1208.52"].breakdown}
    function = {by_value[v].breakdown for v in ("2036.18", "236.45", "142.74")}
    assert all(by_value[v].parent == total.id for v in ("1206.85", "1208.52", "2036.18", "236.45", "142.74"))
    assert len(nature) == len(function) == 1 and nature != function
    assert not [f for f in record.findings if f.category == "arithmetic"]


def test_a_wrong_part_breaks_only_its_own_breakdown(tmp_path):
    record = _record(tmp_path, "152.74")
    arithmetic = [f for f in record.findings if f.category == "arithmetic"]
    assert len(arithmetic) == 1
    wrong = next(f for f in record.facts if str(f.value) == "152.74")
    assert wrong.id in arithmetic[0].facts
    assert "2415.37" in arithmetic[0].message


def test_corpus_hubei_has_no_false_alarm():
    record = process(CORPUS / "hubei_health_2024.html", config)
    assert not [f for f in record.findings if f.category in ("arithmetic", "consistency")]
