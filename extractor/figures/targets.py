"""Values as printed in self-evaluation table cells: indicator targets and results, scores, money.

"≥95%" -> (">=", 95, "%"); "50个以上" -> (">=", 50, "个"); "按时" -> ("qualitative", None, None);
"98.5%" in a 执行率 cell -> 98.5. Numbers stay `Decimal` with the decimals printed.

`parse_target` says what kind of statement a target value is, for the review of target forms: a measure
("≥95%", "3万平方米"), a date or time limit ("2023年12月31日前", "5个工作日内"), 不适用, nothing, or words
no one can measure ("良好", "明显提升").
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal, NamedTuple

from ..cjk import to_halfwidth
from ..config import Config, derived
from ..memo import per_document
from ..patterns import lazy
from .kpis import find_kpis
from .numbers import find_money

_NUMBER = r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?"
# a number alone, or with the suffix a score, rate or money cell may carry ("10分", "98.5%")
_CELL_NUMBER = lazy(rf"({_NUMBER})(?:%|分|万元|元)?")
_MEASURE = lazy(rf"({_NUMBER})(\D*)")
_BARE_MAGNITUDE = lazy(r"(\d+(?:\.\d+)?)(万|亿)(?![\u4e00-\u9fff])")


class IndicatorValue(NamedTuple):
    """An indicator's target or result: comparison, number and unit, each None where not stated."""

    comparator: str | None  # ">=", "<=", "=", ">", "<" or "qualitative"
    value: Decimal | None
    unit: str | None


@derived
def _prefixes(config: Config) -> list[tuple[str, str]]:
    """(operator as printed, comparator), longest first so "≥" never loses to ">" or "大于等于" to "大于"."""
    pairs = [
        (word, comparator) for comparator, words in config.tables["targets"]["comparators"].items() for word in words
    ]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


@derived
def _suffixes(config: Config) -> list[tuple[str, str]]:
    pairs = [
        (word, comparator)
        for comparator, words in config.tables["targets"]["suffix_comparators"].items()
        for word in words
    ]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _compact(text: str) -> str:
    return "".join(to_halfwidth(text).split())


def parse_comparator(config: Config, text: str) -> str | None:
    """The comparator a 指标性质 cell states ("≥", "定性"); None for anything else ("定量", "")."""
    compact = _compact(text)
    if compact in config.tables["targets"]["qualitative"]:
        return "qualitative"
    return next((comparator for word, comparator in _prefixes(config) if compact == word), None)


@per_document  # a table's KPI values are read by the tables stage, parsed as targets and checked again
def parse_indicator_value(config: Config, text: str | None) -> IndicatorValue:
    """Comparison, number and unit of a target or result as printed.

    A bare number compares with "=" ("100%"); text with no number is "qualitative" ("按时", "效果明显"),
    and so is a number inside words ("2024年12月31日前"); an operator before words keeps its comparator
    with no value ("≤上年").
    """
    compact = _compact(text or "")
    if not compact:
        return IndicatorValue(None, None, None)
    comparator = None
    for word, candidate in _prefixes(config):
        if compact.startswith(word):
            comparator, compact = candidate, compact[len(word) :]
            break
    for word, candidate in _suffixes(config):
        if compact.endswith(word) and len(compact) > len(word):
            comparator, compact = comparator or candidate, compact[: -len(word)]
            break
    match = _MEASURE.fullmatch(compact)
    if match and len(match.group(2)) <= config.tables["targets"]["max_unit_length"]:
        number = Decimal(match.group(1).replace(",", ""))
        return IndicatorValue(comparator or "=", number, match.group(2) or None)
    return IndicatorValue(comparator or "qualitative", None, None)


class TargetValue(NamedTuple):
    """What a target value states (see `TargetIndicator.target_kind`)."""

    kind: Literal["measure", "deadline", "not_applicable", "empty", "qualitative"]
    comparator: str | None = None  # ">=", "<=", "=", ">", "<" from the data of tables/targets.json
    value: Decimal | None = None
    unit: str | None = None
    deadline: str | None = None  # the time limit as printed, where kind is "deadline"


