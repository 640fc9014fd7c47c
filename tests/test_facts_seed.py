"""The figures of the real published sample (益阳市赫山区商务局 2024), read from its text: every money figure
with value, unit, qualifier and label, the 其中-structure, and the KPIs. Expectations are read off the
document by hand (corpus/heshan_commerce_2024.txt, the real seed report)."""

from decimal import Decimal
from pathlib import Path

import pytest

from extractor.config import load_default
from extractor.figures import extract
from extractor.readers import read
from extractor.sections import segment

config = load_default()  # the installed rule set, validated once for these tests

SEED = Path(__file__).parent.parent / "corpus" / "heshan_commerce_2024.txt"  # the real seed report, byte for byte


@pytest.fixture(scope="module")
def seed():
    document = read(SEED)
    return document, extract(document, segment(document, config).sections, config)


# (value, unit, qualifier, label) in document order
FISCAL = [
    ("1166.98", "万元", None, "部门决算收入"),
    ("1166.98", "万元", None, "部门决算支出"),
    ("717.79", "万元", None, "基本支出"),
    ("342.98", "万元", None, "人员经费支出"),
    ("374.81", "万元", None, "日常公用经费支出"),
    ("449.19", "万元", None, "其他项目支出"),
    ("0", "万元", None, "年末结转和结余"),
    ("645.17", "万元", None, "一般公共预算基本支出"),
    ("503.64", "万元", None, "一般公共服务支出"),
    ("32.52", "万元", None, "文化旅游体育与传媒支出"),
    ("85.42", "万元", None, "社会保障和就业支出"),
    ("0.06", "万元", None, "商业服务业等支出"),
    ("9.89", "万元", None, "卫生和健康支出"),
    ("13.64", "万元", None, "住房保障支出"),
    ("436.19", "万元", None, "一般公共预算项目支出"),
    ("30.51", "万元", None, "一般公共服务支出"),
    ("405.68", "万元", None, "商业服务业等支出"),
    ("13", "万元", None, "政府性基金预算"),
]
OUTCOMES = [
    ("166.92", "亿元", None, "引进省外境内资金"),
    ("9.54", "亿元", None, "引进域外省内资金"),
    ("14", "万美元", None, "引进外商直接投资"),
    ("30", "亿元", None, "湘商到位资金"),
    ("7.5", "亿元", None, "外贸进出口"),
    ("600", "万元", None, "对非贸易额"),
    ("100", "万美元", None, "对外实际投资额"),
    ("820", "万美元", None, "对外承包工程和劳务合作额"),
    ("280", "万美元", "预计", "成交订单"),
    ("20", "万元", "余", "现场销售"),
    ("800", "万美元", None, "意向成交金额"),
    ("335.21", "亿元", None, "社会消费品零售总额"),
    ("5.95", "亿元", None, "农产品网上销售额"),
    ("4000", "万元", "超", "消费"),
    ("150", "万元", None, "销售额"),
    ("7", "万元", "余", "补贴"),
    ("4", "亿元", "约", "电商交易额"),
    ("4800", "万元", "超", "农产品"),
]
KEYS = {
    "部门决算收入": "total_income",
    "部门决算支出": "total_expenditure",
    "基本支出": "basic_expenditure",
    "人员经费支出": "personnel_expenditure",
    "日常公用经费支出": "public_expenditure",
    "其他项目支出": "project_expenditure",
    "年末结转和结余": "carryover_end",
    "一般公共预算基本支出": "general_budget_basic",
    "一般公共服务支出": "201",
    "文化旅游体育与传媒支出": "207",
    "社会保障和就业支出": "208",
    "商业服务业等支出": "216",
    "卫生和健康支出": "210",
    "住房保障支出": "221",
    "一般公共预算项目支出": "general_budget_project",
    "政府性基金预算": "government_fund",
}


def printed(document, figure):
    return document.blocks[figure.block].text[figure.start : figure.end]


def test_every_money_figure_in_order(seed):
    document, figures = seed
    zero = [f for f in figures.facts if f.key == "three_public"]
    facts = [f for f in figures.facts if f not in zero]
    assert len(facts) == len(FISCAL) + len(OUTCOMES)
    for fact, (value, unit, qualifier, label) in zip(facts, FISCAL + OUTCOMES):
        assert (fact.value, fact.unit, fact.qualifier) == (Decimal(value), unit, qualifier), printed(document, fact)
        assert label in fact.label, (fact.label, printed(document, fact))
        assert value in printed(document, fact)
    for fact, (_, _, _, label) in zip(facts, FISCAL):
        assert fact.label == label and fact.key == KEYS[label]
    for fact in facts[len(FISCAL) :]:
        assert fact.key is None  # outcome figures are not budget quantities


def test_currency_amount_and_spans(seed):
    document, figures = seed
    by_printed = {printed(document, f): f for f in figures.facts}
    assert by_printed["14万美元"].currency == "USD" and by_printed["14万美元"].amount == Decimal(140000)
    assert by_printed["166.92亿元"].amount == Decimal("16692000000")
    assert by_printed["超4000万元"].qualifier == "超"
    assert by_printed["7万余元"].amount == Decimal(70000)
    assert by_printed["约4亿元"].qualifier == "约"
    assert by_printed["20余万"].amount == Decimal(200000)
    assert by_printed["0.06万元"].decimals == 2 and by_printed["13万元"].decimals == 0
    for fact in figures.facts:
        assert printed(document, fact) in fact.sentence


