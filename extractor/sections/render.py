"""The section tree as indented text, for `jixiao sections FILE`."""

from __future__ import annotations

from .hierarchy import Outline

INDENT = "  "


def render_tree(outline: Outline) -> str:
    """One line per section: `一、 单位基本情况  [basic_info 100]`, children indented, repairs shown."""
    lines = [f"template: {outline.template or '(none)'}"]
    for section in outline.sections:
        key = f"{section.key} {section.score:.0f}" if section.key and section.score is not None else "-"
        notes = []
        if section.expected_number:
            notes.append(f"(expected {section.expected_number})")
        if section.run_in:
            notes.append("(run-in)")
        where = f"p{section.page} " if section.page is not None else ""
        heading = " ".join(part for part in (section.number, section.title) if part)
        line = f"{INDENT * (section.level - 1)}{heading}  [{key}]"
        lines.append(" ".join([line, *notes, f"{{{where}#{section.block_start}-{section.block_end}}}"]))
    return "\n".join(lines)
