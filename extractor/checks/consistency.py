"""Consistency checks (C1xx): a quantity said twice, in prose or in a table, must agree.

Duplicates are one concept in one context (year, period, basis, fund, subject: records.Context) and currency,
as in Arelle's Calculations 1.1; they are intersected as intervals (`consistentFactValueInterval`); an empty
intersection is one finding, naming the identities it keeps from being checked, and its facts are returned as
blocked so the arithmetic checks skip those identities instead of cascading.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ..config import Config
from ..records import BudgetRow, Document, EvalTable, Fact, Finding, Record
from .arithmetic import identities, show, takes_part
from .contexts import signature
from .engine import make_finding, shown
from .intervals import compare, comparison_finding, fact_money, money, number, unit_scale
from .tables import money_columns, table_unit


@dataclass
class Consistency:
    findings: list[Finding] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)  # ids of facts in an inconsistent duplicate


def _settings(config: Config) -> dict:
    return config.settings["consistency"]


def _same_quantity_groups(config: Config, record: Record) -> list[list[Fact]]:
    settings = _settings(config)["duplicates"]
    unique, linked = set(settings["unique_keys"]), re.compile(settings["linked_key_pattern"])
    # a part is the same quantity only under the same kind of total: 基本支出 of 初中教育支出 is not the
    # department's 基本支出 (a total without a key is told by its label)
    key_of = {f.id: f.key or f.label for f in record.facts}
    # one quantity: one concept (key, under one kind of total) in one context; money facts share one unit measure
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in record.facts:
        if not (fact.key and takes_part(fact)):
            continue
        parent_key = key_of.get(fact.parent or "")
        if fact.key in unique or (linked.match(fact.key) and parent_key):
            groups[(fact.key, parent_key, fact.currency, signature(fact.context))].append(fact)
    return [g for g in groups.values() if len(g) > 1]


def duplicates(config: Config, record: Record, document: Document, mode: str) -> Consistency:
    """Two statements of one quantity that disagree: one finding each, naming the identities it keeps from
    being checked (their figures are in doubt); every other identity is still checked."""
    result = Consistency()
    stated = identities(config, record, document)
    stated_with: dict[str, list[int]] = defaultdict(list)  # fact id -> the identities it takes part in
    for position, identity in enumerate(stated):
        for fact in identity.facts:
            if not stated_with[fact.id] or stated_with[fact.id][-1] != position:
                stated_with[fact.id].append(position)
    for group in _same_quantity_groups(config, record):
        first = group[0]
        for other in group[1:]:
            comparison = compare(
                fact_money(config, first, mode),
                fact_money(config, other, mode),
                unit_scale(config, first.unit) or Decimal(1),
            )
            if comparison.holds:
                continue
            ids = {f.id for f in group}
            result.blocked.update(ids)
            skipped = [stated[n] for n in sorted({n for i in ids for n in stated_with.get(i, [])})]
            words = _settings(config)["blocked"]
            listed = words["separator"].join(
                words["identity"].format(rule=i.rule.code, total=show(i.total)) for i in skipped
            )
            finding = comparison_finding(
                config,
                "C101",
                comparison,
                section=other.section,
                page=other.page,
                block=other.block,
                facts=[f.id for f in group],
                first=show(first),
                second=show(other),
                unit=first.unit,
                blocked=words["some"].format(identities=listed) if skipped else "",
            )
            result.findings.append(finding)
            break  # one finding per quantity
    return result


def _row(table: EvalTable, labels: list[str]) -> BudgetRow | None:
    return next((r for r in table.budget_rows if any(label in r.label for label in labels)), None)


def _linked_table(record: Record, link: dict) -> EvalTable | None:
    """The one table of the link's kinds, when the record has exactly one and none of its `unless_kinds`."""
    kinds = defaultdict(list)
    for table in record.tables:
        kinds[table.kind].append(table)
    tables = [t for kind in link["kinds"] for t in kinds[kind]]
    return tables[0] if len(tables) == 1 and not any(kinds[k] for k in link.get("unless_kinds", [])) else None


