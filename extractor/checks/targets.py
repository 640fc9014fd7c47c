"""Performance-target review (P1xx, P2xx): the first-round review (初审) of 绩效目标申报表 as a finance
bureau's reviewers do it, and the same indicator rules on the indicator tables of 自评表.

Reads `TargetForm`s and table `Kpi`s; criteria, word lists and thresholds are in schemas/rules/targets.toml.
Every finding names its project (code, else name) and indicator, and carries the reviewers' problem name
as `item` (from the rule), so a review can be grouped by project like the bureau's 初审 table.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from ..config import Config, derived
from ..figures.kpis import find_kpis
from ..figures.numbers import find_money
from ..figures.target_forms import YUAN_PER_UNIT
from ..figures.targets import find_deadline, parse_target
from ..patterns import lazy
from ..records import Copy, Document, Finding, Kpi, PolicyBasis, Record, TargetForm, TargetIndicator
from .engine import make_finding, shown
from .identity import digest

_WAN = YUAN_PER_UNIT["万元"]
_MEASURABLE = ("measure", "deadline")
_QUOTES = lazy(r"[“”\"'‘’《》〈〉<>]")


class Criteria(BaseModel):
    """schemas/rules/targets.toml [review], validated when loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when first validated

    mandatory_level2: tuple[str, ...]
    max_name_length: int
    timeliness_rate_words: tuple[str, ...]
    time_units: tuple[str, ...]
    named_document: re.Pattern
    policy_citation: tuple[re.Pattern, ...]
    min_policy_description: int
    calculation_markers: tuple[re.Pattern, ...]
    amount_tolerance_yuan: Decimal
    amount_tolerance_share: Decimal
    large_project_yuan: Decimal
    min_measurable: int
    annual_target_number: re.Pattern
    satisfaction_words: tuple[str, ...]
    satisfaction_level2: tuple[str, ...]
    deadline_misplaced_under: tuple[str, ...]
    cost_level2: str
    misplaced_reasons: dict[Literal["deadline", "cost", "satisfaction"], str]
    unit_evidence: dict[Literal["figures", "magnitude", "label"], str]  # P110: why the amounts are in yuan
    money_units: tuple[str, ...]
    damaged_code: re.Pattern


@derived
def criteria(config: Config) -> Criteria:
    return Criteria(**config.settings["targets"]["review"])


def _compact(text: str | None) -> str:
    return "".join((text or "").split())


def in_yuan(form: TargetForm, amount: Decimal | None) -> Decimal | None:
    """An amount of the form in yuan, in the unit the amounts are really in (see TargetForm.amount_unit)."""
    if amount is None:
        return None
    return amount * YUAN_PER_UNIT.get(form.amount_unit or "万元", _WAN)


@dataclass(frozen=True)
class Place:
    """Where the findings about one table point: its block and page, the project, and the span of each grid
    row in the block's text (a table's text has one line per grid row), so a finding marks its row."""

    block: int
    page: int | None
    project: str | None
    lines: tuple[tuple[int, int], ...] = ()
    facts: tuple[str, ...] = ()  # the KPI a 自评表 finding is about
    row_kpis: Mapping[int, Kpi] = field(default_factory=dict)  # a 自评表 form's KPIs by grid row

    @staticmethod
    def of(
        block: int,
        page: int | None,
        project: str | None,
        text: str | None,
        facts: tuple[str, ...] = (),
        row_kpis: Mapping[int, Kpi] | None = None,
    ) -> Place:
        lines, start = [], 0
        for line in (text or "").split("\n") if text else []:
            lines.append((start, start + len(line)))
            start += len(line) + 1
        return Place(block, page, project, tuple(lines), facts, row_kpis or {})

    def at(self, row: int | None = None) -> dict:
        """make_finding's place arguments, with the span of grid row `row` where the text has it (and, on a
        自评表, the KPI read from that row and its page: a table may run over pages, and the evidence of a
        finding is its figures' place on the page)."""
        kpi = self.row_kpis.get(row) if row is not None else None
        facts = self.facts or ((kpi.id,) if kpi else ())
        page = kpi.page if kpi and kpi.page is not None else self.page
        where = {"block": self.block, "page": page, "project": self.project, "facts": list(facts)}
        if row is not None and 0 <= row < len(self.lines) and self.lines[row][0] < self.lines[row][1]:
            where |= {"start": self.lines[row][0], "end": self.lines[row][1]}
        return where


