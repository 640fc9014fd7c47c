"""One fixture per shape of real phrasing (issue 10), in our own words and figures: each shape is read into
facts, linked into the sums, ratios and relations the checks recompute, and a wrong figure is flagged by a
finding that names it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extractor.config import load_default
from extractor.pipeline import process
from extractor.readers import read
from extractor.readers.pdf import Char, _line_text

config = load_default()  # the installed rule set, validated once for these tests


def run(tmp_path: Path, text: str, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return process(path, config)


def sums_and_checks(record, *codes: str) -> list:
    return [f for f in record.findings if f.rule in codes]


def names(finding, value: str) -> bool:
    """Whether the finding names the printed figure (in its message, or as the stated value it compares)."""
    return value in finding.message or value in finding.model_dump_json()


# ---------------------------------------------------------------- 1 tables given as text

BUDGET_TABLE = """# 某区文旅局2024年部门预算说明

单位：万元

| 项目 | 2023年预算数 | 2024年预算数 | 增减 |
|---|---:|---:|---:|
| 合计 | 846.20 | 812.70 | -33.50 |
| 基本支出 | 601.40 | 590.10 | -11.30 |
| 项目支出 | 244.80 | 222.60 | -22.20 |
"""


def test_markdown_pipe_table_cells_are_money_facts_with_their_column_context(tmp_path):
    record = run(tmp_path, BUDGET_TABLE, "budget.md")
    assert record.document.format == "md"
    cells = [f for f in record.facts if f.source == "table"]
    assert [str(f.value) for f in cells] == [
        "846.20",
        "812.70",
        "-33.50",
        "601.40",
        "590.10",
        "-11.30",
        "244.80",
        "222.60",
        "-22.20",
    ]
    assert {f.unit for f in cells} == {"万元"}
    basic_2024 = next(f for f in cells if f.label == "基本支出" and f.value == Decimal("590.10"))
    assert basic_2024.key == "basic_expenditure"
    assert (basic_2024.context.year, basic_2024.context.basis) == (2024, "budget_full_year")
    assert next(f for f in cells if f.value == Decimal("-11.30")).label == "基本支出增减"
    assert sums_and_checks(record, "A110", "A113") == []  # every column adds up, every 增减 is the difference


def test_a_wrong_table_total_is_flagged_in_its_column_only(tmp_path):
    record = run(tmp_path, BUDGET_TABLE.replace("| 846.20 |", "| 856.20 |"), "budget.md")
    found = sums_and_checks(record, "A110")
    assert len(found) == 1 and names(found[0], "856.20") and not names(found[0], "812.70")
    changes = sums_and_checks(record, "A113")  # 812.70 − 856.20 is not the −33.50 printed beside them
    assert len(changes) == 1 and names(changes[0], "-33.50")


def test_one_cell_per_line_table_and_a_count_table_without_money(tmp_path):
    text = "\n".join(
        [
            "“三公”经费支出表",
            "单位：万元",
            "项 目 |",
            "预 算 数 |",
            "决 算 数 |",
            "合 计 |",
            "18.6 |",
            "15.2 |",
            "公务接待费 |",
            "6.6 |",
            "5.0 |",
            "公务用车购置及运行维护费 |",
            "12 |",
            "10.2 |",
            "车辆及接待情况",
            "项目 |",
            "数量 |",
            "公务用车保有量 |",
            "7 |",
            "接待批次 |",
            "36 |",
        ]
    )
    record = run(tmp_path, text)
    tables = [b for b in read(tmp_path / "report.txt").blocks if b.kind == "table"]
    assert tables[0].table.grid()[0] == ["项目", "预算数", "决算数"]
    values = [str(f.value) for f in record.facts if f.source == "table"]
    assert values == ["18.6", "15.2", "6.6", "5.0", "12", "10.2"]  # 7 vehicles and 36 receptions are no money


def test_bare_cells_under_a_unit_caption_are_a_table(tmp_path):
    text = "\n".join(
        [
            "表2 收支决算平衡表",
            "单位：万元",
            "收入",
            "预算数",
            "决算数",
            "总计",
            "5400",
            "5610",
            "税收收入",
            "3200",
            "3350",
        ]
    )
    record = run(tmp_path, text)
    assert [str(f.value) for f in record.facts if f.source == "table"] == ["5400", "5610", "3200", "3350"]


def test_years_document_numbers_phones_ranks_and_counts_are_never_money(tmp_path):
    text = (
        "依据财预〔2023〕15号文件，2024年本局共实施项目5个，考核排名第3位，联系电话：0771-5551234。\n"
        "单位：万元\n"
        "2024 年共有 12 个单位纳入统计，人员 86 人。"
    )
    record = run(tmp_path, text)
    assert record.facts == []


# ---------------------------------------------------------------- 2 其中 across paragraphs


def test_parts_listed_one_per_paragraph_after_qizhong(tmp_path):
    text = (
        "一、基本支出情况\n本年基本支出823.40万元，其中：\n"
        "人员经费612.05万元，主要包括基本工资、津贴补贴等。\n公用经费211.35万元，主要包括办公费、印刷费等。"
    )
    record = run(tmp_path, text)
    total = next(f for f in record.facts if f.value == Decimal("823.40"))
    assert [f.value for f in record.facts if f.parent == total.id] == [Decimal("612.05"), Decimal("211.35")]
    assert sums_and_checks(record, "A103", "A110") == []
    wrong = run(tmp_path, text.replace("211.35", "221.35"))
    assert any(names(f, "221.35") for f in sums_and_checks(wrong, "A103", "A110"))


def test_a_paragraph_opening_with_qizhong_breaks_down_the_figure_before_and_its_change(tmp_path):
    text = (
        "本年“三公”经费支出合计15.00万元（含基本支出和项目支出），同比减少1.20万元。\n"
        "其中：公务接待费6.00万元，同比减少0.50万元；公务用车运行维护费9.00万元，同比减少0.50万元。"
    )
    record = run(tmp_path, text)
    total = next(f for f in record.facts if f.value == Decimal("15.00"))
    assert total.change is not None and total.change.amount == Decimal("1.20")
    assert {f.value for f in record.facts if f.parent == total.id} == {Decimal("6.00"), Decimal("9.00")}
    changes = sums_and_checks(record, "A111")
    assert len(changes) == 1 and names(changes[0], "1.20")


# ---------------------------------------------------------------- 3 totals after the parts


def test_total_after_its_parts(tmp_path):
    text = "本级收入500.00万元，加上上级补助收入300.00万元、上年结转20.00万元，收入总计820.00万元。"
    assert sums_and_checks(run(tmp_path, text), "A110", "A101") == []
    wrong = run(tmp_path, text.replace("300.00", "330.00"))
    assert any(names(f, "330.00") for f in sums_and_checks(wrong, "A110", "A101"))


def test_items_named_like_the_total_and_their_bracketed_parts(tmp_path):
    text = (
        "一批项目批复总投资120.00万元（其中工程费100.00万元），二批项目批复总投资80.00万元（其中工程费70.00万元），"
        "合计批复总投资200.00万元（其中工程费175.00万元）。"
    )
    found = sums_and_checks(run(tmp_path, text), "A110")
    assert len(found) == 1 and names(found[0], "175.00")  # 100.00 + 70.00 = 170.00; the totals 120 + 80 hold


# ---------------------------------------------------------------- 4 parallel sentences and differences


def test_categories_repeating_the_figures_named_before_qizhong(tmp_path):
    text = (
        "全年送审金额10.00亿元，审定金额9.00亿元，其中预算类送审金额6.00亿元，审定金额5.50亿元，"
        "结算类送审金额4.00亿元，审定金额3.60亿元。"
    )
    found = sums_and_checks(run(tmp_path, text), "A110")
    assert len(found) == 1 and names(found[0], "9.00") and names(found[0], "3.60")  # 5.50 + 3.60 = 9.10


def test_a_change_from_a_printed_prior_figure(tmp_path):
    assert sums_and_checks(run(tmp_path, "办公费支出8.00万元，较上年9.20减少1.20万元。"), "A112") == []
    found = sums_and_checks(run(tmp_path, "办公费支出8.00万元，较上年9.50减少1.20万元。"), "A112")
    assert len(found) == 1 and names(found[0], "9.50")


def test_a_stated_difference_of_the_two_figures_before_it(tmp_path):
    text = "设备采购计划金额48.00万元，实际采购金额45.60万元，节约资金{}万元。"
    assert sums_and_checks(run(tmp_path, text.format("2.40")), "A114") == []
    found = sums_and_checks(run(tmp_path, text.format("3.40")), "A114")
    assert len(found) == 1 and names(found[0], "3.40")


# ---------------------------------------------------------------- 5 percentages


def test_percentage_of_a_change_uses_last_year_as_base(tmp_path):
    assert sums_and_checks(run(tmp_path, "公务接待费支出13.80万元，较上年减少6.20万元（31.00%）。"), "A122") == []
    found = sums_and_checks(run(tmp_path, "公务接待费支出13.80万元，较上年减少6.20万元（44.93%）。"), "A122")
    assert len(found) == 1 and names(found[0], "44.93")  # 6.20 / 13.80: this year's figure taken as the base


def test_growth_after_a_share_and_a_second_change(tmp_path):
    text = (
        "科技支出300.00万元，占支出总预算30.00%，同比增加60.00万元，增长20.00%。"
        "会议费支出9.00万元，较年初预算减少1.00万元，下降10.00%，较上年减少1.00万元，下降11.11%。"
    )
    found = sums_and_checks(run(tmp_path, text), "A122")
    assert [f.stated for f in found] == [Decimal("20.00"), Decimal("11.11")]  # 60/240 = 25%; 1/10 = 10%


def test_completion_rate_over_the_budget_figure_of_the_sentence(tmp_path):
    assert (
        sums_and_checks(run(tmp_path, "项目支出预算为50.00万元，支出决算为42.50万元，完成预算的85.00%。"), "A121") == []
    )
    found = sums_and_checks(run(tmp_path, "项目支出预算为50.00万元，支出决算为42.50万元，完成预算的58.00%。"), "A121")
    assert len(found) == 1 and names(found[0], "58.00")


def test_shares_of_a_named_whole_against_the_figure_most_agree_with(tmp_path):
    text = (
        "本年支出总预算1000.00万元。\n教育支出600.00万元，占支出总预算60.00%。\n卫生支出250.00万元，占支出总预算25.00%。\n"
        "住房支出150.00万元，占支出总预算16.00%。"
    )
    found = sums_and_checks(run(tmp_path, text), "A120")
    assert len(found) == 1 and names(found[0], "16.00")


# ---------------------------------------------------------------- 6 figures broken by the PDF


def test_wrapped_figure_page_number_and_letter_spacing_in_text(tmp_path):
    text = (
        "项 目 支 出 预 算 安 排\n"
        "本年度公务用车运行维护费支出决算为57.36\n—3—\n万元，比上年减少2.64万元，下降4.40%，主要是车辆减少，\n"
        "严格控制了用车支出。"
    )
    path = tmp_path / "wrapped.txt"
    path.write_text(text, encoding="utf-8")
    blocks = [b.text for b in read(path).blocks]
    assert blocks[0] == "项目支出预算安排"
    assert len(blocks) == 2 and "57.36万元" in blocks[1] and "—3—" not in blocks[1]
    record = process(path, config)
    fact = next(f for f in record.facts if f.value == Decimal("57.36"))
    assert fact.unit == "万元" and fact.change.amount == Decimal("2.64")
    assert sums_and_checks(record, "A122") == []  # 2.64 / 60.00 = 4.40%


def test_pdf_line_of_letter_spaced_characters_is_one_word():
    chars = [Char(text=t, x0=i * 30.0, top=0, x1=i * 30.0 + 12, bottom=12, index=i) for i, t in enumerate("项目支出")]
    assert _line_text(chars) == "项目支出"


# ---------------------------------------------------------------- 7 direction words against figures


@pytest.mark.parametrize(
    "text, code, value",
    [
        ("“三公”经费支出预算为20.00万元，支出决算为24.50万元，决算数小于预算数的主要原因是会议增加。", "C110", "24.50"),
        ("公务接待费5.00万元，同比增加-1.20万元。", "C111", "-1.20"),
        ("公务用车运行维护费8.00万元，同比增加1.00万元，下降12.5%。", "C111", "12.5"),
    ],
)
def test_direction_words_that_contradict_the_figures(tmp_path, text, code, value):
    found = sums_and_checks(run(tmp_path, text), code)
    assert len(found) == 1 and names(found[0], value)


def test_direction_words_that_fit(tmp_path):
    text = "“三公”经费支出预算为20.00万元，支出决算为18.50万元，决算数小于预算数。公务接待费5.00万元，同比减少1.20万元，下降19.35%。"
    assert sums_and_checks(run(tmp_path, text), "C110", "C111") == []


# ---------------------------------------------------------------- 8 counts that must add up


def test_grades_and_vehicles_add_up_to_their_count(tmp_path):
    text = (
        "本年度开展绩效自评项目6个，其中优4个、良1个、中0个。\n公务用车总数15辆（其中：执法执勤用车9辆，其他用车5辆）。"
    )
    found = sums_and_checks(run(tmp_path, text), "C112")
    assert [(f.stated, f.computed) for f in found] == [(Decimal(6), Decimal(5)), (Decimal(15), Decimal(14))]


def test_counts_that_hold_or_only_pick_out_some_kinds(tmp_path):
    text = (
        "本年度开展绩效自评项目6个，其中优5个、良1个。\n"
        "财政供养人员共计30人。其中：行政编制20人，事业编制10人，离退休人员7人（其中：离休1人，退休6人）。\n"
        "新签约项目40个，其中外资项目3个、省重点项目5个。"
    )
    assert sums_and_checks(run(tmp_path, text), "C112") == []
