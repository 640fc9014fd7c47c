"""Does the checks stage stay linear? CPU time of `checks.run` per fact on a corpus report repeated
1, 5, 10, 25 and 50 times (one document, so every per-document index is as large as it gets).

    .venv/bin/python bench/checks_scale.py [--file corpus/heshan_commerce_2024.txt] [--repeats 1 5 10 25 50]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from extractor import checks
from extractor.config import load_default
from extractor.pipeline import build_record
from extractor.readers import read

config = load_default()  # the installed rule set, validated once for this benchmark

ROOT = Path(__file__).resolve().parent.parent


def check_cpu_seconds(path: Path, rounds: int = 3) -> tuple[float, int, int]:
    """Best of `rounds` CPU seconds of the checks on the file's record; its fact and block counts."""
    document = read(path)
    record = build_record(document, config)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        checks.run(record, document, config)
        best = min(best, time.process_time() - start)
    return best, len(record.facts), len(document.blocks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=ROOT / "corpus" / "heshan_commerce_2024.txt")
    parser.add_argument("--repeats", type=int, nargs="+", default=[1, 5, 10, 25, 50])
    args = parser.parse_args()
    text = args.file.read_text(encoding="utf-8")
    print("| size | facts | blocks | checks, CPU ms | µs per fact |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for repeats in args.repeats:
            path = Path(folder) / f"{repeats}x{args.file.suffix}"
            path.write_text("\n".join([text] * repeats), encoding="utf-8")
            seconds, facts, blocks = check_cpu_seconds(path)
            print(f"| {repeats}× | {facts} | {blocks} | {seconds * 1000:.0f} | {seconds / facts * 1e6:.0f} |")


if __name__ == "__main__":
    main()
