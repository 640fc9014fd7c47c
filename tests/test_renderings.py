"""The seed report in four renderings reads the same: .docx (labels from Word auto-numbering), the PDF
LibreOffice made from it, the HTML page, and the real published .txt with its numbering quirks."""

from pathlib import Path

import pytest

from extractor.cjk import normalize_space
from extractor.readers import read

CORPUS = Path(__file__).parent.parent / "corpus"
SEED = "heshan_commerce_2024"
# The real .txt's numbering as a converter degraded it, against the clean auto-numbered original.
TXT_QUIRKS = {"1、": "一、", "（2）": "（二）", "4、": "四、", "5、": "五、", "8、": "八、", "9、": "九、"}


def _paragraphs(suffix: str) -> list[str]:
    return [
        normalize_space(b.text).replace(" ", "")
        for b in read(CORPUS / f"{SEED}.{suffix}").blocks
        if b.kind == "paragraph"
    ]


def _tables(suffix: str) -> list[list[list[str]]]:
    return [
        [[normalize_space(cell).replace(" ", "") for cell in row] for row in b.table.grid()]
        for b in read(CORPUS / f"{SEED}.{suffix}").blocks
        if b.kind == "table"
    ]


@pytest.fixture(scope="module")
def docx_paragraphs() -> list[str]:
    return _paragraphs("docx")


@pytest.mark.parametrize("suffix", ["pdf", "html"])
def test_pdf_and_html_read_like_the_docx(suffix, docx_paragraphs):
    assert _paragraphs(suffix) == docx_paragraphs
    assert _tables(suffix) == _tables("docx")


def test_auto_numbered_labels_are_in_the_text(docx_paragraphs):
    for label_and_title in (
        "一、单位基本情况",
        "（一）职能职责",
        "1、贯彻执行国家国内外贸易",
        "（二）项目支出情况",
        "十、其他需要说明的情况",
    ):
        assert any(p.startswith(label_and_title) for p in docx_paragraphs), label_and_title
    docx = read(CORPUS / f"{SEED}.docx")
    first = docx.blocks[0]
    assert (
        first.numbering is not None and first.numbering.label == "一、" and first.numbering.format == "chineseCounting"
    )


def test_txt_matches_paragraph_for_paragraph_but_for_its_real_quirks(docx_paragraphs):
    txt = _paragraphs("txt")
    assert len(txt) == 82
    quirks = []
    for line, original in zip(txt, docx_paragraphs):
        if line != original:
            label = next(q for q in TXT_QUIRKS if line.startswith(q))
            assert original == TXT_QUIRKS[label] + line[len(label) :]
            quirks.append(label)
    assert sorted(quirks) == sorted(TXT_QUIRKS)
    # after the .txt's last line (the attachment list) the other renderings go on with the attachments
    assert docx_paragraphs[81] == txt[81] == "3.项目支出绩效自评表"
