"""Runs every per-document check. Consistency goes first: the facts of an inconsistent duplicate are
blocked, and the arithmetic checks skip the identities that use them (no cascade of findings)."""

from __future__ import annotations

from ..records import Document, Finding, Record
from . import arithmetic, consistency, structure, tables, targets
from .engine import CheckOptions


def run_all(record: Record, document: Document, options: CheckOptions) -> list[Finding]:
    mode = options.rounding
    agreed = consistency.check(record, document, mode)
    # a workbook of target forms is no report: the report outline's structure rules do not apply to it
    forms_only = record.document.kind == "performance_targets"
    return [
        *([] if forms_only else structure.check_structure(record, document)),
        *agreed.findings,
        *arithmetic.check(record, document, mode, agreed.blocked),
        *tables.check(record, mode),
        *targets.check(record, document),
    ]
