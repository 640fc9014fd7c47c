"""The standard indicators of the researcher's panel (schemas/indicators/standard.toml), and one
document's row: each indicator's value, where it came from, and the sources that disagree.

A value is read from the first source of the indicator's list that yields one; every other source
is read too, and one that yields a different value (beyond what printing rounding allows, compared as
intervals like the checks do) is recorded as a conflict of the row, not hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from ..checks.intervals import Measure, fact_money, money, number
from ..cjk import to_halfwidth
from ..config import Config
from ..patterns import lazy
from ..records import BudgetRow, Context, DocumentKind, EvalTable, Fact, FiscalTable, Kpi, Record

WAN = Decimal(10000)
Unit = Literal["万元", "%", "分", "个", "grade"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # unbuilt while a cached Config is used


class ContextFilter(_Model):
    """The context values an indicator's facts may have; a dimension not listed is not filtered."""

    period: list[str] | None = None
    basis: list[str] | None = None
    fund: list[str] | None = None
    subject_kind: list[str] | None = None
    # dimensions a fact must state: where the unstated default means something else (人员经费 under the
    # department's total is of all funds, so it is no figure of the general budget's 人员经费)
    required: list[Literal["period", "basis", "fund", "subject_kind"]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_values(self) -> ContextFilter:
        for name in self.required:
            if getattr(self, name) is None:
                raise ValueError(f"context {name} is required but lists no values")
        for name in ("period", "basis", "fund", "subject_kind"):
            allowed = _literal_values(name)
            for value in getattr(self, name) or []:
                if value not in allowed:
                    raise ValueError(f"context {name} {value!r} is not one of {sorted(allowed)}")
        return self


def _literal_values(name: str) -> set[str]:
    annotation = Context.model_fields[name].annotation
    return {v for arg in getattr(annotation, "__args__", ()) for v in getattr(arg, "__args__", ())}


class Source(_Model):
    kind: Literal["fiscal_table", "fact", "eval_row", "eval_table", "kpi", "kpi_count"]
    standards: list[str] = Field(default_factory=list)  # fiscal_table: standard names (schemas/tables/fiscal.toml)
    panel: str | None = None  # fiscal_table: the side of a two-sided table
    key: str | None = None  # fact
    origin: Literal["text", "table"] | None = None  # fact
    table_kinds: list[str] = Field(default_factory=list)  # eval_row, eval_table, kpi_count
    rows: list[str] = Field(default_factory=list)  # eval_row
    column: str | None = None  # eval_row: a BudgetRow field
    field: str | None = None  # eval_table: an EvalTable field
    labels: list[str] = Field(default_factory=list)  # kpi
    unit: str | None = None  # kpi
    met: bool = False  # kpi_count
    document_kinds: list[str] = Field(default_factory=list)  # only documents of these kinds

    @model_validator(mode="after")
    def _complete(self, info: ValidationInfo) -> Source:
        needs = {
            "fiscal_table": ("standards", "column"),
            "fact": ("key", "origin"),
            "eval_row": ("table_kinds", "rows", "column"),
            "eval_table": ("table_kinds", "field"),
            "kpi": ("labels", "unit"),
            "kpi_count": ("table_kinds",),
        }[self.kind]
        missing = [name for name in needs if not getattr(self, name)]
        if missing:
            raise ValueError(f"a {self.kind} source needs {', '.join(missing)}")
        # the keys and tables it names are those of the other data files, given when the whole folder is
        # loaded (extractor/config.py); a file validated alone is checked for its own shape only
        known = info.context or {}
        if self.key and "fiscal_keys" in known and self.key not in known["fiscal_keys"]:
            raise ValueError(f"fact key {self.key!r} is not a term of schemas/lexicon/fiscal_terms.toml")
        if self.kind == "fiscal_table":
            for standard in self.standards if "fiscal_layouts" in known else ():
                layout = known["fiscal_layouts"].by_standard(standard)
                if layout is None:
                    raise ValueError(f"{standard!r} is not a standard table of schemas/tables/fiscal.toml")
                if self.column not in {c.key for c in layout.columns}:
                    raise ValueError(f"{standard} has no column {self.column!r}")
        elif self.column and self.column not in BudgetRow.model_fields:
            raise ValueError(f"column {self.column!r} is not a BudgetRow field")
        if self.field and self.field not in EvalTable.model_fields:
            raise ValueError(f"field {self.field!r} is not an EvalTable field")
        if unknown := [k for k in self.document_kinds if k not in get_args(DocumentKind)]:
            raise ValueError(f"document kinds {unknown} are not DocumentKind values")
        kinds = _literal_values_of(EvalTable, "kind")
        if unknown := [k for k in self.table_kinds if k not in kinds]:
            raise ValueError(f"table kinds {unknown} are not EvalTable kinds")
        return self

    def describe(self) -> str:
        """One line for the data dictionary."""
        if self.kind == "fiscal_table":
            rows = f" row {'/'.join(self.rows)}" if self.rows else ""
            return f"决算 table {'/'.join(self.standards)}{rows}, column {self.column}"
        if self.kind == "fact":
            return f"{'table cell' if self.origin == 'table' else 'prose'} figure with key {self.key}"
        if self.kind == "eval_row":
            return f"{'/'.join(self.table_kinds)} row {'/'.join(self.rows)}, column {self.column}"
        if self.kind == "eval_table":
            return f"{'/'.join(self.table_kinds)} {self.field}"
        if self.kind == "kpi":
            return f"prose indicator {'/'.join(self.labels)} in {self.unit}"
        return f"{'met ' if self.met else ''}quantified indicators of the {'/'.join(self.table_kinds)}"


def _literal_values_of(model: type[BaseModel], name: str) -> set[str]:
    return set(getattr(model.model_fields[name].annotation, "__args__", ()))


class Indicator(_Model):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")  # a column name
    name_zh: str
    name_en: str
    unit: Unit
    about: str
    context: ContextFilter = Field(default_factory=ContextFilter)
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _sources_fit_unit(self) -> Indicator:
        for source in self.sources:
            money_source = source.kind in ("fact", "fiscal_table") or source.column in _MONEY_COLUMNS
            if (self.unit == "万元") != money_source:
                raise ValueError(f"indicator {self.key}: a {source.describe()} cannot give {self.unit}")
        return self

    @property
    def is_text(self) -> bool:
        return self.unit == "grade"

    def dictionary_entry(self) -> str:
        """What the column means, for the data dictionary and the database reference."""
        wanted = {k: v for k, v in self.context.model_dump(exclude={"required"}).items() if v}
        context = "; context " + ", ".join(f"{k} {'/'.join(v)}" for k, v in wanted.items()) if wanted else ""
        order = " > ".join(s.describe() for s in self.sources)
        return f"{self.name_zh} ({self.name_en}), {self.unit}. {self.about.rstrip('.')}{context}. Sources in order: {order}."


_MONEY_COLUMNS = ("budget_initial", "budget_full_year", "executed")


class StandardIndicators(_Model):
    """schemas/indicators/standard.toml: every standard indicator, keys unique."""

    indicator: list[Indicator]

    @model_validator(mode="after")
    def _unique(self) -> StandardIndicators:
        keys = [i.key for i in self.indicator]
        if duplicated := {k for k in keys if keys.count(k) > 1}:
            raise ValueError(f"indicator keys defined twice: {sorted(duplicated)}")
        return self


# ---------------------------------------------------------------- one document's row


@dataclass(frozen=True)
class Candidate:
    """A value one source offers for an indicator."""

    value: Decimal | str  # in the indicator's unit; a grade is text
    measure: Measure | None  # the true values it stands for, in the indicator's unit; None for text
    source: str  # fact id (F3), KPI id (K5), table cell (T2.r8.executed, fiscal FT3.r2c1.total) or table (T2)
    page: int | None
    rank: int = 0  # within one source: context dimensions stated as wanted (more = better)

    def shown(self) -> str:
        page = f" p.{self.page}" if self.page is not None else ""
        return f"{self.source}={self.value}{page}"

    def agrees(self, other: Candidate) -> bool:
        if self.measure is None or other.measure is None:
            return self.value == other.value
        return self.measure.bounds.meets(other.measure.bounds)


@dataclass(frozen=True)
class IndicatorValue:
    key: str
    value: Decimal | str
    source: str
    page: int | None
    conflicts: tuple[str, ...] = ()  # the other sources' differing values: "T2.r8.executed=717.80 p.9"


@dataclass
class DocumentIndicators:
    """One document's row of the panel, before departments are linked across documents."""

    doc_id: str
    path: str
    department: str | None  # as printed
    year: int | None
    kind: str | None
    values: dict[str, IndicatorValue] = field(default_factory=dict)

    def conflicts(self) -> list[str]:
        return [f"{v.key}: {v.source}={v.value} vs {c}" for v in self.values.values() for c in v.conflicts]


def document_indicators(config: Config, record: Record) -> DocumentIndicators:
    """The panel row of one record: every indicator it states, with its source and conflicts."""
    row = DocumentIndicators(
        record.document.sha256,
        record.document.path,
        record.document.department,
        record.document.year,
        record.document.kind,
    )
    # the facts each fact source may take, by key, once for all sources: a typed 决算 table's cells are read by its
    # layout (the fiscal_table sources); a generic reading of the same table block is a second, weaker reading of
    # the same printed cells, not another source
    typed = {t.block for t in record.fiscal_tables}
    facts_by_key: dict[str | None, list[Fact]] = {}
    for fact in record.facts:
        if not (fact.source == "table" and fact.block in typed):
            facts_by_key.setdefault(fact.key, []).append(fact)
    for indicator in config.indicators:
        offered = [_best(_candidates(config, indicator, source, record, facts_by_key)) for source in indicator.sources]
        found = [candidates for candidates in offered if candidates]
        if not found:
            continue
        chosen = found[0][0]
        others = [c for candidates in found for c in candidates if c is not chosen and not c.agrees(chosen)]
        row.values[indicator.key] = IndicatorValue(
            indicator.key, chosen.value, chosen.source, chosen.page, tuple(dict.fromkeys(c.shown() for c in others))
        )
    return row


def _best(candidates: list[Candidate]) -> list[Candidate]:
    """A source's candidates of its best rank, in document order: the first is its value."""
    if not candidates:
        return []
    top = max(c.rank for c in candidates)
    return [c for c in candidates if c.rank == top]


def _candidates(
    config: Config, indicator: Indicator, source: Source, record: Record, facts_by_key: dict[str | None, list[Fact]]
) -> list[Candidate]:
    if source.document_kinds and record.document.kind not in source.document_kinds:
        return []
    if source.kind == "fact":
        year = record.document.year
        return [
            c
            for fact in facts_by_key.get(source.key, [])
            if (c := _fact_candidate(config, indicator, source, fact, year))
        ]
    if source.kind == "kpi":
        return [c for kpi in record.kpis if (c := _kpi_candidate(source, kpi))]
    if source.kind == "fiscal_table":
        fiscal = [t for t in record.fiscal_tables if t.standard in source.standards]
        return _fiscal_candidates(config, source, fiscal[0]) if len(fiscal) == 1 else []
    table = _single_table(record.tables, source.table_kinds)
    if table is None:
        return []
    if source.kind == "eval_row":
        wanted = {_row_label(r) for r in source.rows}  # once for the table's rows
        return [c for row in table.budget_rows if (c := _row_candidate(config, indicator, source, table, row, wanted))]
    if source.kind == "eval_table":
        value = getattr(table, source.field or "")
        if value is None:
            return []
        measure = number(value) if isinstance(value, Decimal) else None
        return [Candidate(value, measure, f"{table.id}.{source.field}", table.page)]
    count = _count_candidate(source, table, record.kpis)
    return [count] if count else []


def _fact_candidate(
    config: Config, indicator: Indicator, source: Source, fact: Fact, year: int | None
) -> Candidate | None:
    if fact.key != source.key or fact.source != source.origin or fact.currency != "CNY":
        return None
    if fact.qualifier or fact.value_max is not None:
        return None  # approximate: never a panel value
    if year is not None and fact.context.year not in (None, year):
        return None
    rank = 0
    for name, allowed in indicator.context.model_dump(exclude={"required"}).items():
        stated = getattr(fact.context, name)
        if stated is None and name in indicator.context.required:
            return None
        if allowed is None or stated is None:
            continue
        if stated not in allowed:
            return None
        rank += 1
    value = fact.value if fact.unit == "万元" else _plain(fact.amount / WAN)
    return Candidate(value, fact_money(config, fact).scaled(1 / WAN), fact.id, fact.page, rank)


def _plain(value: Decimal) -> Decimal:
    """A converted amount without trailing zeros, never in exponent form (1E+3 -> 1000)."""
    return value.normalize() + 0


_ROW_LABEL_NOISE = lazy(r"^(?:\d+[.、．]|[（(]\d+[)）]|[一二三四五六七八九十]+、)?\s*(?:其中[:：]?)?")


def _row_label(label: str) -> str:
    text = "".join(to_halfwidth(label).split())
    return _ROW_LABEL_NOISE.sub("", text).replace("“", "").replace("”", "").replace('"', "")


def _row_candidate(
    config: Config, indicator: Indicator, source: Source, table: EvalTable, row: BudgetRow, wanted: set[str]
) -> Candidate | None:
    """`wanted`: the source's row labels, as `_row_label` reads them."""
    value = getattr(row, source.column or "")
    if value is None or _row_label(row.label) not in wanted:
        return None
    where = f"{table.id}.r{row.row}.{source.column}"
    if indicator.unit == "万元":
        measure = money(config, value, table.unit)
        if measure is None:  # a table without a stated money unit: its cells cannot be put in 万元
            return None
        value_wan = value if table.unit == "万元" else _plain(measure.value / WAN)
        return Candidate(value_wan, measure.scaled(1 / WAN), where, table.page)
    return Candidate(value, number(value), where, table.page)


def _fiscal_candidates(config: Config, source: Source, table: FiscalTable) -> list[Candidate]:
    """The cell of `column` in the row named one of `rows` (the table's only row with it when `rows` is empty)."""
    wanted = {_row_label(r) for r in source.rows}
    candidates = []
    for row in table.rows:
        cell = row.cell(source.column or "")
        if cell is None or cell.value is None or row.code is not None or (source.panel and row.panel != source.panel):
            continue
        if wanted and _row_label(row.label) not in wanted:
            continue
        measure = money(config, cell.value, table.unit)
        if measure is None:  # no 单位 caption: the cell cannot be put in 万元
            continue
        value = cell.value if table.unit == "万元" else _plain(measure.value / WAN)
        page = cell.page if cell.page is not None else table.page
        # a cell by its grid position: the two sides of a two-sided table share row numbers
        where = f"{table.id}.r{cell.row}c{cell.col}.{source.column}"
        candidates.append(Candidate(value, measure.scaled(1 / WAN), where, page))
    return candidates if wanted or len(candidates) == 1 else []


def _kpi_candidate(source: Source, kpi: Kpi) -> Candidate | None:
    if kpi.source != "text" or kpi.value is None or kpi.unit != source.unit or kpi.qualifier or kpi.comparison:
        return None
    if (kpi.label or "") not in source.labels:
        return None
    return Candidate(kpi.value, number(kpi.value), kpi.id, kpi.page)


_MEETS = {
    ">=": lambda actual, target: actual >= target,
    "<=": lambda actual, target: actual <= target,
    "=": lambda actual, target: actual == target,
    ">": lambda actual, target: actual > target,
    "<": lambda actual, target: actual < target,
}


def _count_candidate(source: Source, table: EvalTable, kpis: list[Kpi]) -> Candidate | None:
    """None when no indicator row of the table was read: a count of 0 would claim what is not known."""
    rows = [k for k in kpis if k.table == table.id]
    if not rows:
        return None
    quantified = [
        k for k in rows if k.target_comparator in _MEETS and k.target_value is not None and k.actual_value is not None
    ]
    if source.met:
        quantified = [
            k
            for k in quantified
            if k.target_comparator is not None and _MEETS[k.target_comparator](k.actual_value, k.target_value)
        ]
    count = Decimal(len(quantified))
    return Candidate(count, Measure.exact(count), table.id, table.page)


def _single_table(tables: list[EvalTable], kinds: list[str]) -> EvalTable | None:
    """The first of `kinds` the document has exactly one table of."""
    for kind in kinds:
        of_kind = [t for t in tables if t.kind == kind]
        if len(of_kind) == 1:
            return of_kind[0]
    return None
