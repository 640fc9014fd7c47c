"""The offline review page: one self-contained HTML file over a batch database.

The page is `template.html` (markup, CSS and JS, no external resource) with the data embedded as
JSON in a `<script type="application/json">` block. Every `<` of the JSON is written as `\\u003c`,
so no document text can end the script element; the page's JS builds the DOM with textContent.
Only the blocks that findings point at travel with the page, not whole documents.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from .. import __version__
from ..store.duckdb import Store
from .evidence import Evidence, Mark, PdfEvidence

DATA_MARKER = "__JIXIAO_DATA__"
COMMON_MARKER = "/*__JIXIAO_COMMON__*/"


def _records(store: Store, sql: str) -> list[dict[str, Any]]:
    columns, rows = store.query(sql)
    return [dict(zip(columns, row)) for row in rows]


def report_data(store: Store, images: bool = True) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data: the documents some input path holds now (not an
    earlier version of an edited file) and their findings. With `images`, every finding on a PDF carries
    its evidence images (data URIs)."""
    documents = _records(
        store,
        """
        SELECT d.doc_id, d.path, d.format, d.pages, d.department, d.year, d.template,
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
               x.label, x.level3
        FROM (SELECT doc_id, unnest(facts) AS id FROM findings) n
        JOIN (SELECT doc_id, id, page, block, start, "end", NULL::INTEGER AS "row", value_text, unit, label,
                     NULL::VARCHAR AS level3 FROM facts
              UNION ALL
              SELECT doc_id, id, page, block, start, "end", "row", value_text, unit, label, level3 FROM kpis) x
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
        SELECT b.doc_id, b.block, b.page, b.kind, b.text FROM blocks b JOIN wanted USING (doc_id, block)
        ORDER BY b.doc_id, b.block
        """,
    )
    if images:
        attach_evidence(store, findings, facts, blocks)
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool_version": __version__,
        "database": str(store.path),
        "documents": documents,
        "findings": findings,
        "sections": sections,
        "facts": facts,
        "blocks": blocks,
    }


def marks_for(finding: dict[str, Any], facts: dict[tuple[str, str], dict], blocks: dict[tuple[str, int], dict]) -> list[Mark]:
    """What to box on the page for a finding: its figures as printed; without figures, the stretch of text it
    points at, or the start of its block."""
    doc = finding["doc_id"]
    marks = []
    for fact_id in finding["facts"] or []:
        fact = facts.get((doc, fact_id))
        block = fact and blocks.get((doc, fact["block"]))
        if not block or fact["page"] is None:
            continue
        if fact["start"] is not None and fact["end"] is not None:
            text = block["text"]
            marks.append(Mark(fact["page"], text[fact["start"] : fact["end"]], text[: fact["start"]], text[fact["end"] :]))
        elif fact["level3"] or fact["label"]:  # a table row's indicator: its name identifies the row
            marks.append(Mark(fact["page"], fact["level3"] or fact["label"]))
    block = blocks.get((doc, finding["block"])) if finding["block"] is not None else None
    figure_blocks = {facts[(doc, i)]["block"] for i in finding["facts"] or [] if (doc, i) in facts}
    if marks and block and block["kind"] == "table" and finding["block"] not in figure_blocks:
        # text against table (C102): the table's side of the comparison is the value it states
        stated = stated_in_table(block, finding)
        if stated:
            marks.append(stated)
    if not marks and block and (block["page"] or finding["page"]):
        text, page = block["text"], finding["page"] or block["page"]
        if finding["start"] is not None and finding["end"] is not None and finding["end"] > finding["start"]:
            marks.append(Mark(page, text[finding["start"] : finding["end"]], text[: finding["start"]], text[finding["end"] :]))
        else:
            first_line = text.strip().split("\n")[0].split("\t")[0]
            marks.append(Mark(page, first_line[:30]))
    return marks


def stated_in_table(block: dict[str, Any], finding: dict[str, Any]) -> Mark | None:
    """The finding's stated value where the table prints it: after the row the message quotes (“年度资金总额”),
    as a whole number (not the tail of a longer one)."""
    stated, text = finding["stated"], block["text"]
    page = finding["page"] or block["page"]
    if not stated or not page:
        return None
    quoted = [q for q in re.findall(r"“([^”]+)”", finding["message"]) if q in text]
    at = text.find(stated, text.find(quoted[0]) if quoted else 0)
    while at >= 0:
        before, after = text[at - 1 : at], text[at + len(stated) : at + len(stated) + 1]
        if not re.fullmatch(r"[\d.,]", before or "x") and not re.fullmatch(r"\d", after or "x"):
            return Mark(page, stated, text[:at], text[at + len(stated) :])
        at = text.find(stated, at + 1)
    return None


def document_files(store: Store) -> dict[str, list[str]]:
    """Where each PDF can be opened: the path it was processed from first, then any other path seen."""
    _, rows = store.query(
        """
        SELECT d.doc_id, d.path, list(f.path ORDER BY f.path) FILTER (WHERE f.path IS NOT NULL)
        FROM documents d LEFT JOIN files f USING (doc_id) WHERE d.format = 'pdf' GROUP BY ALL
        """
    )
    return {doc: [path, *[p for p in others or [] if p != path]] for doc, path, others in rows}


def openable(paths: list[str]) -> str | None:
    return next((p for p in paths if Path(p).is_file()), None)


def attach_evidence(store: Store, findings: list[dict], facts: list[dict], blocks: list[dict]) -> None:
    """Give every finding on a PDF whose file is still there its evidence images, as data URIs."""
    files = document_files(store)
    fact_index = {(f["doc_id"], f["id"]): f for f in facts}
    block_index = {(b["doc_id"], b["block"]): b for b in blocks}
    with PdfEvidence() as renderer:
        for finding in findings:
            path = openable(files.get(finding["doc_id"], []))
            marks = marks_for(finding, fact_index, block_index) if path else []
            finding["evidence"] = [evidence_json(e) for e in renderer.render(path, marks)] if marks else []


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {"src": evidence.data_uri(), "page": evidence.page, "width": evidence.width, "height": evidence.height,
            "region": [round(v, 2) for v in evidence.crop]}


def embed_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '<' at all, so neither '</script' nor '<!--'."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def fill_page(template: str, data: Any) -> str:
    """A page template with the shared script (common.js) and the data put in."""
    common = files(__package__).joinpath("common.js").read_text(encoding="utf-8")
    return template.replace(COMMON_MARKER, common, 1).replace(DATA_MARKER, embed_json(data), 1)


def render_report(db: str | Path, images: bool = True) -> str:
    with Store(db, read_only=True) as store:
        data = report_data(store, images)
    return fill_page(files(__package__).joinpath("template.html").read_text(encoding="utf-8"), data)


def write_report(db: str | Path, output: str | Path, images: bool = True) -> Path:
    """Write the review page of database `db` to `output`; the path written."""
    output = Path(output)
    output.write_text(render_report(db, images), encoding="utf-8")
    return output
