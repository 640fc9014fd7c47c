"""The department that wrote a report and the year it reports on.

Evidence in order of trust: a title line ("XX局2024年度部门整体支出绩效自评报告"), a 部门（单位）名称 field,
then the body: the unit named most often, not counting the finance bureau whose notice it cites
("根据XX财政局《关于开展…的通知》"); and the year written most often.
"""

from __future__ import annotations

import re
from collections import Counter

from ..cjk import chinese_to_int
from ..records import Document

_UNIT_SUFFIX = r"(?:局|委员会|委|办公室|办|中心|院|馆|所|站|厅|队|会|学校|医院|部|处|社|团)"
_TITLE = re.compile(
    rf"(?P<dept>[\u4e00-\u9fff（）()]{{2,30}}?{_UNIT_SUFFIX})\s*(?P<year>(?:19|20)\d{{2}}|[〇零一二]{{1}}[〇零一二三四五六七八九]{{3}})年度?"
    r".{0,20}?(?:绩效|自评|评价)"
)
_NAME_FIELD = re.compile(rf"(?:部门|单位|部门（单位）|部门\(单位\))名称\s*[:：]?\s*(?P<dept>[\u4e00-\u9fff（）()]{{2,30}}{_UNIT_SUFFIX})")
_NAME_CHAR = r"[^\W\d_年的在以和与为及对是]"  # not a particle or preposition: those end a name
# a unit named in the body: a place (…市/区/县) and a unit name, starting a phrase (after 年, 《, “ or punctuation)
_BODY_UNIT = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|(?<=[年《“]))"
    rf"(?P<dept>(?:{_NAME_CHAR}{{2,4}}?(?:省|市|区|县|州|旗))+{_NAME_CHAR}{{1,10}}?{_UNIT_SUFFIX})"
)
_CITING = ("根据", "按照", "依据", "会同", "由")
_YEAR = re.compile(r"(?<![\d〔\[(（])(?P<year>(?:19|20)\d{2})年")
_HEAD_BLOCKS = 5  # a title is one of the first paragraphs


def _paragraphs(document: Document) -> list[str]:
    return [block.text for block in document.blocks if block.kind == "paragraph" and not block.in_table_of_contents]


def _year_value(raw: str) -> int:
    return int(raw) if raw.isdigit() else chinese_to_int(raw)


def find_department_and_year(document: Document) -> tuple[str | None, int | None]:
    texts = _paragraphs(document)
    for text in texts[:_HEAD_BLOCKS]:
        if match := _TITLE.search(text):
            return match["dept"], _year_value(match["year"])
    department = None
    for block in document.blocks:  # the name field may sit in a table cell as well as in a paragraph
        if match := _NAME_FIELD.search(block.text):
            department = match["dept"]
            break
    return department or _body_department(texts), _body_year(texts)


def _body_department(texts: list[str]) -> str | None:
    counts: Counter[str] = Counter()
    for text in texts:
        for match in _BODY_UNIT.finditer(text):
            following = text[match.end() : match.end() + 2]
            cited = match["dept"].startswith(_CITING) or text[: match.start()].endswith(_CITING)
            if cited or following.startswith(("《", "关于")):
                continue  # the finance bureau whose notice is cited, not the author
            counts[match["dept"]] += 1
    return counts.most_common(1)[0][0] if counts else None


def _body_year(texts: list[str]) -> int | None:
    counts = Counter(int(m["year"]) for text in texts for m in _YEAR.finditer(text))
    return counts.most_common(1)[0][0] if counts else None
