"""`jixiao batch` of 60 PDFs against the floor of reading them: a 2-process loop that only pulls the text
layer of every page with pypdfium2.

Both run as fresh commands (a new interpreter, a new database for the batch), interleaved, `--rounds`
times; the medians and their ratio are printed and written as Markdown to bench/results/batch_floor.md,
from which `--readme` regenerates the table in README.md. The machine's load (`uptime`) is recorded
with the figures: on a shared machine they are noisy.

    .venv/bin/python bench/batch_floor.py [--rounds 3] [--workers 2] [--readme]

The PDFs are built once by bench/batch_pdfs.py (LibreOffice; `--copies` copies the corpus PDFs instead).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

from readme_block import uptime  # bench/ is the script's own folder, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "bench" / "results" / "batch_floor.md"
PR_SET_CHILD_SUBREAPER = 36


def page_texts(path: str) -> tuple[int, int]:
    """Pages and characters of a PDF's text layer: all the floor does with a file."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        pages = len(document)
        chars = sum(len(document[i].get_textpage().get_text_range()) for i in range(pages))
    finally:
        document.close()
    return pages, chars


def floor(folder: Path, workers: int) -> tuple[int, int]:
    """The floor itself (run in a fresh interpreter): every PDF's text, `workers` processes."""
    files = sorted(str(p) for p in folder.glob("*.pdf"))
    with get_context("fork").Pool(workers) as pool:
        counts = pool.map(page_texts, files, chunksize=1)
    return sum(p for p, _ in counts), sum(c for _, c in counts)


def become_subreaper() -> None:
    """Orphaned descendants (the batch's fork server and its workers) become this process's children, so
    that reaping them adds their CPU time to RUSAGE_CHILDREN (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds of a command; CPU seconds (user + system) of it and every process it started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    while True:  # reap what the command left behind, so that its CPU time is counted
        try:
            os.wait()
        except ChildProcessError:
            break
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: some document has an error finding, which is a result
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--copies", action="store_true", help="the PDF set made of corpus copies (no LibreOffice)")
    parser.add_argument("--readme", action="store_true", help="regenerate README.md's batch-vs-floor table")
    parser.add_argument("--floor-only", type=Path, help=argparse.SUPPRESS)  # the floor's own process
    args = parser.parse_args()
    if args.floor_only:
        pages, chars = floor(args.floor_only, args.workers)
        print(pages, chars)
        return

    sys.path.insert(0, str(Path(__file__).parent))
    from batch_pdfs import ensure

    pdfs = ensure(copies=args.copies)
    folder = pdfs[0].parent
    jixiao = str(Path(sys.executable).with_name("jixiao"))
    pages = int(
        subprocess.run(
            [sys.executable, __file__, "--floor-only", str(folder), "--workers", str(args.workers)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[0]
    )
    become_subreaper()
    before = uptime()
    floors: list[tuple[float, float]] = []
    batches: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for n in range(args.rounds):
            floors.append(
                timed([sys.executable, __file__, "--floor-only", str(folder), "--workers", str(args.workers)])
            )
            db = Path(scratch) / f"round{n}.duckdb"
            batches.append(
                timed([jixiao, "batch", str(folder), "--db", str(db), "--workers", str(args.workers), "--quiet"])
            )
            print(
                f"round {n + 1}: floor {floors[-1][0]:.2f} s (CPU {floors[-1][1]:.2f} s), "
                f"batch {batches[-1][0]:.2f} s (CPU {batches[-1][1]:.2f} s)",
                flush=True,
            )
    after = uptime()
    floor_wall, floor_cpu = (statistics.median(run[i] for run in floors) for i in (0, 1))
    batch_wall, batch_cpu = (statistics.median(run[i] for run in batches) for i in (0, 1))
    table = "\n".join(
        [
            f"| {len(pdfs)} PDFs, {pages} pages, {args.workers} processes (median of {args.rounds}) "
            "| wall s | ms per page | CPU s, all processes |",
            "|---|---|---|---|",
            f"| floor: pypdfium2 text of every page | {floor_wall:.2f} | {floor_wall / pages * 1000:.1f} | {floor_cpu:.2f} |",
            f"| `jixiao batch DIR --db NEW --workers {args.workers}` | {batch_wall:.2f} "
            f"| {batch_wall / pages * 1000:.1f} | {batch_cpu:.2f} |",
            f"| **ratio batch / floor** | **{batch_wall / floor_wall:.1f}×** | | **{batch_cpu / floor_cpu:.1f}×** |",
        ]
    )
    runs = "; ".join(
        f"{name} " + ", ".join(f"{wall:.2f} s (CPU {cpu:.2f})" for wall, cpu in values)
        for name, values in (("floor", floors), ("batch", batches))
    )
    text = (
        f"{table}\n\nEach a fresh command (interpreter start included), the two interleaved; runs: {runs}. "
        f"{os.cpu_count()} cores; load average before `{before.split('load average: ')[-1]}`, "
        f"after `{after.split('load average: ')[-1]}` (1, 5, 15 min): on a loaded machine the wall ratio is noise "
        "and the CPU ratio the steadier figure.\n"
    )
    print(text)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(f"<!-- written by bench/batch_floor.py -->\n{text}", encoding="utf-8")
    if args.readme:
        from readme_block import replace_block

        replace_block("batch_floor.py", text)


if __name__ == "__main__":
    main()
