"""Fiscal tables (部门决算 / 部门预算): typed records and the F1xx checks.

Real documents are read from ../shared/real/gbc (never copied); the fixtures are the project's own
(corpus/make/fiscal.py: a fictional department, one mutation per check).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.checks import fiscal as fiscal_checks
from extractor.figures.fiscal import standard_of
from extractor.figures.fiscal_layouts import FiscalLayouts
from extractor.pipeline import process
from extractor.records import Block, Cell, Document, Table

ROOT = Path(__file__).resolve().parent.parent
GBC = ROOT.parent / "shared" / "real" / "gbc"
FIXTURES = ROOT / "corpus" / "fiscal"
sys.path.insert(0, str(ROOT / "corpus" / "make"))
import fiscal as fiscal_fixture  # noqa: E402

from extractor.config import load_default  # noqa: E402

config = load_default()  # the installed rule set, validated once for these tests

FINAL_NINE = [layout.standard for layout in config.fiscal_layouts.table if layout.document_kind == "final_accounts"]
real = pytest.mark.skipif(not GBC.exists(), reason="../shared/real/gbc not present")


@pytest.fixture(scope="module")
def records():
    cache = {}

    def get(path: Path):
        if path not in cache:
            cache[path] = process(path, config)
        return cache[path]

    return get


def _errors(record, prefix: str = "") -> list:
    return [f for f in record.findings if f.severity == "error" and f.rule.startswith(prefix)]


# ---------------------------------------------------------------- layouts


def test_layouts_cover_nine_tables_of_each_kind():
    layouts = config.fiscal_layouts
    for kind in ("final_accounts", "budget"):
        assert sorted(t.number for t in layouts.table if t.document_kind == kind) == list(range(1, 10))


def test_layout_with_unknown_identity_column_is_rejected():
    data = config.fiscal_layouts.model_dump()
    data["table"][2]["identities"] = [{"sum": "total = basic + nonsense"}]
    with pytest.raises(ValueError, match="nonsense"):
        FiscalLayouts(**data)


def test_titles_resolve_to_the_longest_standard():
    assert (
        standard_of(config, "六、一般公共预算财政拨款基本支出决算表").standard == "一般公共预算财政拨款基本支出决算表"
    )
    assert standard_of(config, "三、支出决算表").standard == "支出决算表"
    assert standard_of(config, "表8 一般公共预算“三公”经费支出表").standard == "“三公”经费和机关运行经费预算表"
    assert standard_of(config, "全年支出共计512.30万元，其中日常运转支出401.10万元，项目支出111.20万元") is None


# ---------------------------------------------------------------- the real 部门决算


@real
@pytest.mark.parametrize(
    "name",
    [
        "template_final_accounts_2024",
        "putuo_finance_2024_final",
        "putuo_planning_2024_final",
        "putuo_social_work_2024_final",
    ],
)
def test_real_final_accounts_type_all_nine_tables(records, name):
    record = records(GBC / f"{name}.pdf")
    assert [t.standard for t in record.fiscal_tables] == FINAL_NINE
    assert all(t.unit == "万元" for t in record.fiscal_tables)


@real
def test_injected_copy_types_the_eight_tables_it_keeps(records):
    record = records(GBC / "putuo_finance_2024_final_injected.pdf")
    assert [t.standard for t in record.fiscal_tables] == [s for s in FINAL_NINE if s != "支出决算表"]


@real
def test_real_cells_rows_and_codes(records):
    """Checked against the printed pages (pdftotext -layout): 支出决算表 p.10, 三公 p.18, 基本支出 p.16."""
    tables = {t.standard: t for t in records(GBC / "putuo_finance_2024_final.pdf").fiscal_tables}
    expense = tables["支出决算表"]
    assert expense.pages == [10, 11]  # joined over the page break
    row = next(r for r in expense.rows if r.code == "2010601")  # 类 | 款 | 项 printed in three columns
    assert (row.level, row.label, row.value("total"), row.value("basic"), row.value("project")) == (
        "项",
        "行政运行",
        Decimal("1511.89"),
        Decimal("1503.52"),
        Decimal("8.37"),
    )
    assert next(r for r in expense.rows if r.label == "合计").value("total") == Decimal("2940.05")
    three = tables["财政拨款“三公”经费支出决算表"].rows[0]
    assert three.value("total.budget") == Decimal("0.95") and three.value("total.final") is None
    basic = tables["一般公共预算财政拨款基本支出决算表"]
    assert next(r for r in basic.rows if r.code == "30201").label == "办公费"  # right-hand panel
    summary = tables["收入支出决算总表"]
    income = next(r for r in summary.rows if r.panel == "income" and r.label == "总计")
    assert income.value("amount") == Decimal("2995.39")
    assert next(r for r in summary.rows if r.panel == "expense" and r.code == "208").value("amount") == Decimal(
        "326.71"
    )


INJECTED_PROBLEMS = {  # README item -> (rule, a word of the message)
    1: ("S110", "XX"),
    2: ("C104", "2023"),
    3: ("F105", "收入支出总计"),
    4: ("F112", "2、"),
    5: ("C110", "大于"),  # the paragraph's own figures contradict the word: the prose check (F113 is for the table's)
    6: ("F111", "。。"),
    7: ("F106", "0.95"),
    8: ("F107", "支出决算表"),
    9: ("F112", "二、收入决算情况说明"),
}


@real
@pytest.mark.parametrize("problem", sorted(INJECTED_PROBLEMS))
def test_each_injected_problem_is_flagged_and_not_on_the_published(records, problem):
    rule, word = INJECTED_PROBLEMS[problem]
    injected = records(GBC / "putuo_finance_2024_final_injected.pdf")
    published = records(GBC / "putuo_finance_2024_final.pdf")
    hits = [f for f in injected.findings if f.rule == rule and word in f.message]
    assert hits, f"injected problem {problem} not flagged"
    assert not [f for f in published.findings if f.rule == rule and f.message in {h.message for h in hits}]


@real
def test_published_fiscal_errors_are_its_verified_real_errors(records):
    """The README's hand-verified errors: a fiscal-appropriation grand total stated as 0.3 against 2961.68 in the
    table (p.21); 326.71 in the summary tables against 326.72 (p.12/p.10)."""
    errors = _errors(records(GBC / "putuo_finance_2024_final.pdf"), "F")
    assert {f.rule for f in errors} == {"F104", "F105"}
    assert all("326.71" in f.message for f in errors if f.rule == "F104")
    assert [f.stated for f in errors if f.rule == "F105"] == [Decimal("0.3")]


@real
def test_social_work_has_no_fiscal_finding(records):
    assert not [f for f in records(GBC / "putuo_social_work_2024_final.pdf").findings if f.rule.startswith("F")]


# ---------------------------------------------------------------- the project's fixtures: one mutation per check


@pytest.mark.parametrize("path", ["fiscal_final_accounts_2024.docx", "fiscal_final_accounts_2024.pdf"])
def test_fixture_as_built_is_clean(records, path):
    record = records(FIXTURES / path)
    assert [t.standard for t in record.fiscal_tables] == FINAL_NINE
    assert not [f for f in record.findings if f.rule.startswith("F")]


@pytest.mark.parametrize("mutation", sorted(fiscal_fixture.MUTATIONS))
def test_each_mutation_is_flagged_with_its_figure(records, mutation):
    rule, figure = fiscal_fixture.MUTATIONS[mutation]
    record = records(FIXTURES / f"fiscal_final_accounts_2024.{mutation}.docx")
    messages = [f.message for f in record.findings if f.rule == rule]
    assert any(figure in message for message in messages), (mutation, [f.message for f in record.findings])


def test_every_fiscal_rule_has_a_test():
    covered = {rule for rule, _ in fiscal_fixture.MUTATIONS.values()} | {"F112", "F115"}
    assert covered == {code for code in config.rules if code.startswith("F")}


def test_text_layer_order_flags_an_item_drawn_before_the_one_printed_above_it():
    blocks = [
        Block(index=0, kind="paragraph", text="1、甲项支出10.00万元。", page=3, stream_index=40),
        Block(index=1, kind="paragraph", text="2、乙项支出20.00万元。", page=3, stream_index=10),
        Block(index=2, kind="paragraph", text="3、丙项支出30.00万元。", page=3, stream_index=90),
    ]
    document = Document(path="x.pdf", sha256="0", format="pdf", blocks=blocks)
    findings = list(fiscal_checks._text_layer_order(config, document))
    assert [(f.rule, f.block) for f in findings] == [("F112", 1)]
    blocks[1].stream_index = 60
    assert not list(fiscal_checks._text_layer_order(config, document))


# ---------------------------------------------------------------- 部门预算

BUDGET_NINE = [layout.standard for layout in config.fiscal_layouts.table if layout.document_kind == "budget"]


@pytest.mark.parametrize("path", ["fiscal_budget_2025.docx", "fiscal_budget_2025.pdf"])
def test_budget_fixture_types_its_nine_tables_and_is_clean(records, path):
    record = records(FIXTURES / path)
    assert [t.standard for t in record.fiscal_tables] == BUDGET_NINE
    assert not [f for f in record.findings if f.rule.startswith("F")]
    economic = record.fiscal_tables[7]
    assert next(r for r in economic.rows if r.code == "30201").value("public") == Decimal("25.00")
    three = record.fiscal_tables[8].rows[0]
    assert (three.value("vehicle"), three.value("running_costs")) == (Decimal("3.00"), Decimal("40.00"))


def test_budget_cell_changed_is_caught_by_hierarchy_and_cross_table(records):
    """One cell of the 一般公共预算支出功能分类预算表 changed in the record: its 类 no longer sums its 款, and the
    财政拨款收支预算总表 prints another figure for that class."""
    record = records(FIXTURES / "fiscal_budget_2025.docx").model_copy(deep=True)
    table = record.fiscal_tables[4]
    row = next(r for r in table.rows if r.code == "201")
    cell = row.cell("total")
    cell.value, cell.text = Decimal("312.00"), "312.00"
    row.cell("basic").value = Decimal("272.00")
    document = Document(path="x.docx", sha256="0", format="docx")
    found = {(f.rule, f.stated) for f in fiscal_checks.check(config, record, document)}
    assert ("F101", Decimal("312.00")) in found
    assert ("F104", Decimal("310.00")) in found  # the summary table's 310.00 against the detail table's 312.00


def test_self_evaluation_report_restating_the_summary_table_is_checked_against_it(records):
    """corpus/make/fiscal.py build_selfeval: the prose's 收入支出总计 425.00 against the table's 总计 415.00."""
    record = records(FIXTURES / "fiscal_selfeval_2024.docx")
    assert [t.standard for t in record.fiscal_tables] == ["收入支出决算总表"]
    fiscal = [f for f in record.findings if f.rule.startswith("F")]
    assert [(f.rule, f.stated, f.computed) for f in fiscal] == [("F105", Decimal("425.00"), Decimal("415"))]


def test_pages_shown_sideways_read_like_upright_ones(tmp_path):
    """Every page of the fixture PDF given /Rotate 90 (how a wide table is often printed): the content stays in
    the unrotated frame, so the tables, the table crossing pages 4-5 included, read as before."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(FIXTURES / "fiscal_final_accounts_2024.pdf")
    for page in pdf:
        page.set_rotation(90)
    pdf.save(tmp_path / "sideways.pdf")
    pdf.close()
    record = process(tmp_path / "sideways.pdf", config)
    assert [t.standard for t in record.fiscal_tables] == FINAL_NINE
    assert record.fiscal_tables[5].pages == [4, 5] and len(record.fiscal_tables[5].rows) == 10
    assert not [f for f in record.findings if f.rule.startswith("F")]


