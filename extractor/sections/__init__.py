"""Sections: the numbered heading hierarchy of a document, repaired and mapped to a report template."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Document, Section


@dataclass
class Outline:
    sections: list[Section] = field(default_factory=list)
    template: str | None = None  # id of the template chosen for the document


def segment(document: Document) -> Outline:
    """Find the headings of `document`, give each its level, parent and canonical key."""
    from .hierarchy import build_outline

    return build_outline(document)
