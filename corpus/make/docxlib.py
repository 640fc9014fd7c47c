"""python-docx helpers for the corpus: numbering definitions, heading styles that carry
numbering, decimal lists, bookmarks, header/footer with a PAGE field, tables with real
merged cells (gridSpan / vMerge), and a writer that renders a `model.Report`.

Where python-docx has no API (numbering.xml, outline levels, fields, bookmarks, repeated
header rows) the XML is built with python-docx's oxml helpers.
"""

from __future__ import annotations

import copy
import datetime as dt
import zipfile
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from model import Heading, PageBreak, Para, Report, TableBlock
from tablemodel import Grid

BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
TITLE_FONT = "方正小标宋简体"
TABLE_FONT = "宋体"
BODY_PT = 16
LINE_PT = 28
INDENT_TWIPS = 2 * BODY_PT * 20  # two characters of body text

ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

# successors of elements we insert into w:pPr, in schema order (CT_PPrBase)
_PPR_ORDER = [
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
]


def _insert_ppr(ppr, el) -> None:
    """Insert `el` into a w:pPr at its schema position, replacing an element of the same tag."""
    tag = el.tag
    for old in ppr.findall(tag):
        ppr.remove(old)
    name = "w:" + tag.split("}")[1]
    successors = _PPR_ORDER[_PPR_ORDER.index(name) + 1:]
    ppr.insert_element_before(el, *successors)


def set_east_asian_font(rpr_owner, font: str) -> None:
    """Set ascii/hAnsi/eastAsia fonts on a style's or run's w:rPr."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for att in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(att), font if att == "w:eastAsia" else "Times New Roman")
    for att in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(att), None)


def num_pr(num_id: int, ilvl: int | None):
    xml = f'<w:numPr {nsdecls("w")}>'
    if ilvl is not None:
        xml += f'<w:ilvl w:val="{ilvl}"/>'
    xml += f'<w:numId w:val="{num_id}"/></w:numPr>'
    return parse_xml(xml)


def outline_lvl(level: int):
    return parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{level}"/>')


# ---------------------------------------------------------------- numbering.xml


class Numbering:
    """Adds abstractNum/num pairs to the document's numbering part."""

    def __init__(self, document):
        self.root = document.part.numbering_part.element
        self._next_abs = 1 + max([int(a.get(qn("w:abstractNumId"))) for a in self.root.findall(qn("w:abstractNum"))] or [-1])
        self._next_num = 1 + max([int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))] or [0])

    def add(self, levels: list[dict], nsid: str, name: str) -> int:
        """levels: dicts with fmt, text, indent (first-line twips), left (twips), optional pstyle.

        Returns the numId of a new w:num pointing at a new multilevel w:abstractNum.
        """
        abs_id = self._next_abs
        self._next_abs += 1
        lvls = []
        for i, lv in enumerate(levels):
            pstyle = f'<w:pStyle w:val="{lv["pstyle"]}"/>' if lv.get("pstyle") else ""
            lvls.append(
                f'<w:lvl w:ilvl="{i}">'
                f'<w:start w:val="1"/><w:numFmt w:val="{lv["fmt"]}"/>{pstyle}'
                f'<w:suff w:val="nothing"/><w:lvlText w:val="{lv["text"]}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{lv.get("left", 0)}" w:firstLine="{lv.get("indent", INDENT_TWIPS)}"/></w:pPr>'
                f"</w:lvl>"
            )
        absnum = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abs_id}">'
            f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="{"multilevel" if len(levels) > 1 else "singleLevel"}"/>'
            f'<w:name w:val="{name}"/>' + "".join(lvls) + "</w:abstractNum>"
        )
        # all w:abstractNum precede all w:num
        nums = self.root.findall(qn("w:num"))
        if nums:
            nums[0].addprevious(absnum)
        else:
            self.root.append(absnum)
        num_id = self._next_num
        self._next_num += 1
        self.root.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abs_id}"/></w:num>'))
        return num_id


# ---------------------------------------------------------------- document setup


def new_document(report: Report):
    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    sec.header_distance, sec.footer_distance = Cm(1.5), Cm(2.0)

    normal = d.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_east_asian_font(normal.element, BODY_FONT)
    lang = normal.element.get_or_add_rPr()
    lang.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="zh-CN"/>'))
    pf = normal.paragraph_format
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)

    for name, font, level in (("Heading 1", H1_FONT, 0), ("Heading 2", H2_FONT, 1), ("Heading 3", BODY_FONT, 2)):
        st = d.styles[name]
        st.font.size = Pt(BODY_PT)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = None
        set_east_asian_font(st.element, font)
        rpr = st.element.get_or_add_rPr()
        for tag in ("w:color", "w:i", "w:iCs"):
            for el in rpr.findall(qn(tag)):
                rpr.remove(el)
        spf = st.paragraph_format
        spf.space_before = spf.space_after = Pt(0)
        spf.line_spacing = Pt(LINE_PT)
        spf.first_line_indent = Pt(2 * BODY_PT)
        spf.keep_with_next = True
        _insert_ppr(st.element.get_or_add_pPr(), outline_lvl(level))

    cp = d.core_properties
    cp.title = report.title or report.header
    cp.author = cp.last_modified_by = report.author
    when = dt.datetime.fromisoformat(report.created.replace("Z", "+00:00")).replace(tzinfo=None)
    cp.created = cp.modified = when
    cp.revision = 3
    return d


