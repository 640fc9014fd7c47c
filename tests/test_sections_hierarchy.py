"""Heading vs list item, levels, run-in headings, templates and attachments on small documents."""

from test_sections_fixtures import HUNAN_CLEAN, TABLE, outline_of, replaced

from extractor.config import load_default
from extractor.records import Style
from extractor.sections.templates import choose_template, normalise_title

config = load_default()  # the installed rule set, validated once for these tests


def shape(outline):
    return [(s.level, s.number, s.title) for s in outline.sections]


def test_clean_outline_levels_keys_and_ids():
    outline = outline_of(HUNAN_CLEAN)
    assert outline.template == "hunan_dept"
    top = [s for s in outline.sections if s.level == 1]
    assert [s.number for s in top] == [
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
        "附件：",
    ]
    assert top[8].key == "result_application"
    assert [(s.id, s.parent, s.key) for s in outline.sections if s.level == 2][:4] == [
        ("1.1", "1", "basic_info.functions"),
        ("1.2", "1", "basic_info.organization"),
        ("2.1", "2", "general_budget_expenditure.basic"),
        ("2.2", "2", "general_budget_expenditure.project"),
    ]
    assert not [s for s in outline.sections if s.expected_number]
    # the report title before the first heading is no section
    assert outline.sections[0].block == 1


def test_four_levels_and_circled_fifth():
    outline = outline_of(
        [
            "一、部门基本情况",
            "（一）部门职能职责",
            "1.主要职责",
            "（1）综合管理",
            "①文秘工作",
            "②档案工作",
            "（2）业务管理",
            "2.内设机构",
            "二、一般公共预算支出情况",
        ]
    )
    assert shape(outline) == [
        (1, "一、", "部门基本情况"),
        (2, "（一）", "部门职能职责"),
        (3, "1.", "主要职责"),
        (4, "（1）", "综合管理"),
        (5, "①", "文秘工作"),
        (5, "②", "档案工作"),
        (4, "（2）", "业务管理"),
        (3, "2.", "内设机构"),
        (1, "二、", "一般公共预算支出情况"),
    ]


def test_run_in_heading():
    outline = outline_of(
        [
            "一、部门基本情况",
            "（一）部门整体支出概况。2024年度部门决算支出为1166.98万元。",
            "（二）机构设置",
            "内设9个股室。",
        ]
    )
    overview = outline.sections[1]
    assert (overview.title, overview.run_in, overview.key) == (
        "部门整体支出概况。",
        True,
        "basic_info.spending_overview",
    )
    assert overview.block_start == overview.block_end == 1


def test_long_numbered_sentences_are_list_items():
    outline = outline_of(
        [
            "一、存在的问题及原因分析",
            "1、预算编制不够细化，部分项目在年中追加，导致预算执行与年初预算存在较大偏差，需要进一步加强。",
            "2、绩效目标设置不够科学。",
            "3、部分项目资金支付进度偏慢，年底集中支付的情况仍然存在，影响了资金使用效益。",
            "二、下一步改进措施",
        ]
    )
    assert shape(outline) == [(1, "一、", "存在的问题及原因分析"), (1, "二、", "下一步改进措施")]


def test_short_numbered_titles_are_headings():
    outline = outline_of(
        ["一、部门整体支出绩效情况", "1、经济性分析", "正文。", "2、效率性分析", "正文。", "二、存在的问题"]
    )
    assert [(s.level, s.number) for s in outline.sections] == [(1, "一、"), (2, "1、"), (2, "2、"), (1, "二、")]


def test_enumeration_ending_in_semicolons_is_not_a_heading():
    outline = outline_of(["一、部门基本情况", "1、办公室；", "2、财务股；", "3、人事股。", "二、一般公共预算支出情况"])
    assert [s.title for s in outline.sections] == ["部门基本情况", "一般公共预算支出情况"]


def test_table_of_contents_and_tables_are_not_sections():
    lines = [
        "目录",
        "一、部门基本情况……………………1",
        "二、一般公共预算支出情况\t3",
        "一、部门基本情况",
        "正文。",
        TABLE,
        "二、一般公共预算支出情况",
        "正文。",
    ]
    outline = outline_of(lines)
    assert [(s.block, s.title) for s in outline.sections] == [(3, "部门基本情况"), (6, "一般公共预算支出情况")]
    assert outline.sections[0].block_end == 5  # the table belongs to the section above it
    marked = outline_of(["一、部门基本情况", "一、部门基本情况", "正文。"], {0: {"in_table_of_contents": True}})
    assert [s.block for s in marked.sections] == [1]


def test_heading_style_makes_a_long_title_a_heading():
    title = "1.部门整体支出绩效目标完成情况，主要成效和存在不足的分析说明"
    lines = ["一、部门整体支出绩效情况", title, "正文。"]
    assert len(outline_of(lines).sections) == 1
    styled = outline_of(lines, {1: {"style": Style(name="Heading 3", outline_level=2)}})
    assert len(styled.sections) == 2


