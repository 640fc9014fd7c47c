"""Start-up guarded by structure, not by timing: what a fresh process imports and reads for one command.

A one-file `jixiao extract` pays for every library it imports and every file it reads before the document
(bench/startup.py measures it). Each test runs its command in a new interpreter and looks at what that
process loaded: the libraries (sys.modules) and the files it opened (an audit hook).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORT_PDF = ROOT / "corpus" / "heshan_commerce_2024.pdf"  # prose on pages 1-12, ruled tables from page 13
# libraries that cost start-up time and are needed only by some formats or commands
HEAVY = {
    "charset_normalizer",  # text encodings
    "cryptography",  # pdfminer's decryption
    "docx",
    "duckdb",
    "jieba",
    "lxml",
    "olefile",
    "openpyxl",
    "pandas",
    "pdfminer",
    "pdfplumber",
    "pyarrow",
    "pydantic",
    "pypdfium2",
    "rapidfuzz",
    "tqdm",
}
# what running the code in `body` loaded and opened, printed as JSON by the child process
_PROBE = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and isinstance(args[0], (str, bytes)) and (len(args) < 2 or not args[1] or "r" in str(args[1])) else None)
{body}
print(json.dumps({{"modules": sorted(sys.modules), "opened": opened}}))
"""


def _run(body: str, env: dict[str, str] | None = None) -> tuple[set[str], list[str]]:
    """The top-level packages a fresh interpreter running `body` imported, and the files it opened to read."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(body=body)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.splitlines()[-1])
    return {name.split(".")[0] for name in result["modules"]}, result["opened"]


def _first_pages(count: int, target: Path) -> Path:
    import pypdfium2

    source, out = pypdfium2.PdfDocument(REPORT_PDF), pypdfium2.PdfDocument.new()
    out.import_pages(source, list(range(count)))
    out.save(target)
    return target


def test_help_imports_no_library():
    loaded, _ = _run(
        "from extractor import cli\ntry:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\nsys.stdout.flush()"
    )
    assert loaded & HEAVY == set()


def test_importing_the_pipeline_reads_no_data_file_and_builds_no_data_file_model():
    """No work at import: the rules, templates and lexicon are read when a document needs them, and the
    models validating them are built then (defer_build)."""
    _, opened = _run(
        "from extractor import datafiles, pipeline\n"
        "from pydantic import BaseModel\n"
        "models = [m for m in vars(datafiles).values() if isinstance(m, type) and issubclass(m, BaseModel)]\n"
        "assert models and not any(m.__pydantic_complete__ for m in models), 'a data file model was built'"
    )
    assert not [path for path in opened if "schemas" in Path(path).parts], opened


def test_reading_a_text_file_imports_no_pdf_or_office_library(tmp_path):
    text = tmp_path / "report.txt"
    text.write_text("一、基本情况\n本年度收入合计120.00万元。\n", encoding="utf-8")
    loaded, _ = _run(f"from extractor.readers import read\nread({str(text)!r})")
    assert loaded & HEAVY <= {"charset_normalizer", "pydantic"}


def test_a_pdf_is_read_on_pdfium_alone_with_or_without_ruled_tables(tmp_path):
    """Text, rulings and the grid builder all run on pdfium: neither a PDF of prose nor one with ruled tables
    imports pdfplumber or pdfminer (which would parse every page again)."""
    prose = _first_pages(5, tmp_path / "prose.pdf")  # its figures start on page 4
    probe = (
        "from extractor.config import Config\nfrom extractor.pipeline import process\n"
        "record = process({path!r}, Config.load())\nassert record.facts\n"
    )
    loaded, _ = _run(probe.format(path=str(prose)))
    assert "pypdfium2" in loaded and "jieba" in loaded  # it was read and its figures labelled
    assert loaded & HEAVY <= {"jieba", "pydantic", "pypdfium2", "rapidfuzz"}
    loaded, _ = _run(probe.format(path=str(REPORT_PDF)) + "assert record.tables\n")
    assert loaded & HEAVY <= {"jieba", "pydantic", "pypdfium2", "rapidfuzz"}


@pytest.mark.slow  # the first run derives the word list from jieba's 5 MB dictionary (~1 s)
def test_jiebas_dictionary_is_read_once_per_process_and_cached_per_machine(tmp_path):
    """The word list jieba runs on is made once per machine (user cache folder) with jieba's own prefix cache
    beside it; a later process opens the word list once (the tags) and never jieba's full dictionary."""
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path)}
    body = (
        "from extractor.config import Config\nfrom extractor.figures.labels import tokenizer\n"
        "assert list(tokenizer(Config.load()).cut('收入合计'))"
    )
    _run(body, env)  # makes the caches
    cache = tmp_path / "jixiao"
    (word_list,) = cache.glob("jieba_words-*.txt")
    assert list(cache.glob("jieba*.cache")), sorted(p.name for p in cache.iterdir())
    _, opened = _run(body, env)
    assert [Path(path) for path in opened].count(word_list) == 1, opened
    assert not [path for path in opened if Path(path).name == "dict.txt"]
    assert [path for path in opened if Path(path).parent == cache and path.endswith(".cache")]
