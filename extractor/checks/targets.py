"""Performance-target review (P1xx, P2xx): the first-round review (初审) of 绩效目标申报表 as a finance
bureau's reviewers do it, and the same indicator rules on the indicator tables of 自评表.

Reads `TargetForm`s and table `Kpi`s; criteria, word lists and thresholds are in schemas/rules/targets.toml.
Every finding names its project (code, else name) and indicator, and carries the reviewers' problem name
as `item` (from the rule), so a review can be grouped by project like the bureau's 初审 table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..figures.numbers import find_money
from ..figures.targets import find_deadline, parse_target
from ..records import Finding, Kpi, Record, TargetForm, TargetIndicator
from .engine import load_settings, make_finding, shown

_WAN = Decimal(10000)
_YUAN_PER_UNIT = {"元": Decimal(1), "千元": Decimal(1000), "万元": _WAN, "亿元": _WAN * _WAN}
_MEASURABLE = ("measure", "deadline")
_QUOTES = re.compile(r"[“”\"'‘’《》〈〉<>]")


@dataclass(frozen=True)
class Criteria:
    mandatory_level2: tuple[str, ...]
    max_name_length: int
    timeliness_rate_words: tuple[str, ...]
    time_units: tuple[str, ...]
    named_document: re.Pattern
    calculation_markers: tuple[re.Pattern, ...]
    amount_tolerance_yuan: Decimal
    amount_tolerance_share: Decimal
    large_project_yuan: Decimal
    min_measurable: int
    annual_target_number: re.Pattern
    satisfaction_words: tuple[str, ...]
    satisfaction_level2: tuple[str, ...]
    money_units: tuple[str, ...]
    damaged_code: re.Pattern


@cache
def criteria() -> Criteria:
    data = load_settings("targets")["review"]
    return Criteria(
        mandatory_level2=tuple(data["mandatory_level2"]),
        max_name_length=int(data["max_name_length"]),
        timeliness_rate_words=tuple(data["timeliness_rate_words"]),
        time_units=tuple(data["time_units"]),
        named_document=re.compile(data["named_document"]),
        calculation_markers=tuple(re.compile(p) for p in data["calculation_markers"]),
        amount_tolerance_yuan=Decimal(data["amount_tolerance_yuan"]),
        amount_tolerance_share=Decimal(data["amount_tolerance_share"]),
        large_project_yuan=Decimal(data["large_project_yuan"]),
        min_measurable=int(data["min_measurable"]),
        annual_target_number=re.compile(data["annual_target_number"]),
        satisfaction_words=tuple(data["satisfaction_words"]),
        satisfaction_level2=tuple(data["satisfaction_level2"]),
        money_units=tuple(data["money_units"]),
        damaged_code=re.compile(data["damaged_code"]),
    )


def _compact(text: str | None) -> str:
    return "".join((text or "").split())


def in_yuan(form: TargetForm, amount: Decimal | None) -> Decimal | None:
    """An amount of the form in yuan, in the unit the amounts are really in (see TargetForm.amount_unit)."""
    if amount is None:
        return None
    return amount * _YUAN_PER_UNIT.get(form.amount_unit or "万元", _WAN)


# ---------------------------------------------------------------- the form's text fields


def _calculation_shown(text: str) -> bool:
    """The 测算依据 states a unit price or standard with a quantity."""
    return any(m.rate for m in find_money(text)) or any(p.search(text) for p in criteria().calculation_markers)


def _gives_amount(text: str, amount_yuan: Decimal | None) -> bool:
    """One of the 测算依据's figures, or their sum, equals the amount requested; with no amount stated,
    the 测算依据 at least arrives at a sum (a figure that is not a unit price)."""
    figures = [m.amount for m in find_money(text) if m.rate is None]
    if not figures or not amount_yuan:
        return bool(figures)
    c = criteria()
    tolerance = max(c.amount_tolerance_yuan, amount_yuan * c.amount_tolerance_share)
    return any(abs(figure - amount_yuan) <= tolerance for figure in [*figures, sum(figures)])


def _form_fields(form: TargetForm, where: dict) -> Iterator[Finding]:
    c = criteria()
    if form.project_code and c.damaged_code.match(form.project_code):
        yield make_finding("P109", **where, printed=form.project_code)
    if form.amount_label_unit == "万元" and form.amount_unit == "元" and form.year_amount:
        evidence = "与测算依据或成本指标的金额相符" if form.amount_unit_evidence == "figures" else "以万元计则数额过大"
        yield make_finding("P110", **where, stated=form.year_amount, evidence=evidence,
                           converted=shown((form.year_amount / _WAN).normalize()))  # fmt: skip
    policy = _compact(form.policy_basis)
    if not policy:
        yield make_finding("P101", **where)
    elif not c.named_document.search(policy):
        yield make_finding("P102", **where)
    calculation = _compact(form.calculation_basis)
    amount = in_yuan(form, form.year_amount)
    if not amount:
        yield make_finding("P119", **where)
    if not calculation:
        yield make_finding("P103", **where)
    elif not _calculation_shown(calculation):
        yield make_finding("P104", **where)
    elif not c.named_document.search(calculation):
        yield make_finding("P105", **where)
    elif not _gives_amount(calculation, amount):
        yield make_finding("P106", **where)
    target = _compact(form.annual_target)
    if not target:
        yield make_finding("P107", **where)
    elif not c.annual_target_number.search(target):
        yield make_finding("P108", **where)


# ---------------------------------------------------------------- indicator rows (forms and 自评表 alike)


@dataclass(frozen=True)
class Row:
    """An indicator row as the rules see it, from a target form or a self-evaluation table."""

    level2: str
    name: str | None
    target: str | None
    kind: str  # TargetIndicator.target_kind
    unit: str | None
    explanation: str | None
    has_explanation_column: bool


def _is_blank(indicator: TargetIndicator) -> bool:
    return not (_compact(indicator.name) or _compact(indicator.target) or _compact(indicator.explanation))


def _form_rows(form: TargetForm) -> list[Row]:
    """The form's indicator rows that say something (wholly empty rows are P112, see `_blank_cells`)."""
    return [
        Row(level_name(i.level2), i.name, i.target, i.target_kind, i.unit, i.explanation, has_explanation_column=True)
        for i in form.indicators
        if not _is_blank(i)
    ]


