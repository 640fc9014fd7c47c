"""Copies across documents: paragraphs that stand near word for word in another department's
report, or in the same department's report of the previous year (rules C2xx).

Unlike the other checks this one looks at a whole collection, so the batch runner calls it over
the stored paragraphs. It scales to thousands of documents:
1. identical paragraphs (after removing white space) are grouped by hashing the text;
2. near-identical pairs of distinct texts are found with a pigeonhole index: a text within Indel
   distance d of another keeps one of its d+1 pieces intact in it, so each text's pieces go into a
   dict and every text probes it with its substrings; only those candidates are scored with
   rapidfuzz (`process.extract` with a score cut-off);
3. similar texts form clusters; a cluster spread over more than `max_departments` departments is
   template text, not a copy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from rapidfuzz import fuzz, process

from ..cjk import to_halfwidth
from ..config import Config
from ..records import Copy, Paragraph
from .engine import make_finding
from .identity import digest


@dataclass(frozen=True)
class CopySettings:
    min_chars: int
    min_similarity: float
    max_departments: int


def copy_settings(config: Config) -> CopySettings:
    return CopySettings(**config.settings["copies"]["copies"])


def normalize(text: str) -> str:
    """The text compared: half-width, every white space removed (Chinese has no word spaces)."""
    return "".join(to_halfwidth(text).split())


def _max_distance(length: int, slack: Fraction) -> int:
    """The largest Indel distance a text of `length` can have from any text it is similar to.

    ratio = 1 - dist/(L+M) >= 1-e, and dist >= |L-M|, so M <= L(1+e)/(1-e) and dist <= 2eL/(1-e).
    """
    return int(2 * slack * length / (1 - slack))


def _pieces(text: str, slack: Fraction) -> list[str]:
    count = _max_distance(len(text), slack) + 1
    return [text[n * len(text) // count : (n + 1) * len(text) // count] for n in range(count)]


def similar_pairs(texts: list[str], min_similarity: float) -> dict[tuple[int, int], float]:
    """Scores of every pair (i < j) of `texts` whose rapidfuzz ratio is at least `min_similarity`."""
    slack = Fraction(100 - Fraction(min_similarity), 100)
    index: dict[str, list[int]] = defaultdict(list)
    piece_lengths: dict[int, set[int]] = defaultdict(set)  # text length -> lengths of its pieces
    for i, text in enumerate(texts):
        for piece in _pieces(text, slack):
            index[piece].append(i)
            piece_lengths[len(text)].add(len(piece))
    pairs: dict[tuple[int, int], float] = {}
    for j, text in enumerate(texts):
        length = len(text)
        lowest = int(length * (1 - slack) / (1 + slack))
        highest = int(length * (1 + slack) / (1 - slack)) + 1
        lengths = set().union(*(piece_lengths.get(m, ()) for m in range(lowest, highest + 1)))
        candidates = {
            i for k in lengths for pos in range(length - k + 1) for i in index.get(text[pos : pos + k], ()) if i < j
        }
        if not candidates:
            continue
        found = process.extract(
            text, {i: texts[i] for i in candidates}, scorer=fuzz.ratio, score_cutoff=min_similarity, limit=None
        )
        pairs.update(((i, j), score) for _, score, i in found)
    return pairs


def _clusters(size: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected groups of text indices (union-find); a lone text may still stand in many documents."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(size):
        groups[root(i)].append(i)
    return list(groups.values())


def same_department(a: str, b: str) -> bool:
    """One department named with or without its city: 赫山区商务局 = 益阳市赫山区商务局."""
    return a.endswith(b) or b.endswith(a)


def _relation(later: Paragraph, earlier: Paragraph) -> str | None:
    """The rule a pair of places in two documents falls under, if any."""
    if later.doc_id == earlier.doc_id or not (later.department and earlier.department):
        return None
    if not same_department(later.department, earlier.department):
        return "C201"
    if later.year is not None and earlier.year == later.year - 1:
        return "C202"
    return None  # the same report in another format, or years apart


def _place(paragraph: Paragraph) -> str:
    parts = [paragraph.path]
    if paragraph.page is not None:
        parts.append(f"第{paragraph.page}页")
    if paragraph.section_label:
        parts.append(paragraph.section_label)
    return "，".join(parts)


def find_copies(config: Config, paragraphs: Iterable[Paragraph], settings: CopySettings | None = None) -> list[Copy]:
    """Every paragraph that copies an earlier document's, as a finding on the later document."""
    settings = settings or copy_settings(config)
    by_text: dict[str, list[Paragraph]] = defaultdict(list)
    for paragraph in paragraphs:
        if not paragraph.is_heading:
            text = normalize(paragraph.text)
            if len(text) >= settings.min_chars:
                by_text[text].append(paragraph)
    texts = list(by_text)
    scores = similar_pairs(texts, settings.min_similarity)

    def similarity(i: int, j: int) -> float | None:
        return 100.0 if i == j else scores.get((min(i, j), max(i, j)))

    copies = []
    for cluster in _clusters(len(texts), scores):
        places = [(p, i) for i in cluster for p in by_text[texts[i]]]
        if len({p.department for p, _ in places if p.department}) > settings.max_departments:
            continue
        places.sort(key=lambda place: (place[0].year or 0, place[0].path, place[0].block))
        for n, (later, i) in enumerate(places):
            sources = [
                (rule, earlier, score)
                for earlier, j in places[:n]
                if (rule := _relation(later, earlier))
                and config.rules[rule].enabled  # a rule switched off in the data
                and (score := similarity(i, j)) is not None
            ]
            if not sources:
                continue
            # the previous year's own report explains a repeat best; else the earliest other department
            rule, earlier, score = min(sources, key=lambda s: s[0] != "C202")
            # a copy is the paragraph's text and where it came from, wherever it stands in either report
            identity = [later.text.strip(), earlier.department or "", str(earlier.year or "")]
            finding = make_finding(
                config,
                rule,
                section=later.section,
                page=later.page,
                block=later.block,
                fingerprint=digest(rule, later.section_label or "", identity),
                other=_place(earlier),
                department=earlier.department,
                year=earlier.year,
                similarity=f"{score:.0f}",
            )
            copies.append(Copy(later.doc_id, finding, earlier.doc_id, earlier.block))
    return copies
