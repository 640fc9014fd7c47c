"""Year-over-year checks (C3xx), which only a panel allows: what a report says about the previous year
(a 上年 figure, "较上年增加X万元", "同比下降Y%") against the previous year's own report of the same
department (C301-C303), and the panel values of two documents of one department and year (C304: its
部门决算 and its self-evaluation report). Like copy detection they run over a whole batch, after departments
are linked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..checks.intervals import Measure, compare, comparison_finding, fact_money, money, number
from ..config import Config, derived
from ..records import Copy, Fact
from .indicators import WAN, Indicator, IndicatorValue

_ONE = Measure.exact(Decimal(1))
_DIRECTION_WORDS = {"up": "增加", "down": "减少", "flat": "持平"}


@dataclass(frozen=True)
class PanelEntry:
    """A document's row as year-over-year checks need it."""

    doc_id: str
    path: str
    department_id: str | None
    year: int | None
    values: dict[str, IndicatorValue]


@derived
def _prior_year_bases(config: Config) -> frozenset[str]:
    return frozenset(config.settings["year_over_year"]["year_over_year"]["prior_year_bases"])


def _money_indicators(config: Config) -> list[tuple[Indicator, frozenset[str]]]:
    return [
        (i, frozenset(s.key for s in i.sources if s.kind == "fact" and s.key))
        for i in config.indicators
        if i.unit == "万元"
    ]


def _indicator_of(config: Config, fact: Fact) -> Indicator | None:
    """The money indicator a fact is a figure of, its context (period aside) not excluding it."""
    for indicator, keys in _money_indicators(config):
        if fact.key not in keys:
            continue
        context = indicator.context
        wanted = context.model_dump(exclude={"period", "required"})
        if any(getattr(fact.context, name) is None for name in context.required if name != "period"):
            continue
        if all(allowed is None or getattr(fact.context, name) in (None, *allowed) for name, allowed in wanted.items()):
            return indicator
    return None


@dataclass(frozen=True)
class _Implied:
    code: str
    prior: Measure  # the previous year's figure this report implies, in yuan
    fields: dict


def _implied_prior(config: Config, fact: Fact, year: int) -> _Implied | None:
    if fact.qualifier or fact.value_max is not None or fact.currency != "CNY":
        return None
    value = fact_money(config, fact)
    printed = fact.value if fact.unit == "万元" else _wan(value.value)
    fields = {"label": fact.label or fact.key, "value": format(printed, "f")}
    stated_prior = fact.context.period == "prior_year" or (
        fact.context.year == year - 1 and fact.context.period in (None, "year")  # "2023年度支出…" in the 2024 report
    )
    if stated_prior:
        return _Implied("C301", value, fields) if fact.context.year in (None, year - 1) else None
    change = fact.change
    if change is None or change.basis not in _prior_year_bases(config) or fact.context.period not in (None, "year"):
        return None
    if fact.context.year not in (None, year):
        return None
    fields |= {"direction": _DIRECTION_WORDS[change.direction]}
    if change.amount is not None:
        amount = money(config, change.amount, change.unit or fact.unit)
        if amount is None:
            return None
        prior = value - amount if change.direction == "up" else value + amount if change.direction == "down" else value
        shown_amount = change.amount if (change.unit or fact.unit) == "万元" else _wan(amount.value)
        return _Implied("C302", prior, fields | {"amount": format(shown_amount, "f")})
    if change.percent is not None and change.direction != "flat":
        rate = number(change.percent).scaled(Decimal("0.01"))
        factor = _ONE + rate if change.direction == "up" else _ONE - rate
        if factor.bounds.low <= 0:
            return None
        return _Implied("C303", value / factor, fields | {"percent": format(change.percent, "f")})
    return None


def _wan(amount: Decimal) -> Decimal:
    return (amount / WAN).normalize() + 0


