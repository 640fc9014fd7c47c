"""The rule registry: every finding's code, category, severity, message and rationale are data.

Rules live in `schemas/rules/*.toml` as `[[rule]]` tables. A finance bureau adds an identity or
changes a severity there, without touching code. Code here only defines a rule (`Config.load` reads them), formats findings and
applies the user's `--select` / `--ignore`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from ..records import Category, DocumentKind, Finding, Severity

if TYPE_CHECKING:
    from ..config import Config


class Rule(BaseModel):
    # frozen, its lists tuples: a rule is shared by every check and document of its rule set
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # unbuilt while a cached Config is used

    code: str  # stable: "A102"
    # `enabled = false` in the data switches a rule off for everyone using that rule set (`--ignore` does it for one
    # run): it stays documented (`jixiao rules` lists it as off) but never fires, and an identity that is off takes
    # no part in the arithmetic (no culprit is pointed at through it)
    enabled: StrictBool = True
    name: str  # short kebab-case name: "basic-expenditure-sum"
    category: Category
    severity: Severity
    message: str  # str.format template, Chinese, with the figures
    rationale: str
    # identities only: the total and its parts by canonical fact key
    total: str | None = None
    parts: tuple[str, ...] = ()
    optional_parts: tuple[str, ...] = ()  # added to the sum when stated
    subtract: tuple[str, ...] = ()  # parts with weight -1 when stated
    min_parts: int = 2  # stated parts needed before the identity is checked: one listed part proves nothing
    # performance-target review only: the problem as the bureau's reviewers name it, and the column of
    # their 初审 table it belongs in (完整性 / 可测性 / 可行性)
    item: str | None = None
    dimension: Literal["完整性", "可测性", "可行性"] | None = None
    # the document kinds the rule describes (empty: every kind); a 部门决算 is not held to a 自评报告's outline
    kinds: tuple[DocumentKind, ...] = ()
    # context dimensions the rule compares across by design (an execution rate divides 决算 by 预算, a growth rate
    # this year by last): figures differing there still make a certain finding
    across: tuple[Literal["year", "period", "basis"], ...] = ()

    def applies_to(self, kind: DocumentKind | None) -> bool:
        """Whether the rule is on and describes documents of `kind`."""
        return self.enabled and (not self.kinds or kind in self.kinds)


def make_finding(
    config: Config,
    code: str,
    *,
    section: str | None = None,
    page: int | None = None,
    block: int | None = None,
    start: int | None = None,
    end: int | None = None,
    facts: list[str] | None = None,
    stated: Decimal | None = None,
    computed: Decimal | None = None,
    tolerance: Decimal | None = None,
    project: str | None = None,
    indicator: str | None = None,
    fingerprint: str | None = None,
    **fields: Any,
) -> Finding:
    """A finding of rule `code`, its message filled from `fields` (and stated/computed/tolerance); a target
    review's finding names its `project` and `indicator` and carries the rule's `item`."""
    rule = config.rules[code]
    values = {
        "stated": stated,
        "computed": computed,
        "tolerance": tolerance,
        "project": project,
        "indicator": indicator,
    }
    values |= fields
    return Finding(
        rule=rule.code,
        category=rule.category,
        severity=rule.severity,
        message=rule.message.format(**{k: shown(v) for k, v in values.items()}),
        section=section,
        page=page,
        block=block,
        start=start,
        end=end,
        facts=facts or [],
        stated=stated,
        computed=computed,
        tolerance=tolerance,
        project=project,
        indicator=indicator,
        item=rule.item,
        fingerprint=fingerprint,
    )


def shown(value: Any) -> Any:
    """A field as a message prints it: Decimals as printed (1E+3 as 1000), None as nothing."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return "" if value is None else value


class Selection(BaseModel):
    """Which findings a user wants, like ruff's --select/--ignore: by code, code prefix or category."""

    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)

    @staticmethod
    def _matches(finding: Finding, patterns: list[str]) -> bool:
        return any(finding.rule.startswith(p) or finding.category == p for p in patterns)

    def keeps(self, finding: Finding) -> bool:
        if self.select and not self._matches(finding, self.select):
            return False
        return not self._matches(finding, self.ignore)


@dataclass
class CheckOptions:
    selection: Selection = field(default_factory=Selection)
    rounding: str = "round"  # "round" (四舍五入, the default) or "truncate", for issuers that truncate
