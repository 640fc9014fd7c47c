"""Every data file of `schemas/` validated when it is loaded: one pydantic model per file, unknown keys rejected.

A misspelled key in a rule, template, table layout or lexicon file fails at load, naming the file and the
key (`DataError`, exit 3), instead of being silently ignored or failing later in a check. `read(path)`
parses a file and validates it against its model; `config.Config.load` reads every file with it, once.
"""

from __future__ import annotations

import fnmatch
import importlib
import json
import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .errors import DataError


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


Words = list[str]


# ---------------------------------------------------------------- rules/*.toml: [[rule]] and a check's settings


class RulesFile(Strict):
    # each [[rule]] is validated by checks.engine.Rule, the model the checks use (see Config.load)
    rule: list[dict[str, Any]] = Field(default_factory=list)


class _Money(Strict):
    exact_step: str


class _Culprit(Strict):
    one: str
    several: str
    or_: str = Field(alias="or")


class _PartsSum(Strict):
    not_exhaustive_markers: Words


class _Ratios(Strict):
    max_gap: int
    share_markers: Words
    rate_markers: Words
    rate_numerator: str
    rate_denominator: str


class _TableSums(Strict):
    total_labels: Words
    total_prefixes: Words


class _StatedRates(Strict):
    completion_words: Words
    budget_word: str
    max_comparison: int
    comparison_heads: Words
    stated_difference_words: Words
    share_whole_reach: int


class ArithmeticRules(RulesFile):
    money: _Money
    culprit: _Culprit
    parts_sum: _PartsSum
    ratios: _Ratios
    table_sums: _TableSums
    stated_rates: _StatedRates


class _Duplicates(Strict):
    unique_keys: Words
    linked_key_pattern: str


class _TextVsTable(Strict):
    kinds: Words
    rows: Words
    column: str | None = None
    key: str | None = None
    labels: Words = Field(default_factory=list)
    unless_kinds: Words = Field(default_factory=list)


class _Column(Strict):
    field: str
    name: str


class _Margin(Strict):
    money: str


class _ThreePublic(Strict):
    zero_pattern: str
    total_key: str


class _Year(Strict):
    title_pattern: str
    max_level: int


class _Blocked(Strict):
    some: str
    identity: str
    separator: str


class _ChangeReasons(Strict):
    amount: str
    rate: str
    flat: str


class _Wording(Strict):
    relations: dict[str, Literal[-1, 0, 1]]  # the sign of (决算 − 预算) each word states
    change_reasons: _ChangeReasons
    count_measures: Words
    grade_words: Words
    complete_list_words: Words
    max_count_gap: int
    max_grade_span: int


class ConsistencyRules(RulesFile):
    duplicates: _Duplicates
    blocked: _Blocked
    wording: _Wording
    text_vs_table: list[_TextVsTable]
    text_vs_table_rate: list[_TextVsTable]
    rate_column: _Column
    margin: _Margin
    three_public: _ThreePublic
    year: _Year


class _Copies(Strict):
    min_chars: int
    min_similarity: int
    max_departments: int


class CopiesRules(RulesFile):
    copies: _Copies


class OcrRules(RulesFile):
    low_confidence: float
    note: str


class _Collection(Strict):
    key: Words
    loose: Words
    compare: Words


class GoldenRules(RulesFile):
    numbers: Words
    collections: dict[str, _Collection]


class _Placement(Strict):
    before: str
    after: str
    under: str


class _Placeholders(Strict):
    patterns: Words


class StructureRules(RulesFile):
    placement: _Placement
    placeholders: _Placeholders


class _TableSettings(Strict):
    default_unit: str
    weights_total: Decimal
    total_rows: Words
    no_reason: Words


class _BudgetColumns(Strict):
    budget_initial: str
    budget_full_year: str
    executed: str


class _Decomposition(Strict):
    kinds: Words
    parts: Words


class _BudgetScore(Strict):
    proportional: bool
    steps: list[Any]


class _Grades(Strict):
    bands: list[Any]


class _MisplacedReasons(Strict):
    deadline: str
    cost: str
    satisfaction: str


class _UnitEvidence(Strict):
    figures: str
    magnitude: str
    label: str