def text_vs_table(config: Config, record: Record, mode: str, blocked: set[str]) -> list[Finding]:
    settings = _settings(config)
    findings = []
    for link in settings["text_vs_table"]:
        table = _linked_table(record, link)
        if table is None:
            continue
        row = _row(table, link["rows"])
        cell = getattr(row, link["column"]) if row else None
        statements = [f for f in record.facts if f.key == link["key"] and takes_part(f) and f.id not in blocked]
        unit = table_unit(config, table)
        stated = money(config, cell, unit, mode) if cell is not None else None
        if row is None or stated is None or not statements:
            continue
        scale = unit_scale(config, unit) or Decimal(1)
        comparisons = [(f, compare(stated, fact_money(config, f, mode), scale)) for f in statements]
        if any(c.holds for _, c in comparisons):
            continue
        fact, comparison = comparisons[0]
        margin = settings["margin"]["money"].format(
            difference=shown(comparison.difference), tolerance=shown(comparison.tolerance)
        )
        findings.append(
            comparison_finding(
                config,
                "C102",
                comparison,
                section=fact.section,
                page=table.page,
                block=table.block,
                facts=[f.id for f in statements],
                text=show(fact),
                row=row.label,
                column=money_columns(config)[link["column"]],
                unit=unit,
                margin=margin,
            )
        )
    return findings


def rate_vs_table(config: Config, record: Record, mode: str) -> list[Finding]:
    """ "预算执行率98.01%" in the prose against the table's 执行率 96.06%: both as the intervals their digits allow."""
    settings = _settings(config)
    column = settings["rate_column"]
    findings = []
    for link in settings["text_vs_table_rate"]:
        table = _linked_table(record, link)
        row = _row(table, link["rows"]) if table else None
        cell = getattr(row, column["field"]) if row else None
        statements = [k for k in record.kpis if k.source == "text" and k.unit == "%" and k.label in link["labels"]
                      and k.qualifier is None and k.comparison is None]  # fmt: skip
        if table is None or row is None or cell is None or not statements:
            continue
        comparisons = [
            (k, compare(number(cell, mode), number(k.value, mode))) for k in statements if k.value is not None
        ]
        if any(c.holds for _, c in comparisons):
            continue
        kpi, comparison = comparisons[0]
        findings.append(
            make_finding(
                config,
                "C102",
                section=kpi.section,
                page=table.page,
                block=table.block,
                facts=[k.id for k in statements],
                stated=comparison.stated,
                computed=comparison.computed,
                text=f"{kpi.label}{shown(kpi.value)}{kpi.unit}",
                row=row.label,
                column=column["name"],
                unit=kpi.unit,
                margin="",
            )
        )
    return findings


def three_public_zero(config: Config, record: Record, document: Document) -> list[Finding]:
    """“三公”经费为0 said in the prose (as a money fact or in words), and a non-zero 三公 figure elsewhere."""
    settings = _settings(config)["three_public"]
    pattern = re.compile(settings["zero_pattern"])
    total_key = settings["total_key"]
    zero_blocks = {f.block for f in record.facts if f.key == total_key and f.value == 0 and f.source == "text"}
    said_zero = [
        b for b in document.blocks if b.index in zero_blocks or (b.kind == "paragraph" and pattern.search(b.text))
    ]
    nonzero = [
        f for f in record.facts if f.key and f.key.split(".")[0] == total_key and f.value != 0 and f.source == "text"
    ]
    if not said_zero or not nonzero:
        return []
    where = said_zero[0]
    return [
        make_finding(
            config,
            "C103",
            page=where.page,
            block=where.index,
            facts=[f.id for f in nonzero],
            part="、".join(show(f) for f in nonzero),
        )
    ]


def year_mismatch(config: Config, record: Record) -> list[Finding]:
    year = record.document.year
    if year is None:
        return []
    settings = _settings(config)["year"]
    pattern = re.compile(settings["title_pattern"])
    titled: list[tuple[str, str | None, int | None, int]] = [
        (s.title, s.id, s.page, s.block) for s in record.sections if s.level <= settings["max_level"]
    ]
    titled += [(t.title, None, t.page, t.block) for t in record.tables if t.title]
    findings = []
    for title, section, page, block in titled:
        for found in {int(y) for y in pattern.findall(title)} - {year}:
            findings.append(
                make_finding(
                    config, "C104", section=section, page=page, block=block, title=title, found=found, year=year
                )
            )
    return findings


def check(config: Config, record: Record, document: Document, mode: str) -> Consistency:
    result = duplicates(config, record, document, mode)
    result.findings += text_vs_table(config, record, mode, result.blocked)
    result.findings += rate_vs_table(config, record, mode)
    result.findings += three_public_zero(config, record, document)
    result.findings += year_mismatch(config, record)
    return result
