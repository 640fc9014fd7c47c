"""Arithmetic checks (A1xx) on hand-built records and on the seed report through the pipeline.

The expected figures are read off the seed (corpus/heshan_commerce_2024.txt, a byte copy of the real
published report in shared/seeds/), section 一（三） and 二.
"""

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.checks import arithmetic
from extractor.checks.intervals import decimals_of
from extractor.config import load_default
from extractor.records import Block, Change, Context, Document, DocumentInfo, Fact, Kpi, Record

config = load_default()  # the installed rule set, validated once for these tests

SEED = Path(__file__).resolve().parent.parent / "corpus" / "heshan_commerce_2024.txt"
# the context every hand-built figure is in unless a test says otherwise: the department's 2024 figures
KNOWN = Context(year=2024, period="year", subject_kind="department")
SCALE = {"元": D(1), "万元": D(10000), "亿元": D(10**8), "美元": D(1), "万美元": D(10000)}


def fact(fid, key, value, unit="万元", *, parent=None, label=None, block=0, start=0, **fields) -> Fact:
    v = D(value)
    return Fact(
        id=fid,
        label=label if label is not None else key,
        key=key,
        value=v,
        unit=unit,
        currency="USD" if "美元" in unit else "CNY",
        amount=v * SCALE[unit],
        decimals=decimals_of(v),
        parent=parent,
        section=None,
        page=1,
        block=block,
        start=start,
        end=start + len(value) + len(unit),
        sentence="",
        **({"context": KNOWN} | fields),
    )


def record(facts=(), kpis=(), tables=(), year=2024, sections=()) -> Record:
    return Record(
        tool_version="test",
        document=DocumentInfo(path="x.txt", sha256="", format="txt", pages=None, year=year),
        sections=list(sections),
        facts=list(facts),
        kpis=list(kpis),
        tables=list(tables),
    )


def document(*texts: str) -> Document:
    return Document(
        path="x.txt",
        sha256="",
        format="txt",
        blocks=[Block(index=i, kind="paragraph", text=t) for i, t in enumerate(texts)],
    )


def seed_facts(**changed: str) -> list[Fact]:
    """The seed's money figures as the figures stage should read them; `changed` replaces values by id."""
    rows = [
        ("income", "total_income", "1166.98", None),
        ("expenditure", "total_expenditure", "1166.98", None),
        ("basic", "basic_expenditure", "717.79", "expenditure"),
        ("personnel", "personnel_expenditure", "342.98", "basic"),
        ("public", "public_expenditure", "374.81", "basic"),
        ("project", "project_expenditure", "449.19", "expenditure"),
        ("carryover", "carryover_end", "0", None),
        ("gb_basic", "general_budget_basic", "645.17", None),
        ("gb_basic.201", "201", "503.64", "gb_basic"),
        ("gb_basic.207", "207", "32.52", "gb_basic"),
        ("gb_basic.208", "208", "85.42", "gb_basic"),
        ("gb_basic.216", "216", "0.06", "gb_basic"),
        ("gb_basic.210", "210", "9.89", "gb_basic"),
        ("gb_basic.221", "221", "13.64", "gb_basic"),
        ("gb_project", "general_budget_project", "436.19", None),
        ("gb_project.201", "201", "30.51", "gb_project"),
        ("gb_project.216", "216", "405.68", "gb_project"),
        ("fund", "government_fund", "13", None),
    ]
    return [
        fact(fid, key, changed.get(fid, value), parent=parent, block=i)
        for i, (fid, key, value, parent) in enumerate(rows)
    ]


SEED_IDENTITIES = {
    ("A101", "1166.98", ("0", "1166.98")),
    ("A102", "1166.98", ("449.19", "717.79")),
    ("A103", "717.79", ("342.98", "374.81")),
    ("A104", "449.19", ("13", "436.19")),
    ("A110", "645.17", ("0.06", "13.64", "32.52", "503.64", "85.42", "9.89")),
    ("A110", "436.19", ("30.51", "405.68")),
}


