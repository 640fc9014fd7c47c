"""Agreement of jixiao's performance-target review with a finance bureau's reviewers.

    .venv/bin/python bench/target_review.py [--data ../shared/real/targets] [--out docs/target-review-agreement.md]

The data: real 绩效目标申报表 workbooks and `reviews.jsonl`, the bureau's first-round review (初审) of each
project, written by people, with the problems they named (`items`). For each problem, over the reviewed
projects: recall (of the projects the reviewers named it for, how many jixiao names it for) and precision
(of the projects jixiao names it for, how many the reviewers did). Projects nobody reviewed are left out.

The report lists every disagreement by workbook, sheet number and project code, with the rules that fired
(or the reason none did) and the indicator by its category and row; it never quotes the workbooks' text.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extractor.checks.targets import check_form, copied_policy_bases, policy_basis
from extractor.config import load_default
from extractor.figures.target_forms import extract_target_forms
from extractor.readers import read
from extractor.records import Finding, PolicyBasis, TargetForm, TargetIndicator

config = load_default()  # the installed rule set, validated once for this benchmark

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "real" / "targets"
FREQUENT = 5  # the problems named most often: the bar (precision >= 0.9, recall >= 0.85) applies to them
# where the reviewers' remark about a problem stands (their review dimension) and a word of it: the remark
# quotes the indicators it is about as 质量指标”…“, which the report points at by category and row
REMARKS = {
    "绩效指标表述过于冗长": ("completeness", "冗长"),
    "指标值不具量化易评性": ("measurability", "量化"),
    "时间限制不合理可行": ("feasibility", "时限"),
    "指标解释未填写": ("completeness", "解释"),
    "绩效指标不能留空": ("completeness", "留空"),
}
_QUOTED = re.compile(r"([^、\s“”\"0-9.]{1,8}?)指标[”“\"]([^”“\"]+?)[“”\"]")


@dataclass
class Project:
    workbook: str
    sheet: str
    number: str  # the sheet's ordinal, as its name starts ("12.")
    code: str
    reviewer_items: set[str]
    remarks: dict[str, str]  # the reviewers' remarks by dimension (completeness, measurability, feasibility)
    form: TargetForm
    findings: list[Finding]

    @property
    def our_items(self) -> set[str]:
        return {f.item for f in self.findings if f.item}


@dataclass
class Score:
    item: str
    named_by_reviewers: int = 0
    tp: int = 0
    fp: list[Project] = field(default_factory=list)
    fn: list[Project] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + len(self.fp)) if self.tp + len(self.fp) else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.named_by_reviewers if self.named_by_reviewers else 1.0


@dataclass
class Agreement:
    projects: list[Project]
    unmatched_reviews: int
    scores: dict[str, Score]  # by the reviewers' problem name, most often named first
    extra_items: Counter  # items jixiao names that are not in the reviewers' vocabulary, by project count

    def frequent(self) -> list[Score]:
        return list(self.scores.values())[:FREQUENT]


def review(data: Path = DATA) -> Agreement:
    """jixiao's review of every reviewed project of `data`, scored against the reviewers' items."""
    reviews = [json.loads(line) for line in (data / "reviews.jsonl").read_text(encoding="utf-8").splitlines() if line]
    by_sheet = {(r["workbook"], r["sheet"]): r for r in reviews if r["reviewed"]}
    projects: list[Project] = []
    bases: list[PolicyBasis] = []  # every form's, reviewed or not: the batch the reviewers had before them
    for workbook in sorted({r["workbook"] for r in reviews}):
        for form in extract_target_forms(config, read(data / workbook)):
            if (basis := policy_basis(workbook, form)) is not None:
                bases.append(basis)
            decision = by_sheet.get((workbook, form.sheet or ""))
            if decision is None:
                continue
            number = (form.sheet or "").split(".")[0]
            remarks = {key: decision[key] or "" for key in ("completeness", "measurability", "feasibility")}
            projects.append(Project(workbook, form.sheet or "", number, decision["project_code"],
                                    set(decision["items"]), remarks, form, check_form(config, form)))  # fmt: skip
    by_place = {(p.workbook, p.form.block): p for p in projects}
    for copy in copied_policy_bases(config, bases):  # the checks across the batch's forms
        if (project := by_place.get((copy.doc_id, copy.finding.block))) is not None:
            project.findings.append(copy.finding)
    vocabulary = Counter(item for p in projects for item in p.reviewer_items)
    scores = {item: Score(item, count) for item, count in vocabulary.most_common()}
    extra: Counter = Counter()
    for project in projects:
        for item, score in scores.items():
            ours, theirs = item in project.our_items, item in project.reviewer_items
            if ours and theirs:
                score.tp += 1
            elif ours:
                score.fp.append(project)
            elif theirs:
                score.fn.append(project)
        extra.update(project.our_items - set(scores))
    return Agreement(projects, len(by_sheet) - len(projects), scores, extra)


# ---------------------------------------------------------------- the report


def _where(project: Project) -> str:
    return f"{project.workbook} #{project.number} `{project.code}`"


def _rows(project: Project, item: str) -> str:
    """The rules that named `item` and the indicators by category and grid row (no quoted text)."""
    rows = {i.name: i for i in project.form.indicators}
    parts = []
    for finding in project.findings:
        if finding.item != item:
            continue
        indicator = rows.get(finding.indicator) if finding.indicator else None
        place = f" ({indicator.level2}, row {indicator.row + 1})" if indicator else ""
        parts.append(f"{finding.rule}{place}")
    return ", ".join(parts) or "none"


def _quoted(project: Project, item: str) -> list[TargetIndicator]:
    """The indicators the reviewers' remark on `item` quotes (as 质量指标”…“), matched to the form's rows."""
    if item not in REMARKS or item not in project.reviewer_items:
        return []
    key, word = REMARKS[item]
    text = " ".join(project.remarks[key].split())
    remark = " ".join(part for part in re.split(r"\s(?=\d\.)", text) if word in part)
    rows = {"".join((i.name or "").split()): i for i in project.form.indicators}
    found = (rows.get("".join(name.split())) for _, name in _QUOTED.findall(remark))
    return [indicator for indicator in found if indicator is not None]


def _named_by_reviewers(project: Project, item: str) -> str:
    """The indicators the reviewers quote for `item`, by category and row, with what jixiao read their
    target value as (measure, deadline, qualitative …); never their text."""
    return "; ".join(
        f"{i.level2}, row {i.row + 1}: name {len(''.join((i.name or '').split()))} characters, value read as {i.target_kind}"
        for i in _quoted(project, item)
    )


def indicator_recall(agreement: Agreement, item: str) -> tuple[int, int]:
    """Of the indicators the reviewers quote for `item` (their remarks name some, not all), how many jixiao
    names the same problem for: (agreed, quoted)."""
    agreed = quoted = 0
    for project in agreement.projects:
        ours = {f.indicator for f in project.findings if f.item == item}
        for indicator in _quoted(project, item):
            quoted += 1
            agreed += "".join((indicator.name or "").split()) in ours
    return agreed, quoted


def report(agreement: Agreement, notes: dict[str, str]) -> str:
    reviewed = len(agreement.projects)
    lines = [
        "# Target review: agreement with the bureau's reviewers",
        "",
        f"Generated by `bench/target_review.py` on ../shared/real/targets: {reviewed} reviewed projects "
        f"(one per sheet; projects nobody reviewed left out; {agreement.unmatched_reviews} reviewed project(s) "
        "without a readable form).",
        "Per problem, over the reviewed projects: recall = of the projects the reviewers named it for, how many "
        "jixiao names it for; precision = of the projects jixiao names it for, how many the reviewers did. "
        f"The bar for the {FREQUENT} most frequent problems: precision ≥ 0.9 and recall ≥ 0.85.",
        "",
        "| problem (reviewers' name) | named by reviewers | jixiao agrees | jixiao only | reviewers only | precision | recall | bar |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for rank, score in enumerate(agreement.scores.values()):
        bar = ""
        if rank < FREQUENT:
            bar = "met" if score.precision >= 0.9 and score.recall >= 0.85 else "**not met**"
        lines.append(
            f"| {score.item} | {score.named_by_reviewers} | {score.tp} | {len(score.fp)} | {len(score.fn)} "
            f"| {score.precision:.2f} | {score.recall:.2f} | {bar} |"
        )
    lines += ["", "Per indicator, where the reviewers' remarks quote indicators (they quote some, not all, so only "
              "recall is measured): of the indicators quoted for a problem, how many jixiao names it for.", "",
              "| problem | indicators quoted | jixiao agrees | recall |", "|---|---:|---:|---:|"]  # fmt: skip
    for item in REMARKS:
        agreed, quoted = indicator_recall(agreement, item)
        if quoted:
            lines.append(f"| {item} | {quoted} | {agreed} | {agreed / quoted:.2f} |")
    lines += ["", "Problems jixiao names that are not in the reviewers' vocabulary (projects):", ""]
    lines += [f"- {item}: {count}" for item, count in agreement.extra_items.most_common()] or ["- none"]
    lines += ["", "## Disagreements", ""]
    for score in agreement.scores.values():
        if not score.fp and not score.fn:
            continue
        lines += [f"### {score.item}", ""]
        note = notes.get(score.item, "")
        # a problem's note: a paragraph, or {"summary": paragraph, "projects": {code: why this one}}
        summary, why = (note, {}) if isinstance(note, str) else (note["summary"], note.get("projects", {}))
        if summary:
            lines += [summary, ""]
        for project in score.fn:
            named = _named_by_reviewers(project, score.item)
            lines.append(f"- reviewers only: {_where(project)}" + (f" ({named})" if named else "")
                         + (f": {why[project.code]}" if project.code in why else ""))  # fmt: skip
        for project in score.fp:
            lines.append(f"- jixiao only: {_where(project)}: {_rows(project, score.item)}"
                         + (f"; {why[project.code]}" if project.code in why else ""))  # fmt: skip
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "target-review-agreement.md")
    parser.add_argument("--notes", type=Path, default=ROOT / "bench" / "target_review_notes.json",
                        help="the explanations of the disagreements, by problem (and by project code), "
                             "written after reading them")  # fmt: skip
    args = parser.parse_args()
    agreement = review(args.data)
    notes = json.loads(args.notes.read_text(encoding="utf-8")) if args.notes.is_file() else {}
    args.out.write_text(report(agreement, notes) + "\n", encoding="utf-8")
    for score in agreement.scores.values():
        print(f"{score.item}\t{score.named_by_reviewers}\tP={score.precision:.2f}\tR={score.recall:.2f}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
