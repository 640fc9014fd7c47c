"""Benchmark the batch runner on bench/data (make it first with bench/make_batch.py).

Prints documents per second by format (one batch run per format folder, into one fresh
database), peak resident memory of a worker, the time of the copy detection pass over the whole
database, and the time of each stage (read / segment / extract / check) on a sample of files.

    .venv/bin/python bench/batch.py [--workers 2] [--data bench/data] [--sample 5] [--engine dask [--address A]]

With `--engine dask` and no `--address`, each format's run starts (and times) its own local cluster.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from extractor import checks, figures, readers, sections
from extractor.batch import BatchOptions, run_batch
from extractor.checks.copies import find_copies
from extractor.config import load_default
from extractor.inputs import iter_input_files
from extractor.pipeline import build_record
from extractor.store.duckdb import Store

config = load_default()  # the installed rule set, validated once for this benchmark

ROOT = Path(__file__).resolve().parent.parent


def stage_times(files: list[Path]) -> dict[str, float]:
    """Median seconds per document of each stage, run in this process (warm: the first file is not counted)."""
    times: dict[str, list[float]] = {"read": [], "segment": [], "extract": [], "check": []}
    build_record(readers.read(files[0]), config)  # imports and caches
    for path in files:
        start = time.perf_counter()
        document = readers.read(path)
        read = time.perf_counter()
        outline = sections.segment(document, config)
        segmented = time.perf_counter()
        found = figures.extract(document, outline.sections, config)
        extracted = time.perf_counter()
        record = build_record(document, config)  # the record checks need; its own time is not counted
        checked_from = time.perf_counter()
        checks.run(record, document, config)
        checked = time.perf_counter()
        times["read"].append(read - start)
        times["segment"].append(segmented - read)
        times["extract"].append(extracted - segmented)
        times["check"].append(checked - checked_from)
        assert found is not None
    return {stage: statistics.median(values) for stage, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data")
    parser.add_argument("--sample", type=int, default=5, help="files per format for the stage times")
    parser.add_argument("--engine", choices=("local", "dask"), default="local", help="as `jixiao batch --engine`")
    parser.add_argument("--address", help="with --engine dask: an existing cluster's scheduler")
    args = parser.parse_args()
    formats = [f for f in ("txt", "docx", "pdf", "corrupt") if (args.data / f).is_dir()]
    if not formats:
        raise SystemExit(f"no data in {args.data}: run bench/make_batch.py first")
    options = BatchOptions(workers=args.workers, engine=args.engine, address=args.address)
    db = Path(tempfile.mkdtemp()) / "bench.duckdb"
    print(f"engine {args.engine}, workers {args.workers}, database {db}")
    print(f"{'format':8} {'files':>6} {'seconds':>8} {'docs/s':>7} {'worker peak RSS MB':>19} {'errors':>7}")
    for fmt in formats:
        files = list(iter_input_files([args.data / fmt]))
        start = time.perf_counter()
        summary = run_batch([args.data / fmt], db, config, options)
        seconds = time.perf_counter() - start
        peak = max((o.max_rss_kb for o in summary.outcomes), default=0) / 1024
        print(
            f"{fmt:8} {len(files):6d} {seconds:8.1f} {len(files) / seconds:7.1f} {peak:19.0f} {summary.unreadable:7d}"
        )

    with Store(db, config) as store:
        start = time.perf_counter()
        paragraphs = list(store.paragraphs())
        copies = find_copies(config, paragraphs)
        print(
            f"copy detection: {len(paragraphs)} paragraphs, {len(copies)} copies, {time.perf_counter() - start:.1f}s "
            "(also run at the end of every batch above)"
        )
        documents = store.query("SELECT count(*) FROM documents")[1][0][0]
    print(
        f"documents stored {documents}; main process peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; database {db.stat().st_size / 2**20:.0f} MB"
    )

    print(f"\nstage medians, seconds per document (sample of {args.sample}, in one warm process)")
    print(f"{'format':8} {'read':>7} {'segment':>8} {'extract':>8} {'check':>7}")
    for fmt in ("txt", "docx", "pdf"):
        files = list(iter_input_files([args.data / fmt]))[: args.sample]
        if files:
            t = stage_times(files)
            print(f"{fmt:8} {t['read']:7.3f} {t['segment']:8.3f} {t['extract']:8.3f} {t['check']:7.3f}")


if __name__ == "__main__":
    main()