def stated_identities(rec: Record, doc: Document) -> set:
    return {
        (i.rule.code, str(i.total.value), tuple(sorted(str(f.value) for _, f in i.parts)))
        for i in arithmetic.identities(config, rec, doc)
    }


def arithmetic_findings(rec: Record, doc: Document | None = None, mode: str = "round"):
    return arithmetic.check(config, rec, doc or document(), mode)


# ---------------------------------------------------------------- hand-built records


def test_seed_figures_state_six_identities_and_all_hold():
    rec = record(seed_facts())
    assert stated_identities(rec, document()) == SEED_IDENTITIES
    assert all(i.compare(config, "round").holds for i in arithmetic.identities(config, rec, document()))
    assert arithmetic_findings(rec) == []


@pytest.mark.parametrize(
    "changed, codes, identified",
    [
        ("expenditure", {"A101", "A102"}, True),
        ("basic", {"A102", "A103"}, True),
        ("project", {"A102", "A104"}, True),
        ("gb_project", {"A104", "A110"}, True),
        ("income", {"A101"}, False),
        ("personnel", {"A103"}, False),
        ("public", {"A103"}, False),
        ("gb_basic", {"A110"}, False),
        ("gb_basic.216", {"A110"}, False),
        ("gb_project.201", {"A110"}, False),
    ],
)
def test_a_wrong_figure_breaks_only_its_identities_and_is_named(changed, codes, identified):
    facts = seed_facts()
    value = next(f.value for f in facts if f.id == changed) + 1
    findings = arithmetic_findings(record(seed_facts(**{changed: str(value)})))
    assert {f.rule for f in findings} == codes
    assert len(findings) == len(codes)  # one finding per broken identity
    for finding in findings:
        assert changed in finding.facts
        if identified:
            assert finding.facts[0] == changed
            assert f"最可能有误的是{next(f.label for f in facts if f.id == changed)}{value}万元" in finding.message


def test_figure_cleared_by_a_holding_identity_is_listed_last():
    # 人员经费 wrong: 基本支出 also takes part in 支出 = 基本 + 项目, which holds, so it is not the culprit
    (finding,) = arithmetic_findings(record(seed_facts(personnel="352.98")))
    assert finding.facts[-1] == "basic"
    assert finding.facts[0] == "personnel"
    assert "可能有误的是personnel_expenditure352.98万元或public_expenditure374.81万元" in finding.message


def test_finding_shows_stated_computed_difference_and_tolerance():
    (finding,) = arithmetic_findings(record(seed_facts(personnel="351.98")))
    assert (finding.stated, finding.computed, finding.tolerance) == (D("717.79"), D("726.79"), D("0.015"))
    assert "726.79万元" in finding.message and "差-9" in finding.message and "容差0.015" in finding.message
    assert finding.category == "arithmetic" and finding.severity == "error"


def test_approximate_and_foreign_currency_figures_take_no_part():
    facts = [
        fact("t", "basic_expenditure", "100", parent=None),
        fact("a", "personnel_expenditure", "60", parent="t", qualifier="约"),
        fact("b", "public_expenditure", "30", parent="t"),
    ]
    assert arithmetic_findings(record(facts)) == []
    usd = [
        fact("t", "total_expenditure", "100", "万美元"),
        fact("x", "basic_expenditure", "1"),
        fact("y", "project_expenditure", "2"),
    ]
    assert arithmetic_findings(record(usd)) == []


def test_generic_sum_needs_two_parts_and_a_complete_list():
    one_part = [fact("t", None, "100"), fact("p", None, "30", parent="t")]
    assert arithmetic_findings(record(one_part)) == []
    text = "主要用于：A支出30万元，B支出20万元"
    listed = [
        fact("t", None, "100"),
        fact("p", None, "30", parent="t", start=text.index("30")),
        fact("q", None, "20", parent="t", start=text.index("20")),
    ]
    (finding,) = arithmetic_findings(record(listed), document(text + "。"))
    assert finding.rule == "A110"
    # "……20万元等" lists examples, not every part
    assert arithmetic_findings(record(listed), document(text + "等方面。")) == []


