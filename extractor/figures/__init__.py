"""Figures: money facts, KPIs and self-evaluation tables as typed records with their source spans."""

from __future__ import annotations

from ..config import Config
from ..records import Document, DocumentKind, Section
from .facts import Figures, extract_figures
from .fiscal import extract_fiscal_tables

__all__ = ["Figures", "extract", "extract_fiscal_tables"]


def extract(document: Document, sections: list[Section], config: Config, kind: DocumentKind | None = None) -> Figures:
    """Every money figure, KPI and self-evaluation table of `document`, placed in `sections`, each figure in its
    context (the document's `kind` gives the basis of figures nothing else qualifies)."""
    return extract_figures(config, document, sections, kind)
