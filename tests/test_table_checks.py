"""Self-evaluation table checks (T1xx) on hand-built tables; expectations from the numbers printed in
corpus/make/heshan.py (project table, consistent) and corpus/make/maoming.py (two deliberate errors)."""

import dataclasses
from decimal import Decimal as D
from pathlib import Path

from test_arithmetic import pipeline, record
from test_consistency import row, table

from extractor.checks import tables
from extractor.config import load_default
from extractor.records import Kpi

config = load_default()  # the installed rule set, validated once for these tests

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def indicator(kid, level1, name, weight, score, target=None, comparator=None, target_value=None, actual=None,
              actual_value=None, reason=None) -> Kpi:  # fmt: skip
    """A table KPI as the figures stage makes it: "产出指标(50分)" -> level1 产出指标, level1_weight 50."""
    level1, _, bracket = level1.partition("(")
    return Kpi(
        id=kid,
        label=name,
        source="table",
        section=None,
        page=9,
        block=50,
        table="t1",
        level1=level1,
        level1_weight=D(bracket.removesuffix("分)")) if bracket else None,
        level3=name,
        target=target,
        target_comparator=comparator,
        target_value=D(target_value) if target_value else None,
        actual=actual,
        actual_value=D(actual_value) if actual_value else None,
        weight=D(weight),
        score=D(score),
        deviation_reason=reason,
    )


def heshan_project():
    """The 项目支出绩效自评表 of corpus/make/heshan.py, indicators grouped by 一级 (weights 50/30/10)."""
    budget = [
        row("年度资金总额", "200.00", "220.00", "212.40", "10", "96.55", "9.65"),
        row("其中：当年财政拨款", "200.00", "220.00", "212.40", at=1),
        row("上年结转资金", "0.00", "0.00", "0.00", at=2),
        row("其他资金", "0.00", "0.00", "0.00", at=3),
    ]
    output = [("5", "5"), ("5", "5"), ("4", "4"), ("4", "4"), ("4", "4"), ("5", "5"), ("4", "4"), ("4", "4"),
              ("3", "3"), ("3", "3"), ("3", "3"), ("3", "3"), ("3", "3")]  # fmt: skip
    kpis = [indicator(f"o{i}", "产出指标(50分)", f"产出{i}", w, s) for i, (w, s) in enumerate(output)]
    kpis.append(
        indicator(
            "e0",
            "效益指标(30分)",
            "带动社会投资",
            "5",
            "4.6",
            "≥500万元",
            ">=",
            "500",
            "460万元",
            "460",
            "部分网点改造由经营户自筹完成，投资规模低于预期。",
        )  # fmt: skip
    )
    kpis += [
        indicator(f"e{i}", "效益指标(30分)", f"效益{i}", w, w) for i, w in enumerate(["5", "5", "5", "4", "3", "3"], 1)
    ]
    kpis += [indicator("s1", "满意度指标(10分)", "社区居民满意度", "5", "5", "≥90%", ">=", "90", "93%", "93"),
             indicator("s2", "满意度指标(10分)", "经营主体满意度", "5", "5", "≥90%", ">=", "90", "91%", "91")]  # fmt: skip
    return table("project_self_eval_table", budget, total_score=D("99.25"), stated_grade="优"), kpis


def codes(tab, kpis, mode="round", rules=config):
    return sorted(f.rule for f in tables.check(rules, record(kpis=kpis, tables=[tab]), mode))


def test_a_consistent_table_raises_nothing():
    assert codes(*heshan_project()) == []


def test_score_above_weight_and_total_not_the_sum():
    tab, kpis = heshan_project()
    kpis[0] = kpis[0].model_copy(update={"score": D("6")})  # 得分 6 against 分值 5
    found = tables.check(config, record(kpis=kpis, tables=[tab]), "round")
    assert sorted(f.rule for f in found) == ["T101", "T104"]
    over = next(f for f in found if f.rule == "T101")
    assert over.facts == ["o0"] and over.stated == D("6") and "分值5" in over.message
    total = next(f for f in found if f.rule == "T104")
    assert (total.stated, total.computed) == (D("99.25"), D("100.25"))


def test_weights_must_add_to_100_and_to_each_bracket():
    tab, kpis = heshan_project()
    kpis[-1] = kpis[-1].model_copy(update={"weight": D("6"), "score": D("6")})
    found = {
        f.rule: f
        for f in tables.check(
            config, record(kpis=kpis, tables=[tab.model_copy(update={"total_score": D("100.25")})]), "round"
        )
    }
    assert set(found) == {"T102", "T103"}
    assert found["T102"].computed == D("101") and found["T103"].stated == D("10") and found["T103"].computed == D("11")


def test_bracket_weight_checked_on_a_real_table():
    """End to end: the seed .docx's 部门整体支出绩效自评表 with one 满意度 weight raised by a point."""
    from pathlib import Path

    from extractor.pipeline import process

    record = process(Path(__file__).parent.parent / "corpus" / "heshan_commerce_2024.docx", config)
    assert not tables.check(config, record, "round")
    satisfaction = next(k for k in record.kpis if k.level1 == "满意度指标" and k.table == record.tables[1].id)
    satisfaction.weight += 1
    assert {f.rule for f in tables.check(config, record, "round")} >= {"T103"}