def test_zero_statement(seed):
    document, figures = seed
    [zero] = [f for f in figures.facts if f.key == "three_public"]
    assert (zero.value, zero.unit, zero.amount) == (Decimal(0), "万元", Decimal(0))
    assert printed(document, zero) == "0" and "“三公”经费支出为0" in zero.sentence


def test_parts_linked_to_their_totals(seed):
    _, figures = seed
    by_id = {f.id: f for f in figures.facts}

    def parts(total_label, total_value):
        [total] = [f for f in figures.facts if f.label == total_label and f.value == Decimal(total_value)]
        return sorted(str(f.value) for f in figures.facts if f.parent == total.id)

    assert parts("部门决算支出", "1166.98") == ["449.19", "717.79"]
    assert parts("基本支出", "717.79") == ["342.98", "374.81"]
    assert parts("一般公共预算基本支出", "645.17") == ["0.06", "13.64", "32.52", "503.64", "85.42", "9.89"]
    assert parts("一般公共预算项目支出", "436.19") == ["30.51", "405.68"]
    assert parts("部门决算收入", "1166.98") == []
    carryover = next(f for f in figures.facts if f.key == "carryover_end")
    assert carryover.parent is None
    for fact in figures.facts:
        if fact.currency == "USD":
            assert fact.parent is None
        if fact.parent:
            assert by_id[fact.parent].block == fact.block


def test_no_figures_from_years_ranks_names_or_document_numbers(seed):
    _, figures = seed
    values = {f.value for f in figures.facts} | {k.value for k in figures.kpis}
    assert not values & {Decimal(2024), Decimal(2023), Decimal(500), Decimal(711)}


def test_ids_and_sections(seed):
    _, figures = seed
    assert [f.id for f in figures.facts] == [f"F{i}" for i in range(1, len(figures.facts) + 1)]
    assert [k.id for k in figures.kpis] == [f"K{i}" for i in range(1, len(figures.kpis) + 1)]
    if figures.facts[0].section is not None:  # the sections stage is in
        sections = {f.section for f in figures.facts[:7]}
        assert len(sections) == 1  # all of 一（三）部门整体支出概况


def test_kpis(seed):
    _, figures = seed
    kpis = [(k.value, k.unit, k.qualifier, k.comparison) for k in figures.kpis]
    assert (Decimal(100), "%", None, None) in kpis
    assert (Decimal("5.5"), "%", None, "同比增长") in kpis
    growth = next(k for k in figures.kpis if k.comparison == "同比增长")
    assert growth.label == "社会消费品零售总额"
    control = next(k for k in figures.kpis if k.value == Decimal(100) and k.unit == "%")
    assert control.label == "编制内在职人员控制率"
    shares = {
        k.value: k.label
        for k in figures.kpis
        if k.unit == "%" and k.value in {Decimal("82.72"), Decimal("37.03"), Decimal("51.89")}
    }
    assert "汽车企业" in shares[Decimal("82.72")]
    assert "家电企业" in shares[Decimal("37.03")]
    assert "家装企业" in shares[Decimal("51.89")]


COUNTS_OF_SIX = [
    ("53", "个", None),
    ("3", "个", None),
    ("2", "个", None),
    ("6", "个", None),
    ("8", "家", None),
    ("43", "个", None),
    ("41", "个", None),
    ("10", "个", None),
    ("7", "家", None),
    ("20", "批次", None),
    ("80", "批次", None),
    ("75", "家", None),
    ("1", "个", None),
    ("6", "个", None),
    ("40", "家次", "余"),
    ("300", "人次", "余"),
    ("100", "家", "余"),
    ("2", "个", None),
    ("5", "个", None),
    ("4", "场次", None),
    ("400", "人次", "余"),
    ("32", "家", None),
    ("30", "场次", "余"),
    ("80", "万人次", "约"),
    ("15", "万人次", "超"),
    ("4", "家", None),
    ("12", "个", None),
    ("3", "个", None),
    ("2000", "份", "余"),
    ("67", "家", None),
    ("117", "家", None),
    ("55", "家", None),
    ("16", "家", None),
]


def test_counts_of_section_six(seed):
    document, figures = seed
    six = next(b.index for b in document.blocks if b.text.startswith("六、"))
    counts = [(k.value, k.unit, k.qualifier) for k in figures.kpis if k.block > six and k.unit != "%"]
    assert counts == [(Decimal(v), u, q) for v, u, q in COUNTS_OF_SIX]


def test_department_and_year(seed):
    _, figures = seed
    assert figures.year == 2024
    assert figures.department is not None and figures.department.endswith("赫山区商务局")


# ---------------------------------------------------------------- the same structure rules on other phrasings


def figures_of(*paragraphs):
    from extractor.records import Block, Document

    blocks = [Block(index=i, kind="paragraph", text=text) for i, text in enumerate(paragraphs)]
    return extract(Document(path="x.txt", sha256="", format="txt", blocks=blocks), [], config).facts