@settings(max_examples=200, deadline=None)
@given(
    fen=st.lists(st.integers(min_value=0, max_value=10**11), min_size=2, max_size=9),
    printing=st.sampled_from([("万元", 2), ("元", 0), ("元", 2)]),
    mode=st.sampled_from(["round", "truncate"]),
)
def test_honestly_rounded_parts_never_raise_a_finding(fen, printing, mode):
    unit, places = printing
    rounding = ROUND_HALF_UP if mode == "round" else ROUND_DOWN

    def shown(amount_fen: int) -> str:
        return str((D(amount_fen) / 100 / SCALE[unit]).quantize(D(1).scaleb(-places), rounding=rounding))

    facts = [fact("t", "general_budget_basic", shown(sum(fen)), unit)]
    facts += [fact(f"p{i}", f"20{i}", shown(amount), unit, parent="t") for i, amount in enumerate(fen)]
    assert arithmetic_findings(record(facts), mode=mode) == []


def test_one_fen_error_in_a_yuan_figure_is_found():
    facts = [
        fact("t", "basic_expenditure", "1000000.01", "元"),
        fact("a", "personnel_expenditure", "600000.00", "元", parent="t"),
        fact("b", "public_expenditure", "400000.00", "元", parent="t"),
    ]
    (finding,) = arithmetic_findings(record(facts))
    assert finding.rule == "A103" and finding.tolerance == 0 and finding.stated - finding.computed == D("0.01")


def test_blocked_facts_skip_their_identities():
    facts = seed_facts(personnel="352.98")
    assert arithmetic.check(config, record(facts), document(), "round", blocked={"personnel"}) == []


# ---------------------------------------------------------------- percentages in the prose


def text_kpi(kid, value, start, block=0, label=None) -> Kpi:
    return Kpi(
        id=kid, label=label, value=D(value), unit="%", source="text", section=None, page=1, block=block, start=start
    )


def test_share_percentage_is_recomputed_from_part_and_total():
    text = "支出1166.98万元，其中基本支出717.79万元，占61.51%；项目支出449.19万元，占38.99%。"
    facts = [
        fact("e", "total_expenditure", "1166.98", start=text.index("1166.98")),
        fact("b", "basic_expenditure", "717.79", parent="e", start=text.index("717.79")),
        fact("p", "project_expenditure", "449.19", parent="e", start=text.index("449.19")),
    ]
    kpis = [text_kpi("k1", "61.51", text.index("61.51")), text_kpi("k2", "38.99", text.index("38.99"))]
    (finding,) = arithmetic_findings(record(facts, kpis), document(text))
    # 449.19 / 1166.98 = 38.49 %, not 38.99 %
    assert finding.rule == "A120" and finding.facts[:2] == ["k2", "p"] and finding.stated == D("38.99")
    assert abs(finding.computed - D("38.4917")) < D("0.001")


def test_execution_rate_in_the_prose_is_recomputed():
    text = "全年预算1,380.00万元，全年执行数1,352.60万元，预算执行率98.01%。"
    facts = [
        fact("b", "budget_full_year", "1380.00", start=text.index("1,380")),
        fact("x", "executed", "1352.60", start=text.index("1,352")),
    ]
    ok = [text_kpi("k", "98.01", text.index("98.01"))]
    assert arithmetic_findings(record(facts, ok), document(text)) == []
    wrong = [text_kpi("k", "96.06", text.index("98.01"))]
    (finding,) = arithmetic_findings(record(facts, wrong), document(text))
    assert finding.rule == "A121" and finding.stated == D("96.06")


