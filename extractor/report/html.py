"""The offline review page: one self-contained HTML file over a batch database.

The page is `template.html` (markup, CSS and JS, no external resource) with the data embedded as
JSON in a `<script type="application/json">` block. Every `<` of the JSON is written as `\\u003c`,
so no document text can end the script element; the page's JS builds the DOM with textContent.
Only the blocks that findings point at travel with the page, not whole documents.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from .. import __version__
from ..store.duckdb import Store
from ..store.target_review import target_reviews

DATA_MARKER = "__JIXIAO_DATA__"


def _records(store: Store, sql: str) -> list[dict[str, Any]]:
    columns, rows = store.query(sql)
    return [dict(zip(columns, row)) for row in rows]


def report_data(store: Store) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data."""
    documents = _records(
        store,
        """
        SELECT d.doc_id, d.path, d.format, d.pages, d.department, d.year, d.template,
               count(*) FILTER (WHERE f.severity = 'error') AS errors,
               count(*) FILTER (WHERE f.severity = 'warning') AS warnings,
               count(*) FILTER (WHERE f.severity = 'info') AS infos
        FROM documents d LEFT JOIN findings f USING (doc_id)
        GROUP BY ALL ORDER BY errors DESC, warnings DESC, d.path
        """,
    )
    findings = _records(
        store,
        """
        SELECT doc_id, seq, rule, category, severity, message, section, page, block, start, "end", facts,
               stated_text AS stated, computed_text AS computed, tolerance_text AS tolerance,
               related_doc_id, related_block
        FROM findings ORDER BY doc_id, seq
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
        SELECT DISTINCT x.doc_id, x.id, x.block, x.start, x."end", x."row", x.value_text AS value, x.unit, x.label
        FROM (SELECT doc_id, unnest(facts) AS id FROM findings) n
        JOIN (SELECT doc_id, id, block, start, "end", NULL::INTEGER AS "row", value_text, unit, label FROM facts
              UNION ALL
              SELECT doc_id, id, block, start, "end", "row", value_text, unit, label FROM kpis) x USING (doc_id, id)
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
    return {
        "target_reviews": target_reviews(store),
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


def embed_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '<' at all, so neither '</script' nor '<!--'."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def render_report(db: str | Path) -> str:
    with Store(db, read_only=True) as store:
        data = report_data(store)
    template = files(__package__).joinpath("template.html").read_text(encoding="utf-8")
    return template.replace(DATA_MARKER, embed_json(data), 1)


def write_report(db: str | Path, output: str | Path) -> Path:
    """Write the review page of database `db` to `output`; the path written."""
    output = Path(output)
    output.write_text(render_report(db), encoding="utf-8")
    return output
