"""Money in prose: every phrasing the figures stage must read, and the numbers it must leave alone."""

from decimal import Decimal

import pytest

from extractor.config import load_default
from extractor.figures.numbers import find_change, find_money, find_zero_statements, normalize, parse_numeral

config = load_default()  # the installed rule set, validated once for these tests


def money(text):
    return [(m.value, m.unit, m.qualifier) for m in find_money(config, text) if not m.rate]


def only(text):
    found = find_money(config, text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "amount"),
    [
        ("支出1166.98万元", "1166.98", "万元", "11669800"),
        ("经费一千二百万元", "1200", "万元", "12000000"),
        ("补助十三万元", "13", "万元", "130000"),
        ("支出1,234,567.89元", "1234567.89", "元", "1234567.89"),
        ("引进资金166.92亿元", "166.92", "亿元", "16692000000"),
        ("费用3千元", "3", "千元", "3000"),
        ("投资14万美元", "14", "万美元", "140000"),
        ("出口2亿美元", "2", "亿美元", "200000000"),
        ("成交订单280美元", "280", "美元", "280"),
        ("支出１２３．４５万元", "123.45", "万元", "1234500"),
        ("收入１２，３４５．６７元", "12345.67", "元", "12345.67"),
        ("支出1 166.98万元", "1166.98", "万元", "11669800"),
        ("资金1166.98 万元", "1166.98", "万元", "11669800"),
        ("结余-3.50万元", "-3.50", "万元", "-35000.00"),
    ],
)
def test_amounts(text, value, unit, amount):
    figure = only(text)
    assert (figure.value, figure.unit, figure.amount) == (Decimal(value), unit, Decimal(amount))
    assert text[figure.start : figure.end].replace(" ", "").endswith(unit[-1])


def test_decimals_as_printed():
    figure = only("支出420.00万元")
    assert str(figure.value) == "420.00" and figure.decimals == 2
    assert only("支出13万元").decimals == 0


def test_bare_wan_is_money_only_in_a_money_clause():
    figure = only("现场销售20余万，达成合作意向2个")
    assert (figure.value, figure.unit, figure.qualifier) == (Decimal(20), "万元", "余")
    assert figure.amount == Decimal(200000)


@pytest.mark.parametrize(
    "text", ["吸引客流约80万人次", "种植面积3万亩", "服务群众5万人", "收购粮食2万斤", "发放资料1万份", "观众达10万，"]
)
def test_wan_on_other_units_is_not_money(text):
    assert money(text) == []


def test_unit_shared_by_a_list():
    assert money("分别为503.64、32.52万元") == [(Decimal("503.64"), "万元", None), (Decimal("32.52"), "万元", None)]
    found = find_money(config, "分别为503.64、32.52万元")
    assert found[0].list_id == found[1].list_id is not None


def test_comma_between_numbers_sharing_a_unit_is_a_list_not_thousands():
    assert money("收、支总计各是1532.07,1560.18万元") == [
        (Decimal("1532.07"), "万元", None),
        (Decimal("1560.18"), "万元", None),
    ]
    assert money("各是1532.07，1560.18万元") == [(Decimal("1532.07"), "万元", None), (Decimal("1560.18"), "万元", None)]


def test_full_width_comma_outside_a_list_ends_a_clause():
    # "编号3，资金10万元": 3 is no money
    assert money("编号3，资金10万元") == [(Decimal(10), "万元", None)]


@pytest.mark.parametrize("text", ["补助5-10万元", "补助5至10万元", "补助5~10万元"])
def test_ranges(text):
    figure = only(text)
    assert (figure.value, figure.value_max, figure.unit) == (Decimal(5), Decimal(10), "万元")


@pytest.mark.parametrize(
    ("text", "qualifier", "value", "unit"),
    [
        ("带动消费超4000万元", "超", "4000", "万元"),
        ("发放补贴7万余元", "余", "7", "万元"),
        ("交易额约4亿元", "约", "4", "亿元"),
        ("投入近100万元", "近", "100", "万元"),
        ("超过50万元", "超过", "50", "万元"),
        ("逾30亿元", "逾", "30", "亿元"),
        ("不足5万元", "不足", "5", "万元"),
        ("销售额100万元以上", "以上", "100", "万元"),
        ("资金100多万元", "多", "100", "万元"),
        ("资金100万元左右", "左右", "100", "万元"),
        ("资金100万元上下", "上下", "100", "万元"),
        ("成交订单预计280万美元", "预计", "280", "万美元"),  # an estimate is approximate
    ],
)
def test_qualifiers_kept_as_data(text, qualifier, value, unit):
    figure = only(text)
    assert (figure.qualifier, figure.value, figure.unit) == (qualifier, Decimal(value), unit)
    if text.startswith(("带动", "超过", "逾", "不足")):
        assert text[figure.start :].startswith(qualifier)


