"""Totals stated after their parts: "本级收入A万元，加上：上年结转B万元、上级补助收入C万元…，收入总计X万元";
"一批…万元，二批…万元，三批…万元，合计批复总投资X万元"; "…；收入合计X亿元".

The figures of one sentence (semicolons do not end it here: balance lists are often written item；item；)
before a figure whose clause names a total (总计, 合计, 共计 …) are its parts, from the sentence's start or
from the total stated before in it (which is then the first part: "…总收入352610万元，加上年结余9240万元，
…，收入总计361850万元"). A part already linked elsewhere (a bracketed or 其中 part), a change amount, a
figure in brackets or one the text subtracts ("减…") leaves the list unread: no sum rather than a wrong one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import cache

from ..config import Config, derived
from ..memo import per_document
from ..patterns import any_word
from ..records import Fact
from .numbers import Marks, clause_start, inside_bracket

_SENTENCE_END = "。！？!?\n"


@per_document  # both passes over a paragraph's totals (after parts, parallel groups) look for its sentence ends
def _sentence_ends(text: str) -> Marks:
    return Marks(text, _SENTENCE_END)


_ADDING = ("加上", "加")


@derived
def _total_words(config: Config) -> re.Pattern:
    return any_word(config.lexicon["label_words"]["totals_after_parts"]["total_words"])


@derived
def _subtracting(config: Config) -> re.Pattern:
    return any_word(config.lexicon["label_words"]["totals_after_parts"]["subtract_words"])


def _is_change(config: Config, text: str, fact: Fact) -> bool:
    """ "同比减少58.34万元" read as a figure of its own: the amount of a change, never a part."""
    clause = text[clause_start(config, text, fact.start) : fact.start].rstrip("了 ")
    words = config.lexicon["label_words"]
    return clause.endswith(tuple(words["change_up"] + words["change_down"]))


def _total_word(config: Config, text: str, fact: Fact) -> str | None:
    found = _total_words(config).search(text, clause_start(config, text, fact.start), fact.start)
    return found.group(0) if found else None


def _names_total(config: Config, text: str, fact: Fact, later: Iterable[Fact]) -> bool:
    """Whether the figure's clause names a total. A word that names a kind of figure as much as a total
    (总投资, 总收入) does not when a later figure of the sentence says it again: "一批项目批复总投资A万元，二批…
    总投资B万元，…，合计批复总投资X万元" lists items until the 合计."""
    word = _total_word(config, text, fact)
    if word is None:
        return False
    if word in config.lexicon["label_words"]["totals_after_parts"]["strong_words"]:
        return True
    return not any(word in text[clause_start(config, text, other.start) : other.start] for other in later)


def _readable(config: Config, parts: list[Fact], total: Fact, text: str, parents: dict[int, Fact]) -> bool:
    return (
        len(parts) >= 2
        and not any(id(part) in parents for part in parts)
        and not any(
            _subtracting(config).search(text, clause_start(config, text, part.start), part.start) for part in parts
        )
        and all(part.currency == total.currency and abs(part.amount) <= abs(total.amount) for part in parts)
    )


def link_totals_after_parts(
    config: Config, facts: list[Fact], text: str, parents: dict[int, Fact], lists: dict[int, tuple]
) -> None:
    """Link the parts of each total stated after them in one paragraph (`facts` in text order)."""
    previous_total: Fact | None = None
    pending: list[Fact] = []
    pending_ids: set[int] = set()
    position = 0
    head: Fact | None = None  # the first figure of the sentence: what a next sentence "加上…" adds to
    ends = _sentence_ends(text)
    starts = [fact.start for fact in facts]
    bracketed = _Bracketed(facts, parents, lists)
    for index, fact in enumerate(facts):
        last_end = ends.last(position, fact.start)
        if last_end >= 0:
            opening = text[last_end + 1 : fact.start].lstrip()
            # "区级收入完成28.6亿元，…。加上转移支付15.94亿元，…，总收入44.54亿元": the sum goes on
            carried = [head] if head is not None and opening.startswith(_ADDING) else []
            pending, previous_total, head = carried, None, None
            pending_ids = {id(part) for part in pending}
        position = fact.end
        if inside_bracket(text, fact.start) or _is_change(config, text, fact):
            continue
        if head is None:
            head = fact
        if id(fact) in parents and id(parents[id(fact)]) in pending_ids:
            continue  # a part of a listed figure: the listed figure stands for it
        stop = bisect_left(starts, ends.next(fact.end), index + 1)
        if _names_total(config, text, fact, (facts[later] for later in range(index + 1, stop))):
            parts = ([previous_total] if previous_total else []) + pending
            if _readable(config, parts, fact, text, parents):
                for part in parts:
                    parents[id(part)] = fact
                    lists[id(part)] = ("after", id(fact))
                _link_bracketed(fact, parts, bracketed, parents, lists)
            previous_total, pending, pending_ids = fact, [], set()
            continue
        pending.append(fact)
        pending_ids.add(id(fact))


