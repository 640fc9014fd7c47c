"""KPIs in prose: percentages, percentage points, rates and counts with measure words."""

from decimal import Decimal

import pytest

from extractor.config import load_default
from extractor.figures.kpis import find_kpis

config = load_default()  # the installed rule set, validated once for these tests


def kpis(text):
    return [(k.value, k.unit, k.qualifier, k.comparison) for k in find_kpis(config, text, [])]


def test_percent_with_label():
    [kpi] = find_kpis(config, "财政供养人员控制在预算编制以内，编制内在职人员控制率为100%；", [])
    assert (kpi.value, kpi.unit, kpi.label) == (Decimal(100), "%", "编制内在职人员控制率")


def test_growth_rate_has_its_comparison():
    assert kpis("社会消费品零售总额335.21亿元，同比增长5.5%，") == [(Decimal("5.5"), "%", None, "同比增长")]
    assert kpis("较上年下降0.5%") == [(Decimal("0.5"), "%", None, "较上年下降")]


def test_percentage_points_are_a_unit_of_their_own():
    assert kpis("执行率较上年提高2.5个百分点") == [(Decimal("2.5"), "个百分点", None, "较上年提高")]


def test_full_width_percent_and_chinese_percent():
    assert kpis("满意度达９８．５％") == [(Decimal("98.5"), "%", None, None)]
    assert kpis("完成百分之五十") == [(Decimal(50), "%", None, None)]


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("新签约项目53个（其中", "53", "个", None),
        ("新增涉税企业7家", "7", "家", None),
        ("开展招商考察20（批）次；", "20", "批次", None),
        ("组织40余家（次）企业参加", "40", "家次", "余"),
        ("开展30余场（次）文旅消费活动", "30", "场次", "余"),
        ("现场接待意向客户300余人次，", "300", "人次", "余"),
        ("培训会等活动4场次，", "4", "场次", None),
        ("宣传资料2000余份，", "2000", "份", "余"),
        ("完成3项，", "3", "项", None),
        ("在职人员126人，", "126", "人", None),
        ("检查5次。", "5", "次", None),
        ("超15万人次观赏", "15", "万人次", "超"),
        ("吸引客流约80万人次，", "80", "万人次", "约"),
        ("十余家企业参加", "10", "家", "余"),
    ],
)
def test_counts(text, value, unit, qualifier):
    [kpi] = find_kpis(config, text, [])
    assert (kpi.value, kpi.unit, kpi.qualifier) == (Decimal(value), unit, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "1、办公室； 2、外经外贸股",
        "（3） 消费促进方面",
        "2024年度",
        "“三类500强”",
        "入选第二批示范区",
        "实现“一物一卡一条码”",
        "一次性补助",
        "3项目",
        "二手车出口备案",
        "益赫财绩〔2024〕2号",
    ],
)
def test_not_kpis(text):
    assert find_kpis(config, text, []) == []


def test_count_label_before_or_after():
    text = "新开工项目43个、新投产项目41个；引进6个电子信息主导产业项目落户赫山"
    assert [k.label for k in find_kpis(config, text, [])] == ["新开工项目", "新投产项目", "电子信息主导产业项目"]


def test_money_spans_are_not_counts():
    text = "对外承包工程和劳务合作额820万美元"
    assert find_kpis(config, text, [(text.index("820"), len(text))]) == []


def test_a_list_of_counts_shares_an_id():
    text = "指导我区67家汽车企业、117家家电企业、55家家装企业成功获得资质，分别占比全市总量82.72%、37.03%、51.89%。"
    found = find_kpis(config, text, [])
    assert [k.label for k in found[:3]] == ["汽车企业", "家电企业", "家装企业"]
    assert len({k.list_id for k in found[:3]}) == 1 and len({k.list_id for k in found[3:]}) == 1
    assert found[0].list_id != found[3].list_id


@pytest.mark.parametrize(
    "text, label, value, qualifier",
    [
        ("预算执行率不低于90%；", "预算执行率", "90", "不低于"),  # was label 预算执行率不低于
        ("粮食播种面积不少于12万亩，", "粮食播种面积", "12", "不少于"),
        ("畜禽强制免疫密度达到90%以上；", "畜禽强制免疫密度", "90", "以上"),  # was no qualifier
        ("畜禽强制免疫密度保持在90%以上，", "畜禽强制免疫密度", "90", "以上"),  # was label …保持在
        ("农村公路列养率保持100%，", "农村公路列养率", "100", None),
    ],
)
def test_bounds_are_qualifiers_not_labels(text, label, value, qualifier):
    kpi = find_kpis(config, text, [])[0]
    assert (kpi.label, kpi.value, kpi.qualifier) == (label, Decimal(value), qualifier)


def test_both_ends_of_a_percent_range_share_the_label():
    low, high = find_kpis(config, "考核不合格的乡镇扣减当季资金5%-10%。", [])
    assert (low.value, high.value) == (Decimal(5), Decimal(10))
    assert low.label == high.label == "考核不合格的乡镇扣减当季资金"  # was …资金5 for the upper end


def test_a_missed_target_is_no_label():
    *_, target = find_kpis(config, "农作物秸秆综合利用率88%，未达到90%的年度目标。", [])
    assert target.value == Decimal(90) and target.label is None  # was 未


def test_a_count_nothing_names_before_it_is_named_by_the_verb_after_it():
    text = "其中重点策划开展趣味“兰溪双桡龙舟赛”，超15万人次观赏，火爆端午"
    [kpi] = find_kpis(config, text, [])
    assert (kpi.label, kpi.value, kpi.qualifier) == ("观赏", Decimal(15), "超")
    [kpi] = find_kpis(config, "吸引客流约80万人次，", [])  # a label before it wins
    assert kpi.label == "吸引客流"


def prose_kpis(text):
    from extractor.figures import extract
    from extractor.records import Block, Document

    document = Document(path="x.txt", sha256="", format="txt", blocks=[Block(index=0, kind="paragraph", text=text)])
    return [(k.label, k.value, k.unit) for k in extract(document, [], config).kpis]


def test_counts_joined_by_a_pause_comma_share_what_the_first_names():
    assert prose_kpis("公务接待费3.84万元，共接待22批次、186人次。")[-2:] == [
        ("接待", Decimal(22), "批次"), ("接待", Decimal(186), "人次")]  # fmt: skip
    # a lone verb takes the object of the first verb
    assert prose_kpis("完成县域商业建设行动项目入库12个、扩充3个、验收1个。") == [
        ("县域商业建设行动项目入库", Decimal(12), "个"),
        ("县域商业建设行动项目扩充", Decimal(3), "个"),
        ("县域商业建设行动项目验收", Decimal(1), "个"),
    ]
    # a count named in its own clause keeps its label
    assert [k[0] for k in prose_kpis("新开工项目43个、新投产项目41个。")] == ["新开工项目", "新投产项目"]


def test_a_count_before_the_noun_it_modifies():
    # "全年200天标准": the text names the figure by 标准 (全年 is time); nothing in it says 天数
    text = "营养改善计划资金2,938.40万元（按每生每天5元、全年200天标准，惠及学生29,384人）"
    days = next(k for k in find_kpis(config, text, [(8, 20)]) if k.unit == "天")
    assert (days.label, days.value) == ("标准", Decimal(200))
