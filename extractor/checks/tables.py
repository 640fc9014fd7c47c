"""Self-evaluation table checks (T1xx): scores, weights, 执行率, grade, indicators and budget rows.

Everything is read from `EvalTable`s and their table `Kpi`s; numbers are compared as the intervals
their printed digits allow (`intervals`), so 3.33 + 3.33 + 3.34 and a rounded 执行率 pass.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..config import Config
from ..records import BudgetRow, EvalTable, Finding, Kpi, Record
from .engine import make_finding
from .intervals import (
    HUNDRED,
    Bounds,
    Comparison,
    Measure,
    compare,
    comparison_finding,
    decimals_of,
    money,
    number,
    total,
    unit_scale,
)

ONE = Decimal(1)


def _settings(config: Config) -> dict:
    return config.settings["table"]


def table_unit(config: Config, table: EvalTable) -> str:
    return table.unit or _settings(config)["tables"]["default_unit"]


def money_columns(config: Config) -> dict[str, str]:
    """BudgetRow money fields and their printed names: executed -> 全年执行数."""
    return _settings(config)["columns"]


def points(value: Decimal, mode: str) -> Measure:
    """A 分值 or 得分 cell: whole points are set, not rounded (exact); "5.63" may be rounded from 5.625."""
    return Measure.exact(value) if decimals_of(value) == 0 else number(value, mode)


def _shown(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _total_row(config: Config, table: EvalTable) -> BudgetRow | None:
    labels = _settings(config)["tables"]["total_rows"]
    return next((r for r in table.budget_rows if any(label in r.label for label in labels)), None)


def _kpis_by_table(record: Record) -> dict[str | None, list[Kpi]]:
    """Each table's KPIs, gathered in one pass (a scan of every KPI per table is quadratic)."""
    by_table: dict[str | None, list[Kpi]] = {}
    for kpi in record.kpis:
        if kpi.source == "table":
            by_table.setdefault(kpi.table, []).append(kpi)
    return by_table


def _finding(
    config: Config, code: str, table: EvalTable, result: Comparison, facts: list[str] | None = None, **fields
) -> Finding:
    return comparison_finding(config, code, result, page=table.page, block=table.block, facts=facts, **fields)


def scores_over_weights(config: Config, table: EvalTable, kpis: list[Kpi]) -> Iterator[Finding]:
    items = [(k.level3 or k.label or "", k.weight, k.score, [k.id]) for k in kpis]
    items += [(r.label, r.weight, r.score, []) for r in table.budget_rows]
    for item, weight, score, ids in items:
        if weight is not None and score is not None and score > weight:
            yield make_finding(
                config, "T101", page=table.page, block=table.block, facts=ids, stated=score, item=item, weight=weight
            )


def weights_and_scores(config: Config, table: EvalTable, kpis: list[Kpi], mode: str) -> Iterator[Finding]:
    """Σ 分值 = 100, each 一级 block = its bracket, Σ 得分 = 总分."""
    if not kpis or any(k.weight is None for k in kpis):
        return
    budget = _total_row(config, table)
    budget_weight = [points(budget.weight, mode)] if budget and budget.weight is not None else []
    weights = total([points(k.weight, mode) for k in kpis] + budget_weight)  # type: ignore[arg-type]
    result = compare(Measure.exact(Decimal(_settings(config)["tables"]["weights_total"])), weights)
    if not result.holds:
        yield _finding(config, "T102", table, result)

    blocks: dict[tuple[str, Decimal | None], list[Kpi]] = defaultdict(list)
    for kpi in kpis:
        blocks[(kpi.level1 or "", kpi.level1_weight)].append(kpi)
    for (level1, stated), members in blocks.items():
        if stated is None:  # "产出指标(50分)": the figures stage keeps the bracketed weight in level1_weight
            continue
        result = compare(Measure.exact(stated), total(points(k.weight, mode) for k in members))  # type: ignore[arg-type]
        if not result.holds:
            yield _finding(config, "T103", table, result, [k.id for k in members], level1=level1)

    if table.total_score is None or any(k.score is None for k in kpis):
        return
    budget_score = [points(budget.score, mode)] if budget and budget.score is not None else []
    scores = total([points(k.score, mode) for k in kpis] + budget_score)  # type: ignore[arg-type]
    result = compare(points(table.total_score, mode), scores)
    if not result.holds:
        yield _finding(config, "T104", table, result, [k.id for k in kpis])


def _step_scores(weight: Decimal, rate: Bounds, rule: dict) -> list[Bounds]:
    """The scores a stepped rule gives over the rate interval, counting a started step (ceil) or not (floor)."""
    full_at, step, deduction = (Decimal(str(rule[k])) for k in ("full_at", "step", "deduction"))

    def score(r: Decimal, rounding) -> Decimal:
        steps = 0 if r >= full_at else rounding((full_at - r) / step)
        return max(Decimal(0), weight - deduction * steps)

    return [Bounds(score(rate.low, f), score(rate.high, f)) for f in (math.floor, math.ceil)]