class _Bracketed:
    """The figures linked to each figure as its bracketed parts, found by owner rather than by a scan of the
    paragraph for every total. Linking only ever takes figures out of a bracket list (into an "after" one),
    so the index made once holds every figure that can still be in one, and each query checks it still is."""

    def __init__(self, facts: list[Fact], parents: dict[int, Fact], lists: dict[int, tuple]) -> None:
        self._parents, self._lists = parents, lists
        self._by_owner: dict[int, list[Fact]] = {}
        for fact in facts:
            if id(fact) in parents and lists.get(id(fact)) == ("bracket", id(parents[id(fact)])):
                self._by_owner.setdefault(id(parents[id(fact)]), []).append(fact)

    def __call__(self, owner: Fact) -> list[Fact]:
        return [
            f
            for f in self._by_owner.get(id(owner), [])
            if self._parents.get(id(f)) is owner and self._lists.get(id(f)) == ("bracket", id(owner))
        ]


def _link_bracketed(
    total: Fact, parts: list[Fact], bracketed: _Bracketed, parents: dict[int, Fact], lists: dict[int, tuple]
) -> None:
    """ "一批…2100.5万元（其中建筑工程1980万元），二批…（其中建筑工程1204.25万元），合计…3400.8万元（其中建筑工程
    3184.25万元）": the bracketed figure of each part is a part of the total's bracketed figure of the same name."""
    inner = bracketed(total)
    if len(inner) != 1 or not inner[0].label:
        return
    name = inner[0].label
    matched = [bracketed(part) for part in parts]
    if all(len(found) == 1 and found[0].label == name for found in matched):
        for (found,) in matched:
            parents[id(found)] = inner[0]
            lists[id(found)] = ("after", id(inner[0]))


def link_parallel_groups(facts: list[Fact], text: str, parents: dict[int, Fact], lists: dict[int, tuple]) -> None:
    """ "送审金额35.43亿元，审定金额32.66亿元，核减2.77亿元，其中预算…送审金额23.79亿元，审定金额21.81亿元，核减1.98亿元，
    结算…送审金额11.63亿元…": after 其中 the categories repeat the figures named before it, and each figure
    before is the total of the figures of its name after."""
    ends = _sentence_ends(text)
    starts = [fact.start for fact in facts]

    def unbracketed(begin: int, end: int) -> list[Fact]:
        """The figures starting in text[begin:end], not inside a bracket."""
        found = facts[bisect_left(starts, begin) : bisect_left(starts, end)]
        return [f for f in found if not inside_bracket(text, f.start)]

    for marker in _part_marker().finditer(text):
        begin = ends.last(0, marker.start()) + 1
        end = ends.next(marker.end())
        before = unbracketed(begin, marker.start())
        totals = {f.label: f for f in before if f.label}
        if len(before) < 2 or len(totals) != len(before):
            continue
        after = unbracketed(marker.end(), end)
        if not after:
            continue
        if not all(f.label in totals for f in after):
            continue
        if any(sum(f.label == name for f in after) < 2 for name in totals):
            continue
        for part in after:
            whole = totals[part.label or ""]
            if part.currency == whole.currency:
                parents[id(part)] = whole
                lists[id(part)] = ("parallel", id(whole))


@cache
def _part_marker() -> re.Pattern:
    return re.compile("其中")
