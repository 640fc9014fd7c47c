"""`jixiao review`: the local review app, over a batch of three corpus reports (a PDF among them).

Over HTTP: wrong token and foreign Host refused, decisions only as JSON. In headless Chromium: keyboard
navigation, three decisions, the batch rerun (one report edited, the others reprocessed as by a new tool
version), the page reloaded: the decisions are there, the dismissed one hidden until asked for; the page
image of a PDF finding loads; no request leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser import DevTools, chromium_page

from extractor.batch import BatchOptions, run_batch
from extractor.config import load_default
from extractor.review.app import ReviewApp, make_review_server
from extractor.store.duckdb import Store

config = load_default()  # the installed rule set, validated once for these tests

CORPUS = Path(__file__).parent.parent / "corpus"
ARTIFACTS = Path(__file__).parent / "artifacts"
OPTIONS = BatchOptions(workers=2, timeout=120)
SEED_DEPARTMENT = "赫山区商务局"  # as the seed names itself
SERVER_LIFETIME = 300  # seconds: the test server stops by itself even if a test hangs


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    for name in ("heshan_commerce_2024.txt", "changsha_road_project_2024.pdf", "maoming_agri_2024.docx"):
        shutil.copyfile(CORPUS / name, folder / name)
    run_batch([folder], folder / "review.duckdb", config, OPTIONS)
    return folder


@pytest.fixture(scope="module")
def app(reports: Path):
    server, app = make_review_server(config, reports / "review.duckdb")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    stop = threading.Timer(SERVER_LIFETIME, server.shutdown)
    stop.daemon = True
    stop.start()
    try:
        yield app
    finally:
        stop.cancel()
        server.shutdown()
        server.server_close()
        thread.join(10)


def status_of(url: str, data: bytes | None = None, headers: dict | None = None) -> int:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_server_answers_on_loopback_with_its_token_only(app: ReviewApp):
    assert app.url.startswith(f"http://127.0.0.1:{app.port}/") and len(app.token) >= 32
    assert status_of(app.url) == 200
    assert status_of(app.url.replace(app.token, "x" * len(app.token))) == 403
    assert status_of(f"http://127.0.0.1:{app.port}/") == 403
    assert status_of(app.url, headers={"Host": f"attacker.example:{app.port}"}) == 403
    decision = json.dumps({"doc_id": "x", "seq": 0, "status": "confirmed"}).encode()
    assert status_of(app.url + "decisions", decision, {"Content-Type": "text/plain"}) == 415
    assert (
        status_of(
            app.url + "decisions", decision, {"Content-Type": "application/json", "Origin": "http://attacker.example"}
        )
        == 403
    )
    assert status_of(app.url + "decisions", decision, {"Content-Type": "application/json"}) == 400  # no such finding


@pytest.fixture(scope="module")
def page(app: ReviewApp, tmp_path_factory):
    with chromium_page(tmp_path_factory.mktemp("chromium-profile"), ("Page", "Runtime", "Log", "Network")) as tools:
        tools.navigate(app.url)
        yield tools


def listed(page: DevTools) -> list[dict]:
    return page.evaluate(
        "[...document.querySelectorAll('#list .item')].map(n => ({fingerprint: n.dataset.fingerprint,"
        " status: n.dataset.status, rule: n.dataset.rule, current: n.classList.contains('current')}))"
    )


def current(page: DevTools) -> str:
    return next(item["fingerprint"] for item in listed(page) if item["current"])


def choose(page: DevTools, select: str, value: str) -> None:
    page.evaluate(
        f"(() => {{ const s = document.getElementById({json.dumps(select)}); s.value = {json.dumps(value)};"
        " s.dispatchEvent(new Event('change')); })()"
    )


def wait_until(page: DevTools, expression: str) -> None:
    page.evaluate(
        f"new Promise((ok, fail) => {{ const t0 = Date.now(); (function poll() {{ if ({expression}) ok(true);"
        " else if (Date.now() - t0 > 10000) fail(new Error('timeout')); else setTimeout(poll, 50); })(); })"
    )


def test_decisions_by_keyboard_survive_a_rerun_of_the_batch(page: DevTools, app: ReviewApp, reports: Path):
    assert page.console_errors() == []
    everything = listed(page)
    assert len(everything) >= 10 and all(item["status"] == "open" for item in everything)
    choose(page, "f-department", SEED_DEPARTMENT)
    assert page.evaluate("document.getElementById('f-department').value") == SEED_DEPARTMENT
    assert 3 <= len(listed(page)) < len(everything)
    first, second, third = [item["fingerprint"] for item in listed(page)[:3]]
    # j / k move through the list
    assert current(page) == first
    page.press("j")
    assert current(page) == second
    page.press("k")
    assert current(page) == first
    # n writes a note, Esc leaves it, c / d / f decide and move on
    page.press("n")
    page.call("Input.insertText", text="已核对原文，编号确有错误")
    page.press("Escape")
    page.press("c")
    wait_until(page, "document.querySelector('#list .item[data-status=confirmed]')")
    assert current(page) == second
    page.press("d")
    wait_until(page, f"!document.querySelector('#list .item[data-fingerprint=\"{second}\"]')")  # dismissed: hidden
    assert current(page) == third
    page.press("f")
    wait_until(page, "document.querySelector('#list .item[data-status=follow_up]')")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "review.png").write_bytes(page.screenshot())

    # the batch again, while the app runs: the seed edited elsewhere, the rest reprocessed as by a new version
    seed = reports / "heshan_commerce_2024.txt"
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("（一）职能职责\n", "（一）职能职责\n本局另安排宣传经费3.5万元。\n"),
        encoding="utf-8",
    )
    with Store(reports / "review.duckdb", config) as store:
        (old_seed,) = store.query("SELECT doc_id FROM files WHERE path = ?", [str(seed)])[1][0]
        store.con.execute("UPDATE documents SET tool_version = '0.0.0'")
    summary = run_batch([reports], reports / "review.duckdb", config, OPTIONS)
    assert summary.processed == 3
    with Store(reports / "review.duckdb", config, read_only=True) as store:
        assert store.query("SELECT doc_id FROM files WHERE path = ?", [str(seed)])[1][0][0] != old_seed

    page.navigate(app.url)
    statuses = {item["fingerprint"]: item["status"] for item in listed(page)}
    assert statuses[first] == "confirmed" and statuses[third] == "follow_up"
    assert second not in statuses  # dismissed findings are hidden by default
    assert sum(status != "open" for status in statuses.values()) == 2
    page.evaluate("document.querySelector('#list .item[data-status=confirmed]').click()")
    assert page.evaluate("document.getElementById('note').value") == "已核对原文，编号确有错误"
    page.evaluate("document.getElementById('f-dismissed').click()")
    assert {item["fingerprint"]: item["status"] for item in listed(page)}[second] == "dismissed"
    choose(page, "f-status", "dismissed")
    assert [item["fingerprint"] for item in listed(page)] == [second]
    with Store(reports / "review.duckdb", config, read_only=True) as store:
        reviewers = store.query("SELECT DISTINCT reviewer FROM reviews")[1]
    assert reviewers == [(app.reviewer,)] and app.reviewer
    assert page.console_errors() == []


def test_a_pdf_finding_shows_its_pages_with_the_figures_boxed(page: DevTools, app: ReviewApp):
    page.navigate(app.url)
    choose(page, "f-rule", "C102")
    assert len(listed(page)) == 2
    images = "[...document.querySelectorAll('#detail figure img')]"
    wait_until(page, f"{images}.length === 2 && {images}.every(i => i.complete && i.naturalWidth > 0)")
    sizes = page.evaluate(f"{images}.map(i => [i.naturalWidth, i.naturalHeight])")
    # the prose's page and the table's: strips of the page, not whole pages
    assert len(sizes) == 2 and all(width > 400 and 0 < height < width for width, height in sizes)
    (ARTIFACTS / "review-pdf.png").write_bytes(page.screenshot())
    assert page.console_errors() == []


def test_no_request_leaves_loopback(page: DevTools, app: ReviewApp):
    urls = [e["params"]["request"]["url"] for e in page.events if e.get("method") == "Network.requestWillBeSent"]
    assert any(url.endswith("/decisions") for url in urls) and any("/evidence/" in url for url in urls)
    assert all(
        url.startswith(f"http://127.0.0.1:{app.port}/{app.token}/") or url.startswith("data:") for url in urls
    ), urls


def test_review_of_a_missing_database_is_one_line_and_exit_2(tmp_path: Path, capsys):
    from extractor.cli import main

    assert main(["review", "--db", str(tmp_path / "none.duckdb"), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err == f"jixiao: {tmp_path / 'none.duckdb'}: no such database\n"


def test_while_a_batch_holds_the_database_the_app_answers_503(tmp_path: Path):
    import subprocess
    import sys

    from extractor.store.duckdb import Store as Database

    db = tmp_path / "busy.duckdb"
    Database(db, config).close()
    app = ReviewApp(db, config, port=8000)
    holder = subprocess.Popen(  # another process with the write lock, as a running batch has
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        environ = {"HTTP_HOST": "127.0.0.1:8000", "PATH_INFO": f"/{app.token}/", "REQUEST_METHOD": "GET"}
        status, _, body = app.respond(environ)
        assert status.startswith("503") and b"busy" in body
    finally:
        holder.kill()
        holder.wait(10)
    assert app.respond(environ)[0] == "200 OK"
