"""Does the checks stage stay linear? CPU time of `checks.run` per fact on corpus reports made 1, 5, 10 and
50 times as long: the document's blocks repeated in one document (pages and block indices continued), so
every section, fact, KPI and table of the report stands N times and every per-document index is as large
as it gets. Each check module's share is timed too, so that the one that grows stands out.

    .venv/bin/python bench/checks_scale.py [FILE ...] [--repeats 1 5 10 50] [--markdown OUT.md] [--readme]

Default files: a self-evaluation report with its 自评表 (Word), a 部门决算 (Word, fiscal tables), the seed as
text. Writes bench/results/checks_scale.md (the README's table) unless --markdown says elsewhere.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import GeneratorType
from typing import Any

from readme_block import uptime  # bench/ is the script's own folder, first on sys.path

from extractor import checks
from extractor.config import load_default
from extractor.pipeline import build_record
from extractor.readers import read
from extractor.records import Document

config = load_default()  # the installed rule set, validated once for this benchmark

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    ROOT / "corpus" / "heshan_commerce_2024.docx",
    ROOT / "corpus" / "fiscal" / "fiscal_final_accounts_2024.docx",
    ROOT / "corpus" / "heshan_commerce_2024.txt",
]
RESULT = ROOT / "bench" / "results" / "checks_scale.md"
# the check modules run_all calls, each timed on its own
MODULES = ("consistency", "arithmetic", "structure", "rates", "tables", "table_sums", "wording", "fiscal", "targets")


def repeated(document: Document, times: int) -> Document:
    """The document with its blocks `times` over, indices and pages continued."""
    count, pages = len(document.blocks), document.pages or 0
    blocks = [
        block.model_copy(
            update={
                "index": block.index + n * count,
                "page": None if block.page is None else block.page + n * pages,
                "page_breaks": [p + n * pages for p in block.page_breaks],
            }
        )
        for n in range(times)
        for block in document.blocks
    ]
    return document.model_copy(update={"blocks": blocks, "pages": pages * times if document.pages else None})


class ModuleClock:
    """CPU seconds spent in each check module's `check` while installed (run_all looks them up on call)."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self._saved: list[tuple[Any, str, Callable]] = []

    def __enter__(self) -> ModuleClock:
        for name in MODULES:
            module = importlib.import_module(f"extractor.checks.{name}")  # the table checks load on first need
            entry = "check_structure" if name == "structure" else "check"
            original = getattr(module, entry)

            def timed(*args, _original=original, _name=name, **kwargs):
                start = time.process_time()
                try:  # a check that yields works when consumed: consume it inside the clock
                    result = _original(*args, **kwargs)
                    return list(result) if isinstance(result, GeneratorType) else result
                finally:
                    self.seconds[_name] += time.process_time() - start

            self._saved.append((module, entry, original))
            setattr(module, entry, timed)
        return self

    def __exit__(self, *exc) -> None:
        for module, entry, original in self._saved:
            setattr(module, entry, original)


def measure(document: Document, rounds: int = 3) -> tuple[float, int, Counter[str]]:
    """Best of `rounds` CPU seconds of the checks on the document's record, its facts, the modules' shares."""
    record = build_record(document, config)
    best, shares = float("inf"), Counter()
    for _ in range(rounds):
        with ModuleClock() as clock:
            start = time.process_time()
            checks.run(record, document, config)
            seconds = time.process_time() - start
        if seconds < best:
            best, shares = seconds, clock.seconds
    return best, len(record.facts), shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="*")
    parser.add_argument("--repeats", type=int, nargs="+", default=[1, 5, 10, 50])
    parser.add_argument("--markdown", type=Path, default=RESULT)
    parser.add_argument("--readme", action="store_true", help="regenerate README.md's checks-scaling table")
    args = parser.parse_args()
    lines = [
        "| document | size | facts | blocks | checks, CPU ms | µs per fact | ×1 per fact | largest module share |",
        "|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    for path in args.files or FILES:
        document = read(path)
        first = None
        for times in args.repeats:
            big = repeated(document, times)
            seconds, facts, shares = measure(big)
            per_fact = seconds / max(facts, 1) * 1e6
            first = first or per_fact
            module, share = shares.most_common(1)[0] if shares else ("", 0.0)
            line = (
                f"| {path.name} | {times}× | {facts} | {len(big.blocks)} | {seconds * 1000:.0f} | {per_fact:.0f} "
                f"| {per_fact / first:.2f} | {module} {share / seconds:.0%} |"
            )
            lines.append(line)
            print(line, flush=True)
    load = uptime().split("load average: ")[-1]
    text = "\n".join(lines) + f"\n\nBest of 3, CPU time; load average when done `{load}`.\n"
    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    args.markdown.write_text(f"<!-- written by bench/checks_scale.py -->\n{text}", encoding="utf-8")
    if args.readme:
        sys.path.insert(0, str(Path(__file__).parent))
        from readme_block import replace_block

        replace_block("checks_scale.py", text)


if __name__ == "__main__":
    main()
