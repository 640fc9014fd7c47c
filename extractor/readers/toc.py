"""Table-of-contents lines of formats that do not mark them (PDF, text, HTML): a Word TOC field is marked by
the .docx reader itself.

A TOC is the "目录" line and the short lines after it, up to where the body begins repeating them ("第一部分
概况" printed again over its text); lines with dot leaders and a page number ("一、部门概况……3") are TOC
lines wherever they stand. TOC lines are never headings, never figures and never get structure findings.
"""

from __future__ import annotations

from ..patterns import lazy
from ..records import Block

TOC_TITLES = {"目录", "目次", "CONTENTS", "Contents"}
MAX_ENTRY = 80  # characters: a longer line is body text
_LEADER = lazy(r"(?:\.{3,}|…{2,}|·{3,}|-{4,}|_{4,})\s*\d{1,3}\s*$")
_PAGE_SUFFIX = lazy(r"(?:[.…·\-_\s]*)\d{1,3}$")
_SENTENCE_END = ("。", "；", ";")


def _entry(text: str) -> str:
    """A line as TOC and body both print it: no spaces, no leader and page number."""
    compact = "".join(text.split())
    return _PAGE_SUFFIX.sub("", compact) if _LEADER.search(text) else compact


def table_of_contents(blocks: list[Block]) -> set[int]:
    """Indices of the blocks that are table-of-contents lines."""
    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    found = {b.index for b in paragraphs if _LEADER.search(b.text)}
    for position, block in enumerate(blocks):
        if block.kind != "paragraph" or "".join(block.text.split()) not in TOC_TITLES:
            continue
        run: list[Block] = []
        entries: set[str] = set()
        for following in blocks[position + 1 :]:
            text = following.text.strip()
            entry = _entry(text)
            if following.kind != "paragraph" or len(text) > MAX_ENTRY or text.endswith(_SENTENCE_END):
                break
            if entry in entries:  # the body begins: its first heading repeats an entry
                break
            entries.add(entry)
            run.append(following)
        after = run[-1].index if run else block.index
        body = {_entry(b.text) for b in paragraphs if b.index > after}
        # the run ends at its last line the body prints again: lines past it are already the body
        confirmed = [i for i, b in enumerate(run) if _entry(b.text) in body]
        if confirmed:
            found |= {block.index, *(b.index for b in run[: confirmed[-1] + 1])}
        break  # one table of contents per document
    return found


def mark_table_of_contents(blocks: list[Block]) -> None:
    """Set `in_table_of_contents` on the TOC lines a reader could not mark from the file's own markup."""
    lines = table_of_contents(blocks)
    for block in blocks:
        block.in_table_of_contents = block.in_table_of_contents or block.index in lines
