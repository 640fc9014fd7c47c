"""Figures: money facts, KPIs and self-evaluation tables as typed records with their source spans.

The figure modules are imported when first used, not with the package: the rule set (`Config`) holds
`fiscal_layouts.FiscalLayouts`, so a process that reads them imports this package, and most (the batch's
writer, the review page, the exports) never extract a figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
    from ..records import Document, DocumentKind, Section
    from .facts import Figures

__all__ = ["extract"]


def extract(document: Document, sections: list[Section], config: Config, kind: DocumentKind | None = None) -> Figures:
    """Every money figure, KPI and self-evaluation table of `document`, placed in `sections`, each figure in its
    context (the document's `kind` gives the basis of figures nothing else qualifies)."""
    from .facts import extract_figures

    return extract_figures(config, document, sections, kind)
