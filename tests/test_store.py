"""The DuckDB store: tables from schemas/store/tables.toml, one transaction per document, exact decimals."""

from __future__ import annotations

import typing
from decimal import Decimal
from pathlib import Path

import pytest

from extractor.checks.engine import make_finding
from extractor.config import load_default
from extractor.records import (
    BudgetRow,
    Change,
    Copy,
    DocumentInfo,
    EvalTable,
    Fact,
    Finding,
    Kpi,
    Record,
    Section,
    TargetForm,
    TargetIndicator,
    innermost_section,
)
from extractor.store.duckdb import Store, flatten, table_specs

config = load_default()  # the installed rule set, validated once for these tests

SHA_A = "a" * 64
SHA_B = "b" * 64
BLOCKS = [
    {
        "block": 0,
        "kind": "paragraph",
        "page": 1,
        "section": None,
        "in_table_of_contents": False,
        "text": "某某局2024年度部门整体支出绩效自评报告",
    },
    {
        "block": 1,
        "kind": "paragraph",
        "page": 1,
        "section": "1",
        "in_table_of_contents": False,
        "text": "一、部门基本情况",
    },
    {
        "block": 2,
        "kind": "paragraph",
        "page": 1,
        "section": "1",
        "in_table_of_contents": False,
        "text": "2024年度支出总额1,200.50万元，其中基本支出717.790万元，同比增加12.5万元，增长3.2%。",
    },
]


def _span(text: str) -> tuple[int, int]:
    start = BLOCKS[2]["text"].index(text)
    return start, start + len(text)


def sample_record(
    sha256: str = SHA_A, path: str = "/data/a.docx", department: str = "某某局", year: int = 2024
) -> Record:
    """A record written by hand: every table of the store gets rows, decimals with trailing zeros."""
    sentence = BLOCKS[2]["text"]
    return Record(
        tool_version="0.1.0",
        document=DocumentInfo(
            path=path, sha256=sha256, format="docx", pages=3, department=department, year=year, template="dept_overall"
        ),
        sections=[
            Section(
                id="1",
                parent=None,
                level=1,
                number="一、",
                title="部门基本情况",
                key="basic",
                score=100.0,
                page=1,
                block=1,
                block_start=1,
                block_end=2,
            ),
        ],
        facts=[
            Fact(
                id="f1",
                label="支出总额",
                key="total_expenditure",
                value=Decimal("1200.50"),
                unit="万元",
                currency="CNY",
                amount=Decimal("12005000.00"),
                decimals=2,
                section="1",
                page=1,
                block=2,
                start=_span("1,200.50万元")[0],
                end=_span("1,200.50万元")[1],
                sentence=sentence,
            ),
            Fact(
                id="f2",
                label="基本支出",
                key="basic_expenditure",
                value=Decimal("717.790"),
                unit="万元",
                currency="CNY",
                amount=Decimal("7177900.000"),
                decimals=3,
                parent="f1",
                section="1",
                page=1,
                block=2,
                start=_span("717.790万元")[0],
                end=_span("717.790万元")[1],
                sentence=sentence,
                change=Change(
                    basis="同比", direction="up", amount=Decimal("12.5"), unit="万元", percent=Decimal("3.2")
                ),
            ),
        ],
        kpis=[
            Kpi(
                id="k1",
                label="资金到位率",
                source="table",
                section=None,
                page=3,
                block=9,
                table="t1",
                level1="产出指标",
                level1_weight=Decimal("50"),
                target="≥95%",
                target_comparator=">=",
                target_value=Decimal("95"),
                target_unit="%",
                actual="100%",
                actual_value=Decimal("100"),
                weight=Decimal("10"),
                score=Decimal("10.00"),
            ),
        ],
        tables=[
            EvalTable(
                id="t1",
                kind="dept_self_eval_table",
                title="部门整体支出绩效自评表",
                unit="万元",
                block=9,
                page=3,
                total_score=Decimal("95.5"),
                stated_grade="优",
                budget_rows=[
                    BudgetRow(
                        label="年度资金总额",
                        budget_initial=Decimal("1000"),
                        budget_full_year=Decimal("1200.50"),
                        executed=Decimal("1150.25"),
                        weight=Decimal("10"),
                        execution_rate=Decimal("95.81"),
                        score=Decimal("9.58"),
                        row=2,
                    ),
                    BudgetRow(label="其中：当年财政拨款", budget_full_year=Decimal("1100.00"), row=3),
                ],
            ),
        ],
        findings=[
            Finding(
                rule="A102",
                category="arithmetic",
                severity="error",
                message="基本支出与其各部分之和不符",
                section="1",
                page=1,
                block=2,
                facts=["f1", "f2"],
                stated=Decimal("717.790"),
                computed=Decimal("726.79"),
                tolerance=Decimal("0.015"),
            ),
        ],
    )


