"""Where a batch's time goes, in CPU seconds (a loaded machine distorts them less than wall time): the fork
server's start (imports of what the files need and the warm-up run), hashing, each pipeline stage (read / segment / extract / check),
building the rows a worker sends, pickling them to the writer and back (against pickling the record, as the
batch did before), the writer's DuckDB transactions, the panel and the copy-detection pass.

    .venv/bin/python bench/batch_costs.py [FILE ...]     (default: the 60 PDFs of bench/batch_pdfs.py)
"""

from __future__ import annotations

import argparse
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extractor import checks, figures, sections
from extractor.batch import _WRITER_THREADS, from_streams, preload_for, sha256_of, to_streams
from extractor.checks.copies import find_copies
from extractor.config import load_default
from extractor.panel.collection import update_panel
from extractor.pipeline import build_record
from extractor.readers import read
from extractor.store.duckdb import Store, block_rows, document_tables

ROOT = Path(__file__).resolve().parent.parent
config = load_default()  # the installed rule set, validated once for this benchmark


def child_cpu(command: list[str]) -> float:
    """CPU seconds (user + system) of a child process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cpu(function, *args):
    start = time.process_time()
    result = function(*args)
    return time.process_time() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="*")
    args = parser.parse_args()
    if args.files:
        files = args.files
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        from batch_pdfs import ensure

        files = ensure()
    n = len(files)
    preload = f"import importlib; [importlib.import_module(m) for m in {preload_for(files)!r}]"
    start_up = min(child_cpu([sys.executable, "-c", preload]) for _ in range(3))
    print(f"fork server start (a new interpreter: imports + warm-up run), once per batch: {start_up * 1000:.0f} ms")

    hashing = sum(cpu(sha256_of, path)[0] for path in files)
    stages = dict.fromkeys(("read", "segment", "extract", "check", "record", "rows"), 0.0)
    # what crosses from a worker to the writer: worker side (build + dumps), writer side (loads + rebuild)
    sent = {name: [0.0, 0.0, 0] for name in ("record, rows built by the writer", "Arrow tables", "Arrow IPC streams")}
    items = []
    # the fork server's warm-up has made the first conversion of a batch's workers (which imports pandas)
    first = read(files[0])
    first_record = build_record(first, config)
    document_tables(config, first_record, block_rows(first, first_record.sections))
    for path in files:
        seconds, document = cpu(read, path)
        stages["read"] += seconds
        seconds, outline = cpu(sections.segment, document, config)
        stages["segment"] += seconds
        seconds, _ = cpu(figures.extract, document, outline.sections, config)
        stages["extract"] += seconds
        seconds, record = cpu(build_record, document, config)  # the whole record (segment, extract, check again)
        stages["record"] += seconds
        seconds, _ = cpu(checks.run, record, document, config)
        stages["check"] += seconds
        seconds, tables = cpu(document_tables, config, record, block_rows(document, record.sections))
        stages["rows"] += seconds
        rows = block_rows(document, record.sections)
        ways = {
            "record, rows built by the writer": (lambda r, b: (r, b), lambda v: document_tables(config, *v)),
            "Arrow tables": (lambda r, b: document_tables(config, r, b), lambda v: v),
            "Arrow IPC streams": (lambda r, b: to_streams(document_tables(config, r, b)), from_streams),
        }
        for name, (build, rebuild) in ways.items():
            start = time.process_time()
            data = pickle.dumps(build(record, rows))
            middle = time.process_time()
            rebuild(pickle.loads(data))
            sent[name][0] += middle - start
            sent[name][1] += time.process_time() - middle
            sent[name][2] += len(data)
        items.append((tables, [(str(path), path.stat().st_size)]))
    print(f"hashing, per file: {hashing / n * 1000:.2f} ms ({n} files)")
    print(
        "pipeline per document: "
        + ", ".join(f"{stage} {stages[stage] / n * 1000:.0f} ms" for stage in ("read", "segment", "extract", "check"))
        + f" (build_record in all {stages['record'] / n * 1000:.0f} ms)"
    )
    print(f"rows as Arrow tables, built in the worker: {stages['rows'] / n * 1000:.1f} ms per document")
    for name, (worker, writer, size) in sent.items():
        print(
            f"sent as {name}: worker {worker / n * 1000:.1f} ms, single writer {writer / n * 1000:.1f} ms, "
            f"{size / n / 1024:.0f} KB per document"
        )

    with tempfile.TemporaryDirectory() as folder:
        for per_transaction, threads in ((4, _WRITER_THREADS), (n, _WRITER_THREADS), (n, None)):
            name = f"bench{per_transaction}-{threads}.duckdb"
            with Store(Path(folder) / name, config, threads=threads) as store:
                store.write_tables(items[:1])  # warm: the first insert loads DuckDB's and pyarrow's parts
                start, wall = time.process_time(), time.perf_counter()
                for i in range(1, n, per_transaction):
                    store.write_tables(items[i : i + per_transaction])
                seconds, wall = time.process_time() - start, time.perf_counter() - wall
                print(
                    f"DuckDB writes, {per_transaction} documents a transaction, "
                    f"{threads or 'default (one per core)'} DuckDB thread(s): CPU {seconds / (n - 1) * 1000:.1f} ms, "
                    f"wall {wall / (n - 1) * 1000:.1f} ms per document"
                )
        with Store(Path(folder) / f"bench{n}-{_WRITER_THREADS}.duckdb", config, threads=_WRITER_THREADS) as store:
            seconds, _ = cpu(update_panel, config, store)
            print(f"panel over {n} documents: CPU {seconds * 1000:.0f} ms")
            start = time.process_time()
            paragraphs = list(store.paragraphs())
            copies = find_copies(config, paragraphs)
            seconds = time.process_time() - start
            print(
                f"copy detection over {len(paragraphs)} paragraphs ({len(copies)} copies): CPU {seconds * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
