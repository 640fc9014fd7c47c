"""The researcher's panel: indicators as data, one row per document traceable to its facts, departments
linked across years, year-over-year checks, the export with its data dictionary."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from corpus_records import CORPUS, FILES, corpus_record
from openpyxl import load_workbook
from pydantic import ValidationError

from extractor.config import load_default
from extractor.panel.collection import update_panel
from extractor.panel.departments import Member, Pin, link_departments, parse_name, read_pins, region_in_text
from extractor.panel.indicators import Indicator, document_indicators
from extractor.panel.yoy import PanelEntry, year_over_year
from extractor.pipeline import build_record
from extractor.readers import read
from extractor.records import Context, Fact, Record
from extractor.store.duckdb import Store, block_rows, table_specs
from extractor.store.export import export_database

config = load_default()  # the installed rule set, validated once for these tests

FIXTURES = Path(__file__).parent / "fixtures" / "panel"
PAIR = ("qinghe_agri_2023.txt", "qinghe_agri_2024.txt")


# ---------------------------------------------------------------- indicators as data


def test_indicators_load_with_unique_column_keys_and_known_sources():
    indicators = config.indicators
    keys = [i.key for i in indicators]
    assert len(keys) == len(set(keys))
    assert {"total_income", "total_expenditure", "three_public", "execution_rate", "self_score", "targets_met"} <= set(
        keys
    )
    columns = {c.name for c in table_specs(config)["indicators"].columns}
    assert all({k, f"{k}_source", f"{k}_page"} <= columns for k in keys)


@pytest.mark.parametrize(
    "broken, message",
    [
        ({"sources": [{"kind": "fact", "key": "no_such_key", "origin": "text"}]}, "not a term"),
        (
            {
                "sources": [
                    {"kind": "eval_row", "table_kinds": ["dept_self_eval_table"], "rows": ["合计"], "column": "nope"}
                ]
            },
            "BudgetRow",
        ),
        ({"context": {"fund": ["everything"]}}, "context fund"),
        (
            {"sources": [{"kind": "eval_table", "table_kinds": ["dept_self_eval_table"], "field": "total_score"}]},
            "cannot give 万元",
        ),
        ({"key": "Total-Income"}, "pattern"),
    ],
)
def test_a_broken_indicator_definition_is_refused_at_load(broken, message):
    entry = {
        "key": "total_income",
        "name_zh": "收入合计",
        "name_en": "Total income",
        "unit": "万元",
        "about": "x",
        "sources": [{"kind": "fact", "key": "total_income", "origin": "text"}],
    } | broken
    known = {
        "fiscal_keys": {t["key"] for t in config.lexicon["fiscal_terms"]["term"]},
        "fiscal_layouts": config.fiscal_layouts,
    }
    with pytest.raises(ValidationError, match=message):
        Indicator.model_validate(entry, context=known)


# ---------------------------------------------------------------- one row per document


def test_the_seed_row_has_its_hand_read_figures():
    """Read from corpus/heshan_commerce_2024.txt by hand: 一（三） states 收入 and 支出 1166.98, 基本支出 717.79
    (人员经费 342.98, 日常公用经费 374.81), 项目支出 449.19, 年末结转和结余 0; 六（三）1（1） "三公"经费支出为0.
    The text has no tables: no score, grade, rate or procurement figure."""
    row = document_indicators(config, corpus_record("heshan_commerce_2024.txt"))
    assert {k: v.value for k, v in row.values.items()} == {
        "total_income": Decimal("1166.98"),
        "total_expenditure": Decimal("1166.98"),
        "basic_expenditure": Decimal("717.79"),
        "personnel_expenditure": Decimal("342.98"),
        "public_expenditure": Decimal("374.81"),
        "project_expenditure": Decimal("449.19"),
        "carryover_end": Decimal("0"),
        "three_public": Decimal("0"),
    }
    assert row.department == "赫山区商务局" and row.year == 2024
    assert row.conflicts() == []


def test_the_seed_html_row_prefers_table_cells_and_has_the_table_only_indicators():
    """Read from corpus/heshan_commerce_2024.html by hand: the 部门整体支出绩效自评表 gives 年度资金总额 executed
    1166.98, 执行率 99.53%, 总分 99.58, 自评等级 优; the basic data table 政府采购金额 executed 61.27, 公用经费 374.81.
    Of its 14 indicator rows 12 have a numeric target and actual (not "≤上年", not 健全有效); all but 外贸进出口额
    (7.5亿元 against ≥8亿元) are met."""
    record = corpus_record("heshan_commerce_2024.html")
    row = document_indicators(config, record)
    dept_table = next(t for t in record.tables if t.kind == "dept_self_eval_table")
    assert row.values["total_expenditure"].value == Decimal("1166.98")
    assert row.values["total_expenditure"].source.startswith(f"{dept_table.id}.r")  # the table cell, not the prose
    assert row.values["execution_rate"].value == Decimal("99.53")
    assert row.values["self_score"].value == Decimal("99.58")
    assert row.values["self_grade"].value == "优"
    assert row.values["government_procurement"].value == Decimal("61.27")
    assert row.values["public_expenditure"].value == Decimal("374.81")
    assert (row.values["targets_total"].value, row.values["targets_met"].value) == (12, 11)
    assert row.conflicts() == []  # the prose restates the same figures


def _traced_value(record: Record, source: str) -> Decimal | str:
    """What the record holds at an indicator's source, in the panel's unit."""
    facts = {f.id: f for f in record.facts}
    kpis = {k.id: k for k in record.kpis}
    tables = {t.id: t for t in record.tables}
    fiscal = {t.id: t for t in record.fiscal_tables}
    head, *rest = source.split(".", 2)
    if head in facts:
        return facts[head].amount / 10000
    if head in fiscal:
        table = fiscal[head]
        cell = next(c for r in table.rows for c in r.cells if f"r{c.row}c{c.col}" == rest[0])
        assert cell.column == rest[1]
        return cell.value * {"万元": 1, "元": Decimal("0.0001")}[table.unit]
    if head in kpis:
        return kpis[head].value
    table = tables[head]
    if not rest:  # a count of its indicator rows
        return Decimal(sum(k.table == table.id for k in record.kpis))
    if len(rest) == 1:
        return getattr(table, rest[0])
    row = next(r for r in table.budget_rows if f"r{r.row}" == rest[0])
    value = getattr(row, rest[1])
    return (
        value * {"万元": 1, "元": Decimal("0.0001")}[table.unit]
        if rest[1] in ("executed", "budget_full_year")
        else value
    )


@pytest.mark.parametrize("name", FILES)
def test_every_value_of_every_corpus_row_is_traceable_to_its_source(name: str):
    record = corpus_record(name)
    row = document_indicators(config, record)
    assert row.values, f"{name}: an empty panel row"
    for key, value in row.values.items():
        traced = _traced_value(record, value.source)
        if key in ("targets_total", "targets_met"):
            assert value.value <= traced  # quantified (and met) rows are some of the table's rows
        else:
            assert traced == value.value, f"{name}: {key}={value.value} but {value.source} holds {traced}"


def test_table_cells_in_yuan_become_wan_and_agree_with_prose_within_rounding():
    """A self-evaluation table in 元 (11,669,812.34) and the prose's 1166.98万元 are one figure, printed rounded."""
    from extractor.records import BudgetRow, DocumentInfo, EvalTable

    table = EvalTable(
        id="T1",
        kind="dept_self_eval_table",
        title="部门整体支出绩效自评表",
        unit="元",
        block=9,
        page=4,
        budget_rows=[
            BudgetRow(label="年度资金总额", executed=Decimal("11669812.34"), execution_rate=Decimal("99.5"), row=2)
        ],
    )
    prose = _fact(
        id="F1",
        value=Decimal("1166.98"),
        amount=Decimal("11669800.00"),
        context=Context(year=2024, period="year", basis="final", subject_kind="department"),
    )
    record = Record(
        tool_version="t",
        document=DocumentInfo(
            path="x.docx", sha256="x", format="docx", pages=None, year=2024, kind="dept_self_evaluation"
        ),
        facts=[prose],
        tables=[table],
    )
    row = document_indicators(config, record)
    assert (row.values["total_expenditure"].value, row.values["total_expenditure"].source) == (
        Decimal("1166.981234"),
        "T1.r2.executed",
    )
    assert row.conflicts() == []
    record.facts = [prose.model_copy(update={"value": Decimal("1166.90"), "amount": Decimal("11669000.00")})]
    assert document_indicators(config, record).conflicts() == [
        "total_expenditure: T1.r2.executed=1166.981234 vs F1=1166.90 p.3"
    ]


