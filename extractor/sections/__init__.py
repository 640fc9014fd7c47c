"""Sections: the numbered heading hierarchy of a document, repaired and mapped to a report template."""

from __future__ import annotations

from ..config import Config
from ..records import Document
from .hierarchy import Outline, build_outline

__all__ = ["Outline", "segment"]


def segment(document: Document, config: Config) -> Outline:
    """Find the headings of `document`, give each its level, parent and canonical key."""
    return build_outline(config, document)
