"""Answers remembered for one document's extraction.

The figures stage asks the same questions of the same text many times over: the money, KPI and zero
passes each normalise a paragraph and tag the clauses before their figures, which overlap (and the outline
asks of each heading whether some template knows it). Memos live
for one document, not for the process: a batch of near-identical reports would otherwise time the
memo rather than the work, and a long batch would grow it without end.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import TypeVar

Answer = TypeVar("Answer")
Subject = TypeVar("Subject")

_MISSING = object()  # no answer remembered (None is an answer)

_memos: ContextVar[dict[Callable, dict] | None] = ContextVar("memos", default=None)


@contextmanager
def one_document() -> Iterator[None]:
    """While the block runs, each `per_document` function computes an answer once per argument. Inside another
    `one_document` (the whole record's, around the figures stage's own) it is that one: the checks then find
    the paragraphs the figures stage normalised and cut up."""
    if _memos.get() is not None:
        yield
        return
    scope = _memos.set({})
    try:
        yield
    finally:
        _memos.reset(scope)


def per_document(function: Callable[..., Answer]) -> Callable[..., Answer]:
    """`function` of hashable arguments (a Config hashes by identity), memoised inside `one_document` (and
    computed afresh outside it). Its answers are shared between callers: they must be immutable (a str, a
    tuple)."""

    @wraps(function)
    def memoised(*arguments: Hashable) -> Answer:
        memos = _memos.get()
        if memos is None:
            return function(*arguments)
        memo = memos.get(function)
        if memo is None:
            memo = memos[function] = {}
        answer = memo.get(arguments, _MISSING)  # one look-up for a remembered answer: ~900 asks a document
        if answer is _MISSING:
            answer = memo[arguments] = function(*arguments)
        return answer

    return memoised


def per_document_by_identity(function: Callable[[Subject], Answer]) -> Callable[[Subject], Answer]:
    """`function` of one object that need not hash (a pydantic record), memoised like `per_document` but by the
    object's identity: the memo holds the object with its answer, so no other object can take its id while the
    answer is kept. The object must not change while the memo lives (records are never changed in place)."""

    @wraps(function)
    def memoised(subject: Subject) -> Answer:
        memos = _memos.get()
        if memos is None:
            return function(subject)
        memo = memos.setdefault(function, {})
        held = memo.get(id(subject))
        if held is None or held[0] is not subject:
            held = memo[id(subject)] = (subject, function(subject))
        return held[1]

    return memoised
