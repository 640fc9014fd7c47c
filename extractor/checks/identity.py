"""Finding fingerprints: a finding's identity across reruns, tool versions and edits elsewhere.

A fingerprint is built from what the finding is about, never from where it happens to stand: the rule,
the section's template key (its title where no key was found), and for every figure involved its name,
its printed value and unit and its context (year, period, basis, fund, subject). Block numbers, offsets,
pages and fact ids are left out, so inserting a paragraph, a page or a figure elsewhere keeps the
fingerprint; changing one of the finding's own figures makes it a new finding. A finding without figures
(a heading's numbering, an editing leftover) is identified by the quoted text and numbers of its message,
not its wording, so rephrasing a rule's message keeps it. Two findings alike in all of this within one
document are told apart by their order ("#2").
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable

from ..patterns import lazy
from ..records import Fact, Finding, Kpi, Record, Section

# what a message says beyond its template: quoted text and numbers
_MESSAGE_SUBJECT = lazy(r"[“\"「『][^”\"」』]*[”\"」』]|\d+(?:\.\d+)?")


def section_keys(sections: Iterable[Section]) -> dict[str, str]:
    """The template key of each section by id, else its title: the same section in an edited or renumbered
    report. The first of two sections with one id wins."""
    keys: dict[str, str] = {}
    for section in sections:
        keys.setdefault(section.id, section.key or section.title.strip())
    return keys


def _printed(value) -> str:
    return "" if value is None else format(value, "f")


def figure_material(figure: Fact | Kpi) -> str:
    """One involved figure: its name, printed value and unit and (for money) its context."""
    if isinstance(figure, Fact):
        context = figure.context.model_dump(mode="json", exclude_none=True)
        parts = [
            "fact",
            figure.label or figure.key or "",
            _printed(figure.value),
            _printed(figure.value_max),
            figure.unit,
            figure.qualifier or "",
            json.dumps(context, sort_keys=True, ensure_ascii=False),
        ]
    else:
        parts = [
            "kpi",
            figure.label or "",
            figure.level3 or "",
            _printed(figure.value),
            figure.unit or "",
            figure.target or "",
            figure.actual or "",
            _printed(figure.weight),
            _printed(figure.score),
        ]
    return "\x1f".join(parts)


def message_subject(message: str) -> list[str]:
    return _MESSAGE_SUBJECT.findall(message)


def digest(rule: str, section: str, material: Iterable[str]) -> str:
    """`RULE-` and 16 hex digits of the sha256 of the rule, section key and sorted material."""
    text = "\x1e".join([rule, section, *sorted(material)])
    return f"{rule}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


def finding_material(finding: Finding, figures: dict[str, Fact | Kpi]) -> list[str]:
    """What a finding's fingerprint is made of; `figures` are the record's facts and KPIs by id."""
    involved = [figure_material(figures[i]) for i in finding.facts if i in figures]
    # a target review's finding names its project and indicator (codes and names, not places)
    named = (
        [f"project={finding.project}", f"indicator={finding.indicator}"] if finding.project or finding.indicator else []
    )
    values = [_printed(finding.stated), _printed(finding.computed)]
    return (involved or message_subject(finding.message)) + named + values


def identified(findings: list[Finding], record: Record) -> list[Finding]:
    """The findings of one document, each complete with its fingerprint (in the given order)."""
    seen: Counter[str] = Counter()
    out = []
    figures: dict[str, Fact | Kpi] = {f.id: f for f in record.facts} | {k.id: k for k in record.kpis}  # once
    keys = section_keys(record.sections)  # indexed once: looked up per finding, not a scan of every section
    for finding in findings:
        section = keys.get(finding.section or "", "")
        base = digest(finding.rule, section, finding_material(finding, figures))
        seen[base] += 1
        fingerprint = base if seen[base] == 1 else f"{base}#{seen[base]}"
        out.append(finding.model_copy(update={"fingerprint": fingerprint}))
    return out