class _Review(Strict):
    mandatory_level2: Words
    max_name_length: int
    timeliness_rate_words: Words
    time_units: Words
    named_document: str
    policy_citation: Words
    min_policy_description: int
    calculation_markers: Words
    amount_tolerance_yuan: Decimal
    amount_tolerance_share: Decimal
    large_project_yuan: Decimal
    min_measurable: int
    annual_target_number: str
    satisfaction_words: Words
    satisfaction_level2: Words
    deadline_misplaced_under: Words
    cost_level2: str
    misplaced_reasons: _MisplacedReasons
    money_units: Words
    damaged_code: str
    unit_evidence: _UnitEvidence


class _Punctuation(Strict):
    doubled: Words
    alone: str


class _Numbering(Strict):
    patterns: Words


class _Direction(Strict):
    pattern: str
    item: str
    item_table: str


class _Performance(Strict):
    count: str
    grade: str


class _FiscalTables(Strict):
    min_found: int


class _Same(Strict):
    a: str  # "table|panel|row|column"
    b: Words


class _Balance(Strict):
    tables: Words
    panel: str
    total: Words
    parts: Words | Literal["items"]  # the lines named, or "items": every numbered line above the total


class _TextCell(Strict):
    label: str
    cell: str
    section: str | None = None
    rule: str | None = None


class _Empty(Strict):
    table: str
    says: str
    columns: Words


class FiscalRules(RulesFile):
    punctuation: _Punctuation
    numbering: _Numbering
    direction: _Direction
    performance: _Performance
    tables: _FiscalTables
    same: list[_Same]
    balance: list[_Balance]
    text: list[_TextCell]
    empty: list[_Empty]


class _YearOverYear(Strict):
    prior_year_bases: Words


class YearOverYearRules(RulesFile):
    year_over_year: _YearOverYear


class TargetsRules(RulesFile):
    review: _Review


class TableRules(RulesFile):
    tables: _TableSettings
    columns: _BudgetColumns
    budget_decomposition: list[_Decomposition]
    budget_score: _BudgetScore
    grades: _Grades


# ---------------------------------------------------------------- lexicon/*.toml


class _Term(Strict):
    key: str
    names: Words
    parts: Words = Field(default_factory=list)
    department: bool = False
    top: bool = False
    fund: bool = False


class FiscalTerms(Strict):
    term: list[_Term]


class _FunctionalClass(Strict):
    code: str
    names: Words


class FunctionalClasses(Strict):
    class_: list[_FunctionalClass] = Field(alias="class")


class _Department(Strict):
    unit_suffixes: Words
    place_suffixes: Words
    citing_words: Words


class _TotalsAfterParts(Strict):
    total_words: Words
    strong_words: Words
    subtract_words: Words


class LabelWords(Strict):
    leading: Words
    trailing: Words
    place_suffixes: Words
    leading_time_pattern: str
    kept_head_pattern: str
    residual_prefixes: Words
    parallel_heads: Words
    list_intros: Words
    part_markers: Words
    comparison_base_patterns: Words
    comparison_bases: Words
    change_up: Words
    change_down: Words
    change_flat: Words
    difference_words: Words
    clause_delimiters: str
    sentence_delimiters: str
    totals_after_parts: _TotalsAfterParts
    department: _Department


class MeasureWords(Strict):
    percent: Words
    counts: Words
    quantities: Words
    blocked_after: dict[str, Words]


class _MoneyUnit(Strict):
    factor: Decimal
    currency: Literal["CNY", "USD"]


class _UnitContext(Strict):
    default_unit: str
    bare_unit_hints: Words
    rate_after: Words
    rate_before_pattern: str
    rate_before_marks: Words


class _Qualifiers(Strict):
    before: Words
    inside: Words
    after: Words
    heading: Words


class Units(Strict):
    money: dict[str, _MoneyUnit]
    bare: dict[str, str]  # a bare magnitude -> the money unit it stands for
    context: _UnitContext
    qualifiers: _Qualifiers


class _Periods(Strict):
    prior_year: Words
    year_start: Words
    year_end: Words
    to_date: Words
    year: Words
    month: str  # patterns
    quarter: str
    fiscal_year: str


class _AllFunds(Strict):
    keys: Words


