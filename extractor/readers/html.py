"""HTML as saved from government sites: the report body found among navigation, scripts and layout tables.

Parsed with lxml's HTML parser (never regexes). Scripts, styles, forms and navigation are dropped
by lxml_html_clean; the body is the element holding most of the page's paragraph text; inside it,
each paragraph-like element is a block and each data `<table>` a table block with its spans.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree
from lxml_html_clean import Cleaner

from ..errors import ReadError
from ..patterns import lazy
from ..records import Block, Document, Table
from .common import clean_paragraph
from .text import decode

_CLEANER = Cleaner(
    scripts=True,
    javascript=False,  # on* attributes and javascript: links carry no text; rewriting every link is slow
    comments=True,
    style=True,
    inline_style=True,
    links=True,
    meta=True,
    page_structure=False,
    processing_instructions=True,
    embedded=True,
    frames=True,
    forms=True,
    annoying_tags=True,
    remove_tags=(),
    kill_tags=["nav", "header", "footer", "aside", "noscript", "button", "select"],
    safe_attrs_only=False,
)
# class/id words of navigation and page furniture on government sites
_FURNITURE = lazy(r"nav|menu|breadcrumb|crumb|footer|header|sidebar|share|banner|toolbar|copyright|position", re.I)
_BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "div",
    "td",
    "th",
    "section",
    "article",
    "blockquote",
    "pre",
}
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"}
_BREAK = "\u2028"  # stands for <br> while the text is joined
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def _decode_html(path: Path, data: bytes) -> tuple[str, str]:
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in {"gb2312", "gbk"} else name  # GB18030 reads both and more
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall back to detection
    return decode(path, data)


def _is_furniture(element: etree._Element) -> bool:
    marker = f"{element.get('class', '')} {element.get('id', '')}"
    return bool(_FURNITURE.search(marker))


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


# compiled once: an XPath string is compiled again at every call, for every table and row of a long page
_ROWS = etree.XPath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
_CELLS = etree.XPath("./td | ./th")
_LAYOUT_CELLS = etree.XPath(".//td//table | .//th//table | .//td[count(.//br) > 2]")
_CONTAINER_CHILDREN = ("p", "div", "table")
_MARKED = etree.XPath("descendant-or-self::*[@class or @id]")


class _Seen:
    """What choosing the main container learnt of the page's tables, for walking it: whether each is a data
    table (both ask it of the same tables) and the text of each cell (both read it). The walk changes no table it has yet to read: only the
    paragraphs it has read (their <br>s)."""

    def __init__(self) -> None:
        self._data_tables: dict[etree._Element, bool] = {}
        self._cell_texts: dict[etree._Element, str] = {}

    def cell_text(self, cell: etree._Element) -> str:
        """A table cell's text, read once: choosing the container reads every <td>, the table reads it again."""
        text = self._cell_texts.get(cell)
        if text is None:
            text = self._cell_texts[cell] = _text(cell)
        return text

    def is_data_table(self, table: etree._Element) -> bool:
        if table not in self._data_tables:
            self._data_tables[table] = _is_data_table(table)
        return self._data_tables[table]


def _is_data_table(table: etree._Element) -> bool:
    """A layout table is a frame (one row or one column) or holds paragraphs, line-broken text or other
    tables in its cells; a data table is a grid of short cells."""
    rows = _ROWS(table)
    if len(rows) < 2 or max(len(_CELLS(row)) for row in rows) < 2:
        return False
    if _LAYOUT_CELLS(table):
        return False
    # ".//td//p[string-length(normalize-space()) > 60]" in XPath: libxml2 takes quadratic time on a long table
    return not any(_normalized_length("".join(p.itertext())) > 60 for cell in table.iter("td") for p in cell.iter("p"))


_XML_SPACE = lazy(r"[ \t\r\n]+")


def _normalized_length(text: str) -> int:
    """The length of XPath's normalize-space(text): XML whitespace runs made one space, none at either end."""
    return len(" ".join(part for part in _XML_SPACE.split(text) if part))


def _inside_furniture(body: etree._Element) -> set[etree._Element]:
    """Every element inside navigation or page furniture, found top-down in one pass (asking each element's
    ancestors is quadratic on a deep page)."""
    parent = body.getparent()
    if parent is not None and _is_furniture(parent):
        return set(body.iter())
    inside: set[etree._Element] = set()
    # only an element with a class or an id can be furniture: those found in document order (a furniture
    # element's descendants after it, already inside), everything under each furniture element added once
    for element in _MARKED(body):
        if element not in inside and _is_furniture(element):
            inside.update(element.iterdescendants())
    return inside


def _main_container(body: etree._Element, seen: _Seen) -> etree._Element:
    """The element whose paragraphs and data tables carry the most text (readability's idea, kept small)."""
    scores: dict[etree._Element, int] = {}
    furniture = _inside_furniture(body)
    for element in body.iter("p", "li", "h1", "h2", "h3", "h4", "div", "td", "table"):
        parent = element.getparent()
        if parent is None or element in furniture:
            continue
        if element.tag in ("div", "td") and any(child.tag in _CONTAINER_CHILDREN for child in element):
            continue  # a container, not a paragraph
        if element.tag == "table" and not seen.is_data_table(element):
            continue
        text = seen.cell_text(element) if element.tag == "td" else _text(element)
        scores[parent] = scores.get(parent, 0) + len(text)
    if not scores:
        return body
    best = max(scores, key=scores.__getitem__)
    total = sum(scores.values())
    # climb while the chosen element holds too little of the page's text (the article is split in parts)
    covered = scores[best]
    if covered < 0.6 * total:
        below: dict[etree._Element, int] = {}  # element -> the score of everything under it, itself included
        for element, score in scores.items():
            for holder in (element, *element.iterancestors()):
                below[holder] = below.get(holder, 0) + score
        while covered < 0.6 * total and best.getparent() is not None and best is not body:
            best = best.getparent()
            covered = below.get(best, 0)
    return best


