"""Checks: findings about a record, like a linter's. Checks read records, never files."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Document, Finding, Record
from .engine import Selection


@dataclass
class CheckOptions:
    selection: Selection = field(default_factory=Selection)
    rounding: str = "round"  # "round" (四舍五入, the default) or "truncate", for issuers that truncate


def run(record: Record, document: Document, options: CheckOptions | None = None) -> list[Finding]:
    """Every finding of every check on `record`, filtered by the user's selection, in document order."""
    from .runner import run_all

    options = options or CheckOptions()
    findings = [f for f in run_all(record, document, options) if options.selection.keeps(f)]
    return sorted(findings, key=lambda f: (f.block if f.block is not None else 10**9, f.rule))
