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


def _run(body: str, env: dict[str, str] | None = None, modules: bool = False) -> tuple[set[str], list[str]]:
    """The top-level packages (every module with `modules`) a fresh interpreter running `body` imported, and
    the files it opened to read."""
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
    return {name if modules else name.split(".")[0] for name in result["modules"]}, result["opened"]


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
    imports pdfplumber or pdfminer (which would parse every page again). On a machine that ran jixiao before,
    jieba is not imported either: the tagger's model comes from the machine's cache."""
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    prose = _first_pages(5, tmp_path / "prose.pdf")  # its figures start on page 4
    probe = (
        "from extractor.config import Config\nfrom extractor.pipeline import process\n"
        "record = process({path!r}, Config.load())\nassert record.facts\n"
        "assert any(fact.label for fact in record.facts)\n"  # labelled by the tagger
    )
    _run(probe.format(path=str(prose)), env)  # a new machine: makes the caches
    loaded, _ = _run(probe.format(path=str(prose)), env)
    assert "pypdfium2" in loaded  # it was read
    assert loaded & HEAVY <= {"pydantic", "pypdfium2", "rapidfuzz"}
    loaded, _ = _run(probe.format(path=str(REPORT_PDF)) + "assert record.tables\n", env)
    assert loaded & HEAVY <= {"pydantic", "pypdfium2", "rapidfuzz"}


# what a report of prose alone never needs: the panel (and the rule-set fields only it reads), OCR's code for a
# text layer, the readers and checks of tables and target forms (each module costs its classes and code to build)
NOT_FOR_PROSE = {
    "extractor.panel",
    "extractor.panel.departments",
    "extractor.panel.indicators",
    "extractor.readers.ocr",
    "extractor.figures.fiscal_layouts",
    "extractor.figures.tables",
    "extractor.figures.targets",
    "extractor.figures.target_forms",
    "extractor.checks.table_sums",
    "extractor.checks.targets",
}


def test_a_report_of_prose_imports_no_module_it_does_not_need(tmp_path):
    """On a machine with a cached Config, extracting a PDF of prose imports neither the panel nor OCR's code nor
    the table readers and checks, and leaves the Config's fields pickled apart unread; a PDF with ruled tables
    imports the table modules it needs (and still not the panel or OCR)."""
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    prose = _first_pages(5, tmp_path / "prose.pdf")
    probe = (
        "from extractor.config import Config\nfrom extractor.pipeline import process\n"
        "config = Config.load()\nrecord = process({path!r}, config)\nassert record.facts\n"
        "print(sorted(set(vars(config)) & {{'fiscal_layouts', 'name_rules', 'indicators', 'store'}}))\n"
    )
    _run(probe.format(path=str(prose)), env)  # a new machine: makes the caches
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(body=probe.format(path=str(prose)))],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    *_, unpickled, result = done.stdout.splitlines()
    assert unpickled == "[]"  # none of the fields a report of prose never reads was unpickled
    loaded = set(json.loads(result)["modules"])
    assert "extractor.readers.pdf" in loaded and "extractor.figures.facts" in loaded  # it was read and extracted
    assert not NOT_FOR_PROSE & loaded, NOT_FOR_PROSE & loaded
    loaded, _ = _run(probe.format(path=str(REPORT_PDF)) + "assert record.tables\n", env, modules=True)
    assert {"extractor.figures.tables", "extractor.figures.fiscal_layouts", "extractor.checks.targets"} <= loaded
    assert not {"extractor.panel", "extractor.readers.ocr"} & loaded


def test_a_later_process_reads_the_config_and_the_tagger_from_the_cache(tmp_path):
    """The first process on a machine validates the data files and derives jieba's model (~1 s); a later one
    opens one cache file for each: the data files are read only to check that the cached Config is theirs (no
    TOML parsed, no data file model built), jieba's dictionary, word list and modules are left alone."""
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path)}
    body = (
        "from extractor.config import Config\nfrom extractor.figures.labels import tokenizer\n"
        "assert list(tokenizer(Config.load()).cut('收入合计'))"
    )
    _run(body, env)  # makes the caches
    cache = tmp_path / "jixiao"
    (config,) = cache.glob("config-*.pickle")
    (model,) = cache.glob("jieba-model-*.marshal")
    loaded, opened = _run(body, env, modules=True)
    assert [Path(path) for path in opened].count(config) == 1
    assert [Path(path) for path in opened].count(model) == 1
    data = [path for path in opened if "schemas" in Path(path).parts]
    assert data and len(data) == len(set(data))  # each read once, for the cache key; none parsed (no tomllib)
    assert not [path for path in opened if "jieba" in Path(path).parts or "jieba-words" in path], opened
    assert not {"jieba", "tomllib", "extractor.datafiles"} & loaded


