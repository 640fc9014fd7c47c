"""Facts in context: each false-alarm pattern of real published documents, reproduced in our own words and
figures, and the real excerpts and 部门决算 PDFs of ../shared/real (read there, never copied)."""

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from extractor.checks.contexts import can_be_part, certain
from extractor.config import load_default
from extractor.figures.context import read_words
from extractor.pipeline import process
from extractor.records import Context, Finding

config = load_default()  # the installed rule set, validated once for these tests

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"


def run(tmp_path: Path, text: str):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return process(path, config)


def rules(record, category=("arithmetic", "consistency")):
    return sorted(f.rule for f in record.findings if f.category in category)


def fact(record, value: str, label: str | None = None):
    (found,) = [f for f in record.facts if f.value == D(value) and (label is None or f.label == label)]
    return found


# ---------------------------------------------------------------- reading the words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上年收入总计", {"year": 2023, "period": "prior_year"}),
        ("2022年度支出合计", {"year": 2022, "period": "year"}),
        ("年初结转和结余", {"period": "year_start"}),
        ("上年结转", {"period": "year_start"}),  # this year's opening balance, not last year's figure
        ("截至2024年12月31日，累计支出", {"year": 2024, "period": "year"}),  # the whole year to its last day
        ("年末固定资产原值", {"period": "year_end"}),
        ("1-9月累计收入", {"period": "month", "period_detail": "1-9月"}),
        ("一般公共预算财政拨款支出年初预算为", {"basis": "budget_initial", "fund": "general_budget"}),
        ("调整预算数", {"basis": "budget_adjusted"}),
        ("支出决算为", {"basis": "final"}),
        ("政府性基金预算财政拨款支出", {"fund": "government_fund"}),
        (
            "3、农林水支出（类）农业农村（款）病虫害控制（项）",
            {"subject_kind": "functional_class", "subject": "病虫害控制"},
        ),
        ("2130108 病虫害控制", {"subject_kind": "functional_class", "subject_code": "2130108"}),
        ("公务接待费支出决算为", {"subject_kind": "sangong", "subject": "公务接待费", "basis": "final"}),
        ("西岭水文站基本支出", {"subject_kind": "sub_unit", "subject": "西岭水文站"}),
        ("堤防除险加固项目支出", {"subject_kind": "project", "subject": "堤防除险加固项目"}),
        ("2024年项目支出", {"year": 2024, "subject_kind": None}),  # a category of spending, not a named project
        ("工资福利支出", {"subject_kind": "economic_class", "subject": "工资福利支出"}),
        ("30201 办公费", {"subject_kind": "economic_class", "subject": "办公费", "subject_code": "30201"}),
        ("公务接待费", {"subject_kind": "sangong"}),  # an economic item too, but read as 三公 first
        ("全县社会消费品零售总额", {"subject_kind": "region"}),
        ("引进市外资金", {"subject_kind": "region"}),
        ("引进人才经费", {"subject_kind": None}),  # the department's own spending on recruitment
        ("全县一般公共预算收入", {"subject_kind": None}),  # a county's report of its own revenue
    ],
)
def test_words_around_a_figure_give_its_context(text, expected):
    words = read_words(config, text, 2024)
    assert {name: getattr(words, name) for name in expected} == expected


def test_a_sum_combines_one_context_and_breaks_the_department_down():
    department = Context(year=2024, period="year", basis="final", subject_kind="department")
    assert can_be_part(
        config, department, department.model_copy(update={"subject_kind": "functional_class", "subject": "行政运行"})
    )
    assert can_be_part(
        config, department, department.model_copy(update={"period": "year_end"})
    )  # 收入 = 支出 + 年末结转
    assert not can_be_part(config, department, department.model_copy(update={"year": 2023}))
    assert not can_be_part(config, department, department.model_copy(update={"basis": "budget_initial"}))
    unit = department.model_copy(update={"subject_kind": "sub_unit", "subject": "西岭水文站"})
    assert can_be_part(config, department, unit)  # listed under the department's total: a breakdown by unit
    assert not can_be_part(config, department, unit, listed=False)  # a unit's 人员经费 is not the department's


