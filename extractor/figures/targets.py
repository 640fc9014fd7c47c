"""Values as printed in self-evaluation table cells: indicator targets and results, scores, money.

"≥95%" -> (">=", 95, "%"); "50个以上" -> (">=", 50, "个"); "按时" -> ("qualitative", None, None);
"98.5%" in a 执行率 cell -> 98.5. Numbers stay `Decimal` with the decimals printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from .. import datafiles
from ..cjk import to_halfwidth
from ..paths import SCHEMAS

_NUMBER = r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?"
# a number alone, or with the suffix a score, rate or money cell may carry ("10分", "98.5%")
_CELL_NUMBER = re.compile(rf"({_NUMBER})(?:%|分|万元|元)?")
_MEASURE = re.compile(rf"({_NUMBER})(\D*)")


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's target or result: comparison, number and unit, each None where not stated."""

    comparator: str | None  # ">=", "<=", "=", ">", "<" or "qualitative"
    value: Decimal | None
    unit: str | None


@cache
def _rules() -> dict:
    return datafiles.read(SCHEMAS / "tables" / "targets.json")


@cache
def _prefixes() -> list[tuple[str, str]]:
    """(operator as printed, comparator), longest first so "≥" never loses to ">" or "大于等于" to "大于"."""
    pairs = [(word, comparator) for comparator, words in _rules()["comparators"].items() for word in words]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


@cache
def _suffixes() -> list[tuple[str, str]]:
    pairs = [(word, comparator) for comparator, words in _rules()["suffix_comparators"].items() for word in words]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _compact(text: str) -> str:
    return "".join(to_halfwidth(text).split())


def parse_comparator(text: str) -> str | None:
    """The comparator a 指标性质 cell states ("≥", "定性"); None for anything else ("定量", "")."""
    compact = _compact(text)
    if compact in _rules()["qualitative"]:
        return "qualitative"
    return next((comparator for word, comparator in _prefixes() if compact == word), None)


def parse_indicator_value(text: str | None) -> IndicatorValue:
    """Comparison, number and unit of a target or result as printed.

    A bare number compares with "=" ("100%"); text with no number is "qualitative" ("按时", "效果明显"),
    and so is a number inside words ("2024年12月31日前"); an operator before words keeps its comparator
    with no value ("≤上年").
    """
    compact = _compact(text or "")
    if not compact:
        return IndicatorValue(None, None, None)
    comparator = None
    for word, candidate in _prefixes():
        if compact.startswith(word):
            comparator, compact = candidate, compact[len(word) :]
            break
    for word, candidate in _suffixes():
        if compact.endswith(word) and len(compact) > len(word):
            comparator, compact = comparator or candidate, compact[: -len(word)]
            break
    match = _MEASURE.fullmatch(compact)
    if match and len(match.group(2)) <= _rules()["max_unit_length"]:
        number = Decimal(match.group(1).replace(",", ""))
        return IndicatorValue(comparator or "=", number, match.group(2) or None)
    return IndicatorValue(comparator or "qualitative", None, None)


def parse_cell_number(text: str) -> Decimal | None:
    """The number a score, rate or money cell holds ("1,172.46", "99.53%", "10分"), None if it holds none."""
    match = _CELL_NUMBER.fullmatch(_compact(text))
    return Decimal(match.group(1).replace(",", "")) if match else None
