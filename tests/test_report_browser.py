"""The offline review page in headless Chromium, driven over the DevTools protocol.

Skipped when /usr/bin/chromium is missing, unless JIXIAO_REQUIRE_BROWSER=1 (CI), where it fails.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from test_store import BLOCKS, SHA_B, sample_record

from extractor.checks.engine import make_finding
from extractor.records import Copy, Finding
from extractor.report.html import render_report, write_report
from extractor.store.duckdb import Store

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE = "另一局</script><img src=x onerror=alert(1)>"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """Two documents: A102 (error) on both, a warning on the first, a copy (C201, info) on the second."""
    folder = tmp_path_factory.mktemp("report")
    first = sample_record()
    first.findings.append(Finding(rule="S101", category="structure", severity="warning", message="缺少章节", section="1", block=1))
    with Store(folder / "t.duckdb") as store:
        store.write_document(first, BLOCKS, [("/data/a.docx", 1)])
        store.write_document(sample_record(SHA_B, "/data/b.docx", HOSTILE), BLOCKS, [("/data/b.docx", 1)])
        store.replace_copy_findings([Copy(SHA_B, make_finding("C201", block=2, other="/data/a.docx", department="某某局",
                                                              year=2024, similarity="100"), first.document.sha256, 2)])
    return write_report(folder / "t.duckdb", folder / "report.html")


def test_the_page_is_self_contained_and_escapes_document_text(report: Path):
    html = report.read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert "<script src" not in html and "<link" not in html
    assert HOSTILE not in html  # the department's "</script>" cannot close the data block
    assert html.count("</script>") == 2


class DevTools:
    """Just enough of the Chrome DevTools protocol: commands, and the events seen meanwhile."""

    def __init__(self, url: str):
        import websocket

        self.socket = websocket.create_connection(url, timeout=20, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        message_id = next(self.ids)
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 20) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(json.loads(self.socket.recv()))
        raise TimeoutError(method)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def console_errors(self) -> list[dict]:
        return [
            e for e in self.events
            if e.get("method") == "Runtime.exceptionThrown"
            or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
            or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
        ]


@pytest.fixture(scope="module")
def page(report: Path, tmp_path_factory):
    if not CHROMIUM.exists():
        if os.environ.get("JIXIAO_REQUIRE_BROWSER") == "1":
            pytest.fail("JIXIAO_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install -y chromium)")
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium to run the review-page test")
    pytest.importorskip("websocket", reason="websocket-client is a test dependency: pip install -e .[test]")
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
         "--window-size=1280,1400", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert time.monotonic() < deadline and process.poll() is None, "Chromium did not start"
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
            target = next(t for t in json.load(response) if t["type"] == "page")
        tools = DevTools(target["webSocketDebuggerUrl"])
        for domain in ("Page", "Runtime", "Log"):
            tools.call(f"{domain}.enable")
        tools.call("Page.navigate", url=report.resolve().as_uri())
        tools.wait_for("Page.loadEventFired")
        yield tools
        tools.socket.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


def visible_findings(page: DevTools) -> list[list[str]]:
    return page.evaluate(
        "[...document.querySelectorAll('.finding')].filter(n => n.offsetParent !== null)"
        ".map(n => [n.dataset.rule, n.dataset.severity])"
    )


def choose(page: DevTools, select: str, value: str) -> None:
    page.evaluate(
        f"(() => {{ const s = document.getElementById({json.dumps(select)}); s.value = {json.dumps(value)};"
        " s.dispatchEvent(new Event('change')); })()"
    )


def test_the_page_loads_without_console_errors_and_shows_the_overview(page: DevTools):
    assert page.console_errors() == []
    assert sorted(visible_findings(page)) == [["A102", "error"], ["A102", "error"], ["C201", "info"], ["S101", "warning"]]
    cards = page.evaluate("[...document.querySelectorAll('.card')].map(c => c.textContent)")
    assert cards == ["文档2", "检查发现4", "错误2", "警告1", "提示1"]
    assert page.evaluate("document.querySelectorAll('#chart svg rect').length") == 3  # one bar each: A102, C201, S101
    # the department named like markup is shown as text, and no element came from it
    assert HOSTILE in page.evaluate("document.getElementById('documents').textContent")
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    # figures highlighted in their source sentence
    marks = page.evaluate("[...document.querySelectorAll('.finding[data-rule=A102] mark')].map(m => m.textContent)")
    assert marks[:2] == ["1,200.50万元", "717.790万元"]


def test_filters_hide_other_findings(page: DevTools):
    choose(page, "f-rule", "C201")
    assert visible_findings(page) == [["C201", "info"]]
    choose(page, "f-rule", "")
    choose(page, "f-severity", "error")
    assert visible_findings(page) == [["A102", "error"], ["A102", "error"]]
    choose(page, "f-department", "某某局")
    assert visible_findings(page) == [["A102", "error"]]
    page.evaluate("document.getElementById('f-reset').click()")
    assert len(visible_findings(page)) == 4
    assert page.console_errors() == []


def test_a_document_shows_its_section_tree_and_findings(page: DevTools):
    page.evaluate("document.querySelector('tr.doc[data-doc^=aaaa]').click()")
    assert page.evaluate("document.getElementById('tree').textContent").startswith("一、部门基本情况")
    assert sorted(visible_findings(page)) == [["A102", "error"], ["S101", "warning"]]
    numbers = page.evaluate("document.querySelector('#doc-findings .numbers').textContent")
    assert "所报：717.790" in numbers and "计算：726.79" in numbers
    ARTIFACTS.mkdir(exist_ok=True)
    shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    (ARTIFACTS / "report.png").write_bytes(base64.b64decode(shot["data"]))
    page.evaluate("document.getElementById('back').click()")
    assert len(visible_findings(page)) == 4
    assert page.console_errors() == []


def test_render_is_deterministic_apart_from_the_time(report: Path):
    db = report.parent / "t.duckdb"
    first, second = render_report(db), render_report(db)
    def strip(html: str) -> dict:
        return json.loads(html.split('id="jixiao-data">')[1].split("</script>")[0]) | {"generated_at": ""}

    assert strip(first) == strip(second)
