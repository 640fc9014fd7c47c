"""The department that wrote a report and the year it reports on.

Evidence in order of trust: a title line ("XX局2024年度部门整体支出绩效自评报告", "XX局2024年度部门决算", also
over two lines of a cover), a 部门（单位）名称 field,
then the body: the unit named most often, not counting the finance bureau whose notice it cites
("根据XX财政局《关于开展…的通知》"); and the year written most often.
"""

from __future__ import annotations

import re
from collections import Counter

from ..cjk import chinese_to_int
from ..config import Config, derived
from ..patterns import lazy
from ..records import Document
from .numbers import longest_first

_NAME_CHAR = r"[^\W\d_年的在以和与为及对是]"  # not a particle or preposition: those end a name


@derived
def _patterns(config: Config) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The title line, the 名称 field and a unit named in the body, ending in a unit word from the lexicon. Each
    compiles on first use: the CJK range of each costs more to compile than reading a short document's figures."""
    words = config.lexicon["label_words"]["department"]
    suffix = f"(?:{longest_first(words['unit_suffixes'])})"
    places = f"(?:{longest_first(words['place_suffixes'])})"
    title = lazy(
        rf"(?P<dept>[\u4e00-\u9fff（）()]{{2,30}}?{suffix})\s*(?P<year>(?:19|20)\d{{2}}|[〇零一二]{{1}}[〇零一二三四五六七八九]{{3}})年度?"
        r".{0,20}?(?:绩效|自评|评价|决算|预算)"
    )
    name_field = lazy(
        rf"(?:部门|单位|部门（单位）|部门\(单位\))名称\s*[:：]?\s*(?P<dept>[\u4e00-\u9fff（）()]{{2,30}}{suffix})"
    )
    # a place (…市/区/县) and a unit name, starting a phrase (after 年, 《, “ or punctuation)
    body_unit = lazy(
        r"(?:(?<![\u4e00-\u9fff])|(?<=[年《“]))"
        rf"(?P<dept>(?:{_NAME_CHAR}{{2,4}}?{places})+{_NAME_CHAR}{{1,10}}?{suffix})"
    )
    return title, name_field, body_unit


_YEAR = lazy(r"(?<![\d〔\[(（])(?P<year>(?:19|20)\d{2})年")
_HEAD_BLOCKS = 5  # a title is one of the first paragraphs


def _paragraphs(document: Document) -> list[str]:
    return [block.text for block in document.blocks if block.kind == "paragraph" and not block.in_table_of_contents]


def _year_value(raw: str) -> int:
    return int(raw) if raw.isdigit() else chinese_to_int(raw)


def find_department_and_year(config: Config, document: Document) -> tuple[str | None, int | None]:
    texts = _paragraphs(document)
    head = texts[:_HEAD_BLOCKS]
    # a cover prints the name and "2024年度部门决算" on lines of their own: a title may span two paragraphs
    for text in [*head, *(first + second for first, second in zip(head, head[1:]))]:
        if "年" in text and (match := _patterns(config)[0].search(text)):  # a title prints its year (…年度)
            return match["dept"], _year_value(match["year"])
    department = None
    for block in document.blocks:  # the name field may sit in a table cell as well as in a paragraph
        if "名称" in block.text and (match := _patterns(config)[1].search(block.text)):
            department = match["dept"]
            break
    return department or _body_department(config, texts), _body_year(texts)


def _body_department(config: Config, texts: list[str]) -> str | None:
    counts: Counter[str] = Counter()
    citing = tuple(config.lexicon["label_words"]["department"]["citing_words"])
    for text in texts:
        for match in _patterns(config)[2].finditer(text):
            following = text[match.end() : match.end() + 2]
            cited = match["dept"].startswith(citing) or text[: match.start()].endswith(citing)
            if cited or following.startswith(("《", "关于")):
                continue  # the finance bureau whose notice is cited, not the author
            counts[match["dept"]] += 1
    return counts.most_common(1)[0][0] if counts else None


def _body_year(texts: list[str]) -> int | None:
    counts = Counter(int(m["year"]) for text in texts for m in _YEAR.finditer(text))
    return counts.most_common(1)[0][0] if counts else None
