"""Hostile and mistaken input: linear time, bounded memory, limits, bombs, and user mistakes as plain lines.

The huge inputs are generated here, at test time, from the corpus; each runs the installed `jixiao` in a
child process whose CPU time and peak memory are measured (CPU rather than wall time: CI shares its cores).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import duckdb
import pytest

from extractor.cli import main
from extractor.config import load_default
from extractor.errors import ReadError
from extractor.limits import Limits
from extractor.readers import ReadOptions, read

config = load_default()  # the installed rule set, validated once for these tests

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
JIXIAO = [sys.executable, "-m", "extractor.cli"]
# Runs a command and prints its CPU seconds and peak resident memory (KB) on the last line of stdout.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "result = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write(result.stderr)\n"
    "print(result.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)\n"
)


def measured(*args: str) -> tuple[int, str, float, float]:
    """Exit code, stderr, CPU seconds and peak memory (MB) of `jixiao ARGS`."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *JIXIAO, *args], capture_output=True, text=True, timeout=300
    )
    code, cpu, rss_kb = result.stdout.split()
    return int(code), result.stderr, float(cpu), int(rss_kb) / 1024


# ---------------------------------------------------------------- linear time, bounded memory


def test_one_megabyte_on_one_line_is_checked_in_linear_time(tmp_path):
    """The bracket-owner and clause searches looked back from every figure to the start of the paragraph."""
    line = " ".join((CORPUS / "heshan_commerce_2024.txt").read_text(encoding="utf-8").split())
    text = (line * (2**20 // len(line.encode()) + 1)).encode()[: 2**20].decode("utf-8", "ignore")
    path = tmp_path / "one_line.txt"
    path.write_text(text, encoding="utf-8")
    code, err, cpu, rss = measured("check", str(path))
    assert code in (0, 1), err
    assert cpu < 10 and rss < 500, (cpu, rss)


def test_eight_megabytes_of_html_are_checked_in_linear_time(tmp_path):
    """A report page padded with 8 MB of navigation, scripts and layout tables, as large portal pages are."""
    page = (CORPUS / "heshan_commerce_2024.html").read_text(encoding="utf-8")
    furniture = (
        '<div class="nav"><ul>'
        + "".join(f'<li><a href="/n/{i}.html">栏目{i}</a></li>' for i in range(40))
        + "</ul></div>"
        + '<script>var d = "'
        + "x" * 2000
        + '";</script><style>.a{color:red}</style>'
        + '<table class="frame"><tr><td><div>'
        + "".join(f'<p><a href="/a/{i}">链接{i}</a></p>' for i in range(20))
        + "</div></td></tr></table>"
    )
    padding = furniture * (8 * 2**20 // len(furniture.encode()) // 2 + 1)
    body = re.search(r"<body[^>]*>", page)
    assert body
    html = page[: body.end()] + padding + page[body.end() :].replace("</body>", padding + "</body>")
    path = tmp_path / "big.html"
    path.write_text(html, encoding="utf-8")
    assert path.stat().st_size > 8 * 2**20
    code, err, cpu, rss = measured("check", str(path))
    assert code in (0, 1), err
    assert cpu < 10 and rss < 500, (cpu, rss)
    # the report is still found among the furniture
    assert any("商务" in block.text for block in read(path).blocks)


# ---------------------------------------------------------------- zip and XML


def _lying_zip(name: str, inflated: int, stated: int) -> bytes:
    """A zip whose one member inflates to `inflated` bytes while both its headers say `stated`."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunk = b" " * 2**20
    raw = b"".join(deflate.compress(chunk) for _ in range(inflated // 2**20)) + deflate.flush()
    crc, encoded = zlib.crc32(b" " * stated), name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(raw), stated, len(encoded), 0)
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(raw), stated, len(encoded), 0, 0, 0, 0, 0, 0
    )
    body = local + encoded + raw
    directory = central + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


def test_a_zip_bomb_that_lies_about_its_sizes_is_refused_while_inflating(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(_lying_zip("word/document.xml", inflated=1024 * 2**20, stated=1000))
    assert path.stat().st_size < 3 * 2**20
    code, err, cpu, rss = measured("parse", str(path))
    assert code == 2 and "zip bomb" in err and str(path) in err and err.count("\n") == 1, err
    assert rss < 300, rss


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32-be", "utf-32", "utf-8"])
def test_a_dtd_is_refused_in_any_encoding(tmp_path, encoding):
    xml = (
        f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n<!DOCTYPE w:document [<!ENTITY x "注入">]>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>前&x;后</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml.encode(encoding))
    path = tmp_path / "dtd.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ReadError) as caught:
        read(path)
    assert caught.value.kind == "unsafe" and "entity declarations" in caught.value.reason


# ---------------------------------------------------------------- blank pages


def test_blank_pages_after_a_report_do_not_hide_its_running_header(tmp_path, capsys):
    """Seven blank pages made the header repeat on fewer than half the pages: it was read as text, the real
    errors of the report disappeared and false table errors appeared."""
    import pypdfium2 as pdfium

    source = CORPUS / "changsha_road_project_2024.pdf"
    pdf = pdfium.PdfDocument(source)
    width, height = pdf[0].get_size()
    for _ in range(7):
        pdf.new_page(width, height)
    padded = tmp_path / "padded.pdf"
    pdf.save(padded)
    pdf.close()

    def findings(path: Path) -> list[tuple]:
        main(["check", str(path), "--format", "json"])
        return [(f["rule"], f["page"], f["message"]) for f in json.loads(capsys.readouterr().out)["findings"]]

    original = findings(source)
    assert [rule for rule, _, _ in original if rule.startswith("C1")], "the corpus PDF's real errors"
    assert findings(padded) == original


# ---------------------------------------------------------------- limits


def test_limits_give_one_line_too_large_errors(tmp_path):
    text = tmp_path / "report.txt"
    text.write_text("部门预算收入100万元。\n" * 200, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read(text, ReadOptions(limits=Limits(max_bytes=1000)))
    assert caught.value.kind == "too_large" and "limit is" in caught.value.reason
    with pytest.raises(ReadError) as caught:
        read(text, ReadOptions(limits=Limits(max_chars=500)))
    assert caught.value.kind == "too_large" and "characters" in caught.value.reason
    with pytest.raises(ReadError) as caught:
        read(CORPUS / "heshan_commerce_2024.pdf", ReadOptions(limits=Limits(max_pages=2)))
    assert caught.value.kind == "too_large" and "pages" in caught.value.reason


@pytest.mark.parametrize("command", ["check", "extract"])
def test_check_and_extract_give_up_a_slow_document(command, monkeypatch, tmp_path, capsys):
    import extractor.pipeline

    def slow(*args, **kwargs):
        time.sleep(10)

    monkeypatch.setattr(extractor.pipeline, "build_record", slow)
    path = tmp_path / "slow.txt"
    path.write_text("部门预算收入100万元。", encoding="utf-8")
    started = time.monotonic()
    assert main([command, str(path), "--timeout", "1"]) == 2
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}: timeout after 1s" in err


# ---------------------------------------------------------------- user mistakes


def test_a_locked_database_is_one_plain_line(tmp_path, capsys):
    db = tmp_path / "busy.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "ok"
        source = tmp_path / "a.txt"
        source.write_text("部门预算收入100万元。", encoding="utf-8")
        assert main(["batch", str(source), "--db", str(db), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"{db}: database in use by another jixiao process" in err
    finally:
        holder.kill()
        holder.wait()


def test_bad_sql_is_a_plain_message(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    from extractor.store.duckdb import Store

    Store(db, config).close()
    assert main(["query", "SELEC nothing", "--db", str(db)]) == 2
    assert main(["query", "SELECT * FROM no_such_table", "--db", str(db)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and all(line.startswith("jixiao: query: SQL error:") for line in lines)


@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_workers_must_be_a_positive_number(value, tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["batch", str(tmp_path), "--workers", value])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--workers" in err and ("at least 1" in err or "whole number" in err) and "Traceback" not in err


def test_an_unwritable_output_path_is_a_plain_message(tmp_path, capsys):
    from extractor.store.duckdb import Store

    db = tmp_path / "x.duckdb"
    Store(db, config).close()
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    assert main(["export", "--db", str(db), "--format", "csv", "-o", str(blocker / "out")]) == 2
    assert main(["report", "--db", str(db), "-o", str(blocker / "report.html")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and all(str(blocker) in line and "internal error" not in line for line in lines)


def test_paths_in_messages_are_printed_as_typed(monkeypatch, tmp_path, capsys):
    import extractor.batch

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(extractor.batch, "run_batch", broken)
    assert main(["batch", str(tmp_path / "a"), str(tmp_path / "b"), "--db", str(tmp_path / "x.duckdb")]) == 3
    err = capsys.readouterr().err
    assert f"jixiao: {tmp_path / 'a'} {tmp_path / 'b'}: internal error" in err and "PosixPath" not in err


# ---------------------------------------------------------------- nothing skipped silently


def _mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("部门预算收入100万元。", encoding="utf-8")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "self.txt").symlink_to(folder / "self.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a loop back to the top
    (folder / "locked").mkdir()
    return folder


def _deny_locked(monkeypatch) -> None:
    """Root reads any folder: a folder without permission is simulated where the walk lists it."""
    real_scandir = os.scandir

    def scandir(path=".", *args):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path, *args)

    monkeypatch.setattr(os, "scandir", scandir)


def test_unwalkable_paths_are_errors_rows_with_a_kind(tmp_path, monkeypatch, capsys):
    folder = _mixed_folder(tmp_path)
    _deny_locked(monkeypatch)
    db = tmp_path / "x.duckdb"
    assert main(["batch", str(folder), "--db", str(db), "--quiet", "--workers", "1"]) == 2
    with duckdb.connect(str(db), read_only=True) as con:
        rows = dict(con.execute("SELECT path, reason FROM errors WHERE kind = 'unreadable_path'").fetchall())
        assert con.execute("SELECT count(*) FROM files").fetchone() == (1,)
    reasons = {Path(path).name: reason for path, reason in rows.items()}
    assert reasons["dangling.txt"].startswith("dangling symbolic link")
    assert reasons["self.txt"] == "symbolic link loop"
    assert reasons["locked"].startswith("folder not readable")
    assert reasons["up"].startswith("symbolic link to a folder already walked")
    err = capsys.readouterr().err
    assert "dangling.txt: dangling symbolic link" in err


def test_check_names_every_unwalkable_path(tmp_path, monkeypatch, capsys):
    folder = _mixed_folder(tmp_path)
    _deny_locked(monkeypatch)
    assert main(["check", str(folder)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 4 and "1 file" not in captured.out and "5 files" in captured.out


# ---------------------------------------------------------------- batch robustness


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the workers")
def test_workers_die_with_a_killed_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    line = " ".join((CORPUS / "heshan_commerce_2024.txt").read_text(encoding="utf-8").split())
    for number in range(12):  # slow enough documents to be killed mid-work
        (folder / f"{number}.txt").write_text(f"第{number}份。" + line * 8, encoding="utf-8")
    batch = subprocess.Popen(
        [*JIXIAO, "batch", str(folder), "--db", str(tmp_path / "x.duckdb"), "--workers", "2", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 3:  # the fork server and two workers
            time.sleep(0.2)
            workers = _descendants(batch.pid)
        assert len(workers) >= 3, "the batch never started its workers"
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in workers)
    finally:
        if batch.poll() is None:
            batch.kill()


@pytest.mark.parametrize("keep_versions", [False, True])
def test_an_edited_file_replaces_its_older_version(tmp_path, keep_versions):
    source = tmp_path / "report.txt"
    db = tmp_path / "x.duckdb"
    extra = ["--keep-versions"] if keep_versions else []
    source.write_text("一、部门概况\n本部门2024年预算收入100万元，其中财政拨款80万元。\n", encoding="utf-8")
    assert main(["batch", str(source), "--db", str(db), "--quiet", "--workers", "1", *extra]) in (0, 1)
    source.write_text("一、部门概况\n本部门2024年预算收入120万元，其中财政拨款90万元。\n", encoding="utf-8")
    assert main(["batch", str(source), "--db", str(db), "--quiet", "--workers", "1", *extra]) in (0, 1)
    with duckdb.connect(str(db), read_only=True) as con:
        documents = con.execute("SELECT count(*) FROM documents").fetchone()
        copies = con.execute("SELECT count(*) FROM findings WHERE rule LIKE 'C2%'").fetchone()
        stored = {row[0] for row in con.execute("SELECT text FROM blocks").fetchall()}
    assert documents == ((2,) if keep_versions else (1,))
    assert any("120万元" in text for text in stored)
    if not keep_versions:
        assert copies == (0,) and not any("100万元" in text for text in stored)


# ---------------------------------------------------------------- bugs are bugs


def test_a_bug_in_a_reader_is_not_called_corrupt(monkeypatch, tmp_path, capsys):
    from extractor.readers import docx

    def buggy(self, body):
        raise TypeError("a bug in the reader")

    monkeypatch.setattr(docx.BodyReader, "read_blocks", buggy)
    assert main(["check", str(CORPUS / "heshan_commerce_2024.docx")]) == 3
    err = capsys.readouterr().err
    assert "internal error, a bug in jixiao (TypeError: a bug in the reader)" in err and "corrupt" not in err


def test_error_kinds_are_stored(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    db = tmp_path / "x.duckdb"
    assert (
        main(
            [
                "batch",
                str(folder / "empty.txt"),
                str(folder / "old.doc"),
                str(folder / "broken.pdf"),
                "--db",
                str(db),
                "--quiet",
                "--workers",
                "1",
            ]
        )
        == 2
    )
    with duckdb.connect(str(db), read_only=True) as con:
        kinds = dict(con.execute("SELECT path, kind FROM errors").fetchall())
    assert {Path(p).name: k for p, k in kinds.items()} == {
        "empty.txt": "empty",
        "old.doc": "corrupt",  # an OLE2 header over zeros: no Word stream to convert
        "broken.pdf": "corrupt",
    }


# ---------------------------------------------------------------- the data folder


@pytest.mark.parametrize("layout", ["missing", "empty", "no rules"])
def test_a_missing_or_empty_data_folder_is_a_clear_startup_error(layout, tmp_path):
    import shutil

    schemas = tmp_path / "schemas"
    if layout != "missing":
        schemas.mkdir()
    if layout == "no rules":
        shutil.copytree(Path(__file__).resolve().parent.parent / "schemas", schemas, dirs_exist_ok=True)
        for rule_file in (schemas / "rules").glob("*.toml"):
            rule_file.unlink()
    result = subprocess.run(
        [*JIXIAO, "check", str(CORPUS / "yunnan_edu_2024.txt")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "JIXIAO_SCHEMAS": str(schemas)},
    )
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and str(schemas) in result.stderr and "data folder" in result.stderr
    assert ("rules/*.toml" in result.stderr) == (layout != "missing")
