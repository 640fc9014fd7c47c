"""Totals stated after their parts: "本级收入A万元，加上：上年结转B万元、上级补助收入C万元…，收入总计X万元";
"一批…万元，二批…万元，三批…万元，合计批复总投资X万元"; "…；收入合计X亿元".

The figures of one sentence (semicolons do not end it here: balance lists are often written item；item；)
before a figure whose clause names a total (总计, 合计, 共计 …) are its parts, from the sentence's start or
from the total stated before in it (which is then the first part: "…总收入468222万元，加上年结余11080万元，
…，收入总计481342万元"). A part already linked elsewhere (a bracketed or 其中 part), a change amount, a
figure in brackets or one the text subtracts ("减…") leaves the list unread: no sum rather than a wrong one.
"""

from __future__ import annotations

import re
from functools import cache

from ..config import Config, derived
from ..records import Fact
from .numbers import clause_start, inside_bracket, longest_first

_SENTENCE_END = "。！？!?\n"
_ADDING = ("加上", "加")


@derived
def _total_words(config: Config) -> re.Pattern:
    return re.compile(longest_first(config.lexicon["label_words"]["totals_after_parts"]["total_words"]))


@derived
def _subtracting(config: Config) -> re.Pattern:
    return re.compile(longest_first(config.lexicon["label_words"]["totals_after_parts"]["subtract_words"]))


def _is_change(config: Config, text: str, fact: Fact) -> bool:
    """ "同比减少144.92万元" read as a figure of its own: the amount of a change, never a part."""
    clause = text[clause_start(config, text, fact.start) : fact.start].rstrip("了 ")
    words = config.lexicon["label_words"]
    return clause.endswith(tuple(words["change_up"] + words["change_down"]))


def _total_word(config: Config, text: str, fact: Fact) -> str | None:
    found = _total_words(config).search(text, clause_start(config, text, fact.start), fact.start)
    return found.group(0) if found else None


def _names_total(config: Config, text: str, fact: Fact, later: list[Fact]) -> bool:
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
        and not any(_subtracting(config).search(text, clause_start(config, text, part.start), part.start) for part in parts)
        and all(part.currency == total.currency and abs(part.amount) <= abs(total.amount) for part in parts)
    )


def link_totals_after_parts(config: Config, facts: list[Fact], text: str, parents: dict[int, Fact], lists: dict[int, tuple]) -> None:
    """Link the parts of each total stated after them in one paragraph (`facts` in text order)."""
    previous_total: Fact | None = None
    pending: list[Fact] = []
    position = 0
    head: Fact | None = None  # the first figure of the sentence: what a next sentence "加上…" adds to
    for index, fact in enumerate(facts):
        gap = text[position : fact.start]
        if any(mark in gap for mark in _SENTENCE_END):
            opening = gap[max(gap.rfind(mark) for mark in _SENTENCE_END) + 1 :].lstrip()
            # "区级收入完成39.1亿元，…。加上转移支付27.23亿元，…，总收入104.05亿元": the sum goes on
            carried = [head] if head is not None and opening.startswith(_ADDING) else []
            pending, previous_total, head = carried, None, None
        position = fact.end
        if inside_bracket(text, fact.start) or _is_change(config, text, fact):
            continue
        if head is None:
            head = fact
        if id(fact) in parents and parents[id(fact)] in pending:
            continue  # a part of a listed figure: the listed figure stands for it
        end = next((i for i, mark in enumerate(text[fact.end :]) if mark in _SENTENCE_END), len(text) - fact.end)
        later = [other for other in facts[index + 1 :] if other.start < fact.end + end]
        if _names_total(config, text, fact, later):
            parts = ([previous_total] if previous_total else []) + pending
            if _readable(config, parts, fact, text, parents):
                for part in parts:
                    parents[id(part)] = fact
                    lists[id(part)] = ("after", id(fact))
                _link_bracketed(fact, parts, facts, parents, lists)
            previous_total, pending = fact, []
            continue
        pending.append(fact)


def _link_bracketed(
    total: Fact, parts: list[Fact], facts: list[Fact], parents: dict[int, Fact], lists: dict[int, tuple]
) -> None:
    """ "一批…3374.3万元（其中建筑工程3292万元），二批…（其中建筑工程1975.775万元），合计…6222.4万元（其中建筑工程
    6025.215万元）": the bracketed figure of each part is a part of the total's bracketed figure of the same name."""

    def bracketed(owner: Fact) -> list[Fact]:
        return [f for f in facts if parents.get(id(f)) is owner and lists.get(id(f)) == ("bracket", id(owner))]

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
    for marker in _part_marker().finditer(text):
        begin = max(text.rfind(mark, 0, marker.start()) for mark in _SENTENCE_END) + 1
        ends = [i for i in (text.find(mark, marker.end()) for mark in _SENTENCE_END) if i >= 0]
        end = min(ends) if ends else len(text)
        before = [f for f in facts if begin <= f.start < marker.start() and not inside_bracket(text, f.start)]
        after = [f for f in facts if marker.end() <= f.start < end and not inside_bracket(text, f.start)]
        totals = {f.label: f for f in before if f.label}
        if len(before) < 2 or len(totals) != len(before) or not after:
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
