"""Known gaps: where the pipeline's record differs from the truth held in the golden files.

`known_gaps.json` lists each gap as the item it concerns (`file`, `collection`, `match`: fields that pick
the item), what the source says (`expected`), what the pipeline gives (`actual`) and `why`. An item the
pipeline misses altogether has `match` null, the whole item in `expected` and `actual` null.

    .venv/bin/python golden/gaps.py        # after `jixiao diff F --golden golden --update`: write the
                                           # truth of every listed gap back into the golden files

tests/test_golden.py turns each golden back into the pipeline's view with `apply(..., side="actual")` and
requires that to equal the pipeline's record exactly, so a gap that disappears fails the test as surely as
a new difference does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GAPS = HERE / "known_gaps.json"


def load() -> list[dict]:
    return json.loads(GAPS.read_text(encoding="utf-8"))["gaps"]


def for_file(name: str, gaps: list[dict] | None = None) -> list[dict]:
    return [gap for gap in (load() if gaps is None else gaps) if gap["file"] == name]


def _items(golden: dict, collection: str) -> list[dict]:
    if collection == "budget_rows":
        return [row for table in golden["tables"] for row in table["budget_rows"]]
    return golden[collection]


def _find(items: list[dict], match: dict, fields: dict) -> dict:
    found = [i for i in items if all(i.get(k) == v for k, v in {**match, **fields}.items())]
    if len(found) != 1:
        raise LookupError(f"{len(found)} items match {match} {fields}")
    return found[0]


def apply(golden: dict, gaps: list[dict], side: str) -> dict:
    """`golden` with every gap turned to `side` ("expected": the truth, "actual": the pipeline's output)."""
    other = "actual" if side == "expected" else "expected"
    golden = json.loads(json.dumps(golden))
    for gap in gaps:
        items = _items(golden, gap["collection"])
        if gap["match"] is None:  # an item the pipeline misses
            if side == "expected" and gap["expected"] not in items:
                items.append(gap["expected"])
            elif side == "actual":
                items.remove(_find(items, {}, gap["expected"]))
            continue
        item = _find(items, gap["match"], gap[other] if _has(items, gap, other) else gap[side])
        item.update(gap[side])
    return golden


def _has(items: list[dict], gap: dict, side: str) -> bool:
    return any(all(i.get(k) == v for k, v in {**gap["match"], **gap[side]}.items()) for i in items)


def main() -> int:
    gaps = load()
    for name in sorted({gap["file"] for gap in gaps}):
        path = HERE / f"{name}.json"
        golden = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(
            json.dumps(apply(golden, for_file(name, gaps), "expected"), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        print(f"wrote the truth of {len(for_file(name, gaps))} gap(s) into {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
