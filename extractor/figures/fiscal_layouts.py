"""The layouts of the standard tables of a 部门决算 / 部门预算 (schemas/tables/fiscal.toml) as validated models.

Apart from the reading of the tables (`fiscal`): the rule set (`Config`) holds these, unpickled from a cached one
when first read, so that a process extracting a report of prose alone (no table) neither imports nor builds them.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..patterns import lazy
from ..records import FiscalShape

_IDENTITY = lazy(r"^\s*([\w.]+)\s*=\s*(.+)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # unbuilt while a cached Config is used


class ColumnSpec(_Strict):
    key: str
    headers: list[str]  # alternatives, each "segment/segment"
    panel: Literal["income", "expense"] | None = None


class Identity(_Strict):
    sum: str  # "a = b + c - d"
    unless: str | None = None  # a column whose presence makes the identity not apply
    when: str | None = None  # a column whose absence makes the identity not apply

    @property
    def total(self) -> str:
        return self._parsed()[0]

    @property
    def terms(self) -> list[tuple[int, str]]:
        return self._parsed()[1]

    def _parsed(self) -> tuple[str, list[tuple[int, str]]]:
        match = _IDENTITY.match(self.sum)
        if not match:
            raise ValueError(f"not an identity: {self.sum!r}")
        terms = re.findall(r"([+-]?)\s*([\w.]+)", match.group(2))
        return match.group(1), [(-1 if sign == "-" else 1, key) for sign, key in terms]


class TableLayout(_Strict):
    standard: str
    document_kind: Literal["final_accounts", "budget"]
    number: int = Field(ge=1, le=9)
    shape: FiscalShape
    titles: list[str]
    columns: list[ColumnSpec]
    identities: list[Identity] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _identity_strings(cls, data: dict) -> dict:
        data["identities"] = [{"sum": i} if isinstance(i, str) else i for i in data.get("identities", [])]
        return data

    @model_validator(mode="after")
    def _known_keys(self) -> TableLayout:
        keys = {column.key for column in self.columns}
        for identity in self.identities:
            unknown = ({identity.total} | {key for _, key in identity.terms}) - keys
            if unknown:
                raise ValueError(f"{self.standard}: identity {identity.sum!r} names unknown columns {sorted(unknown)}")
        return self


class FiscalLayouts(_Strict):
    placeholder_cells: list[str]
    blank_cells: list[str]
    total_labels: list[str]
    three_public_lines: dict[str, list[str]]
    three_public_bases: dict[Literal["budget", "final"], list[str]]
    title_lookback: int
    table: list[TableLayout]

    @model_validator(mode="after")
    def _unique(self) -> FiscalLayouts:
        seen: set[tuple[str, int] | str] = set()
        for layout in self.table:
            if (layout.document_kind, layout.number) in seen or layout.standard in {
                s for s in seen if isinstance(s, str)
            }:
                raise ValueError(f"fiscal.toml: {layout.standard} defined twice")
            seen |= {(layout.document_kind, layout.number), layout.standard}
        return self

    def by_standard(self, standard: str) -> TableLayout | None:
        return next((layout for layout in self.table if layout.standard == standard), None)
