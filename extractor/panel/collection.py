"""The panel over a collection of documents: departments linked across them (`department_id`), then
the year-over-year findings (C3xx). `complete_panel` works on rows in memory (`jixiao indicators`);
`update_panel` runs it over a whole database after a batch, replacing the C3xx findings as a whole as
copies are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..records import Copy, Document, EvalTable, Fact, FiscalTable, Kpi, Record
from ..store.duckdb import YEAR_OVER_YEAR_RULE_PREFIX, Store
from .departments import Link, Member, Pin, link_departments, split_region
from .indicators import IndicatorValue
from .rows import indicator_row
from .yoy import PanelEntry, same_year, year_over_year


@dataclass
class PanelSummary:
    documents: int = 0
    departments: int = 0  # distinct department_ids
    ambiguous: dict[str, Link] = field(default_factory=dict)  # by path
    year_over_year: int = 0  # C3xx findings: between years, or between documents of one year


@dataclass
class Panel:
    rows: list[dict[str, Any]]  # `indicators` rows with their department links set
    findings: list[Copy]  # year-over-year findings, each on the later report

    def summary(self) -> PanelSummary:
        return PanelSummary(
            documents=len(self.rows),
            departments=len({row["department_id"] for row in self.rows if row["department_id"]}),
            ambiguous={
                row["path"]: Link(row["department_id"], row["region"], "ambiguous", tuple(row["department_candidates"]))
                for row in self.rows
                if row["department_match"] == "ambiguous"
            },
            year_over_year=len(self.findings),
        )


def complete_panel(
    config: Config,
    rows: list[dict[str, Any]],
    facts_by_doc: dict[str, list[Fact]],
    block_of: Callable[[str, str], int | None],
    pins: list[Pin] | None = None,
) -> Panel:
    """Link the departments of `rows` (with doc_id) and run the year-over-year checks between them.

    `facts_by_doc`: each document's facts (only those about the previous year are used); `block_of(doc_id, id)`:
    the block of a fact, KPI or table, for the findings' pointers."""
    members = [Member(r["doc_id"], r["department"], split_region(config, r["region"])) for r in rows]
    links = link_departments(config, members, pins or []).links
    linked = [
        row
        | {
            "department_id": links[row["doc_id"]].department_id,
            "department_match": links[row["doc_id"]].match,
            "department_candidates": list(links[row["doc_id"]].candidates),
            "region": links[row["doc_id"]].region,
        }
        for row in rows
    ]
    _mark_primary(config, linked)
    entries = [_entry(config, row) for row in linked]
    source_block = lambda doc_id, source: block_of(doc_id, source.split(".")[0])  # noqa: E731
    findings = [*year_over_year(config, entries, facts_by_doc, source_block), *same_year(config, entries, source_block)]
    return Panel(linked, findings)


def update_panel(config: Config, store: Store, pins: list[Pin] | None = None) -> PanelSummary:
    """Complete the panel of everything stored: department links into `indicators`, C3xx into `findings`."""
    blocks = store.source_blocks()
    panel = complete_panel(
        config,
        store.rows("indicators"),
        store.facts(  # only what speaks of the previous year: a change, a 上年 figure, a figure dated the year before
            "change_direction IS NOT NULL OR context_period = 'prior_year' "
            "OR context_year = (SELECT d.year FROM documents d WHERE d.doc_id = facts.doc_id) - 1"
        ),
        lambda doc_id, id_: blocks.get((doc_id, id_)),
        pins,
    )
    names = ("doc_id", "department_id", "department_match", "department_candidates", "region", "panel_primary")
    store.set_department_links([{name: row[name] for name in names} for row in panel.rows])
    store.replace_collection_findings(YEAR_OVER_YEAR_RULE_PREFIX, panel.findings)
    return panel.summary()


def panel_of_records(config: Config, items: list[tuple[Record, Document]], pins: list[Pin] | None = None) -> Panel:
    """The panel of documents in memory (`jixiao indicators`): their rows, linked, and the C3xx findings."""
    rows = [
        indicator_row(config, record, [b.text for b in document.blocks if b.kind == "paragraph"])
        | {"doc_id": record.document.sha256}
        for record, document in items
    ]
    blocks = {(record.document.sha256, item.id): item.block for record, _ in items for item in _items(record)}
    facts = {record.document.sha256: record.facts for record, _ in items}
    return complete_panel(config, rows, facts, lambda doc_id, id_: blocks.get((doc_id, id_)), pins)


def _items(record: Record) -> list[Fact | Kpi | EvalTable | FiscalTable]:
    """What a finding's id may name: its facts, KPIs and tables."""
    return [*record.facts, *record.kpis, *record.tables, *record.fiscal_tables]


def _mark_primary(config: Config, rows: list[dict[str, Any]]) -> None:
    """panel_primary: one row per department, year and kind, the one stating the most indicators."""
    keys = [i.key for i in config.indicators]
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        row["panel_primary"] = row["department_id"] is None or row["year"] is None
        if not row["panel_primary"]:
            groups[(row["department_id"], row["year"], row["kind"])].append(row)
    for group in groups.values():
        best = min(group, key=lambda row: (-sum(row.get(k) is not None for k in keys), row["path"]))
        best["panel_primary"] = True


def _entry(config: Config, row: dict[str, Any]) -> PanelEntry:
    values = {
        i.key: IndicatorValue(i.key, row[i.key], row[f"{i.key}_source"], row[f"{i.key}_page"])
        for i in config.indicators
        if row.get(i.key) is not None
    }
    return PanelEntry(row["doc_id"], row["path"], row["department_id"], row["year"], values)
