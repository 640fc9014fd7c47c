"""The PDF reader against fixture PDFs made by tests/fixtures/pdf/make.py (expected values from that script)."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from extractor import readers
from extractor.cjk import normalize_space
from extractor.config import load_default
from extractor.errors import ReadError
from extractor.readers import pdf

config = load_default()  # the installed rule set, validated once for these tests

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def paragraphs():
    return readers.read(FIXTURES / "paragraphs.pdf")


@pytest.fixture(scope="module")
def table_document():
    return readers.read(FIXTURES / "table.pdf")


def test_pages_and_format(paragraphs):
    assert paragraphs.format == "pdf"
    assert paragraphs.pages == 3
    assert len(paragraphs.sha256) == 64


def test_paragraphs_are_whole_and_in_order(paragraphs):
    texts = [block.text for block in paragraphs.blocks]
    assert texts == [
        "一、部门基本情况",
        "（一）职能职责",
        "主要职能是贯彻执行国家财政税收方针政策和法律法规，拟订全县财政发展规划和政策措施，"
        "参与制定全县宏观经济政策，提出运用财税政策实施宏观调控和综合平衡社会财力的建议。",
        "承担全县各项财政收支管理的责任，负责编制年度县级预决算草案并组织执行，"
        "受县政府委托向县人民代表大会报告财政预算、执行和决算等情况。",
        "（二）年度预算安排",
        "2024年度部门收入预算合计一二三四五六七八九十一二三四五六七八九十一二1166.98万元，"
        "其中一般公共预算拨款1023.45万元，政府性基金预算拨款143.53万元，与上年相比增加56.20万元。",
        "本年度收入主要用于人员经费和日常公用经费以及项目支出，项目支出主要包括财政信息化建设、"
        "预算绩效管理、政府采购监督管理和国库集中支付等工作。",
        "二、绩效自评工作开展情况",
        "按照县财政局关于开展2024年度预算绩效自评工作的通知要求，我局成立了绩效自评工作领导小组，"
        "由局长任组长，分管副局长任副组长，各股室负责人为成员，领导小组下设办公室负责日常工作。",
        "自评工作分为三个阶段：一是前期准备阶段，二是自评实施阶段，三是总结报告阶段。",
        "三、综合评价结论",
        "经自评，本部门2024年度整体支出绩效自评得分为95.5分，评价等级为优。",
    ]


def test_running_header_and_page_numbers_are_gone(paragraphs):
    for block in paragraphs.blocks:
        assert "测试县财政局2024年度部门整体支出绩效自评报告" not in block.text
        assert not re.fullmatch(r"-\s*\d+\s*-", block.text)


@pytest.mark.parametrize("text", ["- 3 -", "—3—", "3", "第3页", "第 3 页 共 7 页", "共7页 第3页", "3/7", "Page 3 of 7"])
def test_page_number_patterns(text):
    assert pdf.PAGE_NUMBER.fullmatch(text)


def test_provenance_and_style(paragraphs):
    pages = {block.text: block.page for block in paragraphs.blocks}
    assert pages["一、部门基本情况"] == 1 and pages["二、绩效自评工作开展情况"] == 2 and pages["三、综合评价结论"] == 3
    heading, body = paragraphs.blocks[0], paragraphs.blocks[2]
    assert heading.style.bold and heading.style.font_size == 14
    assert not body.style.bold and body.style.font_size == 12
    assert body.bbox.top > heading.bbox.bottom  # top-left origin: later text lower down
    assert 0 < body.bbox.x0 < body.bbox.x1 < 595.5  # A4 width in points


def test_join_lines_puts_no_space_inside_chinese_or_numbers():
    assert pdf.join_lines(["收入预算合计1166.", "98万元，其中"]) == "收入预算合计1166.98万元，其中"
    assert pdf.join_lines(["绩效", "自评"]) == "绩效自评"
    assert pdf.join_lines(["budget performance", "evaluation report"]) == "budget performance evaluation report"


def _line(text: str, x0: float, x1: float, top: float, page: int = 1, size: float = 12) -> pdf.Line:
    return pdf.Line([pdf.Char(text[0], x0, top, x1, top + size, 0)], page, text, size)


def test_paragraph_breaks():
    layout = pdf.Layout(left=90, right=505, line_gap=3, first_line_indent=True)
    full = _line("主要职能是贯彻执行国家财政税收方针政策", 90, 505, 100)
    assert not pdf.starts_paragraph(full, _line("和法律法规。", 90, 162, 115), layout)
    # a numbering label, a short line above, an indent, a wide gap each open a paragraph
    assert pdf.starts_paragraph(full, _line("（二）年度预算安排", 90, 198, 115), layout)
    assert pdf.starts_paragraph(_line("建议。", 90, 126, 100), _line("承担全县", 114, 162, 115), layout)
    assert pdf.starts_paragraph(full, _line("承担全县", 114, 505, 115), layout)
    assert pdf.starts_paragraph(full, _line("承担全县", 90, 505, 140), layout)
    # a sentence ending at the right edge goes on unless the next line is indented
    ends = _line("提出运用财税政策实施宏观调控的建议。", 90, 505, 100)
    assert not pdf.starts_paragraph(ends, _line("承担全县", 90, 505, 115), layout)
    assert pdf.starts_paragraph(
        ends, _line("承担全县", 90, 505, 115), pdf.Layout(left=90, right=505, line_gap=3, first_line_indent=False)
    )


def test_merged_cells_land_on_the_grid(table_document):
    caption, block, note = table_document.blocks
    assert caption.text == "表1 项目支出绩效自评表（单位：万元）"
    assert note.text == "注：以上指标值为年度目标值。"
    table = block.table
    assert block.kind == "table" and (table.n_rows, table.n_cols) == (42, 5)
    origins = table.origin_grid()
    assert origins[0][0].text == "一级指标"
    funds = origins[1][0]
    assert (funds.text, funds.row_span, funds.col_span) == ("年度资金总额", 1, 3)
    assert origins[1][1] is None and origins[1][2] is None
    assert origins[1][3].text == "1166.98"
    # the first column merges in blocks of ten rows (vMerge)
    for block_number, name in enumerate(["产出指标", "效益指标", "满意度指标", "成本指标"]):
        cell = origins[2 + 10 * block_number][0]
        assert (cell.text, cell.row_span, cell.col_span) == (name, 10, 1)
    assert table.grid()[2] == ["产出指标", "指标类别1", "三级指标第1项", "≥90%", "1"]
    assert table.grid()[41] == ["成本指标", "指标类别8", "三级指标第40项", "≥99%", "5"]


def test_table_over_page_breaks_is_one_table_without_repeated_headers(table_document):
    tables = [block for block in table_document.blocks if block.kind == "table"]
    assert len(tables) == 1
    table = tables[0].table
    assert table.pages == [1, 2, 3]
    grid = table.grid()
    assert [row[0] for row in grid].count("一级指标") == 1
    assert [row[2] for row in grid[2:]] == [f"三级指标第{i}项" for i in range(1, 41)]
    assert {cell.page for cell in table.cells} == {1, 2, 3}


def test_table_text_is_not_repeated_as_paragraphs(table_document):
    paragraphs = " ".join(block.text for block in table_document.blocks if block.kind == "paragraph")
    assert "三级指标" not in paragraphs and "1166.98" not in paragraphs


def test_cell_text_has_no_spaces_between_chinese(table_document):
    for cell in table_document.blocks[1].table.cells:
        assert not re.search(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", cell.text)


def test_owner_password_only_reads_normally(paragraphs):
    document = readers.read(FIXTURES / "owner_only.pdf")
    assert [block.text for block in document.blocks] == [block.text for block in paragraphs.blocks]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("password.pdf", "encrypted PDF: a password is needed"),
        ("garbled.pdf", "garbled text layer (fonts without ToUnicode)"),
    ],
)
def test_unreadable_pdfs(name, reason):
    with pytest.raises(ReadError) as caught:
        readers.read(FIXTURES / name)
    assert caught.value.reason == reason


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf_is_corrupt(tmp_path, keep):
    data = (FIXTURES / "paragraphs.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ReadError) as caught:
        readers.read(cut)
    assert caught.value.reason.startswith("corrupt PDF (")


def test_garbage_with_pdf_magic_is_corrupt(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(ReadError) as caught:
        readers.read(junk)
    assert caught.value.reason.startswith("corrupt PDF (")


def test_fake_bold_doubles_are_dropped():
    # the same character drawn again half a point to the right, as fake bold does
    chars = [pdf.Char("绩", 100, 50, 112, 62, 0), pdf.Char("效", 112, 50, 124, 62, 1)]
    kept = pdf.dedupe_chars(
        chars + [pdf.Char("绩", 100.5, 50.2, 112.5, 62.2, 2), pdf.Char("效", 112.4, 50, 124.4, 62, 3)]
    )
    assert [c.text for c in kept] == ["绩", "效"] and all(c.doubled for c in kept)
    assert [
        c.text for c in pdf.dedupe_chars([pdf.Char("一", 100, 50, 112, 62, 0), pdf.Char("一", 112, 50, 124, 62, 1)])
    ] == ["一", "一"]


def test_every_page_with_a_fake_bold_double_is_deduplicated():
    # the cheap test that lets a page skip dedupe_chars must say yes wherever dedupe_chars would drop one:
    # a character and its double at every offset up to a point and a half either way, from positions on
    # both sides of the 2-point cells the test looks in (odd and even points, negative ones, fractions)
    offsets = [step / 4 for step in range(-6, 7)] + [-0.999, 0.999, -1.0, 1.0]
    starts = [-3.0, -2.5, -1.0, -0.25, 0.0, 0.75, 1.0, 1.9, 2.0, 3.5, 101.0, 102.99]
    for x in starts:
        for y in starts:
            for dx in offsets:
                for dy in offsets:
                    pair = [
                        pdf.Char("数", x, y, x + 10, y + 10, 0),
                        pdf.Char("数", x + dx, y + dy, x + dx + 10, y + dy + 10, 1),
                    ]
                    if len(pdf.dedupe_chars(pair)) == 1:
                        assert pdf._may_have_doubles(pair), (x, y, dx, dy)
    # and no for a page of plain text and a column of like figures: it skips those
    line = [pdf.Char(text, 72 + 12 * i, 100, 84 + 12 * i, 112, i) for i, text in enumerate("一般公共预算财政拨款收入")]
    column = [pdf.Char("0", 300.5, 120 + 14 * i, 306, 130 + 14 * i, 20 + i) for i in range(30)]
    figures = [pdf.Char("0", 300 + 3.3 * i, 600, 303.3 + 3.3 * i, 606, 60 + i) for i in range(8)]
    assert not pdf._may_have_doubles(line + column + figures)


def test_a_double_drawn_in_a_pdf_is_dropped_by_the_reader(tmp_path):
    # a word drawn again 0.8 point off, six other text objects later: pdfium keeps both copies (it drops a
    # repeat only within its last few objects and characters), so the reader's own dedupe must drop it,
    # after its cheap test let the page through
    document = pdfium.PdfDocument.new()
    page = document.new_page(300, 400)

    def text(x: float, baseline: float, words: str) -> None:
        obj = pdfium_c.FPDFPageObj_NewTextObj(document.raw, b"Helvetica", 10.0)
        wide = ctypes.create_string_buffer(words.encode("utf-16-le") + b"\0\0")
        pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, pdfium_c.FPDF_WIDESTRING))
        pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, 400 - baseline)
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)

    text(50, 100, "Total")
    for k in range(6):
        text(50, 150 + 20 * k, f"line {k} of other words")
    text(50.8, 100.3, "Total")
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    textpage = page.get_textpage()
    chars, garbled = pdf._page_chars(textpage, 400)
    first = [c for c in chars if c.top < 110]
    assert [c.text for c in first] == list("Total") and all(c.doubled for c in first) and garbled == 0
    textpage.close()
    page.close()
    document.save(tmp_path / "double.pdf")
    document.close()
    blocks = readers.read(tmp_path / "double.pdf").blocks
    assert blocks[0].text == "Total" and blocks[0].style.bold


def _comparable(text: str) -> str:
    """Whitespace-normalised; white space next to a CJK character dropped (a PDF cannot show a tab after 一、)."""
    text = normalize_space(text)
    return re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", text)


def _blocks(document):
    out = []
    for block in document.blocks:
        if block.kind == "table":
            out.append([[_comparable(cell) for cell in row] for row in block.table.grid()])
        else:
            out.append(_comparable(block.text))
    return out


def test_heshan_pdf_reads_like_its_docx():
    """The seed report exported by LibreOffice reads as the .docx it came from: paragraphs and table grids."""
    from_pdf = readers.read(CORPUS / "heshan_commerce_2024.pdf")
    from_docx = readers.read(CORPUS / "heshan_commerce_2024.docx")
    assert _blocks(from_pdf) == _blocks(from_docx)
    assert from_pdf.pages > 1
    first = next(block for block in from_pdf.blocks if block.kind == "paragraph")
    assert first.page == 1 and CJK.search(first.text)


def test_a_paragraph_over_a_page_break_places_each_figure_on_its_page():
    """一般公共预算基本支出 in the seed PDF starts on page 5 and goes on to page 6 at "障和就业支出85.42万元"."""
    from extractor.pipeline import process

    record = process(CORPUS / "heshan_commerce_2024.pdf", config)
    page_of = {str(f.value): f.page for f in record.facts}
    assert page_of["503.64"] == 5 and page_of["85.42"] == 6
    block = next(b for b in readers.read(CORPUS / "heshan_commerce_2024.pdf").blocks if "85.42" in b.text)
    assert block.page == 5 and len(block.page_breaks) == 1
    assert block.page_at(block.text.index("503.64")) == 5 and block.page_at(block.text.index("85.42")) == 6