# ---------------------------------------------------------------- the form's text fields


_HAN = lazy(r"[\u4e00-\u9fff]")


def policy_description(config: Config, text: str) -> str:
    """What a 政策依据 says besides its citations: the Han characters left once every document title,
    number, issuer, article and date, and the words that introduce them, are taken out."""
    for pattern in criteria(config).policy_citation:
        text = pattern.sub("", text)
    return "".join(_HAN.findall(text))


def _calculation_shown(config: Config, text: str) -> bool:
    """The 测算依据 states a unit price or standard with a quantity."""
    return any(m.rate for m in find_money(config, text)) or any(
        p.search(text) for p in criteria(config).calculation_markers
    )


def _gives_amount(config: Config, text: str, amount_yuan: Decimal | None) -> bool:
    """One of the 测算依据's figures, or their sum, equals the amount requested; with no amount stated,
    the 测算依据 at least arrives at a sum (a figure that is not a unit price)."""
    figures = [m.amount for m in find_money(config, text) if m.rate is None]
    if not figures or not amount_yuan:
        return bool(figures)
    c = criteria(config)
    tolerance = max(c.amount_tolerance_yuan, amount_yuan * c.amount_tolerance_share)
    return any(abs(figure - amount_yuan) <= tolerance for figure in [*figures, sum(figures)])


def _form_fields(config: Config, form: TargetForm, place: Place) -> Iterator[Finding]:
    c = criteria(config)

    def at(field: str) -> dict:
        return place.at(form.field_rows.get(field))

    if form.project_code and c.damaged_code.match(form.project_code):
        yield make_finding(config, "P109", **at("project_code"), printed=form.project_code)
    if form.amount_label_unit == "万元" and form.amount_unit == "元" and form.year_amount:
        evidence = c.unit_evidence[form.amount_unit_evidence or "magnitude"]
        yield make_finding(config, "P110", **at("year_amount"), stated=form.year_amount, evidence=evidence,
                           converted=shown((form.year_amount / _WAN).normalize()))  # fmt: skip
    # a field the layout does not have is not asked for (the MoF template has no 测算依据 row)
    has = form.field_rows.keys()
    policy = _compact(form.policy_basis)
    if "policy_basis" in has and not policy:
        yield make_finding(config, "P101", **at("policy_basis"))
    elif policy and not c.named_document.search(policy):
        yield make_finding(config, "P102", **at("policy_basis"))
    elif policy and len(policy_description(config, policy)) < c.min_policy_description:
        yield make_finding(config, "P121", **at("policy_basis"))
    calculation = _compact(form.calculation_basis)
    amount = in_yuan(form, form.year_amount)
    if "year_amount" in has and not amount:
        yield make_finding(config, "P119", **at("year_amount"))
    if not calculation:
        if "calculation_basis" in has:
            yield make_finding(config, "P103", **at("calculation_basis"))
    elif not _calculation_shown(config, calculation):
        yield make_finding(config, "P104", **at("calculation_basis"))
    elif not c.named_document.search(calculation):
        yield make_finding(config, "P105", **at("calculation_basis"))
    elif not _gives_amount(config, calculation, amount):
        yield make_finding(config, "P106", **at("calculation_basis"))
    target = _compact(form.annual_target)
    if "annual_target" in has and not target:
        yield make_finding(config, "P107", **at("annual_target"))
    elif target and not c.annual_target_number.search(target):
        yield make_finding(config, "P108", **at("annual_target"))


# ---------------------------------------------------------------- indicator rows (forms and 自评表 alike)


class Row(NamedTuple):
    """An indicator row as the rules see it, from a target form or a self-evaluation table."""

    row: int | None  # of the table's grid
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
        Row(
            i.row,
            level_name(i.level2),
            i.name,
            i.target,
            i.target_kind,
            i.unit,
            i.explanation,
            has_explanation_column="explanation" in form.columns,
        )
        for i in form.indicators
        if not _is_blank(i)
    ]


def _states_time(config: Config, row: Row) -> bool:
    """A 时效 value that says when: a deadline or frequency anywhere in it ("每季度≥2场"), a duration
    ("≤3天"), or a rate of timeliness (按时完成率100%)."""
    if row.kind == "deadline" or find_deadline(config, row.target) is not None:
        return True
    if row.kind != "measure" or not row.unit:
        return False
    if row.unit == "%":
        return any(word in (row.name or "") for word in criteria(config).timeliness_rate_words)
    return row.unit.endswith(criteria(config).time_units)