class _Subject(Strict):
    functional_class: str
    functional_code: str
    sangong: Words
    procurement: Words
    economic_class: Words  # 经济分类 item names
    economic_code: str  # pattern
    region_activities: Words  # the area's economy a department reports as outcomes
    region_pattern: str
    region_names: Words  # patterns: the region a department's name begins with
    sub_unit_words: Words
    sub_unit_pattern: str
    project_totals: Words
    row_totals: Words
    project_pattern: str
    project_generic: Words


class _PatternWords(Strict):
    """Per pattern of [period] and [subject], word lists every match holds a word of each of."""

    month: list[Words]
    quarter: list[Words]
    functional_class: list[Words]
    functional_code: list[Words]
    region_pattern: list[Words]


class ContextWords(Strict):
    # the values of basis, fund and period are those Context allows: figures/context.py checks them
    basis: dict[str, Words]
    period: _Periods
    fund: dict[str, Words]
    all_funds: _AllFunds
    fund_within: dict[str, Words]
    default_basis: dict[Literal["final_accounts", "budget"], str]
    subject: _Subject
    pattern_words: _PatternWords


class TableColumns(Strict):
    not_money: Words
    change: Words
    basis: dict[str, str]  # header word -> Context basis
    period: dict[str, str]  # header word -> Context period


# ---------------------------------------------------------------- templates, table layouts, store


class _TemplateSection(Strict):
    key: str
    title: str
    variants: Words
    mandatory: bool
    recommended: bool = False
    may_be_empty: bool
    level: int
    order: int
    parent: str | None
    evidence: str | None = None
    notes: str | None = None


class TemplateFile(Strict):
    id: str
    name: str
    source: str | None = None
    report_kind: str  # a DocumentKind: "dept_self_evaluation", "final_accounts" …
    priority: int
    title_words: Words
    regions: Words
    sections: list[_TemplateSection]


class TableLayout(Strict):
    kind: str
    header_fields: dict[str, Words] = Field(default_factory=dict)
    basic_columns: dict[str, Words] = Field(default_factory=dict)
    budget_columns: dict[str, Words] = Field(default_factory=dict)
    indicator_columns: dict[str, Words] = Field(default_factory=dict)
    budget_rows: Words = Field(default_factory=list)


class TablesCommon(Strict):
    kind_titles: dict[str, Words]
    total_labels: Words
    grade_labels: Words
    grades: dict[str, Words]
    blank_cells: Words
    money_units: Words


Comparator = Literal[">=", "<=", ">", "<", "="]


class TargetForms(Strict):
    comparators: dict[Comparator, Words]
    suffix_comparators: dict[Comparator, Words]
    qualitative: Words
    max_unit_length: int
    max_value_length: int
    not_applicable: Words
    deadline_patterns: Words
    duration_units: Words


class TargetFormLayout(Strict):
    title_words: Words
    fields: dict[
        Literal[
            "project_code", "project_name", "unit", "department", "total_amount", "year_amount",
            "policy_basis", "calculation_basis", "annual_target", "long_term_target",
        ],
        Words,
    ]  # fmt: skip
    indicator_columns: dict[Literal["level1", "level2", "name", "target", "explanation"], Words]
    min_fields: int
    value_headers: Words
    self_evaluation_headers: Words
    money_units: Words
    footer_words: Words
    total_words: Words
    wan_label_yuan_from: Decimal
    max_caption_length: int


class _StoreColumn(Strict):
    name: str
    type: Literal["text", "int", "bigint", "float", "bool", "timestamp", "text_list", "decimal"]
    title: str
    about: str


class _StoreTable(Strict):
    title: str
    about: str
    indicator_columns: bool = False  # the panel: after its columns, value, source and page of each indicator
    columns: list[_StoreColumn]


StoreTables = dict[str, _StoreTable]  # table name -> its definition


