"""Changes printed apart from their figure: a relation of that figure (`Fact.change`), never a figure of its own
and never a part of a sum.

Two shapes the figure-adjacent comparison (numbers.find_change) does not reach:
- after the parts in brackets: "公务用车费120万元（其中：购置费45万元，运行费75万元），比2021年预算增加30万元";
- in a sentence of its own that repeats the figure's name: "收入支出总计1250.00万元。与上年相比，收入支出
  总计减少50.00万元，下降3.85%。"
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from decimal import Decimal

from ..config import Config, derived
from ..memo import per_document
from ..patterns import lazy
from ..records import Change, Fact
from .labels import normalize_label
from .numbers import ARABIC, LOOK_BACK, Marks, direction, longest_first

_OF_RATE = lazy(rf"\s*的\s*{ARABIC}\s*[%％]")


@derived
def _patterns(config: Config) -> tuple[re.Pattern, re.Pattern, re.Pattern, tuple[str, ...]]:
    words = config.lexicon["label_words"]
    bases = "|".join([*words["comparison_base_patterns"], longest_first(words["comparison_bases"])])
    verbs = longest_first(words["change_up"] + words["change_down"] + words["change_flat"])
    # a clause that is only a comparison: "比 2021 年预算增加", or "收入支出总计减少" after "与2023年度相比，"
    clause = lazy(rf"^\s*(?P<basis>{bases})?\s*(?P<stem>.*?)\s*(?P<verb>{verbs})了?\s*$")
    opening = lazy(rf"(?P<basis>{bases})(?:相比)?\s*[，,]\s*$")
    percent = lazy(rf"\s*[，,]\s*(?:{verbs})了?\s*(?P<percent>{ARABIC})\s*%")  # matched at a figure's end
    verb_words = tuple(words["change_up"] + words["change_down"] + words["change_flat"])
    return clause, opening, percent, verb_words


class _Layout:
    """The clause breaks and the closed brackets of one paragraph, found once: looked up from every figure, a
    scan back to the paragraph's start is quadratic in a long one."""

    def __init__(self, text: str) -> None:
        self.clauses = Marks(text, "，,；;：:。（）()")
        self.marks = Marks(text, "（()）").offsets
        # the closed pairs of brackets (opening, closing, enclosing pair or -1), and for the stretch after each
        # bracket mark the innermost pair that holds it (or -1)
        self.pairs: list[tuple[int, int, int]] = []
        opened: list[int] = []
        closing_of: dict[int, int] = {}
        for offset in self.marks:
            if text[offset] in "（(":
                opened.append(offset)
            elif opened:
                closing_of[opened.pop()] = offset
        self.innermost: list[int] = []
        holding: list[int] = []
        for offset in self.marks:
            if offset in closing_of:
                self.pairs.append((offset, closing_of[offset], holding[-1] if holding else -1))
                holding.append(len(self.pairs) - 1)
            elif holding and self.pairs[holding[-1]][1] == offset:
                holding.pop()
            self.innermost.append(holding[-1] if holding else -1)

    def clause(self, text: str, start: int) -> tuple[int, str]:
        begin = self.clauses.last(0, start) + 1
        return begin, text[begin:start]

    def closed_around(self, fact: Fact, position: int) -> bool:
        """Whether a bracket that closes before `position` holds `fact`."""
        index = bisect_left(self.marks, fact.start) - 1
        pair = self.innermost[index] if index >= 0 else -1
        while pair >= 0 and self.pairs[pair][1] < fact.end:  # a bracket inside the figure's span holds it not
            pair = self.pairs[pair][2]
        return pair >= 0 and self.pairs[pair][1] < position


@per_document  # the same paragraph for each of its figures
def _layout(text: str) -> _Layout:
    return _Layout(text)


def _clause(text: str, start: int) -> tuple[int, str]:
    return _layout(text).clause(text, start)


def _outside_brackets(text: str, facts: list[Fact], position: int) -> Iterator[Fact]:
    """The facts before `position` not inside a bracket that closes before it, nearest first: the figures a
    change there may be about ("849万元（其中：…690万元），比…增加" is about 849)."""
    layout = _layout(text)
    return (f for f in reversed(facts) if f.end <= position and not layout.closed_around(f, position))


def _comparison(config: Config, text: str, start: int) -> tuple[int, re.Match | None]:
    """Where the clause before `start` begins, and its match as a comparison clause (None when it ends with
    no change verb: then it cannot be one, and a long clause is not matched at all)."""
    clause_pattern, _, _, verbs = _patterns(config)
    begin, clause = _clause(text, start)
    if not clause.rstrip().removesuffix("了").endswith(verbs):
        return begin, None
    return begin, clause_pattern.match(clause)


def _opening(config: Config, text: str, begin: int) -> re.Match | None:
    """ "与2023年度相比，" ending right at `begin` (a comparison basis is short: looked for near it only)."""
    return _patterns(config)[1].search(text, max(0, begin - LOOK_BACK), begin)


def stated_change(config: Config, text: str, fact: Fact, earlier: list[Fact], before: list[Fact]) -> Fact | None:
    """The figure `fact` is the change of, when its clause says only "compared with …, up/down": the nearest
    earlier figure of its paragraph outside closed brackets; or, when the clause repeats a name after "与…相比，",
    the nearest earlier figure (this paragraph or the one before) of that name. None when `fact` is a figure."""
    begin, found = _comparison(config, text, fact.start)
    if not found:
        return None
    stem = normalize_label(found["stem"]) if found["stem"] else ""
    if found["basis"] and not stem:
        # "完成年初预算数18400万元的6.2%，比上年增收215万元": a rate's base is not what the sentence is about
        return next((f for f in _outside_brackets(text, earlier, begin) if not _OF_RATE.match(text, f.end)), None)
    if stem and _opening(config, text, begin):
        named = (
            f for f in [*reversed(earlier), *reversed(before)] if f.label and normalize_label(f.label).endswith(stem)
        )
        return next(named, None)
    return None


def as_change(config: Config, text: str, fact: Fact) -> Change:
    """The change `fact` states, with the percentage printed right after it ("，下降1.87%"); its basis is the
    comparison as printed ("比2021年预算", "与2023年度相比")."""
    begin, found = _comparison(config, text, fact.start)
    assert found is not None  # stated_change matched this clause
    named = _opening(config, text, begin)
    basis = found["basis"] or (named.group().rstrip("，, ") if named else "")
    after = _patterns(config)[2].match(text, fact.end)
    return Change(
        basis=basis.strip(),
        direction=direction(config, found["verb"]),
        amount=fact.value,
        unit=fact.unit,
        percent=Decimal(after["percent"].replace(",", "")) if after else None,
    )