def _misplaced(config: Config, row: Row) -> str | None:
    """Why the row does not belong under its second-level indicator, None if it does."""
    c = criteria(config)
    reasons = c.misplaced_reasons
    if row.kind == "deadline" and row.level2 in c.deadline_misplaced_under:
        return reasons["deadline"]
    if row.level2 == c.cost_level2 and row.kind == "measure" and row.unit and not row.unit.startswith(c.money_units):
        return reasons["cost"]
    satisfaction = any(word in (row.name or "") for word in c.satisfaction_words)
    if satisfaction and row.level2 not in c.satisfaction_level2:
        return reasons["satisfaction"]
    return None


def indicator_findings(
    config: Config, rows: list[Row], place: Place, *, self_evaluation: bool = False
) -> Iterator[Finding]:
    """The rules on each indicator row of the table at `place`. On a self-evaluation table an unmeasurable
    target is P201 (it could not be scored) and an empty cell is not a finding."""
    c = criteria(config)
    for row in rows:
        name, target = _compact(row.name), _compact(row.target)
        if row.kind == "not_applicable" or name == "不适用":
            continue  # the mandatory categories are checked once per form (P111)
        here = place.at(row.row) | {"indicator": name or None, "level2": row.level2 or "（未分类）"}
        if not name or not target:
            if not self_evaluation:
                cells = "、".join(label for label, text in (("三级指标", name), ("指标值", target)) if not text)
                yield make_finding(config, "P112", **here, cells=cells)
            continue
        length = len(_QUOTES.sub("", name))  # quotation marks around a proper name are not words
        if length > c.max_name_length:
            yield make_finding(config, "P114", **here, length=length)
        if row.kind == "qualitative":
            yield make_finding(config, "P201" if self_evaluation else "P115", **here, target=row.target)
        if row.level2 == "时效" and not _states_time(config, row):
            yield make_finding(config, "P116", **here, target=row.target)
        if reason := _misplaced(config, row):
            yield make_finding(config, "P117", **here, target=row.target, reason=reason)
        if row.has_explanation_column and not _compact(row.explanation):
            yield make_finding(config, "P113", **here)


def _mandatory(config: Config, form: TargetForm, place: Place) -> Iterator[Finding]:
    """Each mandatory second-level indicator set, with a row that is not 不适用 (rows left blank are P112)."""
    for level2 in criteria(config).mandatory_level2:
        rows = [i for i in form.indicators if level_name(i.level2) == level2]
        if not rows:
            yield make_finding(config, "P111", **place.at(), level2=level2, state="缺失")
        elif all(i.target_kind == "not_applicable" or _compact(i.name) == "不适用" or _is_blank(i) for i in rows):
            if not all(_is_blank(i) for i in rows):
                yield make_finding(config, "P111", **place.at(rows[0].row), indicator="不适用", level2=level2,
                                   state="填写“不适用”")  # fmt: skip


def _blank_cells(config: Config, form: TargetForm, place: Place) -> Iterator[Finding]:
    """Rows that do not apply, or say nothing, must say 不适用 in each of their three cells. A table left
    wholly empty is one finding, not one per row."""
    if form.indicators and all(_is_blank(i) for i in form.indicators):
        cells = "三级指标、指标值" + ("、指标解释" if "explanation" in form.columns else "")
        yield make_finding(config, "P112", **place.at(form.indicators[0].row), level2="各项", cells=cells)
        return
    for indicator in form.indicators:
        texts = {"三级指标": indicator.name, "指标值": indicator.target}
        if "explanation" in form.columns:
            texts["指标解释"] = indicator.explanation
        not_applicable = (
            _is_blank(indicator) or indicator.target_kind == "not_applicable" or _compact(indicator.name) == "不适用"
        )
        empty = [label for label, text in texts.items() if not _compact(text)]
        if not_applicable and empty:
            yield make_finding(config, "P112", **place.at(indicator.row), level2=indicator.level2 or "（未分类）",
                               cells="、".join(empty))  # fmt: skip


