"""Word auto-numbering rendered into paragraph text, on real .docx files built here.

Each file is a python-docx document whose numbering.xml, styles and body are replaced by the raw
WordprocessingML under test. Expected labels are what Word shows for that XML (ECMA-376 §17.9).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from extractor.readers import read
from extractor.readers.numbering import format_number

# ---------------------------------------------------------------- building .docx files


def para(text: str, num: int | None = None, ilvl: int | None = None, style: str | None = None) -> str:
    """A w:p with optional pStyle and numPr (numId and ilvl each optional, as Word allows)."""
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None or ilvl is not None:
        ppr += "<w:numPr>"
        ppr += f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
        ppr += f'<w:numId w:val="{num}"/>' if num is not None else ""
        ppr += "</w:numPr>"
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p><w:pPr>{ppr}</w:pPr>{run}</w:p>"


def lvl(ilvl: int, fmt: str = "decimal", text: str | None = None, start: int = 1, extra: str = "") -> str:
    text = f"%{ilvl + 1}." if text is None else text
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/></w:lvl>')  # fmt: skip


def abstract(abstract_id: int, *levels: str, extra: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{abstract_id}">{extra}{"".join(levels)}</w:abstractNum>'


def num(num_id: int, abstract_id: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def build_docx(path: Path, body: str, numbering: str = "", styles: str = "") -> Path:
    """Write a .docx whose body is `body` (w:p / w:tbl XML), with extra numbering and styles XML."""
    document = docx.Document()
    body_element = document.element.body
    for child in list(body_element):
        if not child.tag.endswith("sectPr"):
            body_element.remove(child)
    wrapper = parse_xml(f"<w:body {nsdecls('w', 'r')}>{body}</w:body>")
    for position, child in enumerate(list(wrapper)):
        body_element.insert(position, child)
    if numbering:
        # abstractNums must precede nums in numbering.xml: callers pass them in that order
        document.part.numbering_part._element = parse_xml(f"<w:numbering {nsdecls('w')}>{numbering}</w:numbering>")
    for style in parse_xml(f"<w:styles {nsdecls('w')}>{styles}</w:styles>") if styles else []:
        document.styles.element.append(style)
    document.save(path)
    return path


def texts(path: Path) -> list[str]:
    return [block.text for block in read(path).blocks]


# ---------------------------------------------------------------- numFmt values

FORMAT_CASES = [
    ("decimal", 7, "7"),
    ("chineseCounting", 1, "一"),
    ("chineseCounting", 10, "十"),
    ("chineseCounting", 11, "十一"),
    ("chineseCounting", 20, "二十"),
    ("chineseCounting", 99, "九十九"),
    ("chineseCounting", 105, "一〇五"),
    ("chineseCountingThousand", 11, "十一"),
    ("chineseCountingThousand", 101, "一百零一"),
    ("chineseCountingThousand", 110, "一百一十"),
    ("chineseLegalSimplified", 1, "壹"),
    ("chineseLegalSimplified", 12, "壹拾贰"),
    ("ideographTraditional", 1, "甲"),
    ("ideographTraditional", 10, "癸"),
    ("ideographDigital", 3, "三"),
    ("ideographDigital", 10, "一〇"),
    ("decimalFullWidth", 1, "１"),
    ("decimalFullWidth", 12, "１２"),
    ("decimalEnclosedCircle", 1, "①"),
    ("decimalEnclosedCircle", 20, "⑳"),
    ("decimalEnclosedCircle", 21, "21"),
    ("decimalEnclosedCircleChinese", 3, "③"),
    ("upperLetter", 1, "A"),
    ("upperLetter", 27, "AA"),
    ("lowerLetter", 28, "bb"),
    ("upperRoman", 14, "XIV"),
    ("lowerRoman", 4, "iv"),
    ("lowerRoman", 1994, "mcmxciv"),
    ("none", 5, ""),
    ("bullet", 5, ""),
]


@pytest.mark.parametrize(("fmt", "number", "expected"), FORMAT_CASES)
def test_format_number(fmt, number, expected):
    assert format_number(number, fmt) == expected


def test_every_numfmt_rendered_from_a_docx(tmp_path):
    """One list per format, started at the number under test: the first paragraph shows it."""
    numbering = "".join(abstract(i, lvl(0, fmt, "%1", start=number)) for i, (fmt, number, _) in enumerate(FORMAT_CASES))
    numbering += "".join(num(i + 1, i) for i in range(len(FORMAT_CASES)))
    body = "".join(para(f"第{i}项", num=i + 1, ilvl=0) for i in range(len(FORMAT_CASES)))
    blocks = read(build_docx(tmp_path / "formats.docx", body, numbering)).blocks
    for block, (fmt, _, expected) in zip(blocks, FORMAT_CASES, strict=True):
        assert block.numbering.format == fmt
        assert block.numbering.label == expected
        assert block.text.startswith(expected + "第")


# ---------------------------------------------------------------- counters


def test_multilevel_text_start_and_restart_of_lower_levels(tmp_path):
    numbering = abstract(0, lvl(0, start=3), lvl(1, text="%1.%2"), lvl(2, "lowerLetter", "(%3)")) + num(1, 0)
    body = "".join(para(t, 1, i) for t, i in [("a", 0), ("b", 1), ("c", 1), ("d", 2), ("e", 0), ("f", 1), ("g", 2)])
    assert texts(build_docx(tmp_path / "t.docx", body, numbering)) == [
        "3.a", "3.1b", "3.2c", "(a)d", "4.e", "4.1f", "(a)g",
    ]  # fmt: skip


def test_unused_higher_level_shows_its_start_value(tmp_path):
    numbering = abstract(0, lvl(0, start=1), lvl(1, text="%1.%2")) + num(1, 0)
    assert texts(build_docx(tmp_path / "t.docx", para("x", 1, 1), numbering)) == ["1.1x"]


def test_lvl_restart(tmp_path):
    never = '<w:lvlRestart w:val="0"/>'
    after_first = '<w:lvlRestart w:val="1"/>'  # level 3 restarts only when level 1 is used
    numbering = abstract(
        0, lvl(0), lvl(1, text="%1.%2", extra=never), lvl(2, text="%1.%2.%3", extra=after_first)
    ) + num(1, 0)
    sequence = [(0, "a"), (1, "b"), (2, "c"), (2, "d"), (1, "e"), (2, "f"), (0, "g"), (1, "h"), (2, "i")]
    body = "".join(para(t, 1, i) for i, t in sequence)
    assert texts(build_docx(tmp_path / "t.docx", body, numbering)) == [
        "1.a", "1.1b", "1.1.1c", "1.1.2d", "1.2e", "1.2.3f", "2.g", "2.3h", "2.3.1i",
    ]  # fmt: skip


def test_is_lgl_renders_every_placeholder_in_arabic(tmp_path):
    numbering = abstract(
        0, lvl(0, "chineseCounting", "%1、"), lvl(1, "chineseCounting", "%1.%2", extra="<w:isLgl/>")
    ) + num(1, 0)
    body = para("总则", 1, 0) + para("细则", 1, 1)
    assert texts(build_docx(tmp_path / "t.docx", body, numbering)) == ["一、总则", "1.1细则"]


def test_counters_shared_by_nums_of_one_abstract_and_reset_by_start_override(tmp_path):
    restart = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    numbering = abstract(0, lvl(0)) + num(1, 0) + num(2, 0) + num(3, 0, restart)
    body = "".join(para(t, n, 0) for n, t in [(1, "a"), (1, "b"), (2, "c"), (3, "d"), (3, "e"), (1, "f")])
    assert texts(build_docx(tmp_path / "t.docx", body, numbering)) == ["1.a", "2.b", "3.c", "1.d", "2.e", "3.f"]


def test_start_override_sets_the_first_number_and_lvl_override_replaces_the_level(tmp_path):
    start_at_5 = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>'
    letters = f'<w:lvlOverride w:ilvl="0">{lvl(0, "lowerLetter", "%1)")}</w:lvlOverride>'
    numbering = abstract(0, lvl(0)) + abstract(1, lvl(0)) + num(1, 0, start_at_5) + num(2, 1, letters)
    body = para("a", 1, 0) + para("b", 1, 0) + para("c", 2, 0) + para("d", 2, 0)
    blocks = read(build_docx(tmp_path / "t.docx", body, numbering)).blocks
    assert [b.text for b in blocks] == ["5.a", "6.b", "a)c", "b)d"]
    assert blocks[2].numbering.format == "lowerLetter"


def test_empty_numbered_paragraph_consumes_a_number(tmp_path):
    numbering = abstract(0, lvl(0)) + num(1, 0)
    body = para("a", 1, 0) + para("", 1, 0) + para("c", 1, 0)
    assert texts(build_docx(tmp_path / "t.docx", body, numbering)) == ["1.a", "3.c"]


def test_suffix_between_label_and_text(tmp_path):
    def level(text: str, suffix: str | None) -> str:
        suff = f'<w:suff w:val="{suffix}"/>' if suffix else ""  # no w:suff means a tab
        return f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>{suff}<w:lvlText w:val="{text}"/></w:lvl>'

    cases = [("%1.", None, "一. 甲"), ("%1.", "space", "一. 甲"), ("%1.", "nothing", "一.甲"), ("%1、", None, "一、甲"),
             ("（%1）", "space", "（一）甲")]  # fmt: skip
    numbering = "".join(abstract(i, level(text, suffix)) for i, (text, suffix, _) in enumerate(cases))
    numbering += "".join(num(i + 1, i) for i in range(len(cases)))
    body = "".join(para("甲", i + 1, 0) for i in range(len(cases)))
    assert texts(build_docx(tmp_path / "t.docx", body, numbering)) == [expected for *_, expected in cases]


def test_bullet_and_none_levels_add_no_label(tmp_path):
    numbering = abstract(0, lvl(0, "bullet", "\uf06c")) + abstract(1, lvl(0, "none", "")) + num(1, 0) + num(2, 1)
    blocks = read(build_docx(tmp_path / "t.docx", para("要点", 1, 0) + para("正文", 2, 0), numbering)).blocks
    assert [b.text for b in blocks] == ["要点", "正文"]
    assert blocks[0].numbering.format == "bullet" and blocks[0].numbering.label == ""


def test_unknown_num_id_and_num_id_zero_leave_text_alone(tmp_path):
    numbering = abstract(0, lvl(0)) + num(1, 0)
    blocks = read(build_docx(tmp_path / "t.docx", para("a", 9, 0) + para("b", 0, 0), numbering)).blocks
    assert [(b.text, b.numbering) for b in blocks] == [("a", None), ("b", None)]


# ---------------------------------------------------------------- numbering through styles

HEADING_STYLES = """
<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/>
  <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="H2"><w:name w:val="heading 2"/><w:basedOn w:val="H1"/>
  <w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="MyH2"><w:name w:val="我的标题2"/><w:basedOn w:val="H2"/></w:style>
