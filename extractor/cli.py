"""The `jixiao` command. The only module that prints to a terminal.

Exit codes, for every subcommand: 0 all good; 1 a finding of severity error; 2 an input could not
be read, or the command was used wrongly (a bad option value, a locked database, bad SQL, an unwritable
output path); 3 an internal error (a bug in jixiao, or its data files missing or invalid). Every problem
is one line on stderr naming the file and the reason, never a traceback (`--debug` shows it).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import DataError, ReadError, UsageError
from .limits import DEFAULT_LIMITS
from .paths import SCHEMAS, check_data_folder

if TYPE_CHECKING:
    from .config import Config

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _internal_error(error: Exception) -> str:
    return f"internal error, a bug in jixiao ({type(error).__name__}: {error}); rerun with --debug and report it"


def _at_least_one(text: str) -> int:
    """argparse type of --workers, --recycle, --timeout: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _config(args: argparse.Namespace) -> Config:
    """The rule set the command runs with: the data files of --schemas DIR, else those installed with jixiao,
    each validated (a bad file stops the command here, naming the file and key)."""
    from .config import Config

    return Config.load(args.schemas or SCHEMAS)


def _reading(path: str | Path, timeout: int = 0):
    """How the commands read one file: OCR says on stderr which page it has read (seconds a page), and each
    page read starts the time limit again, so that it bounds a hung page, not a long scan."""
    from .readers import ReadOptions
    from .readers.ocr_options import OcrOptions, cores

    def progress(page: int, done: int, total: int) -> None:
        print(f"{path}: OCR page {page} read ({done}/{total} scanned pages)", file=sys.stderr, flush=True)
        if timeout:
            signal.alarm(timeout)

    # one file: its scanned pages are read at once, one worker process a core (measured faster on 2 cores than
    # one process computing with two threads: bench/ocr_speed.py)
    return ReadOptions(ocr=OcrOptions(progress=progress).for_cores(cores(), pages_at_once=True))


def cmd_parse(args: argparse.Namespace) -> int:
    from .readers import read

    document = read(args.file, _reading(args.file))
    _print_json(document.model_dump(mode="json", exclude_none=True))
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    config = _config(args)
    from .limits import time_limit
    from .pipeline import process

    with time_limit(args.file, args.timeout):
        record = process(args.file, config, read_options=_reading(args.file, args.timeout))
    _print_json(record.model_dump(mode="json"))
    return EXIT_OK


def cmd_sections(args: argparse.Namespace) -> int:
    config = _config(args)
    from .readers import read
    from .sections import segment
    from .sections.render import render_tree

    outline = segment(read(args.file, _reading(args.file)), config)
    print(render_tree(outline))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import SCHEMA_FILES, render, write_all

    if args.write:
        for path in write_all():
            print(f"wrote {path}")
    else:
        print(render(SCHEMA_FILES["record.schema.json"]), end="")
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    config = _config(args)
    from tqdm import tqdm

    from .batch import BatchOptions, run_batch

    if args.address and args.engine != "dask":
        raise UsageError("--address", "names a Dask scheduler: use it with --engine dask")
    options = BatchOptions(
        workers=args.workers,
        recycle=args.recycle,
        timeout=args.timeout,
        departments=args.departments,
        keep_versions=args.keep_versions,
        engine=args.engine,
        address=args.address,
    )
    quiet = args.quiet or not sys.stderr.isatty()

    def progress(total: int) -> tqdm:
        return tqdm(total=total, unit="doc", file=sys.stderr, disable=quiet, dynamic_ncols=True)

    summary = run_batch(args.paths, args.db, config, options, progress)
    for outcome in summary.outcomes:
        if outcome.error:
            print(f"jixiao: {outcome.path}: {outcome.error}", file=sys.stderr)
    print(
        f"jixiao: {summary.files} files: {summary.processed} processed, {summary.skipped} already stored, "
        f"{summary.duplicates} identical copies; {summary.with_errors} with error findings, "
        f"{summary.unreadable} unreadable; {summary.copies} copied paragraphs; database {args.db}",
        file=sys.stderr,
    )
    panel = summary.panel
    print(
        f"jixiao: panel: {panel.documents} documents of {panel.departments} departments, "
        f"{len(panel.ambiguous)} ambiguous department names, "
        f"{panel.year_over_year} findings between reports of one department (C3xx)",
        file=sys.stderr,
    )
    for path, link in sorted(panel.ambiguous.items()):
        print(
            f"jixiao: {path}: department name could be {', '.join(link.candidates)}; kept as {link.department_id} "
            "(pin it with --departments)",
            file=sys.stderr,
        )
    if summary.internal:
        return EXIT_INTERNAL
    if summary.unreadable:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if summary.with_errors else EXIT_OK


