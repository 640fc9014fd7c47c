"""The offline review page: one self-contained HTML file over a batch database.

The page is `template.html` (markup, CSS and JS, no external resource) with the data embedded as
JSON in a `<script type="application/json">` block. Every `<` of the JSON is written as `\\u003c`,
so no document text can end the script element; the page's JS builds the DOM with textContent.
Only the blocks that findings point at travel with the page, not whole documents; a finding on a PDF
brings the strips of its pages with its figures boxed (evidence.py) as WebP data URIs.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Config
from ..store.duckdb import Store
from ..store.reviews import decision_json, latest_decisions
from ..store.target_review import reviews_lead, target_reviews
from .evidence import Evidence, PdfEvidence, document_files, marks_for, openable

DATA_MARKER = "__JIXIAO_DATA__"
COMMON_MARKER = "/*__JIXIAO_COMMON__*/"


def _records(store: Store, sql: str) -> list[dict[str, Any]]:
    columns, rows = store.query(sql)
    return [dict(zip(columns, row)) for row in rows]


def report_data(config: Config, store: Store, images: bool = True) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data: the documents some input path holds now (not an
    earlier version of an edited file) and their findings. With `images`, every finding on a PDF carries
    its evidence images (data URIs)."""
    documents = _records(
        store,
        """
        SELECT d.doc_id, d.path, d.format, d.pages, d.department, d.year, d.template, d.kind,
               count(*) FILTER (WHERE f.severity = 'error') AS errors,
               count(*) FILTER (WHERE f.severity = 'warning') AS warnings,
               count(*) FILTER (WHERE f.severity = 'info') AS infos
        FROM documents d LEFT JOIN findings f USING (doc_id)
        WHERE d.doc_id IN (SELECT doc_id FROM files)
        GROUP BY ALL ORDER BY errors DESC, warnings DESC, d.path
        """,
    )
    findings = _records(
        store,
        """
        SELECT doc_id, seq, rule, category, severity, message, section, page, block, start, "end", facts,
               stated_text AS stated, computed_text AS computed, tolerance_text AS tolerance,
               related_doc_id, related_block, fingerprint
        FROM findings WHERE doc_id IN (SELECT doc_id FROM files) ORDER BY doc_id, seq
        """,
    )
    sections = _records(
        store,
        "SELECT doc_id, id, parent, level, number, title, key, page, block FROM sections ORDER BY doc_id, block_start, level",
    )
    # the figures a finding names, and the blocks they and the findings stand in
    facts = _records(
        store,
        """
        SELECT DISTINCT x.doc_id, x.id, x.page, x.block, x.start, x."end", x."row", x.value_text AS value, x.unit,
               x.label, x.level3, x.target
        FROM (SELECT doc_id, unnest(facts) AS id FROM findings) n
        JOIN (SELECT doc_id, id, page, block, start, "end", NULL::INTEGER AS "row", value_text, unit, label,
                     NULL::VARCHAR AS level3, NULL::VARCHAR AS target FROM facts
              UNION ALL
              SELECT doc_id, id, page, block, start, "end", "row", value_text, unit, label, level3, target FROM kpis) x
        USING (doc_id, id)
        ORDER BY x.doc_id, x.block, x.start
        """,
    )
    blocks = _records(
        store,
        """
        WITH wanted AS (
            SELECT doc_id, block FROM findings WHERE block IS NOT NULL
            UNION SELECT related_doc_id, related_block FROM findings WHERE related_doc_id IS NOT NULL
            UNION SELECT doc_id, block FROM facts
                  WHERE (doc_id, id) IN (SELECT doc_id, unnest(facts) FROM findings)
        )
        SELECT b.doc_id, b.block, b.page, b.kind, b.text, b.sheet FROM blocks b JOIN wanted USING (doc_id, block)
        ORDER BY b.doc_id, b.block
        """,
    )
    # the standard tables of 部门决算/预算 documents, and their filled cells (blank cells stay behind)
    fiscal_tables = _records(
        store,
        "SELECT doc_id, id, standard, number, shape, unit, empty, note, page FROM fiscal_tables ORDER BY doc_id, block",
    )
    fiscal_cells = _records(
        store,
        """
        SELECT doc_id, table_id, panel, code, level, label, "column", header, text, "row", col, page
        FROM fiscal_cells WHERE value IS NOT NULL ORDER BY doc_id, table_id, panel NULLS FIRST, "row", col
        """,
    )
    decisions = latest_decisions(store)
    for finding in findings:
        decision = decisions.get((finding["doc_id"], finding["seq"]))
        finding["review"] = decision_json(decision) if decision else None
    if images:
        attach_evidence(store, findings, facts, blocks)
    reviews = target_reviews(config, store)
    return {
        "title": page_title(config, [document["kind"] for document in documents]),
        "target_reviews": reviews,
        "target_reviews_lead": reviews_lead(reviews, len(documents)),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool_version": __version__,
        "database": str(store.path),
        "documents": documents,
        "findings": findings,
        "sections": sections,
        "facts": facts,
        "blocks": blocks,
        "fiscal_tables": fiscal_tables,
        "fiscal_cells": fiscal_cells,
    }


def page_title(config: Config, kinds: list[str | None], most: int = 3) -> str:
    """What the batch holds, as the page's title: "绩效目标申报表检查结果", or the kinds most documents are of
    ("项目支出绩效自评报告、部门决算检查结果"); more than `most` kinds, or none, are documents."""
    names = [name for name, _ in Counter(config.kinds.name(kind) for kind in kinds).most_common()]
    return ("、".join(names) if 0 < len(names) <= most else config.kinds.other_name) + "检查结果"


def attach_evidence(store: Store, findings: list[dict], facts: list[dict], blocks: list[dict]) -> None:
    """Give every finding on a PDF whose file is still there its evidence images, as data URIs."""
    files = document_files(store)
    fact_index = {(f["doc_id"], f["id"]): f for f in facts}
    block_index = {(b["doc_id"], b["block"]): b for b in blocks}
    with PdfEvidence() as renderer:
        for finding in findings:
            path = openable(files.get(finding["doc_id"], []))
            marks = marks_for(finding, fact_index, block_index) if path else []
            finding["evidence"] = [evidence_json(e) for e in renderer.render(path, marks)] if path and marks else []


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "src": evidence.data_uri(),
        "page": evidence.page,
        "width": evidence.width,
        "height": evidence.height,
        "region": [round(v, 2) for v in evidence.crop],
    }


def embed_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '<' at all, so neither '</script' nor '<!--'."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def fill_page(template: str, data: Any) -> str:
    """A page template with the shared script (common.js) and the data put in."""
    common = files(__package__).joinpath("common.js").read_text(encoding="utf-8")
    return template.replace(COMMON_MARKER, common, 1).replace(DATA_MARKER, embed_json(data), 1)


def render_report(config: Config, db: str | Path, images: bool = True) -> str:
    with Store(db, config, read_only=True) as store:
        data = report_data(config, store, images)
    return fill_page(files(__package__).joinpath("template.html").read_text(encoding="utf-8"), data)


def write_report(config: Config, db: str | Path, output: str | Path, images: bool = True) -> Path:
    """Write the review page of database `db` to `output`; the path written."""
    output = Path(output)
    output.write_text(render_report(config, db, images), encoding="utf-8")
    return output