def _states_time(row: Row) -> bool:
    """A 时效 value that says when: a deadline or frequency anywhere in it ("每季度≥2场"), a duration
    ("≤3天"), or a rate of timeliness (按时完成率100%)."""
    if row.kind == "deadline" or find_deadline(row.target) is not None:
        return True
    if row.kind != "measure" or not row.unit:
        return False
    if row.unit == "%":
        return any(word in (row.name or "") for word in criteria().timeliness_rate_words)
    return row.unit.endswith(criteria().time_units)


def _misplaced(row: Row) -> str | None:
    """Why the row does not belong under its second-level indicator, None if it does."""
    c = criteria()
    if row.kind == "deadline" and row.level2 in ("数量", "质量", "成本"):
        return "所填为时限，应列为时效指标"
    if row.level2 == "成本" and row.kind == "measure" and row.unit and not row.unit.startswith(c.money_units):
        return "成本指标应为成本或单价（元、万元）"
    satisfaction = any(word in (row.name or "") for word in c.satisfaction_words)
    if satisfaction and row.level2 not in c.satisfaction_level2 and row.level2 != "社会效益":
        return "满意度应列在满意度指标下"
    return None


def indicator_findings(rows: list[Row], where: dict, *, self_evaluation: bool = False) -> Iterator[Finding]:
    """The rules on each indicator row; `where` gives block, page and project. On a self-evaluation table
    an unmeasurable target is P201 (it could not be scored) and an empty cell is not a finding."""
    c = criteria()
    for row in rows:
        name, target = _compact(row.name), _compact(row.target)
        if row.kind == "not_applicable" or name == "不适用":
            continue  # the mandatory categories are checked once per form (P111)
        here = where | {"indicator": name or None, "level2": row.level2 or "（未分类）"}
        if not name or not target:
            if not self_evaluation:
                cells = "、".join(label for label, text in (("三级指标", name), ("指标值", target)) if not text)
                yield make_finding("P112", **here, cells=cells)
            continue
        length = len(_QUOTES.sub("", name))  # quotation marks around a proper name are not words
        if length > c.max_name_length:
            yield make_finding("P114", **here, length=length)
        if row.kind == "qualitative":
            yield make_finding("P201" if self_evaluation else "P115", **here, target=row.target)
        if row.level2 == "时效" and not _states_time(row):
            yield make_finding("P116", **here, target=row.target)
        if reason := _misplaced(row):
            yield make_finding("P117", **here, target=row.target, reason=reason)
        if row.has_explanation_column and not _compact(row.explanation):
            yield make_finding("P113", **here)


def _mandatory(form: TargetForm, where: dict) -> Iterator[Finding]:
    """Each mandatory second-level indicator set, with a row that is not 不适用 (rows left blank are P112)."""
    for level2 in criteria().mandatory_level2:
        rows = [i for i in form.indicators if level_name(i.level2) == level2]
        if not rows:
            yield make_finding("P111", **where, level2=level2, state="缺失")
        elif all(i.target_kind == "not_applicable" or _compact(i.name) == "不适用" or _is_blank(i) for i in rows):
            if not all(_is_blank(i) for i in rows):
                yield make_finding("P111", **where, indicator="不适用", level2=level2, state="填写“不适用”")