def test_arabic_top_level_among_chinese_is_repaired_by_sequence_and_template():
    lines = replaced(HUNAN_CLEAN, "四、国有资本经营预算支出情况", "4、国有资本经营预算支出情况")
    lines = replaced(lines, "（二）项目支出情况", "（2）项目支出情况")
    outline = outline_of(lines)
    state_capital = next(s for s in outline.sections if s.key == "state_capital")
    assert (state_capital.level, state_capital.id, state_capital.expected_number) == (1, "4", "四、")
    project = next(s for s in outline.sections if s.key == "general_budget_expenditure.project")
    assert (project.level, project.id, project.expected_number) == (2, "2.2", "（二）")


def test_part_headings_shift_levels():
    outline = outline_of(
        [
            "第一部分 部门整体支出绩效自评报告",
            "一、部门基本情况",
            "（一）部门职能职责",
            "二、一般公共预算支出情况",
            "第二部分 附表",
        ]
    )
    assert shape(outline) == [
        (1, "第一部分", "部门整体支出绩效自评报告"),
        (2, "一、", "部门基本情况"),
        (3, "（一）", "部门职能职责"),
        (2, "二、", "一般公共预算支出情况"),
        (1, "第二部分", "附表"),
    ]
    assert outline.sections[1].key == "basic_info"


def test_parenthesised_chinese_as_top_level():
    outline = outline_of(["（一）部门基本情况", "正文。", "（二）存在的问题", "正文。", "（三）改进措施"])
    assert [(s.level, s.key) for s in outline.sections] == [(1, "basic_info"), (1, "problems"), (1, "improvements")]


def test_attachment_headings_cover_their_tables():
    lines = [
        "一、部门基本情况",
        "正文。",
        "附件：1.部门整体支出绩效自评表",
        "2.项目支出绩效自评表",
        "附件1",
        "部门整体支出绩效自评表",
        "单位：万元",
        TABLE,
        "附件2",
        "项目支出绩效自评表",
        TABLE,
    ]
    outline = outline_of(lines)
    attachments = outline.sections[1]
    assert (attachments.level, attachments.number, attachments.key, attachments.block_end) == (
        1,
        "附件：",
        "attachments",
        10,
    )
    children = outline.sections[2:]
    assert [(c.number, c.title, c.key, c.block_start, c.block_end) for c in children] == [
        ("附件1", "部门整体支出绩效自评表", "attachments.dept_self_eval_table", 4, 7),
        ("附件2", "项目支出绩效自评表", "attachments.project_self_eval_table", 8, 10),
    ]


def test_single_inline_attachment_with_unit_name():
    lines = [
        "一、部门基本情况",
        "正文。",
        "附件：茂名市某局2024年度部门整体支出绩效自评表",
        "部门整体支出绩效自评表",
        TABLE,
    ]
    children = outline_of(lines).sections[2:]
    assert [(c.key, c.block_start, c.block_end) for c in children] == [("attachments.dept_self_eval_table", 2, 4)]


def test_attachment_line_before_any_section_is_not_the_attachments_section():
    outline = outline_of(
        ["附件1", "某局2024年度部门整体支出绩效自评报告", "一、部门基本情况", "二、一般公共预算支出情况"]
    )
    assert [s.key for s in outline.sections] == ["basic_info", "general_budget_expenditure"]


def test_no_labels_no_sections():
    outline = outline_of(["某局2024年度部门整体支出绩效自评报告", "2024年，我局认真贯彻落实各项工作。"])
    assert outline.sections == [] and outline.template is None


# ---------------------------------------------------------------- templates


def test_normalised_titles_and_scores():
    assert normalise_title("部门（单位）基本情况：") == "部门单位基本"
    hunan = config.template("hunan_dept")
    best = {title: hunan.matches(title)[:1] for title in ("部门职能", "（二）项目支出执行情况", "提高认识，突出重点")}
    assert [(s.key, score) for s, score in best["部门职能"]] == [("basic_info.functions", 100)]
    ((section, score),) = best["（二）项目支出执行情况"]
    assert section.key == "general_budget_expenditure.project" and score >= 80
    assert best["提高认识，突出重点"] == []  # below the threshold: not a template heading


def test_template_choice_by_title_words_and_region():
    project_titles = ["项目基本情况", "存在的问题及原因分析", "下一步改进措施"]
    assert (
        choose_template(config, project_titles, "长沙市某局2024年度道路养护项目支出绩效自评报告", "").id
        == "hunan_project"
    )
    assert (
        choose_template(config, ["基本情况", "存在的问题"], "某局项目支出绩效自评报告", "").report_kind
        == "project_self_evaluation"
    )
    dept = ["部门基本情况", "存在的问题", "改进措施"]
    assert choose_template(config, dept, "部门整体支出绩效自评报告", "昆明市某局").id == "yunnan_dept"
    assert choose_template(config, dept, "部门整体支出绩效自评报告", "益阳市某局").id == "hunan_dept"


def test_attachment_list_does_not_vote_on_level_two_style():
    # one level-2 heading "（一）" against an attachment list "1." "2." "3.": the list is no outline level
    lines = [
        "一、部门基本情况",
        "（一）部门职能职责",
        "正文。",
        "附件：1.部门整体支出绩效自评表",
        "2.项目支出绩效自评表",
        "3.部门整体支出绩效评价基础数据表",
    ]
    assert not [s for s in outline_of(lines).sections if s.expected_number]
