"""Numbers as printed in Chinese prose: numerals, money units, qualifiers, ranges, lists and changes.

Pure functions over one string. Every offset indexes the string the caller passed: `normalize` maps
full-width digits and points to half-width one character for one, so spans found on the normalised
copy hold for the original. Values are `Decimal` as printed (separators removed, trailing zeros kept).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..cjk import HALFWIDTH, chinese_to_int
from ..config import Config, derived
from ..memo import per_document
from ..patterns import gated, lazy, longest_first, offsets_of
from ..records import Change


@per_document  # each pass over a paragraph (money, changes, lists, KPIs, zeros) reads it normalised
def normalize(text: str) -> str:
    """Half-width digits, points, signs and %, character for character (offsets stay valid); the
    ideographic comma "，" stays a clause break except between full-width digits, where it groups
    thousands ("１２，３４５")."""
    normalized = _GROUPING_COMMA.sub(",", text).translate(_NORMALIZE)
    # the text itself when nothing changed: memos keyed by a paragraph then find it by identity, where an equal
    # copy costs a comparison of the whole paragraph at every lookup (quadratic in a long one)
    return text if normalized == text else normalized


_GROUPING_COMMA = lazy("(?<=[０-９])，(?=[０-９])")
_NORMALIZE = {code: half for code, half in HALFWIDTH.items() if code != ord("，")} | {ord("−"): "-"}


# A thousands separator groups exactly three digits; "1 166.98" (a PDF's thousands space) only before a unit.
ARABIC = (
    r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?"
    r"|\d{1,3}(?:[ ]\d{3})+(?:\.\d+)?(?=\s?[万亿千元美])"
    r"|\d+(?:\.\d+)?)"
)
CHINESE = "(?<!第)[零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾][零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億]*"
NUMERAL = f"(?:{ARABIC}|{CHINESE})"
# where a numeral (or a minus sign, or 百分之) can start: the one character every figure, rate and count pattern
# begins its match with; a digit only where ARABIC's own look-behind lets a number start (not inside one)
_FIGURE_START = lazy(r"(?<![\d.])\d|[-百零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾]")


def figures_in(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """`pattern.finditer(text)` for a pattern whose every match starts as `_FIGURE_START` says, tried only where
    such a character stands: the engine trying a long pattern at every character of the prose costs several
    times more than the search for the few places where a number starts. Lookbehinds still see the text
    before (`match` at a position, not on a slice)."""
    position = 0
    while found := _FIGURE_START.search(text, position):
        match = pattern.match(text, found.start())
        if match is None:
            position = found.start() + 1
            continue
        yield match
        position = max(match.end(), found.start() + 1)


_MAGNITUDES = "万亿千萬億"


def parse_numeral(raw: str) -> tuple[Decimal, int]:
    """Value and printed decimals of one numeral: "1,234.50" -> (1234.50, 2), "十三" -> (13, 0)."""
    if raw[0].isdigit():
        digits = raw.replace(",", "").replace(" ", "")
        return Decimal(digits), len(digits.partition(".")[2])
    return Decimal(chinese_to_int(raw)), 0


@dataclass
class Money:
    """A sum of money as printed. `list_id` is shared by the figures of one list whose unit is printed once."""

    value: Decimal
    unit: str
    currency: Literal["CNY", "USD"]
    amount: Decimal
    decimals: int
    start: int
    end: int
    value_max: Decimal | None = None
    qualifier: str | None = None
    list_id: int | None = None
    rate: str | None = None  # "元/人" …: a price or standard, not an amount
    label_end: int | None = None  # where the label of a rate ends: before its "每…" ("按每生每天5元")


@derived
def _money_pattern(config: Config) -> re.Pattern:
    units = config.lexicon["units"]
    qualifiers = units["qualifiers"]
    return re.compile(
        rf"""(?P<neg>(?<![\dA-Za-z.])-)?(?P<num>{NUMERAL})(?P<inside>{longest_first(qualifiers["inside"])})?
        (?:\s*(?:-|~|～|至|到|—{{1,2}})\s*(?P<num2>{NUMERAL}))?
        \s?(?P<mag>[万亿千])?(?P<inside2>{longest_first(qualifiers["inside"])})?(?P<cur>美元|元)?
        (?P<after>{longest_first(qualifiers["after"])})?""",
        re.X,
    )


def _split_magnitude(raw: str) -> tuple[str, str | None]:
    """ "一千二百万" -> ("一千二百", "万"): a Chinese numeral ending in 万/亿 before 元 prints its unit inside it."""
    if raw and not raw[0].isdigit() and raw[-1] in _MAGNITUDES and len(raw) > 1:
        return raw[:-1], {"萬": "万", "億": "亿"}.get(raw[-1], raw[-1])
    return raw, None


@derived
def _qualifiers_before(config: Config) -> tuple[frozenset[str], tuple[int, ...]]:
    """The approximation words, and their lengths, longest first."""
    words = frozenset(config.lexicon["units"]["qualifiers"]["before"])
    return words, tuple(sorted({len(word) for word in words}, reverse=True))


def qualifier_before(config: Config, text: str, start: int) -> str | None:
    """The approximation word printed right before a number ("超4000万元" -> 超), the longest one that fits
    (超过 over 超): a look-up per length, not a test per word, as every figure asks."""
    words, lengths = _qualifiers_before(config)
    for length in lengths:
        if length <= start and text[start - length : start] in words:
            return text[start - length : start]
    return None


_SHORT_BRACKET = lazy(r"[（(][^（）()，。；]{1,4}[)）]")
_SHORT_BRACKET_SPAN = 6  # characters at most
# How far back a clause or sentence is looked for: no clause is longer, and an unbounded look back from
# every figure of a paragraph with no line break (a 1 MB page pasted as one line) is quadratic time.
LOOK_BACK = 1000


class Marks:
    """Where any of some marks (sentence ends, brackets) stand in one text, in order: the next or the last one
    from a position is a bisection, not a scan (a scan from every figure of a long paragraph is quadratic)."""

    def __init__(self, text: str, marks: str) -> None:
        self.length = len(text)
        self.offsets = offsets_of(text, marks)

    def next(self, position: int) -> int:
        """The offset of the first mark at or after `position`, else the text's length."""
        index = bisect_left(self.offsets, position)
        return self.offsets[index] if index < len(self.offsets) else self.length

    def last(self, start: int, end: int) -> int:
        """The offset of the last mark in text[start:end], else -1."""
        index = bisect_left(self.offsets, end) - 1
        return self.offsets[index] if index >= 0 and self.offsets[index] >= start else -1

    def count(self, start: int, end: int) -> int:
        """How many marks text[start:end] holds."""
        return bisect_left(self.offsets, end) - bisect_left(self.offsets, start)


