"""The pipeline's record of each corpus document, computed once per test session (shared by the golden and
spec tests)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from extractor.config import load_default
from extractor.pipeline import process
from extractor.records import Record

config = load_default()  # the installed rule set, validated once for these tests

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
GOLDEN = ROOT / "golden"
SPECS = CORPUS / "specs"
FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in {".txt", ".docx", ".pdf", ".html"})


@cache
def corpus_record(name: str) -> Record:
    return process(CORPUS / name, config)


def spec(stem: str) -> dict:
    return json.loads((SPECS / f"{stem}.json").read_text(encoding="utf-8"))
