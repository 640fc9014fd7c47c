"""Contexts in the checks, as Arelle's Calculations 1.1 has them: two facts are one quantity only if concept,
context and unit agree; a sum combines facts of one context (its parts may break the total down by fund or
subject, never across years, periods or bases); a finding is an error only where the contexts are known.
"""

from __future__ import annotations

from functools import cache

from ..lexicon import lexicon
from ..records import Context, Fact, Finding

# periods of one fiscal year that add up together: 收入 = 支出 + 年末结转结余 joins flows and a year-end balance;
# a month, a quarter or a span to date is a context of its own
_ANNUAL = {"year", "year_start", "year_end"}


@cache
def funds_within() -> dict[str, frozenset[str]]:
    """Fund scopes and the narrower ones they hold (财政拨款 holds 一般公共预算 and 政府性基金 appropriations)."""
    return {fund: frozenset(narrower) for fund, narrower in lexicon("context")["fund_within"].items()}


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
    periods = {(c.period if c.period not in _ANNUAL else "annual", c.period_detail) for c in (first, second) if c.period}
    return len(periods) > 1


# subjects that spend (the department, a unit, a project) rather than what is spent on
_ENTITIES = {"department", "sub_unit", "project"}
_COMPONENTS = {"functional_class", "economic_class", "sangong", "procurement"}


def other_fund(total: Context, part: Context) -> bool:
    """Whether `part` is of a fund outside the one fund `total` is restricted to."""
    return total.fund not in (None, "all") and part.fund is not None and part.fund != total.fund \
        and part.fund not in funds_within().get(total.fund, ())


def can_be_part(total: Context, part: Context, listed: bool = True) -> bool:
    """Whether a figure of context `part` may add up into a total of context `total`: not of another year,
    period or basis; the same fund or any fund within an unrestricted total; the same subject, or a breakdown of
    the department (its functional classes, units, projects, 三公 components) or of a functional class. A part
    only a named identity places (not `listed` under the total) must be of the total's own spender: a unit's
    人员经费 is no part of the department's 基本支出."""
    if _apart(total, part):
        return False
    if other_fund(total, part):
        return False
    spenders = {(c.subject_kind, c.subject) for c in (total, part) if c.subject_kind in _ENTITIES}
    if not listed and len(spenders) > 1:
        return False
    if (total.subject_kind, total.subject) == (part.subject_kind, part.subject) or total.subject_kind in (None, "department"):
        return True
    # a functional class broken into its 款/项, a 三公 component into its own (公务用车 into 购置 and 运行维护)
    return total.subject_kind == part.subject_kind and total.subject_kind in _COMPONENTS


def certain(finding: Finding, facts: list[Fact], bases_may_differ: bool = False) -> Finding:
    """`finding` as it may be reported: an error stays an error only when every fact's year and subject are
    known and none is known to be of another year, period or basis (a rate divides two bases: `bases_may_differ`);
    otherwise it is a warning, worth a look but not certain."""
    if finding.severity != "error":
        return finding
    contexts = [f.context if not bases_may_differ else f.context.model_copy(update={"basis": None}) for f in facts]
    agreed = all(known(c) for c in contexts) and not any(_apart(a, b) for a in contexts for b in contexts)
    return finding if agreed else finding.model_copy(update={"severity": "warning"})
