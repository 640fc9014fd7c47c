"""The label of a figure (the short noun phrase naming what it measures) and its canonical key.

The label is read from the clause before the number (or, for "6个电子信息主导产业项目", after the
measure word), segmented by jieba so framing words are stripped as whole words only. jieba runs on a
private tagger over the domain lexicon and jieba's most frequent words (figures/hmm.py), its model read
from a per-machine cache: jieba's 5 MB default dictionary costs about a second per process, which a
one-file `jixiao extract` should not pay. Unknown stretches of text fall back to jieba's HMM, which is
good enough to find word boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..cjk import to_halfwidth
from ..config import Config, derived
from ..memo import per_document
from .numbers import clause_delimiters, clause_start, qualifier_before

if TYPE_CHECKING:
    from .hmm import Tagger

# Domain words must outweigh the pairs of very common characters they are made of (年 + 中 over 年中)
_DOMAIN_WORD_FREQUENCY = 100_000
_COMMON_WORDS = 30_000
_MAX_LABEL = 20  # characters; a longer clause keeps its tail, where the noun naming the figure stands
_QUOTES = "“”\"‘’'「」『』"
_WITHOUT_QUOTES = str.maketrans(dict.fromkeys(_QUOTES))
_CLASS_SUFFIXES = ("(类)", "(款)", "(项)")


@derived
def tokenizer(config: Config) -> Tagger:
    """jieba's part-of-speech tagger over jieba's most frequent words and the domain words (built once per
    Config, from its lexicon), its model read from a per-machine cache (figures/hmm.py): jieba's default
    tokenizer and its module globals are left as they are."""
    from .hmm import Tagger, load

    label_words = config.lexicon["label_words"]
    added = [w for w in label_words["leading"] + label_words["trailing"] + label_words["part_markers"] if len(w) > 1]
    model = load(config.jieba_words, key_by_name(config), added, _COMMON_WORDS, _DOMAIN_WORD_FREQUENCY)
    return Tagger(model)


def normalize_label(label: str) -> str:
    """The form labels are compared in: half-width, no quotes or spaces, no （类）/（款）/（项） suffix."""
    unquoted = "".join(to_halfwidth(label).translate(_WITHOUT_QUOTES).split())  # split(): at each white space
    return unquoted[:-3] if unquoted.endswith(_CLASS_SUFFIXES) else unquoted


@derived
def key_by_name(config: Config) -> dict[str, str]:
    """Every label variant of the lexicon (normalised) -> canonical key; fiscal terms win over class names."""
    keys: dict[str, str] = {}
    for entry in config.lexicon["functional_classes"]["class"]:
        keys.update({normalize_label(name): entry["code"] for name in entry["names"]})
    for term in config.lexicon["fiscal_terms"]["term"]:
        keys.update({normalize_label(name): term["key"] for name in term["names"]})
    return keys


@derived
def parts_of(config: Config) -> dict[str, str]:
    """Part key -> the key of the total it belongs to (基本支出 -> 支出, 人员经费 -> 基本支出 …), first listed wins."""
    totals: dict[str, str] = {}
    for term in config.lexicon["fiscal_terms"]["term"]:
        for part in term.get("parts", []):
            totals.setdefault(part, term["key"])
    return totals


@derived
def top_totals(config: Config) -> frozenset[str]:
    """Keys of grand totals (收入合计, 支出合计), never parts of a list."""
    return frozenset(term["key"] for term in config.lexicon["fiscal_terms"]["term"] if term.get("top"))


@derived
def department_keys(config: Config) -> frozenset[str]:
    """Keys of the whole department's quantities (收入, 支出, 结转和结余): not what a fund's section states."""
    return frozenset(term["key"] for term in config.lexicon["fiscal_terms"]["term"] if term.get("department"))


@derived
def fund_keys(config: Config) -> frozenset[str]:
    """Keys of the funds a report gives a section of its own (政府性基金预算 …)."""
    return frozenset(term["key"] for term in config.lexicon["fiscal_terms"]["term"] if term.get("fund"))


def canonical_key(config: Config, label: str | None) -> str | None:
    """The key a label names exactly, or None. "其他项目支出" (the rest of an enumeration) names 项目支出."""
    if not label:
        return None
    name = normalize_label(label)
    if name in key_by_name(config):
        return key_by_name(config)[name]
    for prefix in config.lexicon["label_words"]["residual_prefixes"]:
        rest = key_by_name(config).get(name.removeprefix(prefix)) if name.startswith(prefix) else None
        if rest in parts_of(config):
            return rest
    return None


Tokens = Sequence[tuple[str, str]]


@per_document  # the passes over a paragraph ask for the label of the same clause again and again
def _tokens(config: Config, text: str) -> Tokens:
    return tuple(tokenizer(config).cut(text))


_FRAME_FLAGS = {"m", "t", "d", "c", "u", "uj", "ul", "y"}  # numbers, time, adverbs, conjunctions, particles


def _is_frame(token: tuple[str, str]) -> bool:
    """A token that frames a figure rather than names it: a number, time word, adverb, particle or punctuation."""
    word, flag = token
    punctuation = not any(ch.isalnum() for ch in word) and not _is_quote(word)
    return flag in _FRAME_FLAGS or punctuation


def _strip(config: Config, tokens: Tokens) -> Tokens:
    words = config.lexicon["label_words"]
    leading, trailing = set(words["leading"]), set(words["trailing"])
    time, kept = re.compile(words["leading_time_pattern"]), re.compile(words["kept_head_pattern"])
    changed = True
    while tokens and changed:
        changed = False
        head = "".join(word for word, _ in tokens)
        if match := time.match(head):
            tokens = _drop_chars(tokens, match.end())
            changed = True
        while tokens and (tokens[0][0] in leading or _is_frame(tokens[0])):
            if kept.match("".join(word for word, _ in tokens)):
                break
            tokens, changed = tokens[1:], True
        if place := _place_name(config, tokens, leading):
            tokens, changed = tokens[place:], True
        while tokens and (tokens[-1][0] in trailing or _is_frame(tokens[-1])):
            tokens, changed = tokens[:-1], True
    return tokens


_PLACE_TOKENS = 3  # a place name is at most this many jieba tokens ("茂名/市鉴/江区")


def _place_name(config: Config, tokens: Tokens, leading: set[str]) -> int:
    """How many head tokens make a place name (jieba's tag ns, a suffix of the lexicon) that a leading word
    follows ("湘岳县" before 现有), else 0. "乡镇及村委满意度": 乡镇 is no name."""
    suffixes = tuple(config.lexicon["label_words"]["place_suffixes"])
    name = ""
    for count, (word, flag) in enumerate(tokens[:_PLACE_TOKENS], 1):
        name += word
        named = flag == "ns" and name.endswith(suffixes)
        if named and count < len(tokens) and tokens[count][0] in leading:
            return count
    return 0


def _is_quote(word: str) -> bool:
    return len(word) == 1 and word in _QUOTES


def _drop_chars(tokens: Tokens, count: int) -> Tokens:
    """`tokens` without their first `count` characters (a token cut in two keeps its remainder)."""
    while tokens and count >= len(tokens[0][0]):
        count -= len(tokens[0][0])
        tokens = tokens[1:]
    if tokens and count:
        tokens = [(tokens[0][0][count:], tokens[0][1]), *tokens[1:]]
    return tokens


def _balance_quotes(label: str) -> str:
    """Drop a quote mark left open at either end by the clause cut ("“三公" -> "三公")."""
    if label[:1] in "“‘" and not any(c in label for c in "”’"):
        label = label[1:]
    if label[-1:] in "”’" and not any(c in label for c in "“‘"):
        label = label[:-1]
    return label


def _join(tokens: Tokens) -> str | None:
    label = _balance_quotes("".join(word for word, _ in tokens).strip())
    while len(label) > _MAX_LABEL and len(tokens) > 1:
        tokens = tokens[1:]
        label = _balance_quotes("".join(word for word, _ in tokens).strip())
    return label or None


def label_before(config: Config, text: str, start: int) -> str | None:
    """What the figure starting at `start` measures, from the clause before it:
    "2024年度部门决算收入为1166.98万元" -> "部门决算收入"."""
    begin = clause_start(config, text, start)
    end = start
    qualifier = qualifier_before(config, text, end)
    if qualifier:
        end -= len(qualifier)
    if end <= begin:
        return None
    if text.endswith("等", begin, end):
        return _list_subject(config, text, begin, end)
    # a label keeps at most the clause's last _MAX_LABEL characters; jieba's tagger is slow on long text
    begin = max(begin, end - 2 * _MAX_LABEL)
    return _label_of(config, text[begin:end])


@per_document  # clauses recur from figure to figure (本年度收入合计, 其中：财政拨款收入)
def _label_of(config: Config, clause: str) -> str | None:
    """The label a clause before a figure gives: its words, framing stripped."""
    return _join(_strip(config, _after_examples(_tokens(config, clause))))


def label_and_estimate(config: Config, text: str, start: int) -> tuple[str | None, str | None]:
    """The label before the figure at `start` and the estimate word heading it: "预计成交订单280万美元" ->
    (成交订单, 预计); an estimate is approximate, like 约."""
    label = label_before(config, text, start)
    estimates = config.lexicon["units"]["qualifiers"]["heading"]
    if not label or not label.startswith(tuple(estimates)):
        return label, None  # the first token is a start of the label: no need to tag it to know
    tokens = _tokens(config, label)
    if len(tokens) > 1 and tokens[0][0] in estimates:
        return _join(_strip(config, tokens[1:])), tokens[0][0]
    return label, None


def _list_subject(config: Config, text: str, begin: int, end: int) -> str | None:
    """ "重点在谈项目有海信日立、天璐纺织、壬达五金等75家": examples ending in 等 right before the figure; what it
    counts is named before the list, ahead of the word introducing it (有, 包括, 如 …); else the list itself
    counts it ("开展培训、宣讲、走访等30次")."""
    while begin and text[begin - 1] == "、":  # back over the examples to the clause the list stands in
        begin = clause_start(config, text, begin - 1)
    tokens = _tokens(config, text[begin:end])
    first_example = next((i for i, (word, _) in enumerate(tokens) if word == "、"), len(tokens))
    intros = config.lexicon["label_words"]["list_intros"]
    intro = max((i for i, (word, _) in enumerate(tokens[:first_example]) if word in intros), default=None)
    return _join(_strip(config, tokens[:intro] if intro else tokens))


def _after_examples(tokens: Tokens) -> Tokens:
    """ "…、山东等地开展招商考察20（批）次", "…、政策解读短视频等宣传资料2000余份": the words before 等 are the last
    examples of a list cut at 、; what the figure counts is named after it (开展招商考察, 宣传资料)."""
    cut = max((i for i, (word, _) in enumerate(tokens) if word == "等"), default=None)
    if cut is None or cut == len(tokens) - 1:
        return tokens
    rest = tokens[cut + 1 :]
    if rest[0][0] in ("地", "方面"):  # 等地, 等方面
        rest = rest[1:]
    return rest if any(flag.startswith(("n", "v")) for _, flag in rest) else tokens


def label_after(config: Config, text: str, end: int) -> str | None:
    """The noun phrase right after a count's measure word ("6个电子信息主导产业项目落户" -> "电子信息主导产业项目"),
    or None when a verb or a clause break follows."""
    tokens: list[tuple[str, str]] = []
    for word, flag in _tokens(config, text[end : _clause_end(config, text, end)]):
        # a verb ends the phrase once it has begun ("项目落户"); inside a modifier ("内设机构") it does not
        verb = _is_verb((word, flag))
        if (
            verb
            and (not tokens or any(f.startswith("n") for _, f in tokens))
            or word in config.lexicon["label_words"]["trailing"]
        ):
            break
        tokens.append((word, flag))
    while tokens and not tokens[-1][1].startswith("n") and not _is_quote(tokens[-1][0]):
        tokens.pop()
    return _join(tokens) if tokens else None


def _is_verb(token: tuple[str, str]) -> bool:
    return token[1].startswith("v") and token[1] != "vn"


def with_object_of(config: Config, first: str, label: str) -> str:
    """The label of a count whose clause holds only a verb, after a count labelled `first` ("县域商业建设行动项目入库
    12个、扩充3个"): the verb takes the object of the first's verb (县域商业建设行动项目扩充)."""
    verb, head = _tokens(config, label), _tokens(config, first)
    if len(verb) == 1 and _is_verb(verb[0]) and len(head) > 1 and _is_verb(head[-1]):
        return "".join(word for word, _ in head[:-1]) + label
    return label


def verb_after(config: Config, text: str, end: int) -> str | None:
    """ "超15万人次观赏，": a lone verb closing the clause after a count names what is counted."""
    tokens = _tokens(config, text[end : _clause_end(config, text, end)])
    verb = len(tokens) == 1 and tokens[0][1].startswith("v")
    return tokens[0][0] if verb else None


def _clause_end(config: Config, text: str, end: int) -> int:
    """Where the clause from `end` on stops: its next delimiter, at most 2 * _MAX_LABEL characters on."""
    return min(clause_delimiters(config, text).next(end), len(text), end + 2 * _MAX_LABEL)


def split_subjects(label: str) -> list[str]:
    """ "人员经费和公用经费" -> the two things a 分别 list gives figures for."""
    return [part for part in re.split(r"[、和及与]", label) if part]
