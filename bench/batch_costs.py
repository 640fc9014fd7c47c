"""Where a batch document's time goes besides the pipeline, in CPU seconds (so that a loaded machine
distorts the figures less than wall time would): worker start-up, the pipeline, pickling the outcome
to the writer and back, the writer's DuckDB transaction, and the copy-detection pass.

    .venv/bin/python bench/batch_costs.py [FILE ...]     (default: the corpus's .txt/.docx/.pdf/.html)
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

from extractor.batch import process_file
from extractor.checks.copies import find_copies
from extractor.config import load_default
from extractor.store.duckdb import Store

config = load_default()  # the installed rule set, validated once for this benchmark

ROOT = Path(__file__).resolve().parent.parent
WORKER_IMPORTS = "import extractor.pipeline, extractor.readers.pdf, extractor.readers.docx, jieba.posseg"


def child_cpu(command: list[str]) -> float:
    """CPU seconds (user + system) of a child process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="*")
    args = parser.parse_args()
    files = args.files or sorted(
        p for p in (ROOT / "corpus").iterdir() if p.suffix in {".txt", ".docx", ".pdf", ".html"}
    )
    start_up = min(child_cpu([sys.executable, "-c", WORKER_IMPORTS]) for _ in range(3))
    print(f"worker start-up (a new interpreter importing the pipeline), CPU: {start_up * 1000:.0f} ms")

    process_file(str(files[0]), config, 0)  # warm: imports and caches
    outcomes, pipeline, pickling, size = [], 0.0, 0.0, 0
    for path in files:
        begin = time.process_time()
        outcome = process_file(str(path), config, 0)
        pipeline += time.process_time() - begin
        begin = time.process_time()
        data = pickle.dumps(outcome)
        pickle.loads(data)
        pickling += time.process_time() - begin
        size += len(data)
        outcomes.append((path, outcome))
    n = len(files)
    print(f"pipeline per document, CPU: {pipeline / n * 1000:.0f} ms ({n} files)")
    print(f"pickle + unpickle per outcome, CPU: {pickling / n * 1000:.1f} ms ({size / n / 1024:.0f} KB each)")

    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.duckdb", config) as store:
        documents = [(o.record, o.blocks, [(str(p), p.stat().st_size)]) for p, o in outcomes if o.record]
        begin, wall = time.process_time(), time.perf_counter()
        store.write_documents(documents)
        cpu, wall = time.process_time() - begin, time.perf_counter() - wall
        print(
            f"DuckDB write, one transaction of {len(documents)}: CPU {cpu / len(documents) * 1000:.0f} ms, "
            f"wall {wall / len(documents) * 1000:.0f} ms per document"
        )
        begin = time.process_time()
        paragraphs = list(store.paragraphs())
        find_copies(config, paragraphs)
        print(f"copy detection over {len(paragraphs)} paragraphs, CPU: {(time.process_time() - begin) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
