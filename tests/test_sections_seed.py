"""The section tree of the real seed report and of the corpus documents made from it.

Expected values are read off the source text (corpus/heshan_commerce_2024.txt, the real seed report): its top
level is 1、 二、 三、 4、 5、 六、 七、 8、 9、 十、 (Word's 一…十 degraded by a converter), then the 附件 list.
"""

from functools import cache
from pathlib import Path

import pytest

from extractor.config import load_default
from extractor.readers import read
from extractor.sections import segment
from extractor.sections.render import render_tree

config = load_default()  # the installed rule set, validated once for these tests

SEED = Path(__file__).parent.parent / "corpus" / "heshan_commerce_2024.txt"  # the real seed report, byte for byte
CORPUS = Path(__file__).resolve().parent.parent / "corpus"

TOP_TITLES = [
    "单位基本情况",
    "一般公共预算支出情况",
    "政府性基金预算支出情况",
    "国有资本经营预算支出情况",
    "社会保险基金预算支出情况",
    "部门整体支出绩效情况",
    "存在的问题及原因分析",
    "下一步改进措施",
    "绩效自评结果拟应用和公开情况",
    "其他需要说明的情况",
]
TOP_KEYS = [
    "basic_info",
    "general_budget_expenditure",
    "government_fund",
    "state_capital",
    "social_insurance_fund",
    "performance",
    "problems",
    "improvements",
    "result_application",
    "other",
]
ATTACHMENT_KEYS = [
    "attachments.dept_basic_data_table",
    "attachments.dept_self_eval_table",
    "attachments.project_self_eval_table",
]


@cache
def outline_of(path: Path):
    document = read(path)
    return document, segment(document, config)


def seed():
    return outline_of(SEED)


def by_title(sections, title):
    (found,) = [s for s in sections if s.title == title]
    return found


def test_seed_top_level_sections_in_order():
    _, outline = seed()
    top = [s for s in outline.sections if s.level == 1]
    assert [s.title for s in top[:10]] == TOP_TITLES
    assert [s.number for s in top[:10]] == ["1、", "二、", "三、", "4、", "5、", "六、", "七、", "8、", "9、", "十、"]
    assert [s.key for s in top[:10]] == TOP_KEYS
    assert len(set(TOP_KEYS)) == 10
    assert [s.id for s in top] == [str(i) for i in range(1, 12)]
    assert top[10].key == "attachments" and top[10].number == "附件："
    assert outline.template == "hunan_dept"


def test_seed_repaired_labels_record_the_expected_number():
    _, outline = seed()
    expected = {s.number + s.title: s.expected_number for s in outline.sections if s.expected_number}
    assert expected == {
        "1、单位基本情况": "一、",
        "（2）项目支出情况": "（二）",
        "4、国有资本经营预算支出情况": "四、",
        "5、社会保险基金预算支出情况": "五、",
        "8、下一步改进措施": "八、",
        "9、绩效自评结果拟应用和公开情况": "九、",
    }


def test_seed_project_expenditure_is_second_child_of_general_budget():
    _, outline = seed()
    parent = by_title(outline.sections, "一般公共预算支出情况")
    children = [s for s in outline.sections if s.parent == parent.id]
    assert [c.title for c in children] == ["基本支出情况", "项目支出情况"]
    project = children[1]
    assert (project.number, project.level, project.id, project.key) == (
        "（2）",
        2,
        "2.2",
        "general_budget_expenditure.project",
    )


def test_seed_numbered_duties_and_office_names_are_not_sections():
    document, outline = seed()
    functions = by_title(outline.sections, "职能职责")
    assert functions.key == "basic_info.functions"
    assert not [s for s in outline.sections if s.parent == functions.id]
    # the 17 duties ("1、贯彻执行…" … "17、完成区委、区政府交办的其他任务。") stay inside 职能职责's range
    duties = [b for b in document.blocks if functions.block < b.index <= functions.block_end]
    assert len(duties) == 17 and duties[-1].text.startswith("17、")
    assert not [s for s in outline.sections if "办公室" in s.title or "贯彻执行" in s.title]
    basic_info = by_title(outline.sections, "单位基本情况")
    assert [s.title for s in outline.sections if s.parent == basic_info.id] == [
        "职能职责",
        "机构设置",
        "部门整体支出概况",
        "部门整体支出绩效目标",
        "部门整体支出情况分析",
    ]


