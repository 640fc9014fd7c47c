"""The target review grouped by project, as a finance bureau's 初审 table has it: one row per project
(项目编码, 项目名称), its reviewers' remarks numbered under 完整性 / 可测性 / 可行性, and a 小结.

Built from plain finding and form dicts (a record's, or rows of the batch database), so the CLI, the
review page and the workbook export all show the same table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..config import Config

DIMENSIONS = ("完整性", "可测性", "可行性")
PASSED = "审核通过"
# what a review is of: a 绩效目标申报表, the 目标 part of a 自评表 read as a form, or the indicator table of
# a self-evaluation that was not (its findings name the project as its table does)
ReviewKind = Literal["target_form", "self_evaluation", "indicator_table"]


@dataclass
class ProjectReview:
    doc_id: Any  # the document's key where several documents are grouped, else None
    path: str
    block: int | None
    project: str | None  # how the findings name it: its code, else its name
    code: str | None = None  # 项目编码, only where the form has one
    name: str | None = None
    unit: str | None = None
    sheet: str | None = None
    kind: ReviewKind = "target_form"
    # the findings under each column of the 初审 table
    remarks: dict[str, list[Mapping[str, Any]]] = field(default_factory=lambda: {d: [] for d in DIMENSIONS})
    items: list[str] = field(default_factory=list)  # the reviewers' problem names, in order, once each

    def cell(self, dimension: str) -> str:
        """A column of the 初审 table: the remarks numbered, or 审核通过."""
        remarks = self.remarks[dimension]
        return "\n".join(f"{n}. {f['message']}" for n, f in enumerate(remarks, 1)) if remarks else PASSED

    @property
    def form(self) -> bool:
        """A 绩效目标申报表: the bureau's 初审 table is about these."""
        return self.kind == "target_form"

    @property
    def summary(self) -> str:
        """小结: 审核通过, or what to change, by problem name."""
        return PASSED if not self.items else "需修改：" + "、".join(self.items)


def _whole_department(form: Mapping[str, Any]) -> str | None:
    """A 部门整体 自评表 has no project: it is about the department (as checks.targets.project_of has it)."""
    return form.get("department") or form.get("unit") if form.get("kind") == "self_evaluation" else None


def group_by_project(
    config: Config,
    findings: Iterable[Mapping[str, Any]],
    forms: Iterable[Mapping[str, Any]],
    path_of: Mapping[Any, str] | None = None,
) -> list[ProjectReview]:
    """The target-review findings (category "targets") of one or more documents, one `ProjectReview` per
    project: a target form (matched by document and block) or a self-evaluation table. Forms without a
    finding are reviews too (审核通过). `doc_id` keys the documents when several are given; `path_of`
    names them."""
    path_of = path_of or {}
    rules = config.rules
    reviews: dict[tuple[Any, int | None], ProjectReview] = {}
    for form in forms:
        key = (form.get("doc_id"), form["block"])
        name = form.get("project_name") or _whole_department(form) or form.get("sheet")
        reviews[key] = ProjectReview(
            doc_id=form.get("doc_id"),
            path=path_of.get(form.get("doc_id"), form.get("path", "")),
            block=form["block"],
            project=form.get("project_code") or name,
            code=form.get("project_code"),
            name=name,
            unit=form.get("unit"),
            sheet=form.get("sheet"),
            kind=form.get("kind") or "target_form",
        )
    for finding in findings:
        if finding["category"] != "targets":
            continue
        key = (finding.get("doc_id"), finding.get("block"))
        review = reviews.get(key)
        if review is None:
            review = reviews[key] = ProjectReview(
                doc_id=finding.get("doc_id"),
                path=path_of.get(finding.get("doc_id"), finding.get("path", "")),
                block=finding.get("block"),
                project=finding.get("project"),
                name=finding.get("project"),
                kind="indicator_table",
            )
        review.remarks[rules[finding["rule"]].dimension or DIMENSIONS[0]].append(finding)
        if finding.get("item") and finding["item"] not in review.items:
            review.items.append(finding["item"])
    return sorted(reviews.values(), key=lambda r: (r.path, r.block if r.block is not None else -1))