def test_database_and_review_page_carry_the_fiscal_tables(records, tmp_path):
    from extractor.report.html import report_data
    from extractor.store.duckdb import Store

    record = records(FIXTURES / "fiscal_final_accounts_2024.docx")
    with Store(tmp_path / "t.duckdb", config) as store:
        store.write_document(record, [], [("/data/fiscal.docx", 1)])
        _, rows = store.query("SELECT standard, number, empty FROM fiscal_tables ORDER BY number")
        assert [row[0] for row in rows] == FINAL_NINE and rows[7][2] is True
        _, cells = store.query(
            "SELECT value_text FROM fiscal_cells WHERE standard = '支出决算表' AND code = '2012901' AND \"column\" = 'basic'"
        )
        assert cells == [("280.00",)]
        data = report_data(config, store)
    assert [t["standard"] for t in data["fiscal_tables"]] == FINAL_NINE
    assert {c["text"] for c in data["fiscal_cells"] if c["table_id"] == "FT7"} >= {"6.00", "5.00", "1.50"}


@real
def test_injected_lone_marks_of_the_text_layer_are_flagged_and_the_published_has_none(records):
    """README item 6: a line that is only "。" and a lone "）" in the injected copy's text layer (pdftotext -raw)."""
    injected = [f for f in records(GBC / "putuo_finance_2024_final_injected.pdf").findings if f.rule == "F115"]
    assert {"“。”", "“）”"} <= {f.message[f.message.index("“") : f.message.index("”") + 1] for f in injected}
    assert not [f for f in records(GBC / "putuo_finance_2024_final.pdf").findings if f.rule == "F115"]


