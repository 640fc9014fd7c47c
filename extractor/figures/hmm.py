"""jieba's part-of-speech HMM decoder (`jieba.posseg.viterbi`), the same path at a third of the time.

jieba's decoder scores every state of the previous character against every state of this one, though
each state can follow only about 30 of the 256 (the others score -inf and never win). Here each state
looks only at the states it can follow. Every score is the same sum in the same order as jieba's,
ties go to the same state, so the path is identical; tests/test_labels.py checks it against jieba's.
"""

from __future__ import annotations

from jieba.posseg.viterbi import MIN_FLOAT

State = tuple[str, str]  # (B/M/E/S, part of speech)

_by_table: dict[int, dict[State, dict[State, float]]] = {}  # by id of the transition table (jieba has one)


def _predecessors(trans_p: dict) -> dict[State, dict[State, float]]:
    """State -> the states it may follow, with the log probability of that transition."""
    if id(trans_p) not in _by_table:
        into: dict[State, dict[State, float]] = {}
        for before, following in trans_p.items():
            for state, probability in following.items():
                into.setdefault(state, {})[before] = probability
        _by_table[id(trans_p)] = into
    return _by_table[id(trans_p)]


def viterbi(obs: str, states: dict, start_p: dict, trans_p: dict, emit_p: dict) -> tuple[float, list[State]]:
    """The most probable state of each character of `obs`, with its log probability (jieba's signature)."""
    predecessors = _predecessors(trans_p)
    all_states = trans_p.keys()
    scores = {y: start_p[y] + emit_p[y].get(obs[0], MIN_FLOAT) for y in states.get(obs[0], all_states)}
    paths = [dict.fromkeys(scores, "")]
    for char in obs[1:]:
        expected = {y for x in scores for y in trans_p[x]}
        candidates = set(states.get(char, all_states)) & expected or expected or all_states
        now, path = {}, {}
        for y in candidates:
            emit = emit_p[y].get(char, MIN_FLOAT)
            now[y], path[y] = max((scores[y0] + p + emit, y0) for y0, p in predecessors[y].items() if y0 in scores)
        scores = now
        paths.append(path)
    probability, state = max((p, y) for y, p in scores.items())
    route: list[State] = [None] * len(obs)  # type: ignore[list-item]
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = paths[i][state]
    return probability, route
