"""Chinese numerals and character widths, both directions.

A leaf module: the Word numbering renderer writes numerals (3 -> 三), the heading grammar and the
figure parser read them (十三 -> 13, 一千二百 -> 1200).
"""

from __future__ import annotations

import unicodedata

DIGITS = "零一二三四五六七八九"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_DIGIT_VALUE = (
    {c: i for i, c in enumerate(DIGITS)}
    | {c: i for i, c in enumerate(LEGAL_DIGITS)}
    | {
        "〇": 0,
        "两": 2,
        "俩": 2,
    }
)
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

CHINESE_NUMERAL_CHARS = "".join(_DIGIT_VALUE) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)


def chinese_to_int(text: str) -> int:
    """`十三` -> 13, `一千二百` -> 1200, `二〇二四` -> 2024, `壹佰` -> 100. Raises ValueError if not a numeral."""
    if not text or any(c not in CHINESE_NUMERAL_CHARS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(c in _DIGIT_VALUE for c in text) and len(text) > 1:
        # digit-by-digit reading, as in years: 二〇二四
        return int("".join(str(_DIGIT_VALUE[c]) for c in text))
    total = 0  # completed 亿/万 groups
    section = 0  # current group below 万
    digit = None
    for char in text:
        if char in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[char]
        elif char in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[char]  # 十三: a bare 十 means 一十
            digit = None
        else:
            big = _BIG_UNITS[char]
            section += digit or 0
            total = (total + section) * big if big > total else total + section * big
            section, digit = 0, None
    return total + section + (digit or 0)


def int_to_chinese(number: int, legal: bool = False) -> str:
    """13 -> 十三 (counting style: a leading 一十 is written 十), 105 -> 一百零五, 20000 -> 二万."""
    if number < 0:
        raise ValueError("negative numbers have no counting form")
    digits = LEGAL_DIGITS if legal else DIGITS
    units = ("", "拾", "佰", "仟") if legal else ("", "十", "百", "千")
    if number == 0:
        return digits[0]

    def below_10000(n: int) -> str:
        out, zero_pending = "", False
        for power in (3, 2, 1, 0):
            d = n // 10**power % 10
            if d == 0:
                zero_pending = bool(out)
                continue
            if zero_pending:
                out += digits[0]
                zero_pending = False
            out += digits[d] + units[power]
        return out

    groups = []
    for big in ("", "万", "亿"):
        groups.append((number % 10_000, big))
        number //= 10_000
        if not number:
            break
    out = ""
    for value, big in reversed(groups):
        if value == 0:
            continue
        part = below_10000(value)
        if out and value < 1000:
            part = digits[0] + part
        out += part + (("萬" if legal and big == "万" else big) if big else "")
    if not legal and out.startswith("一十"):
        out = out[1:]
    return out


HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: " "}


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and ASCII punctuation to half-width; CJK characters untouched.

    NFKC would do this too but also rewrites ①, ㈠ and other characters we keep as they are.
    """
    return text.translate(HALFWIDTH)


def normalize_space(text: str) -> str:
    """Collapse every run of white space (ideographic space included) to one space, strip the ends."""
    return " ".join(unicodedata.normalize("NFC", text).replace("\u3000", " ").split())
