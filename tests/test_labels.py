"""Labels read from the clause before a figure, and the canonical keys they name."""

import re
from pathlib import Path

import pytest

from extractor.config import load_default
from extractor.figures.labels import (
    canonical_key,
    label_after,
    label_and_estimate,
    label_before,
    split_subjects,
    tokenizer,
)

ROOT = Path(__file__).resolve().parent.parent
config = load_default()  # the installed rule set, validated once for these tests


def label_of(text, figure):
    return label_before(config, text, text.index(figure))


@pytest.mark.parametrize(
    ("text", "figure", "label"),
    [
        ("2024年度部门决算收入为1166.98万元，支出为1166.98万元。", "1166.98", "部门决算收入"),
        ("基本支出主要用于：人员经费支出342.98万元，", "342.98", "人员经费支出"),
        ("其中一般公共服务支出503.64万元，", "503.64", "一般公共服务支出"),
        ("全年完成引进省外境内资金166.92亿元，", "166.92", "引进省外境内资金"),
        ("消费促进方面。全年完成社会消费品零售总额335.21亿元，", "335.21", "社会消费品零售总额"),
        ("本单位2024年政府性基金预算13万元，为农贸市场环境卫生奖补经费。", "13", "政府性基金预算"),
        ("直接拉动电商交易额约4亿元", "约4", "拉动电商交易额"),
        ("其中：因公出国（境）费0万元；", "0万元", "因公出国（境）费"),
        ("，编制内在职人员控制率为100%", "100", "编制内在职人员控制率"),
        ("全县有各级各类学校86所", "86", "各级各类学校"),  # 有 frames it
        ("湘岳县现有列养农村公路1,286公里", "1,286", "列养农村公路"),  # a place name and 现有 too
        ("茂名市鉴江区现有耕地12万亩", "12", "耕地"),
        ("社区居民满意度达95%", "95", "社区居民满意度"),  # no leading word after it: not a place
        ("乡镇及村委满意度94%", "94", "乡镇及村委满意度"),  # 乡镇 is no place name
        (
            "，65岁以上老年人健康管理人数达到1.8万人以上",
            "1.8",
            "65岁以上老年人健康管理人数",
        ),  # an age bound: part of the noun
        ("60周岁及以上人口12万人", "12", "60周岁及以上人口"),
    ],
)
def test_label_before(text, figure, label):
    assert label_of(text, figure) == label


def test_no_label_when_the_clause_is_empty():
    assert label_before(config, "支出：100万元", 3) is None


def test_label_after_a_measure_word():
    text = "引进6个电子信息主导产业项目落户赫山"
    assert label_after(config, text, text.index("个") + 1) == "电子信息主导产业项目"
    text = "区商务局其有9个内设机构，分别是"
    assert label_after(config, text, text.index("个") + 1) == "内设机构"
    text = "新开工项目43个、新投产项目41个"
    assert label_after(config, text, text.index("个") + 1) is None


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("部门决算收入", "total_income"),
        ("支出合计", "total_expenditure"),
        ("基本支出", "basic_expenditure"),
        ("其他项目支出", "project_expenditure"),
        ("人员经费支出", "personnel_expenditure"),
        ("日常公用经费支出", "public_expenditure"),
        ("年初结转和结余", "carryover_begin"),
        ("年末结转和结余", "carryover_end"),
        ("一般公共预算基本支出", "general_budget_basic"),
        ("一般公共预算项目支出", "general_budget_project"),
        ("政府性基金预算", "government_fund"),
        ("国有资本经营预算支出", "state_capital"),
        ("社会保险基金预算支出", "social_insurance_fund"),
        ("“三公”经费支出", "three_public"),
        ('"三公"经费', "three_public"),
        ("公务用车购置及运行维护费", "three_public.vehicle"),
        ("公务用车购置费", "three_public.vehicle_purchase"),
        ("公务用车运行维护费", "three_public.vehicle_operation"),
        ("因公出国(境)费", "three_public.overseas"),
        ("公务接待费", "three_public.reception"),
        ("年初预算数", "budget_initial"),
        ("全年预算数", "budget_full_year"),
        ("全年执行数", "executed"),
        ("一般公共服务支出", "201"),
        ("文化旅游体育与传媒支出", "207"),
        ("文化体育与传媒支出", "207"),
        ("卫生健康支出", "210"),
        ("卫生和健康支出", "210"),
        ("医疗卫生与计划生育支出", "210"),
        ("社会保障和就业支出（类）", "208"),
        ("商业服务业等支出", "216"),
        ("住房保障支出", "221"),
        ("其他支出", "229"),
    ],
)
def test_canonical_keys(label, key):
    assert canonical_key(config, label) == key


@pytest.mark.parametrize(
    "label", ["引进省外境内资金", "社会消费品零售总额", "其他收入", "开放性经济工作奖励", None, ""]
)
def test_no_key_unless_the_label_names_the_quantity(label):
    assert canonical_key(config, label) is None


