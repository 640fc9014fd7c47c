"""jieba's part-of-speech tagger (`jieba.posseg`), run on a model loaded from one per-machine cache file.

jieba keeps what it knows in three places: the word list (read line by line into a prefix dictionary, or
from its own cache of it, which marshal reads back a few bytes at a time), the tags of those words (read
line by line again when jieba.posseg is imported) and the tagging HMM (four Python modules of tables,
run at import). For a one-file `jixiao extract` that was a third of the run. Here all of it, with the
domain words added, is derived from the installed jieba once per machine and kept as one marshal file
(`machine_cache`); a later process reads that file in one go and imports no jieba at all.

The tagging is jieba's, step for step: the same segmentation of a sentence into blocks, the same route
through the word graph (`Tokenizer.get_DAG` and `calc`), the same decoding of unknown stretches by the
HMM, the same tags. The decoder looks at each state's possible predecessors only (jieba's scores every
state of the previous character against every state of this one, though each state can follow only about
30 of the 256); every score is the same sum in the same order and ties go to the same state, so the path
is identical. tests/test_labels.py checks words and tags against jieba's own tagger.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import marshal
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from math import inf, log
from pathlib import Path
from typing import Any, NamedTuple

from .. import machine_cache
from ..memo import per_document
from ..patterns import lazy

State = tuple[str, str]  # (B/M/E/S, part of speech)
MIN_FLOAT = -3.14e100  # jieba.posseg.viterbi's score of a character a state never emits
_FORMAT = 2  # the layout of the cached model: a change makes earlier cache files misses

# jieba.posseg's patterns; its two Chinese ones, re_han_detail "([\u4e00-\u9fd5]+)" and re_han_internal
# "([\u4e00-\u9fd5a-zA-Z0-9+#&\._]+)", as character tests (`_split_runs`): compiling a CJK range costs more than
# tagging a short document's labels
_SKIP_DETAIL = lazy(r"([\.0-9]+|[a-zA-Z0-9]+)")
_INTERNAL_MARKS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._")
_SKIP_INTERNAL = lazy(r"(\r\n|\s)")
_ENG = lazy("[a-zA-Z0-9]+")
_NUM = lazy(r"[\.0-9]+")


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fd5"


def _is_han_internal(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fd5" or char in _INTERNAL_MARKS


def _split_runs(text: str, inside: Callable[[str], bool]) -> list[str]:
    """`re.split("([…]+)", text)` for the character class `inside` tests: the stretches outside it and the runs
    of it, alternating, an outside stretch first and last (empty where a run starts or ends the text)."""
    parts: list[str] = []
    run = False
    for run, chars in groupby(text, inside):
        if run and not parts:
            parts.append("")  # the text starts with a run
        parts.append("".join(chars))
    if run or not parts:
        parts.append("")  # the text ends with a run, or is empty
    return parts


class Entry(NamedTuple):
    """What the model knows of one character: the words starting with it, and how the HMM sees it."""

    freq: dict[str, int]  # every word starting with it and every prefix of one (0: a prefix only)
    tags: dict[str, str]  # part of speech of each of those words
    states: tuple[State, ...] | None  # the HMM states it can take (None: any)
    emit: dict[State, float]  # log probability of each state emitting it


_NOTHING = Entry({}, {}, None, {})


class Model:
    """What the tagger knows: words with their frequencies and tags, and the tagging HMM. Kept by character,
    each character's part decoded when a text first asks for it: a report uses a few thousand of jieba's
    characters, and decoding every word and table at start cost ~30 ms a process."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.log_total: float = log(data["total"])
        self.start: dict[State, float] = data["start"]
        self.states: tuple[State, ...] = data["states"]  # in jieba's order, which decides ties
        self.predecessors: dict[State, dict[State, float]] = data["predecessors"]
        self._packed: dict[str, bytes] = data["chars"]
        self._entries: dict[str, Entry] = {}

    def entry(self, char: str) -> Entry:
        try:
            return self._entries[char]
        except KeyError:
            packed = self._packed.get(char)
            found = self._entries[char] = Entry(*marshal.loads(packed)) if packed is not None else _NOTHING
            return found

    def freq(self, word: str) -> int | None:
        return self.entry(word[0]).freq.get(word)

    def tag(self, word: str) -> str:
        return self.entry(word[0]).tags.get(word, "x")


