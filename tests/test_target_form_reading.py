"""read_form's shortcuts: a label found by its longest matching prefix, and a table without the indicator
header given up before its cells are read for labels."""

from __future__ import annotations

from extractor.config import load_default
from extractor.figures.target_forms import _label_field, form_layout, read_form

config = load_default()

HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "指标说明"]


def test_label_field_takes_the_longest_label_that_starts_the_cell():
    layout = form_layout(config)
    assert layout.field_lengths == tuple(sorted({len(label) for label in layout.fields}, reverse=True))
    for label, name in layout.fields.items():
        assert _label_field(config, label + "：某某") == name or any(
            longer.startswith(label) and len(longer) > len(label) for longer in layout.fields
        )
    assert _label_field(config, "项目总金额（中期规划，万元）：") == "total_amount"
    assert _label_field(config, "本年度项目金额（万元）") == "year_amount"
    assert _label_field(config, "某某街道办事处") is None
    assert _label_field(config, "") is None


def test_a_table_without_the_indicator_header_is_no_form():
    fields = [
        ["项目名称", "社区公园绿化养护", "申请单位", "某某街道办事处"],
        ["一级预算单位", "某某街道办事处", "项目编码", "1"],
    ]
    assert read_form(config, fields + [["产出", "数量", "养护面积", "≥2万平方米", "反映面积"]]) is None
    form = read_form(config, fields + [HEADER, ["产出", "数量", "养护面积", "≥2万平方米", "反映面积"]])
    assert form is not None
    assert form["project_name"] == "社区公园绿化养护" and form["unit"] == "某某街道办事处"
    assert [indicator.name for indicator in form["indicators"]] == ["养护面积"]
    assert form["indicators"][0].row == 3


def test_targets_are_parsed_once_per_document():
    """Within one document's scope a target text is parsed once (the figures stage and the checks share the
    answer); outside it each call parses afresh. The answers are frozen, so sharing them is safe."""
    from extractor.figures.targets import parse_indicator_value, parse_target
    from extractor.memo import one_document

    assert parse_target(config, "≥95%") is not parse_target(config, "≥95%")
    with one_document():
        first = parse_target(config, "≥95%")
        assert parse_target(config, "≥95%") is first
        assert parse_indicator_value(config, "≤12万元") is parse_indicator_value(config, "≤12万元")
    assert first == parse_target(config, "≥95%")
    assert (first.kind, first.comparator, first.value, first.unit) == ("measure", ">=", 95, "%")


def test_a_heading_is_matched_against_the_templates_once_per_document():
    from extractor.memo import one_document
    from extractor.sections.templates import is_known_title

    assert is_known_title(config, "部门基本情况") and not is_known_title(config, "今天天气很好")
    with one_document():
        assert is_known_title(config, "部门基本情况") is True
        assert is_known_title(config, "今天天气很好") is False