def test_a_mark_drawn_apart_from_both_neighbours_is_detached():
    from extractor.readers.pdf import Char, _detached

    def line(indices):
        return [Char(text, x, 0, x + 10, 10, index) for x, (text, index) in zip(range(0, 1000, 10), indices)]

    assert _detached(line([("占", 10), ("1", 11), ("%", 12), ("。", 90)])) == ["。"]
    assert _detached(line([("占", 10), ("1", 11), ("%", 12), ("。", 13)])) == []
    assert _detached(line([("（", 40), ("项", 41), ("）", 42), ("。", 5), ("主", 6)])) == []  # near its right neighbour


@real
def test_planning_fiscal_errors_are_the_ones_checked_by_hand(records):
    """Checked with pdftotext -layout: the two summary tables print 236.63 for the health class (p.7, p.12) where the 支出决算表
    and the 一般公共预算 table print 236.64 (p.10, p.14), and the text says 236.63 too (p.21); 城乡社区支出 is 3845.25
    in the 收入支出决算总表, 3845.24 in the 支出决算表; the 基本支出 paragraph (p.24) gives 5377.64 and 人员经费 4896.98,
    the all-funds figures, where the 一般公共预算 tables print 5364.75 and 4884.09."""
    errors = _errors(records(GBC / "putuo_planning_2024_final.pdf"), "F")
    assert sorted((f.rule, f.stated, f.computed) for f in errors) == sorted(
        [
            ("F104", Decimal("236.63"), Decimal("236.64")),
            ("F104", Decimal("3845.25"), Decimal("3845.24")),
            ("F104", Decimal("236.63"), Decimal("236.64")),
            ("F105", Decimal("236.63"), Decimal("236.64")),
            ("F105", Decimal("5377.64"), Decimal("5364.75")),
            ("F105", Decimal("4896.98"), Decimal("4884.09")),
        ]
    )