# Which model validates which file (a pattern relative to schemas/); the first match wins. A model kept next
# to the code that reads it is named "module:Model" and imported when first needed (those modules import
# records, which this leaf module must not).
MODELS: list[tuple[str, Any]] = [
    ("rules/arithmetic.toml", ArithmeticRules),
    ("rules/consistency.toml", ConsistencyRules),
    ("rules/fiscal.toml", FiscalRules),
    ("rules/year_over_year.toml", YearOverYearRules),
    ("rules/copies.toml", CopiesRules),
    ("rules/ocr.toml", OcrRules),
    ("rules/golden.toml", GoldenRules),
    ("rules/structure.toml", StructureRules),
    ("rules/table.toml", TableRules),
    ("rules/targets.toml", TargetsRules),
    ("lexicon/fiscal_terms.toml", FiscalTerms),
    ("lexicon/functional_classes.toml", FunctionalClasses),
    ("lexicon/measure_words.toml", MeasureWords),
    ("lexicon/units.toml", Units),
    ("lexicon/label_words.toml", LabelWords),
    ("lexicon/context.toml", ContextWords),
    ("lexicon/table_columns.toml", TableColumns),
    ("tables/fiscal.toml", "extractor.figures.fiscal_layouts:FiscalLayouts"),
    ("templates/*.json", TemplateFile),
    ("store/tables.toml", StoreTables),
    ("kinds.toml", "extractor.kinds:KindRules"),
    ("indicators/departments.toml", "extractor.panel.departments:NameRules"),
    ("indicators/standard.toml", "extractor.panel.indicators:StandardIndicators"),
    ("tables/common.json", TablesCommon),
    ("tables/targets.json", TargetForms),
    ("tables/target_form.json", TargetFormLayout),
    ("tables/*.json", TableLayout),
]


def model_for(relative: str) -> TypeAdapter | None:
    """The validator of the data file at `relative` (a path under schemas/), None for a file without a model."""
    model = next((model for pattern, model in MODELS if fnmatch.fnmatchcase(relative, pattern)), None)
    if isinstance(model, str):
        module, name = model.split(":")
        model = getattr(importlib.import_module(module), name)
    return None if model is None else _adapter(model)


@cache
def _adapter(model: Any) -> TypeAdapter:
    return TypeAdapter(model)


def _where(loc: tuple[str | int, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


def read(path: Path, root: Path | None = None) -> dict[str, Any]:
    """The parsed data of `path` (TOML or JSON), after validating it against its model; DataError names the
    file and the key of the first problem ("unknown key", "missing", a wrong type)."""
    try:
        data = (
            tomllib.loads(path.read_text(encoding="utf-8"))
            if path.suffix == ".toml"
            else json.loads(path.read_text(encoding="utf-8"))
        )
    except FileNotFoundError:
        raise DataError(path, "data file missing: reinstall jixiao") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataError(path, f"not valid {path.suffix[1:].upper()}: {error}") from None
    if root is None:
        from .paths import SCHEMAS

        root = SCHEMAS
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = path.name
    validator = model_for(relative)
    if validator is not None:
        try:
            validator.validate_python(without_comments(data))
        except ValidationError as error:
            raise DataError(path, problem(error)) from None
    return data


def without_comments(data: Any) -> Any:
    """JSON has no comments: a key starting with "_" is one ("_comment", "_max_value_length")."""
    if isinstance(data, dict):
        return {k: without_comments(v) for k, v in data.items() if not (isinstance(k, str) and k.startswith("_"))}
    if isinstance(data, list):
        return [without_comments(item) for item in data]
    return data


def problem(error: ValidationError, prefix: tuple[str | int, ...] = ()) -> str:
    """The problem to show: an unknown key first (a misspelling is an unknown key and a missing one)."""
    problems = [p | {"loc": prefix + tuple(p["loc"])} for p in error.errors()]
    unknown = [p for p in problems if p["type"] == "extra_forbidden"]
    missing = [p for p in problems if p["type"] == "missing"]
    if unknown:
        key = _where(tuple(unknown[0]["loc"]))
        parent = tuple(unknown[0]["loc"][:-1])
        absent = [_where(tuple(p["loc"])) for p in missing if tuple(p["loc"][:-1]) == parent]
        hint = f"misspelled? {absent[0]!r} is missing" if absent else "misspelled?"
        return f"unknown key {key!r} ({hint})"
    first = problems[0]
    key = _where(tuple(first["loc"]))
    if first["type"] == "missing":
        return f"missing key {key!r}"
    return f"key {key!r}: {first['msg']}"
