"""The DuckDB database of a batch: tables defined in `schemas/store/tables.toml`, written one
document per transaction by a single writer, read back for queries, exports, copies and the report.

Rows are built from the record models by field name (nested models flattened with "_", e.g.
`change.amount` -> `change_amount`), so the table definitions are the only list of columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..config import Config, derived
from ..errors import ReadError, UsageError
from ..panel.rows import indicator_row
from ..records import Copy, Document, Fact, Paragraph, PolicyBasis, Record, Section, innermost_sections

DECIMAL_PLACES = 6
_SQL_TYPES = {
    "text": "VARCHAR",
    "int": "INTEGER",
    "bigint": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "timestamp": "TIMESTAMPTZ",
    "text_list": "VARCHAR[]",
    "decimal": f"DECIMAL(38,{DECIMAL_PLACES})",
}
_ARROW_TYPES = {
    "text": pa.string(),
    "int": pa.int32(),
    "bigint": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "text_list": pa.list_(pa.string()),
    "decimal": pa.decimal128(38, DECIMAL_PLACES),
}
_QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)
CHILD_TABLES = (
    "blocks",
    "sections",
    "facts",
    "kpis",
    "eval_tables",
    "table_rows",
    "fiscal_tables",
    "fiscal_cells",
    "findings",
    "target_forms",
    "target_indicators",
    "indicators",
)
COPY_RULE_PREFIX = "C2"
YEAR_OVER_YEAR_RULE_PREFIX = "C3"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of _SQL_TYPES; a decimal's printed twin is type "text"
    title: str  # Chinese header for exports
    about: str
    source: str  # the flattened field it is filled from
    printed: bool = False  # the exact Decimal as text

    @property
    def sql_type(self) -> str:
        return _SQL_TYPES[self.type]


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    about: str
    columns: tuple[Column, ...]
    indicator_columns: bool = False  # the panel: a value, source and page column per standard indicator


@derived
def table_specs(config: Config) -> dict[str, TableSpec]:
    """Every table of the database, in creation order, decimal columns expanded to value + text."""
    data = config.store
    specs = {}
    for name, table in data.items():
        columns: list[Column] = []
        for col in table["columns"]:
            columns.append(Column(col["name"], col["type"], col["title"], col["about"], col["name"]))
            if col["type"] == "decimal":
                columns.append(
                    Column(
                        f"{col['name']}_text",
                        "text",
                        f"{col['title']}（原文）",
                        "The exact value as text, trailing zeros kept.",
                        col["name"],
                        printed=True,
                    )
                )
        indicator_columns = bool(table.get("indicator_columns"))
        if indicator_columns:
            columns += _indicator_columns(config)
        names = [c.name for c in columns]
        if clashes := sorted({n for n in names if names.count(n) > 1}):
            raise ValueError(f"table {name}: columns defined twice (an indicator key like a column?): {clashes}")
        specs[name] = TableSpec(name, table["title"], table["about"], tuple(columns), indicator_columns)
    return specs


def _indicator_columns(config: Config) -> list[Column]:
    """Per standard indicator: its value (with the printed twin), its source and page."""
    columns = []
    for indicator in config.indicators:
        key, name = indicator.key, indicator.name_zh
        if indicator.is_text:
            columns.append(Column(key, "text", name, indicator.dictionary_entry(), key))
        else:
            columns.append(Column(key, "decimal", f"{name}（{indicator.unit}）", indicator.dictionary_entry(), key))
            columns.append(
                Column(
                    f"{key}_text",
                    "text",
                    f"{name}（原文）",
                    "The exact value as text, trailing zeros kept.",
                    key,
                    printed=True,
                )
            )
        columns.append(
            Column(
                f"{key}_source",
                "text",
                f"{name}来源",
                f"Where {key} came from: a fact id (F3), a KPI id, a table cell (T2.r8.executed; a 决算 table cell by grid row and column, FT3.r2c1.total) or a table (T2).",
                f"{key}_source",
            )
        )
        columns.append(Column(f"{key}_page", "int", f"{name}页码", f"Page of {key}'s source.", f"{key}_page"))
    return columns


def _quantized(value: Any) -> Decimal | None:
    try:
        return Decimal(value).quantize(_QUANTUM)
    except InvalidOperation:  # beyond DECIMAL(38,6); the _text column still holds it
        return None


def _column_values(column: Column, rows: list[dict[str, Any]], doc_id: str | None = None) -> list[Any]:
    """A column's values, as stored, from rows by field name; `doc_id`, when given, is every row's doc_id. Built
    a column at a time, without a call per value (a document has ~9,000 values)."""
    if doc_id is not None and column.name == "doc_id":
        return [doc_id] * len(rows)
    source = column.source
    values = [row.get(source) for row in rows]
    if column.printed:
        return [None if v is None else format(v, "f") for v in values]
    if column.type == "decimal":
        return [None if v is None else _quantized(v) for v in values]
    return values


def _arrow_table(spec: TableSpec, rows: list[dict[str, Any]], doc_id: str | None = None) -> pa.Table:
    arrays = [pa.array(_column_values(c, rows, doc_id), type=_ARROW_TYPES[c.type]) for c in spec.columns]
    return pa.Table.from_arrays(arrays, names=[c.name for c in spec.columns])


def _unnested(columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> tuple[str, list[list[Any]]]:
    """A SELECT of `rows` as `columns`, and its parameters: each column's values one list, the lists unnested
    side by side (DuckDB pairs them up row by row). Decimals go as their quantized text, cast exactly."""
    values = []
    for column in columns:
        column_values = _column_values(column, rows)
        if column.type == "decimal":
            column_values = [None if v is None else format(v, "f") for v in column_values]
        values.append(column_values)
    unnested = ", ".join(f'unnest(${i}::{c.sql_type}[]) AS "{c.name}"' for i, c in enumerate(columns, start=1))
    return f"SELECT {unnested}", values


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A model dump with nested dicts flattened: {"change": {"amount": 1}} -> {"change_amount": 1}."""
    flat: dict[str, Any] = {}
    for key, value in data.items():  # ~100 facts a document, ~25 fields a fact: plain concatenations, no f-strings
        if isinstance(value, dict):
            flat.update(flatten(value, prefix + key + "_"))
        else:
            flat[prefix + key] = value
    return flat


