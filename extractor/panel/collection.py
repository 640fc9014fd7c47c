"""The panel over a whole database, after a batch: departments linked across the stored documents
(`indicators.department_id`), then the year-over-year findings (C3xx) replaced as a whole, as copies are."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..store.duckdb import YEAR_OVER_YEAR_RULE_PREFIX, Store
from .departments import Link, Member, Pin, link_departments, split_region
from .indicators import IndicatorValue, load_indicators
from .yoy import PanelEntry, year_over_year


@dataclass
class PanelSummary:
    documents: int = 0
    departments: int = 0  # distinct department_ids
    ambiguous: dict[str, Link] = field(default_factory=dict)  # by path
    year_over_year: int = 0  # C3xx findings


def update_panel(store: Store, pins: list[Pin] | None = None) -> PanelSummary:
    rows = store.rows("indicators")
    members = [Member(r["doc_id"], r["department"], split_region(r["region"])) for r in rows]
    linking = link_departments(members, pins or [])
    store.set_department_links(
        [
            {
                "doc_id": doc_id,
                "department_id": link.department_id,
                "department_match": link.match,
                "department_candidates": list(link.candidates),
                "region": link.region,
            }
            for doc_id, link in linking.links.items()
        ]
    )
    entries = [_entry(row, linking.links[row["doc_id"]]) for row in rows]
    facts = store.facts("change_direction IS NOT NULL OR context_period = 'prior_year'")
    blocks = store.source_blocks()
    findings = year_over_year(entries, facts, lambda doc_id, source: blocks.get((doc_id, source.split(".")[0])))
    store.replace_collection_findings(YEAR_OVER_YEAR_RULE_PREFIX, findings)
    path_of = {row["doc_id"]: row["path"] for row in rows}
    return PanelSummary(
        documents=len(rows),
        departments=len({link.department_id for link in linking.links.values() if link.department_id}),
        ambiguous={path_of[doc_id]: link for doc_id, link in linking.ambiguous().items()},
        year_over_year=len(findings),
    )


def _entry(row: dict, link: Link) -> PanelEntry:
    values = {
        i.key: IndicatorValue(i.key, row[i.key], row[f"{i.key}_source"], row[f"{i.key}_page"])
        for i in load_indicators()
        if row.get(i.key) is not None
    }
    return PanelEntry(row["doc_id"], row["path"], link.department_id, row["year"], values)