def test_split_subjects():
    assert split_subjects("人员经费和公用经费") == ["人员经费", "公用经费"]
    assert split_subjects("汽车、家电及家装企业") == ["汽车", "家电", "家装企业"]


@pytest.mark.parametrize(
    "text, label",
    [
        ("外出赴天津、浙江、河南、山东等地开展招商考察20（批）次", "开展招商考察"),  # was 山东等地开展招商考察
        ("发放政策宣传手册、政策解读短视频等宣传资料2000余份", "宣传资料"),
        ("引进“711便利店”“霸王茶姬”“星巴克咖啡”等大牌商家企业16家", "大牌商家企业"),
        # 等 right before the figure: the subject named before the list, ahead of 有/包括/如
        ("重点在谈项目有海信日立、北京中天气、天璐纺织、壬达五金等75家", "重点在谈项目"),
        ("签约企业包括华为等12家", "签约企业"),
        ("全年开展培训、宣讲、走访等30次", "开展培训、宣讲、走访"),  # nothing names the list: the list itself
    ],
)
def test_examples_before_deng_are_not_the_label(text, label):
    start = [m.start() for m in re.finditer(r"\d+", text)][-1]  # the figure is the last number
    assert label_before(config, text, start) == label


def test_an_estimate_heading_the_label_is_a_qualifier():
    text = "其中广交会现场接待意向客户300余人次，预计成交订单280万美元；"
    assert label_and_estimate(config, text, text.index("280")) == ("成交订单", "预计")
    assert label_and_estimate(config, "全年预计交易额3亿元", 7) == ("交易额", "预计")
    assert label_and_estimate(config, "预计成交订单280万美元", 0) == (None, None)
    assert label_and_estimate(config, "成交订单280万美元", 4) == ("成交订单", None)


def test_the_hmm_decoder_finds_jiebas_path():
    """Our decoder replaces jieba's own for speed; on any text it must find the very same states."""
    import importlib
    import random

    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P

    from extractor.figures import hmm

    model = tokenizer(config).model  # read from the per-machine cache, not from jieba's modules
    jiebas = importlib.import_module("jieba.posseg.viterbi").viterbi
    chars = sorted(char_state_tab_P)[::20] + list("湘岳茂鉴璐壬丂丄丅")  # 丂丄丅: not in jieba's table
    draw = random.Random(0)
    for _ in range(300):
        text = "".join(draw.choice(chars) for _ in range(draw.randint(1, 8)))
        probability, path = jiebas(text, char_state_tab_P, start_P, trans_P, emit_P)
        assert hmm.decode(model, text) == (probability, tuple(path)), text


def _jiebas_tagger(folder: Path):
    """jieba's own tagger over the same words as ours: the word list, the lexicon's names, the label words."""
    import jieba
    import jieba.posseg

    from extractor.figures import hmm, labels

    lines = hmm.word_list(config.jieba_words, labels._COMMON_WORDS, labels._DOMAIN_WORD_FREQUENCY)
    path = folder / "words.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    words = jieba.Tokenizer(dictionary=str(path))
    words.tmp_dir = str(path.parent)
    tagger = jieba.posseg.POSTokenizer(words)
    label_words = config.lexicon["label_words"]
    for name in labels.key_by_name(config):
        words.add_word(name, labels._DOMAIN_WORD_FREQUENCY, "n")
    for word in label_words["leading"] + label_words["trailing"] + label_words["part_markers"]:
        if len(word) > 1 and word not in words.FREQ:
            words.add_word(word, labels._DOMAIN_WORD_FREQUENCY, "u")
    return tagger


def test_our_tagger_gives_jiebas_words_and_tags(tmp_path):
    """Our tagger runs jieba's algorithm on a cached model: on prose, tables' text, numbers, Latin letters and
    unknown words it gives exactly the words and tags jieba's own tagger gives over the same dictionary; and no
    jieba module global is patched."""
    import jieba.posseg

    ours, theirs = tokenizer(config), _jiebas_tagger(tmp_path)
    assert jieba.posseg.viterbi.__module__ == "jieba.posseg.viterbi"
    texts = [
        "县道养护工程支出283.40万元，安防工程83.52万元，湘岳县新增绿化面积",
        "2024年度收入合计120.50万元，其中：财政拨款收入100.00万元（占82.99%），其他收入20.50万元。",
        "GDP增长5.2%，PM2.5浓度下降 3 个百分点；ISO9001认证\t通过\r\n第3季度",
        "丂丄丅湘岳茂鉴璐壬 abc123 1.2.3 #&_+ ……",
    ]
    texts += (ROOT / "corpus" / "heshan_commerce_2024.txt").read_text(encoding="utf-8").splitlines()
    for text in texts:
        assert list(ours.cut(text)) == [(p.word, p.flag) for p in theirs.cut(text)], text
