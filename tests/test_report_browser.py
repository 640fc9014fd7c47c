"""The offline review page in headless Chromium, driven over the DevTools protocol.

Skipped when /usr/bin/chromium is missing, unless JIXIAO_REQUIRE_BROWSER=1 (CI), where it fails.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from browser import DevTools, chromium_page
from test_store import BLOCKS, SHA_B, sample_record

from extractor.checks.engine import make_finding
from extractor.config import load_default
from extractor.records import Copy, Finding
from extractor.report.html import render_report, write_report
from extractor.store.duckdb import Store

config = load_default()  # the installed rule set, validated once for these tests

ARTIFACTS = Path(__file__).parent / "artifacts"
HOSTILE = "另一局</script><img src=x onerror=alert(1)>"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """Two documents: A102 (error) on both, a warning on the first, a copy (C201, info) on the second."""
    folder = tmp_path_factory.mktemp("report")
    first = sample_record()
    first.findings.append(
        Finding(rule="S101", category="structure", severity="warning", message="缺少章节", section="1", block=1)
    )
    with Store(folder / "t.duckdb", config) as store:
        store.write_document(first, BLOCKS, [("/data/a.docx", 1)])
        store.write_document(sample_record(SHA_B, "/data/b.docx", HOSTILE), BLOCKS, [("/data/b.docx", 1)])
        store.replace_copy_findings(
            [
                Copy(
                    SHA_B,
                    make_finding(
                        config, "C201", block=2, other="/data/a.docx", department="某某局", year=2024, similarity="100"
                    ),
                    first.document.sha256,
                    2,
                )
            ]
        )
    return write_report(config, folder / "t.duckdb", folder / "report.html")


def test_the_page_is_self_contained_and_escapes_document_text(report: Path):
    html = report.read_text(encoding="utf-8")
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert "<script src" not in html and "<link" not in html
    assert HOSTILE not in html  # the department's "</script>" cannot close the data block
    assert html.count("</script>") == 2


@pytest.fixture(scope="module")
def page(report: Path, tmp_path_factory):
    with chromium_page(tmp_path_factory.mktemp("chromium-profile")) as tools:
        tools.navigate(report.resolve().as_uri())
        yield tools


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
    assert sorted(visible_findings(page)) == [
        ["A102", "error"],
        ["A102", "error"],
        ["C201", "info"],
        ["S101", "warning"],
    ]
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
    (ARTIFACTS / "report.png").write_bytes(page.screenshot(captureBeyondViewport=True))
    page.evaluate("document.getElementById('back').click()")
    assert len(visible_findings(page)) == 4
    assert page.console_errors() == []


def test_render_is_deterministic_apart_from_the_time(report: Path):
    db = report.parent / "t.duckdb"
    first, second = render_report(config, db), render_report(config, db)

    def strip(html: str) -> dict:
        return json.loads(html.split('id="jixiao-data">')[1].split("</script>")[0]) | {"generated_at": ""}

    assert strip(first) == strip(second)


def glyph(page: DevTools, text: str) -> bytes:
    """The pixels of `text` drawn big in the page's own font stack."""
    rect = page.evaluate(
        "(() => { const s = document.createElement('span'); s.textContent = " + json.dumps(text) + ";"
        " s.style.cssText = 'position:fixed;left:10px;top:10px;font-size:64px;line-height:1;background:#fff;"
        "color:#000;z-index:99;padding:4px'; s.id = 'glyph-probe'; document.body.append(s);"
        " const r = s.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()"
    )
    shot = page.screenshot(clip={"x": rect[0], "y": rect[1], "width": rect[2], "height": rect[3], "scale": 1})
    page.evaluate("document.getElementById('glyph-probe').remove()")
    from PIL import Image

    return Image.open(io.BytesIO(shot)).convert("L").tobytes()


def test_chinese_text_is_drawn_with_a_cjk_font_not_tofu(page: DevTools):
    """Without a CJK font every Chinese character becomes the same empty box (tofu), as a private-use
    character always does: two different characters must look different from each other and from it."""
    ji, xiao, missing = glyph(page, "绩"), glyph(page, "效"), glyph(page, "\ue000")
    assert min(ji) < 100 and min(xiao) < 100  # ink on the page
    assert ji != xiao and ji != missing and xiao != missing