def test_the_regions_economy_is_no_part_of_the_departments_money():
    department = Context(year=2024, period="year", subject_kind="department", subject="东湖县商务局")
    region = department.model_copy(update={"subject_kind": "region", "subject": "东湖县"})
    assert not can_be_part(config, department, region) and not can_be_part(config, region, department)
    assert can_be_part(config, region, region.model_copy(update={"period": "year"}))


def test_outcome_figures_of_the_area_are_the_regions(tmp_path):
    record = run(
        tmp_path,
        "东湖县商务局2024年度部门整体支出绩效自评报告\n一、部门基本情况\n2024年度部门决算支出合计820.00万元，其中："
        "基本支出500.00万元，项目支出320.00万元。\n二、绩效情况\n全年全县实现社会消费品零售总额96.40亿元；"
        "组织企业参加展会，现场销售35万元，发放以旧换新补贴12万元；引进县外资金3.20亿元。基本支出中，"
        "工资福利支出410.00万元，商品和服务支出90.00万元。\n",
    )
    for value in ("96.40", "35", "3.20"):
        assert (fact(record, value).context.subject_kind, fact(record, value).context.subject) == ("region", "东湖县")
    assert fact(record, "12").context.subject_kind == "department"  # a subsidy the department paid
    assert fact(record, "410.00").context.subject_kind == "economic_class"
    assert fact(record, "820.00").context.subject == "东湖县商务局"
    assert rules(record) == []


def test_an_error_needs_known_contexts():
    finding = Finding(rule="A103", category="arithmetic", severity="error", message="")
    from test_arithmetic import fact as built  # hand-built figures, the department's 2024 ones by default

    known = [built("a", "basic_expenditure", "10"), built("b", "personnel_expenditure", "4")]
    assert certain(finding, known).severity == "error"
    unknown = [built("a", "basic_expenditure", "10", context=Context()), known[1]]
    assert certain(finding, unknown).severity == "warning"
    other_year = [
        known[0],
        built("b", "personnel_expenditure", "4", context=known[0].context.model_copy(update={"year": 2023})),
    ]
    assert certain(finding, other_year).severity == "warning"


# ---------------------------------------------------------------- the false-alarm patterns


def test_change_after_a_figure_is_its_relation_not_a_part(tmp_path):
    record = run(
        tmp_path,
        "某县林业局2024年部门预算\n一、收入预算\n收入预算5300万元，其中：财政拨款收入5100万元，比上年预算减少240万元；"
        "其他收入200万元。\n",
    )
    appropriation = fact(record, "5100")
    assert appropriation.change and appropriation.change.amount == D("240") and appropriation.change.direction == "down"
    assert not [f for f in record.facts if f.value == D("240")]
    assert rules(record) == []


def test_change_after_bracketed_parts_and_in_a_sentence_of_its_own(tmp_path):
    record = run(
        tmp_path,
        "某县林业局2024年度部门决算\n一、支出情况\n公务用车购置及运行维护费60万元（其中：公务用车购置费45万元，"
        "公务用车运行维护费15万元），比2023年度增加12万元。支出总计900.00万元。与2023年度相比，支出总计减少30.00万元，下降3.23%。\n",
    )
    vehicle, total = fact(record, "60"), fact(record, "900.00")
    assert (vehicle.change.amount, vehicle.change.direction) == (D("12"), "up")
    assert (total.change.amount, total.change.percent, total.change.basis) == (D("30.00"), D("3.23"), "与2023年度相比")
    assert rules(record) == []


FINAL = """江口县水利局2024年度部门决算
一、收支情况
2023年本部门收入总计500.00万元。2024年本部门收入总计620.00万元，其中：财政拨款收入600.00万元，其他收入20.00万元。
二、支出情况
本年支出合计620.00万元。基本支出500.00万元，其中：人员经费380.00万元，公用经费120.00万元。
三、所属单位情况
1、城东水质监测站
基本支出80.00万元，其中：人员经费60.00万元，公用经费20.00万元。
四、支出决算具体情况
1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为300.00万元，支出决算为280.00万元。
"""