def parent_values(facts):
    by_id = {f.id: f for f in facts}
    return {str(f.value): str(by_id[f.parent].value) if f.parent else None for f in facts}


def test_a_grand_total_ends_a_list_and_carryover_is_no_part():
    facts = figures_of(
        "本部门收入合计3,286.45万元，其中一般公共预算财政拨款收入2,846.25万元，其他收入440.20万元；"
        "支出合计3,251.73万元，其中基本支出1,387.62万元，项目支出1,864.11万元；年末结转和结余34.72万元。"
    )
    assert parent_values(facts) == {
        "3286.45": None,
        "2846.25": "3286.45",
        "440.20": "3286.45",
        "3251.73": None,
        "1387.62": "3251.73",
        "1864.11": "3251.73",
        "34.72": None,
    }


def test_bracketed_parts_and_nested_three_public():
    facts = figures_of(
        "“三公”经费支出18.36万元。其中：因公出国（境）费0万元；公务用车购置及运行维护费14.52万元"
        "（其中公务用车购置费0万元，公务用车运行维护费14.52万元）；公务接待费3.84万元。"
    )
    keys = {f.key: f for f in facts}
    assert keys["three_public.overseas"].parent == keys["three_public"].id
    assert keys["three_public.vehicle_purchase"].parent == keys["three_public.vehicle"].id
    assert keys["three_public.vehicle_operation"].parent == keys["three_public.vehicle"].id
    assert keys["three_public.reception"].parent == keys["three_public"].id


def test_a_part_larger_than_the_nearest_figure_belongs_to_an_earlier_one():
    facts = figures_of(
        "项目全年执行数1,352.60万元，结余27.40万元。其中：县道日常养护支出392.40万元，乡道支出392.40万元。"
    )
    assert parent_values(facts)["27.40"] is None
    assert [str(f.value) for f in facts if f.parent == facts[0].id] == ["392.40", "392.40"]


def test_a_subject_names_a_total_paragraphs_back():
    facts = figures_of(
        "本年支出合计38,415.26万元，其中：基本支出29,863.50万元，项目支出8,551.76万元。",
        "基本支出中，人员经费和公用经费分别为27,914.36、1,949.14万元。",
        "项目支出主要包括：学生资助资金1,025.30万元；营养改善计划资金2,938.40万元。",
    )
    values = parent_values(facts)
    assert values["27914.36"] == values["1949.14"] == "29863.50"
    assert values["1025.30"] == values["2938.40"] == "8551.76"
    labels = {str(f.value): f.label for f in facts}
    assert (labels["27914.36"], labels["1949.14"]) == ("人员经费", "公用经费")


def test_a_list_introduced_at_a_line_end_goes_on_in_the_next_paragraphs():
    facts = figures_of(
        "基本支出645.17万元，主要用于：", "1.人员经费503.64万元；", "2.公用经费141.53万元。", "另有奖励资金10万元。"
    )
    assert parent_values(facts) == {"645.17": None, "503.64": "645.17", "141.53": "645.17", "10": None}


def test_foreign_currency_is_never_a_part_of_a_budget_total():
    facts = figures_of("外贸进出口7.5亿元，其中对外实际投资额100万美元，对外承包工程和劳务合作额820万美元。")
    assert all(f.parent is None for f in facts)


def test_a_change_is_attached_not_a_figure():
    facts = figures_of("一般公共预算基本支出13,674,200.00元，同比增加423,800.00元，增长3.2%。")
    [fact] = facts
    assert (fact.change.basis, fact.change.direction, fact.change.amount, fact.change.percent) == (
        "同比",
        "up",
        Decimal("423800.00"),
        Decimal("3.2"),
    )


def test_a_carryover_in_a_funds_section_is_the_funds():
    from extractor.records import Block, Document, Section

    paragraphs = [
        "二、部门收支情况",
        "本部门支出合计3,251.73万元；年末结转和结余34.72万元。",
        "三、政府性基金预算支出情况",
        "2024年政府性基金预算财政拨款收入420.00万元，支出385.28万元，年末结转34.72万元，已按规定结转下年继续使用。",
    ]
    blocks = [Block(index=i, kind="paragraph", text=text) for i, text in enumerate(paragraphs)]
    sections = [
        Section(id=str(n), parent=None, level=1, number=number, title=title, key=key, score=None, page=None,
                block=2 * n - 2, block_start=2 * n - 2, block_end=2 * n - 1)
        for n, number, title, key in [(1, "二、", "部门收支情况", None), (2, "三、", "政府性基金预算支出情况", "government_fund")]
    ]  # fmt: skip
    facts = extract(Document(path="x.txt", sha256="", format="txt", blocks=blocks), sections, config).facts
    assert [(f.label, f.key) for f in facts] == [
        ("支出合计", "total_expenditure"), ("年末结转和结余", "carryover_end"),
        ("政府性基金预算财政拨款收入", None), ("政府性基金预算财政拨款支出", "government_fund"), ("年末结转", None),
    ]  # fmt: skip
