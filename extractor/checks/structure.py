"""Structure findings: numbering that breaks its level's sequence, template sections missing or out of
order, editing leftovers and placeholders, empty sections, listed attachments without their table.

Reads the record's sections (their `expected_number` was set where the printed number breaks the
sequence) and the document's blocks; the template comes from schemas/templates by the record's id.
"""

from __future__ import annotations

import re
from typing import Any

from ..cjk import to_halfwidth
from ..config import Config, derived
from ..records import Document, Finding, Record, Section, innermost_sections
from ..sections.grammar import parse_label
from ..sections.templates import Template, TemplateSection
from .engine import make_finding


def check_structure(config: Config, record: Record, document: Document) -> list[Finding]:
    sections = record.sections
    findings = [
        *_numbering(config, sections),
        *_leftovers(config, sections, document),
        *_emptiness(config, sections, document),
    ]
    template = config.template(record.document.template)
    if template is not None:
        findings += _missing(config, sections, template) + _order(config, sections, template)
    return findings


def _at(config: Config, code: str, section: Section, **fields) -> Finding:
    """A finding about `section`, its label and title in the message."""
    return make_finding(
        config,
        code,
        section=section.id,
        page=section.page,
        block=section.block,
        label=section.number,
        title=section.title,
        **fields,
    )


# ---------------------------------------------------------------- numbering


def _numbering(config: Config, sections: list[Section]) -> list[Finding]:
    findings = []
    for section in sections:
        if not section.expected_number:
            continue
        printed, expected = parse_label(section.number), parse_label(section.expected_number)
        if printed is None or expected is None:
            continue
        if printed.form != expected.form:
            same_but_width = to_halfwidth(printed.form) == to_halfwidth(expected.form)
            code = "S102" if same_but_width else "S101"
        elif (printed.ordinal or 0) > (expected.ordinal or 0):
            code = "S103"
        elif printed.ordinal == (expected.ordinal or 0) - 1:
            code = "S104"
        else:
            code = "S105"
        findings.append(_at(config, code, section, expected=section.expected_number))
    return findings


# ---------------------------------------------------------------- template outline


def _missing(config: Config, sections: list[Section], template: Template) -> list[Finding]:
    """Template sections not found; a sub-section only when its parent is there (no cascade)."""
    by_key = {s.key: s for s in sections if s.key}
    findings = []
    for expected in template.sections:
        if expected.key in by_key or not (expected.mandatory or expected.recommended):
            continue
        if expected.parent is not None and expected.parent not in by_key:
            continue
        code = "S106" if expected.mandatory and expected.parent is None else "S107"
        anchor, where = _where_missing(config, expected, by_key, template)
        findings.append(
            make_finding(
                config,
                code,
                section=anchor.id if anchor else None,
                page=anchor.page if anchor else None,
                block=anchor.block if anchor else None,
                template=template.name,
                expected=expected.title,
                where=where,
            )
        )
    return findings


def _where_missing(
    config: Config, expected: TemplateSection, by_key: dict[str, Section], template: Template
) -> tuple[Section | None, str]:
    """The present section the missing one should stand before (or after, or under), and that place in words."""
    siblings = [s for s in template.children(expected.parent) if s.key in by_key]
    later = [s for s in siblings if s.order > expected.order]
    if later:
        anchor, place = by_key[min(later, key=lambda s: s.order).key], "before"
    elif siblings:
        anchor, place = by_key[max(siblings, key=lambda s: s.order).key], "after"
    elif expected.parent is not None:
        anchor, place = by_key[expected.parent], "under"
    else:
        return None, ""
    return anchor, config.settings["structure"]["placement"][place].format(heading=anchor.number + anchor.title)


def _order(config: Config, sections: list[Section], template: Template) -> list[Finding]:
    findings = []
    last_in_group: dict[str | None, tuple[int, Section]] = {}
    for section in sections:
        entry = template.section(section.key) if section.key else None
        if entry is None:
            continue
        previous = last_in_group.get(section.parent)
        if previous is not None and entry.order < previous[0]:
            findings.append(
                _at(config, "S108", section, previous=previous[1].number + previous[1].title, template=template.name)
            )
        else:
            last_in_group[section.parent] = (entry.order, section)
    return findings


# ---------------------------------------------------------------- content


@derived
def _placeholder_patterns(config: Config) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in config.settings["structure"]["placeholders"]["patterns"])


def _leftovers(config: Config, sections: list[Section], document: Document) -> list[Finding]:
    findings = []
    section_of = innermost_sections(sections)
    for block in document.blocks:
        section = section_of.get(block.index)
        label, title, section_id = (section.number, section.title, section.id) if section else ("", "正文", None)
        located: dict[str, Any] = {
            "section": section_id,
            "page": block.page,
            "block": block.index,
            "label": label,
            "title": title,
        }
        for artifact in block.artifacts:  # taken out of the text: it stood at one point
            findings.append(
                make_finding(config, "S109", raw=artifact.raw, start=artifact.offset, end=artifact.offset, **located)
            )
        for pattern in _placeholder_patterns(config):
            for match in pattern.finditer(block.text):
                findings.append(
                    make_finding(config, "S110", text=match.group(), start=match.start(), end=match.end(), **located)
                )
    return findings


def _emptiness(config: Config, sections: list[Section], document: Document) -> list[Finding]:
    """Headings with nothing under them; listed attachments with no table in their range."""
    parents = {s.parent for s in sections}
    attachments = {s.id for s in sections if s.key == "attachments"}
    findings = []
    for section in sections:
        if section.parent in attachments:
            if not any(b.kind == "table" for b in document.blocks[section.block_start : section.block_end + 1]):
                findings.append(_at(config, "S112", section))
        elif section.id not in parents and not section.run_in and section.block_end == section.block:
            findings.append(_at(config, "S111", section))
    return findings
