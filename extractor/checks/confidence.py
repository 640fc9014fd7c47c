"""Findings that rest on figures OCR read with a low score: never certain, so never errors.

A misread digit on a scanned page makes an identity fail as surely as a real error does. Where a
finding's facts or KPIs include one whose OCR confidence is below the threshold in
`schemas/rules/ocr.toml`, the finding is a warning and its message says which figure and how sure
OCR was, so an auditor checks the page image before anything else.
"""

from __future__ import annotations

from decimal import Decimal

from ..config import Config
from ..records import Fact, Finding, Kpi, Record


def qualify(config: Config, findings: list[Finding], record: Record) -> list[Finding]:
    settings = config.settings["ocr"]
    threshold = float(settings["low_confidence"])
    items: list[Fact | Kpi] = [*record.facts, *record.kpis]
    scores = {item.id: item.confidence for item in items if item.confidence is not None}
    out = []
    for finding in findings:
        low = {fid: scores[fid] for fid in finding.facts if fid in scores and scores[fid] < threshold}
        if not low:
            out.append(finding)
            continue
        note = settings["note"].format(
            figures="、".join(sorted(low)), confidence=_shown(min(low.values())), threshold=_shown(threshold)
        )
        severity = "warning" if finding.severity == "error" else finding.severity
        out.append(finding.model_copy(update={"severity": severity, "message": finding.message + note}))
    return out


def _shown(score: float) -> str:
    return format(Decimal(str(round(score, 2))).normalize(), "f")