def test_disagreeing_sources_are_recorded_not_hidden():
    """corpus/changsha_road_project_2024.pdf: the table's 执行率 96.06% and the prose 预算执行率 differ."""
    row = document_indicators(config, corpus_record("changsha_road_project_2024.pdf"))
    assert row.values["execution_rate"].value == Decimal("96.06")
    assert row.values["execution_rate"].source.endswith(".execution_rate")
    (conflict,) = row.conflicts()
    assert conflict.startswith("execution_rate: ") and "96.06 vs K" in conflict


REAL_GBC = Path(__file__).resolve().parents[2] / "shared" / "real" / "gbc"
REAL_PDFS = sorted(p.name for p in REAL_GBC.glob("*.pdf")) if REAL_GBC.is_dir() else []


@cache
def real_record(name: str) -> Record:
    return build_record(read(REAL_GBC / name), config)


@pytest.mark.parametrize("name", REAL_PDFS)
def test_every_value_of_every_real_row_is_traceable_to_its_source(name: str):
    record = real_record(name)
    row = document_indicators(config, record)
    if "template" not in name:  # the national template's cells are placeholders (XX)
        assert {"total_income", "total_expenditure"} <= set(row.values), name
    for key, value in row.values.items():
        assert _traced_value(record, value.source) == value.value, f"{name}: {key}"


