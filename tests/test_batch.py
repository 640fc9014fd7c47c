"""The batch runner: every document stored once, bad files recorded, reruns idempotent, a killed
run resumable to the same database, copies across documents found."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from extractor.batch import DIE_AFTER_ENV, BatchOptions, process_file, run_batch
from extractor.checks.copies import find_copies
from extractor.config import load_default
from extractor.records import Paragraph
from extractor.store.duckdb import table_specs

config = load_default()  # the installed rule set, validated once for these tests

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GOOD = [
    "heshan_commerce_2024.txt",
    "heshan_commerce_2024.docx",
    "heshan_commerce_2024.pdf",
    "maoming_agri_2024.docx",
    "yunnan_edu_2024.txt",
]
SEED_DEPARTMENT, OTHER_DEPARTMENT = "赫山区商务局", "资阳区农业农村局"
BAD = {  # name -> bytes
    "broken.pdf": b"%PDF-1.4\n" + b"\x00garbage" * 50,
    "broken.docx": b"PK\x03\x04" + b"not a zip at all" * 20,
    "empty.txt": b"",
}
OPTIONS = BatchOptions(workers=2, recycle=50, timeout=60)
VOLATILE = {"processed_at", "occurred_at"}  # the only columns allowed to differ between runs


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The corpus, an identical copy of one file, a copy with another department's name, bad files."""
    folder = tmp_path_factory.mktemp("inputs")
    for name in GOOD:
        shutil.copy(CORPUS / name, folder / name)
    (folder / "zcopies").mkdir()
    shutil.copy(CORPUS / "yunnan_edu_2024.txt", folder / "zcopies" / "same_bytes.txt")
    seed = (CORPUS / "heshan_commerce_2024.txt").read_text(encoding="utf-8")
    assert SEED_DEPARTMENT in seed
    (folder / "zz_other_department_2024.txt").write_text(
        seed.replace(SEED_DEPARTMENT, OTHER_DEPARTMENT), encoding="utf-8"
    )
    for name, data in BAD.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def batch(inputs: Path, tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "jixiao.duckdb"
    return db, run_batch([inputs], db, config, OPTIONS)


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def contents(db: Path) -> dict[str, list[tuple]]:
    """Every table, sorted, without the time columns."""
    out = {}
    for name, spec in table_specs(config).items():
        columns = ", ".join(f'"{c.name}"' for c in spec.columns if c.name not in VOLATILE)
        out[name] = sorted(rows(db, f'SELECT {columns} FROM "{name}"'), key=repr)
    return out


def test_every_good_document_is_stored_once_with_its_facts(batch, inputs: Path):
    db, summary = batch
    # 5 corpus files + the other-department copy; the identical copy shares yunnan's document
    assert summary.files == len(GOOD) + 2 + len(BAD)
    assert (summary.processed, summary.duplicates, summary.skipped) == (len(GOOD) + 1 + len(BAD), 1, 0)
    documents = rows(db, "SELECT path, doc_id FROM documents ORDER BY path")
    assert sorted(Path(p).name for p, _ in documents) == sorted(GOOD + ["zz_other_department_2024.txt"])
    assert rows(db, "SELECT count(DISTINCT doc_id) FROM documents") == [(len(documents),)]
    files = dict(rows(db, "SELECT path, doc_id FROM files"))
    assert files[str(inputs / "zcopies" / "same_bytes.txt")] == files[str(inputs / "yunnan_edu_2024.txt")]
    assert len(files) == len(GOOD) + 2
    for table in ("facts", "sections", "blocks"):
        per_document = dict(rows(db, f"SELECT doc_id, count(*) FROM {table} GROUP BY doc_id"))
        assert all(per_document.get(doc_id, 0) > 0 for _, doc_id in documents), table
    # figures of the seed report, read off its text: 基本支出717.79万元，人员经费342.98万元 …
    seed = rows(db, f"SELECT doc_id FROM documents WHERE path = '{inputs / 'heshan_commerce_2024.txt'}'")[0][0]
    values = {v for (v,) in rows(db, f"SELECT value_text FROM facts WHERE doc_id = '{seed}' AND unit = '万元'")}
    assert {"1166.98", "717.79", "342.98", "374.81"} <= values


def test_findings_are_stored_as_the_pipeline_made_them(batch, inputs: Path):
    from extractor.pipeline import process

    db, _ = batch
    path = inputs / "maoming_agri_2024.docx"
    record = process(path, config)
    stored = rows(
        db,
        f"SELECT rule, severity, message FROM findings f JOIN files USING (doc_id) "
        f"WHERE files.path = '{path}' AND rule NOT LIKE 'C2%' ORDER BY seq",
    )
    assert stored == [(f.rule, f.severity, f.message) for f in record.findings]


def test_bad_files_are_errors_with_their_reason(batch, inputs: Path):
    db, summary = batch
    errors = dict(rows(db, "SELECT path, reason FROM errors"))
    assert set(errors) == {str(inputs / name) for name in BAD}
    assert errors[str(inputs / "empty.txt")] == "empty file"
    assert all(reason and not reason.startswith("internal error") for reason in errors.values())
    assert summary.unreadable == len(BAD)
    assert rows(db, "SELECT count(*) FROM errors WHERE sha256 IS NULL") == [(0,)]


def test_a_paragraph_copied_into_another_departments_report_is_found(batch, inputs: Path):
    db, summary = batch
    copies = rows(
        db,
        """
        SELECT d.path, f.rule, f.severity, r.path FROM findings f
        JOIN documents d USING (doc_id) JOIN documents r ON r.doc_id = f.related_doc_id
        WHERE f.rule LIKE 'C2%'""",
    )
    assert summary.copies == len(copies)
    mine = [c for c in copies if c[0].endswith("zz_other_department_2024.txt")]
    assert len(mine) >= 10  # the seed's own paragraphs (职能职责 …) stand in it word for word
    assert {(rule, severity) for _, rule, severity, _ in mine} == {("C201", "info")}
    # the seed in its other formats is the same department's same report: never a copy of itself
    assert not [c for c in copies if "heshan_commerce" in Path(c[0]).name]


def test_a_rerun_adds_nothing(batch, inputs: Path, tmp_path: Path):
    db, first = batch
    copy = tmp_path / "rerun.duckdb"
    shutil.copy(db, copy)
    summary = run_batch([inputs], copy, config, OPTIONS)
    assert (summary.processed, summary.skipped) == (len(BAD), len(GOOD) + 2)  # bad files are retried; paths count
    assert (summary.unreadable, summary.with_errors, summary.copies) == (
        first.unreadable,
        first.with_errors,
        first.copies,
    )
    assert contents(copy) == contents(db)


def test_the_batch_stores_what_one_document_at_a_time_stores(batch, inputs: Path, tmp_path: Path):
    """Hashing in the workers, rows sent as Arrow tables, several documents per transaction: none of it
    changes the database. The reference: each file through the pipeline here, in path order, stored alone."""
    from extractor import __version__
    from extractor.errors import ReadError
    from extractor.panel.collection import update_panel
    from extractor.pipeline import build_record
    from extractor.readers import read
    from extractor.store.duckdb import Store, block_rows

    db, _ = batch
    reference = tmp_path / "one_at_a_time.duckdb"
    stored: dict[str, str] = {}  # sha256 -> first path
    with Store(reference, config) as store:
        for path in sorted(p for p in inputs.rglob("*") if p.is_file()):
            try:
                document = read(path)
            except ReadError as error:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                store.write_error(str(path), digest, error.reason, __version__, error.kind)
                continue
            if document.sha256 in stored:
                store.write_files(document.sha256, [(str(path), path.stat().st_size)])
                continue
            stored[document.sha256] = str(path)
            record = build_record(document, config)
            store.write_document(record, block_rows(document, record.sections), [(str(path), path.stat().st_size)])
        update_panel(config, store)
        store.replace_copy_findings(find_copies(config, store.paragraphs()))
    assert contents(reference) == contents(db)


@pytest.fixture()
def small_inputs(inputs: Path, tmp_path: Path) -> Path:
    """Text files only (fast), an identical copy and two bad files."""
    folder = tmp_path / "small"
    folder.mkdir()
    for name in (
        "heshan_commerce_2024.txt",
        "yunnan_edu_2024.txt",
        "zz_other_department_2024.txt",
        "empty.txt",
        "broken.pdf",
    ):
        shutil.copy(inputs / name, folder / name)
    shutil.copy(inputs / "yunnan_edu_2024.txt", folder / "yunnan_copy.txt")
    return folder


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_same_database(small_inputs: Path, tmp_path: Path):
    reference = tmp_path / "reference.duckdb"
    run_batch([small_inputs], reference, config, OPTIONS)
    resumed = tmp_path / "killed.duckdb"
    command = [
        sys.executable,
        "-m",
        "extractor.cli",
        "batch",
        str(small_inputs),
        "--db",
        str(resumed),
        "--workers",
        "1",
        "--quiet",
    ]
    killed = subprocess.run(command, env=os.environ | {DIE_AFTER_ENV: "2"}, capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    stored = rows(resumed, "SELECT count(*) FROM documents")[0][0] + rows(resumed, "SELECT count(*) FROM errors")[0][0]
    assert stored == 2  # what was committed survived; nothing half-written
    finished = subprocess.run(command, capture_output=True, timeout=120)
    assert finished.returncode == 2, finished.stderr.decode()  # the bad files
    assert contents(resumed) == contents(reference)


def test_the_exit_code_says_what_happened(batch, inputs: Path, tmp_path: Path):
    from extractor.cli import main

    db, _ = batch
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(inputs / "maoming_agri_2024.docx", good)
    error_findings = rows(
        db,
        f"SELECT count(*) FROM findings JOIN files USING (doc_id) WHERE severity = 'error' "
        f"AND files.path = '{inputs / 'maoming_agri_2024.docx'}'",
    )[0][0]
    assert main(["batch", str(good), "--db", str(tmp_path / "y.duckdb"), "--workers", "1", "--quiet"]) == (
        1 if error_findings else 0
    )
    assert main(["batch", str(good), str(inputs / "empty.txt"), "--db", str(tmp_path / "y.duckdb"), "--quiet"]) == 2


def test_a_slow_document_times_out(monkeypatch, tmp_path: Path):
    import extractor.pipeline

    def slow(*args, **kwargs):
        time.sleep(5)

    monkeypatch.setattr(extractor.pipeline, "build_record", slow)
    started = time.monotonic()
    outcome = process_file(str(CORPUS / "yunnan_edu_2024.txt"), config, timeout=1)
    assert outcome.error.startswith("timeout after 1s") and outcome.kind == "timeout" and outcome.tables is None
    assert time.monotonic() - started < 3


# ---------------------------------------------------------------- copy detection on its own

TEXT = "本部门严格按照预算法的要求，加强预算绩效管理，全面完成年度各项工作任务，资金使用效益明显提高。"


def paragraph(doc: str, department: str | None, year: int | None, text: str = TEXT, block: int = 5, heading=False):
    return Paragraph(doc, f"/d/{doc}.docx", department, year, block, 2, "3", "三、工作成效", heading, text)


def rules(copies) -> list[tuple[str, str, str]]:
    return sorted((c.doc_id, c.finding.rule, c.related_doc_id) for c in copies)


def test_copies_between_departments_and_from_last_year():
    near = TEXT.replace("明显", "显著")  # one word changed: ratio 98
    copies = find_copies(
        config,
        [
            paragraph("a", "甲局", 2023),
            paragraph("b", "乙局", 2024, near),  # another department: C201 against the earliest
            paragraph("c", "甲局", 2024),  # the same department a year later: C202
        ],
    )
    assert rules(copies) == [("b", "C201", "a"), ("c", "C202", "a")]
    (c202,) = [c for c in copies if c.doc_id == "c"]
    assert c202.finding.severity == "info" and c202.finding.category == "consistency"
    assert (
        "/d/a.docx" in c202.finding.message
        and "三、工作成效" in c202.finding.message
        and "第2页" in c202.finding.message
    )


SHORT = "按照预算法要求加强绩效管理。"


@pytest.mark.parametrize(
    "places",
    [
        [paragraph("a", "甲局", 2024), paragraph("a2", "甲局", 2024)],  # one report in two formats
        [paragraph("old", "甲局", 2021), paragraph("new", "甲局", 2023)],  # years apart
        [paragraph("x", "乙局", 2024, SHORT), paragraph("y", "丙局", 2024, SHORT)],  # too short to tell
        [paragraph("a", "甲局", 2024), paragraph("h", "丁局", 2024, heading=True)],  # a heading
        [paragraph("a", "甲局", 2024), paragraph("u", None, 2024)],  # department unknown
        [
            paragraph("a", "甲局", 2024),
            paragraph("b", "乙局", 2024, TEXT[:30] + "另有安排的其他工作内容与资金使用情况说明"),
        ],
    ],
    ids=["same-report", "years-apart", "short", "heading", "unknown-department", "different-text"],
)
def test_what_is_not_a_copy(places):
    assert find_copies(config, places) == []


def test_template_text_shared_by_many_departments_is_not_a_copy():
    departments = ["甲局", "乙局", "丙局", "丁局", "戊局"]
    assert find_copies(config, [paragraph(d, d, 2024) for d in departments]) == []
    assert len(find_copies(config, [paragraph(d, d, 2024) for d in departments[:3]])) == 2


def test_a_department_named_with_its_city_is_the_same_department():
    assert find_copies(config, [paragraph("a", "赫山区商务局", 2024), paragraph("b", "益阳市赫山区商务局", 2024)]) == []
