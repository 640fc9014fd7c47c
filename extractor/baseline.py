"""Baselines, like a linter's: record today's findings, then report only what is new.

A baseline file is JSON: `{"jixiao_baseline": 1, "files": {PATH: [fingerprint, ...]}}`, each PATH relative
to the baseline file's folder (so a baseline kept beside the reports works from any working directory and
on another machine). A finding is known when its file lists its fingerprint (checks/identity.py): positions are
not part of it, so edits elsewhere in a report leave the baseline valid, and changing one of a finding's
own figures makes it new. A fingerprint listed twice suppresses two findings, no more.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from .errors import ReadError

FORMAT_VERSION = 1


def file_key(checked: str, baseline: Path) -> str:
    """How a checked file is named in a baseline: relative to the baseline's folder, with forward slashes."""
    return Path(os.path.relpath(Path(checked).resolve(), baseline.resolve().parent)).as_posix()


def write_baseline(path: Path, results: list[dict]) -> int:
    """Write the findings of `results` (check's per-file dicts) as a baseline; how many were recorded."""
    files = {
        file_key(r["path"], path): sorted(f["fingerprint"] for f in r["findings"]) for r in results if r["findings"]
    }
    path.write_text(
        json.dumps({"jixiao_baseline": FORMAT_VERSION, "files": files}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return sum(len(fingerprints) for fingerprints in files.values())


def read_baseline(path: Path) -> dict[str, Counter[str]]:
    """The fingerprints of a baseline file by path. Raises ReadError for a missing or malformed file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReadError(path, "no such baseline file (write one with --write-baseline)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ReadError(path, f"baseline is not JSON ({error})") from None
    files = data.get("files") if isinstance(data, dict) and data.get("jixiao_baseline") == FORMAT_VERSION else None
    if not isinstance(files, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in files.values()
    ):
        raise ReadError(path, f"not a jixiao baseline (version {FORMAT_VERSION})")
    return {str(p): Counter(fingerprints) for p, fingerprints in files.items()}


def apply_baseline(result: dict, known: dict[str, Counter[str]], baseline: Path) -> int:
    """Drop the findings of one file's result that the baseline at `baseline` knows; how many were dropped."""
    left = Counter(known.get(file_key(result["path"], baseline), Counter()))
    kept = []
    for finding in result["findings"]:
        if left[finding["fingerprint"]] > 0:
            left[finding["fingerprint"]] -= 1
        else:
            kept.append(finding)
    suppressed = len(result["findings"]) - len(kept)
    result["findings"] = kept
    return suppressed