def test_zero_amount_with_unit():
    figure = only("年末结转和结余0万元")
    assert (figure.value, figure.unit, figure.amount) == (Decimal(0), "万元", Decimal(0))


def test_zero_statement_without_unit():
    text = "编制内在职人员控制率为100%；“三公”经费支出为0。"
    assert find_money(config, text) == []
    [(start, end, decimals)] = find_zero_statements(text)
    assert text[start:end] == "0" and decimals == 0
    assert find_zero_statements("结余为0.00，") == [(3, 7, 2)]


@pytest.mark.parametrize("text", ["每生每天4元", "补助标准800元/人", "租金30元/平方米", "单价5元/亩"])
def test_per_unit_rates_are_not_amounts(text):
    assert [m.rate for m in find_money(config, text)] and all(m.rate for m in find_money(config, text))


def test_rate_unit():
    assert only("补助标准800元/人").rate == "元/人"
    assert only("租金30元/平方米").rate == "元/平方米"


@pytest.mark.parametrize(
    "text, rate, label",
    [
        ("按每生每天5元标准提供营养膳食补助", "元/生·天", None),
        ("日常养护资金按县道每公里每年1.8万元", "万元/公里·年", "县道"),
        ("按小学每生每年720元", "元/生·年", "小学"),
        ("亩均投入约3000元", "元/亩", "亩均投入"),
    ],
)
def test_rate_printed_before_the_figure_names_its_unit(text, rate, label):
    """A "每X每Y" or "X均" before the figure is part of the unit (元/生·天), not of the label; the span stays the
    figure's own ("5元"), and the label is what the rate is for."""
    from extractor.figures import extract
    from extractor.records import Block, Document

    figure = only(text)
    assert figure.rate == rate and text[figure.start : figure.end].lstrip("约").endswith("元")
    doc = Document(path="t.txt", sha256="0", format="txt", blocks=[Block(index=0, kind="paragraph", text=text)])
    (kpi,) = extract(doc, [], config).kpis
    assert (kpi.unit, kpi.label, kpi.value) == (rate, label, figure.value)


@pytest.mark.parametrize(
    "text",
    [
        "2024年度部门整体支出",
        "2023年“城市一刻钟”便民生活圈建设资金",
        "（益赫财绩〔2024〕2号）等文件精神",
        "引进华能湖南新能源有限公司1个“三类500强”企业",
        "招商引进“711便利店”“霸王茶姬”等",
        "万达广场成功入选第二批湖南省夜间消费聚集示范区",
        "持续优化万海商圈",
        "联系电话：0737-4221234",
        "1、办公室； 2、外经外贸股；3、市场调节股",
        "（3） 消费促进方面",
        "提高2.5个百分点",
        "截至2024年12月31日",
    ],
)
def test_not_money(text):
    assert find_money(config, text) == []


def test_change_attached_to_a_figure():
    text = "“三公”经费支出18.36万元，同比增加12.5万元，增长3.2%。"
    figure = find_money(config, text)[0]
    change, end = find_change(config, text, figure.end)
    assert (change.basis, change.direction, change.amount, change.unit, change.percent) == (
        "同比",
        "up",
        Decimal("12.5"),
        "万元",
        Decimal("3.2"),
    )
    assert text[end - 1] == "%"


def test_change_down_and_percent_only():
    text = "社会消费品零售总额335.21亿元，同比增长5.5%，"
    change, _ = find_change(config, text, text.index("元") + 1)
    assert (change.direction, change.percent, change.amount) == ("up", Decimal("5.5"), None)
    text = "支出100万元，较上年减少2.14万元，下降10.44%"
    change, _ = find_change(config, text, text.index("元") + 1)
    assert (change.basis, change.direction, change.amount, change.percent) == (
        "较上年",
        "down",
        Decimal("2.14"),
        Decimal("10.44"),
    )
    text = "支出100万元，与上年持平"
    assert find_change(config, text, text.index("元") + 1)[0].direction == "flat"
    assert find_change(config, "支出100万元，用于办公", 7) is None


def test_parse_numeral_and_normalize_keep_lengths():
    assert parse_numeral("1,234.50") == (Decimal("1234.50"), 2)
    assert parse_numeral("十三") == (Decimal(13), 0)
    text = "１２３．４５万元，同比"
    assert len(normalize(text)) == len(text)
    assert normalize(text).startswith("123.45万元，")


def test_time_word_before_a_label_is_dropped_whole():
    from extractor.figures.labels import label_before

    text = "项目年初预算1,200.00万元，年中追加180.00万元"
    assert label_before(config, text, text.index("180")) == "追加"  # was 中追加: 年 and 中 were split