def count(store: Store, table: str, doc_id: str | None = None) -> int:
    sql = f'SELECT count(*) FROM "{table}"' + (" WHERE doc_id = ?" if doc_id else "")
    return store.query(sql, [doc_id] if doc_id else None)[1][0][0]


def test_every_field_of_the_records_has_a_column():
    """A field added to records.py must get a column (or the store would silently drop it)."""

    def fields(model, exclude=()):
        return {name for name in flatten(_example_dump(model)) if name not in exclude}

    columns = {name: {c.name for c in spec.columns} for name, spec in table_specs(config).items()}
    assert fields(Section) <= columns["sections"]
    assert fields(Fact) <= columns["facts"]
    assert fields(Kpi) <= columns["kpis"]
    assert fields(EvalTable, {"budget_rows"}) <= columns["eval_tables"]
    assert fields(BudgetRow) <= columns["table_rows"]
    assert fields(Finding) <= columns["findings"]
    assert fields(DocumentInfo) <= columns["documents"]
    assert fields(TargetForm, {"indicators", "field_rows"}) <= columns["target_forms"]
    assert fields(TargetIndicator) <= columns["target_indicators"]


def _example_dump(model) -> dict:
    """Field names of `model`, nested models expanded (so Fact.change gives change_amount …)."""
    out = {}
    for name, info in model.model_fields.items():
        is_list = typing.get_origin(info.annotation) is list  # a list stays one column
        # `Change | None` or a plain nested model (`Context`)
        candidates = () if is_list else (info.annotation, *typing.get_args(info.annotation))
        nested = [a for a in candidates if isinstance(a, type) and hasattr(a, "model_fields")]
        out[name] = _example_dump(nested[0]) if nested else None
    return out


def test_decimal_columns_keep_the_printed_value(tmp_path: Path):
    with Store(tmp_path / "t.duckdb", config) as store:
        store.write_document(sample_record(), BLOCKS, [("/data/a.docx", 100)])
        (row,) = store.query(
            "SELECT value, value_text, amount, change_amount, change_percent_text FROM facts WHERE id = 'f2'"
        )[1]
        assert row == (Decimal("717.790000"), "717.790", Decimal("7177900.000000"), Decimal("12.500000"), "3.2")
        (rate,) = store.query("SELECT execution_rate_text FROM table_rows WHERE label = '年度资金总额'")[1]
        assert rate == ("95.81",)
        assert store.query("SELECT facts, stated_text FROM findings")[1] == [(["f1", "f2"], "717.790")]


def test_one_document_fills_every_table_with_its_doc_id(tmp_path: Path):
    with Store(tmp_path / "t.duckdb", config) as store:
        store.write_document(sample_record(), BLOCKS, [("/data/a.docx", 100), ("/data/copy/a.docx", 100)])
        expected = {
            "documents": 1,
            "files": 2,
            "blocks": 3,
            "sections": 1,
            "facts": 2,
            "kpis": 1,
            "eval_tables": 1,
            "table_rows": 2,
            "findings": 1,
            "errors": 0,
        }
        assert {t: count(store, t) for t in expected} == expected
        for table in expected:
            if table != "errors":
                assert count(store, table, SHA_A) == expected[table]
        assert store.query("SELECT table_kind, table_unit, label FROM table_rows ORDER BY row")[1] == [
            ("dept_self_eval_table", "万元", "年度资金总额"),
            ("dept_self_eval_table", "万元", "其中：当年财政拨款"),
        ]


def test_rewriting_a_document_replaces_it(tmp_path: Path):
    with Store(tmp_path / "t.duckdb", config) as store:
        store.write_document(sample_record(), BLOCKS, [("/data/a.docx", 100)])
        store.write_error("/data/bad.pdf", None, "corrupt PDF", "0.1.0")
        store.write_document(sample_record(), BLOCKS, [("/data/a.docx", 100), ("/data/bad.pdf", 100)])
        assert count(store, "facts") == 2 and count(store, "documents") == 1
        assert count(store, "errors") == 0  # the path now holds a readable document
        assert store.stored_versions() == {SHA_A: "0.1.0"}


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path):
    with Store(tmp_path / "t.duckdb", config) as store:
        bad_blocks = [BLOCKS[0] | {"block": "not a number"}]
        with pytest.raises(Exception):  # noqa: B017 - whatever DuckDB or Arrow raises, nothing may be kept
            store.write_document(sample_record(), bad_blocks, [("/data/a.docx", 100)])
        assert all(count(store, t) == 0 for t in table_specs(config))


