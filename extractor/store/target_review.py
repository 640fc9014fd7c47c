"""The performance-target review of a batch database grouped by project (the bureau's 初审 table), for
the review page and the workbook export alike."""

from __future__ import annotations

from typing import Any

from ..checks.review import DIMENSIONS, group_by_project
from ..config import Config
from .duckdb import Store


def _rows(store: Store, sql: str) -> list[dict[str, Any]]:
    columns, rows = store.query(sql)
    return [dict(zip(columns, row)) for row in rows]


def target_reviews(config: Config, store: Store) -> list[dict[str, Any]]:
    """The performance-target review grouped by project, like the bureau's 初审 table: one row per form
    (or self-evaluation table) with its remarks numbered under 完整性 / 可测性 / 可行性 and a 小结."""
    findings = _rows(
        store,
        "SELECT doc_id, seq, rule, category, severity, message, block, project, indicator, item "
        "FROM findings WHERE category = 'targets' ORDER BY doc_id, seq",
    )
    # a database written before forms had a kind holds target forms only
    kind = (
        "kind"
        if store.query("SELECT 1 FROM duckdb_columns() WHERE table_name = 'target_forms' AND column_name = 'kind'")[1]
        else "'target_form' AS kind"
    )
    forms = _rows(
        store, f"SELECT doc_id, block, sheet, project_code, project_name, unit, department, {kind} FROM target_forms"
    )
    path_of = dict(store.query("SELECT doc_id, path FROM documents")[1])
    reviews = []
    for review in group_by_project(config, findings, forms, path_of):
        severities = [f["severity"] for remarks in review.remarks.values() for f in remarks]
        reviews.append(
            {
                "doc_id": review.doc_id,
                "path": review.path,
                "sheet": review.sheet,
                "block": review.block,
                "project": review.project,
                "code": review.code,
                "name": review.name,
                "kind": review.kind,
                "unit": review.unit,
                "cells": {dimension: review.cell(dimension) for dimension in DIMENSIONS},
                "items": review.items,
                "summary": review.summary,
                "errors": severities.count("error"),
                "warnings": severities.count("warning"),
            }
        )
    return reviews


def reviews_lead(reviews: list[dict[str, Any]], documents: int) -> bool:
    """The 初审 table leads the page and the workbook when the batch is one of target forms: at least half
    of its `documents` hold one. Otherwise (self-evaluations, or a corpus with a workbook of forms among
    reports) the reviews follow the main content."""
    with_forms = len({review["doc_id"] for review in reviews if review["kind"] == "target_form"})
    return with_forms > 0 and 2 * with_forms >= documents


def has_target_forms(reviews: list[dict[str, Any]]) -> bool:
    """The reviews are the bureau's 初审 of target forms, not only the indicator review of 自评表."""
    return any(review["kind"] == "target_form" for review in reviews)