def block_rows(document: Document, sections: list[Section]) -> list[dict[str, Any]]:
    """The `blocks` rows of a document (without doc_id): what the record itself does not keep."""
    section_of = innermost_sections(sections)
    owner = [section_of.get(block.index) for block in document.blocks]
    return [
        {
            "block": b.index,
            "kind": b.kind,
            "page": b.page,
            "section": section.id if (section := owner[i]) else None,
            "in_table_of_contents": b.in_table_of_contents,
            "text": b.text,
            "sheet": b.sheet,
        }
        for i, b in enumerate(document.blocks)
    ]


def record_rows(config: Config, record: Record, blocks: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every child table for one record (without doc_id)."""
    table_rows = []
    for table in record.tables:
        header = {f"table_{k}": v for k, v in flatten(table.model_dump(exclude={"budget_rows"})).items()}
        table_rows += [header | flatten(row.model_dump()) for row in table.budget_rows]
    return {
        "blocks": blocks,
        "sections": [s.model_dump() for s in record.sections],
        "facts": [flatten(f.model_dump()) for f in record.facts],
        "kpis": [k.model_dump() for k in record.kpis],
        "eval_tables": [t.model_dump(exclude={"budget_rows"}) for t in record.tables],
        "table_rows": table_rows,
        "fiscal_tables": [t.model_dump(exclude={"rows", "pages"}) for t in record.fiscal_tables],
        "fiscal_cells": [
            {
                "table_id": t.id,
                "standard": t.standard,
                "unit": t.unit,
                "panel": row.panel,
                "code": row.code,
                "level": row.level,
                "label": row.label,
            }
            | cell.model_dump(exclude={"bbox"})
            for t in record.fiscal_tables
            for row in t.rows
            for cell in row.cells
        ],
        "findings": [f.model_dump() | {"seq": i} for i, f in enumerate(record.findings)],
        "target_forms": [form.model_dump(exclude={"indicators", "field_rows"}) for form in record.target_forms],
        "target_indicators": [
            i.model_dump() | {"form": form.id} for form in record.target_forms for i in form.indicators
        ],
        "indicators": [indicator_row(config, record, [b["text"] for b in blocks if b["kind"] == "paragraph"])],
    }


def document_tables(config: Config, record: Record, blocks: list[dict[str, Any]]) -> dict[str, pa.Table]:
    """One document's rows as Arrow tables, by table (`documents` and every non-empty child table), each row
    with its doc_id: what a batch worker sends the writer, cheaper to pass and insert than the record."""
    doc_id = record.document.sha256
    document = record.document.model_dump() | {
        "schema_version": record.schema_version,
        "tool_version": record.tool_version,
        "processed_at": datetime.now(UTC),
    }
    rows = {"documents": [document], **record_rows(config, record, blocks)}
    specs = table_specs(config)
    return {table: _arrow_table(specs[table], table_rows, doc_id) for table, table_rows in rows.items() if table_rows}


class Store:
    """One DuckDB database file, with the tables `config` defines. Open it with `with Store(path, config) as store:`."""

    def __init__(self, path: str | Path, config: Config, read_only: bool = False, threads: int | None = None):
        """`threads`: DuckDB's own threads (default: one per core). A batch's writer runs while its workers keep
        every core busy, and there a second DuckDB thread only contends with them: each insert of a batch of
        documents cost ~2.5 times the CPU with 2 threads as with 1 (bench/batch_costs.py)."""
        # duckdb is imported by what opens a database, not by this module's import: a batch's workers build rows
        # here (document_tables) and never open one (its import is ~0.1 s of CPU in their fork server)
        import duckdb

        self.path = Path(path)
        self.config = config
        if read_only and not self.path.is_file():
            raise ReadError(self.path, "no such database")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(
                str(self.path), read_only=read_only, config={"threads": threads} if threads else {}
            )
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise UsageError(
                    self.path, "database in use by another jixiao process: wait for it to finish, or use another --db"
                ) from None
            raise UsageError(self.path, f"cannot open the database ({_first_line(error)})") from None
        except duckdb.Error as error:
            raise UsageError(self.path, f"not a jixiao database ({_first_line(error)})") from None
        if not read_only:
            self._create()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def _create(self) -> None:
        # what the database has, looked up once: a statement per column (345) cost ~0.1 s of CPU at every open
        existing: dict[str, set[str]] = defaultdict(set)
        for table, column in self.con.execute(
            "SELECT table_name, column_name FROM duckdb_columns()"
            " WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall():
            existing[table].add(column)
        for spec in table_specs(self.config).values():
            if spec.name not in existing:
                columns = ", ".join(f'"{c.name}" {c.sql_type}' for c in spec.columns)
                self.con.execute(f'CREATE TABLE "{spec.name}" ({columns})')
                continue
            # a database made by an earlier version gains the columns added since (at the end, as listed)
            for c in spec.columns:
                if c.name not in existing[spec.name]:
                    self.con.execute(f'ALTER TABLE "{spec.name}" ADD COLUMN "{c.name}" {c.sql_type}')

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Rows built here (paths, errors, findings across documents, reviews): a few, inserted from Python lists
        by DuckDB itself. Not through pyarrow: its first conversion of a Python list imports pandas where it is
        installed, ~0.25 s of CPU the batch's main process would pay for a few dozen rows."""
        if rows:
            columns = table_specs(self.config)[table].columns
            select, values = _unnested(columns, rows)
            names = ", ".join(f'"{c.name}"' for c in columns)
            self.con.execute(f'INSERT INTO "{table}" ({names}) {select}', values)

    # ------------------------------------------------------------ writes

    def stored_versions(self) -> dict[str, str]:
        """tool_version of every stored document, by sha256."""
        return dict(self.con.execute("SELECT sha256, tool_version FROM documents").fetchall())

    def write_documents(
        self, items: list[tuple[Record, list[dict[str, Any]], list[tuple[str, int]]]], keep_versions: bool = False
    ) -> None:
        """Store documents (record, blocks, the paths each was found at), replacing older versions, in one
        transaction (see `write_tables`)."""
        self.write_tables(
            [(document_tables(self.config, record, blocks), files) for record, blocks, files in items], keep_versions
        )

    def write_tables(
        self, items: list[tuple[dict[str, pa.Table], list[tuple[str, int]]]], keep_versions: bool = False
    ) -> None:
        """Store documents given as their tables (`document_tables`, built where the document was processed)
        and the paths each was found at, replacing older versions, in one transaction: whole documents only,
        and one insert per table for the lot (each insert costs ~10 ms of DuckDB however few rows it carries,
        which caps a batch at the speed of its single writer)."""
        by_table: dict[str, list[pa.Table]] = defaultdict(list)
        for tables, _ in items:
            for table, rows in tables.items():
                by_table[table].append(rows)
        doc_ids = [doc_id for rows in by_table["documents"] for doc_id in rows.column("doc_id").to_pylist()]
        file_rows = [
            {"path": path, "doc_id": doc_id, "size_bytes": size}
            for doc_id, (_, files) in zip(doc_ids, items, strict=True)
            for path, size in files
        ]
        self.con.begin()
        try:
            ((stored,),) = self.con.execute(
                "SELECT list(doc_id) FROM documents WHERE list_contains(?, doc_id)", [doc_ids]
            ).fetchall()
            if stored:  # by another tool version: replace it (a new document skips these dozen statements)
                for table in ("documents", *CHILD_TABLES):
                    self.con.execute(f'DELETE FROM "{table}" WHERE list_contains(?, doc_id)', [stored])
            for table, parts in by_table.items():
                self.con.from_arrow(pa.concat_tables(parts)).insert_into(table)
            self._replace_paths(file_rows, keep_versions)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def write_document(self, record: Record, blocks: list[dict[str, Any]], files: Iterable[tuple[str, int]]) -> None:
        """Store one document and the paths it was found at, replacing an older version, atomically."""
        self.write_documents([(record, blocks, list(files))])

    def _replace_paths(self, rows: list[dict[str, Any]], keep_versions: bool = False) -> None:
        """A path now leads to this document: forget what it led to before (another version, an error). An
        older version no path leads to any more is deleted, unless `keep_versions`."""
        paths = [row["path"] for row in rows]
        before = {
            doc_id
            for (doc_id,) in self.con.execute(
                "SELECT DISTINCT doc_id FROM files WHERE list_contains(?, path)", [paths]
            ).fetchall()
        }
        for table in ("files", "errors"):
            self.con.execute(f'DELETE FROM "{table}" WHERE list_contains(?, path)', [paths])
        self._insert("files", rows)
        replaced = sorted(before - {row["doc_id"] for row in rows})
        if replaced and not keep_versions:
            (orphans,) = self.con.execute(
                "SELECT list(doc_id) FROM documents d WHERE list_contains(?, doc_id)"
                " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.doc_id = d.doc_id)",
                [replaced],
            ).fetchone() or ([],)
            for table in (*CHILD_TABLES, "documents"):
                self.con.execute(f'DELETE FROM "{table}" WHERE list_contains(?, doc_id)', [orphans or []])

    def write_files(self, doc_id: str, files: Iterable[tuple[str, int]]) -> None:
        """Record more paths of an already stored document."""
        self.con.begin()
        self._replace_paths([{"path": path, "doc_id": doc_id, "size_bytes": size} for path, size in files])
        self.con.commit()

    def write_error(
        self, path: str, sha256: str | None, reason: str, tool_version: str, kind: str = "unreadable"
    ) -> None:
        self.con.begin()
        self.con.execute("DELETE FROM errors WHERE path = ?", [path])
        self.con.execute("DELETE FROM files WHERE path = ?", [path])
        self._insert(
            "errors",
            [
                {
                    "path": path,
                    "sha256": sha256,
                    "reason": reason,
                    "kind": kind,
                    "tool_version": tool_version,
                    "occurred_at": datetime.now(UTC),
                }
            ],
        )
        self.con.commit()

    def append(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Add rows to a table that keeps history (reviews), in one transaction."""
        self.con.begin()
        try:
            self._insert(table, rows)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def replace_copy_findings(self, copies: list[Copy]) -> None:
        """Copies are a property of the whole collection: drop the old ones, store the new, atomically."""
        self.replace_collection_findings(COPY_RULE_PREFIX, copies)

    def replace_collection_findings(self, prefix: str, copies: list[Copy]) -> None:
        """Findings across documents (rules `prefix`…): drop the old ones, store the new, atomically."""
        self.con.begin()
        self.con.execute("DELETE FROM findings WHERE rule LIKE ?", [f"{prefix}%"])
        start = dict(self.con.execute("SELECT doc_id, count(*) FROM findings GROUP BY doc_id").fetchall())
        rows = []
        for copy in copies:
            seq = start.get(copy.doc_id, 0)
            start[copy.doc_id] = seq + 1
            rows.append(
                copy.finding.model_dump()
                | {"doc_id": copy.doc_id, "seq": seq}
                | {"related_doc_id": copy.related_doc_id, "related_block": copy.related_block}
            )
        self._insert("findings", rows)
        self.con.commit()

    def set_department_links(self, links: list[dict[str, Any]]) -> None:
        """The panel's links of `indicators` rows (department_id, its match and candidates, region, panel_primary)."""
        spec = table_specs(self.config)["indicators"]
        names = ("doc_id", "department_id", "department_match", "department_candidates", "region", "panel_primary")
        columns = tuple(c for c in spec.columns if c.name in names)
        select, values = _unnested(columns, links)
        self.con.begin()
        try:
            self.con.execute(
                f"""
                UPDATE indicators SET department_id = l.department_id, department_match = l.department_match,
                       department_candidates = l.department_candidates, region = l.region,
                       panel_primary = l.panel_primary
                FROM ({select}) l WHERE indicators.doc_id = l.doc_id
                """,
                values,
            )
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    # ------------------------------------------------------------ reads

    def rows(self, table: str, where: str = "true") -> list[dict[str, Any]]:
        """Rows of a table as dicts, decimals as the exact values printed (from their _text twins)."""
        spec = table_specs(self.config)[table]
        cursor = self.con.execute(f'SELECT * FROM "{table}" WHERE {where}')
        names = [d[0] for d in cursor.description]
        printed = {c.name: c.source for c in spec.columns if c.printed}
        out = []
        for values in cursor.fetchall():
            row = dict(zip(names, values))
            for twin, name in printed.items():
                row[name] = Decimal(row[twin]) if row[twin] is not None else None
                del row[twin]
            out.append(row)
        return out

    def facts(self, where: str = "true") -> dict[str, list[Fact]]:
        """Facts (matching a SQL condition on the `facts` table) rebuilt as records, by doc_id."""
        # the nested models of a fact, flattened as change_amount, context_year, bbox_x0 …
        nested = ("change", "context", "bbox")
        by_doc: dict[str, list[Fact]] = defaultdict(list)
        for row in self.rows("facts", where):
            data: dict[str, Any] = {name: {} for name in nested}
            for name, value in row.items():
                head, _, rest = name.partition("_")
                if head in nested and rest:
                    data[head][rest] = value
                elif name != "doc_id":
                    data[name] = value
            for optional in ("change", "bbox"):  # absent, not empty: no change stated, not read by OCR
                if all(v is None for v in data[optional].values()):
                    data[optional] = None
            by_doc[row["doc_id"]].append(Fact.model_validate(data))
        return by_doc

    def source_blocks(self) -> dict[tuple[str, str], int]:
        """The block of every fact, KPI, self-evaluation table and fiscal table, by (doc_id, id)."""
        rows = self.con.execute(
            "SELECT doc_id, id, block FROM facts UNION ALL SELECT doc_id, id, block FROM kpis "
            "UNION ALL SELECT doc_id, id, block FROM eval_tables UNION ALL SELECT doc_id, id, block FROM fiscal_tables"
        ).fetchall()
        return {(doc_id, id_): block for doc_id, id_, block in rows}

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every paragraph outside a table of contents, with its document's department (its panel department_id once
        the batch has linked departments: one department however its name is printed) and year."""
        cursor = self.con.execute(
            """
            SELECT b.doc_id, d.path, coalesce(i.department_id, d.department), d.year, b.block, b.page, b.section,
                   s.number || s.title AS section_label,
                   EXISTS (SELECT 1 FROM sections h
                           WHERE h.doc_id = b.doc_id AND h.block = b.block AND NOT coalesce(h.run_in, false))
                       AS is_heading,
                   b.text
            FROM blocks b
            JOIN documents d USING (doc_id)
            LEFT JOIN indicators i ON i.doc_id = b.doc_id
            LEFT JOIN sections s ON s.doc_id = b.doc_id AND s.id = b.section
            WHERE b.kind = 'paragraph' AND NOT coalesce(b.in_table_of_contents, false)
            ORDER BY b.doc_id, b.block
            """
        )
        while batch := cursor.fetchmany(10_000):
            yield from (Paragraph(*row) for row in batch)

    def policy_bases(self) -> list[PolicyBasis]:
        """The 政策依据 of every stored target form, to compare them across the batch (P122)."""
        if not self.has_table("target_forms"):
            return []
        rows = self.con.execute(
            """
            SELECT doc_id, block, page, coalesce(nullif(project_code, ''), nullif(project_name, ''), sheet, id),
                   policy_basis
            FROM target_forms
            WHERE coalesce(kind, 'target_form') = 'target_form' AND trim(coalesce(policy_basis, '')) <> ''
            ORDER BY doc_id, block
            """
        ).fetchall()
        return [PolicyBasis(*row) for row in rows]

    def has_table(self, name: str) -> bool:
        """A database written before a table was added (reviews) lacks it until opened for writing."""
        found = self.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()
        return bool(found and found[0])

    def query(self, sql: str, parameters: list[Any] | None = None) -> tuple[list[str], list[tuple]]:
        """Column names and rows of a SQL query; UsageError for SQL the database refuses."""
        import duckdb  # imported already by __init__

        try:
            cursor = self.con.execute(sql, parameters or [])
        except (
            duckdb.ParserException,
            duckdb.CatalogException,
            duckdb.BinderException,
            duckdb.ConversionException,
            duckdb.InvalidInputException,
            duckdb.PermissionException,
        ) as error:
            raise UsageError("query", f"SQL error: {_first_line(error)}") from None
        return [d[0] for d in cursor.description], cursor.fetchall()

    def input_status(self, paths: list[str]) -> tuple[int, int]:
        """Of these input paths: how many are unreadable, how many hold a document with an error finding."""
        ((unreadable, with_errors),) = self.con.execute(
            """
            WITH batch_inputs AS (SELECT unnest($1::VARCHAR[]) AS path)
            SELECT
              (SELECT count(*) FROM errors JOIN batch_inputs USING (path)),
              (SELECT count(DISTINCT f.doc_id) FROM files f JOIN batch_inputs USING (path)
               WHERE EXISTS (SELECT 1 FROM findings x WHERE x.doc_id = f.doc_id AND x.severity = 'error'))
            """,
            [paths],
        ).fetchall()
        return unreadable, with_errors


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def tables_markdown(config: Config) -> str:
    """The column reference of docs/database.md, generated from the table definitions."""
    lines = []
    for spec in table_specs(config).values():
        lines += [
            f"### `{spec.name}` — {spec.title}",
            "",
            spec.about,
            "",
            "| column | type | 中文 | meaning |",
            "|---|---|---|---|",
        ]
        lines += [f"| `{c.name}` | {c.sql_type} | {c.title} | {c.about} |" for c in spec.columns]
        lines.append("")
    return "\n".join(lines)
