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

from ..lexicon import lexicon
from ..records import Fact
from .numbers import clause_start, longest_first

_SENTENCE_END = "。！？!?\n"


@cache
def _total_words() -> re.Pattern:
    return re.compile(longest_first(lexicon("label_words")["totals_after_parts"]["total_words"]))


@cache
def _subtracting() -> re.Pattern:
    return re.compile(longest_first(lexicon("label_words")["totals_after_parts"]["subtract_words"]))


def _in_bracket(text: str, position: int) -> bool:
    depth = 0
    for char in reversed(text[:position]):
        if char in "）)":
            depth += 1
        elif char in "（(":
            if depth == 0:
                return True
            depth -= 1
    return False


def _is_change(text: str, fact: Fact) -> bool:
    """"同比减少144.92万元" read as a figure of its own: the amount of a change, never a part."""
    clause = text[clause_start(text, fact.start) : fact.start].rstrip("了 ")
    words = lexicon("label_words")
    return clause.endswith(tuple(words["change_up"] + words["change_down"]))


def _names_total(text: str, fact: Fact) -> bool:
    return bool(_total_words().search(text, clause_start(text, fact.start), fact.start))


def _readable(parts: list[Fact], total: Fact, text: str, parents: dict[int, Fact]) -> bool:
    return (
        len(parts) >= 2
        and not any(id(part) in parents for part in parts)
        and not any(_subtracting().search(text, clause_start(text, part.start), part.start) for part in parts)
        and all(part.currency == total.currency and abs(part.amount) <= abs(total.amount) for part in parts)
    )


def link_totals_after_parts(facts: list[Fact], text: str, parents: dict[int, Fact], lists: dict[int, tuple]) -> None:
    """Link the parts of each total stated after them in one paragraph (`facts` in text order)."""
    previous_total: Fact | None = None
    pending: list[Fact] = []
    position = 0
    for fact in facts:
        if any(mark in text[position : fact.start] for mark in _SENTENCE_END):
            pending, previous_total = [], None
        position = fact.end
        if _in_bracket(text, fact.start) or _is_change(text, fact):
            continue
        if id(fact) in parents and parents[id(fact)] in pending:
            continue  # a part of a listed figure: the listed figure stands for it
        if _names_total(text, fact):
            parts = ([previous_total] if previous_total else []) + pending
            if _readable(parts, fact, text, parents):
                for part in parts:
                    parents[id(part)] = fact
                    lists[id(part)] = ("after", id(fact))
            previous_total, pending = fact, []
            continue
        pending.append(fact)