def test_two_years_two_subjects_and_a_sub_unit_are_different_quantities(tmp_path):
    record = run(tmp_path, FINAL)
    assert record.document.kind == "final_accounts"
    assert (fact(record, "500.00", "收入总计").context.year, fact(record, "620.00", "收入总计").context.year) == (
        2023,
        2024,
    )
    item = fact(record, "280.00")
    assert (item.context.subject_kind, item.context.subject, item.context.basis) == (
        "functional_class",
        "行政运行",
        "final",
    )
    unit = fact(record, "80.00")
    assert (unit.context.subject_kind, unit.context.subject) == ("sub_unit", "城东水质监测站")
    assert fact(record, "60.00").context.subject == "城东水质监测站"  # a part is its total's unit's
    assert rules(record) == []  # no C101 across years, subjects or units; no A103 mixing the unit's parts in


def test_a_real_conflict_in_one_context_is_an_error_naming_what_it_blocks(tmp_path):
    text = FINAL.replace(
        "本年支出合计620.00万元。",
        "本年支出合计620.00万元。本年支出合计为630.00万元，其中：基本支出500.00万元，项目支出130.00万元。",
    )
    record = run(tmp_path, text)
    (conflict,) = [f for f in record.findings if f.rule == "C101"]
    assert conflict.severity == "error" and "因此未核对：A110（本年支出合计630.00万元）" in conflict.message
    # the unit's and the department's 基本支出 identities are still checked (they hold: no A103 finding)
    assert rules(record) == ["C101"]


def test_budget_and_final_are_not_one_quantity(tmp_path):
    record = run(
        tmp_path,
        "江口县水利局2024年度部门整体支出绩效自评报告\n一、部门整体支出情况\n"
        "按年初预算，支出总额为1000.00万元；按决算，支出总额为960.00万元。\n",
    )
    assert [f.context.basis for f in record.facts] == ["budget_initial", "final"]
    assert "C101" not in rules(record)


def test_a_sangong_part_without_key_blocks_the_named_identity(tmp_path):
    text = "某县林业局2024年度部门决算\n一、三公经费\n“三公”经费支出18.60万元，其中：因公出国（境）费0万元，公务接待费2.40万元，公车租赁和运行费用16.20万元。\n"
    record = run(tmp_path, text)
    assert rules(record) == []  # not 18.60 ≠ 0 + 2.40: the third part counts, under the generic sum
    wrong = run(tmp_path, text.replace("16.20", "15.20"))
    assert rules(wrong) == ["A110"]


# ---------------------------------------------------------------- real documents (read from ../shared/real)


def _clean_excerpts() -> list[dict]:
    files = [REAL / "excerpts.jsonl", REAL / "selfeval_excerpts.jsonl"]
    records = [json.loads(line) for path in files if path.exists() for line in path.open(encoding="utf-8")]
    return [
        r
        for r in records
        if not any(s.get("verdict") in ("error", "ambiguous") for s in r["sums"] + r.get("ratios", []))
    ]


@pytest.mark.skipif(not (REAL / "excerpts.jsonl").exists(), reason="needs ../shared/real")
def test_no_error_finding_on_real_excerpts_whose_arithmetic_holds(tmp_path):
    excerpts = _clean_excerpts()
    assert len(excerpts) >= 35
    alarms = []
    for excerpt in excerpts:
        path = tmp_path / f"{excerpt['id']}.txt"
        path.write_text(excerpt["text"], encoding="utf-8")
        record = process(path, config)
        alarms += [
            (excerpt["id"], f.rule)
            for f in record.findings
            if f.severity == "error" and f.category in ("arithmetic", "consistency")
        ]
    assert alarms == []


@pytest.mark.skipif(not (REAL / "gbc").exists(), reason="needs ../shared/real/gbc")
@pytest.mark.parametrize(
    "name", sorted(p.name for p in (REAL / "gbc").glob("*.pdf")) if (REAL / "gbc").exists() else []
)
def test_real_final_accounts_have_no_false_error(name):
    record = process(REAL / "gbc" / name, config)
    # the real errors the README lists are a mis-stated share (A120, a warning) and figures in tables; the
    # table checks (category fiscal) flag those, and tests/test_fiscal.py holds them to exactly those errors
    assert [f for f in record.findings if f.severity == "error" and f.category != "fiscal"] == []
    if "injected" not in name:  # the injected copy titles its 情况说明 2023年度: its figures are read as 2023's
        assert all(f.context.year == 2024 for f in record.facts if "2023" not in f.sentence)