def test_seed_deep_headings_and_run_ins():
    _, outline = seed()
    conclusion = by_title(outline.sections, "主要绩效及评价结论。")
    assert conclusion.key == "performance.conclusion"
    level3 = [s for s in outline.sections if s.parent == conclusion.id]
    assert [(s.number, s.title, s.level) for s in level3] == [
        ("1、", "经济性分析", 3),
        ("2、", "效率性分析", 3),
        ("3、", "效益性分析", 3),
    ]
    investment = by_title(outline.sections, "抓招商方面。")
    assert (investment.number, investment.level, investment.run_in, investment.parent) == (
        "（1）",
        4,
        True,
        level3[2].id,
    )
    assert not by_title(outline.sections, "绩效评价目的。").run_in
    improvements = by_title(outline.sections, "下一步改进措施")
    assert [s.title for s in outline.sections if s.parent == improvements.id] == [
        "提高认识，突出重点",
        "强化管理，规范行为",
        "科学考核，注重实效",
    ]


def test_seed_attachments():
    document, outline = seed()
    attachments = by_title(outline.sections, "附件")
    children = [s for s in outline.sections if s.parent == attachments.id]
    assert [c.key for c in children] == ATTACHMENT_KEYS
    assert [c.title for c in children] == [
        "部门整体支出绩效评价基础数据表",
        "部门整体支出绩效自评表",
        "项目支出绩效自评表",
    ]
    assert attachments.block_end == document.blocks[-1].index


def test_seed_ranges_partition_the_body():
    document, outline = seed()
    top = [s for s in outline.sections if s.level == 1]
    assert top[0].block_start == 0
    for before, after in zip(top, top[1:]):
        assert before.block_end == after.block_start - 1
    for section in outline.sections:
        assert section.block_start <= section.block_end
        if section.parent:
            parent = next(s for s in outline.sections if s.id == section.parent)
            assert parent.block_start <= section.block_start and section.block_end <= parent.block_end


def test_render_tree_shows_template_keys_and_repairs():
    _, outline = seed()
    text = render_tree(outline)
    lines = text.splitlines()
    assert lines[0] == "template: hunan_dept"
    assert lines[1].startswith("1、 单位基本情况  [basic_info 100] (expected 一、)")
    assert any(
        line.startswith("  （2） 项目支出情况  [general_budget_expenditure.project 100] (expected （二）)")
        for line in lines
    )
    assert any(line.startswith("      （1） 抓招商方面。") and "(run-in)" in line for line in lines)


# ---------------------------------------------------------------- the corpus


@pytest.mark.parametrize("suffix", ["docx", "pdf", "html"])
def test_clean_formats_of_the_seed_have_the_same_outline(suffix):
    document, outline = outline_of(CORPUS / f"heshan_commerce_2024.{suffix}")
    top = [s for s in outline.sections if s.level == 1]
    assert [s.key for s in top] == [*TOP_KEYS, "attachments"]
    assert [s.number for s in top[:10]] == [
        "一、",
        "二、",
        "三、",
        "四、",
        "五、",
        "六、",
        "七、",
        "八、",
        "九、",
        "十、",
    ]
    assert not [s for s in outline.sections if s.expected_number]
    project = by_title(outline.sections, "项目支出情况")
    assert (project.number, project.id) == ("（二）", "2.2")
    # each attachment's range holds its table
    children = [s for s in outline.sections if s.parent == top[10].id]
    assert [c.key for c in children] == ATTACHMENT_KEYS
    for child in children:
        kinds = [b.kind for b in document.blocks[child.block_start : child.block_end + 1]]
        assert kinds.count("table") == 1


@pytest.mark.parametrize(
    ("name", "template", "first_keys"),
    [
        ("maoming_agri_2024.docx", "guangdong_dept", ["basic_info", "general_budget_expenditure"]),
        ("changsha_road_project_2024.pdf", "hunan_project", ["project_basic_info", "fund_use", "implementation"]),
        ("yunnan_edu_2024.txt", "yunnan_dept", ["basic_info", "evaluation_work", "conclusion"]),
        ("hubei_health_2024.html", "hubei_dept", ["basic_info", "performance", "problems"]),
    ],
)
def test_template_is_chosen_per_document(name, template, first_keys):
    _, outline = outline_of(CORPUS / name)
    assert outline.template == template
    assert [s.key for s in outline.sections if s.level == 1][: len(first_keys)] == first_keys
