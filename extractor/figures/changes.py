"""Changes printed apart from their figure: a relation of that figure (`Fact.change`), never a figure of its own
and never a part of a sum.

Two shapes the figure-adjacent comparison (numbers.find_change) does not reach:
- after the parts in brackets: "公务用车费120万元（其中：购置费45万元，运行费75万元），比2021年预算增加30万元";
- in a sentence of its own that repeats the figure's name: "收入支出总计1250.00万元。与2023年度相比，收入支出
  总计减少50.00万元，下降3.85%。"
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..config import Config, derived
from ..records import Change, Fact
from .labels import normalize_label
from .numbers import ARABIC, direction, longest_first

_OF_RATE = re.compile(rf"\s*的\s*{ARABIC}\s*[%％]")


@derived
def _patterns(config: Config) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    words = config.lexicon["label_words"]
    bases = "|".join([*words["comparison_base_patterns"], longest_first(words["comparison_bases"])])
    verbs = longest_first(words["change_up"] + words["change_down"] + words["change_flat"])
    # a clause that is only a comparison: "比 2021 年预算增加", or "收入支出总计减少" after "与2023年度相比，"
    clause = re.compile(rf"^\s*(?P<basis>{bases})?\s*(?P<stem>.*?)\s*(?P<verb>{verbs})了?\s*$")
    opening = re.compile(rf"(?P<basis>{bases})(?:相比)?\s*[，,]\s*$")
    percent = re.compile(rf"^\s*[，,]\s*(?:{verbs})了?\s*(?P<percent>{ARABIC})\s*%")
    return clause, opening, percent


def _clause(text: str, start: int) -> tuple[int, str]:
    stops = [text.rfind(mark, 0, start) for mark in "，,；;：:。（）()"]
    begin = max(stops) + 1
    return begin, text[begin:start]


def _outside_brackets(text: str, facts: list[Fact], position: int) -> list[Fact]:
    """The facts before `position` not inside a bracket that closes before it: the figures a change there may be
    about ("849万元（其中：…690万元），比…增加" is about 849)."""
    closed: list[tuple[int, int]] = []
    opened: list[int] = []
    for offset, char in enumerate(text[:position]):
        if char in "（(":
            opened.append(offset)
        elif char in "）)" and opened:
            closed.append((opened.pop(), offset))
    return [f for f in facts if f.end <= position and not any(a < f.start and f.end <= b for a, b in closed)]


def stated_change(config: Config, text: str, fact: Fact, earlier: list[Fact], before: list[Fact]) -> Fact | None:
    """The figure `fact` is the change of, when its clause says only "compared with …, up/down": the nearest
    earlier figure of its paragraph outside closed brackets; or, when the clause repeats a name after "与…相比，",
    the nearest earlier figure (this paragraph or the one before) of that name. None when `fact` is a figure."""
    clause_pattern, opening, _ = _patterns(config)
    begin, clause = _clause(text, fact.start)
    found = clause_pattern.match(clause)
    if not found:
        return None
    stem = normalize_label(found["stem"]) if found["stem"] else ""
    if found["basis"] and not stem:
        # "完成年初预算数25200万元的8.9%，比上年增收367万元": a rate's base is not what the sentence is about
        candidates = [f for f in _outside_brackets(text, earlier, begin) if not _OF_RATE.match(text, f.end)]
        return candidates[-1] if candidates else None
    if stem and opening.search(text[:begin]):
        named = [f for f in [*before, *earlier] if f.label and normalize_label(f.label).endswith(stem)]
        return named[-1] if named else None
    return None


def as_change(config: Config, text: str, fact: Fact) -> Change:
    """The change `fact` states, with the percentage printed right after it ("，下降1.87%"); its basis is the
    comparison as printed ("比2021年预算", "与2023年度相比")."""
    clause_pattern, opening, percent_pattern = _patterns(config)
    begin, clause = _clause(text, fact.start)
    found = clause_pattern.match(clause)
    assert found is not None  # stated_change matched this clause
    named = opening.search(text[:begin])
    basis = found["basis"] or (named.group().rstrip("，, ") if named else "")
    after = percent_pattern.match(text[fact.end :])
    return Change(
        basis=basis.strip(),
        direction=direction(config, found["verb"]),
        amount=fact.value,
        unit=fact.unit,
        percent=Decimal(after["percent"].replace(",", "")) if after else None,
    )
