"""Small text helpers every reader shares."""

from __future__ import annotations

from typing import Literal

from ..patterns import lazy
from ..records import Artifact

# Editing leftovers that converters write into the text: "[bookmark: _GoBack]", "[comment: …]".
_ARTIFACT = lazy(r"\[(bookmark|comment)\s*:\s*[^\]\n]*\]\s*")
_ARTIFACT_KIND: dict[str, Literal["bookmark", "comment_mark"]] = {"bookmark": "bookmark", "comment": "comment_mark"}

# a numbering label at the start of a line begins a paragraph: 一、 （一） 1、 1. （1） ① 第一部分 附件
PARAGRAPH_LABEL = lazy(
    r"第[一二三四五六七八九十百零〇\d]+[部分章节条]|附件|附表|[一二三四五六七八九十]+[、．]"
    r"|[（(][一二三四五六七八九十]+[）)]|\d{1,2}(、|[.．](?!\d))|[（(]\d{1,2}[）)]|[①-⑳]"
)


def clean_paragraph(raw: str) -> tuple[str, list[Artifact]]:
    """A paragraph's text with white space collapsed and editing artifacts taken out, their offsets
    pointing into the text as returned (so a check can show where the leftover stood)."""
    text, artifacts = strip_artifacts(" ".join(raw.split()))
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    for artifact in artifacts:
        artifact.offset = min(max(artifact.offset - lead, 0), len(text))
    return text, artifacts


def strip_artifacts(text: str) -> tuple[str, list[Artifact]]:
    """Remove editing artifacts from `text`; each is remembered with the offset it stood at in the result."""
    artifacts: list[Artifact] = []
    out: list[str] = []
    position = 0
    length = 0
    for match in _ARTIFACT.finditer(text):
        out.append(text[position : match.start()])
        length += match.start() - position
        artifacts.append(Artifact(kind=_ARTIFACT_KIND[match.group(1)], raw=match.group(0).strip(), offset=length))
        position = match.end()
    out.append(text[position:])
    return "".join(out), artifacts