def test_a_percentage_right_under_truncation_is_no_certain_error():
    from test_arithmetic import fact as built

    rate = Finding(
        rule="A121", category="arithmetic", severity="error", message="", stated=D("95.45"), computed=D("95.457154")
    )
    executed = built("a", "executed", "9746.50")
    budget = built(
        "b", "budget_initial", "10210.34", context=executed.context.model_copy(update={"basis": "budget_initial"})
    )
    executed = executed.model_copy(update={"context": executed.context.model_copy(update={"basis": "final"})})
    assert certain(rate, [executed, budget], across=("basis",)).severity == "warning"  # 95.457 truncates to 95.45
    wrong = rate.model_copy(update={"stated": D("95.30")})
    assert certain(wrong, [executed, budget], across=("basis",)).severity == "error"  # two bases, by design
    assert certain(wrong, [executed, budget]).severity == "warning"  # unless the rule compares across bases


def test_rows_of_a_functional_class_table_are_classes():
    from test_arithmetic import fact as built

    from extractor.figures.context import TableContexts

    document = Context(year=2024, period="year", basis="final", subject_kind="department", subject="某局")
    row = built("a", None, "135.25", label="信息化建设", context=Context(basis="final"))
    total = built("b", None, "2940.05", label="支出合计", context=Context(basis="final"))
    table_context = TableContexts(config, [], document)
    assert table_context(row, None, classes_table=True).subject == "信息化建设"
    assert table_context(total, None, classes_table=True).subject_kind == "department"
    assert table_context(row, None).subject_kind == "department"  # no class table


def test_context_vocabulary_is_validated_when_loaded():
    from extractor.figures import context

    words = {"basis": {"budget": ["预算"]}, "fund": {}, "default_basis": {}, "period": {}}
    with pytest.raises(ValueError, match="basis"):
        context._validated(words)


def test_a_functional_class_table_sums_its_classes_not_their_items():
    from test_arithmetic import fact as built

    from extractor.checks.table_sums import _identities
    from extractor.records import Cell, Table

    rows = [
        ("合计", "300.00"),
        ("一般公共服务支出", "200.00"),
        ("行政运行", "150.00"),
        ("信息化建设", "50.00"),
        ("住房保障支出", "100.00"),
        ("住房公积金", "100.00"),
    ]
    table = Table(
        n_rows=len(rows),
        n_cols=2,
        cells=[Cell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row)],
    )
    text = table.text()
    facts, offset = [], 0
    for r, (label, value) in enumerate(rows):
        start = text.index(value, offset)
        offset = start + len(value)
        code = {"一般公共服务支出": "201", "住房保障支出": "221"}.get(label)
        kind = None if label == "合计" else "functional_class"
        facts.append(
            built(
                f"F{r}",
                code,
                value,
                label=label,
                start=start,
                source="table",
                context=Context(
                    year=2024, basis="final", subject_kind=kind or "department", subject=label, subject_code=code
                ),
            )
        )
        facts[-1] = facts[-1].model_copy(update={"end": start + len(value)})
    (identity,) = list(_identities(config, table, facts))
    assert [f.value for _, f in identity.parts] == [D("200.00"), D("100.00")] and identity.compare(
        config, "round"
    ).holds


@pytest.mark.parametrize(
    ("department", "region"),
    [
        ("东湖县商务局", "东湖县"),
        ("青州市北关区发展和改革局", "青州市北关区"),
        ("青州市城市管理局", "青州市"),
        (None, None),
    ],
)
def test_the_region_is_named_after_the_departments_area(department, region):
    from extractor.figures.context import region_of

    assert region_of(config, department) == region


def test_any_two_apart_is_asked_in_one_pass():
    """`_any_apart` over a finding's contexts answers as `_apart` asked of every pair."""
    import itertools

    from extractor.checks.contexts import _any_apart, _apart

    years, bases = (None, 2023, 2024), (None, "final", "budget_initial")
    periods = (None, "year", "year_end", "prior_year", "month")
    details = (None, "1-6月")
    pool = [
        Context(year=y, basis=b, period=p, period_detail=d)
        for y, b, p, d in itertools.product(years, bases, periods, details)
    ]
    for size in (0, 1, 2, 3):
        for contexts in itertools.islice(itertools.combinations(pool, size), 0, None, 7):
            pairwise = any(_apart(a, b) for a in contexts for b in contexts)
            assert _any_apart(list(contexts)) == pairwise, contexts