def _money_match(config: Config, form: TargetForm, place: Place) -> Iterator[Finding]:
    amount = in_yuan(form, form.year_amount)
    measurable = [i for i in form.indicators if i.target_kind in _MEASURABLE]
    if amount and amount >= criteria(config).large_project_yuan and len(measurable) < criteria(config).min_measurable:
        yield make_finding(config, "P118", **place.at(form.field_rows.get("year_amount")),
                           amount=shown((amount / _WAN).normalize()), count=len(measurable))  # fmt: skip


def _measure(value: Decimal, unit: str | None) -> tuple[Decimal, str | None]:
    """A value and unit comparable across writings: money in yuan (2万元 = 20000元), numbers normalised."""
    if unit in YUAN_PER_UNIT:
        value, unit = value * YUAN_PER_UNIT[unit], "元"
    return value.normalize(), unit


def _indicator_measures(form: TargetForm) -> set[tuple[Decimal, str | None]]:
    """The values the indicators state, each alone and, where a total is broken into parts (county, township
    and village roads), the sums of adjacent indicators in the same unit."""
    measures: set[tuple[Decimal, str | None]] = set()
    run: list[tuple[Decimal, str | None]] = []
    for indicator in form.indicators:
        if indicator.value is None:
            run = []
            continue
        value, unit = _measure(indicator.value, indicator.unit)
        run = [*(run if run and run[-1][1] == unit else []), (value, unit)]
        measures.update((sum((v for v, _ in run[start:]), Decimal(0)), unit) for start in range(len(run)))
    return {(value.normalize(), unit) for value, unit in measures}


def _annual_target_match(config: Config, form: TargetForm, place: Place) -> Iterator[Finding]:
    """Each quantity the annual target states (2万平方米, 95%) is the value of some indicator, or the sum
    of adjacent indicators in its unit."""
    target = _compact(form.annual_target)
    stated = [(m.amount, "元", target[m.start : m.end]) for m in find_money(config, target) if m.rate is None]
    stated += [(k.value, k.unit, target[k.start : k.end]) for k in find_kpis(config, target, [])]
    indicators = _indicator_measures(form)
    for value, unit, printed in stated:
        if _measure(value, unit) not in indicators:
            yield make_finding(config, "P120", **place.at(form.field_rows.get("annual_target")), measure=printed)


def project_of(form: TargetForm) -> str:
    """How a finding names the form's project: its code, else its name, else (a 部门整体 自评表, about the
    department itself) the department, else the sheet or form id."""
    whole_department = form.department or form.unit if form.kind == "self_evaluation" else None
    return form.project_code or form.project_name or whole_department or form.sheet or form.id


def check_form(
    config: Config, form: TargetForm, block_text: str | None = None, row_kpis: Mapping[int, Kpi] | None = None
) -> list[Finding]:
    """The review of one form; with its block's text, each finding marks the grid row it is about (and
    names the KPI of that row in `row_kpis`, a 自评表's, and its page).

    The 目标 part of a 自评表 gets the rules on what it restates (its annual target, its indicators, the
    money): an unmeasurable target is P201 (it could not be scored); the rules on how a form is filled
    in (mandatory categories, 不适用 cells) belong to the target review a year before."""
    place = Place.of(form.block, form.page, project_of(form), block_text, row_kpis=row_kpis)
    if form.kind == "self_evaluation":
        return [
            *_form_fields(config, form, place),
            *indicator_findings(config, _form_rows(form), place, self_evaluation=True),
            *_money_match(config, form, place),
            *_annual_target_match(config, form, place),
        ]
    return [
        *_form_fields(config, form, place),
        *_mandatory(config, form, place),
        *_blank_cells(config, form, place),
        *indicator_findings(config, _form_rows(form), place),
        *_money_match(config, form, place),
        *_annual_target_match(config, form, place),
    ]


# ---------------------------------------------------------------- self-evaluation tables


_LEVEL_DECORATION = lazy(r"[(（][^()（）]*[)）]|指标$")


def level_name(text: str | None) -> str:
    """A second-level indicator's name as the rules know it: "服务对象满意度指标（10分）" -> 服务对象满意度."""
    return _LEVEL_DECORATION.sub("", _compact(text))


def _kpi_row(config: Config, kpi: Kpi) -> Row:
    target = parse_target(config, kpi.target)
    return Row(kpi.row, level_name(kpi.level2), kpi.level3 or kpi.label, kpi.target, target.kind, target.unit, None,
               has_explanation_column=False)  # fmt: skip


