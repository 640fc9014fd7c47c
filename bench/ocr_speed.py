"""Seconds per scanned page: OCR read one page after another, or several at once, with the load recorded.

    .venv/bin/python bench/ocr_speed.py [--dpi 200] [--pages 1-3] [--readme]

`corpus/make/scanned.py` makes scanned copies of the corpus PDFs (seal, 1° skew, noise, JPEG, one page
sideways) at `--dpi`; each copy is then read by jixiao's reader, in a fresh process as `jixiao parse`
would (imports and the models' loading counted), in three ways:

- serial, 1 thread: one process, the recogniser on one thread;
- serial, all threads: one process, the recogniser on every core (onnxruntime's intra-op threads);
- parallel: one worker process a core, each recogniser on one thread (`OcrOptions.for_cores`, what
  `jixiao parse/extract/check` do with a scanned PDF).

The machine's load average (`uptime`) is recorded before and after each run: on a shared machine the
figures are only as good as the load was low. The result goes to bench/ocr_speed.md; with --readme, the
README's OCR speed line (between `<!-- ocr-speed -->` markers) is written from it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from readme_block import cpu_model  # bench/ is the script's own folder, first on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpus" / "make"))

RESULT = ROOT / "bench" / "ocr_speed.md"
README = ROOT / "README.md"
MARKERS = ("<!-- ocr-speed -->", "<!-- /ocr-speed -->")


def _one(pdf: str, dpi: int, workers: int, threads: int) -> dict:
    """In the child process: read one scanned PDF and time it."""
    from extractor.readers import ReadOptions, ocr, read

    start = time.perf_counter()
    document = read(Path(pdf), ReadOptions(ocr=ocr.OcrOptions(dpi=dpi, workers=workers, threads=threads)))
    return {"seconds": time.perf_counter() - start, "pages": len(document.ocr_pages)}


def _uptime() -> str:
    load = os.getloadavg()
    return f"{load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}"


def _cores() -> int:
    from extractor.readers.ocr_options import cores

    return cores()


def measure(pdf: Path, dpi: int, workers: int, threads: int) -> dict:
    """One run in a fresh process, with the load average before and after."""
    before = _uptime()
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--one",
            str(pdf),
            "--dpi",
            str(dpi),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    return {**result, "load_before": before, "load_after": _uptime()}


def _pages(spec: str | None) -> list[int] | None:
    if not spec:
        return None
    first, _, last = spec.partition("-")
    return list(range(int(first), int(last or first) + 1))


def run(dpi: int, pages: list[int] | None) -> tuple[str, str]:
    import scanned

    cores = _cores()
    ways = [
        ("serial, 1 thread", 1, 1),
        (f"serial, {cores} threads", 1, cores),
        (f"parallel, {cores} workers × 1 thread", cores, 1),
    ]
    started = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    rows, totals = [], {name: [0.0, 0] for name, _, _ in ways}
    loads = []
    with tempfile.TemporaryDirectory() as work:
        for pdf in sorted((ROOT / "corpus").glob("*.pdf")):
            copy = scanned.scanned(pdf, Path(work) / f"{pdf.stem}.pdf", dpi, pages)
            for name, workers, threads in ways:
                result = measure(copy, dpi, workers, threads)
                print(f"{pdf.stem}, {name}: {result}", file=sys.stderr)
                totals[name][0] += result["seconds"]
                totals[name][1] += result["pages"]
                loads += [result["load_before"], result["load_after"]]
                rows.append(
                    f"| {pdf.stem} | {name} | {result['pages']} | {result['seconds']:.1f} | "
                    f"{result['seconds'] / result['pages']:.1f} | {result['load_before']} → {result['load_after']} |"
                )
    ended = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    per_page = {name: seconds / count for name, (seconds, count) in totals.items()}
    fastest = min(per_page, key=per_page.__getitem__)
    one_minute = [float(load.split(",")[0]) for load in loads]
    summary = (
        f"OCR speed at {dpi} dpi on {cores} cores ({cpu_model()}), {totals[fastest][1]} scanned pages, "
        f"load average {min(one_minute):.1f}–{max(one_minute):.1f} while measuring: "
        + ", ".join(f"{name} **{seconds:.1f} s/page**" for name, seconds in per_page.items())
        + f" (bench/ocr_speed.py, {time.strftime('%Y-%m-%d', time.gmtime())})."
    )
    return "\n".join(
        [
            "# OCR seconds per scanned page",
            "",
            "Written by `.venv/bin/python bench/ocr_speed.py --readme` (see its docstring). Each run reads one",
            "scanned copy in a fresh process (imports and model loading included). Load average: 1, 5 and 15",
            "minutes, before → after the run; the machine is shared, so read the figures with the load.",
            "",
            f"- started: `{started}`",
            f"- ended: `{ended}`",
            "",
            summary,
            "",
            "| scanned copy | how | pages | seconds | s/page | load average |",
            "|---|---|---|---|---|---|",
            *rows,
            *(
                f"| **all** | {name} | {count} | {seconds:.1f} | **{seconds / count:.1f}** | |"
                for name, (seconds, count) in totals.items()
            ),
            "",
            f"Fastest: {fastest}.",
            "",
        ]
    ), summary


def write_readme(summary: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(MARKERS[0]), text.index(MARKERS[1])
    README.write_text(text[: start + len(MARKERS[0])] + "\n" + summary + "\n" + text[end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--pages", help="only these pages of each corpus PDF, e.g. 1-3 (default: all)")
    parser.add_argument("--readme", action="store_true", help="also write the README's OCR speed line")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child process: one scanned PDF
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one(args.one, args.dpi, args.workers, args.threads)))
        return
    markdown, summary = run(args.dpi, _pages(args.pages))
    RESULT.write_text(markdown, encoding="utf-8")
    print(markdown)
    if args.readme:
        write_readme(summary)


if __name__ == "__main__":
    main()
