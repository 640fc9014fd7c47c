"""Checks: findings about a record, like a linter's. Checks read records, never files.

The check modules are imported when `run` first runs, not with the package: the rule set (`Config`) holds
`engine.Rule`s, so every process that loads one imports this package, and most (the batch's writer, the
review page, the exports) never run a check."""

from __future__ import annotations

from ..config import Config
from ..records import Document, Finding, Record
from .engine import CheckOptions

__all__ = ["CheckOptions", "run"]


def run(record: Record, document: Document, config: Config, options: CheckOptions | None = None) -> list[Finding]:
    """Every finding of every check on `record`, filtered by the user's selection, in document order, each
    with its fingerprint."""
    from .identity import identified
    from .runner import run_all

    options = options or CheckOptions()
    kind, rules = record.document.kind, config.rules
    findings = [
        f
        for f in run_all(config, record, document, options)
        if options.selection.keeps(f) and rules[f.rule].applies_to(kind)
    ]
    findings.sort(key=lambda f: (f.block if f.block is not None else 10**9, f.rule))
    return identified(findings, record)