def _blank_cells(form: TargetForm, where: dict) -> Iterator[Finding]:
    """Rows that do not apply, or say nothing, must say 不适用 in each of their three cells. A table left
    wholly empty is one finding, not one per row."""
    if form.indicators and all(_is_blank(i) for i in form.indicators):
        yield make_finding("P112", **where, level2="各项", cells="三级指标、指标值、指标解释")
        return
    for indicator in form.indicators:
        cells = {"三级指标": indicator.name, "指标值": indicator.target, "指标解释": indicator.explanation}
        not_applicable = _is_blank(indicator) or indicator.target_kind == "not_applicable" or _compact(indicator.name) == "不适用"
        empty = [label for label, text in cells.items() if not _compact(text)]
        if not_applicable and empty:
            yield make_finding("P112", **where, level2=indicator.level2 or "（未分类）", cells="、".join(empty))


def _money_match(form: TargetForm, where: dict) -> Iterator[Finding]:
    amount = in_yuan(form, form.year_amount)
    measurable = [i for i in form.indicators if i.target_kind in _MEASURABLE]
    if amount and amount >= criteria().large_project_yuan and len(measurable) < criteria().min_measurable:
        yield make_finding("P118", **where, amount=shown((amount / _WAN).normalize()), count=len(measurable))


def project_of(form: TargetForm) -> str:
    """How a finding names the form's project: its code, else its name, else the sheet or form id."""
    return form.project_code or form.project_name or form.sheet or form.id


def check_form(form: TargetForm) -> list[Finding]:
    where = {"block": form.block, "page": form.page, "project": project_of(form)}
    return [
        *_form_fields(form, where),
        *_mandatory(form, where),
        *_blank_cells(form, where),
        *indicator_findings(_form_rows(form), where),
        *_money_match(form, where),
    ]


# ---------------------------------------------------------------- self-evaluation tables


_LEVEL_DECORATION = re.compile(r"[(（][^()（）]*[)）]|指标$")


def level_name(text: str | None) -> str:
    """A second-level indicator's name as the rules know it: "服务对象满意度指标（10分）" -> 服务对象满意度."""
    return _LEVEL_DECORATION.sub("", _compact(text))


def _kpi_row(kpi: Kpi) -> Row:
    target = parse_target(kpi.target)
    return Row(level_name(kpi.level2), kpi.level3 or kpi.label, kpi.target, target.kind, target.unit, None,
               has_explanation_column=False)  # fmt: skip


_MISSES = {">=": lambda a, t: a < t, ">": lambda a, t: a <= t, "<=": lambda a, t: a > t, "<": lambda a, t: a >= t}


def _full_marks_missed(kpi: Kpi, project: str | None) -> Finding | None:
    """Scored its full weight while the actual value misses a stated target (same unit, a comparator)."""
    if kpi.weight is None or kpi.score is None or kpi.score < kpi.weight or kpi.actual_value is None:
        return None
    target = parse_target(kpi.target)
    actual = parse_target(kpi.actual)
    if target.kind != "measure" or target.value is None or actual.value is None or target.unit != actual.unit:
        return None
    comparator = target.comparator if target.comparator in _MISSES else None
    if comparator is None and target.unit == "%" and target.value == 100:
        comparator = ">="  # "100%" is met only in full
    if comparator is None or not _MISSES[comparator](actual.value, target.value):
        return None
    return make_finding("P202", block=kpi.block, page=kpi.page, project=project, indicator=kpi.level3 or kpi.label,
                        actual=kpi.actual, target=kpi.target, score=kpi.score, facts=[kpi.id])  # fmt: skip


def check_self_evaluation(record: Record) -> Iterator[Finding]:
    form_blocks = {form.block for form in record.target_forms}
    projects = {table.id: table.project for table in record.tables}
    for kpi in record.kpis:
        if kpi.source != "table" or kpi.block in form_blocks:
            continue
        where = {"block": kpi.block, "page": kpi.page, "project": projects.get(kpi.table or "")}
        for finding in indicator_findings([_kpi_row(kpi)], where, self_evaluation=True):
            finding.facts = [kpi.id]
            yield finding
        if (missed := _full_marks_missed(kpi, where["project"])) is not None:
            yield missed


def check(record: Record) -> list[Finding]:
    """Every target-review finding of the record: its target forms, then its self-evaluation tables."""
    return [*(f for form in record.target_forms for f in check_form(form)), *check_self_evaluation(record)]