def add_header_footer(d, header_text: str) -> None:
    sec = d.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = header_text
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r in hp.runs:
        r.font.size = Pt(9)
    _insert_ppr(hp._p.get_or_add_pPr(), parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'))

    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("- ")
    for kind in ("begin", None, "separate", "1", "end"):
        run = fp.add_run()
        if kind in ("begin", "separate", "end"):
            run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"/>'))
        elif kind is None:
            run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
        else:
            run.text = kind
    fp.add_run(" -")
    for r in fp.runs:
        r.font.size = Pt(14)


def add_bookmarked_text(paragraph, text: str, offset: int, name: str, bm_id: int = 0) -> None:
    """Text with a zero-width bookmark (w:bookmarkStart/End) at `offset`, like Word's _GoBack."""
    if text[:offset]:
        paragraph.add_run(text[:offset])
    p = paragraph._p
    p.append(parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{bm_id}" w:name="{name}"/>'))
    p.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{bm_id}"/>'))
    if text[offset:]:
        paragraph.add_run(text[offset:])


# ---------------------------------------------------------------- tables


def _shade_none(cell):
    pass


def add_table(d, grid: Grid):
    """A Word table with real merges: horizontal spans become w:gridSpan, vertical w:vMerge."""
    placed, _ = grid.layout()
    t = d.add_table(rows=grid.n_rows, cols=grid.n_cols)
    t.style = d.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    if grid.widths_cm:
        for row in t.rows:
            for i, w in enumerate(grid.widths_cm):
                row.cells[i].width = Cm(w)
        for i, w in enumerate(grid.widths_cm):
            t.columns[i].width = Cm(w)
    for p in placed:
        cell = t.cell(p.row, p.col)
        if p.cell.cs > 1 or p.cell.rs > 1:
            cell = cell.merge(t.cell(p.row + p.cell.rs - 1, p.col + p.cell.cs - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        lines = p.cell.text.split("\n")
        para = cell.paragraphs[0]
        for i, line in enumerate(lines):
            if i:
                para = cell.add_paragraph()
            para.alignment = ALIGN[p.cell.align]
            pf = para.paragraph_format
            pf.first_line_indent = Pt(0)
            pf.line_spacing = 1.0
            if line:
                run = para.add_run(line)
                run.font.size = Pt(grid.font_pt)
                run.bold = p.cell.bold
                set_east_asian_font(run._r, TABLE_FONT)
    for r in range(grid.header_rows):
        trpr = t.rows[r]._tr.get_or_add_trPr()
        trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    return t


# ---------------------------------------------------------------- report writer


class DocxWriter:
    def __init__(self, report: Report):
        self.report = report
        self.d = new_document(report)
        add_header_footer(self.d, report.header)
        numbering = Numbering(self.d)
        self.heading_num = None
        if report.auto_numbering:
            # level 0 via the Heading 1 style, level 1 via numPr on each paragraph
            self.heading_num = numbering.add(
                [
                    {"fmt": "chineseCounting", "text": "%1、", "pstyle": "Heading1"},
                    {"fmt": "chineseCounting", "text": "（%2）"},
                ],
                nsid="5A3C1E01",
                name="报告标题编号",
            )
            st = self.d.styles["Heading 1"].element
            _insert_ppr(st.get_or_add_pPr(), num_pr(self.heading_num, 0))
        self._numbering = numbering
        self._lists: dict[str, int] = {}
        self._bm_id = 0

    def list_num(self, key: str) -> int:
        if key not in self._lists:
            self._lists[key] = self._numbering.add(
                [{"fmt": "decimal", "text": "%1、"}], nsid=f"6B{len(self._lists):06X}", name=f"列表{key}")
        return self._lists[key]

    def heading(self, h: Heading) -> None:
        style = ("Heading 1", "Heading 2", "Heading 3", "Heading 3")[h.level]
        auto = self.report.auto_numbering and h.level <= 1
        text = (h.text if auto else h.label + h.text)
        para = self.d.add_paragraph(style=style)
        para.add_run(text)
        if h.run_in:
            r = para.add_run(h.run_in)
            r.bold = False
            set_east_asian_font(r._r, BODY_FONT)
        if auto and h.level == 1:
            _insert_ppr(para._p.get_or_add_pPr(), num_pr(self.heading_num, 1))
        if h.level >= 2:
            _insert_ppr(para._p.get_or_add_pPr(), outline_lvl(h.level))

    def para(self, p: Para, list_key: str) -> None:
        para = self.d.add_paragraph()
        if p.bookmark:
            add_bookmarked_text(para, p.text, p.bookmark[0], p.bookmark[1], self._bm_id)
            self._bm_id += 1
        elif p.text:
            para.add_run(p.text)
        para.alignment = ALIGN[p.align]
        if p.indent and p.align in ("justify", "left"):
            para.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        if p.list_label is not None:
            _insert_ppr(para._p.get_or_add_pPr(), num_pr(self.list_num(list_key), 0))
        for r in para.runs:
            if p.bold:
                r.bold = True
            if p.size_pt:
                r.font.size = Pt(p.size_pt)
            if p.font:
                set_east_asian_font(r._r, p.font)

    def write(self, path: Path) -> None:
        list_key = 0
        in_list = False
        for b in self.report.blocks:
            if isinstance(b, Para) and b.list_label is not None:
                if not in_list:
                    list_key += 1
                in_list = True
            else:
                in_list = False
            if isinstance(b, Heading):
                self.heading(b)
            elif isinstance(b, Para):
                self.para(b, str(list_key))
            elif isinstance(b, PageBreak):
                self.d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            elif isinstance(b, TableBlock):
                add_table(self.d, b.grid)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.d.save(path)
        normalise_zip(path)


def normalise_zip(path: Path) -> None:
    """Fixed timestamps inside the .docx so rebuilding gives identical bytes."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=(2025, 4, 10, 9, 12, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def write_docx(report: Report, path: Path) -> None:
    DocxWriter(report).write(path)
