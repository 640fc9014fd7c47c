""".docx: body paragraphs and tables in reading order, Word auto-numbering rendered into the text.

`ooxml.open_package` vets the package and parses only the three parts we read (document, styles,
numbering) as plain lxml trees: python-docx offers no API for numbering labels, fields, content
controls, tracked changes or bookmarks, and would parse every other part too. python-docx still
gives the relationship and content type names, and the UI names of built-in styles.

Text conventions (shared with the other readers, so a .docx and its .txt read alike):
- `Block.text` of a paragraph is label + separator + text, stripped. The separator follows w:suff
  (nothing -> "", tab/space -> " "), except that a label ending in full-width punctuation
  (一、 （二）) takes none: "一、单位基本情况".
- w:tab is one space; a line break (w:br, w:cr) is "\n"; page and column breaks are nothing.
- Kept: hyperlinks, content controls, smart tags, custom XML, insertions, field results.
  Dropped: deletions, field codes (instrText), hidden runs (w:vanish), text boxes and drawings,
  headers, footers, comments, footnotes.
- An empty paragraph makes no block, but a numbered one still consumes its number, as in Word.
- A table's `Block.text` is its origin cells, tab-separated, one line per row; a cell's own
  paragraphs are joined by "\n" in `Cell.text` and by " " in the block text. Nested tables are
  flattened into their cell's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.styles import BabelFish
from lxml import etree

from ..errors import ReadError
from ..patterns import lazy
from ..records import Artifact, Cell, Document, Numbering, Table
from .numbering import NumberingDefinitions, NumberingRenderer
from .ooxml import MC, Package, W, int_val, is_on, open_package

P, R, T, BR, TBL, TR, TC = (W + tag for tag in ("p", "r", "t", "br", "tbl", "tr", "tc"))
PPR, RPR, TRPR, TCPR = W + "pPr", W + "rPr", W + "trPr", W + "tcPr"
P_STYLE, OUTLINE_LVL, NUM_PR, VANISH = W + "pStyle", W + "outlineLvl", W + "numPr", W + "vanish"
SDT, SDT_CONTENT, CUSTOM_XML = W + "sdt", W + "sdtContent", W + "customXml"
BOOKMARK_START, FLD_CHAR, INSTR_TEXT = W + "bookmarkStart", W + "fldChar", W + "instrText"
# containers whose children are read as if they stood in the parent
_TRANSPARENT = {SDT_CONTENT, CUSTOM_XML, W + "smartTag", W + "ins", W + "moveTo", W + "hyperlink",
                W + "fldSimple", W + "dir", W + "bdo", MC + "AlternateContent", MC + "Choice"}  # fmt: skip
_RUN_TEXT = {W + "tab": " ", W + "ptab": " ", W + "cr": "\n", W + "noBreakHyphen": "-"}
_BODY_OUTLINE = 9  # w:outlineLvl 9 = body text, no outline level
_TOC_STYLE = lazy(r"^(toc|目录)\s*\d", re.IGNORECASE)
_GO_BACK = "_GoBack"

# The walk below looks children up with `_first` and `_by_tag` rather than lxml's `find`: `find` goes
# through ElementPath in Python and costs several times a loop over the few children of a pPr, rPr or tcPr.


def _first(element: etree._Element, tag: str) -> etree._Element | None:
    """`element.find(tag)` for a plain tag: the first child with it."""
    for child in element:
        if child.tag == tag:
            return child
    return None


def _by_tag(element: etree._Element | None) -> dict:
    """The first child of each tag, in one pass: for several `_first` lookups in the same element."""
    found: dict = {}
    if element is not None:
        for child in element:
            found.setdefault(child.tag, child)
    return found


class Props(NamedTuple):
    """Paragraph and run properties we keep, from a style, a paragraph's pPr or a run's rPr.

    `under(base)` fills what is unset from `base`: direct formatting over the style chain.
    """

    outline_level: int | None = None
    num_id: int | None = None
    ilvl: int | None = None
    bold: bool | None = None
    font_size: float | None = None
    font_name: str | None = None

    def under(self, base: Props) -> Props:
        return Props._make(own if own is not None else inherited for own, inherited in zip(self, base))

    @staticmethod
    def of(ppr: dict, rpr: dict) -> Props:
        """From the children of a pPr and of an rPr, as `_by_tag` gives them."""
        num_pr = _by_tag(ppr.get(NUM_PR))
        half_points = int_val(rpr.get(W + "sz"))
        fonts = rpr.get(W + "rFonts")
        return Props(
            outline_level=int_val(ppr.get(OUTLINE_LVL)),
            num_id=int_val(num_pr.get(W + "numId")),
            ilvl=int_val(num_pr.get(W + "ilvl")),
            bold=is_on(rpr.get(W + "b")),
            font_size=half_points / 2 if half_points is not None else None,
            font_name=None if fonts is None else fonts.get(W + "eastAsia") or fonts.get(W + "ascii"),
        )


class StyleSheet:
    """styles.xml: each paragraph style's properties resolved through its basedOn chain, once."""

    def __init__(self, root: etree._Element | None):
        self._elements: dict[str | None, etree._Element] = {}
        self.default_paragraph_style: str | None = None
        defaults = Props()
        if root is not None:
            for style in root.iterfind(W + "style"):
                style_id = style.get(W + "styleId")
                self._elements[style_id] = style
                if style.get(W + "type") == "paragraph" and style.get(W + "default") in ("1", "true", "on"):
                    self.default_paragraph_style = style_id
            defaults = Props.of(_by_tag(root.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")),
                                _by_tag(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")))  # fmt: skip
        self._defaults = defaults
        self._resolved: dict[str | None, Props] = {}
        self._names: dict[str | None, str | None] = {}

    def name(self, style_id: str | None) -> str | None:
        """The style's name as Word's UI shows it ("Heading 1" for the stored "heading 1")."""
        if style_id not in self._names:
            element = self._elements.get(style_id)
            name = None if element is None else element.find(W + "name")
            self._names[style_id] = None if name is None else BabelFish.internal2ui(name.get(W + "val", ""))
        return self._names[style_id]

    def props(self, style_id: str | None, visiting: frozenset[str | None] = frozenset()) -> Props:
        if style_id in self._resolved:
            return self._resolved[style_id]
        element = self._elements.get(style_id)
        if element is None or style_id in visiting:  # unknown style, or a basedOn cycle
            return self._defaults
        children = _by_tag(element)
        parent = children.get(W + "basedOn")
        base = self.props(None if parent is None else parent.get(W + "val"), visiting | {style_id})
        resolved = Props.of(_by_tag(children.get(PPR)), _by_tag(children.get(RPR))).under(base)
        self._resolved[style_id] = resolved
        return resolved

    def num_id(self, style_id: str) -> int:
        """The style's numId, 0 for none: numbering styles are how w:numStyleLink is resolved."""
        return (self.props(style_id).num_id or 0) if style_id in self._elements else 0


@dataclass
class _Field:
    in_code: bool = True  # between fldChar begin and separate: the instruction, not the result
    instruction: str = ""


@dataclass(slots=True)
class _Text:
    """Text of one paragraph as it is collected."""

    parts: list[str] = field(default_factory=list)
    go_back_offsets: list[int] = field(default_factory=list)
    first_run_rpr: etree._Element | None = None
    in_toc: bool = False


@dataclass(slots=True)
class _Paragraph:
    text: str
    artifacts: list[Artifact]
    numbering: Numbering | None
    style: dict | None  # keyword dict of a Style
    in_toc: bool


def _related_xml(package: Package, source: str, reltype: str) -> etree._Element | None:
    """The part related to `source` by `reltype`, parsed; None when there is no such relationship."""
    try:
        target = package.related(source, reltype)
    except KeyError:
        return None
    return package.xml(target)


class BodyReader:
    """Walks w:body once, in order, keeping the numbering counters and open fields as it goes.

    Blocks, their styles and table cells are kept as the keyword dicts of `Block`, `Style` and `Cell`:
    `Document` validates them in one call at the end, far quicker than a model built per cell.
    """

    def __init__(self, styles: StyleSheet, numbering: NumberingDefinitions):
        self.styles = styles
        self.definitions = numbering
        self.renderer = NumberingRenderer(numbering)
        self.blocks: list[dict] = []
        self._fields: list[_Field] = []  # complex fields may span paragraphs (a TOC does)
        self._in_field_code = False  # recomputed at each w:fldChar, read at every run child
        self._in_toc_field = False

    # ---------------------------------------------------------------- block level

    def read_blocks(self, container: etree._Element, in_toc: bool = False) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                paragraph = self._paragraph(child, in_toc)
                if paragraph.text:
                    self.blocks.append(dict(index=len(self.blocks), kind="paragraph", text=paragraph.text,
                                            style=paragraph.style, numbering=paragraph.numbering,
                                            artifacts=paragraph.artifacts,
                                            in_table_of_contents=paragraph.in_toc))  # fmt: skip
            elif tag == TBL:
                table = self._table(child)
                self.blocks.append(dict(index=len(self.blocks), kind="table", text=_table_text(table), table=table))
            elif tag == SDT:
                gallery = child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
                is_toc = gallery is not None and "Table of Contents" in gallery.get(W + "val", "")
                for content in child.iterfind(SDT_CONTENT):
                    self.read_blocks(content, in_toc or is_toc)
            elif tag in _TRANSPARENT:
                self.read_blocks(child, in_toc)

    # ---------------------------------------------------------------- paragraphs

    def _paragraph(self, p: etree._Element, in_toc: bool = False, with_style: bool = True) -> _Paragraph:
        """Text, label and artifacts of `p`; its Style too unless `with_style` is off (table cells)."""
        collected = _Text(in_toc=self._in_toc_field)
        ppr = None
        for child in p:  # the text first: it does not depend on the label, and this pass finds the pPr
            tag = child.tag
            if tag == PPR:
                ppr = child if ppr is None else ppr
            else:
                self._inline(child, tag, collected)
        own = _by_tag(ppr)
        style_el = own.get(P_STYLE)
        style_id = self.styles.default_paragraph_style if style_el is None else style_el.get(W + "val")
        props = self.styles.props(style_id)
        if OUTLINE_LVL in own or NUM_PR in own:  # otherwise the pPr sets nothing we keep
            props = Props.of(own, {}).under(props)
        label = None
        if props.num_id:  # numId 0 means numbering removed
            ilvl = props.ilvl if props.ilvl is not None else self.definitions.level_for_style(props.num_id, style_id)
            label = self.renderer.next_label(props.num_id, ilvl)
        raw = "".join(collected.parts)
        body = raw.strip()
        prefix = label.numbering.label + label.separator if label and body else ""
        lead = len(raw) - len(raw.lstrip())
        artifacts = [
            Artifact(
                kind="bookmark",
                raw=f"[bookmark: {_GO_BACK}]",
                offset=len(prefix) + min(max(offset - lead, 0), len(body)),
            )
            for offset in collected.go_back_offsets
        ]
        style = None
        if with_style:
            name = self.styles.name(style_id)
            look = Props.of({}, _by_tag(collected.first_run_rpr)).under(props)
            style = dict(name=name, outline_level=None if look.outline_level == _BODY_OUTLINE else look.outline_level,
                         bold=look.bold, font_size=look.font_size, font_name=look.font_name)  # fmt: skip
            in_toc = in_toc or bool(name and _TOC_STYLE.match(name))
        return _Paragraph(
            prefix + body, artifacts, label.numbering if label else None, style, in_toc or collected.in_toc
        )

    def _inline(self, child: etree._Element, tag: str, text: _Text) -> None:
        """One child of a paragraph, or of an inline container in it."""
        if tag == R:
            self._run(child, text)
        elif tag in _TRANSPARENT or tag == SDT:
            for grandchild in child:
                self._inline(grandchild, grandchild.tag, text)
        elif tag == BOOKMARK_START and child.get(W + "name") == _GO_BACK:
            text.go_back_offsets.append(sum(map(len, text.parts)))
        # anything else (w:del, w:moveFrom, sdtPr, mc:Fallback, math, comments) carries no body text

    def _run(self, run: etree._Element, text: _Text) -> None:
        children = list(run)  # walked twice: the proxies are made once
        rpr = None
        for child in children:
            if child.tag == RPR:
                rpr = child
                break
        if rpr is not None and is_on(_first(rpr, VANISH)):
            return
        for child in children:
            tag = child.tag
            if tag == FLD_CHAR:
                self._field_char(child.get(W + "fldCharType"))
            elif tag == INSTR_TEXT:
                if self._fields:
                    self._fields[-1].instruction += child.text or ""
            elif self._in_field_code:
                continue
            elif tag == T:
                value = child.text or ""
                if text.first_run_rpr is None and value.strip():
                    text.first_run_rpr = rpr
                text.parts.append(value)
            elif tag == BR:
                if child.get(W + "type", "textWrapping") == "textWrapping":
                    text.parts.append("\n")
            elif tag in _RUN_TEXT:
                text.parts.append(_RUN_TEXT[tag])
            else:
                continue
            text.in_toc = text.in_toc or self._in_toc_field

    def _field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self._fields.append(_Field())
        elif kind == "separate" and self._fields:
            self._fields[-1].in_code = False
        elif kind == "end" and self._fields:
            self._fields.pop()
        self._in_field_code = any(f.in_code for f in self._fields)
        self._in_toc_field = any(not f.in_code and f.instruction.split()[:1] == ["TOC"] for f in self._fields)

    # ---------------------------------------------------------------- tables

    def _table(self, tbl: etree._Element) -> dict:
        """The keyword dict of a `Table`, its cells as keyword dicts of `Cell`."""
        cells: list[dict] = []
        open_vertical: dict[int, dict] = {}  # grid column -> origin cell of a vertical merge still open
        rows = list(_children(tbl, TR))
        n_cols = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
        for row_index, tr in enumerate(rows):
            col = int_val(_grid_before(tr), 0)
            for tc in _children(tr, TC):
                tcpr = _by_tag(_first(tc, TCPR))
                span = max(int_val(tcpr.get(W + "gridSpan"), 1), 1)
                v_merge = tcpr.get(W + "vMerge")
                continues = v_merge is not None and v_merge.get(W + "val", "continue") == "continue"
                if continues and col in open_vertical:
                    origin = open_vertical[col]
                    origin["row_span"] = row_index - origin["row"] + 1
                else:
                    cell = dict(row=row_index, col=col, text=self._cell_text(tc), col_span=span)
                    cells.append(cell)
                    if v_merge is not None:
                        open_vertical[col] = cell
                    else:
                        open_vertical.pop(col, None)
                col += span
            n_cols = max(n_cols, col)
        return dict(n_rows=len(rows), n_cols=n_cols, cells=cells)

    def _cell_text(self, container: etree._Element) -> str:
        lines = []
        for child in container:
            if child.tag == P:
                lines.append(self._paragraph(child, with_style=False).text)
            elif child.tag == TBL:  # a nested table, flattened
                lines.append(_table_text(self._table(child)))
            elif child.tag in (SDT, CUSTOM_XML, SDT_CONTENT):
                lines.append(self._cell_text(child))
        return "\n".join(line for line in lines if line)


def _children(element: etree._Element, tag: str):
    """Children with `tag`, looking through content controls and custom XML wrapped around them."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, SDT_CONTENT, CUSTOM_XML):
            yield from _children(child, tag)


def _grid_before(tr: etree._Element) -> etree._Element | None:
    """`tr.find("w:trPr/w:gridBefore")`: the grid columns a row leaves empty before its first cell."""
    for child in tr:
        if child.tag == TRPR and (found := _first(child, W + "gridBefore")) is not None:
            return found
    return None


def _table_text(table: dict) -> str:
    # the table is still a dict here (validated once, with the whole document): construct without checks
    cells = [Cell.model_construct(**cell) for cell in table["cells"]]
    return Table.model_construct(n_rows=table["n_rows"], n_cols=table["n_cols"], cells=cells).text()


def read(path: Path, data: bytes) -> Document:
    package = open_package(path, data, "word/document")
    try:
        document_part = package.related("/", RT.OFFICE_DOCUMENT)
        if package.content_type(document_part) != CT.WML_DOCUMENT_MAIN:
            raise ReadError(path, "not a Word document", "unsupported")
        body = package.xml(document_part).find(W + "body")
        styles_xml = _related_xml(package, document_part, RT.STYLES)
        numbering_xml = _related_xml(package, document_part, RT.NUMBERING)
    except KeyError:  # a part named in a relationship is not in the zip, or has no content type
        raise ReadError(path, "corrupt .docx: a package part is missing", "corrupt") from None
    except ValueError:  # e.g. two main documents
        raise ReadError(path, "corrupt .docx", "corrupt") from None
    except etree.LxmlError as error:
        raise ReadError(path, f"corrupt .docx: malformed XML ({error})", "corrupt") from None
    try:
        styles = StyleSheet(styles_xml)
        reader = BodyReader(styles, NumberingDefinitions(numbering_xml, styles.num_id))
        if body is not None:
            reader.read_blocks(body)
    except (ValueError, etree.LxmlError) as error:  # never TypeError/KeyError: those are bugs of ours
        raise ReadError(
            path, f"corrupt .docx: {error.__class__.__name__} in the document structure", "corrupt"
        ) from None
    if not reader.blocks:
        raise ReadError(path, "empty .docx: no text", "empty")
    # the blocks are dicts, validated once with the whole document (cheaper than a model per block)
    return Document(path=str(path), sha256="", format="docx", blocks=reader.blocks)  # type: ignore[arg-type]