@pytest.mark.skipif(not REAL_GBC.is_dir(), reason="needs ../shared/real/gbc")
def test_the_real_finance_bureau_row_has_its_hand_read_figures():
    """putuo_finance_2024_final.pdf, read with pdftotext: the 收入支出决算总表 (p.5) 本年收入合计 2,946.25, 本年支出合计
    2,940.05, 年末结转和结余 55.34; p.21 基本支出 2336.91, 项目支出 603.14."""
    row = document_indicators(config, real_record("putuo_finance_2024_final.pdf"))
    assert {
        k: row.values[k].value
        for k in ("total_income", "total_expenditure", "basic_expenditure", "project_expenditure", "carryover_end")
    } == {
        "total_income": Decimal("2946.25"),
        "total_expenditure": Decimal("2940.05"),
        "basic_expenditure": Decimal("2336.91"),
        "project_expenditure": Decimal("603.14"),
        "carryover_end": Decimal("55.34"),
    }
    assert row.department == "上海市普陀区财政局" and row.year == 2024 and row.kind == "final_accounts"
    # the two-sided 总表 read again as generic table cells (2940.05 under 本年收入合计) is no second source
    assert row.conflicts() == []


@pytest.mark.skipif(not REAL_GBC.is_dir(), reason="needs ../shared/real/gbc")
def test_a_real_disagreement_between_table_and_text_is_a_conflict():
    """putuo_planning_2024_final.pdf: table six (p.16) 人员经费合计 4884.09, the text (p.24) 人员经费 4896.98万元
    (4896.98 + 公用经费 480.66 = 5377.64, the stated 基本支出): the panel keeps the table's and records the text's."""
    row = document_indicators(config, real_record("putuo_planning_2024_final.pdf"))
    value = row.values["personnel_expenditure_gb"]
    assert (value.value, value.page) == (Decimal("4884.09"), 16)
    assert [c.split("=")[1] for c in value.conflicts] == ["4896.98 p.24"]


@pytest.mark.skipif(not REAL_GBC.is_dir(), reason="needs ../shared/real/gbc")
def test_a_real_final_accounts_row_is_traceable():
    """putuo_social_work_2024_final.pdf, read in the PDF: the 收入决算表 (p.6) and 支出决算表 (p.8) 合计 rows give
    收入 307.82, 支出 307.82 = 基本支出 105.58 + 项目支出 202.24, restated in the text on p.17; the 一般公共预算财政拨款
    基本支出决算表 (p.13) 人员经费合计 95.36 and 公用经费合计 10.23, restated on p.20 under 一般公共预算财政拨款基本支出;
    p.21 机关运行经费 10.23. The 决算 table cells are preferred to the prose; 人员经费 of all funds is stated nowhere."""
    record = real_record("putuo_social_work_2024_final.pdf")
    row = document_indicators(config, record)
    for key, value, page in [
        ("total_income", "307.82", 6),
        ("total_expenditure", "307.82", 8),
        ("basic_expenditure", "105.58", 8),
        ("project_expenditure", "202.24", 8),
        ("personnel_expenditure_gb", "95.36", 13),
        ("public_expenditure_gb", "10.23", 13),
        ("agency_operation", "10.23", 21),
    ]:
        assert (row.values[key].value, row.values[key].page) == (Decimal(value), page), key
        assert _traced_value(record, row.values[key].source) == Decimal(value)
    assert row.values["total_income"].source.startswith("FT")
    assert "personnel_expenditure" not in row.values
    assert row.conflicts() == []  # the functional classes' 支出决算 figures are of their own subjects


# ---------------------------------------------------------------- departments


