"""Consistency checks (C1xx): duplicates by interval, text against table, “三公”经费为0, the year."""

from decimal import Decimal as D
from pathlib import Path

from test_arithmetic import document, fact, pipeline, record, seed_facts

from extractor.checks import arithmetic, consistency
from extractor.config import load_default
from extractor.records import BudgetRow, EvalTable, Kpi, Section

config = load_default()  # the installed rule set, validated once for these tests

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def table(kind="dept_self_eval_table", rows=(), title=None, unit="万元", **fields) -> EvalTable:
    return EvalTable(id="t1", kind=kind, title=title, unit=unit, block=50, page=9, budget_rows=list(rows), **fields)


def row(label, initial=None, full_year=None, executed=None, weight=None, rate=None, score=None, at=0) -> BudgetRow:
    number = lambda s: D(s) if s is not None else None  # noqa: E731
    return BudgetRow(
        label=label,
        budget_initial=number(initial),
        budget_full_year=number(full_year),
        executed=number(executed),
        weight=number(weight),
        execution_rate=number(rate),
        score=number(score),
        row=at,
    )


def check(rec, doc=None):
    return consistency.check(config, rec, doc or document(), "round")


def test_the_same_quantity_in_two_units_agrees_within_rounding():
    facts = [fact("a", "total_expenditure", "1166.98"), fact("b", "total_expenditure", "11669800", "元", block=3)]
    assert check(record(facts)).findings == []
    # 1167万元 printed without decimals stands for 1166.5 … 1167.5
    assert check(record([facts[0], fact("c", "total_expenditure", "1167", block=4)])).findings == []


def test_duplicate_mismatch_is_one_finding_and_blocks_the_identities_using_it():
    facts = seed_facts() + [fact("expenditure2", "total_expenditure", "1176.98", block=30)]
    result = check(record(facts))
    (finding,) = result.findings
    assert finding.rule == "C101" and set(finding.facts) == {"expenditure", "expenditure2"}
    assert "1166.98万元" in finding.message and "1176.98万元" in finding.message
    assert finding.computed == D("1176.98") and finding.tolerance == D("0.01")
    # 收入 = 支出 + 结转 and 支出 = 基本 + 项目 are skipped, not reported as two more errors
    assert arithmetic.check(config, record(facts), document(), "round", result.blocked) == []


def test_functional_classes_are_compared_only_under_the_same_kind_of_total():
    facts = seed_facts()  # 201 一般公共服务支出: 503.64 under 基本支出, 30.51 under 项目支出
    assert check(record(facts)).findings == []


def test_dept_table_restates_the_prose_expenditure():
    rows = [
        row("年度资金总额", "978.22", "1172.46", "1166.98", "10", "99.53", "9.95"),
        row("基本支出", executed="717.79"),
    ]
    assert check(record(seed_facts(), tables=[table(rows=rows)])).findings == []
    wrong = [row("年度资金总额", executed="1166.98"), row("基本支出", executed="771.79")]
    (finding,) = check(record(seed_facts(), tables=[table(rows=wrong)])).findings
    assert finding.rule == "C102" and finding.facts == ["basic"] and finding.stated == D("771.79")
    assert "基本支出" in finding.message and "全年执行数" in finding.message


def test_project_table_against_the_prose_of_a_project_report():
    # corpus/make/changsha.py: prose 全年执行数 1,352.60万元, table 1325.60
    facts = [fact("b", "budget_full_year", "1380.00"), fact("x", "executed", "1352.60")]
    rows = [row("年度资金总额", "1200.00", "1380.00", "1325.60", "10", "96.06", "9.61")]
    (finding,) = check(record(facts, tables=[table("project_self_eval_table", rows)])).findings
    assert (finding.rule, finding.stated, finding.computed) == ("C102", D("1325.60"), D("1352.6"))
    assert "差-27" in finding.message
    # a department report with several project tables is not compared (which project is meant?)
    two = [table("project_self_eval_table", rows), table("project_self_eval_table", rows)]
    assert check(record(facts, tables=two)).findings == []


def rate(kid, label, value, **fields) -> Kpi:
    return Kpi(id=kid, label=label, value=D(value), unit="%", source="text", section="2.2", page=2, block=10, **fields)


def test_the_prose_execution_rate_against_the_table():
    # corpus/make/changsha.py: prose 预算执行率98.01% (= 1352.60/1380.00), table 96.06%
    rows = [row("年度资金总额", "1200.00", "1380.00", "1352.60", "10", "96.06", "9.61")]
    tables = [table("project_self_eval_table", rows)]
    (finding,) = check(record(kpis=[rate("K16", "预算执行率", "98.01")], tables=tables)).findings
    assert (finding.rule, finding.facts, finding.stated, finding.computed) == ("C102", ["K16"], D("96.06"), D("98.01"))
    assert finding.message == "正文与自评表不一致：正文预算执行率98.01%，自评表“年度资金总额”执行率为96.06%"
    assert (finding.section, finding.page, finding.block) == ("2.2", 9, 50)
    # the printed digits set the tolerance: 96.1% may be 96.06%; a bound or a change is no statement of the rate
    for kpi in [rate("k", "预算执行率", "96.1"), rate("k", "预算执行率", "90", qualifier="不低于"),
                rate("k", "预算执行率", "2.5", comparison="较上年提高"), rate("k", "资金到位率", "100")]:  # fmt: skip
        assert check(record(kpis=[kpi], tables=tables)).findings == []
    # the department table's 项目支出 row against 项目支出执行率
    dept = [table(rows=[row("项目支出", rate="96.00")])]
    assert check(record(kpis=[rate("k", "项目支出执行率", "96.00")], tables=dept)).findings == []
    (finding,) = check(record(kpis=[rate("k", "项目支出执行率", "95.00")], tables=dept)).findings
    assert finding.message.endswith("正文项目支出执行率95%，自评表“项目支出”执行率为96%")


def test_three_public_said_zero_against_a_non_zero_part():
    text = "（1）本年预算配置控制较好。编制内在职人员控制率为100%；“三公”经费支出为0。"
    assert check(record(seed_facts()), document(text)).findings == []
    reception = fact("r", "three_public.reception", "1.20", label="公务接待费", block=5)
    (finding,) = check(record([reception]), document(text)).findings
    assert finding.rule == "C103" and finding.facts == ["r"] and "公务接待费1.20万元" in finding.message
    # "“三公”经费为0.5万元" is not a zero
    assert check(record([reception]), document("“三公”经费为0.5万元。")).findings == []


def test_a_title_naming_another_year():
    sections = [
        Section(id="1", parent=None, level=1, number="一、", title="2024年度部门整体支出情况", key=None, score=None,
                page=1, block=0, block_start=0, block_end=3),
    ]  # fmt: skip
    copied = table(title="2023年度部门整体支出绩效自评表")
    project = table(
        "project_self_eval_table", title="项目支出绩效自评表", project="2023年“城市一刻钟”便民生活圈建设资金"
    )
    (finding,) = check(record(sections=sections, tables=[copied, project])).findings
    assert finding.rule == "C104" and "2023" in finding.message and finding.severity == "warning"
    assert check(record(sections=sections, tables=[copied], year=None)).findings == []


def test_changsha_text_table_mismatch_end_to_end():
    path = CORPUS / "changsha_road_project_2024.pdf"
    rec, _ = pipeline(path)
    mismatches = [f for f in rec.findings if f.rule == "C102"]
    assert mismatches and any(f.stated == D("1325.60") for f in mismatches)
