"""The data contract of jixiao: every stage reads and writes these pydantic models.

Data flows one way: readers make a `Document` of `Block`s; the sections stage adds
`Section`s; the figures stage adds `Fact`s, `Kpi`s and `EvalTable`s; checks add
`Finding`s; all of it is one `Record` per document.

Money is `Decimal` (serialised to JSON as a string, trailing zeros kept as printed),
never float. Coordinates (bounding boxes, font sizes) are floats: they are not money.
"""

# no `from __future__ import annotations` here: pydantic would then evaluate each field's annotation from its
# string (a compile per field, ~18 M instructions for these models at every start); every model refers only to
# classes defined above it
import bisect
import heapq
from decimal import Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

# what the file is; doc/wps/rtf are read as the .docx and xls/et as the .xlsx LibreOffice converts them to
Format = Literal["docx", "pdf", "txt", "html", "md", "xlsx", "doc", "wps", "rtf", "xls", "et"]
Severity = Literal["error", "warning", "info"]
Category = Literal["arithmetic", "consistency", "table", "structure", "golden", "targets", "fiscal"]
# what a document is; decided from its title, outline and tables (schemas/), it says which templates and rules apply
DocumentKind = Literal[
    "dept_self_evaluation",  # 部门整体支出绩效自评报告
    "project_self_evaluation",  # 项目支出绩效自评报告
    "self_evaluation_table",  # 自评表 alone
    "final_accounts",  # 部门/单位决算
    "budget",  # 部门/单位预算
    "performance_targets",  # 绩效目标表
    "fiscal_report",  # a government's 预算执行/决算报告
    "other",
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- document model


class BBox(Model):
    """Position on a PDF page, in points, origin top-left (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float


class Style(Model):
    """Evidence about how a paragraph looks; it supports heading detection but never decides it."""

    name: str | None = None  # Word style name, e.g. "Heading 1" / "标题 1"
    outline_level: int | None = None  # 0-based, Word's w:outlineLvl (0 = top heading)
    bold: bool | None = None
    font_size: float | None = None  # points
    font_name: str | None = None


class Numbering(Model):
    """A label rendered from Word auto-numbering; `Block.text` starts with `label`."""

    label: str  # e.g. "一、", "（二）", "1."
    num_id: int
    level: int  # 0-based w:ilvl
    format: str  # the numFmt of that level, e.g. "chineseCounting"


class Artifact(Model):
    """Editing leftovers kept out of the text but remembered, e.g. `[bookmark: _GoBack]`."""

    kind: Literal["bookmark", "comment_mark", "field_code", "other"]
    raw: str
    offset: int  # where in `Block.text` it stood


class Cell(Model):
    """An origin cell of a table; the positions it spans are (row..row+row_span-1, col..col+col_span-1)."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    bbox: BBox | None = None
    page: int | None = None
    confidence: float | None = None  # OCR's lowest score for the cell's text; None when read from a text layer


class Table(Model):
    n_rows: int
    n_cols: int
    cells: list[Cell]
    pages: list[int] = Field(default_factory=list)  # more than one when a PDF table crosses a page break

    def grid(self) -> list[list[str]]:
        """Text at every grid position, a merged cell's text repeated over the positions it spans."""
        rows = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.row_span, self.n_rows)):
                for c in range(cell.col, min(cell.col + cell.col_span, self.n_cols)):
                    rows[r][c] = cell.text
        return rows

    def text(self) -> str:
        """The table as its block's text, the same for every format: each row's origin cells in column
        order joined by tabs (a merged cell's text once, line breaks in a cell as spaces), rows by newlines."""
        rows: list[list[str]] = [[] for _ in range(self.n_rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            rows[cell.row].append(" ".join(cell.text.split("\n")))
        return "\n".join("\t".join(row) for row in rows)

    def origin_grid(self) -> list[list[Cell | None]]:
        """The origin cell at each position it starts at, None where a position is covered by a span."""
        rows: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            rows[cell.row][cell.col] = cell
        return rows


class OcrSpan(Model):
    """A stretch of a block's text that OCR read as one line of a scanned page."""

    start: int  # offsets in `Block.text`
    end: int
    page: int
    bbox: BBox
    confidence: float  # the recogniser's score for the line, 0..1


class Block(Model):
    """One paragraph or table, in reading order, with where it came from."""

    index: int
    kind: Literal["paragraph", "table"]
    text: str = ""  # paragraph text, auto-number label included; for a table, its cells joined by tabs/newlines
    page: int | None = None  # 1-based, where the block starts; None where the format has no pages
    # a PDF paragraph that goes on over a page break: the offsets in `text` where each next page begins
    page_breaks: list[int] = Field(default_factory=list)
    bbox: BBox | None = None
    style: Style | None = None
    numbering: Numbering | None = None
    artifacts: list[Artifact] = Field(default_factory=list)
    table: Table | None = None
    in_table_of_contents: bool = False
    ocr: list[OcrSpan] = Field(default_factory=list)  # a paragraph read by OCR: its lines, with boxes and scores
    # PDF: where the block's first character stands in the page's text layer (pdfium's character order); the
    # text layer is what copying, search and screen readers see, and it can disagree with the printed order
    stream_index: int | None = None
    # PDF: punctuation printed in place but drawn apart from its neighbours in the text layer (a "。" that copying
    # or search turns into a line of its own), in printed order
    detached_marks: list[str] = Field(default_factory=list)
    sheet: str | None = None  # a spreadsheet's blocks: the name of the worksheet they come from

    def page_at(self, offset: int) -> int | None:
        """The page the character at `offset` of the text stands on."""
        if self.page is None:
            return None
        return self.page + bisect.bisect_right(self.page_breaks, offset)

    def ocr_at(self, start: int, end: int) -> dict:
        """For text OCR read: the box around the lines `start..end` touches (on the first of their pages)
        and their lowest score, as a figure's `bbox` and `confidence`; nothing for text from a text layer."""
        spans = [span for span in self.ocr if span.start < end and start < span.end]
        if not spans:
            return {}
        first = [span.bbox for span in spans if span.page == spans[0].page]
        box = BBox(
            x0=min(b.x0 for b in first),
            top=min(b.top for b in first),
            x1=max(b.x1 for b in first),
            bottom=max(b.bottom for b in first),
        )
        return {"bbox": box, "confidence": min(span.confidence for span in spans)}


class Document(Model):
    path: str
    sha256: str
    format: Format
    pages: int | None = None
    encoding: str | None = None  # for text and HTML: the encoding detected
    ocr_pages: list[int] = Field(default_factory=list)  # PDF pages without a text layer, read by OCR
    unread_pages: list[int] = Field(default_factory=list)  # scanned PDF pages left unread: OCR is not installed
    blocks: list[Block] = Field(default_factory=list)

    def has_tables(self) -> bool:
        """Whether a block is a table: the table readers and checks are imported only for a document with one."""
        return any(block.kind == "table" for block in self.blocks)


# ---------------------------------------------------------------- sections


class Section(Model):
    id: str  # dotted ordinal path, "2.1" = second top-level section, its first child
    parent: str | None
    level: int  # 1 = top
    number: str  # the label as it appears: "一、", "1、", "（2）"
    title: str  # without the label
    key: str | None  # canonical key of the template, e.g. "general_budget_expenditure.project"
    score: float | None  # rapidfuzz similarity of the title to the key's variants, 0..100
    page: int | None
    block: int  # index of the heading block
    block_start: int  # first block covered (the heading)
    block_end: int  # last block covered, inclusive
    expected_number: str | None = None  # what the sequence called for where `number` breaks it
    run_in: bool = False  # "（一）绩效评价目的。正文…": the heading and body share a block


def innermost_section(sections: list[Section], block: int) -> Section | None:
    """The deepest section whose block range covers `block`: where a fact or finding stands."""
    covering = [s for s in sections if s.block_start <= block <= s.block_end]
    return max(covering, key=lambda s: s.level, default=None)


def innermost_sections(sections: list[Section]) -> dict[int, Section]:
    """Block -> `innermost_section(sections, block)` for every covered block, in one pass (asking block by
    block is quadratic on a long document)."""
    # a sweep over the blocks with the open sections in a heap, deepest (then first listed) on top: filling
    # each section's range instead costs the sum of the ranges, quadratic when sections nest deep
    starts = sorted(range(len(sections)), key=lambda i: sections[i].block_start)
    index: dict[int, Section] = {}
    open_: list[tuple[int, int]] = []  # (-level, position in `sections`)
    next_start = 0
    first = min((s.block_start for s in sections), default=0)
    for block in range(first, max((s.block_end + 1 for s in sections), default=first)):
        while next_start < len(starts) and sections[starts[next_start]].block_start <= block:
            heapq.heappush(open_, (-sections[starts[next_start]].level, starts[next_start]))
            next_start += 1
        while open_ and sections[open_[0][1]].block_end < block:
            heapq.heappop(open_)
        if open_:
            index[block] = sections[open_[0][1]]
    return index


# ---------------------------------------------------------------- figures


class Change(Model):
    """A comparison attached to a figure: "同比增加12.5万元，增长3.2%"."""

    basis: str  # the comparison words as printed: "同比", "较上年" …
    direction: Literal["up", "down", "flat"]
    amount: Decimal | None = None
    unit: str | None = None
    percent: Decimal | None = None


class Context(Model):
    """What a figure is about, beyond its label (XBRL's context): two figures are the same quantity only if
    concept, context and unit all agree, and a sum only combines figures of one context. None = not stated
    and not inferable: a check that needs the dimension stays silent rather than guess."""

    year: int | None = None  # the fiscal year the figure is about (2024), from the sentence, section or header
    # the period within or around that year: 本年 (the year itself), 上年, 年初 / 年末 balances, a month or quarter
    period: Literal["year", "prior_year", "year_start", "year_end", "month", "quarter", "to_date"] | None = None
    period_detail: str | None = None  # as printed where period is a month / quarter / to_date: "1-6月", "第三季度"
    basis: Literal["budget_initial", "budget_adjusted", "budget_full_year", "final", "executed", "estimate"] | None = (
        None  # 年初预算 / 调整预算 / 全年预算 / 决算 / 执行数 / 预计
    )
    fund: (
        Literal[
            "all",
            "fiscal_appropriation",  # 财政拨款
            "general_budget",  # 一般公共预算
            "government_fund",  # 政府性基金
            "state_capital",  # 国有资本经营
            "social_insurance",  # 社保基金
            "special_account",  # 财政专户
            "other",  # 其他资金 / 自有资金
        ]
        | None
    ) = None
    subject_kind: (
        Literal[
            "department",  # the reporting department (or government) itself
            "sub_unit",  # a subordinate unit (所属单位, 二级单位)
            "functional_class",  # 类/款/项 of the functional classification
            "economic_class",  # 经济分类
            "project",
            "sangong",  # a 三公 component
            "procurement",  # a procurement category
            "region",  # the area the department serves: its economy, trade, investment (社会消费品零售总额)
            "other",
        ]
        | None
    ) = None
    subject: str | None = None  # the subject's name as printed (行政运行, 某某项目, 公务用车购置及运行费)
    subject_code: str | None = None  # functional / economic class code: 201 (类), 20106 (款), 2010601 (项)


class Fact(Model):
    id: str
    kind: Literal["money"] = "money"
    label: str | None
    key: str | None
    value: Decimal  # as printed, separators removed, decimals kept
    value_max: Decimal | None = None  # upper end of a range "5-10万元"
    unit: str  # 元 万元 亿元 千元 美元 万美元 亿美元
    currency: Literal["CNY", "USD"]
    amount: Decimal  # value in yuan (or dollars)
    decimals: int
    qualifier: str | None = None  # 约 近 超 余 … ; an approximate figure never takes part in exact checks
    change: Change | None = None
    parent: str | None = None  # id of the total this figure is a part of (其中/包括/分别/主要用于)
    # parts listed together (one 其中 / 按功能分类 list) share the id of the list's first part: a total stated
    # with two breakdowns (by nature and by functional class) adds up breakdown by breakdown
    breakdown: str | None = None
    section: str | None
    source: Literal["text", "table"] = "text"
    page: int | None
    block: int
    start: int
    end: int
    sentence: str
    context: Context = Field(default_factory=Context)
    bbox: BBox | None = None  # read by OCR: where on the page image (in points) the figure's line stands
    confidence: float | None = None  # read by OCR: the recogniser's score for that line; None from a text layer


class Kpi(Model):
    id: str
    label: str | None
    value: Decimal | None = None
    unit: str | None = None  # "%", "个", "人次" …
    qualifier: str | None = None
    comparison: str | None = None  # "同比增长" …
    source: Literal["text", "table"]
    section: str | None
    page: int | None
    block: int
    start: int | None = None
    end: int | None = None
    sentence: str | None = None
    # table rows only
    table: str | None = None  # EvalTable.id
    row: int | None = None  # the row of the table's grid it was read from
    level1: str | None = None
    level1_weight: Decimal | None = None  # the weight printed with the 一级 name: "产出指标(50分)" -> 50
    level2: str | None = None
    level3: str | None = None
    target: str | None = None  # as printed, e.g. "≥95%"
    target_comparator: Literal[">=", "<=", "=", ">", "<", "qualitative"] | None = None
    target_value: Decimal | None = None
    target_unit: str | None = None
    actual: str | None = None
    actual_value: Decimal | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation_reason: str | None = None
    bbox: BBox | None = None  # read by OCR: the line (prose) or the row's cells (table) on the page image, in points
    confidence: float | None = None  # read by OCR: the lowest score of those lines or cells


class BudgetRow(Model):
    """A row of the budget block of a self-evaluation table (年度资金总额, 其中：当年财政拨款 …)."""

    label: str
    budget_initial: Decimal | None = None  # 年初预算数
    budget_full_year: Decimal | None = None  # 全年预算数
    executed: Decimal | None = None  # 全年执行数
    weight: Decimal | None = None  # 分值
    execution_rate: Decimal | None = None  # 执行率, in percent as printed
    score: Decimal | None = None  # 得分
    row: int


class EvalTable(Model):
    """An attached self-evaluation table, typed."""

    id: str
    kind: Literal["dept_self_eval_table", "project_self_eval_table", "dept_basic_data_table", "other"]
    title: str | None
    unit: str | None  # money unit of the table, from its header or caption
    block: int
    page: int | None
    project: str | None = None
    department: str | None = None
    budget_rows: list[BudgetRow] = Field(default_factory=list)
    total_score: Decimal | None = None
    stated_grade: str | None = None  # 优 良 中 差: the grade the table names, however printed (优秀, A级, 一等 …)


# ---------------------------------------------------------------- fiscal tables (部门决算 / 部门预算)


FiscalShape = Literal["balance", "classified", "three_public"]


class FiscalCell(Model):
    """One money cell of a fiscal table: its column key (schemas/tables/fiscal.toml) and where it was printed."""

    column: str  # key of the column, e.g. "total", "basic", "project", "amount", "total.final"
    header: str  # the column's printed header path, segments joined by "/"
    value: Decimal | None  # None: blank (empty, "-", "—"); a printed 0.00 is Decimal("0.00")
    text: str  # as printed
    row: int  # grid position in the table block
    col: int
    page: int | None = None
    bbox: BBox | None = None


class FiscalRow(Model):
    """A row of a fiscal table: a functional / economic class (by code) or a named line (本年收入合计, 总计)."""

    label: str  # as printed, without the ordinal ("一、")
    code: str | None = None  # class code, digits joined: 201 (类), 20106 (款), 2010601 (项); economic 301 / 30101
    level: Literal["类", "款", "项"] | None = None
    panel: str | None = None  # side of a two-sided table: "income" / "expense"
    ordinal: str | None = None  # "一、" of a listed line
    row: int  # grid row in the table block
    cells: list[FiscalCell] = Field(default_factory=list)

    def value(self, column: str) -> Decimal | None:
        return next((cell.value for cell in self.cells if cell.column == column), None)

    def cell(self, column: str) -> FiscalCell | None:
        return next((cell for cell in self.cells if cell.column == column), None)


class FiscalTable(Model):
    """A standard table of a 部门决算 or 部门预算, typed: rows keyed by class code, Decimal cells."""

    id: str  # "FT1" …
    standard: str  # canonical name: "收入支出决算总表", "一般公共预算财政拨款支出决算表" …
    document_kind: Literal["final_accounts", "budget"]
    number: int  # its place in the standard set of nine (1..9)
    shape: FiscalShape
    title: str  # as printed
    unit: str | None  # 万元 / 元, from the "单位：" caption
    columns: list[str] = Field(default_factory=list)  # column keys found, in printed order
    rows: list[FiscalRow] = Field(default_factory=list)
    empty: bool  # no money cell holds a figure
    note: str | None = None  # the 注/说明 printed under it ("…故本表无数据")
    block: int
    page: int | None
    pages: list[int] = Field(default_factory=list)


# ---------------------------------------------------------------- performance-target forms (绩效目标申报表)


class TargetIndicator(Model):
    """One row of a target form's indicator table (or of a 自评表's, for the same review)."""

    row: int  # the row of the table's grid
    level1: str | None = None  # 一级指标: 产出 / 效益 / 满意度
    level2: str | None = None  # 二级指标: 数量 / 质量 / 时效 / 成本 / 社会效益 …
    name: str | None = None  # 三级指标 as printed; None where the cell is empty
    target: str | None = None  # 目标值 as printed
    # what the target value states: a measure (number and unit, maybe a comparator), a date or deadline,
    # 不适用, nothing, or words that cannot be measured ("良好", "明显提升")
    target_kind: Literal["measure", "deadline", "not_applicable", "empty", "qualitative"] = "empty"
    comparator: Literal[">=", "<=", "=", ">", "<"] | None = None
    value: Decimal | None = None
    unit: str | None = None
    deadline: str | None = None  # the date or time limit as printed: "2023年12月31日前", "12月底前", "5个工作日内"
    explanation: str | None = None  # 指标解释


class TargetForm(Model):
    """A 绩效目标申报表 (one sheet of a workbook, one table of a .docx or PDF), or the 目标 part of a 自评表
    (its 年度总体目标's 预期目标 and its indicators' 年度指标值): a project's targets, typed."""

    id: str  # "F1", "F2" … in document order
    # target_form: a 绩效目标申报表; self_evaluation: the targets a 自评表 restates beside its actual values
    # (those stay KPIs with actual values and scores)
    kind: Literal["target_form", "self_evaluation"] = "target_form"
    block: int
    page: int | None = None
    sheet: str | None = None
    project_code: str | None = None
    project_name: str | None = None
    unit: str | None = None  # 申请单位
    department: str | None = None  # 一级预算单位 / 主管部门
    # amounts as printed, and the unit they are really in: the label's unit, unless the figures show the
    # label is wrong (forms whose 万元 columns hold yuan: the 测算依据 total or the 成本 target, in yuan, equals them)
    total_amount: Decimal | None = None  # 项目总金额 (中期规划)
    year_amount: Decimal | None = None  # 本年度项目金额
    amount_label_unit: str | None = None  # the unit the label states: "万元"
    amount_unit: str | None = None  # the unit the amounts are in
    amount_unit_evidence: Literal["label", "figures", "magnitude"] | None = None
    policy_basis: str | None = None  # 政策依据
    calculation_basis: str | None = None  # 测算依据
    annual_target: str | None = None  # 年度目标
    long_term_target: str | None = None  # 长期目标
    field_rows: dict[str, int] = Field(default_factory=dict)  # where each field above was read (grid row)
    # the indicator table's columns found (level1, level2, name, target, explanation): a layout without an
    # explanation column is not asked for explanations
    columns: list[str] = Field(default_factory=list)
    indicators: list[TargetIndicator] = Field(default_factory=list)


# ---------------------------------------------------------------- findings and record


class Finding(Model):
    rule: str  # stable code, e.g. "A102"
    category: Category
    severity: Severity
    message: str
    section: str | None = None
    page: int | None = None
    block: int | None = None
    start: int | None = None  # character offsets in the block's text, where the finding is about a stretch of it
    end: int | None = None
    facts: list[str] = Field(default_factory=list)  # ids of the facts / kpis involved
    stated: Decimal | None = None
    computed: Decimal | None = None
    tolerance: Decimal | None = None
    # performance-target review (category "targets"): the project (its code, else its name), the indicator,
    # and the problem as the bureau's reviewers name it ("指标值不具量化易评性"), to group a review by project
    project: str | None = None
    indicator: str | None = None
    item: str | None = None
    # identity across reruns and edits elsewhere (rule, section key, the figures' names, printed values and
    # context: checks/identity.py); what baselines and review decisions refer to. None only for a finding
    # that never left its check (checks.run returns every finding with its fingerprint)
    fingerprint: str | None = None


class DocumentInfo(Model):
    path: str
    sha256: str
    format: Format
    pages: int | None
    department: str | None = None
    year: int | None = None
    kind: DocumentKind | None = None
    template: str | None = None


class Record(Model):
    schema_version: str = SCHEMA_VERSION
    tool_version: str
    document: DocumentInfo
    sections: list[Section] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    tables: list[EvalTable] = Field(default_factory=list)
    fiscal_tables: list[FiscalTable] = Field(default_factory=list)
    target_forms: list[TargetForm] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)


# ---------------------------------------------------------------- across documents (copy detection)
# Rows, not records: named tuples, which cost a fraction of a frozen dataclass to define (~0.5 against ~4 M
# instructions; every start of jixiao defines them) and to make (a database row becomes one as it is).


class Paragraph(NamedTuple):
    doc_id: str
    path: str
    department: str | None
    year: int | None
    block: int
    page: int | None
    section: str | None
    section_label: str | None  # number + title of the section, for people
    is_heading: bool
    text: str


class PolicyBasis(NamedTuple):
    """A target form's 政策依据 as the forms of a batch are compared (P122): its document (a path, or a
    database's doc_id), block and page, the project as findings name it, and the text."""

    doc: str
    block: int
    page: int | None
    project: str
    text: str


class Copy(NamedTuple):
    """A copy finding about `doc_id`, pointing at the other place."""

    doc_id: str
    finding: Finding
    related_doc_id: str
    related_block: int
