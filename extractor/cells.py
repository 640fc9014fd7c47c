"""How a table cell reads: a number, a percentage, a blank or text.

A leaf module, like `cjk`: the readers tell text tables by it, the figures stage reads table facts by it and
the checks tell two-sided tables by it, so it belongs to none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from .cjk import to_halfwidth
from .memo import per_document, per_document_by_identity
from .patterns import lazy

if TYPE_CHECKING:
    from .records import Table

CellKind = Literal["number", "percent", "blank", "text"]
Grid = tuple[tuple[str, ...], ...]  # the text at each grid position of a table, by row and column

_NUMBER_CELL = lazy(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_PERCENT_CELL = lazy(r"[-+]?\d+(?:\.\d+)?\s*%")
_BLANK_CELL = {"", "-", "—", "——", "--", "－", "/", "\\", "…"}


@per_document  # a table's cells are told apart by the readers of its figures, its rows and its checks: ~8 times each
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


@per_document_by_identity  # a table's grid is read by the tables, table facts, fiscal and target form readers and the sums check
def table_grid(table: Table) -> Grid:
    """`Table.grid`, built once per table and document and shared: tuples, so no reader can change it."""
    return tuple(map(tuple, table.grid()))
