"""The corpus documents against their HAND-WRITTEN specs (corpus/specs/*.json), independently of the goldens.

Where the spec and the program follow different but reasonable conventions, the mapping is explicit below
(CONVENTIONS, KEYS, *_CONVENTION): nothing is skipped silently. Differences that are program errors are
listed in golden/known_gaps.json and named here where a spec value meets one.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from corpus_records import FILES, corpus_record, spec

from extractor.records import Fact, Record

DOCUMENTS = [(stem, fmt, name) for name in FILES for stem, fmt in [name.rsplit(".", 1)]]

# Section keys. The program files each outline under its own template (schemas/templates/*.json); the spec
# writes domain.md §1.10's canonical keys. Where the template has a finer or its own key for the same heading,
# the pair is listed: (document stem, spec title) -> the template's key.
KEYS = {
    # guangdong_dept has a key of its own for 年度总体工作和重点工作任务 and for the two performance parts
    ("maoming_agri_2024", "年度总体工作和重点工作任务"): "basic_info.work_tasks",
    ("maoming_agri_2024", "履职效能"): "performance.effectiveness",
    ("maoming_agri_2024", "管理效率"): "performance.efficiency",
    # hunan_project: project outlines key their headings under project_* / fund_use / implementation
    ("changsha_road_project_2024", "项目基本情况"): "project_basic_info",
    ("changsha_road_project_2024", "项目概况"): "project_basic_info.overview",
    ("changsha_road_project_2024", "项目绩效目标"): "project_basic_info.targets",
    ("changsha_road_project_2024", "项目资金使用及管理情况"): "fund_use",
    ("changsha_road_project_2024", "资金到位情况"): "fund_use.arrival",
    ("changsha_road_project_2024", "资金执行情况"): "fund_use.execution",
    ("changsha_road_project_2024", "资金管理情况"): "fund_use.management",
    ("changsha_road_project_2024", "项目组织实施情况"): "implementation",
    ("changsha_road_project_2024", "项目组织情况"): "implementation.organization",
    ("changsha_road_project_2024", "项目管理情况"): "implementation.management",
    ("changsha_road_project_2024", "项目绩效情况"): "project_performance",
    ("changsha_road_project_2024", "产出情况"): "project_performance.output",
    ("changsha_road_project_2024", "满意度情况"): "project_performance.satisfaction",
    # yunnan_dept: the Yunnan outline's own keys (概况, 工作任务, 绩效自评工作, 评价结论)
    ("yunnan_edu_2024", "部门概况"): "basic_info.overview",
    ("yunnan_edu_2024", "当年主要工作任务及目标"): "basic_info.work_tasks",
    ("yunnan_edu_2024", "绩效自评工作情况"): "evaluation_work",
    ("yunnan_edu_2024", "绩效自评目的"): "evaluation_work.purpose",
    ("yunnan_edu_2024", "自评组织过程"): "evaluation_work.process",
    ("yunnan_edu_2024", "评价情况分析及综合评价结论"): "conclusion",
    ("yunnan_edu_2024", "综合评价结论"): None,  # its parent carries the key `conclusion`
    # hubei_dept
    ("hubei_health_2024", "预算及执行情况"): "basic_info.budget_execution",
    ("hubei_health_2024", "履职完成情况"): "performance.duty_completion",
    ("hubei_health_2024", "履职效果情况"): "performance.duty_effect",
}

# Money keys: "全年预算X万元，执行Y万元" names the budget columns (全年预算数 / 全年执行数, the keys the
# self-evaluation table's cells carry), where the spec reads 执行 as the year's total expenditure.
MONEY_KEYS = {("total_expenditure", "执行"): "executed", ("project_expenditure", "项目全年执行数"): "executed"}


def normalize_title(title: str) -> str:
    return re.sub(r"\s+", "", title)


def value(text: str | None) -> Decimal | None:
    """A printed cell or figure as a number: separators and % dropped, "—" and "" are no value."""
    if text in (None, "", "—"):
        return None
    return Decimal(text.replace(",", "").rstrip("%"))


def section_by_title(record: Record, title: str):
    found = [s for s in record.sections if normalize_title(s.title) == normalize_title(title)]
    assert found, f"no section titled {title}"
    return found


# ------------------------------------------------------------------------------------------------ sections


@pytest.mark.parametrize("stem, fmt, name", DOCUMENTS)
def test_sections(stem, fmt, name):
    record, wanted = corpus_record(name), spec(stem)
    parents = {s.id: s for s in record.sections}
    for item in wanted["sections"]:
        candidates = section_by_title(record, item["title"])
        if item["parent"]:  # the same title may stand under two parents (（一） 基本支出情况 …)
            candidates = [
                s
                for s in candidates
                if s.parent and normalize_title(parents[s.parent].title) == normalize_title(item["parent"])
            ]
        else:
            candidates = [s for s in candidates if s.parent is None]
        assert len(candidates) == 1, item
        section = candidates[0]
        printed = item.get("printed", {}).get(fmt, item["number"])
        # CONVENTION: the attachment heading "附件：1.…" keeps its printed label 附件： as number; the spec writes ""
        assert section.number == (printed or "附件："), (item["title"], section.number, printed)
        assert section.level == item["level"]
        allowed = {item["key"], *item.get("acceptable_keys", [])}
        if (stem, item["title"]) in KEYS:
            allowed = {KEYS[stem, item["title"]]}
        assert section.key in allowed, (item["title"], section.key, allowed)
        assert section.run_in == bool(item.get("run_in")), item["title"]


def test_seed_txt_numbering_quirks_are_flagged():
    record = corpus_record("heshan_commerce_2024.txt")
    flagged = {f.message.split("编号“")[1].split("”")[0] for f in record.findings if f.rule == "S101"}
    quirks = {
        s["printed"]["txt"] for s in spec("heshan_commerce_2024")["sections"] if s["printed"]["txt"] != s["number"]
    }
    assert quirks == {"1、", "（2）", "4、", "5、", "8、", "9、"} and flagged == quirks
    assert [f.rule for f in record.findings if "_GoBack" in f.message] == ["S109"]


@pytest.mark.parametrize("name, go_back", [("heshan_commerce_2024.docx", True), ("heshan_commerce_2024.html", True),
                                           ("heshan_commerce_2024.pdf", False)])  # fmt: skip
def test_go_back_bookmark_where_the_format_keeps_it(name, go_back):
    assert any(f.rule == "S109" for f in corpus_record(name).findings) == go_back


# --------------------------------------------------------------------------------------------------- money


def _unit(item: dict) -> str:
    # CONVENTION: a zero stated without a unit ("“三公”经费支出为0") takes the unit of the context (万元 here);
    # "20余万" (元 omitted) is read as 万元
    return {None: "万元", "万": "万元"}.get(item["unit"], item["unit"])


def _parent_value(record: Record, fact: Fact) -> Decimal | None:
    parent = next((f for f in record.facts if f.id == fact.parent), None)
    return parent.value if parent else None


def money_cases():
    for stem, _, name in DOCUMENTS:
        yield pytest.param(stem, name, id=name)


@pytest.mark.parametrize("stem, name", list(money_cases()))
def test_every_spec_money_figure(stem, name):
    record = corpus_record(name)
    facts = [f for f in record.facts if f.source == "text"]
    rates = [k for k in record.kpis if k.source == "text"]
    used: set[str] = set()
    for item in spec(stem)["money"]:
        want = Decimal(item["value"].replace(",", ""))
        if item.get("role") == "change_amount":
            # CONVENTION: "同比增加423,800.00元" is the change of the figure before it (Fact.change), not a fact
            owner = next(f for f in facts if f.change and f.change.amount == want)
            assert owner.change.unit == item["unit"] and owner.value == Decimal(
                item["change_of"].rstrip("元万").replace(",", "")
            )
            continue
        if item.get("per"):
            # CONVENTION: a rate (每生每天5元, 1.8万元 per 公里·年, 亩均3000元) is a KPI with unit 元/生·天, not money
            unit = f"{item['unit']}/{item['per']}"
            kpi = next(k for k in rates if k.id not in used and k.value == want and k.unit == unit)
            used.add(kpi.id)
            assert kpi.qualifier == item["qualifier"]
            continue
        fact = next((f for f in facts if f.id not in used and f.value == want and f.unit == _unit(item)), None)
        assert fact is not None, item
        used.add(fact.id)
        assert fact.value_max == (Decimal(item["value_max"]) if item.get("value_max") else None)
        assert fact.qualifier == item["qualifier"], item
        if item["key"]:
            assert fact.key == MONEY_KEYS.get((item["key"], fact.label), item["key"]), (item, fact.label, fact.key)
        parent = value(re.sub(r"[万亿]?元$", "", item["parent"])) if item["parent"] else None
        assert _parent_value(record, fact) == parent, (item, fact.label)
        if item.get("change"):
            change = item["change"]
            assert (fact.change.basis, fact.change.direction) == (change["basis"], change["direction"])
            assert (fact.change.amount, fact.change.percent) == (Decimal(change["amount"]), Decimal(change["percent"]))


# -------------------------------------------------------------------------------------------------- tables


def table_cases():
    for stem, fmt, name in DOCUMENTS:
        for index, table in enumerate(spec(stem)["tables"]):
            if fmt in table["formats"]:
                yield pytest.param(stem, name, index, id=f"{name}-{table['kind']}")


def _cells(row) -> tuple:
    return (row.budget_initial, row.budget_full_year, row.executed, row.weight, row.execution_rate, row.score)


@pytest.mark.parametrize("stem, name, index", list(table_cases()))
def test_every_table_row(stem, name, index):
    want = spec(stem)["tables"][index]
    record = corpus_record(name)
    (table,) = [t for t in record.tables if t.kind == want["kind"]]
    assert (table.title, table.unit) == (want["title"], want["unit"])
    rows = {row.label: row for row in table.budget_rows}
    if want["kind"] == "dept_basic_data_table":
        # CONVENTION: the basic data table's columns 2023年决算数 / 2024年预算数 / 2024年决算数 map to no field /
        # budget_full_year / executed (the record keeps the year under review only)
        assert [r.label for r in table.budget_rows] == [r[0] for r in want["rows"]]
        for label, _last_year, budget, executed in want["rows"]:
            assert (rows[label].budget_full_year, rows[label].executed) == (value(budget), value(executed)), label
        return
    assert [r.label for r in table.budget_rows] == [r["label"] for r in want["budget_rows"]]
    for item in want["budget_rows"]:
        cells = [
            value(item[k])
            for k in ("budget_initial", "budget_full_year", "executed", "weight", "execution_rate", "score")
        ]
        assert _cells(rows[item["label"]]) == tuple(cells), item["label"]
    kpis = [k for k in record.kpis if k.table == table.id]
    assert [k.level3 for k in kpis] == [r["level3"] for r in want["indicator_rows"]]
    for kpi, item in zip(kpis, want["indicator_rows"]):
        level1, weight = re.fullmatch(r"(.+?)\((\d+)分\)", item["level1"]).groups()
        assert (kpi.level1, kpi.level1_weight, kpi.level2) == (level1, Decimal(weight), item["level2"])
        assert (kpi.target, kpi.actual) == (item["target"], item["actual"])
        assert (kpi.weight, kpi.score) == (value(item["weight"]), value(item["score"]))
        assert (kpi.deviation_reason or "") == item["deviation_reason"]
    assert table.total_score == value(want["total_score"])
    assert table.stated_grade == want["grade"]


# -------------------------------------------------------------------------------------- deliberate errors


def _errors(name: str) -> list:
    """The findings about a corpus report's figures and structure; the target review's remarks on its
    indicator tables are tested in test_target_review.py."""
    return [f for f in corpus_record(name).findings if f.category != "targets"]


def test_maoming_table_errors():
    findings = {f.rule: f for f in _errors("maoming_agri_2024.docx")}
    assert set(findings) == {"T101", "T104"}
    assert findings["T101"].stated == Decimal(6) and "高标准农田建设验收合格率" in findings["T101"].message
    assert (findings["T104"].stated, findings["T104"].computed) == (Decimal("97.86"), Decimal("100.66"))


def test_changsha_text_table_mismatches():
    money, rate = _errors("changsha_road_project_2024.pdf")
    assert money.rule == rate.rule == "C102"
    assert (money.stated, money.computed) == (Decimal("1325.60"), Decimal("1352.6"))
    assert (rate.stated, rate.computed) == (Decimal("96.06"), Decimal("98.01"))  # the spec's second error: 执行率


@pytest.mark.parametrize("name", ["yunnan_edu_2024.txt", "hubei_health_2024.html", "heshan_commerce_2024.pdf"])
def test_documents_without_errors_have_no_findings(name):
    assert _errors(name) == []