def budget_rows(config: Config, table: EvalTable, mode: str) -> Iterator[Finding]:
    """执行率 = 执行数 / 全年预算数 and 得分 = 分值 × min(执行率, 1) on every budget row that prints them."""
    unit = table_unit(config, table)
    for row in table.budget_rows:
        executed = money(config, row.executed, unit, mode) if row.executed is not None else None
        budget = money(config, row.budget_full_year, unit, mode) if row.budget_full_year is not None else None
        computed_rate = None
        if executed and budget and budget.bounds.low > 0:
            computed_rate = (executed / budget).scaled(HUNDRED)
            if row.execution_rate is not None:
                result = compare(number(row.execution_rate, mode), computed_rate)
                if not result.holds:
                    yield _finding(
                        config,
                        "T105",
                        table,
                        result,
                        row=row.label,
                        executed=_shown(row.executed),
                        budget=_shown(row.budget_full_year),
                    )
        rate = number(row.execution_rate, mode) if row.execution_rate is not None else computed_rate
        if rate is None or row.weight is None or row.score is None:
            continue
        proportional = points(row.weight, mode).times(rate.scaled(ONE / HUNDRED).capped(ONE))
        stated = points(row.score, mode)
        settings = _settings(config)["budget_score"]
        accepted = [proportional.bounds] if settings["proportional"] else []
        for rule in settings["steps"]:
            accepted += _step_scores(row.weight, rate.bounds, rule)
        if any(stated.bounds.meets(b) for b in accepted):
            continue
        yield _finding(
            config,
            "T106",
            table,
            compare(stated, proportional),
            row=row.label,
            weight=_shown(row.weight),
            rate=_shown(row.execution_rate if row.execution_rate is not None else rate.value),
        )


def _band(config: Config, score: Decimal) -> str | None:
    bands = _settings(config)["grades"]["bands"]
    top = max(Decimal(b["max"]) for b in bands)
    for band in bands:
        low, high = Decimal(band["min"]), Decimal(band["max"])
        if low <= score < high or (score == high == top):
            return band["grade"]
    return None


def grade(config: Config, table: EvalTable) -> Iterator[Finding]:
    if table.total_score is None or not table.stated_grade:
        return
    stated, expected = table.stated_grade, _band(config, table.total_score)
    if stated and expected and stated != expected:
        yield make_finding(
            config,
            "T107",
            page=table.page,
            block=table.block,
            stated=table.total_score,
            grade=table.stated_grade,
            expected=expected,
        )


def _missed(kpi: Kpi) -> bool:
    """Whether the actual value misses the target its comparator sets (quantitative indicators only)."""
    target, actual = kpi.target_value, kpi.actual_value
    if target is None or actual is None or kpi.target_comparator in (None, "qualitative"):
        return False
    return {
        ">=": actual < target,
        ">": actual <= target,
        "<=": actual > target,
        "<": actual >= target,
        "=": actual != target,
    }[kpi.target_comparator]


def indicators(config: Config, table: EvalTable, kpis: list[Kpi]) -> Iterator[Finding]:
    no_reason = set(_settings(config)["tables"]["no_reason"])
    for kpi in kpis:
        if not _missed(kpi):
            continue
        fields: dict[str, Any] = {
            "item": kpi.level3 or kpi.label or "",
            "target": kpi.target or "",
            "actual": kpi.actual or "",
        }
        where: dict[str, Any] = {"page": kpi.page or table.page, "block": table.block, "facts": [kpi.id]}
        if kpi.weight is not None and kpi.score is not None and kpi.score >= kpi.weight:
            yield make_finding(config, "T108", **where, stated=kpi.score, score=kpi.score, **fields)
        if (kpi.deviation_reason or "").strip() in no_reason:
            yield make_finding(config, "T109", **where, **fields)


def _decompositions(config: Config, table: EvalTable, total_row: BudgetRow) -> Iterator[list[BudgetRow]]:
    for decomposition in _settings(config)["budget_decomposition"]:
        if table.kind not in decomposition["kinds"]:
            continue
        parts = [
            r for r in table.budget_rows if r is not total_row and any(p in r.label for p in decomposition["parts"])
        ]
        if len(parts) >= 2:
            yield parts


def budget_sums(config: Config, table: EvalTable, mode: str) -> Iterator[Finding]:
    """年度资金总额 = Σ its rows per column; a total row left at 0 over filled rows is said once."""
    total_row = _total_row(config, table)
    if total_row is None:
        return
    unit = table_unit(config, table)
    scale = unit_scale(config, unit) or ONE
    for parts in _decompositions(config, table, total_row):
        columns = money_columns(config)
        filled = [(c, r) for c in columns for r in parts if getattr(r, c)]
        totals = [getattr(total_row, c) for c in columns]
        if filled and not any(totals) and any(v is not None for v in totals):
            shown = "、".join(f"{r.label}{columns[c]}{_shown(getattr(r, c))}" for c, r in filled[:3])
            yield make_finding(config, "T110", page=table.page, block=table.block, row=total_row.label, parts=shown)
            return
        for column, name in columns.items():
            stated_value = getattr(total_row, column)
            present = [r for r in parts if getattr(r, column) is not None]
            if stated_value is None or not present:
                continue
            result = compare(
                money(config, stated_value, unit, mode),  # type: ignore[arg-type]
                total(money(config, getattr(r, column), unit, mode) for r in present),  # type: ignore[misc]
                scale,
            )
            if not result.holds:
                yield _finding(
                    config,
                    "T111",
                    table,
                    result,
                    row=total_row.label,
                    column=name,
                    parts="、".join(r.label for r in present),
                )


def check(config: Config, record: Record, mode: str) -> list[Finding]:
    findings: list[Finding] = []
    kpis_of = _kpis_by_table(record)
    for table in record.tables:
        kpis = kpis_of.get(table.id, [])
        findings += scores_over_weights(config, table, kpis)
        findings += weights_and_scores(config, table, kpis, mode)
        findings += budget_rows(config, table, mode)
        findings += grade(config, table)
        findings += indicators(config, table, kpis)
        findings += budget_sums(config, table, mode)
    return findings