def test_growth_rate_is_recomputed_from_the_change():
    # 同比上年度增加125.20万元，增加24.07%: 本年 645.30 → 上年 520.10, 125.20 / 520.10 = 24.07 %
    good = fact(
        "g",
        "total_expenditure",
        "645.30",
        change=Change(basis="同比", direction="up", amount=D("125.20"), unit="万元", percent=D("24.07")),
    )
    assert arithmetic_findings(record([good])) == []
    bad = good.model_copy(update={"change": good.change.model_copy(update={"percent": D("19.40")})})
    (finding,) = arithmetic_findings(record([bad]))
    assert finding.rule == "A122" and abs(finding.computed - D("24.072")) < D("0.01")


# ---------------------------------------------------------------- the seed through the pipeline


def pipeline(path: Path):
    """The record and document of `path` through every stage."""
    from extractor.pipeline import build_record
    from extractor.readers import read

    doc = read(path)
    return build_record(doc, config), doc


def test_seed_report_states_its_identities_and_all_hold():
    rec, doc = pipeline(SEED)
    assert SEED_IDENTITIES <= stated_identities(rec, doc)
    assert all(i.compare(config, "round").holds for i in arithmetic.identities(config, rec, doc))
    assert [f for f in rec.findings if f.category in ("arithmetic", "consistency")] == []


SEED_FIGURES = ["1166.98#0", "1166.98#1", "717.79", "342.98", "374.81", "449.19", "645.17", "503.64", "32.52",
                "85.42", "0.06", "9.89", "13.64", "436.19", "30.51", "405.68"]  # fmt: skip


@pytest.mark.parametrize("figure", SEED_FIGURES)
def test_changing_a_seed_figure_in_the_text_is_found(figure, tmp_path):
    value, _, occurrence = figure.partition("#")
    text = SEED.read_text(encoding="utf-8")
    places = [m.start() for m in re.finditer(rf"(?<![\d.]){re.escape(value)}(?!\d)", text)]
    at = places[int(occurrence or 0)]
    changed = str(D(value) + 1)
    path = tmp_path / "seed_changed.txt"
    path.write_text(text[:at] + changed + text[at + len(value) :], encoding="utf-8")
    rec, _ = pipeline(path)
    ids = {f.id for f in rec.facts if f.value == D(changed) and f.unit == "万元"}
    assert len(ids) == 1
    findings = [f for f in rec.findings if f.category == "arithmetic"]
    assert findings, f"no arithmetic finding for {value} -> {changed}"
    assert all(ids & set(f.facts) for f in findings)


def test_three_public_parts_of_the_vehicle_stand_in_for_it_only_when_it_is_not_stated():
    # 思澜县: "“三公”经费支出23.48万元，其中公务用车运行维护费18.26万元，公务接待费5.22万元，因公出国（境）费为0"
    parts = [
        fact("F2", "three_public.vehicle_operation", "18.26", parent="F1"),
        fact("F3", "three_public.reception", "5.22", parent="F1"),
        fact("F4", "three_public.overseas", "0", parent="F1"),
    ]
    rec = record([fact("F1", "three_public", "23.48"), *parts])
    assert arithmetic_findings(rec) == []  # was A105: 23.48 ≠ 5.22 + 0
    wrong = record([fact("F1", "three_public", "25.48"), *parts])
    assert [f.rule for f in arithmetic_findings(wrong)] == ["A105"]
    # with the vehicle total stated, its own parts are not counted again (茂名's nested 其中)
    nested = record([fact("F1", "three_public", "18.36"), fact("F2", "three_public.vehicle", "14.52", parent="F1"),
                     fact("F3", "three_public.vehicle_purchase", "0", parent="F2"),
                     fact("F4", "three_public.vehicle_operation", "14.52", parent="F2"),
                     fact("F5", "three_public.reception", "3.84", parent="F1")])  # fmt: skip
    assert arithmetic_findings(nested) == []