@pytest.mark.parametrize(
    "printed, places, level, core",
    [
        ("益阳市赫山区商务局", ("益阳市", "赫山区"), None, "商务局"),
        ("赫山区商务局", ("赫山区",), None, "商务局"),
        ("区商务局", (), "区", "商务局"),
        ("中共赫山区委组织部", ("赫山区",), None, "委组织部"),
        ("区委组织部", (), "区", "委组织部"),
        ("赫山区人民政府办公室", ("赫山区",), None, "政府办"),
        ("区政府办", (), "区", "政府办"),
        ("赫山区发改委", ("赫山区",), None, "发展和改革委"),
        ("赫山区发展和改革委员会", ("赫山区",), None, "发展和改革委"),
        ("赫山区城市管理和综合执法局", ("赫山区",), None, "城市管理和综合执法局"),  # 城市 is no place
        ("市场监督管理局", (), None, "市场监督管理局"),  # nor is 市 of 市场 a level
    ],
)
def test_department_names_split_into_region_and_normalised_core(printed, places, level, core):
    name = parse_name(config, printed)
    assert (name.places, name.level, name.core) == (places, level, core)


def test_a_department_named_on_a_cover_over_two_lines(tmp_path: Path):
    """A 部门决算 cover prints the name and "2024年度部门决算" on lines of their own (as the real 普陀区 PDFs do)."""
    from extractor.figures.meta import find_department_and_year

    cover = tmp_path / "cover.txt"
    cover.write_text("中共荷塘市青禾县委社会工作部\n2024年度部门决算\n目录\n第一部分 部门概况\n", encoding="utf-8")
    assert find_department_and_year(config, read(cover)) == ("中共荷塘市青禾县委社会工作部", 2024)


def test_the_region_of_a_short_name_comes_from_the_text():
    texts = ["根据荷塘市青禾县财政局的统一部署", "荷塘市青禾县农业农村局对本年度开展自评", "全县完成播种"]
    assert region_in_text(config, parse_name(config, "青禾县农业农村局"), texts) == ("荷塘市", "青禾县")
    assert region_in_text(config, parse_name(config, "县农业农村局"), texts) == ("荷塘市", "青禾县")
    assert region_in_text(config, parse_name(config, "青禾县农业农村局"), ["没有地名"]) == ("青禾县",)


def test_one_department_under_three_names_and_an_ambiguous_one_listed():
    members = [
        Member("a", "益阳市赫山区商务局", ("益阳市", "赫山区")),
        Member("b", "赫山区商务局", ("赫山区",)),
        Member("c", "区商务局", ("益阳市", "赫山区")),  # its region from the text
        Member("d", "资阳区商务局", ("资阳区",)),
        Member("e", "区商务局", ()),  # no region anywhere: 赫山区 or 资阳区?
        Member("f", None, ()),
    ]
    links = link_departments(config, members).links
    assert {links[d].department_id for d in "abc"} == {"益阳市赫山区商务局"}
    assert links["d"].department_id == "资阳区商务局"
    assert links["e"].match == "ambiguous"
    assert links["e"].department_id not in {"益阳市赫山区商务局", "资阳区商务局"}  # kept separate
    assert set(links["e"].candidates) == {"益阳市赫山区商务局", "资阳区商务局"}
    assert (links["f"].department_id, links["f"].match) == (None, "unknown")


def test_a_renamed_unit_word_and_an_abbreviation_link_as_similar():
    members = [
        Member("a", "荷塘市青禾县卫生健康委员会", ("荷塘市", "青禾县")),
        Member("b", "青禾县卫生健康局", ("青禾县",)),
        Member("c", "青禾县卫健局", ("青禾县",)),
        Member("d", "青禾县卫生健康局", ("白沙县",)),  # another county: never joined
    ]
    links = link_departments(config, members).links
    assert links["a"].department_id == links["b"].department_id == links["c"].department_id == "荷塘市青禾县卫生健康委"
    assert (links["b"].match, links["c"].match) == ("similar", "similar")
    assert links["d"].department_id != links["a"].department_id


def test_a_pinned_mapping_decides_what_names_cannot(tmp_path: Path):
    pins_file = tmp_path / "departments.csv"
    pins_file.write_text(
        "department,region,department_id\n区商务局,,heshan-commerce\n赫山区商务局,,heshan-commerce\n", encoding="utf-8"
    )
    pins = read_pins(pins_file)
    assert pins[0] == Pin("区商务局", None, "heshan-commerce")
    members = [
        Member("d", "资阳区商务局", ("资阳区",)),
        Member("e", "区商务局", ()),
        Member("b", "赫山区商务局", ("赫山区",)),
    ]
    links = link_departments(config, members, pins).links
    assert (links["e"].department_id, links["e"].match) == ("heshan-commerce", "pinned")
    assert links["b"].department_id == "heshan-commerce"
    assert links["d"].department_id == "资阳区商务局"


# ---------------------------------------------------------------- year over year, over a stored batch


def _store_files(db: Path, paths: list[Path]) -> None:
    with Store(db, config) as store:
        for path in paths:
            document = read(path)
            record = build_record(document, config)
            store.write_document(record, block_rows(document, record.sections), [(str(path), path.stat().st_size)])