@per_document  # every figure of a paragraph asks where its clause starts
def clause_delimiters(config: Config, text: str) -> Marks:
    return Marks(text, config.lexicon["label_words"]["clause_delimiters"])


def clause_start(config: Config, text: str, position: int) -> int:
    """Where the clause holding `position` begins (after the last ，。；（ etc.). A short bracket inside a name
    ("因公出国（境）费") does not break it."""
    return _clause_start(text, position, clause_delimiters(config, text))


def _clause_start(text: str, position: int, delimiters: Marks) -> int:
    window = max(0, position - LOOK_BACK)
    end = position
    while True:  # from the nearest delimiter back, not masking the whole window: this runs for every figure
        found = delimiters.last(window, end)
        if found < 0:
            return window
        # short brackets hold no bracket: only the nearest opening one at or before the delimiter can hold it
        lower = max(window, found - _SHORT_BRACKET_SPAN + 1)
        opening = max(text.rfind("（", lower, found + 1), text.rfind("(", lower, found + 1))
        match = _SHORT_BRACKET.match(text, opening, position) if opening >= 0 else None
        if match is None or match.end() <= found:
            return found + 1
        end = opening


def inside_bracket(text: str, position: int, stops: str = "") -> bool:
    """Whether `position` stands inside a bracket opened before it (and after the last of `stops`, if any):
    "收入合计86.42亿元（县本级61.05亿元…）" — 61.05 is an aside of the figure before the bracket."""
    depth = 0
    # no further back than a clause reaches: from every figure to the paragraph's start is quadratic; and from
    # mark to mark (str.rfind), not character by character
    lower, marks = max(0, position - LOOK_BACK), "（()）" + stops
    while True:
        position = max(text.rfind(mark, lower, position) for mark in marks)
        if position < 0:
            return False
        char = text[position]
        if char in "）)":
            depth += 1
        elif char in "（(":
            if depth == 0:
                return True
            depth -= 1
        else:
            return False  # one of `stops`


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@derived
def _list_item_pattern(config: Config) -> re.Pattern:
    inside = longest_first(config.lexicon["units"]["qualifiers"]["inside"])
    return re.compile(rf"(?P<num>{ARABIC})(?P<inside>{inside})?\s*(?P<sep>[、,，和及与])\s*$")


