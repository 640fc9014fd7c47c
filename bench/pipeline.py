"""The whole pipeline on one file, cold, in a fresh process, against a bare pdfplumber `extract_text`.

    .venv/bin/python bench/pipeline.py [--repeat N] [FILES...]

"Cold" is what a user of `jixiao extract FILE` pays: interpreter start, imports, jieba's tagging model,
the templates and rules loaded from schemas/, then read -> segment -> extract -> check. Each side runs
in its own new interpreter; the figure is the best of N runs. The per-stage split comes from one warm
process, to show where the time goes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from extractor.config import load_default

config = load_default()  # the installed rule set, validated once for this benchmark

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

OURS = "from extractor.pipeline import process; import sys; process(sys.argv[1])"
PDFPLUMBER = (
    "import pdfplumber, sys\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    [page.extract_text() for page in pdf.pages]"
)


def cold_seconds(code: str, path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, str(path)], check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def stage_seconds(path: Path) -> dict[str, float]:
    from extractor import checks, figures, readers, sections
    from extractor.pipeline import build_record

    build_record(readers.read(path), config)  # warm: imports, dictionaries, templates
    timings: dict[str, float] = {}
    start = time.perf_counter()
    document = readers.read(path)
    timings["read"] = time.perf_counter() - start
    start = time.perf_counter()
    outline = sections.segment(document, config)
    timings["segment"] = time.perf_counter() - start
    start = time.perf_counter()
    figures.extract(document, outline.sections, config)
    timings["extract"] = time.perf_counter() - start
    record = build_record(document, config)
    start = time.perf_counter()
    checks.run(record, document, config)
    timings["check"] = time.perf_counter() - start
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = args.files or sorted(CORPUS.glob("*.pdf"))
    print(f"{'file':40} {'pages':>5} {'jixiao cold s':>14} {'pdfplumber cold s':>18} {'ratio':>6}   warm stages ms")
    for path in files:
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(path)) if path.suffix == ".pdf" else 0
        ours = cold_seconds(OURS, path, args.repeat)
        bare = cold_seconds(PDFPLUMBER, path, args.repeat) if path.suffix == ".pdf" else float("nan")
        stages = " ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in stage_seconds(path).items())
        print(f"{path.name:40} {pages:>5} {ours:>14.2f} {bare:>18.2f} {ours / bare:>6.2f}   {stages}")


if __name__ == "__main__":
    main()