def test_national_layout_with_line_and_column_numbers():
    """The national 部门决算 layout numbers its lines (行次) and columns (栏次): neither is a figure or a code."""
    from extractor.figures.fiscal import extract_fiscal_tables

    rows = [
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["栏次", "", "1", "栏次", "", "2"],
        ["一、一般公共预算财政拨款收入", "1", "120.50", "一、一般公共服务支出", "32", "100.50"],
        ["二、其他收入", "2", "10.00", "二、住房保障支出", "33", "30.00"],
        ["本年收入合计", "11", "130.50", "本年支出合计", "61", "130.50"],
        ["总计", "30", "130.50", "总计", "70", "130.50"],
    ]
    cells = [Cell(row=r, col=c, text=text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    blocks = [
        Block(index=0, kind="paragraph", text="收入支出决算总表"),
        Block(index=1, kind="paragraph", text="金额单位：万元"),
        Block(index=2, kind="table", table=Table(n_rows=len(rows), n_cols=6, cells=cells)),
    ]
    (table,) = extract_fiscal_tables(config, Document(path="x.docx", sha256="0", format="docx", blocks=blocks))
    assert (table.standard, table.unit, table.columns) == ("收入支出决算总表", "万元", ["amount"])
    income = [(r.label, r.code, r.value("amount")) for r in table.rows if r.panel == "income"]
    assert income[0] == ("一般公共预算财政拨款收入", None, Decimal("120.50"))
    assert next(r for r in table.rows if r.panel == "expense" and r.ordinal == "二、").code == "221"
    assert not list(fiscal_checks._balances(config, table, "round"))


@pytest.mark.parametrize("mutation", sorted(fiscal_fixture.BUDGET_MUTATIONS))
def test_each_budget_text_mutation_is_flagged_with_its_figure(records, mutation):
    rule, figure = fiscal_fixture.BUDGET_MUTATIONS[mutation]
    record = records(FIXTURES / f"fiscal_budget_2025.{mutation}.docx")
    assert [f.rule for f in record.findings if f.rule.startswith("F")] == [rule]
    assert figure in next(f.message for f in record.findings if f.rule == rule)


def _transposed_three_public(final_total: str) -> Document:
    rows = [
        ["项目", "预算数", "决算数"],
        ["合计", "12.00", final_total],
        ["因公出国（境）费", "0.00", "0.00"],
        ["公务接待费", "4.00", "3.20"],
        ["公务用车购置及运行维护费", "8.00", "7.50"],
        ["其中：公务用车运行维护费", "8.00", "7.50"],
        ["公务用车购置费", "0.00", "0.00"],
    ]
    cells = [Cell(row=r, col=c, text=text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    blocks = [
        Block(index=0, kind="paragraph", text="附表七 2023年“三公”经费支出决算表"),
        Block(index=1, kind="paragraph", text="单位：万元"),
        Block(index=2, kind="table", table=Table(n_rows=len(rows), n_cols=3, cells=cells)),
    ]
    return Document(path="x.txt", sha256="0", format="txt", blocks=blocks)


def test_three_public_table_printed_one_line_per_item():
    """The transposed 三公 layout (items down, 预算数 | 决算数 across), in our own figures."""
    from extractor.figures.fiscal import extract_fiscal_tables

    (table,) = extract_fiscal_tables(config, _transposed_three_public("10.70"))
    assert table.standard == "财政拨款“三公”经费支出决算表"
    line = table.rows[0]
    assert (
        line.value("total.budget"),
        line.value("total.final"),
        line.value("reception.final"),
        line.value("vehicle_running.budget"),
    ) == (Decimal("12.00"), Decimal("10.70"), Decimal("3.20"), Decimal("8.00"))
    assert not list(fiscal_checks._identities(config, table, "round"))
    (wrong,) = extract_fiscal_tables(config, _transposed_three_public("10.90"))
    assert [(f.rule, f.stated, f.computed) for f in fiscal_checks._identities(config, wrong, "round")] == [
        ("F102", Decimal("10.90"), Decimal("10.7"))
    ]


def test_a_table_under_a_standard_title_with_none_of_its_columns_is_not_typed():
    from extractor.figures.fiscal import extract_fiscal_tables

    rows = [["一级指标", "二级指标", "指标值"], ["产出指标", "数量指标", "12项"]]
    cells = [Cell(row=r, col=c, text=text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    blocks = [
        Block(index=0, kind="paragraph", text="三、支出决算表"),
        Block(index=1, kind="table", table=Table(n_rows=2, n_cols=3, cells=cells)),
    ]
    assert extract_fiscal_tables(config, Document(path="x.docx", sha256="0", format="docx", blocks=blocks)) == []


@real
def test_generic_table_sums_leave_the_fiscal_tables_to_the_fiscal_checks(records):
    """A 类 line is the sum of its 款, not of every line below it: the generic column sums (A110) would add 类, 款
    and 项 together; on a typed fiscal table only the F rules speak."""
    record = records(GBC / "putuo_finance_2024_final.pdf")
    blocks = {t.block for t in record.fiscal_tables}
    assert not [f for f in record.findings if f.block in blocks and not f.rule.startswith("F")]


def test_a_final_accounts_document_is_expected_to_print_all_nine(records):
    record = records(FIXTURES / "fiscal_final_accounts_2024.docx").model_copy(deep=True)
    assert record.document.kind == "final_accounts"
    record.fiscal_tables = record.fiscal_tables[:3]
    document = Document(path="x.docx", sha256="0", format="docx")
    absent = [f.message for f in fiscal_checks.check(config, record, document) if f.rule == "F108"]
    assert len(absent) == 6 and "财政拨款收入支出决算总表" in absent[0]
    record.document.kind = "dept_self_evaluation"  # a 自评报告 restating three tables owes no other
    assert not [f for f in fiscal_checks.check(config, record, document) if f.rule == "F108"]