def _may_end_list_item(config: Config, text: str, position: int) -> bool:
    """Whether text[:position] can end as `_list_item_pattern` asks (a digit, maybe an inside qualifier, a
    separator, spaces): a test of the last characters that spares most figures the regex search, which tries
    every start of its window."""
    end = position
    while end and text[end - 1].isspace():
        end -= 1
    if not end or text[end - 1] not in _LIST_SEPARATORS:
        return False
    end -= 1
    while end and text[end - 1].isspace():
        end -= 1
    return bool(end) and (text[end - 1].isdigit() or text.endswith(_inside_qualifiers(config), 0, end))


_LIST_SEPARATORS = "、,，和及与"


@derived
def _inside_qualifiers(config: Config) -> tuple[str, ...]:
    return tuple(config.lexicon["units"]["qualifiers"]["inside"])


_LIST_INTRO = lazy(r"(?:分别|各)(?:为|是|有|占|达|占比)?[^，。；\d]{0,12}[:：]?\s*$")


def list_before(config: Config, text: str, start: int) -> list[tuple[int, int, str | None]]:
    """Bare numbers that share the unit of the figure at `start`: "分别为503.64、32.52万元" -> the span of 503.64.

    Returned as (start, end, inside qualifier), nearest last. A full-width "，" joins items only after 分别/各
    ("收、支总计各是1532.07，1560.18万元"); elsewhere it ends a clause.
    """
    items: list[tuple[int, int, str | None, str]] = []
    position = start
    while _may_end_list_item(config, text, position):
        window = max(0, position - 40)
        match = _list_item_pattern(config).search(text[window:position])
        if not match:
            break
        items.append((window + match.start("num"), window + match.end("num"), match["inside"], match["sep"]))
        position = window + match.start("num")
    if any(sep == "，" for *_, sep in items) and not _LIST_INTRO.search(text, 0, items[-1][0]):
        cut = next(i for i, (*_, sep) in enumerate(items) if sep == "，")
        items = items[:cut]
    return [(s, e, q) for s, e, q, _ in reversed(items)]


def _context_hints_money(config: Config, text: str, start: int) -> bool:
    clause = text[clause_start(config, text, start) : start]
    return any(hint in clause for hint in config.lexicon["units"]["context"]["bare_unit_hints"])