def _pair(folder: Path, mutate: dict[str, str] | None = None) -> list[Path]:
    paths = []
    for name in PAIR:
        text = (FIXTURES / name).read_text(encoding="utf-8")
        if name.endswith("2023.txt"):
            for old, new in (mutate or {}).items():
                assert old in text
                text = text.replace(old, new)
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def test_the_fixture_pair_is_one_department_and_agrees_year_over_year(tmp_path: Path):
    """荷塘市青禾县农业农村局 2024 (支出1,260.00万元，较上年增加60.00万元; 三公10.80万元，同比下降10.00%;
    2023年度部门决算收入为1,250.00万元) against 青禾县农业农村局 2023 (收入1,250.00万元，支出1,200.00万元;
    三公12.00万元): 1260-60 = 1200, 10.80/0.9 = 12."""
    db = tmp_path / "panel.duckdb"
    _store_files(db, _pair(tmp_path))
    with Store(db, config) as store:
        summary = update_panel(config, store)
        rows = store.query(
            "SELECT department, department_id, department_match, region, year FROM indicators ORDER BY year"
        )[1]
        findings = store.query("SELECT rule FROM findings WHERE rule LIKE 'C3%'")[1]
    assert rows == [
        ("青禾县农业农村局", "荷塘市青禾县农业农村局", "name", "荷塘市青禾县", 2023),
        ("荷塘市青禾县农业农村局", "荷塘市青禾县农业农村局", "name", "荷塘市青禾县", 2024),
    ]
    assert (summary.departments, summary.ambiguous, summary.year_over_year) == (1, {}, 0)
    assert findings == []


def test_a_mutated_prior_year_figure_fires_the_year_over_year_checks(tmp_path: Path):
    db = tmp_path / "panel.duckdb"
    """The 2023 report mutated: 收入 1,280.00 and 支出 1,230.00 (基本支出 730.00; still 收入 = 支出 + 结转), 三公 13.00.
    The 2024 report's "2023年度部门决算收入为1,250.00万元" (C301), "较上年增加60.00万元" (C302: 1260-60 = 1200) and
    "同比下降10.00%" (C303: 10.80/0.9 = 12) now contradict it."""
    paths = _pair(
        tmp_path,
        {
            "收入为1,250.00万元，支出为1,200.00万元。其中基本支出700.00万元": "收入为1,280.00万元，支出为1,230.00万元。其中基本支出730.00万元",
            "“三公”经费支出12.00万元": "“三公”经费支出13.00万元",
        },
    )
    _store_files(db, paths)
    with Store(db, config) as store:
        update_panel(config, store)
        findings = store.query(
            """SELECT f.rule, f.severity, f.message, f.stated_text, f.computed_text, d.year, r.year
               FROM findings f JOIN indicators d USING (doc_id) JOIN indicators r ON r.doc_id = f.related_doc_id
               WHERE f.rule LIKE 'C3%' ORDER BY f.rule"""
        )[1]
        update_panel(config, store)  # recomputed as a whole, never doubled
        (count,) = store.query("SELECT count(*) FROM findings WHERE rule LIKE 'C3%'")[1][0]
    assert [
        (rule, severity, stated, this_year, prior_year)
        for rule, severity, _, stated, _, this_year, prior_year in findings
    ] == [
        ("C301", "warning", "1280.00", 2024, 2023),
        ("C302", "warning", "1230.00", 2024, 2023),
        ("C303", "warning", "13.00", 2024, 2023),
    ]
    assert findings[0][4] == "1250"  # as the 2024 report states it
    assert findings[1][4] == "1200"  # 1260.00 - 60.00
    assert "推得上年1200万元" in findings[1][2] and "1230.00万元" in findings[1][2]
    assert count == 3


def test_a_batch_lists_a_name_that_could_be_two_departments_and_a_pin_settles_it(tmp_path: Path):
    """Beside the pair, 白沙县农业农村局 2024 and a 2024 report signed only 县农业农村局 with no place in its text."""
    pair = _pair(tmp_path)
    text = (FIXTURES / PAIR[1]).read_text(encoding="utf-8")
    other = tmp_path / "baisha_agri_2024.txt"
    other.write_text(text.replace("荷塘市青禾县", "荷塘市白沙县"), encoding="utf-8")
    unnamed = tmp_path / "unnamed_agri_2024.txt"
    unnamed.write_text(
        text.replace("荷塘市青禾县农业农村局", "县农业农村局").replace("根据荷塘市青禾县财政局的统一部署，", ""),
        encoding="utf-8",
    )
    db = tmp_path / "panel.duckdb"
    _store_files(db, [*pair, other, unnamed])
    with Store(db, config) as store:
        summary = update_panel(config, store)
        assert list(summary.ambiguous) == [str(unnamed)]
        assert set(summary.ambiguous[str(unnamed)].candidates) == {"荷塘市青禾县农业农村局", "荷塘市白沙县农业农村局"}
        assert summary.departments == 3  # the ambiguous report is its own, not merged into either
        summary = update_panel(config, store, [Pin("县农业农村局", None, "荷塘市白沙县农业农村局")])
        assert summary.ambiguous == {}
        rows = dict(store.query("SELECT path, department_id FROM indicators")[1])
    assert rows[str(unnamed)] == rows[str(other)] == "荷塘市白沙县农业农村局"


