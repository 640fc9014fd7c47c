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
import os
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "bench" / "results" / "batch_floor.md"
README_BEGIN, README_END = "<!-- bench/batch_floor.py: begin -->", "<!-- bench/batch_floor.py: end -->"


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


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: some document has an error finding, which is a result
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


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
    before = load()
    floors, batches = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for n in range(args.rounds):
            floors.append(
                timed([sys.executable, __file__, "--floor-only", str(folder), "--workers", str(args.workers)])
            )
            db = Path(scratch) / f"round{n}.duckdb"
            batches.append(
                timed([jixiao, "batch", str(folder), "--db", str(db), "--workers", str(args.workers), "--quiet"])
            )
            print(f"round {n + 1}: floor {floors[-1]:.2f} s, batch {batches[-1]:.2f} s", flush=True)
    after = load()
    floor_s, batch_s = statistics.median(floors), statistics.median(batches)
    ratio = batch_s / floor_s
    table = "\n".join(
        [
            f"| {len(pdfs)} PDFs, {pages} pages, {args.workers} processes | median of {args.rounds}, s | s per page |",
            "|---|---|---|",
            f"| floor: pypdfium2 text of every page | {floor_s:.2f} | {floor_s / pages * 1000:.1f} ms |",
            f"| `jixiao batch DIR --db NEW --workers {args.workers}` | {batch_s:.2f} | {batch_s / pages * 1000:.1f} ms |",
            f"| **ratio batch / floor** | **{ratio:.1f}×** | |",
        ]
    )
    text = (
        f"{table}\n\nEach a fresh command (interpreter start included), interleaved; runs: floor "
        f"{', '.join(f'{s:.2f}' for s in floors)} s; batch {', '.join(f'{s:.2f}' for s in batches)} s. "
        f"{os.cpu_count()} cores; load before `{before.split('load average: ')[-1]}`, "
        f"after `{after.split('load average: ')[-1]}` (1, 5, 15 min).\n"
    )
    print(text)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(f"<!-- written by bench/batch_floor.py -->\n{text}", encoding="utf-8")
    if args.readme:
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        head, found, rest = readme.partition(README_BEGIN)
        _, found_end, tail = rest.partition(README_END)
        if not (found and found_end):
            raise SystemExit(f"README.md has no {README_BEGIN} … {README_END} block")
        (ROOT / "README.md").write_text(f"{head}{README_BEGIN}\n{text}{README_END}{tail}", encoding="utf-8")
        print("README.md updated")


if __name__ == "__main__":
    main()
