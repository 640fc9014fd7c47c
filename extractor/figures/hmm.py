"""jieba's part-of-speech HMM decoder (`jieba.posseg.viterbi`), the same path at a third of the time.

jieba's decoder scores every state of the previous character against every state of this one, though
each state can follow only about 30 of the 256 (the others score -inf and never win). Here each state
looks only at the states it can follow. Every score is the same sum in the same order as jieba's,
ties go to the same state, so the path is identical; tests/test_labels.py checks it against jieba's.

`Tagger` is jieba's tagger with this decoder as its HMM step. Import this module only through
`labels.tokenizer`, which prepares the (costly) import of jieba.posseg.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jieba.posseg import POSTokenizer, char_state_tab_P, emit_P, pair, start_P, trans_P
from jieba.posseg.viterbi import MIN_FLOAT

from .memo import per_document

State = tuple[str, str]  # (B/M/E/S, part of speech)


def _predecessors() -> dict[State, dict[State, float]]:
    """State -> the states it may follow, with the log probability of that transition."""
    into: dict[State, dict[State, float]] = {}
    for before, following in trans_P.items():
        for state, probability in following.items():
            into.setdefault(state, {})[before] = probability
    return into


_PREDECESSORS = _predecessors()


@per_document  # a report's unknown stretches (县道, 安防 …) recur in the clauses of many figures
def decode(obs: str) -> tuple[float, tuple[State, ...]]:
    """The most probable state of each character of `obs`, with its log probability."""
    all_states = trans_P.keys()
    scores = {y: start_P[y] + emit_P[y].get(obs[0], MIN_FLOAT) for y in char_state_tab_P.get(obs[0], all_states)}
    paths: list[dict[State, Any]] = [dict.fromkeys(scores, "")]  # state -> the state before it ("" at the start)
    for char in obs[1:]:
        now: dict[State, float] = {}
        path: dict[State, State] = {}
        # the character's states that can follow a state of the one before; if none can, any state that can
        for group in (char_state_tab_P.get(char, all_states), all_states):
            for y in group:
                into = _PREDECESSORS.get(y, {})
                if not into.keys().isdisjoint(scores):
                    emit = emit_P[y].get(char, MIN_FLOAT)
                    now[y], path[y] = max((scores[y0] + p + emit, y0) for y0, p in into.items() if y0 in scores)
            if now:
                break
        scores = now
        paths.append(path)
    probability, state = max((p, y) for y, p in scores.items())
    route = []
    for path in reversed(paths):
        route.append(state)
        state = path[state]
    return probability, tuple(reversed(route))


class Tagger(POSTokenizer):
    """jieba's part-of-speech tagger, decoding unknown stretches with `decode`. jieba's tagger calls its
    module-level decoder from its private method __cut; this class overrides that method for its own
    objects, so that no jieba global is changed and other jieba taggers in the process are unaffected."""

    def __init__(self, tokenizer: Any, word_tags: dict[str, str] | None = None) -> None:
        """A tagger over `tokenizer`; with `word_tags` (word -> part of speech, read from the same dictionary
        file by another tagger) the file is not read a second time: jieba's tagger reads it line by line in
        Python, ~30k lines. The table is copied, since the words added to `tokenizer` go into it."""
        if word_tags is None:
            super().__init__(tokenizer)
        else:  # what POSTokenizer.__init__ does, with the table given instead of read
            self.tokenizer = tokenizer
            self.word_tag_tab = dict(word_tags)

    def _POSTokenizer__cut(self, sentence: str) -> Iterator[pair]:
        """jieba's __cut (word boundaries and tags from the HMM path), with `decode` for its decoder."""
        _, states = decode(sentence)
        begin, following = 0, 0
        for index, char in enumerate(sentence):
            position, tag = states[index]
            if position == "B":
                begin = index
            elif position == "E":
                yield pair(sentence[begin : index + 1], tag)
                following = index + 1
            elif position == "S":
                yield pair(char, tag)
                following = index + 1
        if following < len(sentence):
            yield pair(sentence[following:], states[following][1])