_SPAN = lazy(r"\s*(\d+)")


def _span(value: str | None) -> int:
    """A rowspan/colspan as browsers read it: its leading digits ("2px" is 2), at least 1."""
    if value is None:
        return 1  # most cells: no span attribute, no pattern to run
    digits = _SPAN.match(value)
    return max(1, int(digits.group(1))) if digits else 1


def _table(table: etree._Element, seen: _Seen) -> Table:
    cells: list[dict] = []
    # the positions of later rows that cells spanning down from above occupy; a row's own cells need no entry
    # (its column only moves right, past them)
    occupied: set[tuple[int, int]] = set()
    row_width: dict[int, int] = {}  # row -> one past its last occupied column
    rows = _ROWS(table)
    for r, row in enumerate(rows):
        c = 0
        for cell in _CELLS(row):
            while (r, c) in occupied:
                c += 1
            row_span, col_span = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            row_span = min(row_span, len(rows) - r)
            # validated with the table, in one call: a Cell built apiece costs twice as much on a long table
            cells.append({"row": r, "col": c, "text": seen.cell_text(cell), "row_span": row_span, "col_span": col_span})
            for dr in range(1, row_span):
                for dc in range(col_span):
                    occupied.add((r + dr, c + dc))
                row_width[r + dr] = max(row_width.get(r + dr, 0), c + col_span)
            c += col_span
        if c:
            row_width[r] = max(row_width.get(r, 0), c)
    n_cols = max((width for row, width in row_width.items() if row < len(rows)), default=0)
    return Table.model_validate({"n_rows": len(rows), "n_cols": n_cols, "cells": cells})


def _walk(element: etree._Element, blocks: list[Block], seen: _Seen) -> None:
    for child in element:
        if not isinstance(child.tag, str) or _is_furniture(child):
            continue
        if child.tag == "table":
            if seen.is_data_table(child):
                table = _table(child, seen)
                if table.cells:
                    blocks.append(Block(index=len(blocks), kind="table", text=table.text(), table=table))
            else:
                _walk(child, blocks, seen)
            continue
        has_blocks = any(isinstance(g.tag, str) and (g.tag in _BLOCK_TAGS or g.tag == "table") for g in child)
        if child.tag in _PARAGRAPH_TAGS or (child.tag in _BLOCK_TAGS and not has_blocks):
            for line in _lines(child):
                clean, artifacts = clean_paragraph(line)
                if clean:
                    blocks.append(Block(index=len(blocks), kind="paragraph", text=clean, artifacts=artifacts))
        else:
            _walk(child, blocks, seen)
        if child.tail and child.tail.strip() and element.tag not in ("tr", "table"):
            blocks.append(Block(index=len(blocks), kind="paragraph", text=" ".join(child.tail.split())))


def _lines(element: etree._Element) -> list[str]:
    """A paragraph's text, split where the page itself breaks lines (`<br>`); source newlines are spaces."""
    for br in element.iter("br"):
        br.tail = _BREAK + (br.tail or "")
    for anchor in element.iter("a"):
        if anchor.get("name") == "_GoBack":  # Word's last-edit bookmark, exported as an empty anchor
            anchor.text = "[bookmark: _GoBack]"
    return "".join(element.itertext()).split(_BREAK)


_FEED = 1 << 20  # characters per parser feed
# never report text: dropped as soon as they are parsed, so that a page padded with megabytes of scripts,
# styles or navigation never holds them in its tree
_DROPPED_WHILE_PARSING = ("script", "style", "noscript", "nav", "iframe", "select", "svg")


def _parse(text: str) -> etree._Element | None:
    """The page's tree, parsed in slices (a large page is never handed to the parser whole), with the
    elements that never hold report text dropped as they close."""
    parser = etree.HTMLPullParser(events=("end",), tag=_DROPPED_WHILE_PARSING, remove_comments=True)
    # lxml.html's elements (the cleaner drops tags with their methods), chosen in C: lxml.html's own lookup is a
    # Python call for every element Python touches, a million on a large page
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    for offset in range(0, len(text), _FEED):
        parser.feed(text[offset : offset + _FEED])
        for _, element in parser.read_events():
            _drop(element)
    root = parser.close()
    for _, element in parser.read_events():
        _drop(element)
    return root


def _drop(element: etree._Element) -> None:
    """Remove `element` and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def read(path: Path, data: bytes) -> Document:
    text, encoding = _decode_html(path, data)
    try:
        root = _parse(text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ReadError(path, f"not readable as HTML ({error})", "corrupt") from None
    if root is None:
        raise ReadError(path, "not readable as HTML (no document element)", "corrupt")
    del text
    _CLEANER(root)  # in place: clean_html would copy the whole tree first
    body = root.find("body") if root.find("body") is not None else root
    blocks: list[Block] = []
    seen = _Seen()
    _walk(_main_container(body, seen), blocks, seen)
    if not blocks:
        raise ReadError(path, "empty page: no report text found", "empty")
    return Document(path=str(path), sha256="", format="html", encoding=encoding, blocks=blocks)