<w:style w:type="paragraph" w:styleId="H3"><w:name w:val="heading 3"/>
  <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
"""


def test_numbering_inherited_through_styles(tmp_path):
    """H1 carries numId (its level found by the lvl's pStyle); H2 inherits numId from H1 and sets
    ilvl; MyH2 inherits both through two basedOn steps; H3 is bound to level 2 by pStyle."""
    numbering = abstract(
        0,
        lvl(0, "chineseCounting", "%1、", extra='<w:pStyle w:val="H1"/>'),
        lvl(1, "chineseCounting", "（%2）"),
        lvl(2, "decimal", "%3.", extra='<w:pStyle w:val="H3"/>'),
    ) + num(1, 0)
    body = (para("单位基本情况", style="H1") + para("职能职责", style="H2") + para("机构设置", style="MyH2")
            + para("人员", style="H3") + para("支出情况", style="H1") + para("基本支出", style="MyH2"))  # fmt: skip
    blocks = read(build_docx(tmp_path / "t.docx", body, numbering, HEADING_STYLES)).blocks
    assert [b.text for b in blocks] == [
        "一、单位基本情况",
        "（一）职能职责",
        "（二）机构设置",
        "1.人员",
        "二、支出情况",
        "（一）基本支出",
    ]
    assert [b.style.outline_level for b in blocks[:3]] == [0, 1, 1]
    assert blocks[0].style.name == "Heading 1"


def test_paragraph_num_id_zero_removes_style_numbering(tmp_path):
    numbering = abstract(0, lvl(0, "chineseCounting", "%1、")) + num(1, 0)
    body = para("甲", style="H1") + para("乙", num=0, style="H1") + para("丙", style="H1")
    assert texts(build_docx(tmp_path / "t.docx", body, numbering, HEADING_STYLES)) == ["一、甲", "乙", "二、丙"]


def test_num_style_link_resolves_to_the_linked_definition(tmp_path):
    styles = """<w:style w:type="numbering" w:styleId="GovList"><w:name w:val="公文列表"/>
      <w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>"""
    numbering = (
        abstract(0, extra='<w:numStyleLink w:val="GovList"/>')
        + abstract(1, lvl(0, "chineseCounting", "%1、"), extra='<w:styleLink w:val="GovList"/>')
        + num(1, 0)
        + num(2, 1)
    )
    assert texts(build_docx(tmp_path / "t.docx", para("甲", 1, 0) + para("乙", 1, 0), numbering, styles)) == [
        "一、甲",
        "二、乙",
    ]


def test_malformed_definitions_are_skipped_not_fatal(tmp_path):
    numbering = abstract(0, lvl(0)) + '<w:num w:numId="x"><w:abstractNumId w:val="0"/></w:num>' + num(1, 0)
    assert texts(build_docx(tmp_path / "t.docx", para("a", 1, 0), numbering)) == ["1.a"]
