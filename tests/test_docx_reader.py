"""The .docx reader: reading order, merged cells, inline containers, artifacts, styles, bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from test_numbering import build_docx, para

from extractor.errors import ReadError
from extractor.readers import docx as docx_reader
from extractor.readers import read

CORPUS = Path(__file__).parent.parent / "corpus"


def run(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def cell(content: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{content}</w:tc>"


def table(rows: list[str], n_cols: int) -> str:
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(n_cols))
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(f'<w:tr>{r}</w:tr>' for r in rows)}</w:tbl>"


def one_block(tmp_path: Path, body: str):
    [block] = read(build_docx(tmp_path / "t.docx", body)).blocks
    return block


# ---------------------------------------------------------------- order and tables


def test_paragraphs_and_tables_in_body_order(tmp_path):
    body = para("前言") + table([cell(para("甲")) + cell(para("乙"))], 2) + para("") + para("结语")
    blocks = read(build_docx(tmp_path / "t.docx", body)).blocks
    assert [(b.index, b.kind, b.text) for b in blocks] == [
        (0, "paragraph", "前言"), (1, "table", "甲\t乙"), (2, "paragraph", "结语"),
    ]  # fmt: skip


def test_merged_cells_land_on_their_grid_positions(tmp_path):
    """A A B      row 0: A spans two columns
    C D E      row 1: C starts a vertical merge
    C F F      row 2: C continues, F spans two columns"""
    rows = [
        cell(para("A"), '<w:gridSpan w:val="2"/>') + cell(para("B")),
        cell(para("C"), '<w:vMerge w:val="restart"/>') + cell(para("D")) + cell(para("E")),
        cell(para(""), "<w:vMerge/>") + cell(para("F"), '<w:gridSpan w:val="2"/>'),
    ]
    block = one_block(tmp_path, table(rows, 3))
    got = {(c.row, c.col): (c.text, c.row_span, c.col_span) for c in block.table.cells}
    assert got == {
        (0, 0): ("A", 1, 2), (0, 2): ("B", 1, 1),
        (1, 0): ("C", 2, 1), (1, 1): ("D", 1, 1), (1, 2): ("E", 1, 1),
        (2, 1): ("F", 1, 2),
    }  # fmt: skip
    assert (block.table.n_rows, block.table.n_cols) == (3, 3)
    assert block.table.grid() == [["A", "A", "B"], ["C", "D", "E"], ["C", "F", "F"]]
    assert block.text == "A\tB\nC\tD\tE\nF"


def test_grid_before_shifts_the_first_cell(tmp_path):
    row = '<w:trPr><w:gridBefore w:val="1"/></w:trPr>' + cell(para("乙"))
    block = one_block(tmp_path, table([cell(para("甲")) + cell(para("乙")), row], 2))
    assert [(c.row, c.col, c.text) for c in block.table.cells] == [(0, 0, "甲"), (0, 1, "乙"), (1, 1, "乙")]


def test_nested_table_flattened_into_its_cell(tmp_path):
    inner = table([cell(para("x1")) + cell(para("x2")), cell(para("y1")) + cell(para("y2"))], 2)
    block = one_block(tmp_path, table([cell(para("外") + inner) + cell(para("右"))], 2))
    assert block.table.cells[0].text == "外\nx1\tx2\ny1\ty2"
    assert block.table.cells[1].text == "右"


def test_cell_paragraphs_joined_by_newline_in_cell_and_space_in_block(tmp_path):
    block = one_block(tmp_path, table([cell(para("第一行") + para("第二行"))], 1))
    assert block.table.cells[0].text == "第一行\n第二行"
    assert block.text == "第一行 第二行"


# ---------------------------------------------------------------- inline content


def test_text_in_inline_containers_kept_and_field_codes_dropped(tmp_path):
    hyperlink = f'<w:hyperlink r:id="rId99">{run("链接")}</w:hyperlink>'
    sdt = f"<w:sdt><w:sdtPr><w:alias w:val='别名'/></w:sdtPr><w:sdtContent>{run('控件')}</w:sdtContent></w:sdt>"
    simple_field = f'<w:fldSimple w:instr=" PAGE ">{run("7")}</w:fldSimple>'
    complex_field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE \\@ "yyyy" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("2024") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    smart_tag = f'<w:smartTag w:uri="urn:x" w:element="place">{run("益阳")}</w:smartTag>'
    revisions = f'<w:ins w:id="1" w:author="a">{run("增")}</w:ins><w:del w:id="2" w:author="a"><w:r><w:delText>删</w:delText></w:r></w:del>'
    hidden = run("隐藏", "<w:vanish/>")
    body = (
        f"<w:p>{run('开')}{hyperlink}{sdt}{simple_field}{complex_field}{smart_tag}{revisions}{hidden}{run('尾')}</w:p>"
    )
    assert one_block(tmp_path, body).text == "开链接控件72024益阳增尾"


def test_tab_is_a_space_and_line_break_a_newline(tmp_path):
    body = (
        '<w:p><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:br w:type="page"/><w:t>丁</w:t></w:r></w:p>'
    )
    assert one_block(tmp_path, body).text == "甲 乙\n丙丁"


def test_go_back_bookmark_is_an_artifact_other_bookmarks_are_ignored(tmp_path):
    body = ('<w:p><w:r><w:t xml:space="preserve">  （3） 消费</w:t></w:r><w:bookmarkStart w:id="0" w:name="_GoBack"/>'
            '<w:bookmarkEnd w:id="0"/><w:bookmarkStart w:id="1" w:name="目录1"/><w:r><w:t>促进</w:t></w:r></w:p>')  # fmt: skip
    block = one_block(tmp_path, body)
    assert block.text == "（3） 消费促进"
    assert [(a.kind, a.raw, a.offset) for a in block.artifacts] == [("bookmark", "[bookmark: _GoBack]", 6)]
    assert block.text[block.artifacts[0].offset :] == "促进"


def test_style_evidence(tmp_path):
    styles = """<w:style w:type="paragraph" w:styleId="T1"><w:name w:val="heading 1"/>
      <w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/><w:b/><w:sz w:val="32"/></w:rPr></w:style>"""
    body = para("一、单位基本情况", style="T1") + "<w:p>" + run("正文", '<w:sz w:val="28"/>') + "</w:p>"
    heading, text = read(build_docx(tmp_path / "t.docx", body, styles=styles)).blocks
    assert (heading.style.name, heading.style.outline_level, heading.style.bold) == ("Heading 1", 0, True)
    assert (heading.style.font_size, heading.style.font_name) == (16.0, "黑体")
    assert text.style.font_size == 14.0 and text.style.outline_level is None


def test_table_of_contents_marked(tmp_path):
    toc_field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')  # fmt: skip
    body = (
        f"<w:p>{toc_field}{run('一、单位基本情况 1')}</w:p>"
        f"<w:p>{run('二、一般公共预算支出情况 3')}</w:p>"
        '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>' + para("一、单位基本情况")
    )
    blocks = read(build_docx(tmp_path / "t.docx", body)).blocks
    assert [(b.text, b.in_table_of_contents) for b in blocks] == [
        ("一、单位基本情况 1", True), ("二、一般公共预算支出情况 3", True), ("一、单位基本情况", False),
    ]  # fmt: skip


def test_block_level_content_control_read_in_place(tmp_path):
    sdt = f'<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent>{para("目录")}</w:sdtContent></w:sdt>'
    blocks = read(build_docx(tmp_path / "t.docx", para("标题") + sdt + para("正文"))).blocks
    assert [(b.text, b.in_table_of_contents) for b in blocks] == [("标题", False), ("目录", True), ("正文", False)]


# ---------------------------------------------------------------- bad input


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _entries(docx_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _with_document_xml(docx_bytes: bytes, document_xml: bytes) -> bytes:
    return _zip(_entries(docx_bytes) | {"word/document.xml": document_xml})


def _without(docx_bytes: bytes, name: str) -> bytes:
    return _zip({member: blob for member, blob in _entries(docx_bytes).items() if member != name})


def _as_macro_enabled(docx_bytes: bytes) -> bytes:
    entries = _entries(docx_bytes)
    types = entries["[Content_Types].xml"].replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    return _zip(entries | {"[Content_Types].xml": types})


ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
    b"<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("not a zip", "corrupt .docx: not a zip archive"),
        ("no document.xml", "corrupt .docx: no word/document.xml"),
        ("zip bomb", "refused: zip bomb"),
        ("entity bomb", "refused: XML entity declarations in word/document.xml"),
        ("malformed xml", "corrupt .docx: malformed XML"),
        ("styles part missing", "corrupt .docx: a package part is missing"),
        ("no content types", "corrupt .docx: a package part is missing"),
        ("macro-enabled", "not a Word document"),
        ("no text", "empty .docx: no text"),
    ],
)
def test_bad_input_gives_read_error(tmp_path, case, reason):
    def good() -> bytes:
        return build_docx(tmp_path / "good.docx", para("正文")).read_bytes()

    data = {
        "not a zip": lambda: "不是压缩包".encode() * 50,
        "no document.xml": lambda: _zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<w:styles/>"}),
        # a part jixiao reads that inflates a thousandfold (media it never reads are never inflated)
        "zip bomb": lambda: _zip({"word/document.xml": b"<w:document>" + b" " * (11 * 2**20) + b"</w:document>"}),
        "entity bomb": lambda: _with_document_xml(good(), ENTITY_BOMB),
        "malformed xml": lambda: _with_document_xml(good(), b"<w:document><w:body><w:p>"),
        "styles part missing": lambda: _without(good(), "word/styles.xml"),
        "no content types": lambda: _without(good(), "[Content_Types].xml"),
        "macro-enabled": lambda: _as_macro_enabled(good()),
        "no text": lambda: build_docx(tmp_path / "empty.docx", para("")).read_bytes(),
    }[case]()
    path = tmp_path / "bad.docx"
    with pytest.raises(ReadError) as caught:
        docx_reader.read(path, data)
    assert caught.value.reason.startswith(reason)


def test_part_parser_does_not_expand_entities():
    """Why refusing DTDs is defence in depth: the parser the parts go through leaves entities unexpanded."""
    from extractor.readers.ooxml import parse

    assert "lollol" not in "".join(parse(ENTITY_BOMB).itertext())


# ---------------------------------------------------------------- the corpus


def test_heshan_docx_numbering_rendered_as_the_published_report_reads():
    blocks = read(CORPUS / "heshan_commerce_2024.docx").blocks
    texts = [b.text for b in blocks]
    assert texts[0] == "一、单位基本情况"
    assert texts[1] == "（一）职能职责"
    assert texts[2].startswith("1、贯彻执行国家国内外贸易")
    assert "十、其他需要说明的情况" in texts
    assert [b.numbering.label for b in blocks if b.style and b.style.name == "Heading 1"] == [
        "一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、",
    ]  # fmt: skip
    go_back = [a for b in blocks for a in b.artifacts]
    assert [a.raw for a in go_back] == ["[bookmark: _GoBack]"]
