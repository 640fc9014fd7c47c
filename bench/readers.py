"""Our readers against the bare libraries they compete with, over the corpus.

    .venv/bin/python bench/readers.py [--repeat N] [FILES...]

PDF: ms per page, `extractor.readers.pdf` (text, paragraphs, tables) against pdfplumber's
`extract_text` on every page (text only), and the floor: pypdfium2's text of every page, the least any
reader of the text layer does. DOCX: ms per document, `extractor.readers.docx` against
python-docx `Document(path)` plus every paragraph's text. Each timing is the best of N runs in CPU
time (this process's user + system; OCR's worker processes are not counted), which a busy machine
disturbs less than wall time.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import docx
import pdfplumber
import pypdfium2

from extractor import readers

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def best_of(repeat: int, run) -> float:
    """Seconds of the fastest of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def pdfplumber_text(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def pdfium_text(path: Path) -> None:
    pdf = pypdfium2.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            pdf[index].get_textpage().get_text_range()
    finally:
        pdf.close()


def python_docx_text(path: Path) -> None:
    [paragraph.text for paragraph in docx.Document(path).paragraphs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = args.files or sorted(CORPUS.glob("*.pdf")) + sorted(CORPUS.glob("*.docx"))
    rows = []
    totals = {"pdf": [0, 0.0, 0.0, 0.0], "docx": [0, 0.0, 0.0, 0.0]}  # units, ours, bare, floor
    for path in files:
        kind = path.suffix.lower().lstrip(".")
        bare = pdfplumber_text if kind == "pdf" else python_docx_text
        document = readers.read(path)  # warm up: imports, caches
        ours = best_of(args.repeat, lambda path=path: readers.read(path))
        theirs = best_of(args.repeat, lambda path=path, bare=bare: bare(path))
        floor = best_of(args.repeat, lambda path=path: pdfium_text(path)) if kind == "pdf" else 0.0
        units = document.pages if kind == "pdf" else 1
        tables = sum(block.kind == "table" for block in document.blocks)
        rows.append((path.name, kind, units, tables, ours * 1000 / units, theirs * 1000 / units, floor * 1000 / units))
        for position, value in enumerate((units, ours, theirs, floor)):
            totals[kind][position] += value
    print(
        f"{'file':36} {'kind':4} {'pages':>5} {'tables':>6} {'ours ms':>9} {'bare ms':>9} {'speed-up':>8}"
        f" {'floor ms':>9} {'/ floor':>7}"
    )
    for name, kind, units, tables, ours, theirs, floor in rows:
        unit = "/page" if kind == "pdf" else "/doc"
        over = f"{floor:9.1f} {ours / floor:6.1f}x" if floor else ""
        print(f"{name:36} {kind:4} {units:5} {tables:6} {ours:9.1f} {theirs:9.1f} {theirs / ours:7.1f}x {over} {unit}")
    for kind, (units, ours, theirs, floor) in totals.items():
        if units:
            over = f"{floor * 1000 / units:9.1f} {ours / floor:6.1f}x" if floor else ""
            print(
                f"{'all ' + kind:36} {kind:4} {units:5} {'':6} {ours * 1000 / units:9.1f} {theirs * 1000 / units:9.1f}"
                f" {theirs / ours:7.1f}x {over}"
            )
    print("bare: pdfplumber extract_text on every page / python-docx Document() + paragraph texts")
    print("floor: pypdfium2 get_text_range() of every page (PDF only)")


if __name__ == "__main__":
    main()
