"""What a document is (`DocumentInfo.kind`): a 自评报告, a 部门决算, a 部门预算, a 绩效目标表 … decided from its
title, its outline and its tables with the words of `schemas/kinds.toml`.

The kind says which templates and structure rules apply: a 部门决算 is never told it lacks the sections of a
自评报告. `classify` is the one place the decision is made; segmentation calls it before choosing a template,
and later stages read `record.document.kind`.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from .config import Config
from .records import Block, Document, DocumentKind

TITLE_BLOCKS = 10  # the cover and title stand in the first paragraphs
TITLE_LINE = 60  # characters: a longer paragraph is body text, not a title line
TABLE_ROWS = 3  # the header rows of a table that tell what it is


class KindRule(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # unbuilt while a cached Config is used

    kind: DocumentKind
    name: str  # what people call such a document: page titles say what a batch holds
    title: list[str]  # regular expressions
    title_words: list[str]  # a word every match of a title pattern holds: the patterns run on a title holding one
    outline: list[str]
    tables: list[str]

    @field_validator("title")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns

    @model_validator(mode="after")
    def _patterns_name_their_words(self) -> KindRule:
        """Each title pattern prints one of `title_words` (a check of the data, not a proof that it needs one)."""
        for pattern in self.title:
            if not any(word in pattern for word in self.title_words):
                raise ValueError(f"title pattern {pattern!r} holds none of title_words {self.title_words}")
        return self


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # unbuilt while a cached Config is used

    title: int
    outline: int
    tables: int
    min_score: int


class KindRules(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # unbuilt while a cached Config is used

    weights: Weights
    other_name: str  # a document of no known kind, as a page title names it
    kind: list[KindRule]

    def name(self, kind: str | None) -> str:
        return next((rule.name for rule in self.kind if rule.kind == kind), self.other_name)


def title_lines(blocks: list[Block], first_heading: int | None = None) -> list[str]:
    """The short paragraphs before the first heading (at most TITLE_BLOCKS), without spaces."""
    end = TITLE_BLOCKS if first_heading is None else min(first_heading, TITLE_BLOCKS)
    lines = [b.text for b in blocks[:end] if b.kind == "paragraph" and not b.in_table_of_contents]
    return ["".join(line.split()) for line in lines if len(line) <= TITLE_LINE]


def title_text(blocks: list[Block], first_heading: int | None = None) -> str:
    """The title lines joined without breaks: a PDF cover breaks "上海市某局" / "2024年度部门决算" over two lines."""
    return "".join(title_lines(blocks, first_heading))


def _table_heads(blocks: list[Block]) -> list[str]:
    return ["\n".join(b.text.split("\n")[:TABLE_ROWS]) for b in blocks if b.kind == "table"]


def classify(
    config: Config, document: Document, headings: list[str] | None = None, first_heading: int | None = None
) -> DocumentKind:
    """The kind of `document`, from its title (the short paragraphs before `first_heading`, the block index of
    its first heading), its heading titles `headings` and its tables' header rows."""
    rules = config.kinds
    weights = rules.weights
    lines = title_lines(document.blocks, first_heading)
    titles = ["".join(lines), *lines]  # a title broken over lines, or one line of its own ("…绩效自评表")
    headings = headings or []
    tables = _table_heads(document.blocks)
    scores: list[tuple[int, int, DocumentKind]] = []
    for order, rule in enumerate(rules.kind):
        named = [title for title in titles if any(word in title for word in rule.title_words)]
        score = weights.title * any(re.search(p, title) for p in rule.title for title in named)
        score += weights.outline * sum(any(w in h for w in rule.outline) for h in headings)
        score += weights.tables * sum(any(w in t for w in rule.tables) for t in tables)
        scores.append((score, -order, rule.kind))
    best, _, kind = max(scores)
    return kind if best >= weights.min_score else "other"
