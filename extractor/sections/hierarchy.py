"""The section tree of a document: which numbered paragraphs are headings, at which level, under
which parent, with which template key, and what number the sequence expected where the printed one
breaks it.

Steps:
1. every paragraph that starts with a label (grammar.py) is a candidate; tables and table-of-contents
   lines never are;
2. candidates are weighed as headings or list items (length, final punctuation, body text in the same
   paragraph, style, a known template title), and runs of consecutive numbers vote together: the 17
   duties "1、贯彻执行…。" under 职能职责 are a list, even the short ones;
3. headings are placed one by one against the open path (a stack, one node per level) at the place
   that costs least: the next number of an open level, the same numbering style, a template key that
   belongs under that parent; a new level starts at 1. This is what puts the seed's "4、国有资本经营预算
   支出情况" at the top level (it stands where 四、 belongs) and "1、经济性分析" at level 3;
4. from the first 附件 on, everything is the attachments section; its children are the 附件N headings
   (their ranges cover the tables that follow) or, failing those, the listed items "1.…" "2.…";
5. per level the dominant label form (by count, ties to the GB/T 9704 form of the level) and per
   sibling group the running ordinal give `expected_number` where the printed label differs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..config import Config
from ..kinds import classify
from ..patterns import first_of, lazy
from ..records import Block, Document, DocumentKind, Section
from .grammar import NATURAL_LEVEL, Label, clean_title, parse_label, render_label
from .templates import Template, TemplateSection, choose_template, is_known_title


@dataclass
class Outline:
    """What segmentation gives: the sections in document order and the template chosen."""

    sections: list[Section] = field(default_factory=list)
    template: str | None = None  # id of the template chosen for the document
    kind: DocumentKind = "other"  # what the document is (kinds.py): it decides which templates apply


SHORT_TITLE, MEDIUM_TITLE, LONG_TITLE = 15, 25, 40  # characters of a title (or a run-in heading's first sentence)
HEADING, STRONG = 1, 3  # evidence at or above HEADING: a heading; at or above STRONG: whatever its siblings are
ORDER_PRIOR = 5.0  # bonus for the template key that follows the previous sibling's key
OPENING_BLOCKS, REGION_BLOCKS = 10, 30

_SENTENCE_ENDS = "。！？；!?;"
_TOC_LINE = lazy(r"(?:\.{3,}|…{2,}|·{3,}|-{4,}|_{4,}|\t)\s*\d{1,3}\s*$")
_HEADING_STYLE = lazy(r"heading|标题", re.I)
_ATTACHMENT_WORD = lazy(r"附件|附表|附")
_SEQUENCED = {"part", "cn_dun", "cn_paren"}  # schemes seldom used for list items


@dataclass
class Candidate:
    block: Block
    label: Label
    title: str  # as printed, without the label; for a run-in heading, its first sentence
    run_in: bool  # body text follows the title in the same paragraph
    evidence: int
    heading: bool = False


@dataclass
class Node:
    number: str
    title: str
    block: Block
    scheme: str
    form: str
    ordinal: int | None
    run_in: bool = False
    level: int = 1
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    schemes: frozenset[str] = frozenset()  # numbering schemes of this node and its earlier siblings
    matches: list[tuple[TemplateSection, float]] = field(default_factory=list)
    key: str | None = None
    score: float | None = None
    expected: str | None = None

    @classmethod
    def of(cls, candidate: Candidate) -> Node:
        label = candidate.label
        return cls(
            label.label, candidate.title, candidate.block, label.scheme, label.form, label.ordinal, candidate.run_in
        )


def build_outline(config: Config, document: Document) -> Outline:
    candidates = [c for c in (_candidate(config, block) for block in document.blocks) if c is not None]
    _vote(candidates)
    headings = [c for c in candidates if c.heading]
    if not headings:
        return Outline(kind=classify(config, document))
    first = headings[0].block.index
    titles = [c.title for c in headings]
    kind = classify(config, document, titles, first)
    # joined without separators: a PDF title may be broken over two lines
    opening = "".join(b.text for b in document.blocks[: min(first, OPENING_BLOCKS)] if b.kind == "paragraph")
    region_text = "".join(b.text for b in document.blocks[:REGION_BLOCKS] if b.kind == "paragraph")
    template = choose_template(config, titles, opening, region_text, kind)
    tree = _Tree(template or Template.blank(kind), document.blocks)
    for position, candidate in enumerate(candidates):
        if candidate.label.scheme == "attachment" and candidate.heading and tree.roots:
            tree.attach(candidates[position:])
            break
        if candidate.heading and candidate.label.scheme != "attachment":
            tree.place(candidate)
    tree.mark_expected_numbers()
    return Outline(
        sections=tree.sections(document.blocks[-1].index), template=template.id if template else None, kind=kind
    )


# ---------------------------------------------------------------- 1–2. heading or list item


def _candidate(config: Config, block: Block) -> Candidate | None:
    if block.kind != "paragraph" or block.in_table_of_contents or _TOC_LINE.search(block.text):
        return None
    label = parse_label(block.text)
    if label is None:
        return None
    stop = first_of(label.title, _SENTENCE_ENDS)
    head, rest, end = (
        (label.title[: stop + 1], label.title[stop + 1 :].strip(), label.title[stop])
        if stop >= 0
        else (label.title, "", "")
    )
    title = head.strip()
    return Candidate(
        block, label, title, bool(rest), _evidence(config, label, block, clean_title(title), end, bool(rest))
    )


def _evidence(config: Config, label: Label, block: Block, title: str, end: str, run_in: bool) -> int:
    """How much a labelled paragraph looks like a heading; below HEADING it is a list item."""
    if not title:  # a bare label: "附件1" on its own line is a heading, "1." is not
        return 2 if label.scheme in {"attachment", "part"} else -5
    n = len(title)
    score = 2 if n <= SHORT_TITLE else 1 if n <= MEDIUM_TITLE else 0 if n <= LONG_TITLE else -3
    if run_in and n > MEDIUM_TITLE:
        score -= 2  # a long first sentence followed by more: a paragraph
    if "，" in title or "," in title:
        score -= 1
    if end and end in "；;":
        score -= 3  # "1、办公室；": an enumeration
    elif end and not run_in:
        score -= 1  # a whole sentence that ends in 。
    if is_known_title(config, title):
        score += 3
    style = block.style
    if style is not None:
        if style.outline_level is not None or (style.name and _HEADING_STYLE.search(style.name)):
            score += 3
        elif style.bold:
            score += 1
    if label.scheme in _SEQUENCED or label.scheme == "attachment":
        score += 1
    return score


def _vote(candidates: list[Candidate]) -> None:
    """Decide `heading` for each candidate. A run of consecutive numbers of one scheme (1、2、3…, not
    interrupted by a shallower label) votes: if most of it are list items, its weak headings are too."""
    runs: list[list[Candidate]] = []
    open_runs: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        scheme, depth = candidate.label.scheme, _depth(candidate.label.scheme)
        for other in [s for s in open_runs if _depth(s) > depth]:
            del open_runs[other]
        run = open_runs.get(scheme)
        if run and candidate.label.ordinal is not None and candidate.label.ordinal == (run[-1].label.ordinal or 0) + 1:
            run.append(candidate)
        else:
            open_runs[scheme] = [candidate]
            runs.append(open_runs[scheme])
    for run in runs:
        items = sum(c.evidence < HEADING for c in run)
        threshold = STRONG if 2 * items >= len(run) else HEADING
        for candidate in run:
            candidate.heading = candidate.evidence >= threshold


def _depth(scheme: str) -> int:
    return NATURAL_LEVEL.get(scheme, 0)  # an attachment interrupts everything


# ---------------------------------------------------------------- 3–5. the tree


class _Tree:
    def __init__(self, template: Template, blocks: list[Block]):
        self.template = template
        self.blocks = blocks
        self.roots: list[Node] = []
        self.stack: list[Node] = []  # the open path: stack[d] is the last node at level d+1

    # -- placing headings

    def place(self, candidate: Candidate) -> None:
        node = Node.of(candidate)
        node.matches = self.template.matches(node.title)
        options = [
            (self._cost(node, self.stack[d], self.stack[d - 1] if d else None), d + 1) for d in range(len(self.stack))
        ]
        options.append((self._cost(node, None, self.stack[-1] if self.stack else None), len(self.stack) + 1))
        _, level = min(options, key=lambda o: (o[0], -o[1]))  # on a tie, the deeper place
        previous = self.stack[level - 1] if level <= len(self.stack) else None
        del self.stack[level - 1 :]
        node.level = level
        node.parent = self.stack[-1] if self.stack else None
        node.schemes = (previous.schemes if previous else frozenset()) | {node.scheme}
        self._assign_key(node)
        (node.parent.children if node.parent else self.roots).append(node)
        self.stack.append(node)

    def _cost(self, node: Node, previous: Node | None, parent: Node | None) -> float:
        """Cost of placing `node` right after sibling `previous` (None: as a new level under `parent`)."""
        ordinal = node.ordinal or 0
        if previous is not None:
            expected = (previous.ordinal or 0) + 1
            sequence = (
                0
                if ordinal == expected
                else 2
                if expected < ordinal <= expected + 2
                else 3
                if ordinal == expected - 1
                else 6
            )
            style = 0 if node.scheme == previous.scheme else 1 if node.scheme in previous.schemes else 3
        else:
            sequence = 0 if ordinal == 1 else 4 if ordinal == 2 else 6
            style = 3 if any(open_node.scheme == node.scheme for open_node in self.stack) else 0
            if parent is not None and NATURAL_LEVEL[node.scheme] <= NATURAL_LEVEL.get(parent.scheme, 0):
                style += 1  # "一、" under "（一）" goes against GB/T 9704's order
        return sequence + style + self._template_cost(node, parent)

    def _template_cost(self, node: Node, parent: Node | None) -> float:
        if not node.matches:
            return 0
        allowed = {s.key for s in self._allowed(parent)}
        return -3 if any(section.key in allowed for section, _ in node.matches) else 2

    def _allowed(self, parent: Node | None) -> list[TemplateSection]:
        """Template sections that may stand under `parent`."""
        if parent is None or parent.scheme == "part":
            return self.template.children(None)
        return self.template.children(parent.key) if parent.key else []

    def _assign_key(self, node: Node) -> None:
        siblings = node.parent.children if node.parent else self.roots
        used = {s.key for s in siblings if s.key}
        last_order = max((s.order for k in used if (s := self.template.section(k))), default=0)
        allowed = {s.key for s in self._allowed(node.parent)}
        ranked = [
            (score + (ORDER_PRIOR if section.order == last_order + 1 else 0), score, section.key)
            for section, score in node.matches
            if section.key in allowed and section.key not in used
        ]
        if ranked:
            _, node.score, node.key = max(ranked)

    # -- attachments

    def attach(self, region: list[Candidate]) -> None:
        """The attachments section, from the first 附件 heading (region[0]) to the end of the document."""
        first = region[0]
        found = _ATTACHMENT_WORD.match(first.label.label)
        word = found.group() if found else first.label.label
        parent = Node(
            first.label.label if first.label.ordinal is None else word,
            word,
            first.block,
            "attachment",
            first.label.form,
            None,
            run_in=first.label.ordinal is None and bool(first.label.title),
        )
        attachments = self.template.section("attachments")
        if attachments:
            parent.key, parent.score = attachments.key, 100.0
        self.roots.append(parent)
        numbered = [c for c in region if c.label.scheme == "attachment" and c.label.ordinal is not None]
        children = [self._attachment_child(c) for c in numbered] if numbered else self._listed_attachments(region)
        for child in children:
            child.level, child.parent = 2, parent
            child.matches = self.template.matches(child.title)
            self._assign_key(child)
            parent.children.append(child)

    def _attachment_child(self, candidate: Candidate) -> Node:
        """A 附件N heading; its title, when not on the same line, is the short paragraph after it."""
        node = Node.of(candidate)
        following = self.blocks[candidate.block.index + 1] if candidate.block.index + 1 < len(self.blocks) else None
        if not node.title and following is not None and following.kind == "paragraph":
            text = following.text.strip()
            if len(text) <= LONG_TITLE and parse_label(text) is None:
                node.title = text
        return node

    def _listed_attachments(self, region: list[Candidate]) -> list[Node]:
        """ "附件：1.部门整体支出绩效评价基础数据表" and the numbered lines that continue the list; or the one
        attachment of "附件：部门整体支出绩效自评表"."""
        first = region[0]
        items: list[tuple[Label, Block]] = []
        inline = parse_label(first.label.title)
        if inline is not None:
            items.append((inline, first.block))
        elif first.label.title:
            return [Node("", first.label.title, first.block, "attachment", "", None)]
        for candidate in region[1:]:
            label = candidate.label
            if items and (label.scheme != items[0][0].scheme or label.ordinal != (items[-1][0].ordinal or 0) + 1):
                break
            if not items and label.ordinal != 1:
                break
            items.append((label, candidate.block))
        return [
            Node(label.label, label.title, block, label.scheme, label.form, label.ordinal) for label, block in items
        ]

    # -- numbering expected by the sequence

    def mark_expected_numbers(self) -> None:
        body = [root for root in self.roots if root.scheme != "attachment"]  # an attachment list is no outline level
        numbered = [n for n in _walk(body) if n.ordinal is not None]
        by_level: dict[int, Counter[str]] = {}
        scheme_of_form: dict[str, str] = {}
        for node in numbered:
            by_level.setdefault(node.level, Counter())[node.form] += 1
            scheme_of_form[node.form] = node.scheme
        offset = 1 if any(n.scheme == "part" for n in self.roots) else 0
        dominant = {
            level: max(counts, key=lambda f: (counts[f], NATURAL_LEVEL[scheme_of_form[f]] == level - offset))
            for level, counts in by_level.items()
        }
        for group in [body, *(n.children for n in numbered)]:
            previous = 0
            for node in group:
                if node.ordinal is None:
                    continue
                expected = previous + 1
                if node.form != dominant[node.level] or node.ordinal != expected:
                    node.expected = render_label(dominant[node.level], expected)
                # a repeated number does not shift the ones after it: 二、二、四、 wants only 三、
                previous = max(node.ordinal, expected)

    # -- output

    def sections(self, last_block: int) -> list[Section]:
        ordered = list(_walk(self.roots))
        ids: dict[int, str] = {}
        sections = []
        for position, node in enumerate(ordered):
            siblings = node.parent.children if node.parent else self.roots
            index = next(i for i, s in enumerate(siblings, 1) if s is node)
            parent_id = ids[id(node.parent)] if node.parent else None
            ids[id(node)] = f"{parent_id}.{index}" if parent_id else str(index)
            following = next((n for n in ordered[position + 1 :] if n.level <= node.level), None)
            end = following.block.index - 1 if following else last_block
            sections.append(
                Section(
                    id=ids[id(node)],
                    parent=parent_id,
                    level=node.level,
                    number=node.number,
                    title=node.title,
                    key=node.key,
                    score=node.score,
                    page=node.block.page,
                    block=node.block.index,
                    block_start=node.block.index,
                    block_end=max(end, node.block.index),
                    expected_number=node.expected,
                    run_in=node.run_in,
                )
            )
        return sections


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)
