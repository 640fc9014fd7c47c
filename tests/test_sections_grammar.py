"""Heading labels: every form a report prints, and the figures that only look like labels."""

import pytest

from extractor.sections.grammar import clean_title, parse_label, render_label


@pytest.mark.parametrize(
    ("text", "scheme", "ordinal", "label", "title"),
    [
        ("一、单位基本情况", "cn_dun", 1, "一、", "单位基本情况"),
        ("十、其他需要说明的情况", "cn_dun", 10, "十、", "其他需要说明的情况"),
        ("十二、附则", "cn_dun", 12, "十二、", "附则"),
        ("二. 一般公共预算支出情况", "cn_dun", 2, "二.", "一般公共预算支出情况"),
        ("三．政府性基金预算支出情况", "cn_dun", 3, "三．", "政府性基金预算支出情况"),
        ("壹、部门概况", "cn_dun", 1, "壹、", "部门概况"),
        ("四 国有资本经营预算支出情况", "cn_dun", 4, "四", "国有资本经营预算支出情况"),
        ("第一部分 单位概况", "part", 1, "第一部分", "单位概况"),
        ("第二部分：决算情况说明", "part", 2, "第二部分：", "决算情况说明"),
        ("（一）职能职责", "cn_paren", 1, "（一）", "职能职责"),
        ("(二)机构设置", "cn_paren", 2, "(二)", "机构设置"),
        ("（三）、部门整体支出概况", "cn_paren", 3, "（三）、", "部门整体支出概况"),
        ("（ 四 ）绩效目标", "cn_paren", 4, "（ 四 ）", "绩效目标"),
        ("㈤其他", "cn_paren", 5, "㈤", "其他"),
        ("1.经济性分析", "ar_dot", 1, "1.", "经济性分析"),
        ("1、 单位基本情况", "ar_dot", 1, "1、", "单位基本情况"),
        ("2．效率性分析", "ar_dot", 2, "2．", "效率性分析"),
        ("3)效益性分析", "ar_dot", 3, "3)", "效益性分析"),
        ("4）满意度", "ar_dot", 4, "4）", "满意度"),
        ("１２、全角数字", "ar_dot", 12, "１２、", "全角数字"),
        ("⒊项目管理", "ar_dot", 3, "⒊", "项目管理"),
        ("（2） 项目支出情况", "ar_paren", 2, "（2）", "项目支出情况"),
        ("(1)预算执行方面。", "ar_paren", 1, "(1)", "预算执行方面。"),
        ("③资金管理", "circled", 3, "③", "资金管理"),
        ("⑵资产管理", "circled", 2, "⑵", "资产管理"),
        ("附件", "attachment", None, "附件", ""),
        ("附件：1.部门整体支出绩效评价基础数据表", "attachment", None, "附件：", "1.部门整体支出绩效评价基础数据表"),
        ("附件1", "attachment", 1, "附件1", ""),
        ("附件2：部门整体支出绩效自评表", "attachment", 2, "附件2：", "部门整体支出绩效自评表"),
        ("附件一 项目支出绩效自评表", "attachment", 1, "附件一", "项目支出绩效自评表"),
        ("附表3", "attachment", 3, "附表3", ""),
        ("附：部门整体支出绩效自评表", "attachment", None, "附：", "部门整体支出绩效自评表"),
        ("\u3000\u3000二、一般公共预算支出情况", "cn_dun", 2, "二、", "一般公共预算支出情况"),
        ("1、2024年完成情况", "ar_dot", 1, "1、", "2024年完成情况"),
    ],
)
def test_label_forms(text, scheme, ordinal, label, title):
    parsed = parse_label(text)
    assert parsed is not None
    assert (parsed.scheme, parsed.ordinal, parsed.label, parsed.title) == (scheme, ordinal, label, title)


@pytest.mark.parametrize(
    "text",
    [
        "2024年度部门决算收入为1166.98万元",
        "1166.98万元为全年支出",
        "1.5万元用于办公设备购置",
        "10、20个项目已开工",
        "1、2、3号楼已完工",
        "三、四月份开展集中整治",
        "一是创新模式",
        "十分重视预算管理",
        "附件中的表格列出了各项指标",
        "根据赫山区编制委员会核定，区商务局其有9个内设机构，分别是：1、办公室；",
        "(2024年)",
        "二〇二四年",
        "",
    ],
)
def test_not_labels(text):
    assert parse_label(text) is None


def test_forms_tell_styles_apart():
    forms = {t: parse_label(t).form for t in ("一、甲", "1、甲", "（一）甲", "(一)甲", "（1）甲", "1.甲", "1．甲")}
    assert forms == {
        "一、甲": "C、",
        "1、甲": "D、",
        "（一）甲": "（C）",
        "(一)甲": "(C)",
        "（1）甲": "（D）",
        "1.甲": "D.",
        "1．甲": "D．",
    }


@pytest.mark.parametrize(
    ("form", "ordinal", "label"),
    [
        ("C、", 4, "四、"),
        ("（C）", 2, "（二）"),
        ("D.", 3, "3."),
        ("（D）", 11, "（11）"),
        ("①", 5, "⑤"),
        ("⑴", 2, "⑵"),
    ],
)
def test_render_label(form, ordinal, label):
    assert render_label(form, ordinal) == label


def test_clean_title():
    assert clean_title("绩效评价目的。") == "绩效评价目的"
    assert clean_title("主要做法：") == "主要做法"
