"""KPIs printed in prose: percentages and rates ("控制率为100%", "同比增长5.5%", "提高2个百分点") and counts
with measure words ("新签约项目53个", "20（批）次", "40余家（次）", "超15万人次")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..config import Config, derived
from ..patterns import gated, lazy
from .labels import label_after, label_and_estimate, verb_after
from .numbers import (
    ARABIC,
    CHINESE,
    NUMERAL,
    figures_in,
    link_lists,
    longest_first,
    normalize,
    parse_numeral,
    qualifier_before,
)


@dataclass
class Indicator:
    value: Decimal
    unit: str
    start: int
    end: int
    qualifier: str | None = None
    comparison: str | None = None  # "同比增长" …, printed right before the value
    label: str | None = None
    list_id: int | None = None
    tail: int = 0  # end of the label printed after the value ("67家汽车企业"), else `end`


@derived
def _percent_pattern(config: Config) -> re.Pattern:
    units = longest_first(config.lexicon["measure_words"]["percent"])
    after = longest_first(config.lexicon["units"]["qualifiers"]["after"])  # "90%以上"
    return re.compile(rf"(?:(?P<num>{NUMERAL})\s?(?P<unit>{units})|百分之(?P<chinese>{CHINESE}))(?P<after>{after})?")


@derived
def _count_pattern(config: Config) -> re.Pattern:
    words = config.lexicon["measure_words"]
    measure = longest_first(words["counts"] + words["quantities"])
    inside = longest_first(config.lexicon["units"]["qualifiers"]["inside"])
    after = longest_first(config.lexicon["units"]["qualifiers"]["after"])
    # a measure word may be split by a bracket: "20（批）次", "40余家（次）"
    return re.compile(
        rf"""(?P<num>{ARABIC}|{CHINESE})(?P<inside>{inside})?(?P<magnitude>[万亿])?
        (?P<measure>(?:{measure})(?:[（(](?:{measure})[)）])?|[（(](?:{measure})[)）](?:{measure}))(?P<after>{after})?""",
        re.X,
    )


@derived
def _comparison_pattern(config: Config) -> re.Pattern:
    words = config.lexicon["label_words"]
    verbs = words["change_up"] + words["change_down"]
    return gated(verbs, rf"(?:{longest_first(words['comparison_bases'])})?(?:{longest_first(verbs)})了?$")


_RANGE_JOIN = lazy(r"\s*(?:-|~|～|至|到|—{1,2})\s*")


def _overlaps(start: int, end: int, occupied: bytearray) -> bool:
    return any(occupied[start:end])


def _occupy(occupied: bytearray, start: int, end: int) -> None:
    occupied[start:end] = b"\x01" * (end - start)


def _blocked(config: Config, norm: str, match: re.Match) -> bool:
    """Not a count: a lone 一 ("一条码", "一批"), a measure word starting a longer word ("一次性", "3项目")."""
    measure = match["measure"]
    if match["num"] == "一":
        return True
    following = norm[match.end("measure") : match.end("measure") + 1]
    return following in config.lexicon["measure_words"]["blocked_after"].get(measure[-1], [])


def find_kpis(config: Config, text: str, taken: list[tuple[int, int]]) -> list[Indicator]:
    """Percentages, rates and counts of `text`, in order, outside the `taken` spans (money figures)."""
    norm = normalize(text)
    found: list[Indicator] = []
    previous: Indicator | None = None
    occupied = bytearray(len(norm))  # one flag per character: a list of spans is quadratic on a long paragraph
    for start, end in taken:
        _occupy(occupied, start, end)
    for match in figures_in(_percent_pattern(config), norm):
        if _overlaps(match.start(), match.end(), occupied):
            continue
        value = parse_numeral(match["num"] or match["chinese"])[0]
        unit = "%" if match["chinese"] else match["unit"]
        indicator = _indicator(config, norm, value, unit, match.start(), match.end())
        indicator.qualifier = indicator.qualifier or match["after"]
        if previous and _RANGE_JOIN.fullmatch(norm[previous.end : match.start()]):
            indicator.label = previous.label  # "扣减当季资金5%-10%": both ends measure the same thing
        found.append(indicator)
        previous = indicator
        _occupy(occupied, match.start(), match.end())
    for match in figures_in(_count_pattern(config), norm):
        measure = re.sub(r"[（()）]", "", match["measure"] or "")
        if not measure or _overlaps(match.start(), match.end(), occupied) or _blocked(config, norm, match):
            continue
        indicator = _indicator(
            config,
            norm,
            parse_numeral(match["num"])[0],
            (match["magnitude"] or "") + measure,
            match.start(),
            match.end(),
        )
        indicator.qualifier = indicator.qualifier or match["inside"] or match["after"]
        named_after = label_after(config, norm, match.end())
        if named_after:
            indicator.label = named_after
            indicator.tail = norm.index(named_after, match.end()) + len(named_after)
        elif indicator.label is None:
            indicator.label = verb_after(config, norm, match.end())  # "超15万人次观赏": nothing named before it
        found.append(indicator)
    found.sort(key=lambda indicator: indicator.start)
    link_lists(found, text)
    return found


def _indicator(config: Config, norm: str, value: Decimal, unit: str, start: int, end: int) -> Indicator:
    qualifier = qualifier_before(config, norm, start)
    if qualifier:
        start -= len(qualifier)
    comparison = _comparison_pattern(config).search(norm, max(0, start - 12), start)
    label, estimate = label_and_estimate(config, norm, comparison.start() if comparison else start)
    return Indicator(
        value=value,
        unit=unit,
        start=start,
        end=end,
        qualifier=qualifier or estimate,
        comparison=comparison.group(0) if comparison else None,
        label=label,
        tail=end,
    )