def _money_unit(config: Config, match: re.Match, text: str) -> tuple[str, str, str | None] | None:
    """(unit, raw numeral without a unit folded into it, raw upper bound) or None when the figure is not money."""
    raw, folded = _split_magnitude(match["num2"] or match["num"])
    magnitude = match["mag"] or folded
    if folded and match["mag"]:
        return None  # "一万万元": not a way amounts are written
    if match["cur"]:
        return (magnitude or "") + match["cur"], *_bounds(match, raw)
    bare = config.lexicon["units"]["bare"].get(magnitude or "")
    following = text[match.end() : match.end() + 1]
    if (
        bare
        and not (following and (_is_cjk(following) or following.isalnum()))
        and _context_hints_money(config, text, match.start())
    ):
        return bare, *_bounds(match, raw)
    return None


def _bounds(match: re.Match, upper_raw: str) -> tuple[str, str | None]:
    if match["num2"]:
        lower, _ = _split_magnitude(match["num"])
        return lower, upper_raw
    return upper_raw, None


def find_money(config: Config, text: str) -> list[Money]:
    """Every sum of money printed in `text`, in order, each with its own unit (a list's shared unit included)."""
    norm = normalize(text)
    units = config.lexicon["units"]
    found: list[Money] = []
    for match in figures_in(_money_pattern(config), norm):
        resolved = _money_unit(config, match, norm)
        if not resolved:
            continue
        unit, raw, raw_max = resolved
        value, decimals = parse_numeral(raw)
        value_max = parse_numeral(raw_max)[0] if raw_max else None
        if value_max is not None and value_max < value:
            continue  # "0737-4221234元" is no range
        if match["neg"]:
            value = -value
        start = match.start()
        qualifier = qualifier_before(config, norm, start)
        if qualifier and not match["neg"]:
            start -= len(qualifier)
        qualifier = qualifier or match["inside"] or match["inside2"] or match["after"]
        end = match.end()
        rate, rate_after, label_end = _rate(config, norm, match.start(), end, unit) or (None, 0, None)
        end += rate_after
        spec = units["money"][unit]
        figure = Money(
            value=value,
            value_max=value_max,
            unit=unit,
            currency=spec["currency"],
            amount=value * Decimal(spec["factor"]),
            decimals=decimals,
            start=start,
            end=end,
            qualifier=qualifier,
            rate=rate,
            label_end=label_end,
        )
        shared = list_before(config, norm, start)
        if shared:
            figure.list_id = shared[0][0]
        for item_start, item_end, inside in shared:
            item_value, item_decimals = parse_numeral(norm[item_start:item_end])
            found.append(
                Money(
                    value=item_value,
                    unit=unit,
                    currency=figure.currency,
                    amount=item_value * Decimal(spec["factor"]),
                    decimals=item_decimals,
                    start=item_start,
                    end=item_end + len(inside or ""),
                    qualifier=inside,
                    list_id=figure.list_id,
                    rate=rate,
                )
            )
        found.append(figure)
    return found


@derived
def _rate_words(config: Config) -> tuple[tuple[str, ...], re.Pattern, tuple[str, ...], re.Pattern]:
    """What a rate printed after its figure starts with and the pattern reading it ("/人", "每吨"); the words one
    of which a rate printed before it holds and the pattern reading that ("每生每天", "亩均投入约"). Each pattern is
    compiled when a figure first has such a word next to it: few documents print rates, and the CJK ranges of the
    two cost more to compile than a short document's analysis."""
    context = config.lexicon["units"]["context"]
    after = tuple(context["rate_after"])
    return (
        after,
        lazy(rf"(?:{longest_first(after)})[\u4e00-\u9fff]{{1,4}}(?:/[\u4e00-\u9fff]{{1,2}})?"),
        tuple(context["rate_before_marks"]),
        lazy(context["rate_before_pattern"]),
    )