def test_two_documents_of_one_department_and_year_that_disagree(tmp_path: Path):
    """A second version of the 2024 report states 支出1,262.00万元 (基本支出722.00): C304 on it, against the first."""
    pair = _pair(tmp_path)
    second = tmp_path / "qinghe_agri_2024_v2.txt"
    second.write_text(
        pair[1]
        .read_text(encoding="utf-8")
        .replace("支出为1,260.00万元", "支出为1,262.00万元")
        .replace("基本支出720.00万元", "基本支出722.00万元"),
        encoding="utf-8",
    )
    db = tmp_path / "panel.duckdb"
    _store_files(db, [*pair, second])
    with Store(db, config) as store:
        update_panel(config, store)
        findings = store.query(
            """SELECT d.path, f.rule, f.message, r.path FROM findings f JOIN indicators d USING (doc_id)
               JOIN indicators r ON r.doc_id = f.related_doc_id WHERE f.rule LIKE 'C3%' ORDER BY f.rule, f.message"""
        )[1]
    assert [(Path(p).name, rule, Path(other).name) for p, rule, _, other in findings] == [
        ("qinghe_agri_2024_v2.txt", "C302", "qinghe_agri_2023.txt"),  # 1262-60 is not last year's 1200 either
        ("qinghe_agri_2024_v2.txt", "C304", "qinghe_agri_2024.txt"),
        ("qinghe_agri_2024_v2.txt", "C304", "qinghe_agri_2024.txt"),
    ]
    assert "本报告基本支出722.00万元（F3），与本部门同年的另一文档所列720.00万元不符" in findings[1][2]
    assert "本报告支出合计1262.00万元（F2）" in findings[2][2]


def _fact(**fields) -> Fact:
    base = dict(
        id="F1",
        label="支出",
        key="total_expenditure",
        value=Decimal("1200.00"),
        unit="万元",
        currency="CNY",
        amount=Decimal("12000000.00"),
        decimals=2,
        section=None,
        page=3,
        block=7,
        start=0,
        end=1,
        sentence="",
    )
    return Fact(**(base | fields))


def test_a_prior_year_figure_is_compared_with_last_years_report():
    """C301: "上年支出1,150.00万元" in the 2024 report, while the 2023 report said 1,200.00."""
    from extractor.panel.indicators import IndicatorValue

    last_year = PanelEntry(
        "a",
        "/a.txt",
        "d",
        2023,
        {"total_expenditure": IndicatorValue("total_expenditure", Decimal("1200.00"), "F2", 1)},
    )
    this_year = PanelEntry("b", "/b.txt", "d", 2024, {})
    prior = _fact(value=Decimal("1150.00"), amount=Decimal("11500000.00"), context=Context(period="prior_year"))
    same = _fact(id="F2", value=Decimal("1200.00"), context=Context(period="prior_year", year=2023))
    other_fund = _fact(
        id="F3",
        value=Decimal("900.00"),
        amount=Decimal("9000000.00"),
        context=Context(period="prior_year", fund="government_fund"),
    )
    (finding,) = year_over_year(config, [last_year, this_year], {"b": [prior, same, other_fund]}, lambda doc, source: 5)
    assert (finding.doc_id, finding.related_doc_id, finding.related_block) == ("b", "a", 5)
    assert finding.finding.rule == "C301" and finding.finding.facts == ["F1"]
    assert finding.finding.page == 3 and "1150" in finding.finding.message


def test_every_year_over_year_rule_is_documented_and_fired_by_a_test():
    """C301-C303 fire in test_a_mutated_prior_year_figure_fires_the_year_over_year_checks (C301 also in
    test_a_prior_year_figure_is_compared_with_last_years_report), C304 in
    test_two_documents_of_one_department_and_year_that_disagree."""
    rules = config.rules
    assert {code for code in rules if code.startswith("C3")} == {"C301", "C302", "C303", "C304"}
    for code in ("C301", "C302", "C303", "C304"):
        assert rules[code].rationale and rules[code].severity == "warning" and rules[code].category == "consistency"


