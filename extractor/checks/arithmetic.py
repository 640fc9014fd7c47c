"""Arithmetic checks (A1xx): identities between money facts, and percentages recomputed from them.

Identities are data (`schemas/rules/arithmetic.toml`, rules with `total`), plus one generic rule:
a total equals the parts linked to it by `Fact.parent`. A wrong figure breaks only the identities it
takes part in, so each failing identity is reported once, and the figures are ranked: one that also
takes part in an identity that holds is cleared; one whose every identity fails is the likeliest
culprit and comes first in `Finding.facts`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from decimal import Decimal
from typing import NamedTuple

from ..config import Config
from ..lexicon import declared_parts
from ..patterns import lazy
from ..records import Document, Fact, Finding, Kpi, Record
from .contexts import can_be_part, other_fund
from .engine import Rule
from .intervals import (
    HUNDRED,
    Comparison,
    Measure,
    compare,
    comparison_finding,
    fact_money,
    money,
    number,
    total,
    unit_scale,
)

PARTS_SUM = "A110"
_NAMED_WHOLE = lazy(r"占(?:全年|本年)?([^\d%％]{2,16}?)(?:的|比例为|比重为|比重|为)?\s*$")
SHARE, EXECUTION_RATE, GROWTH_RATE = "A120", "A121", "A122"


def takes_part(fact: Fact) -> bool:
    """Exact budget figures only: no 约/超 figures, no ranges, no foreign currency, prose only."""
    return fact.qualifier is None and fact.value_max is None and fact.currency == "CNY" and fact.source == "text"


def is_prior_figure(config: Config, fact: Fact) -> bool:
    """ "较上年同期412836万元": the figure of the period compared with, named by the comparison words."""
    return (fact.label or "").startswith(tuple(config.lexicon["label_words"]["comparison_bases"]))


def is_difference(config: Config, fact: Fact) -> bool:
    """ "超收9350万元": a difference stated beside the figure a sentence is about."""
    return (fact.label or "").startswith(tuple(config.lexicon["label_words"]["difference_words"]))


def show(fact: Fact) -> str:
    """A figure as a reader finds it in the report: 基本支出717.79万元."""
    return f"{fact.label or fact.key or ''}{format(fact.value, 'f')}{fact.unit}"


class Identity(NamedTuple):
    """One stated instance of an identity: total = Σ weight·part."""

    rule: Rule
    total: Fact
    parts: tuple[tuple[int, Fact], ...]  # (weight ±1, fact)

    @property
    def facts(self) -> list[Fact]:
        return [self.total, *(fact for _, fact in self.parts)]

    def compare(self, config: Config, mode: str) -> Comparison:
        computed = total(fact_money(config, f, mode) if w > 0 else -fact_money(config, f, mode) for w, f in self.parts)
        return compare(
            fact_money(config, self.total, mode), computed, unit_scale(config, self.total.unit) or Decimal(1)
        )


def _named(config: Config, record: Record, facts: list[Fact]) -> Iterator[Identity]:
    by_key: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.key:
            by_key[fact.key].append(fact)
    key_of = {fact.id: fact.key for fact in record.facts}
    children: Counter[str] = Counter(f.parent for f in facts if f.parent)

    def part(key: str, whole: Fact) -> Fact | None:
        """The statement of `key` that belongs to `whole`: linked to it, else unlinked.

        The same key can stand under several totals (人员经费 of 基本支出 and of 一般公共预算基本支出):
        one linked to another kind of total is a part of that one, not of `whole`.
        """
        candidates = [
            f
            for f in by_key.get(key, [])
            if (f.parent in (None, whole.id) or key_of.get(f.parent) == whole.key)
            and can_be_part(config, whole.context, f.context, listed=f.parent == whole.id)
        ]
        return min(candidates, key=lambda f: f.parent != whole.id, default=None)

    for rule in config.rules.values():
        if rule.total is None or rule.total not in by_key or not rule.enabled:
            continue
        # of several statements of the total, the one the parts hang from
        whole = max(by_key[rule.total], key=lambda t: children[t.id])
        found = [part(key, whole) for key in rule.parts]
        required = [p for p in found if p is not None]
        if len(required) < len(found):
            continue
        optional = [p for p in (part(key, whole) for key in rule.optional_parts) if p]
        # a part of a part stands in for it only when that part is not stated itself ("公务用车运行维护费" in
        # "三公" when no "公务用车购置及运行维护费" is given)
        stated = {p.key for p in [*required, *optional]}
        optional = [p for p in optional if not any(p.key in declared_parts(config).get(k or "", ()) for k in stated)]
        subtracted = [p for p in (part(key, whole) for key in rule.subtract) if p]
        if len(required) + len(optional) < rule.min_parts:
            continue
        # a part listed under the total that the rule cannot place (no key, or another key) leaves the rule's sum
        # incomplete: "三公" 18.60 is not 0 + 2.40 when its 公务用车 part has no key. The generic sum checks it.
        used = {p.id for p in [*required, *optional, *subtracted]}
        if any(f.parent == whole.id and f.id not in used for f in record.facts):
            continue
        parts = [(1, p) for p in [*required, *optional]] + [(-1, p) for p in subtracted]
        yield Identity(rule, whole, tuple(parts))


def _block_text(document: Document, index: int) -> str:
    """The text of block `index`: blocks stand at their index, else (a hand-made document) it is looked for."""
    blocks = document.blocks
    if 0 <= index < len(blocks) and blocks[index].index == index:
        return blocks[index].text
    return next((b.text for b in blocks if b.index == index), "")


def _exhaustive(config: Config, parts: list[Fact], document: Document) -> bool:
    """A listed set of parts is complete unless the text right after the last one says 等."""
    last = max(parts, key=lambda f: (f.block, f.end))
    text = _block_text(document, last.block)
    after = text[last.end : last.end + 2]
    return not any(marker in after for marker in config.settings["arithmetic"]["parts_sum"]["not_exhaustive_markers"])


def _parts_sums(config: Config, facts: list[Fact], named: list[Identity], document: Document) -> Iterator[Identity]:
    """The generic rule: a total and the parts linked to it, unless a named identity already covers them."""
    rule = config.rules[PARTS_SUM]
    # a total stated with two breakdowns (by nature, by functional class) adds up list by list
    breakdowns: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for fact in facts:
        if fact.parent:
            breakdowns[fact.parent][fact.breakdown or fact.parent].append(fact)
    keys_of_rule = {i.total.id: set(i.rule.parts + i.rule.optional_parts + i.rule.subtract) for i in named}
    for whole in facts:
        for listed in breakdowns.get(whole.id, {}).values():
            # "一般公共预算收入…，其中：税收收入…；非税收入…；政府性基金预算收入…": a figure of another fund read
            # into the list of a one-fund total is no part of it
            parts = [f for f in listed if not other_fund(config, whole.context, f.context)]
            if len(parts) < rule.min_parts or not _exhaustive(config, listed, document):
                continue
            if {f.key for f in parts} <= keys_of_rule.get(whole.id, set()):
                continue
            if not all(can_be_part(config, whole.context, f.context) for f in parts):
                continue  # a listed figure of another year, period, basis or subject: no sum of one context
            yield Identity(rule, whole, tuple((1, f) for f in parts))


def identities(config: Config, record: Record, document: Document, blocked: Collection[str] = ()) -> list[Identity]:
    """Every identity the report states, as instances over its facts; none uses a blocked fact."""
    eligible = [f for f in record.facts if takes_part(f)]
    # a part of a total that cannot take part (an approximate figure) leaves an incomplete sum
    excluded_parents = {f.parent for f in record.facts if f.parent and not takes_part(f)}
    named = list(_named(config, record, eligible))
    generic = [i for i in _parts_sums(config, eligible, named, document) if i.total.id not in excluded_parents]
    return [i for i in named + generic if not any(f.id in blocked for f in i.facts)]


def _suspects(identity: Identity, outcome: dict[str, list[bool]]) -> list[Fact]:
    """The identity's figures, likeliest culprit first.

    A figure cleared by an identity that holds comes last; among the rest, the more failing identities
    a figure takes part in, the likelier it is the wrong one; ties keep the identity's order.
    """
    order = {f.id: i for i, f in enumerate(identity.facts)}
    return sorted(identity.facts, key=lambda f: (any(outcome[f.id]), -len(outcome[f.id]), order[f.id]))


def _culprit_text(config: Config, suspects: list[Fact], outcome: dict[str, list[bool]]) -> str:
    uncleared = [f for f in suspects if not any(outcome[f.id])]
    if not uncleared:
        return ""
    words = config.settings["arithmetic"]["culprit"]
    first = uncleared[0]
    if len(uncleared) == 1 or len(outcome[first.id]) > len(outcome[uncleared[1].id]):
        return words["one"].format(figure=show(first))
    tied = [f for f in uncleared if len(outcome[f.id]) == len(outcome[first.id])]
    return words["several"].format(figures=words["or"].join(show(f) for f in tied))


def identity_findings(config: Config, found: list[Identity], mode: str) -> list[Finding]:
    results = [(identity, identity.compare(config, mode)) for identity in found]
    outcome: dict[str, list[bool]] = defaultdict(list)  # fact id -> whether each identity it is in holds
    for identity, result in results:
        for fact in identity.facts:
            outcome[fact.id].append(result.holds)
    findings = []
    for identity, result in results:
        if result.holds:
            continue
        suspects = _suspects(identity, outcome)
        parts = " ".join(("+ " if w > 0 else "− ") + show(f) for w, f in identity.parts).removeprefix("+ ")
        finding = comparison_finding(
            config,
            identity.rule.code,
            result,
            section=identity.total.section,
            page=identity.total.page,
            block=identity.total.block,
            facts=[f.id for f in suspects],
            total=show(identity.total),
            parts=parts,
            unit=identity.total.unit,
            culprit=_culprit_text(config, suspects, outcome),
        )
        findings.append(finding)
    return findings


# ---------------------------------------------------------------- percentages in the prose


def _ratio_finding(
    config: Config, code: str, kpi: Kpi, computed: Measure, figures: list[Fact], mode: str, **fields
) -> Finding | None:
    assert kpi.value is not None
    result = compare(number(kpi.value, mode), computed.scaled(HUNDRED))
    if result.holds:
        return None
    return comparison_finding(
        config,
        code,
        result,
        section=kpi.section,
        page=kpi.page,
        block=kpi.block,
        facts=[kpi.id, *(f.id for f in figures)],
        **fields,
    )


_RATIO_REACH = 1000  # characters before a percentage where the figures it is computed from may stand


def _end(fact: Fact) -> int:
    return fact.end


def ratio_findings(
    config: Config, record: Record, document: Document, mode: str, blocked: Collection[str] = ()
) -> list[Finding]:
    """占比 and 执行率 printed next to the money figures they come from, recomputed."""
    settings = config.settings["arithmetic"]["ratios"]
    texts = {b.index: b.text for b in document.blocks}
    facts_by_id = {f.id: f for f in record.facts}
    usable: dict[int, list[Fact]] = {}  # block -> its facts by end: a bisection, not a scan, per percentage
    for fact in sorted(record.facts, key=lambda f: f.end):
        if takes_part(fact) and fact.id not in blocked:
            usable.setdefault(fact.block, []).append(fact)
    findings = []
    for kpi in record.kpis:
        if kpi.source != "text" or kpi.unit != "%" or kpi.value is None or kpi.qualifier or kpi.start is None:
            continue
        in_block = usable.get(kpi.block, [])
        # the figures of the paragraph before the percentage, no further back than a sentence can reach
        low = bisect_left(in_block, kpi.start - _RATIO_REACH, key=_end)
        before = in_block[low : bisect_right(in_block, kpi.start, key=_end)]
        if not before:
            continue
        nearest = before[-1]
        gap = texts.get(kpi.block, "")[nearest.end : kpi.start]
        if len(gap) > settings["max_gap"]:
            continue
        whole = facts_by_id.get(nearest.parent or "")
        clause = re.split(r"[，,；;]", gap)[-1]  # "占任务数的96.3%，同比增长19.1%": 19.1% is no share
        if any(m in clause for m in settings["share_markers"]) and whole is not None and takes_part(whole):
            if whole.id in blocked or whole.value == 0 or not can_be_part(config, whole.context, nearest.context):
                continue
            named = _NAMED_WHOLE.search(clause)
            if named and named.group(1) not in (whole.label or ""):
                continue  # "占任务数的96.3%": a share of another whole than the total it is listed under
            ratio = fact_money(config, nearest, mode) / fact_money(config, whole, mode)
            involved = [nearest, whole]
            finding = _ratio_finding(config, SHARE, kpi, ratio, involved, mode, part=show(nearest), whole=show(whole))
        elif any(m in gap or m in (kpi.label or "") for m in settings["rate_markers"]):
            latest = {f.key: f for f in before}
            executed, budget = latest.get(settings["rate_numerator"]), latest.get(settings["rate_denominator"])
            if executed is None or budget is None or budget.value <= 0 or not same_subject(executed, budget):
                continue
            ratio = fact_money(config, executed, mode) / fact_money(config, budget, mode)
            finding = _ratio_finding(
                config,
                EXECUTION_RATE,
                kpi,
                ratio,
                [executed, budget],
                mode,
                executed=show(executed),
                budget=show(budget),
            )
        else:
            continue
        if finding:
            findings.append(finding)
    return findings


def same_subject(first: Fact, second: Fact) -> bool:
    """An execution rate divides the executed and the budgeted amount of one year and one subject."""
    a, b = first.context, second.context
    return (a.year, a.period, a.subject_kind, a.subject) == (b.year, b.period, b.subject_kind, b.subject)


def growth_findings(config: Config, record: Record, mode: str, blocked: Collection[str] = ()) -> list[Finding]:
    """ "同比增加Y万元，增长Z%": Z = Y / (本年 ∓ Y) × 100, from the printed figures."""
    findings = []
    for fact in record.facts:
        change = fact.change
        if (
            change is None
            or change.amount is None
            or change.percent is None
            or change.direction == "flat"
            or fact.qualifier
            or is_prior_figure(config, fact)  # its change runs from it: checks/rates.py reads it
            or is_difference(config, fact)  # "超收9350万元，同比减收…": the change is the subject's (checks/rates.py)
            or fact.value_max is not None
            or fact.id in blocked
        ):
            continue
        delta = money(config, change.amount, change.unit or fact.unit, mode)
        if delta is None:
            continue
        current = fact_money(config, fact, mode)
        previous = current - delta if change.direction == "up" else current + delta
        if previous.bounds.low <= 0:
            continue
        stated = number(change.percent, mode)
        result = compare(stated, (delta / previous).scaled(HUNDRED))
        if result.holds:
            continue
        findings.append(
            comparison_finding(
                config,
                GROWTH_RATE,
                result,
                section=fact.section,
                page=fact.page,
                block=fact.block,
                facts=[fact.id],
                figure=show(fact),
                basis=change.basis,
                direction="增加" if change.direction == "up" else "减少",
                amount=f"{format(change.amount, 'f')}{change.unit or fact.unit}",
            )
        )
    return findings


def check(
    config: Config, record: Record, document: Document, mode: str, blocked: Collection[str] = ()
) -> list[Finding]:
    """Every arithmetic finding; facts in `blocked` (inconsistent duplicates) take part in nothing."""
    return [
        *identity_findings(config, identities(config, record, document, blocked), mode),
        *ratio_findings(config, record, document, mode, blocked),
        *growth_findings(config, record, mode, blocked),
    ]