_MISSES = {">=": lambda a, t: a < t, ">": lambda a, t: a <= t, "<=": lambda a, t: a > t, "<": lambda a, t: a >= t}


def _full_marks_missed(config: Config, kpi: Kpi, place: Place) -> Finding | None:
    """Scored its full weight while the actual value misses a stated target (same unit, a comparator)."""
    if kpi.weight is None or kpi.score is None or kpi.score < kpi.weight or kpi.actual_value is None:
        return None
    target = parse_target(config, kpi.target)
    actual = parse_target(config, kpi.actual)
    if target.kind != "measure" or target.value is None or actual.value is None or target.unit != actual.unit:
        return None
    comparator = target.comparator
    if comparator == "=":  # a bare target is a floor, except a cost, which is a ceiling
        comparator = "<=" if level_name(kpi.level2) == "成本" else ">="
    if comparator not in _MISSES or not _MISSES[comparator](actual.value, target.value):
        return None
    return make_finding(config, "P202", **place.at(kpi.row), indicator=kpi.level3 or kpi.label, actual=kpi.actual,
                        target=kpi.target, score=kpi.score)  # fmt: skip


def check_self_evaluation(config: Config, record: Record, texts: dict[int, str]) -> Iterator[Finding]:
    """目标 vs 实际 on the KPIs of 自评表 tables (P202), and the indicator rules on those tables not read
    as a form (a form's indicator rules run in `check_form`)."""
    forms = {form.block: form for form in record.target_forms}
    projects = {table.id: table.project for table in record.tables}
    for kpi in record.kpis:
        form = forms.get(kpi.block)
        if kpi.source != "table" or (form is not None and form.kind == "target_form"):
            continue
        project = project_of(form) if form is not None else projects.get(kpi.table or "")
        place = Place.of(kpi.block, kpi.page, project, texts.get(kpi.block), (kpi.id,))
        if form is None:
            yield from indicator_findings(config, [_kpi_row(config, kpi)], place, self_evaluation=True)
        if (missed := _full_marks_missed(config, kpi, place)) is not None:
            yield missed


def check(config: Config, record: Record, document: Document) -> list[Finding]:
    """Every target-review finding of the record: its target forms, then its self-evaluation tables."""
    texts = {block.index: block.text for block in document.blocks if block.kind == "table"}
    row_kpis: dict[int, dict[int, Kpi]] = {}
    for kpi in record.kpis:
        if kpi.source == "table" and kpi.row is not None:
            row_kpis.setdefault(kpi.block, {})[kpi.row] = kpi
    return [
        *(
            f
            for form in record.target_forms
            for f in check_form(config, form, texts.get(form.block), row_kpis.get(form.block))
        ),
        *check_self_evaluation(config, record, texts),
    ]


# ---------------------------------------------------------------- across the forms of a batch


def policy_basis(doc: str, form: TargetForm) -> PolicyBasis | None:
    """The form's 政策依据 for the batch's comparison; None for a 自评表 (it restates targets, not the
    basis) or an empty one."""
    if form.kind != "target_form" or not _compact(form.policy_basis):
        return None
    return PolicyBasis(doc, form.block, form.page, project_of(form), form.policy_basis or "")


_NOT_WORDS = lazy(r"[\W_]+")  # white space and punctuation: a copy differs in them only


def copied_policy_bases(config: Config, bases: Iterable[PolicyBasis]) -> list[Copy]:
    """P122: each 政策依据 that another project of the batch states word for word (white space and
    punctuation aside). Only bases that name a document are compared: one that names none is P102 already."""
    named_document = criteria(config).named_document
    by_text: dict[str, list[PolicyBasis]] = defaultdict(list)
    for basis in bases:
        if named_document.search(_compact(basis.text)):
            by_text[_NOT_WORDS.sub("", basis.text)].append(basis)
    copies = []
    for text, group in by_text.items():
        for basis in group:
            others = [other for other in group if other.project != basis.project]
            if not others:
                continue  # one project read twice (the same form in two files) is no copy
            named = sorted({other.project for other in others})
            finding = make_finding(
                config,
                "P122",
                page=basis.page,
                block=basis.block,
                project=basis.project,
                fingerprint=digest("P122", basis.project, [text]),
                others="、".join(named[:3]) + ("等" if len(named) > 3 else ""),
            )
            copies.append(Copy(basis.doc, finding, others[0].doc, others[0].block))
    return copies
