"""Word auto-numbering (numbering.xml) rendered as the labels a reader sees: 一、 （二） 1. ①.

The labels are not in the paragraph text of a .docx: Word computes them from counters while it
lays out the document. `NumberingDefinitions` is the parsed numbering part; `NumberingRenderer`
holds the counters (one set per abstractNum) and is advanced once per numbered paragraph, in
document order. Rules follow ECMA-376 Part 1 §17.9 and the numFmt list of §17.18.59.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from lxml import etree

from ..cjk import DIGITS, int_to_chinese
from ..patterns import lazy
from ..records import Numbering
from .ooxml import MC, W, int_val, is_on, val

LEVELS = 9  # w:ilvl 0..8

_TEN_STEMS = "甲乙丙丁戊己庚辛壬癸"
_TWELVE_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ENCLOSED_CIRCLE = "".join(chr(c) for c in range(0x2460, 0x2474))  # ① .. ⑳
_ENCLOSED_PAREN = "".join(chr(c) for c in range(0x2474, 0x2488))  # ⑴ .. ⒇
_ENCLOSED_FULLSTOP = "".join(chr(c) for c in range(0x2488, 0x249C))  # ⒈ .. ⒛
_IDEOGRAPH_ENCLOSED_CIRCLE = "".join(chr(c) for c in range(0x3280, 0x328A))  # ㊀ .. ㊉
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip
_PLACEHOLDER = lazy(r"%([1-9])")


def _from_sequence(sequence: str, number: int) -> str:
    """The number-th glyph of a finite sequence; Word falls back to Arabic digits past its end."""
    return sequence[number - 1] if 1 <= number <= len(sequence) else str(number)


def _digit_by_digit(number: int) -> str:
    # ideographDigital, and chineseCounting from 100 up: 一〇五 (Word writes 〇, not 零, here)
    return "".join(("〇" + DIGITS[1:])[int(d)] for d in str(number))


def _chinese_counting(number: int) -> str:
    """chineseCounting: 十一, 二十 below a hundred, digit by digit from there (一〇一) as Word does."""
    return int_to_chinese(number) if 0 < number < 100 else _digit_by_digit(number)


def _letters(number: int, alphabet: str) -> str:
    """Word repeats the letter past Z: 26 -> Z, 27 -> AA, 28 -> BB (not AB)."""
    if number < 1:
        return str(number)
    return alphabet[(number - 1) % 26] * ((number - 1) // 26 + 1)


def _roman(number: int) -> str:
    if number < 1:
        return str(number)
    out = []
    for value, numeral in _ROMAN:
        count, number = divmod(number, value)
        out.append(numeral * count)
    return "".join(out)


_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_FORMATTERS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(_FULLWIDTH_DIGITS),
    "decimalFullWidth2": lambda n: str(n).translate(_FULLWIDTH_DIGITS),
    "decimalEnclosedCircle": lambda n: _from_sequence(_ENCLOSED_CIRCLE, n),
    "decimalEnclosedCircleChinese": lambda n: _from_sequence(_ENCLOSED_CIRCLE, n),
    "decimalEnclosedParen": lambda n: _from_sequence(_ENCLOSED_PAREN, n),
    "decimalEnclosedFullstop": lambda n: _from_sequence(_ENCLOSED_FULLSTOP, n),
    "ideographEnclosedCircle": lambda n: _from_sequence(_IDEOGRAPH_ENCLOSED_CIRCLE, n),
    "chineseCounting": _chinese_counting,
    "japaneseCounting": _chinese_counting,
    "taiwaneseCounting": _chinese_counting,
    "chineseCountingThousand": int_to_chinese,
    "taiwaneseCountingThousand": int_to_chinese,
    "chineseLegalSimplified": lambda n: int_to_chinese(n, legal=True),
    "ideographDigital": _digit_by_digit,
    "taiwaneseDigital": _digit_by_digit,
    "ideographTraditional": lambda n: _from_sequence(_TEN_STEMS, n),
    "ideographZodiac": lambda n: _from_sequence(_TWELVE_BRANCHES, n),
    "upperLetter": lambda n: _letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": lambda n: _letters(n, "abcdefghijklmnopqrstuvwxyz"),
    "upperRoman": lambda n: _roman(n).upper(),
    "lowerRoman": _roman,
    "none": lambda n: "",
    "bullet": lambda n: "",  # the glyph is usually a Symbol/Wingdings private-use character: no number
}


@functools.cache
def format_number(number: int, num_fmt: str) -> str:
    """`number` written in the numFmt `num_fmt`; formats we do not know are written in Arabic digits."""
    if number < 0:
        return str(number)
    try:
        return _FORMATTERS.get(num_fmt, str)(number)
    except ValueError:  # int_to_chinese has no form for some inputs (0 in counting styles is fine)
        return str(number)


@dataclass(frozen=True)
class Level:
    """One w:lvl of an abstractNum (or of a num's lvlOverride)."""

    num_fmt: str = "decimal"
    text: str = ""  # w:lvlText, placeholders %1..%9
    start: int = 0  # ECMA-376: an omitted w:start means 0
    restart_after: int | None = None  # w:lvlRestart (1-based level; 0 = never restart); None = default
    legal: bool = False  # w:isLgl: every placeholder in Arabic digits
    suffix: str = "tab"  # w:suff: tab | space | nothing
    style_id: str | None = None  # w:pStyle: the paragraph style bound to this level

    def restarts_when(self, own_level: int, used_level: int) -> bool:
        """Whether using `used_level` (< own_level) resets this level's counter."""
        threshold = own_level  # default: any higher (earlier) level restarts it
        if self.restart_after is not None and self.restart_after <= own_level:
            threshold = self.restart_after  # 0 never restarts
        return used_level < threshold


@dataclass(frozen=True)
class Num:
    """A w:num: the abstractNum it instantiates, with its per-level overrides."""

    abstract_id: int
    overrides: dict[int, Level] = field(default_factory=dict)  # w:lvlOverride/w:lvl
    start_overrides: dict[int, int] = field(default_factory=dict)  # w:lvlOverride/w:startOverride


@dataclass(frozen=True)
class Label:
    """A rendered label and what Word puts between it and the paragraph text."""

    numbering: Numbering
    separator: str


def _num_fmt(lvl: etree._Element) -> str | None:
    found = lvl.find(W + "numFmt")
    if found is None:
        # Word 2010+ wraps custom formats ("001, 002, …") in mc:AlternateContent; take the fallback
        found = lvl.find(f"{MC}AlternateContent/{MC}Fallback/{W}numFmt")
    return val(found)


def _parse_level(lvl: etree._Element, base: Level = Level()) -> Level:
    return Level(
        num_fmt=_num_fmt(lvl) or base.num_fmt,
        text=val(lvl.find(W + "lvlText"), base.text),
        start=int_val(lvl.find(W + "start"), base.start),
        restart_after=int_val(lvl.find(W + "lvlRestart"), base.restart_after),
        legal=base.legal if (legal := is_on(lvl.find(W + "isLgl"))) is None else legal,
        suffix=val(lvl.find(W + "suff"), base.suffix),
        style_id=val(lvl.find(W + "pStyle"), base.style_id),
    )


def _id_attr(element: etree._Element, name: str) -> int | None:
    value = element.get(W + name, "")
    return int(value) if value.isdigit() else None


def _ilvl(element: etree._Element) -> int | None:
    """The w:ilvl attribute of a w:lvl or w:lvlOverride, if it names one of the nine levels."""
    value = _id_attr(element, "ilvl")
    return value if value is not None and value < LEVELS else None


class NumberingDefinitions:
    """The abstractNums and nums of numbering.xml, numStyleLinks resolved through `style_num_id`
    (the numId a numbering style carries, 0 for none; only the linked styles are asked)."""

    def __init__(self, root: etree._Element | None, style_num_id: Callable[[str], int] = lambda style_id: 0):
        self.abstracts: dict[int, dict[int, Level]] = {}
        self.nums: dict[int, Num] = {}
        style_links: dict[int, str] = {}  # abstractNum id -> numbering style it defers to
        for abstract in [] if root is None else root.iterfind(W + "abstractNum"):
            abstract_id = _id_attr(abstract, "abstractNumId")
            if abstract_id is None:
                continue  # a malformed definition numbers nothing; the rest of the document still reads
            levels = {}
            for lvl in abstract.iterfind(W + "lvl"):
                ilvl = _ilvl(lvl)
                if ilvl is not None:
                    levels[ilvl] = _parse_level(lvl)
            self.abstracts[abstract_id] = levels
            link = val(abstract.find(W + "numStyleLink"))
            if link:
                style_links[abstract_id] = link
        for num in [] if root is None else root.iterfind(W + "num"):
            num_id = _id_attr(num, "numId")
            if num_id is not None:
                self.nums[num_id] = self._parse_num(num)
        self._redirects = self._resolve_style_links(style_links, style_num_id)

    def _parse_num(self, num: etree._Element) -> Num:
        abstract_id = int_val(num.find(W + "abstractNumId"), -1)
        overrides, start_overrides = {}, {}
        for override in num.iterfind(W + "lvlOverride"):
            ilvl = _ilvl(override)
            if ilvl is None:
                continue
            start = int_val(override.find(W + "startOverride"))
            if start is not None:
                start_overrides[ilvl] = start
            lvl = override.find(W + "lvl")
            if lvl is not None:
                base = self.abstracts.get(abstract_id, {}).get(ilvl, Level())
                overrides[ilvl] = _parse_level(lvl, base)
        return Num(abstract_id, overrides, start_overrides)

    def _resolve_style_links(self, style_links: dict[int, str], style_num_id: Callable[[str], int]) -> dict[int, int]:
        """abstractNum -> the abstractNum holding its levels, for those with a w:numStyleLink."""
        redirects = {}
        for abstract_id, style_id in style_links.items():
            num = self.nums.get(style_num_id(style_id))
            if num is not None and num.abstract_id != abstract_id:
                redirects[abstract_id] = num.abstract_id
        return redirects

    def abstract_of(self, num_id: int) -> int | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        abstract_id = self._redirects.get(num.abstract_id, num.abstract_id)
        return abstract_id if abstract_id in self.abstracts else None

    def levels_of(self, num_id: int) -> dict[int, Level]:
        """The levels a paragraph of `num_id` is numbered with: the abstractNum's, overridden by the num."""
        abstract_id = self.abstract_of(num_id)
        if abstract_id is None:
            return {}
        num = self.nums[num_id]
        levels = self.abstracts[abstract_id] | num.overrides
        for ilvl, start in num.start_overrides.items():
            if ilvl in levels:
                levels[ilvl] = replace(levels[ilvl], start=start)
        return levels

    def level_for_style(self, num_id: int, style_id: str | None) -> int:
        """The level bound to `style_id` by a w:lvl/w:pStyle (how heading styles carry outline numbering), else 0."""
        for ilvl, level in self.levels_of(num_id).items():
            if style_id is not None and level.style_id == style_id:
                return ilvl
        return 0


class NumberingRenderer:
    """Counters of one document walk. Call `next_label` for each numbered paragraph in order."""

    def __init__(self, definitions: NumberingDefinitions):
        self.definitions = definitions
        self._levels: dict[int, dict[int, Level]] = {}  # cache of definitions.levels_of
        self._counters: dict[int, list[int | None]] = {}  # abstractNum id -> counter per level
        self._started: set[int] = set()  # nums already used once

    def next_label(self, num_id: int, ilvl: int) -> Label | None:
        """Advance the counter of (num_id, ilvl) and render its label; None where nothing is numbered."""
        abstract_id = self.definitions.abstract_of(num_id)
        if num_id not in self._levels:
            self._levels[num_id] = self.definitions.levels_of(num_id)
        levels = self._levels[num_id]
        if abstract_id is None or ilvl not in levels:
            return None
        counters = self._counters.setdefault(abstract_id, [None] * LEVELS)
        if num_id not in self._started:
            self._started.add(num_id)
            # a num with startOverride restarts the shared list ("restart numbering" in Word)
            for overridden in self.definitions.nums[num_id].start_overrides:
                counters[overridden] = None
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl].start if current is None else current + 1
        for deeper in range(ilvl + 1, LEVELS):
            level = levels.get(deeper)
            if level is None or level.restarts_when(deeper, ilvl):
                counters[deeper] = None
        level = levels[ilvl]
        label = self._render(level, levels, counters)
        separator = {"nothing": "", "space": " "}.get(level.suffix, " ")
        if not label or label[-1] in _SELF_SPACED:
            separator = ""
        return Label(Numbering(label=label, num_id=num_id, level=ilvl, format=level.num_fmt), separator)

    @staticmethod
    def _render(level: Level, levels: dict[int, Level], counters: list[int | None]) -> str:
        if level.num_fmt == "bullet":
            return ""

        def placeholder(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            source = levels.get(index)
            if source is None:
                return ""
            value = counters[index] if counters[index] is not None else source.start  # an unused level shows its start
            return format_number(value, "decimal" if level.legal and source.num_fmt != "none" else source.num_fmt)

        return _PLACEHOLDER.sub(placeholder, level.text)


# Labels ending in full-width punctuation carry their own spacing: Word's tab after "一、" shows as a
# gap a text reader does not write, so "一、单位基本情况" rather than "一、 单位基本情况".
_SELF_SPACED = set("、，。．：；）】」』〕》〉")
