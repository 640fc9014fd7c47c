"""The auditor's decisions on findings, in the `reviews` table (schemas/store/tables.toml).

A decision is a row: the finding's fingerprint, the document (doc_id and path) it was in, the status, a
note, who and when. Rows are only ever added; a finding shows its latest decision. Decisions are not part
of a document's rows, so reprocessing a document (a new tool version, a rerun batch) keeps them, and a
decision follows the finding by fingerprint: in the same document, or in a new version of the file at a
path the decision was made at (a corrected re-issue).
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from .duckdb import Store

Status = Literal["confirmed", "dismissed", "follow_up", "open"]  # open: a decision taken back
STATUSES: tuple[str, ...] = get_args(Status)
STATUS_NAMES = {"confirmed": "属实", "dismissed": "不属实（排除）", "follow_up": "待核实", "open": "未复核"}

# the latest decision of every finding that has one: (doc_id, seq, status, note, reviewer, reviewed_at)
LATEST_DECISIONS = """
    SELECT doc_id, seq, status, note, reviewer, reviewed_at FROM (
        SELECT f.doc_id, f.seq, r.status, r.note, r.reviewer, r.reviewed_at,
               row_number() OVER (PARTITION BY f.doc_id, f.seq ORDER BY r.reviewed_at DESC) AS latest
        FROM findings f JOIN reviews r ON r.fingerprint = f.fingerprint
        WHERE r.doc_id = f.doc_id
           OR r.path IN (SELECT path FROM files WHERE files.doc_id = f.doc_id
                         UNION SELECT path FROM documents WHERE documents.doc_id = f.doc_id)
    ) WHERE latest = 1 AND status <> 'open'
"""

# the columns the exported findings gain: name, Chinese title, meaning
REVIEW_COLUMNS = [
    (
        "review_status",
        "复核结论",
        "Latest decision in `jixiao review`: confirmed, dismissed or follow_up; empty when undecided.",
    ),
    ("review_note", "复核意见", "The reviewer's note with that decision."),
    ("reviewer", "复核人", "Login name of the reviewer."),
    ("reviewed_at", "复核时间", "When the decision was made (UTC)."),
]

# every finding with its latest decision (status null when undecided): the export's findings table
FINDINGS_WITH_DECISIONS = f"""
    SELECT f.*, d.status AS review_status, d.note AS review_note, d.reviewer, d.reviewed_at
    FROM findings f LEFT JOIN ({LATEST_DECISIONS}) d USING (doc_id, seq)
    ORDER BY f.doc_id, f.seq
"""


def reviewer_name() -> str:
    """The login name of whoever runs the review, from the operating system."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a passwd entry)
        return "unknown"


def latest_decisions(store: Store) -> dict[tuple[str, int], dict[str, Any]]:
    """The latest decision of every decided finding, by (doc_id, seq); none in a database without reviews."""
    if not store.has_table("reviews"):
        return {}
    columns, rows = store.query(LATEST_DECISIONS)
    return {(row[0], row[1]): dict(zip(columns, row)) for row in rows}


def decision_json(decision: dict[str, Any]) -> dict[str, Any]:
    """A decision as the review pages show it."""
    return {
        "status": decision["status"],
        "note": decision["note"],
        "reviewer": decision["reviewer"],
        "reviewed_at": decision["reviewed_at"].isoformat(timespec="seconds"),
    }


def record_decision(store: Store, doc_id: str, seq: int, status: str, note: str, reviewer: str) -> dict[str, Any]:
    """Store a decision on finding `seq` of document `doc_id`; the row written. ValueError for an unknown
    finding or status."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: expected one of {', '.join(STATUSES)}")
    found = store.con.execute(
        """SELECT f.fingerprint, f.rule, d.path FROM findings f JOIN documents d USING (doc_id)
           WHERE f.doc_id = ? AND f.seq = ?""",
        [doc_id, seq],
    ).fetchone()
    if found is None or found[0] is None:
        raise ValueError(f"no finding {seq} in document {doc_id}")
    fingerprint, rule, path = found
    row = {
        "fingerprint": fingerprint,
        "doc_id": doc_id,
        "path": path,
        "rule": rule,
        "status": status,
        "note": note.strip() or None,
        "reviewer": reviewer,
        "reviewed_at": datetime.now(UTC),
    }
    store.append("reviews", [row])
    return row
