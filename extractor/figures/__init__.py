"""Figures: money facts, KPIs and self-evaluation tables as typed records with their source spans."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Document, EvalTable, Fact, Kpi, Section


@dataclass
class Figures:
    facts: list[Fact] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    tables: list[EvalTable] = field(default_factory=list)
    department: str | None = None
    year: int | None = None


def extract(document: Document, sections: list[Section]) -> Figures:
    """Every money figure, KPI and self-evaluation table of `document`, placed in `sections`."""
    from .facts import extract_figures

    return extract_figures(document, sections)
