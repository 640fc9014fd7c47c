"""Contexts in the checks, as Arelle's Calculations 1.1 has them: two facts are one quantity only if concept,
context and unit agree; a sum combines facts of one context (its parts may break the total down by fund or
subject, never across years, periods or bases); a finding is an error only where the contexts are known.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ..config import Config, derived
from ..records import Context, Fact, Finding

# periods of one fiscal year that add up together: 收入 = 支出 + 年末结转结余 joins flows and a year-end balance;
# a month, a quarter or a span to date is a context of its own
_ANNUAL = {"year", "year_start", "year_end"}


@derived
def funds_within(config: Config) -> dict[str, frozenset[str]]:
    """Fund scopes and the narrower ones they hold (财政拨款 holds 一般公共预算 and 政府性基金 appropriations)."""
    return {fund: frozenset(narrower) for fund, narrower in config.lexicon["context"]["fund_within"].items()}


def signature(context: Context) -> tuple:
    """Everything that tells one quantity's context from another's: facts with different signatures are
    different quantities, whatever their label."""
    return (context.year, context.period, context.period_detail, context.basis, context.fund,
            context.subject_kind, context.subject, context.subject_code)  # fmt: skip


def known(context: Context) -> bool:
    """Whether the context is established well enough for a certain finding: the year and what it is about."""
    return context.year is not None and context.subject_kind is not None


def _apart(first: Context, second: Context) -> bool:
    """Whether two contexts are known to be of different years, periods or bases. A dimension one of them leaves
    unstated does not set them apart: an unqualified figure is of the document's year and basis."""
    for name in ("year", "basis"):
        a, b = getattr(first, name), getattr(second, name)
        if a is not None and b is not None and a != b:
            return True
    periods = {
        (c.period if c.period not in _ANNUAL else "annual", c.period_detail) for c in (first, second) if c.period
    }
    return len(periods) > 1


def _any_apart(contexts: list[Context]) -> bool:
    """Whether any two of `contexts` are `_apart`: two stated years, bases or periods differ. One pass over the
    contexts (a finding over a figure repeated through a long document has thousands, asked pair by pair)."""
    for name in ("year", "basis"):
        if len({value for c in contexts if (value := getattr(c, name)) is not None}) > 1:
            return True
    periods = {(c.period if c.period not in _ANNUAL else "annual", c.period_detail) for c in contexts if c.period}
    return len(periods) > 1


# subjects that spend (the department, a unit, a project) rather than what is spent on
_ENTITIES = {"department", "sub_unit", "project"}
_COMPONENTS = {"functional_class", "economic_class", "sangong", "procurement"}


def other_fund(config: Config, total: Context, part: Context) -> bool:
    """Whether `part` is of a fund outside the one fund `total` is restricted to."""
    return (
        total.fund not in (None, "all")
        and part.fund is not None
        and part.fund != total.fund
        and part.fund not in funds_within(config).get(total.fund, ())
    )


def can_be_part(config: Config, total: Context, part: Context, listed: bool = True) -> bool:
    """Whether a figure of context `part` may add up into a total of context `total`: not of another year,
    period or basis; the same fund or any fund within an unrestricted total; both of the region or neither; the
    same subject, or a breakdown of the department (its functional classes, units, projects, 三公 components) or
    of a functional class. A part
    only a named identity places (not `listed` under the total) must be of the total's own spender: a unit's
    人员经费 is no part of the department's 基本支出."""
    if _apart(total, part):
        return False
    if other_fund(config, total, part):
        return False
    if (part.subject_kind == "region") != (total.subject_kind == "region"):  # the area's economy is no one's money
        return False
    spenders = {(c.subject_kind, c.subject) for c in (total, part) if c.subject_kind in _ENTITIES}
    if not listed and len(spenders) > 1:
        return False
    if (total.subject_kind, total.subject) == (part.subject_kind, part.subject) or total.subject_kind in (
        None,
        "department",
    ):
        return True
    # a functional class broken into its 款/项, a 三公 component into its own (公务用车 into 购置 and 运行维护), and,
    # listed under it, a project into its batches or a unit into its own units
    return total.subject_kind == part.subject_kind and (listed or total.subject_kind in _COMPONENTS)


def certain(finding: Finding, facts: list[Fact], across: Collection[str] = (), mode: str = "round") -> Finding:
    """`finding` as it may be reported: an error stays an error only when it is certain. Every fact's year and
    subject must be known, none known to be of another year, period or basis (but for the dimensions the rule
    compares `across`), and a stated percentage must be wrong under either rounding convention (95.45 for
    95.457 is a truncation, not certainly an error). Otherwise it is a warning, worth a look but not certain."""
    if finding.severity != "error":
        return finding
    contexts = [f.context.model_copy(update={d: None for d in across}) for f in facts]
    agreed = all(known(c) for c in contexts) and not _any_apart(contexts)
    if agreed and not _other_convention_holds(finding, mode):
        return finding
    return finding.model_copy(update={"severity": "warning"})


def _other_convention_holds(finding: Finding, mode: str) -> bool:
    stated, computed = finding.stated, finding.computed
    if stated is None or computed is None:
        return False
    exponent = stated.as_tuple().exponent
    if not isinstance(exponent, int):  # "n", "N", "F": a NaN or an infinity has no decimals to round to
        raise TypeError(f"not a finite figure: {stated}")
    if exponent >= 0 and computed == computed.to_integral():
        return False
    quantum = Decimal(1).scaleb(min(exponent, 0))
    other = ROUND_DOWN if mode == "round" else ROUND_HALF_UP
    return computed.quantize(quantum, rounding=other) == stated


def settle(config: Config, findings: list[Finding], facts: list[Fact], mode: str) -> list[Finding]:
    """Every arithmetic and consistency finding at the severity its certainty allows (see `certain`)."""
    by_id = {f.id: f for f in facts}
    rules = config.rules
    return [
        certain(f, [by_id[i] for i in f.facts if i in by_id], rules[f.rule].across, mode)
        if f.category in ("arithmetic", "consistency")
        else f
        for f in findings
    ]
