"""Report templates (schemas/templates/*.json): the canonical outline a report follows, and fuzzy
mapping of printed heading titles onto its keys.

A title is compared on its normalised form (no label, spaces, brackets, 的/情况 fillers or trailing
punctuation) against the canonical title and every variant of a section, with rapidfuzz's ratio;
below `MATCH_THRESHOLD` a heading gets no key. The template of a document is chosen by which one's
headings its titles match best, helped by title words (项目支出 vs 部门整体) and region names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz import fuzz, process

from ..cjk import to_halfwidth
from ..config import derived
from ..memo import per_document
from ..patterns import lazy

if TYPE_CHECKING:
    from ..config import Config

MATCH_THRESHOLD = 70.0  # 0..100; "部门职能" ~ "部门职能职责" scores 80, "基本支出" ~ "基本情况" 67
# A title that contains a whole variant, like "茂名市…2024年度部门整体支出绩效自评表" contains
# "部门整体支出绩效自评表", scores CONTAINED, unless it is more than CONTAINED_SPAN times as long.
CONTAINED, CONTAINED_MIN, CONTAINED_SPAN = 90.0, 5, 3
_FILLERS = lazy(r"[\s()（）\[\]【】《》“”\"'‘’、，,。.：:；;]|的|情况")
TITLE_WORD_BONUS = 300.0  # a document that calls itself 项目支出绩效自评报告 is a project report
REGION_BONUS = 150.0  # one matched heading is worth up to 100
MATCHES_KEPT = 4096


class TemplateSection(NamedTuple):
    key: str
    title: str  # canonical title in this template
    variants: tuple[str, ...]
    mandatory: bool
    recommended: bool  # expected but often dropped: its absence is a warning, not an error
    may_be_empty: bool  # may say only "无"
    level: int
    order: int
    parent: str | None
    normalised: tuple[str, ...]  # title and variants, normalised


@dataclass(frozen=True, eq=False)
class Template:
    id: str
    name: str
    report_kind: str  # the DocumentKind it describes: "dept_self_evaluation", "final_accounts" …
    priority: int  # tie-break between templates that match equally: lower wins
    title_words: tuple[str, ...]
    regions: tuple[str, ...]
    sections: tuple[TemplateSection, ...]
    # the sections each normalised title matched (a memo on the template, which the Config holds)
    _matched: dict[str, list[tuple[TemplateSection, float]]] = field(default_factory=dict, compare=False, repr=False)

    def section(self, key: str) -> TemplateSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def children(self, parent: str | None) -> list[TemplateSection]:
        return [s for s in self.sections if s.parent == parent]

    def matches(self, title: str) -> list[tuple[TemplateSection, float]]:
        """The sections `title` matches at or above the threshold, best first."""
        if not self.sections:
            return []
        normalised = normalise_title(title)
        found = self._matched.get(normalised)
        if found is None:
            if len(self._matched) >= MATCHES_KEPT:  # a batch sees endless titles: keep the memo bounded
                self._matched.clear()
            found = self._matched[normalised] = _matches(self, normalised)
        return found

    @cached_property
    def choices(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """Every normalised variant of the template, and the index of the section it belongs to."""
        pairs = [(v, i) for i, section in enumerate(self.sections) for v in section.normalised]
        return tuple(v for v, _ in pairs), tuple(i for _, i in pairs)

    @classmethod
    def from_data(cls, data: dict) -> Template:
        """A template from its file's data (validated by datafiles.TemplateFile)."""
        sections = tuple(
            TemplateSection(
                key=s["key"],
                title=s["title"],
                variants=tuple(s["variants"]),
                mandatory=s["mandatory"],
                recommended=s.get("recommended", False),
                may_be_empty=s["may_be_empty"],
                level=s["level"],
                order=s["order"],
                parent=s["parent"],
                normalised=tuple(dict.fromkeys(normalise_title(t) for t in (s["title"], *s["variants"]))),
            )
            for s in data["sections"]
        )
        return cls(
            id=data["id"],
            name=data["name"],
            report_kind=data["report_kind"],
            priority=data["priority"],
            title_words=tuple(data["title_words"]),
            regions=tuple(data["regions"]),
            sections=sections,
        )

    @classmethod
    def blank(cls, kind: str) -> Template:
        """No outline to follow: a document of a kind no template describes still gets its section tree."""
        return cls(id="", name="", report_kind=kind, priority=0, title_words=(), regions=(), sections=())


def normalise_title(title: str) -> str:
    """ "部门（单位）基本情况：" -> "部门单位基本"; what fuzzy matching compares."""
    return _FILLERS.sub("", to_halfwidth(title))


def _contains(normalised: str, variant: str) -> bool:
    return len(variant) >= CONTAINED_MIN and variant in normalised and len(normalised) <= CONTAINED_SPAN * len(variant)


def _matches(template: Template, normalised: str) -> list[tuple[TemplateSection, float]]:
    if not normalised:
        return []
    variants, owners = template.choices
    scores = {
        position: float(ratio)
        for _, ratio, position in process.extract(
            normalised, variants, scorer=fuzz.ratio, limit=None, score_cutoff=MATCH_THRESHOLD
        )
    }
    for position, variant in enumerate(variants):  # containment lifts the few that hold a whole variant
        if scores.get(position, 0.0) < CONTAINED and _contains(normalised, variant):
            scores[position] = CONTAINED
    best: dict[int, float] = {}
    for position, score in scores.items():
        best[owners[position]] = max(best.get(owners[position], 0.0), score)
    return sorted(((template.sections[i], score) for i, score in best.items()), key=lambda m: -m[1])


@derived
def _all_variants(config: Config) -> tuple[str, ...]:
    return tuple({v for t in config.templates for s in t.sections for v in s.normalised})


@per_document  # a compilation of reports repeats its headings: each fuzzy-matched against every template once
def is_known_title(config: Config, title: str) -> bool:
    """Whether `title` is (nearly) a heading of some template: evidence that a numbered line is a heading."""
    normalised = normalise_title(title)
    return (
        bool(normalised)
        and process.extractOne(normalised, _all_variants(config), scorer=fuzz.ratio, score_cutoff=MATCH_THRESHOLD)
        is not None
    )


def choose_template(
    config: Config, titles: list[str], opening: str, region_text: str, kind: str | None = None
) -> Template | None:
    """The template that fits a document whose heading titles are `titles`, whose text before its
    first heading (the report's own title) is `opening`, and whose first pages are `region_text`; of the
    templates describing `kind` when given (None when no template describes it)."""

    def fit(template: Template) -> tuple[float, int]:
        best_by_key: dict[str, float] = {}
        for title in titles:
            found = template.matches(title)
            if found:
                section, score = found[0]
                best_by_key[section.key] = max(best_by_key.get(section.key, 0.0), score)
        score = sum(best_by_key.values())
        if any(word in opening for word in template.title_words):
            score += TITLE_WORD_BONUS
        if any(region in region_text for region in template.regions):
            score += REGION_BONUS
        return score, -template.priority

    candidates = [t for t in config.templates if kind is None or t.report_kind == kind]
    return max(candidates, key=fit, default=None)