# ---------------------------------------------------------------- export and command line


@pytest.fixture(scope="module")
def panel_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pair")
    db = folder / "panel.duckdb"
    _store_files(db, [*_pair(folder), CORPUS / "heshan_commerce_2024.html", CORPUS / "heshan_commerce_2024.txt"])
    with Store(db, config) as store:
        update_panel(config, store)
    return db


def test_one_primary_row_per_department_year_and_kind(panel_db: Path):
    """The seed as .html and .txt: one report, two rows; the .html states more indicators (its tables)."""
    with Store(panel_db, config, read_only=True) as store:
        rows = store.query("SELECT path, department_id, year, panel_primary FROM indicators ORDER BY path")[1]
    primary = {Path(path).name: flag for path, _, _, flag in rows}
    assert primary == {
        "heshan_commerce_2024.html": True,
        "heshan_commerce_2024.txt": False,
        PAIR[0]: True,
        PAIR[1]: True,
    }


def test_export_of_the_panel_comes_with_its_data_dictionary(panel_db: Path, tmp_path: Path):
    files = export_database(config, panel_db, "csv", tmp_path, table="indicators")
    assert sorted(f.name for f in files) == ["indicators.csv", "indicators.dictionary.json", "indicators.dictionary.md"]
    dictionary = json.loads((tmp_path / "indicators.dictionary.json").read_text(encoding="utf-8"))
    fields = dictionary["schema"]["fields"]  # a Frictionless Table Schema
    assert [f["name"] for f in fields] == [c.name for c in table_specs(config)["indicators"].columns]
    by_name = {f["name"]: f for f in fields}
    assert (by_name["total_income"]["type"], by_name["total_income_text"]["type"], by_name["year"]["type"]) == (
        "number",
        "string",
        "integer",
    )
    assert by_name["conflicts"]["type"] == "array" and dictionary["schema"]["primaryKey"] == ["doc_id"]
    assert {i["key"] for i in dictionary["indicators"]} == {i.key for i in config.indicators}
    income = next(i for i in dictionary["indicators"] if i["key"] == "total_income")
    assert (
        income["name_zh"] == "收入合计"
        and income["unit"] == "万元"
        and income["context"]["basis"] == ["final", "executed"]
    )
    assert "| `total_income` | 收入合计 | Total income | 万元 |" in (tmp_path / "indicators.dictionary.md").read_text(
        encoding="utf-8"
    )
    import csv

    with (tmp_path / "indicators.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4
    html = next(r for r in rows if r["path"].endswith(".html"))
    assert html["self_grade"] == "优" and html["total_expenditure_text"] == "1166.98"


def test_xlsx_export_of_the_panel_has_a_dictionary_sheet(panel_db: Path, tmp_path: Path):
    (file,) = export_database(config, panel_db, "xlsx", tmp_path, table="indicators")
    workbook = load_workbook(file, read_only=True)
    assert workbook.sheetnames == ["说明", "indicators"]
    explained = {row[2]: row[4] for row in workbook["说明"].iter_rows(min_row=2, values_only=True)}
    assert "收入合计 (Total income)" in explained["total_income"]
    header = next(workbook["indicators"].iter_rows(values_only=True))
    assert "收入合计（万元）" in header and "部门标识" in header


def test_the_panel_loads_in_pandas_and_duckdb_as_the_readme_says(panel_db: Path, tmp_path: Path, monkeypatch):
    """The README's three lines, run in the export folder."""
    import duckdb
    import pandas as pd

    export_database(config, panel_db, "parquet", tmp_path / "out", table="indicators")
    monkeypatch.chdir(tmp_path)
    panel = pd.read_parquet("out/indicators.parquet").query("panel_primary")  # one row per department, year, kind
    wide = panel.pivot_table(index="department_id", columns="year", values="total_expenditure", aggfunc="first")
    assert float(wide.loc["荷塘市青禾县农业农村局", 2023]) == 1200.0
    assert float(wide.loc["荷塘市青禾县农业农村局", 2024]) == 1260.0
    rows = duckdb.sql(
        "SELECT department_id, year, total_expenditure, total_expenditure_source FROM 'out/indicators.parquet' WHERE panel_primary ORDER BY 1, 2"
    ).fetchall()
    assert [(r[0], r[1], str(r[2]), r[3]) for r in rows] == [
        ("益阳市赫山区商务局", 2024, "1166.980000", "T2.r2.executed"),
        ("荷塘市青禾县农业农村局", 2023, "1200.000000", "F2"),
        ("荷塘市青禾县农业农村局", 2024, "1260.000000", "F2"),
    ]


def test_batch_refuses_a_broken_department_mapping_in_one_line(tmp_path: Path):
    bad = tmp_path / "pins.csv"
    bad.write_text("department,department_id\n赫山区商务局,\n", encoding="utf-8")
    shutil.copy(FIXTURES / PAIR[0], tmp_path / PAIR[0])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "extractor.cli",
            "batch",
            str(tmp_path / PAIR[0]),
            "--db",
            str(tmp_path / "x.duckdb"),
            "--departments",
            str(bad),
            "--quiet",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"jixiao: {bad}: line 2: a mapping needs department and department_id"
    ]
    assert not (tmp_path / "x.duckdb").exists()