def test_execution_rate_and_budget_score_are_recomputed():
    tab, kpis = heshan_project()
    # 212.40 / 220.00 = 96.545 %: 96.55 and 96.54 are both honest (rounded or truncated), 96.06 is not
    assert codes(tab, kpis) == []
    bad_rate = tab.model_copy(
        update={
            "budget_rows": [row("年度资金总额", "200.00", "220.00", "212.40", "10", "96.06", "9.61")]
            + tab.budget_rows[1:]
        }
    )
    assert codes(bad_rate, kpis) == ["T105"]  # 9.61 within the 0.05 that 4.6 allows the sum of the scores
    bad_score = tab.model_copy(
        update={
            "budget_rows": [row("年度资金总额", "200.00", "220.00", "212.40", "10", "96.55", "9.85")]
            + tab.budget_rows[1:]
        }
    )
    assert "T106" in codes(bad_score, kpis)


def test_over_100_percent_execution_earns_the_weight_only():
    capped = table("project_self_eval_table", [row("年度资金总额", "100", "100.00", "104.00", "10", "104.00", "10")])
    assert codes(capped, []) == []
    extra = table("project_self_eval_table", [row("年度资金总额", "100", "100.00", "104.00", "10", "104.00", "10.4")])
    assert codes(extra, []) == ["T101", "T106"]


def test_stepped_budget_rule_is_accepted_when_configured():
    # "预算完成率100%计满分，每低于5%扣2分": 90 % -> 10 − 2×2 = 6
    stepped = table("project_self_eval_table", [row("年度资金总额", "100", "100.00", "90.00", "10", "90.00", "6")])
    assert codes(stepped, []) == ["T106"]
    settings = tables._settings(config)
    rule = {"full_at": "100", "step": "5", "deduction": "2"}
    # a rule set of its own (the shared one is read-only): the table settings with the stepped rule
    stepped_rules = dataclasses.replace(
        config,
        settings={
            **config.settings,
            "table": {**settings, "budget_score": {**settings["budget_score"], "steps": [rule]}},
        },
        _derived={},  # built afresh from its own data
    )
    assert codes(stepped, [], rules=stepped_rules) == []
    assert codes(stepped, []) == ["T106"]  # the shared rule set unchanged


def test_grade_must_match_the_total_score():
    tab, kpis = heshan_project()
    # the figures stage reads 良好 / A级 / 合格 / 不合格 … as the grade they name (tests/test_tables.py)
    assert codes(tab.model_copy(update={"stated_grade": "良"}), kpis) == ["T107"]
    assert codes(tab.model_copy(update={"stated_grade": "优"}), kpis) == []
    low = table(total_score=D("59.5"), stated_grade="中")
    (finding,) = tables.check(config, record(tables=[low]), "round")
    assert finding.rule == "T107" and "“差”" in finding.message
    assert codes(table(total_score=D("59.5"), stated_grade="差"), []) == []


def test_missed_target_with_full_marks_or_without_a_reason():
    tab, kpis = heshan_project()
    missed = kpis[13]  # 带动社会投资 ≥500万元, 460万元, 4.6 of 5, with a reason: fine
    assert codes(tab, kpis) == []
    kpis[13] = missed.model_copy(update={"score": D("5"), "deviation_reason": "无"})
    found = tables.check(
        config, record(kpis=kpis, tables=[tab.model_copy(update={"total_score": D("99.65")})]), "round"
    )
    assert sorted(f.rule for f in found) == ["T108", "T109"]
    assert all(f.facts == ["e0"] for f in found) and "≥500万元" in found[0].message


def test_total_row_left_at_zero_is_said_once():
    # 池州: 年度资金总额 row 0 while 当年财政拨款 is 90 / 89.974 / 89.974
    rows = [row("年度资金总额", "0", "0", "0"), row("其中：当年财政拨款", "90", "89.974", "89.974", at=1),
            row("上年结转资金", "0", "0", "0", at=2), row("其他资金", "0", "0", "0", at=3)]  # fmt: skip
    assert codes(table("project_self_eval_table", rows), []) == ["T110"]


def test_budget_rows_add_up_by_income_and_by_expenditure_nature():
    # heshan dept table: 1081.36 + 13 + 0 + 0 + 72.62 = 1166.98 and 717.79 + 449.19 = 1166.98
    rows = [row("年度资金总额", "978.22", "1172.46", "1166.98"), row("一般公共预算", "905.60", "1086.84", "1081.36"),
            row("政府性基金", "0.00", "13.00", "13.00"), row("国有资本经营", "0.00", "0.00", "0.00"),
            row("单位资金", "72.62", "72.62", "72.62"), row("基本支出", "712.30", "720.05", "717.79"),
            row("项目支出", "265.92", "452.41", "449.19")]  # fmt: skip
    assert codes(table(rows=rows), []) == []
    rows[-1] = row("项目支出", "265.92", "452.41", "494.19")
    (finding,) = tables.check(config, record(tables=[table(rows=rows)]), "round")
    assert finding.rule == "T111" and finding.computed == D("1211.98") and "全年执行数" in finding.message


def test_maoming_table_errors_end_to_end():
    rec, _ = pipeline(CORPUS / "maoming_agri_2024.docx")
    found = {f.rule for f in rec.findings if f.category == "table"}
    assert {"T101", "T104"} <= found
    total = next(f for f in rec.findings if f.rule == "T104")
    assert (total.stated, total.computed) == (D("97.86"), D("100.66"))
