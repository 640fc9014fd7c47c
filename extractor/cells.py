"""How a table cell reads: a number, a percentage, a blank or text.

A leaf module, like `cjk`: the readers tell text tables by it, the figures stage reads table facts by it and
the checks tell two-sided tables by it, so it belongs to none of them.
"""

from __future__ import annotations

from typing import Literal

from .cjk import to_halfwidth
from .patterns import lazy

CellKind = Literal["number", "percent", "blank", "text"]

_NUMBER_CELL = lazy(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_PERCENT_CELL = lazy(r"[-+]?\d+(?:\.\d+)?\s*%")
_BLANK_CELL = {"", "-", "—", "——", "--", "－", "/", "\\", "…"}


def cell_kind(text: str) -> CellKind:
    """ "number", "percent", "blank" or "text": how a table cell reads."""
    compact = to_halfwidth(text).replace(" ", "")
    if compact in _BLANK_CELL:
        return "blank"
    if _NUMBER_CELL.fullmatch(compact):
        return "number"
    if _PERCENT_CELL.fullmatch(compact):
        return "percent"
    return "text"
