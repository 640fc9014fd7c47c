"""Export every table of a database: one file per table (Parquet, CSV, JSON lines) or one
workbook with a sheet per table (xlsx, Chinese header row, plus a 说明 sheet of the columns).
One table alone (`--table indicators`) comes with its data dictionary: a 说明 sheet in the workbook,
`<table>.dictionary.json` and `<table>.dictionary.md` beside a CSV, Parquet or JSON lines file.

A whole-database workbook also carries, after its 说明 sheet, the working paper: the confirmed findings, a
sheet per department (report/working_paper.py); `--findings-only` writes the working paper alone (xlsx) or
the findings alone. The findings carry their latest review decision (review_status, review_note, reviewer,
reviewed_at).

Parquet, CSV and JSON lines are written by DuckDB's COPY. CSV gets a UTF-8 byte order mark so
that Excel shows Chinese text; its header keeps the stable column names.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..checks.review import DIMENSIONS
from ..config import Config
from .duckdb import Store, TableSpec, table_specs
from .reviews import FINDINGS_WITH_DECISIONS, REVIEW_COLUMNS
from .target_review import has_target_forms, reviews_lead, target_reviews

FORMATS = ("parquet", "csv", "xlsx", "jsonl")
_COPY_OPTIONS = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true", "jsonl": "FORMAT json"}
_BOM = "\ufeff".encode()
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_CELL = 32_767  # characters; Excel refuses longer cells
# a database from before the reviews table: the same columns, empty
FINDINGS_UNREVIEWED = """SELECT *, NULL::VARCHAR AS review_status, NULL::VARCHAR AS review_note,
    NULL::VARCHAR AS reviewer, NULL::TIMESTAMPTZ AS reviewed_at FROM findings ORDER BY doc_id, seq"""


def export_database(
    config: Config, db: str | Path, fmt: str, out_dir: str | Path, table: str | None = None, findings_only: bool = False
) -> list[Path]:
    """Write the tables of database `db` (or only `table`, with its data dictionary) into `out_dir` as `fmt`;
    the files written. `findings_only`: the findings alone, with their review decisions (xlsx: the working
    paper, a sheet per department of the confirmed findings)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if table is not None and table not in table_specs(config):
        raise ValueError(f"unknown table {table!r}: expected one of {', '.join(table_specs(config))}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = "findings" if findings_only else table
    specs = [table_specs(config)[table]] if table else list(table_specs(config).values())
    with Store(db, config, read_only=True) as store:
        specs = [spec for spec in specs if store.has_table(spec.name)]  # an older database lacks newer tables
        if fmt == "xlsx" and findings_only:
            return [_write_working_paper(config, store, out / "working_paper.xlsx")]
        if fmt == "xlsx":
            return [_write_workbook(config, store, out / f"{table or 'jixiao'}.xlsx", specs, whole=table is None)]
        files = [_copy_table(store, spec.name, fmt, out) for spec in specs]
    if table and specs:
        files += write_dictionary(config, specs[0], out)
    return files


# column types in the Frictionless Table Schema vocabulary, so that its tools can read and validate the export
_FRICTIONLESS_TYPES = {
    "text": "string",
    "int": "integer",
    "bigint": "integer",
    "float": "number",
    "decimal": "number",
    "bool": "boolean",
    "timestamp": "datetime",
    "text_list": "array",
}


def data_dictionary(config: Config, spec: TableSpec) -> dict[str, Any]:
    """What a table's columns mean, as a Frictionless Table Schema (`schema.fields`, with each column's DuckDB type
    and Chinese title); for the panel also each indicator's definition, context and sources."""
    fields = [
        {
            "name": c.name,
            "type": _FRICTIONLESS_TYPES[c.type],
            "sql_type": c.sql_type,
            "title": c.title,
            "description": c.about,
        }
        for c in spec.columns
    ]
    if spec.name == "findings":  # exported with each finding's latest review decision
        fields += [
            {
                "name": name,
                "type": "datetime" if name == "reviewed_at" else "string",
                "sql_type": "TIMESTAMPTZ" if name == "reviewed_at" else "VARCHAR",
                "title": title,
                "description": about,
            }
            for name, title, about in REVIEW_COLUMNS
        ]
    dictionary: dict[str, Any] = {
        "name": spec.name,
        "title": spec.title,
        "description": spec.about,
        "schema": {"fields": fields, "primaryKey": ["doc_id"] if spec.indicator_columns else []},
    }
    if spec.indicator_columns:
        dictionary["indicators"] = [
            indicator.model_dump(exclude_defaults=True) | {"definition": indicator.dictionary_entry()}
            for indicator in config.indicators
        ]
    return dictionary


def write_dictionary(config: Config, spec: TableSpec, out: Path) -> list[Path]:
    """`<table>.dictionary.json` and `<table>.dictionary.md` in `out`."""
    dictionary = data_dictionary(config, spec)
    as_json = out / f"{spec.name}.dictionary.json"
    as_json.write_text(json.dumps(dictionary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lines = [
        f"# `{spec.name}` — {spec.title}",
        "",
        spec.about,
        "",
        "| column | type | 中文 | meaning |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{f['name']}` | {f['sql_type']} | {f['title']} | {f['description']} |"
        for f in dictionary["schema"]["fields"]
    ]
    if spec.indicator_columns:
        lines += ["", "## Indicators", "", "| key | 中文 | English | unit | definition |", "|---|---|---|---|---|"]
        lines += [
            f"| `{i['key']}` | {i['name_zh']} | {i['name_en']} | {i['unit']} | {i['definition']} |"
            for i in dictionary["indicators"]
        ]
    as_markdown = out / f"{spec.name}.dictionary.md"
    as_markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [as_json, as_markdown]


def _copy_table(store: Store, table: str, fmt: str, out: Path) -> Path:
    target = out / f"{table}.{fmt}"
    store.con.execute(f"COPY {_source(store, table)} TO '{_sql_path(target)}' ({_COPY_OPTIONS[fmt]})")
    if fmt == "csv":
        _prepend_bom(target)
    return target


def _source(store: Store, table: str) -> str:
    """What to export for a table: the findings with their latest decision, any other table as it is."""
    if table == "findings":
        return f"({FINDINGS_WITH_DECISIONS if store.has_table('reviews') else FINDINGS_UNREVIEWED})"
    return f'"{table}"'


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _prepend_bom(path: Path) -> None:
    staged = path.with_suffix(path.suffix + ".part")
    with staged.open("wb") as out, path.open("rb") as source:
        out.write(_BOM)
        shutil.copyfileobj(source, out)
    staged.replace(path)


def _cell(value: Any) -> Any:
    """A value Excel accepts: naive datetimes, lists joined, long text cut, control characters dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, list):
        value = "、".join(map(str, value))
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_CELL]
    return value


def _header(sheet, titles: list[str]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def _write_working_paper(config: Config, store: Store, target: Path) -> Path:
    from openpyxl import Workbook

    # the working paper renders evidence images, which is the report's business
    from ..report.working_paper import add_working_paper

    workbook = Workbook(write_only=True)
    if store.has_table("reviews"):
        add_working_paper(config, workbook, store, empty_sheet=True)
    else:
        _header(workbook.create_sheet("底稿"), ["没有复核记录：先用 jixiao review 确认检查发现"])
    workbook.save(target)
    return target


def _write_reviews(workbook: Any, reviews: list[dict[str, Any]]) -> None:
    """The target reviews grouped by project, as the bureau's 初审 table: the 项目编码 column holds codes only."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    sheet = workbook.create_sheet("绩效目标初审" if has_target_forms(reviews) else "自评表指标审核")
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJ", (6, 28, 24, 24, 24, 20, 50, 50, 50, 30)):
        sheet.column_dimensions[letter].width = width
    _header(sheet, ["序号", "文件", "工作表", "项目编码", "项目名称", "申请单位", *DIMENSIONS, "小结"])
    wrapped = Alignment(wrap_text=True, vertical="top")
    for number, review in enumerate(reviews, 1):
        cells = [review["cells"][dimension] for dimension in DIMENSIONS]
        row = [number, review["path"], review["sheet"], review["code"], review["name"], review["unit"], *cells,
               review["summary"]]  # fmt: skip
        written = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_cell(value))
            cell.alignment = wrapped
            written.append(cell)
        sheet.append(written)


def _write_workbook(config: Config, store: Store, target: Path, specs: list[TableSpec], whole: bool = True) -> Path:
    """The tables' sheets after a 说明 sheet; a `whole` database's workbook also leads with the 初审 table of
    its target reviews and has the working paper after 说明."""
    from openpyxl import Workbook

    from ..report.working_paper import add_working_paper

    workbook = Workbook(write_only=True)
    reviews = target_reviews(config, store) if whole else []
    [(documents,)] = store.query("SELECT count(*) FROM documents WHERE doc_id IN (SELECT doc_id FROM files)")[1]
    lead = reviews_lead(reviews, documents)
    if lead:  # the bureau's 初审 table first: one row per project, remarks by review dimension
        _write_reviews(workbook, reviews)
    readme = workbook.create_sheet("说明")
    _header(readme, ["表", "表名", "列", "列名", "说明"])
    for spec in specs:
        for column in spec.columns:
            readme.append([spec.name, spec.title, column.name, column.title, column.about])
        if spec.name == "findings":
            for name, title, about in REVIEW_COLUMNS:
                readme.append([spec.name, spec.title, name, title, about])
    if whole and store.has_table("reviews"):
        add_working_paper(config, workbook, store, empty_sheet=False)
    for spec in specs:
        sheet = workbook.create_sheet(spec.name)
        sheet.freeze_panes = "A2"
        titles = [column.title for column in spec.columns]
        _header(sheet, titles + [title for _, title, _ in REVIEW_COLUMNS] if spec.name == "findings" else titles)
        cursor = store.con.execute(f"SELECT * FROM {_source(store, spec.name)}")
        count = 1
        while rows := cursor.fetchmany(10_000):
            count += len(rows)
            if count > EXCEL_MAX_ROWS:
                raise ValueError(f"table {spec.name} has more rows than an Excel sheet holds; export csv or parquet")
            for record in rows:
                sheet.append([_cell(value) for value in record])
    if reviews and not lead:  # the reviews of a batch not of target forms: after the data, not before it
        _write_reviews(workbook, reviews)
    workbook.save(target)
    return target


def _plain(value: Any) -> Any:
    """A query value for JSON: exact decimals as strings, times in ISO 8601."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _width(text: str) -> int:
    """Columns a string takes in a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_rows(columns: list[str], rows: list[tuple], fmt: str = "table") -> str:
    """Query results as an aligned text table, CSV or a JSON array of objects."""
    if fmt == "json":
        return json.dumps([dict(zip(columns, map(_plain, row))) for row in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue()
    cells = [columns] + [["" if v is None else str(_plain(v)) for v in row] for row in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(text + " " * (w - _width(text)) for text, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