def load(domain: str, names: Iterable[str], label_words: Iterable[str], common_words: int, frequency: int) -> Model:
    """The model over jieba's `common_words` most frequent words and the `domain` word list (lines "word freq
    tag"), with `names` added as nouns and `label_words` not yet known as particles, each at `frequency`:
    from the cache when it was derived before from the same words and the same jieba."""
    names, label_words = list(names), list(label_words)
    jieba_spec = importlib.util.find_spec("jieba")
    origin = Path(jieba_spec.origin) if jieba_spec and jieba_spec.origin else None
    installed = origin.stat() if origin else None
    key = machine_cache.digest(
        [
            str(_FORMAT),
            f"{origin}|{installed.st_size}|{installed.st_mtime_ns}" if installed else "",
            domain,
            "\n".join(names),
            "\n".join(label_words),
            f"{common_words}|{frequency}",
        ]
    )
    name = f"jieba-model-{key}.marshal"
    cached = machine_cache.read(name)
    if cached is not None:
        try:
            return Model(marshal.loads(cached))
        except (EOFError, ValueError, TypeError, KeyError):
            pass  # a corrupt file: derive the model again and rewrite it
    data = _derive(domain, names, label_words, common_words, frequency)
    machine_cache.write(name, marshal.dumps(data))
    return Model(data)


def word_list(domain: str, common_words: int, frequency: int) -> list[str]:
    """The dictionary the tagger runs on, as lines "word freq tag": jieba's `common_words` most frequent words,
    then the `domain` words at `frequency` (a later line wins). jieba's tagging HMM is slow on text made of
    unknown words, and a domain list alone leaves nearly all text unknown; the whole 350k-word default
    dictionary costs ~1 s to load. The most frequent words cover ordinary prose at a tenth of that."""
    jieba = _import_jieba()
    common = (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").splitlines()
    common.sort(key=lambda line: -int(line.split(" ")[1]))
    ours = [
        f"{word} {frequency} {tag}" for word, _, tag in (line.split() for line in domain.splitlines() if line.strip())
    ]
    return common[:common_words] + ours


def _derive(domain: str, names: list[str], label_words: list[str], common_words: int, frequency: int) -> dict:
    """The model from the installed jieba (~1 s: its 5 MB dictionary is read and sorted)."""
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading to stderr
    lines = word_list(domain, common_words, frequency)
    text = "\n".join(lines) + "\n"
    freq, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(text.encode("utf-8")))
    tags = {}
    for line in lines:  # as jieba.posseg reads the tags: a later line wins
        word, _, tag = line.split(" ")
        tags[word] = tag

    def add(word: str, tag: str) -> None:  # jieba.Tokenizer.add_word
        nonlocal total
        freq[word] = frequency
        total += frequency
        tags[word] = tag
        for end in range(1, len(word)):
            freq.setdefault(word[:end], 0)

    for word in names:
        add(word, "n")
    for word in label_words:
        if word not in freq:
            add(word, "u")
    posseg = _import_posseg(jieba, text)
    states = tuple(posseg.trans_P)
    predecessors: dict[State, dict[State, float]] = {}
    for before, following in posseg.trans_P.items():
        for state, probability in following.items():
            predecessors.setdefault(state, {})[before] = probability
    by_char: dict[str, tuple[dict, dict, Any, dict]] = {}

    def of(char: str) -> tuple[dict, dict, Any, dict]:
        return by_char.setdefault(char, ({}, {}, None, {}))

    for word, count in freq.items():
        of(word[0])[0][word] = count
    for word, tag in tags.items():
        of(word[0])[1][word] = tag
    for char, char_states in posseg.char_state_tab_P.items():
        words, char_tags, _, emit = of(char)
        by_char[char] = (words, char_tags, tuple(char_states), emit)
    for state, emitted in posseg.emit_P.items():
        for char, probability in emitted.items():
            of(char)[3][state] = probability
    return {
        "chars": {char: marshal.dumps(entry) for char, entry in by_char.items()},
        "total": total,
        "start": posseg.start_P,
        "states": states,
        "predecessors": predecessors,
    }