def test_copy_findings_are_replaced_as_a_whole(tmp_path: Path):
    with Store(tmp_path / "t.duckdb", config) as store:
        store.write_document(sample_record(), BLOCKS, [("/data/a.docx", 100)])
        store.write_document(sample_record(SHA_B, "/data/b.docx", "另一局"), BLOCKS, [("/data/b.docx", 100)])
        copy = Copy(
            SHA_B,
            make_finding(
                config, "C201", block=2, other="/data/a.docx", department="某某局", year=2024, similarity="100"
            ),
            SHA_A,
            2,
        )
        store.replace_copy_findings([copy])
        store.replace_copy_findings([copy])
        rows = store.query(
            "SELECT doc_id, seq, rule, severity, related_doc_id, related_block FROM findings WHERE rule = 'C201'"
        )[1]
        assert rows == [(SHA_B, 1, "C201", "info", SHA_A, 2)]  # seq after the document's own finding


def test_paragraphs_for_copy_detection_know_their_section_and_headings(tmp_path: Path):
    with Store(tmp_path / "t.duckdb", config) as store:
        store.write_document(sample_record(), BLOCKS, [("/data/a.docx", 100)])
        paragraphs = list(store.paragraphs())
        assert [(p.block, p.is_heading, p.section_label) for p in paragraphs] == [
            (0, False, None),
            (1, True, "一、部门基本情况"),
            (2, False, "一、部门基本情况"),
        ]
        assert paragraphs[2].department == "某某局" and paragraphs[2].year == 2024


def test_innermost_section_of_each_block():
    sections = [
        Section(
            id="1",
            parent=None,
            level=1,
            number="一、",
            title="a",
            key=None,
            score=None,
            page=None,
            block=1,
            block_start=1,
            block_end=5,
        ),
        Section(
            id="1.1",
            parent="1",
            level=2,
            number="（一）",
            title="b",
            key=None,
            score=None,
            page=None,
            block=3,
            block_start=3,
            block_end=4,
        ),
    ]
    owners = [innermost_section(sections, block) for block in range(7)]
    assert [s.id if s else None for s in owners] == [None, "1", "1", "1.1", "1.1", "1", None]


def test_input_status_counts_unreadable_and_error_documents(tmp_path: Path):
    with Store(tmp_path / "t.duckdb", config) as store:
        store.write_document(sample_record(), BLOCKS, [("/data/a.docx", 100)])
        store.write_error("/data/bad.pdf", None, "corrupt PDF", "0.1.0")
        assert store.input_status(["/data/a.docx", "/data/bad.pdf", "/data/other.txt"]) == (1, 1)
        assert store.input_status(["/data/other.txt"]) == (0, 0)


def test_the_database_documentation_lists_every_column():
    from extractor.store.duckdb import tables_markdown

    marker = "do not edit below -->\n\n"
    documented = (Path(__file__).parent.parent / "docs" / "database.md").read_text(encoding="utf-8").split(marker)[1]
    assert documented == tables_markdown(config), (
        "docs/database.md is out of date with schemas/store/tables.toml: regenerate its table reference with "
        "extractor.store.duckdb.tables_markdown()"
    )


def test_a_database_of_an_earlier_version_gains_the_tables_and_columns_added_since(tmp_path: Path):
    import duckdb

    db = tmp_path / "old.duckdb"
    with Store(db, config):
        pass
    with duckdb.connect(str(db)) as con:  # as an earlier version left it: without a column, without a table
        con.execute('ALTER TABLE facts DROP COLUMN "confidence"')
        con.execute("DROP TABLE reviews")
    with Store(db, config) as store:
        for name, spec in table_specs(config).items():
            columns = [row[0] for row in store.con.execute(f'DESCRIBE "{name}"').fetchall()]
            assert sorted(columns) == sorted(c.name for c in spec.columns), name
        assert [row[0] for row in store.con.execute("DESCRIBE facts").fetchall()][-1] == "confidence"  # at the end