def cmd_indicators(args: argparse.Namespace) -> int:
    config = _config(args)
    from . import pipeline
    from .inputs import iter_input_files
    from .panel.collection import panel_of_records
    from .panel.departments import read_pins
    from .readers import read
    from .store.duckdb import table_specs
    from .store.export import format_rows

    pins = read_pins(args.departments) if args.departments else []
    items, unreadable = [], 0
    for path in iter_input_files(args.paths):
        try:
            document = read(path)
            items.append((pipeline.build_record(document, config), document))
        except Exception as error:  # one line, and the other files go on
            if args.debug and not isinstance(error, ReadError):
                raise
            print(
                f"jixiao: {path}: {error.reason if isinstance(error, ReadError) else _internal_error(error)}",
                file=sys.stderr,
            )
            unreadable += 1
    panel = panel_of_records(config, items, pins)
    if args.format == "text":
        path_of = {row["doc_id"]: row["path"] for row in panel.rows}
        for row in panel.rows:
            print(
                f"{row['path']}: {row['department']} -> {row['department_id']} ({row['department_match']}), "
                f"{row['region'] or '?'}, {row['year']}, {row['kind']}"
            )
            for indicator in config.indicators:
                if row.get(indicator.key) is not None:
                    page = f" p.{row[indicator.key + '_page']}" if row[indicator.key + "_page"] is not None else ""
                    print(
                        f"  {indicator.name_zh}  {row[indicator.key]} {indicator.unit}  "
                        f"[{row[indicator.key + '_source']}{page}]"
                    )
            for conflict in row["conflicts"]:
                print(f"  conflict: {conflict}")
        for item in panel.findings:
            f = item.finding
            where = f"{path_of[item.doc_id]}:{f.page}:" if f.page is not None else f"{path_of[item.doc_id]}:"
            print(f"{where} {f.rule} {f.message} [{f.severity}]")
    else:
        columns = [c.name for c in table_specs(config)["indicators"].columns if not c.printed]
        sys.stdout.write(format_rows(columns, [tuple(row.get(c) for c in columns) for row in panel.rows], args.format))
    return EXIT_UNREADABLE if unreadable else EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    config = _config(args)
    from .store.duckdb import Store
    from .store.export import format_rows

    with Store(args.db, config, read_only=True) as store:
        columns, rows = store.query(args.sql)
    sys.stdout.write(format_rows(columns, rows, args.format))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    config = _config(args)
    from .store.export import export_database

    for path in export_database(
        config, args.db, args.format, args.output, args.table, findings_only=args.findings_only
    ):
        print(path)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    config = _config(args)
    from .report.html import write_report

    print(write_report(config, args.db, args.output, images=not args.no_images))
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    config = _config(args)
    import webbrowser

    from .review.app import make_review_server

    server, app = make_review_server(config, args.db, args.port)
    print(f"jixiao: reviewing {args.db} as {app.reviewer} at {app.url} (Ctrl-C to stop)", file=sys.stderr)
    if not args.no_browser:
        webbrowser.open(app.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


_COLOURS = {"error": "31", "warning": "33", "info": "36", "-": "31", "+": "32"}


def _paint(text: str, tone: str) -> str:
    """ANSI colour on a terminal only, and never when NO_COLOR is set (no-color.org)."""
    if not sys.stdout.isatty() or "NO_COLOR" in os.environ:
        return text
    return f"\033[{_COLOURS[tone]}m{text}\033[0m"


def _patterns(values: list[str] | None) -> list[str]:
    """`--select A1,T --select C101` -> ["A1", "T", "C101"]."""
    return [p.strip() for value in values or [] for p in value.split(",") if p.strip()]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _check_summary(results: list[dict]) -> str:
    findings = [f for result in results for f in result["findings"]]
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    categories: dict[str, int] = {}
    for finding in findings:
        categories[finding["category"]] = categories.get(finding["category"], 0) + 1
    line = ", ".join([_plural(len(results), "file")] + [_plural(n, s) for s, n in counts.items()])
    unreadable = sum("error" in r for r in results)
    if unreadable:
        line += f", {unreadable} unreadable"
    if categories:
        line += " (" + ", ".join(f"{c} {n}" for c, n in sorted(categories.items())) + ")"
    return line


def _project_json(review) -> dict:
    """One project's review as the 初审 table has it (see checks/review.py)."""
    return {
        "project": review.project,
        "code": review.code,
        "name": review.name,
        "unit": review.unit,
        "sheet": review.sheet,
        "block": review.block,
        "form": review.form,
        "kind": review.kind,
        "dimensions": {d: [f"{f['rule']} {f['message']}" for f in remarks] for d, remarks in review.remarks.items()},
        "items": review.items,
        "summary": review.summary,
    }


def _print_project(path: str, project: dict) -> None:
    """A project's review: a heading (file, sheet, code, name), its remarks by dimension, its 小结."""
    place = f"{path} [{project['sheet']}]" if project["sheet"] else path
    name = f" {project['name']}" if project["name"] and project["name"] != project["code"] else ""
    if project["form"]:
        print(f"{place}: 项目 {project['code'] or '（未填编码）'}{name}")
    elif project["kind"] == "self_evaluation":  # the 目标 part of a 自评表
        print(f"{place}: 自评表目标" + (f" 项目 {project['code']}" if project["code"] else "") + name)
    else:  # the indicator table of a 自评表
        print(
            f"{place}: 自评表指标（第{project['block']}块）"
            + (f" 项目 {project['project']}" if project["project"] else "")
        )
    for dimension, remarks in project["dimensions"].items():
        for remark in remarks:
            print(f"  {dimension}  {remark}")
    print(f"  小结  {project['summary']}")


def cmd_check(args: argparse.Namespace) -> int:
    config = _config(args)
    from . import pipeline
    from .baseline import apply_baseline, read_baseline, write_baseline
    from .checks import CheckOptions
    from .checks.engine import Selection
    from .checks.review import group_by_project
    from .checks.targets import copied_policy_bases, policy_basis
    from .inputs import iter_input_files
    from .limits import time_limit
    from .records import PolicyBasis

    options = CheckOptions(
        selection=Selection(select=_patterns(args.select), ignore=_patterns(args.ignore)),
        rounding="truncate" if args.truncate else "round",
    )
    known = read_baseline(args.baseline) if args.baseline else None  # a bad baseline stops before any work
    results: list[dict] = []
    forms: dict[str, list[dict]] = {}  # the target forms of each file, for its review by project
    bases: list[PolicyBasis] = []  # the 政策依据 of every form, compared across the files given
    internal = False
    for path in iter_input_files(args.paths):
        try:
            with time_limit(path, args.timeout):
                record = pipeline.process(path, config, options)
        except (DataError, UsageError):
            raise  # not about this file: every other file would fail the same way
        except Exception as error:  # one line, and the other files go on
            if args.debug and not isinstance(error, ReadError):
                raise
            reason = error.reason if isinstance(error, ReadError) else _internal_error(error)
            kind = error.kind if isinstance(error, ReadError) else "internal"
            internal = internal or kind == "internal"
            print(f"jixiao: {path}: {reason}", file=sys.stderr)
            results.append({"path": str(path), "error": reason, "kind": kind, "findings": []})
            continue
        findings = [f.model_dump(mode="json") for f in record.findings]
        results.append({"path": str(path), "findings": findings})
        forms[str(path)] = [form.model_dump(mode="json", exclude={"indicators"}) for form in record.target_forms]
        bases += [basis for form in record.target_forms if (basis := policy_basis(str(path), form))]
    by_path = {result["path"]: result for result in results}
    for copy in copied_policy_bases(config, bases):  # the checks across the forms of all the files
        if options.selection.keeps(copy.finding):
            by_path[copy.doc_id]["findings"].append(copy.finding.model_dump(mode="json"))
    for result in results:
        findings = result["findings"]
        if forms.get(result["path"]) or any(f["category"] == "targets" for f in findings):
            grouped = group_by_project(config, findings, forms[result["path"]], {None: result["path"]})
            result["projects"] = [_project_json(r) for r in grouped]
    if args.write_baseline:
        recorded = write_baseline(args.write_baseline, results)
        print(f"jixiao: wrote baseline {args.write_baseline}: {_plural(recorded, 'finding')}", file=sys.stderr)
    suppressed = 0
    if known is not None:
        for result in results:
            result["suppressed"] = apply_baseline(result, known, args.baseline)
            suppressed += result["suppressed"]
    if args.format == "json":
        single = len(args.paths) == 1 and not args.paths[0].is_dir() and len(results) == 1
        _print_json(results[0] if single else results)
    else:
        for result in results:
            for f in result["findings"]:
                if f["category"] == "targets":
                    continue  # printed below, one review per project
                where = f"{result['path']}:{f['page']}:" if f["page"] is not None else f"{result['path']}:"
                print(f"{where} {f['rule']} {f['message']} {_paint('[' + f['severity'] + ']', f['severity'])}")
            for project in result.get("projects", []):
                _print_project(result["path"], project)
        summary = _check_summary(results)
        if known is not None:
            summary += f"; {suppressed} suppressed by baseline {args.baseline}"
        print(summary)
    if internal:
        return EXIT_INTERNAL
    if any("error" in r for r in results):
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if any(f["severity"] == "error" for r in results for f in r["findings"]) else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    config = _config(args)

    rules = sorted(config.rules.values(), key=lambda r: r.code)
    if args.format == "json":
        _print_json(
            [
                r.model_dump(include={"code", "category", "severity", "name", "message", "rationale", "enabled"})
                for r in rules
            ]
        )
        return EXIT_OK
    for r in rules:
        severity = r.severity if r.enabled else "off"  # switched off in the data (`enabled = false`)
        print(f"{r.code}  {r.category:<11} {severity:<7} {r.name:<28} {r.rationale}")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    config = _config(args)
    from . import pipeline
    from .checks.golden import diff_records, golden_path

    golden = golden_path(args.golden, args.file)
    record = pipeline.process(args.file, config, read_options=_reading(args.file))
    if args.update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(
            json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(f"wrote {golden}")
        return EXIT_OK
    try:
        expected = json.loads(golden.read_text(encoding="utf-8"))
    except FileNotFoundError:
        print(f"jixiao: {golden}: no golden file (write one with --update)", file=sys.stderr)
        return EXIT_UNREADABLE
    except json.JSONDecodeError as error:
        print(f"jixiao: {golden}: golden file is not JSON ({error})", file=sys.stderr)
        return EXIT_UNREADABLE
    differences = diff_records(config, expected, record)
    if differences:
        print(f"--- {golden}\n+++ {args.file}")
    for difference in differences:
        for line in difference.lines():
            print(_paint(line, line[0]))
    return EXIT_FINDINGS if differences else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao", description="Read budget performance self-evaluation reports (绩效自评报告) into checked data."
    )
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    sub = parser.add_subparsers(dest="command", required=True)

    timeout_help = f"seconds per document before it is given up (default {DEFAULT_LIMITS.timeout})"

    def command(name: str, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func, schemas=None)
        if func not in (cmd_parse, cmd_schema):  # reading blocks and the record's schema use no data file
            p.add_argument(
                "--schemas",
                type=Path,
                metavar="DIR",
                help="run with the rules, templates, tables and lexicon of DIR (a modified copy of schemas/)",
            )
        return p

    command(
        "parse", cmd_parse, "print the blocks of FILE (paragraphs and tables with provenance) as JSON"
    ).add_argument("file", type=Path)
    extract = command("extract", cmd_extract, "print the whole record of FILE as JSON")
    extract.add_argument("file", type=Path)
    extract.add_argument("--timeout", type=_at_least_one, default=DEFAULT_LIMITS.timeout, help=timeout_help)
    command("sections", cmd_sections, "print the section tree of FILE").add_argument("file", type=Path)
    command(
        "schema", cmd_schema, "print the JSON Schema of the record (--write: regenerate schemas/*.schema.json)"
    ).add_argument("--write", action="store_true")
    batch = command("batch", cmd_batch, "process every report under PATH... into a DuckDB database, in parallel")
    batch.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    batch.add_argument("--db", type=Path, default=Path("jixiao.duckdb"), help="database file (default jixiao.duckdb)")
    batch.add_argument(
        "--workers", type=_at_least_one, default=os.cpu_count() or 1, help="worker processes (default: all cores)"
    )
    batch.add_argument("--recycle", type=_at_least_one, default=200, help="documents per worker before it is replaced")
    batch.add_argument("--timeout", type=_at_least_one, default=DEFAULT_LIMITS.timeout, help=timeout_help)
    batch.add_argument(
        "--keep-versions",
        action="store_true",
        help="keep the older version of an edited file too (default: replace it)",
    )
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: worker processes here (default); dask: a Dask distributed cluster (pip install 'jixiao[dask]')",
    )
    batch.add_argument(
        "--address",
        metavar="SCHEDULER",
        help="with --engine dask: the scheduler of an existing cluster (default: start a local one)",
    )
    batch.add_argument(
        "--departments",
        type=Path,
        metavar="CSV",
        help="pinned department identities: a CSV with columns department (as printed), region (optional), department_id",
    )
    indicators = command(
        "indicators",
        cmd_indicators,
        "the panel row of each report under PATH: standard indicators with their sources, departments linked, "
        "year-over-year findings",
    )
    indicators.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="files, or folders to walk")
    indicators.add_argument("--format", choices=("text", "csv", "json"), default="text")
    indicators.add_argument(
        "--departments", type=Path, metavar="CSV", help="pinned department identities (as for batch)"
    )
    query = command("query", cmd_query, "run SQL on a batch database and print the result")
    query.add_argument("sql")
    query.add_argument("--db", type=Path, default=Path("jixiao.duckdb"))
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    export = command(
        "export",
        cmd_export,
        "write every table of a batch database to DIR (xlsx: one workbook, led by the working paper)",
    )
    export.add_argument("--db", type=Path, default=Path("jixiao.duckdb"))
    export.add_argument("--format", choices=("parquet", "csv", "xlsx", "jsonl"), required=True)
    export.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    export.add_argument(
        "--table", metavar="NAME", help="only this table, with its data dictionary (e.g. indicators, the panel)"
    )
    export.add_argument(
        "--findings-only",
        action="store_true",
        help="only the findings with their review columns (xlsx: the working paper, a sheet per department)",
    )
    report = command("report", cmd_report, "write the offline review page (one HTML file) of a batch database")
    report.add_argument("--db", type=Path, default=Path("jixiao.duckdb"))
    report.add_argument("-o", "--output", type=Path, default=Path("report.html"))
    report.add_argument("--no-images", action="store_true", help="leave out the PDF page images (a smaller file)")
    review = command(
        "review", cmd_review, "review findings in the browser and record decisions (a local app on 127.0.0.1)"
    )
    review.add_argument("--db", type=Path, default=Path("jixiao.duckdb"))
    review.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    review.add_argument("--no-browser", action="store_true", help="only print the URL")
    check = command("check", cmd_check, "check reports like a linter: FILE:PAGE: CODE message [severity]")
    check.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="files, or folders to walk")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--select", action="append", metavar="CODES", help="only these codes, code prefixes or categories"
    )
    check.add_argument(
        "--ignore", action="append", metavar="CODES", help="leave out these codes, prefixes or categories"
    )
    check.add_argument("--truncate", action="store_true", help="the issuer truncates figures instead of rounding them")
    check.add_argument(
        "--baseline", type=Path, metavar="FILE", help="report only findings not recorded in this baseline"
    )
    check.add_argument("--write-baseline", type=Path, metavar="FILE", help="record the current findings as a baseline")
    check.add_argument("--timeout", type=_at_least_one, default=DEFAULT_LIMITS.timeout, help=timeout_help)
    command("rules", cmd_rules, "list every check rule").add_argument(
        "--format", choices=("text", "json"), default="text"
    )
    diff = command("diff", cmd_diff, "compare the record of FILE with its golden DIR/<file name>.json, like diff")
    diff.add_argument("file", type=Path)
    diff.add_argument("--golden", type=Path, required=True, metavar="DIR")
    diff.add_argument("--update", action="store_true", help="write the golden file from the current output instead")
    return parser