def _import_jieba() -> Any:
    """jieba, imported without pkg_resources: jieba reaches its data files through it when it can (a
    deprecated module that costs ~0.14 s to import) and reads them with plain open() when it cannot. Hidden
    only while jieba imports; anything else still gets it."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def _import_posseg(jieba: Any, words: str) -> Any:
    """jieba.posseg, for its HMM tables. Importing it builds a tagger for jieba's default tokenizer, which reads
    the tags of all 350k words of the default dictionary (~0.9 s): unless it is imported already, the default
    is first pointed at our word list `words` (jieba's public set_dictionary)."""
    if "jieba.posseg" not in sys.modules:
        key = machine_cache.digest([words])
        path = machine_cache.write(f"jieba-words-{key}.txt", words.encode("utf-8"))
        if path is not None:
            jieba.set_dictionary(str(path))
    from jieba import posseg  # (not `import jieba.posseg`: that rebinds the `jieba` argument)

    return posseg


@per_document  # a report's unknown stretches (县道, 安防 …) recur in the clauses of many figures
def decode(model: Model, obs: str) -> tuple[float, tuple[State, ...]]:
    """The most probable state of each character of `obs`, with its log probability (jieba.posseg.viterbi)."""
    all_states = model.states
    first = model.entry(obs[0])
    scores = {y: model.start[y] + first.emit.get(y, MIN_FLOAT) for y in first.states or all_states}
    paths: list[dict[State, Any]] = [dict.fromkeys(scores, "")]  # state -> the state before it ("" at the start)
    for char in obs[1:]:
        now: dict[State, float] = {}
        path: dict[State, State] = {}
        # the character's states that can follow a state of the one before; if none can, any state that can
        seen = model.entry(char)
        for group in (seen.states or all_states, all_states):
            for y in group:
                into = model.predecessors.get(y, {})
                if not into.keys().isdisjoint(scores):
                    emission = seen.emit.get(y, MIN_FLOAT)
                    # the max of (score, state) pairs, as jieba takes it, in a plain loop: a generator's resumptions
                    # cost a quarter of the decoding (the sums are the same, in the same order)
                    best, best_state = -inf, ("", "")  # every score is finite: the first beats -inf
                    for y0, p in into.items():
                        before = scores.get(y0)
                        if before is None:
                            continue
                        score = before + p + emission
                        if score > best or (score == best and y0 > best_state):
                            best, best_state = score, y0
                    now[y], path[y] = best, best_state
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


Token = tuple[str, str]  # (word, part of speech)


class Tagger:
    """jieba's POSTokenizer.cut (with its HMM) over `model`."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def cut(self, sentence: str) -> Iterator[Token]:
        for index, block in enumerate(_split_runs(sentence, _is_han_internal)):
            if not block:
                continue
            if index % 2:  # a run of re_han_internal
                yield from self._cut_words(block)
                continue
            for part in _SKIP_INTERNAL.split(block):
                if _SKIP_INTERNAL.match(part):
                    yield part, "x"
                    continue
                for char in part:
                    if _NUM.match(char):
                        yield char, "m"
                    elif _ENG.match(part):  # sic: jieba tests the whole part here
                        yield char, "eng"
                    else:
                        yield char, "x"

    def _route(self, sentence: str) -> list[int]:
        """The end of the best word starting at each character (jieba's get_DAG and calc)."""
        n = len(sentence)
        graph = []
        for k in range(n):
            freq = self.model.entry(sentence[k]).freq  # the words starting here
            ends = []
            i, fragment = k, sentence[k]
            while i < n and fragment in freq:
                if freq[fragment]:
                    ends.append(i)
                i += 1
                fragment = sentence[k : i + 1]
            graph.append((freq, ends or [k]))
        log_total = self.model.log_total
        scores = [0.0] * (n + 1)
        best = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            freq, ends = graph[k]
            if len(ends) == 1:  # most characters start one word only: its score, without a max over a generator
                x = ends[0]
                scores[k], best[k] = log(freq.get(sentence[k : x + 1]) or 1) - log_total + scores[x + 1], x
                continue
            scores[k], best[k] = max(
                (log(freq.get(sentence[k : x + 1]) or 1) - log_total + scores[x + 1], x) for x in ends
            )
        return best

    def _cut_words(self, sentence: str) -> Iterator[Token]:
        """jieba's __cut_DAG: dictionary words, and runs of single characters decoded by the HMM."""
        ends = self._route(sentence)
        x, buffer = 0, ""
        while x < len(sentence):
            y = ends[x] + 1
            word = sentence[x:y]
            if y - x == 1:
                buffer += word
            else:
                if buffer:
                    yield from self._flush(buffer)
                    buffer = ""
                yield word, self.model.tag(word)
            x = y
        if buffer:
            yield from self._flush(buffer)

    def _flush(self, buffer: str) -> Iterator[Token]:
        if len(buffer) == 1:
            yield buffer, self.model.tag(buffer)
        elif not self.model.freq(buffer):
            yield from self._cut_detail(buffer)
        else:
            for char in buffer:
                yield char, self.model.tag(char)

    def _cut_detail(self, sentence: str) -> Iterator[Token]:
        """jieba's __cut_detail: Chinese runs by the HMM, numbers and Latin letters as such."""
        for index, block in enumerate(_split_runs(sentence, _is_han)):
            if index % 2:  # a run of re_han_detail
                yield from self._decoded(block)
                continue
            for part in _SKIP_DETAIL.split(block):
                if part:
                    yield part, "m" if _NUM.match(part) else "eng" if _ENG.match(part) else "x"

    def _decoded(self, sentence: str) -> Iterator[Token]:
        """jieba's __cut: word boundaries and tags from the HMM path."""
        _, states = decode(self.model, sentence)
        begin, following = 0, 0
        for index, char in enumerate(sentence):
            position, tag = states[index]
            if position == "B":
                begin = index
            elif position == "E":
                yield sentence[begin : index + 1], tag
                following = index + 1
            elif position == "S":
                yield char, tag
                following = index + 1
        if following < len(sentence):
            yield sentence[following:], states[following][1]