def year_over_year(
    config: Config,
    entries: Iterable[PanelEntry],
    facts_by_doc: dict[str, list[Fact]],
    block_of: Callable[[str, str], int | None],
) -> list[Copy]:
    """Findings on each report whose previous-year figures contradict the previous year's report.

    `facts_by_doc`: the facts that speak of the previous year (a 上年 period or a stated change), by doc_id;
    `block_of(doc_id, source)`: the block of an indicator's source, for the finding's pointer."""
    entries = sorted(entries, key=lambda e: e.path)
    by_department_year: dict[tuple[str, int], list[PanelEntry]] = defaultdict(list)
    for entry in entries:
        if entry.department_id and entry.year is not None:
            by_department_year[(entry.department_id, entry.year)].append(entry)
    findings: list[Copy] = []
    for entry in entries:
        if not entry.department_id or entry.year is None:
            continue
        earlier = by_department_year.get((entry.department_id, entry.year - 1), [])
        for fact in facts_by_doc.get(entry.doc_id, []) if earlier else []:
            indicator = _indicator_of(config, fact)
            implied = _implied_prior(config, fact, entry.year) if indicator else None
            if indicator is None or implied is None:
                continue
            seen: set[Decimal | str] = set()
            for prior in earlier:
                stated = prior.values.get(indicator.key)
                if stated is None or stated.value in seen or not isinstance(stated.value, Decimal):
                    continue
                seen.add(stated.value)
                stated_measure = money(config, stated.value, "万元")
                if stated_measure is None:
                    continue
                comparison = compare(stated_measure, implied.prior, WAN)
                if comparison.holds:
                    continue
                page = f"，第{stated.page}页" if stated.page is not None else ""
                finding = comparison_finding(
                    config,
                    implied.code,
                    comparison,
                    section=fact.section,
                    page=fact.page,
                    block=fact.block,
                    facts=[fact.id],
                    prior=format(stated.value, "f"),
                    year=prior.year,
                    other=f"{prior.path}{page}（{stated.source}）",
                    **implied.fields,
                )
                # every source is a stored fact, KPI or table, so its block is known
                findings.append(Copy(entry.doc_id, finding, prior.doc_id, block_of(prior.doc_id, stated.source) or 0))
    return _enabled(config, findings)


def _enabled(config: Config, findings: list[Copy]) -> list[Copy]:
    """The findings of the rules the data leaves on (`enabled = false` switches one off)."""
    return [copy for copy in findings if config.rules[copy.finding.rule].enabled]


def same_year(config: Config, entries: Iterable[PanelEntry], block_of: Callable[[str, str], int | None]) -> list[Copy]:
    """C304 on each document whose money indicator differs from the first document (by path) of the same department
    and year that states it."""
    groups: dict[tuple[str, int], list[PanelEntry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: e.path):
        if entry.department_id and entry.year is not None:
            groups[(entry.department_id, entry.year)].append(entry)
    findings: list[Copy] = []
    for group in groups.values():
        for indicator, _ in _money_indicators(config):
            stating = [
                (e, v, m)
                for e in group
                if (v := e.values.get(indicator.key))
                and isinstance(v.value, Decimal)
                and (m := money(config, v.value, "万元"))
            ]
            if len(stating) < 2:
                continue
            first, first_value, first_measure = stating[0]
            for entry, value, measure in stating[1:]:
                comparison = compare(measure, first_measure, WAN)
                if comparison.holds:
                    continue
                page = f"，第{first_value.page}页" if first_value.page is not None else ""
                finding = comparison_finding(
                    config,
                    "C304",
                    comparison,
                    page=value.page,
                    block=block_of(entry.doc_id, value.source),
                    name=indicator.name_zh,
                    value=format(value.value, "f"),
                    source=value.source,
                    prior=format(first_value.value, "f"),
                    other=f"{first.path}{page}（{first_value.source}）",
                )
                findings.append(
                    Copy(entry.doc_id, finding, first.doc_id, block_of(first.doc_id, first_value.source) or 0)
                )
    return _enabled(config, findings)