def test_indicators_command_prints_rows_links_and_year_over_year_findings(tmp_path: Path, capsys):
    from extractor.cli import main

    _pair(tmp_path, {"支出为1,200.00万元。其中基本支出700.00万元": "支出为1,230.00万元。其中基本支出730.00万元"})
    assert main(["indicators", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        f"{tmp_path / PAIR[0]}: 青禾县农业农村局 -> 荷塘市青禾县农业农村局 (name), 荷塘市青禾县, 2023, dept_self_evaluation"
        in out
    )
    assert "  支出合计  1230.00 万元  [F2]" in out
    (finding,) = [line for line in out if " C302 " in line]
    assert finding.startswith(f"{tmp_path / PAIR[1]}:") and finding.endswith("[warning]")
    assert main(["indicators", str(tmp_path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["department_id"] for row in rows} == {"荷塘市青禾县农业农村局"}
    assert [row["total_expenditure"] for row in rows] == ["1230.00", "1260.00"]


def test_batch_lists_ambiguous_names_and_reads_the_pinned_mapping(tmp_path: Path, capsys):
    from extractor.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    text = (FIXTURES / PAIR[1]).read_text(encoding="utf-8")
    (folder / "baisha.txt").write_text(text.replace("荷塘市青禾县", "荷塘市白沙县"), encoding="utf-8")
    (folder / "qinghe.txt").write_text(text, encoding="utf-8")
    (folder / "unnamed.txt").write_text(
        text.replace("荷塘市青禾县农业农村局", "县农业农村局").replace("根据荷塘市青禾县财政局的统一部署，", ""),
        encoding="utf-8",
    )
    db = tmp_path / "panel.duckdb"
    main(["batch", str(folder), "--db", str(db), "--workers", "1", "--quiet"])
    err = capsys.readouterr().err
    assert "jixiao: panel: 3 documents of 3 departments, 1 ambiguous department names" in err
    assert f"jixiao: {(folder / 'unnamed.txt').resolve()}: department name could be " in err
    pins = tmp_path / "pins.csv"
    pins.write_text("department,region,department_id\n县农业农村局,,baisha-agri\n", encoding="utf-8")
    main(["batch", str(folder), "--db", str(db), "--workers", "1", "--quiet", "--departments", str(pins)])
    assert "0 ambiguous department names" in capsys.readouterr().err
    with Store(db, config, read_only=True) as store:
        links = store.query("SELECT department, department_id, department_match FROM indicators ORDER BY path")[1]
    assert links == [
        ("荷塘市白沙县农业农村局", "荷塘市白沙县农业农村局", "name"),
        ("荷塘市青禾县农业农村局", "荷塘市青禾县农业农村局", "name"),
        ("县农业农村局", "baisha-agri", "pinned"),
    ]


def test_copy_detection_knows_a_renamed_department_as_itself(tmp_path: Path):
    """2023 by 青禾县卫生健康委员会, 2024 by 荷塘市青禾县卫生健康局 (renamed), the same 职能 paragraph: a repeat of the
    department's own previous report (C202), not a copy from another department (C201)."""
    from extractor.checks.copies import find_copies

    old = (FIXTURES / PAIR[0]).read_text(encoding="utf-8").replace("青禾县农业农村局", "青禾县卫生健康委员会")
    new = (FIXTURES / PAIR[1]).read_text(encoding="utf-8").replace("荷塘市青禾县农业农村局", "荷塘市青禾县卫生健康局")
    new = new.replace("乡村产业发展，推进农村人居环境整治。", "乡村产业发展。")
    paths = [tmp_path / "health_2023.txt", tmp_path / "health_2024.txt"]
    for path, text in zip(paths, (old, new)):
        path.write_text(text, encoding="utf-8")
    db = tmp_path / "panel.duckdb"
    _store_files(db, paths)
    with Store(db, config) as store:
        update_panel(config, store)
        copies = find_copies(config, store.paragraphs())
    assert {(Path(c.finding.message.split("：")[-1].split("，")[0]).name, c.finding.rule) for c in copies} == {
        ("health_2023.txt", "C202")
    }
