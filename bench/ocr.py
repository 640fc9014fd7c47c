"""OCR against the text layer: scanned copies of the corpus PDFs read back, and the two engines compared.

    .venv/bin/python bench/ocr.py [--dpi 200] [--tesseract] [--pages 1-3] [FILES...]

For each corpus PDF, `corpus/make/scanned.py` makes a scanned copy (red seal over the text, 1° skew,
noise, JPEG, page 2 sideways) in a temporary folder; jixiao reads it with OCR and the record is
compared with the text-layer PDF's record:

- money: the share of the text version's money figures (value and unit, counted with repeats) the
  scanned version has too;
- sections: whether the outline (number and title of every section) is the same, and the share of it;
- table rows: the share of the text version's table rows whose every cell reads the same (spaces and
  full/half width ignored).

With --tesseract, the engines are also compared on the raw text of each page: the share of the page's
money figures (as printed, without thousands separators) found in what RapidOCR and Tesseract 5 (chi_sim,
`tesseract` CLI) read, and each engine's seconds per page.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpus" / "make"))

import pypdfium2 as pdfium  # noqa: E402
import scanned  # noqa: E402

from extractor.config import load_default  # noqa: E402
from extractor.pipeline import build_record  # noqa: E402
from extractor.readers import ReadOptions, ocr, read  # noqa: E402
from extractor.records import Document, Record  # noqa: E402

config = load_default()  # the installed rule set, validated once for this benchmark


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def money(record: Record, pages: set[int] | None = None) -> Counter:
    return Counter((f.value, f.unit) for f in record.facts if pages is None or f.page in pages)


def outline(record: Record) -> list[tuple[str, str]]:
    return [(_norm(s.number or ""), _norm(s.title)) for s in record.sections]


def table_rows(document: Document, pages: set[int] | None = None) -> Counter:
    rows: Counter = Counter()
    for block in document.blocks:
        if block.table and (pages is None or block.page in pages):
            for row in block.table.grid():
                if any(cell.strip() for cell in row):
                    rows[tuple(_norm(cell) for cell in row)] += 1
    return rows


def share(found: Counter, wanted: Counter) -> tuple[int, int]:
    return sum((found & wanted).values()), sum(wanted.values())


def compare(text_pdf: Path, scan_pdf: Path, dpi: int, pages: set[int] | None) -> dict:
    """The scanned copy's record against the text layer's, over `pages` of the original."""
    text_doc = read(text_pdf)
    text_record = build_record(text_doc, config)
    timings: list[float] = []
    last = [time.perf_counter()]

    def progress(page: int, done: int, total: int) -> None:
        now = time.perf_counter()
        timings.append(now - last[0])
        last[0] = now
        print(f"  OCR page {done}/{total} ({timings[-1]:.1f} s)", file=sys.stderr)

    scan_doc = read(scan_pdf, ReadOptions(ocr=ocr.OcrOptions(dpi=dpi, progress=progress)))
    scan_record = build_record(scan_doc, config)
    scan_sections = outline(scan_record)
    wanted_sections = [
        o for o, s in zip(outline(text_record), text_record.sections) if pages is None or s.page in pages
    ]
    return {
        "money": share(money(scan_record), money(text_record, pages)),
        "sections": share(Counter(scan_sections), Counter(wanted_sections)),
        "same_outline": scan_sections == wanted_sections,
        "rows": share(table_rows(scan_doc), table_rows(text_doc, pages)),
        "seconds_per_page": sum(timings) / len(timings) if timings else 0.0,
        "pages": len(timings),
    }


def page_figures(record: Record, page: int) -> list[str]:
    """The money figures printed on a page of the text version, separators removed."""
    return [format(f.value, "f") for f in record.facts if f.page == page]


def _tesseract(image_path: Path) -> str:
    return subprocess.run(
        ["tesseract", str(image_path), "-", "-l", "chi_sim"], capture_output=True, text=True, check=True
    ).stdout


def engines(text_pdf: Path, scan_pdf: Path, dpi: int, pages: list[int]) -> dict:
    """Raw-text accuracy and speed of RapidOCR and Tesseract on the scanned pages."""
    record = build_record(read(text_pdf), config)
    found = {"rapidocr": [0, 0.0], "tesseract": [0, 0.0]}
    wanted = 0
    pdf = pdfium.PdfDocument(scan_pdf)
    with tempfile.TemporaryDirectory() as work:
        for index, original in enumerate(pages):
            figures = page_figures(record, original)
            wanted += len(figures)
            page = pdf[index]
            start = time.perf_counter()
            read_page = ocr.read_page(page, ocr.OcrOptions(dpi=dpi))
            found["rapidocr"][1] += time.perf_counter() - start
            rapid_text = _norm("".join(line.text for line in read_page.lines)).replace(",", "")
            image = Path(work) / f"page{index}.png"
            page.render(scale=dpi / 72).to_pil().save(image)
            start = time.perf_counter()
            tesseract_text = _norm(_tesseract(image)).replace(",", "")
            found["tesseract"][1] += time.perf_counter() - start
            found["rapidocr"][0] += sum(figure in rapid_text for figure in figures)
            found["tesseract"][0] += sum(figure in tesseract_text for figure in figures)
    pdf.close()
    return {
        "figures": wanted,
        **{name: {"found": hits, "seconds_per_page": seconds / len(pages)} for name, (hits, seconds) in found.items()},
    }


def _pages(spec: str | None) -> list[int] | None:
    if not spec:
        return None
    first, _, last = spec.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--pages", help="only these pages of each file, e.g. 1-3")
    parser.add_argument("--tesseract", action="store_true", help="also compare the engines on raw text")
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "corpus").glob("*.pdf"))
    with tempfile.TemporaryDirectory() as work:
        for pdf in files:
            selected = _pages(args.pages)
            copy = scanned.scanned(pdf, Path(work) / f"{pdf.stem}.scanned.pdf", args.dpi, selected)
            result = compare(pdf, copy, args.dpi, set(selected) if selected else None)
            m, s, r = result["money"], result["sections"], result["rows"]
            print(
                f"{pdf.name}: {result['pages']} pages at {args.dpi} dpi, {result['seconds_per_page']:.1f} s/page; "
                f"money {m[0]}/{m[1]}, sections {s[0]}/{s[1]} (same outline: {result['same_outline']}), "
                f"table rows {r[0]}/{r[1]}"
            )
            if args.tesseract:
                pages = selected or list(range(1, len(pdfium.PdfDocument(pdf)) + 1))
                e = engines(pdf, copy, args.dpi, pages)
                print(
                    f"  raw text, {e['figures']} money figures: "
                    + "; ".join(
                        f"{name} {e[name]['found']} found, {e[name]['seconds_per_page']:.1f} s/page"
                        for name in ("rapidocr", "tesseract")
                    )
                )


if __name__ == "__main__":
    main()
