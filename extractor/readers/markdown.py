"""Markdown (reports converted by pandoc, markitdown and the like): headings, paragraphs and pipe tables.

Markup is taken out of the text (heading marks, list bullets, emphasis, escapes, <br> in cells) and the
lines go through the same layout reading as plain text (`text_layout`): pipe tables become table blocks,
a heading keeps its level as the block's outline level. A text with blank lines between paragraphs is read
with soft wraps (the lines of one paragraph joined); one without reads a paragraph per line.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ReadError
from ..patterns import lazy
from ..records import Document
from .text import decode
from .text_layout import lines_to_blocks

_HEADING = lazy(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = lazy(r"^\s*[-*+]\s+(?!\|)")
_ORDERED = lazy(r"^\s*\d{1,2}[.)]\s+")
_EMPHASIS = lazy(r"(\*\*|__)(.+?)\1")
_ESCAPE = lazy(r"\\([\\`*_{}\[\]()#+\-.!|])")
_BREAK = lazy(r"<br\s*/?>", re.IGNORECASE)
_LINK = lazy(r"!?\[([^\]]*)\]\([^)]*\)")
_SOFT_WRAP_SHARE = 0.2  # blank lines per text line above which blank lines, not line ends, end paragraphs


def _plain(line: str) -> str:
    line = _LINK.sub(r"\1", line)
    line = _EMPHASIS.sub(r"\2", line)
    line = _BREAK.sub(" ", line)
    line = _BULLET.sub("", line)
    return _ESCAPE.sub(r"\1", line)


def read(path: Path, data: bytes) -> Document:
    text, encoding = decode(path, data)
    if "\x00" in text:
        raise ReadError(path, "binary file, not Markdown text")
    lines: list[str] = []
    headings: dict[int, int] = {}
    fenced = False
    for raw in text.splitlines():
        if raw.strip().startswith("```"):
            fenced = not fenced
            lines.append("")
            continue
        heading = None if fenced else _HEADING.match(raw)
        if not fenced and (_BULLET.match(raw) or _ORDERED.match(raw)):
            lines.append("")  # a list item is a paragraph of its own
        if heading:
            headings[len(lines)] = len(heading.group(1)) - 1
            lines.append(_plain(heading.group(2)))
        else:
            lines.append(raw if fenced else _plain(raw))
    blank = sum(1 for line in lines if not line.strip())
    soft_wraps = blank >= _SOFT_WRAP_SHARE * max(len(lines) - blank, 1)
    blocks = lines_to_blocks(lines, soft_wraps=soft_wraps, headings=headings)
    if not blocks:
        raise ReadError(path, "empty file: no text")
    return Document(path=str(path), sha256="", format="md", encoding=encoding, blocks=blocks)
