"""One document's `indicators` row as the store writes it (collection.py completes it over a batch)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..config import Config
from ..records import Record
from .departments import parse_name, region_in_text
from .indicators import document_indicators


def indicator_row(config: Config, record: Record, paragraphs: Iterable[str]) -> dict[str, Any]:
    """The flat `indicators` row of a record (without doc_id); `paragraphs` are its texts, where the region of a
    name printed without it is found. Department links are set later, over the whole batch."""
    row = document_indicators(config, record)
    name = parse_name(config, row.department) if row.department else None
    region = region_in_text(config, name, paragraphs) if name else ()
    flat: dict[str, Any] = {
        "path": row.path,
        "department": row.department,
        "department_id": None,
        "department_match": None,
        "department_candidates": [],
        "panel_primary": None,
        "region": "".join(region) or None,
        "year": row.year,
        "kind": row.kind,
        "conflicts": row.conflicts(),
    }
    for value in row.values.values():
        flat |= {value.key: value.value, f"{value.key}_source": value.source, f"{value.key}_page": value.page}
    return flat
