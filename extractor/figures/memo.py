"""The per-document memos, kept where the figures stage first needed them: see `extractor.memo`."""

from __future__ import annotations

from ..memo import one_document, per_document

__all__ = ["one_document", "per_document"]
