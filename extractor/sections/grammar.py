"""Heading labels: the numbering a paragraph starts with (一、 （一） 1. （1） ① 第一部分 附件1 …).

`parse_label(text)` reads the label at the very start of a paragraph and returns its scheme, ordinal,
the label as printed and the title after it, or None when the text does not start with a label.
Only the start of a paragraph is ever read, so "分别是：1、办公室" has no label; figures that merely
look like labels ("2024年", "1.5万元", "1166.98万元", "10、20个") are refused.

Schemes, with the level GB/T 9704-2012 §7.3.3 gives them (`NATURAL_LEVEL`):
part 第X部分 (0), cn_dun 一、 (1), cn_paren （一） (2), ar_dot 1. 1、 (3), ar_paren （1） (4),
circled ① ⑴ (5), attachment 附件/附表 (outside the sequence).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..cjk import chinese_to_int, int_to_chinese, to_halfwidth
from ..patterns import gated, lazy

NATURAL_LEVEL = {"part": 0, "cn_dun": 1, "cn_paren": 2, "ar_dot": 3, "ar_paren": 4, "circled": 5}

_CN = "[一二三四五六七八九十]{1,3}"
_CN_LEGAL = "[壹贰叁肆伍陆柒捌玖拾]{1,3}"
_SPACE = r"[ \t\u3000\xa0]"

# Matched against the half-width form of the text (same length: to_halfwidth maps one char to one). Each compiles
# on first use; the rare part and attachment labels only for a text holding 部分 / 附.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("part", gated(["部分"], rf"第(?P<n>{_CN}|\d{{1,2}})部分(?P<d>[:、.]?)")),
    ("attachment", gated(["附"], rf"(?:附件|附表|附(?=:))(?P<n>{_CN}|\d{{1,2}})?(?P<d>[:、.]?)")),
    ("cn_paren", lazy(rf"\({_SPACE}*(?P<n>{_CN}){_SPACE}*\)(?P<d>[、.]?)")),
    ("cn_paren", lazy(r"(?P<c>[\u3220-\u3229])(?P<d>[、.]?)")),  # ㈠ … ㈩
    ("cn_dun", lazy(rf"(?P<n>{_CN}|{_CN_LEGAL})(?P<d>、|\.(?!\d)|{_SPACE}+(?=\S))")),
    ("ar_paren", lazy(rf"\({_SPACE}*(?P<n>\d{{1,2}}){_SPACE}*\)(?P<d>[、.]?)")),
    ("ar_dot", lazy(r"(?P<n>\d{1,2})(?P<d>、|\.(?!\d)|\))")),
    ("ar_dot", lazy(r"(?P<c>[\u2488-\u249b])")),  # ⒈ … ⒛
    ("circled", lazy(r"(?P<c>[\u2460-\u2473\u2474-\u2487])(?P<d>[、.]?)")),  # ① … ⑳, ⑴ … ⒇
]
# "1、2、3", "10、20个", "三、四月份": an enumeration of numbers, not a label and its title.
# A title may start with a year ("1、2024年…"), never with another bare number.
_NUMBER_LIST = lazy(r"\d+(?!\d|年)|[一二三四五六七八九十]+[、月]")
_ENCLOSED_RUNS = "\u3220\u2488\u2460\u2474"  # ㈠ ⒈ ① ⑴: the first character of each enclosed-numeral run
_SPACES = " \t\u3000\xa0"
_LABEL_SPAN = 16  # characters enough for any label and the start of its title
_TRAILING = "。.：:；;，,、" + _SPACES


class Label(NamedTuple):
    scheme: str  # see NATURAL_LEVEL, or "attachment"
    ordinal: int | None  # None only for a bare "附件：" / "附表"
    label: str  # as printed, spaces after it excluded: "一、", "（2）", "附件："
    title: str  # the text after the label, spaces stripped
    form: str  # the label's shape, numeral replaced: "C、" "（C）" "D." "(D)" "D．" "①" — for style comparisons


def parse_label(text: str) -> Label | None:
    """The label at the start of `text`, or None."""
    stripped = text.lstrip(_SPACES)
    half = to_halfwidth(stripped[:_LABEL_SPAN])
    for scheme, pattern in _PATTERNS:
        match = pattern.match(half)
        if not match:
            continue
        rest = stripped[match.end() :].lstrip(_SPACES)
        if scheme == "attachment":
            # "附件1" / "附件：" / a bare "附件" line; but "附件中的表格…" is prose
            bare = not match.group("n") and not match.group("d")
            if bare and rest and half[match.end()] not in _SPACES:
                continue
        elif _NUMBER_LIST.match(to_halfwidth(rest[:_LABEL_SPAN])):
            continue
        label = stripped[: match.end()].rstrip(_SPACES)
        ordinal, form = _numeral(label, match)
        return Label(scheme, ordinal, label, rest, form)
    return None


def _numeral(label: str, match: re.Match[str]) -> tuple[int | None, str]:
    """The ordinal and the form of the label: its numeral replaced by C (Chinese), D (digits) or, for an
    enclosed numeral such as ① or ⑴, by the first character of its Unicode run."""
    groups = match.groupdict()
    if groups.get("c"):
        code = ord(groups["c"])
        base = max(b for b in _ENCLOSED_RUNS if ord(b) <= code)
        start, end = match.span("c")
        return code - ord(base) + 1, _squeeze(label[:start] + base + label[end:])
    if not groups.get("n"):
        return None, _squeeze(label)
    numeral = groups["n"]
    start, end = match.span("n")
    kind = "D" if numeral.isdigit() else "C"
    ordinal = int(numeral) if numeral.isdigit() else chinese_to_int(numeral)
    return ordinal, _squeeze(label[:start] + kind + label[end:])


def _squeeze(form: str) -> str:
    return "".join(form.split())


def render_label(form: str, ordinal: int) -> str:
    """The label of shape `form` numbered `ordinal`: ("（C）", 2) -> "（二）", ("D、", 4) -> "4、"."""
    if "C" in form:
        return form.replace("C", int_to_chinese(ordinal), 1)
    if "D" in form:
        return form.replace("D", str(ordinal), 1)
    for base in _ENCLOSED_RUNS:
        if base in form:
            return form.replace(base, chr(ord(base) + ordinal - 1), 1)
    return form


def clean_title(title: str) -> str:
    """A title without trailing punctuation: "绩效评价目的。" -> "绩效评价目的"."""
    return title.rstrip(_TRAILING)