def _rate(config: Config, text: str, start: int, end: int, unit: str) -> tuple[str, int, int | None] | None:
    """A money rate: its unit, how many characters of it follow the figure, and where a "每…" printed before
    the figure begins (the label ends there). "800元/人" -> 元/人; "每生每天5元" -> 元/生·天; "每公里每年1.8万元"
    -> 万元/公里·年; "亩均投入约3000元" -> 元/亩. None for an amount."""
    after_words, after_pattern, before_marks, before_pattern = _rate_words(config)
    after = after_pattern.match(text, end) if text.startswith(after_words, end) else None
    if after:
        return unit + after.group(0).replace("每", "/"), len(after.group(0)), None
    begin = clause_start(config, text, start)
    marked = any(text.find(mark, begin, start) >= 0 for mark in before_marks)
    before = before_pattern.search(text, begin, start) if marked else None
    if not before:
        return None
    printed = before.group(0)
    if printed.startswith("每"):
        return unit + "/" + "·".join(part for part in printed.split("每") if part), 0, before.start()
    return unit + "/" + printed[0], 0, None  # "亩均投入": the label keeps its 亩均


_ZERO = lazy(r"(?:为|是|[:：])\s*(?P<zero>0(?:\.0+)?)(?![\d.%])(?=\s*(?:[，。；;,、）)]|$))")


def find_zero_statements(text: str) -> list[tuple[int, int, int]]:
    """Zeros printed without a unit ("“三公”经费支出为0"): (start, end, decimals). The caller decides from the
    label whether it is money and takes the unit from the context."""
    return [(m.start("zero"), m.end("zero"), len(m["zero"].partition(".")[2])) for m in _ZERO.finditer(normalize(text))]


@derived
def _change_pattern(config: Config) -> re.Pattern:
    words = config.lexicon["label_words"]
    verb_words = words["change_up"] + words["change_down"] + words["change_flat"]
    verbs = longest_first(verb_words)
    bases = "|".join([*words["comparison_base_patterns"], longest_first(words["comparison_bases"])])
    return gated(  # a change states its verb: a figure with none after it is no change
        verb_words,
        rf"""\s*[，,]?\s*(?P<basis>{bases})(?P<verb>{verbs})了?
        (?:(?P<amount>{ARABIC})\s?(?P<unit>万元|亿元|千元|元|万美元|美元|%))?
        (?:\s*[，,]\s*(?:{bases})?(?P<verb2>{verbs})了?(?P<percent>{ARABIC})%)?""",
        re.X,
    )


def direction(config: Config, verb: str) -> Literal["up", "down", "flat"]:
    words = config.lexicon["label_words"]
    if verb in words["change_flat"]:
        return "flat"
    return "up" if verb in words["change_up"] else "down"


def find_change(config: Config, text: str, position: int) -> tuple[Change, int] | None:
    """The comparison printed right after a figure ending at `position` ("，同比增加12.5万元，增长3.2%"),
    with the offset where it ends. Its numbers belong to the change, not to the figures of the text."""
    match = _change_pattern(config).match(normalize(text), position)
    if not match:
        return None
    change = Change(basis=match["basis"], direction=direction(config, match["verb"]))
    if match["amount"]:
        amount = parse_numeral(match["amount"])[0]
        if match["unit"] == "%":
            change.percent = amount
        else:
            change.amount, change.unit = amount, match["unit"]
    if match["percent"]:
        change.percent = parse_numeral(match["percent"])[0]
    return change, match.end()


_LIST_JOIN = lazy(r"\s*[、,和及与]\s*")


def link_lists(items: list, text: str) -> None:
    """Give figures printed as one list ("82.72%、37.03%、51.89%", "67家汽车企业、117家家电企业") a shared
    `list_id` (the start of the first); a full-width "，" joins only after 分别/各. `items` are in text order and
    have `start`, `end`, `list_id` and may have `tail`, the end of a label printed after the value."""
    norm = normalize(text)
    for previous, item in zip(items, items[1:]):
        gap = norm[getattr(previous, "tail", previous.end) : item.start]
        joined = _LIST_JOIN.fullmatch(gap) or (
            gap.strip() == "，" and _LIST_INTRO.search(norm, 0, (previous.list_id or previous.start))
        )
        if joined and item.list_id is None:
            previous.list_id = previous.list_id if previous.list_id is not None else previous.start
            item.list_id = previous.list_id