def test_the_batch_fork_server_imports_neither_jieba_nor_pdfplumber(tmp_path):
    """The fork server preloads what every worker needs and runs the pipeline once: on a machine that ran
    jixiao before, the tagger's model comes from the cache and jieba (whose tagger module alone reads its
    whole dictionary) is not imported; PDFs are read on pdfium alone, so pdfplumber is not either."""
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path)}
    body = "import importlib\nfrom extractor.batch import _PRELOAD\n[importlib.import_module(m) for m in _PRELOAD]"
    _run(body, env)  # makes the caches
    loaded, _ = _run(body, env)
    assert "extractor" in loaded and not {"jieba", "pdfplumber", "pdfminer"} & loaded


def test_a_batch_of_pdfs_preloads_no_office_reader_and_pyarrow_never_imports_pandas(tmp_path):
    """The fork server of a batch of PDFs imports the PDF reader, not the Word or spreadsheet ones (openpyxl
    alone is ~0.3 s of CPU), nor duckdb; the rows the batch's main process inserts (paths, errors) do not go
    through pyarrow's list conversion, which imports pandas wherever it is installed."""
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path)}
    body = (
        "import importlib\nfrom pathlib import Path\nfrom extractor.batch import preload_for\n"
        "[importlib.import_module(m) for m in preload_for([Path('a.pdf'), Path('b.PDF')])]"
    )
    loaded, _ = _run(body, env, modules=True)
    assert "extractor.readers.pdf" in loaded and "extractor.batch_warmup" in loaded
    # the table modules a prose report does not import, preloaded for the workers' documents that have tables
    assert {"extractor.figures.tables", "extractor.figures.target_forms", "extractor.checks.targets"} <= loaded
    # nor duckdb: workers open no database
    assert not {"extractor.readers.xlsx", "extractor.readers.docx", "openpyxl", "duckdb"} & loaded
    writer = (
        "from extractor.config import load_default\nfrom extractor.store.duckdb import Store\n"
        f"with Store({str(tmp_path / 'x.duckdb')!r}, load_default()) as store:\n"
        "    store.write_error('/x.pdf', None, 'corrupt', '1', 'corrupt')\n"
        "    store.write_files('d' * 64, [('/y.pdf', 3)])\n"
        "    assert store.input_status(['/x.pdf', '/y.pdf']) == (1, 0)"
    )
    loaded, _ = _run(writer, env)
    assert "duckdb" in loaded and "pandas" not in loaded


def test_every_supported_suffix_names_a_reader_the_batch_can_preload():
    """The batch preloads the readers its files' suffixes name: each supported suffix names a module that
    exists (a legacy office format: the reader of the file it is converted to), and an unsupported one none."""
    import importlib.util

    from extractor.readers import SUPPORTED_SUFFIXES, reader_module

    modules = {suffix: reader_module(Path(f"report{suffix.upper()}")) for suffix in SUPPORTED_SUFFIXES}
    assert all(module and importlib.util.find_spec(module) for module in modules.values()), modules
    assert modules[".wps"] == modules[".docx"] and modules[".et"] == modules[".xlsx"]
    assert reader_module(Path("archive.zip")) is None