@derived
def _deadline_patterns(config: Config) -> list[re.Pattern]:
    return [re.compile(pattern) for pattern in config.tables["targets"]["deadline_patterns"]]


def find_deadline(config: Config, text: str | None) -> str | None:
    """The first date or time limit stated in `text` ("12月底前", "3个工作日内"), as printed; None if none."""
    compact = _compact(text or "")
    found = [match for pattern in _deadline_patterns(config) if (match := pattern.search(compact))]
    if not found:
        return None
    first = min(found, key=lambda match: (match.start(), -len(match.group(0))))
    return first.group(0)


def _embedded_measure(config: Config, compact: str) -> TargetValue | None:
    """A number with its unit inside a short value ("达到95%", "约1万人", "不超过60万元"), its comparator from
    the words around it; None when there is none or the value is a sentence rather than a value."""
    if len(compact) > config.tables["targets"]["max_value_length"]:
        return None
    Found = list[tuple[int, Decimal, str | None, str | None]]
    money: Found = [
        (m.start, m.value, m.rate or m.unit, m.qualifier) for m in find_money(config, compact)
    ]  # a rate is a value too
    counts: Found = [(k.start, k.value, k.unit, k.qualifier) for k in find_kpis(config, compact, [])]
    # "总成本不超过2万": an amount with its 元 left out
    bare: Found = [(m.start(), Decimal(m.group(1)), m.group(2), None) for m in _BARE_MAGNITUDE.finditer(compact)]
    if not money + counts + bare:
        return None
    start, value, unit, qualifier = min(money + counts + bare, key=lambda found: found[0])
    before, comparator = compact[:start] + (qualifier or ""), None
    for word, candidate in _prefixes(config):  # longest first: "不低于" before "低于"
        if word in before:
            comparator = candidate
            break
    if comparator is None:
        comparator = next((c for word, c in _suffixes(config) if word in compact[start:]), "=")
    return TargetValue("measure", comparator, value, unit)


@per_document  # a form's or table's target is read by the figures stage and again by the target checks
def parse_target(config: Config, text: str | None) -> TargetValue:
    """The kind of statement a target value is, with its comparator, number and unit or its deadline.

    A value longer than `max_value_length` is a sentence, not a value: qualitative whatever numbers or
    dates it mentions ("开展测评工作后，每月及时测评…，每季度及时公布…")."""
    compact = _compact(text or "")
    if not compact:
        return TargetValue("empty")
    if compact in config.tables["targets"]["not_applicable"]:
        return TargetValue("not_applicable")
    if len(compact) > config.tables["targets"]["max_value_length"]:
        return TargetValue("qualitative")
    measure = parse_indicator_value(config, compact)
    if measure.comparator in (">=", ">") and measure.unit in config.tables["targets"]["duration_units"]:
        return TargetValue("measure", measure.comparator, measure.value, measure.unit)  # ≥360天: at least
    deadline = find_deadline(config, compact)
    first_digit = re.search(r"\d", compact)
    # "11月底前完成" is a deadline although it starts with a number: the date is where the number stands and
    # is most of the value; "每年成本不超过32万元" is a measure although it starts with a period
    at = compact.find(deadline) if deadline is not None else -1
    covers = deadline is not None and 2 * len(deadline) >= len(compact)  # the value is mostly the date
    if deadline is not None and (first_digit is None or (covers and at <= first_digit.start() < at + len(deadline))):
        return TargetValue("deadline", deadline=deadline)
    if measure.value is not None:
        return TargetValue("measure", measure.comparator, measure.value, measure.unit)
    if measure.comparator not in (None, "qualitative"):  # "≤上年": measured against a stated reference
        return TargetValue("measure", measure.comparator)
    embedded = _embedded_measure(config, compact)
    if embedded is not None:
        return embedded
    return TargetValue("deadline", deadline=deadline) if deadline is not None else TargetValue("qualitative")


def parse_cell_number(text: str) -> Decimal | None:
    """The number a score, rate or money cell holds ("1,172.46", "99.53%", "10分"), None if it holds none."""
    match = _CELL_NUMBER.fullmatch(_compact(text))
    return Decimal(match.group(1).replace(",", "")) if match else None