def _subject(args: argparse.Namespace) -> str:
    """What the command was run on, as the user typed it: a file, the paths, or the database."""
    paths = getattr(args, "paths", None)
    if paths:
        return " ".join(str(p) for p in paths)
    return str(getattr(args, "file", None) or getattr(args, "db", None) or args.command)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        check_data_folder(args.schemas or SCHEMAS)
        return args.func(args)
    except ReadError as error:
        print(f"jixiao: {error.path}: {error.reason}", file=sys.stderr)
        return EXIT_UNREADABLE
    except UsageError as error:
        print(f"jixiao: {error.subject}: {error.message}", file=sys.stderr)
        return EXIT_UNREADABLE
    except DataError as error:
        print(f"jixiao: {error.path}: {error.message}", file=sys.stderr)
        return EXIT_INTERNAL
    except BrokenPipeError:  # `jixiao parse x | head`
        return EXIT_OK
    except OSError as error:  # the user's files: an unwritable output, a full disk
        if args.debug:
            raise
        where = error.filename or _subject(args)
        print(f"jixiao: {where}: cannot write or read: {error.strerror or error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as error:  # a bug must still not bury the user in a traceback
        if args.debug:
            raise
        print(f"jixiao: {_subject(args)}: {_internal_error(error)}", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> None:
    """The `jixiao` command: `main` on the command line, then the process ends. Everything it built is left to
    the operating system: frozen out of the collector (gc.freeze), the interpreter's collections at shutdown
    do not walk the pipeline's models, rules and jieba's dictionaries once more (~2% of a one-file extract)."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
