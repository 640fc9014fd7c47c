"""The content model of a corpus report: an ordered list of blocks, rendered to .docx by
`docxlib`, to HTML by `htmllib` and to plain text by `textlib`.

A report is written once as blocks; every format is rendered from the same blocks, so the
paragraph texts of the formats agree by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tablemodel import Grid


@dataclass
class Heading:
    """A section heading.  `label` is the number as it should render ("一、", "（二）").

    In a report with `auto_numbering`, levels 0 and 1 get their label from Word numbering
    (level 0 through the heading style, level 1 through the paragraph's own numPr) and the
    paragraph text holds only `text`; otherwise the label is typed into the text.
    """

    level: int  # 0 = 一、  1 = （一）  2 = 1.  3 = （1）
    label: str
    text: str
    run_in: str = ""  # body text continuing in the same paragraph after the heading


@dataclass
class Para:
    text: str
    list_label: str | None = None  # item of a decimal auto-numbered list ("1、"); typed in HTML/text
    bookmark: tuple[int, str] | None = None  # (character offset into text, bookmark name)
    align: str = "justify"  # justify | center | right | left
    bold: bool = False
    indent: bool = True  # first-line indent of two characters
    size_pt: float | None = None
    font: str | None = None  # east-asian font override (e.g. title in 方正小标宋)


@dataclass
class PageBreak:
    pass


@dataclass
class TableBlock:
    grid: Grid


Block = Heading | Para | PageBreak | TableBlock


@dataclass
class Report:
    stem: str
    header: str  # running header text
    blocks: list[Block] = field(default_factory=list)
    auto_numbering: bool = True
    author: str = "Administrator"
    title: str = ""  # core-properties title
    created: str = "2025-04-10T09:12:00Z"

    def add(self, *blocks: Block) -> "Report":
        self.blocks.extend(blocks)
        return self

    def h(self, level: int, label: str, text: str, run_in: str = "") -> "Report":
        return self.add(Heading(level, label, text, run_in))

    def p(self, *texts: str, **kw) -> "Report":
        return self.add(*(Para(t, **kw) for t in texts))

    def table(self, grid: Grid) -> "Report":
        return self.add(TableBlock(grid))


def heading_line(h: Heading) -> str:
    """The heading as typed text (label + title + run-in body)."""
    return h.label + h.text + h.run_in


def to_text(report: Report, newline: str = "\n") -> str:
    """Plain text, one line per paragraph, labels typed; tables are left out."""
    lines = []
    for b in report.blocks:
        if isinstance(b, Heading):
            lines.append(heading_line(b))
        elif isinstance(b, Para):
            lines.append((b.list_label or "") + b.text)
    return newline.join(lines) + newline
