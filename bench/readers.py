"""Our readers against the bare libraries they compete with, over the corpus.

    .venv/bin/python bench/readers.py [--repeat N] [FILES...]

PDF: ms per page, `extractor.readers.pdf` (text, paragraphs, tables) against pdfplumber's
`extract_text` on every page (text only). DOCX: ms per document, `extractor.readers.docx` against
python-docx `Document(path)` plus every paragraph's text. Each timing is the best of N runs, so a
busy machine disturbs it less.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import docx
import pdfplumber

from extractor import readers

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def best_of(repeat: int, run) -> float:
    """Seconds of the fastest of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def pdfplumber_text(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def python_docx_text(path: Path) -> None:
    [paragraph.text for paragraph in docx.Document(path).paragraphs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = args.files or sorted(CORPUS.glob("*.pdf")) + sorted(CORPUS.glob("*.docx"))
    rows = []
    totals = {"pdf": [0, 0.0, 0.0], "docx": [0, 0.0, 0.0]}  # units, ours, bare
    for path in files:
        kind = path.suffix.lower().lstrip(".")
        bare = pdfplumber_text if kind == "pdf" else python_docx_text
        document = readers.read(path)  # warm up: imports, caches
        ours = best_of(args.repeat, lambda path=path: readers.read(path))
        theirs = best_of(args.repeat, lambda path=path, bare=bare: bare(path))
        units = document.pages if kind == "pdf" else 1
        tables = sum(block.kind == "table" for block in document.blocks)
        rows.append((path.name, kind, units, tables, ours * 1000 / units, theirs * 1000 / units))
        totals[kind][0] += units
        totals[kind][1] += ours
        totals[kind][2] += theirs
    print(f"{'file':36} {'kind':4} {'pages':>5} {'tables':>6} {'ours ms':>9} {'bare ms':>9} {'speed-up':>8}")
    for name, kind, units, tables, ours, theirs in rows:
        unit = "/page" if kind == "pdf" else "/doc"
        print(f"{name:36} {kind:4} {units:5} {tables:6} {ours:9.1f} {theirs:9.1f} {theirs / ours:7.1f}x  {unit}")
    for kind, (units, ours, theirs) in totals.items():
        if units:
            print(
                f"{'all ' + kind:36} {kind:4} {units:5} {'':6} {ours * 1000 / units:9.1f} {theirs * 1000 / units:9.1f}"
                f" {theirs / ours:7.1f}x"
            )
    print("bare: pdfplumber extract_text on every page / python-docx Document() + paragraph texts")


if __name__ == "__main__":
    main()
