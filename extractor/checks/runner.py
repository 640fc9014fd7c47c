"""Runs every per-document check. Consistency goes first: the facts of an inconsistent duplicate (one concept
in one context stated twice, differently) are blocked, the arithmetic checks skip the identities that use
them (no cascade of findings) and the duplicate's finding names those identities. Last, every arithmetic and
consistency finding gets the severity its certainty allows (checks/contexts.py)."""

from __future__ import annotations

from ..config import Config
from ..records import Document, Finding, Record
from . import arithmetic, confidence, consistency, fiscal, rates, structure, wording
from .contexts import settle
from .engine import CheckOptions


def run_all(config: Config, record: Record, document: Document, options: CheckOptions) -> list[Finding]:
    mode = options.rounding
    agreed = consistency.check(config, record, document, mode)
    sums_and_rates = arithmetic.check(config, record, document, mode, agreed.blocked)
    # a workbook of target forms is no report: the report outline's structure rules do not apply to it
    forms_only = record.document.kind == "performance_targets"
    # the checks of tables, their sums and target forms find nothing in a record without tables (a report of prose
    # alone), which then does not import them
    tabled = _has_tables(record, document)
    if tabled:
        from . import table_sums, tables, targets
    found = [
        *([] if forms_only else structure.check_structure(config, record, document)),
        *agreed.findings,
        *sums_and_rates,
        *rates.check(config, record, document, mode, agreed.blocked, sums_and_rates),
        *(tables.check(config, record, mode) if tabled else ()),
        *(table_sums.check(config, record, document, mode) if tabled else ()),
        *wording.check(config, record, document, mode),
        *fiscal.check(config, record, document, mode),
        *(targets.check(config, record, document) if tabled else ()),
    ]
    settled = settle(config, found, record.facts, mode)  # severity means certainty: contexts known, conventions agree
    # a finding on a figure OCR was unsure of is a warning that says so
    return confidence.qualify(config, settled, record)


def _has_tables(record: Record, document: Document) -> bool:
    """Whether the record has what the table checks read: self-evaluation tables, target forms, KPIs of table
    rows, table blocks."""
    return bool(
        record.tables
        or record.target_forms
        or any(kpi.source == "table" for kpi in record.kpis)
        or document.has_tables()
    )
