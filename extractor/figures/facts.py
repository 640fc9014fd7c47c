"""Money facts and KPIs of a whole document: prose figures with labels, keys, changes and 其中-structure,
plus the self-evaluation tables; ids in document order and the section each figure stands in.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from ..config import Config, derived
from ..kinds import title_text
from ..lexicon import declared_parts
from ..memo import one_document, per_document
from ..patterns import lazy
from ..records import (
    Block,
    Context,
    Document,
    DocumentKind,
    EvalTable,
    Fact,
    Kpi,
    Section,
    innermost_sections,
)
from .changes import as_change, stated_change
from .context import TableContexts, document_words, facts_contexts, item_subjects
from .kpis import Indicator, find_kpis
from .labels import (
    canonical_key,
    department_keys,
    fund_keys,
    label_and_estimate,
    label_before,
    normalize_label,
    parts_of,
    split_subjects,
    top_totals,
    with_object_of,
)
from .meta import find_department_and_year
from .numbers import (
    LOOK_BACK,
    Marks,
    Money,
    clause_start,
    find_change,
    find_money,
    find_zero_statements,
    link_lists,
    longest_first,
)
from .table_facts import generic_table_facts
from .totals import link_parallel_groups, link_totals_after_parts


@dataclass
class Figures:
    """What the figures stage gives a document."""

    facts: list[Fact] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    tables: list[EvalTable] = field(default_factory=list)
    department: str | None = None
    year: int | None = None


@dataclass
class _Paragraph:
    """The figures of one paragraph block, before ids are given."""

    block: Block
    facts: list[Fact] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    zeros: list[tuple[int, int, int]] = field(default_factory=list)  # start, end, decimals of "…为0"
    ends: dict[int, int] = field(default_factory=dict)  # id(fact) -> where its change ends, for one with a change


def extract_figures(
    config: Config, document: Document, sections: list[Section], kind: DocumentKind | None = None
) -> Figures:
    with one_document():  # the memos (extractor/memo.py) hold for every pass, tables included
        return _extract_figures(config, document, sections, kind)


def _extract_figures(config: Config, document: Document, sections: list[Section], kind: DocumentKind | None) -> Figures:
    section_of = innermost_sections(sections)
    paragraphs = [
        _read_paragraph(config, block)
        for block in document.blocks
        if block.kind == "paragraph" and not block.in_table_of_contents and block.text
    ]
    _add_zero_statements(config, paragraphs)
    _attach_stated_changes(config, paragraphs)
    _unkey_fund_sections(config, paragraphs, sections, section_of)
    parents, lists = _link_parts(config, paragraphs)
    for paragraph in paragraphs:
        link_totals_after_parts(config, paragraph.facts, paragraph.block.text, parents, lists)
        link_parallel_groups(paragraph.facts, paragraph.block.text, parents, lists)
    department, year = find_department_and_year(config, document)
    around = document_words(config, year, kind, department, title_text(document.blocks))
    contexts = facts_contexts(
        config,
        [(p.block, p.facts, [p.ends.get(id(f), f.end) for f in p.facts]) for p in paragraphs],
        parents,
        sections,
        {p.block.index: section_of.get(p.block.index) for p in paragraphs},
        item_subjects(config, document.blocks, sections),
        around,
    )
    facts = [fact for paragraph in paragraphs for fact in paragraph.facts]
    for fact in facts:
        fact.context = contexts[id(fact)]
    kpis = [kpi for paragraph in paragraphs for kpi in paragraph.kpis]
    tables, table_kpis = _self_evaluation_tables(config, document, sections)
    kpis.extend(table_kpis)
    kpis.sort(key=lambda kpi: (kpi.block, kpi.start if kpi.start is not None else -1))
    # table cells come after the prose: a prose figure keeps its id whether or not a table is read
    cells = list(generic_table_facts(config, document, {table.block for table in tables}, facts))
    class_tables = {cell.block for cell in cells if (cell.key or "").isdigit()}
    table_contexts = TableContexts(config, sections, around)
    for cell in cells:
        cell.context = table_contexts(cell, section_of.get(cell.block), cell.block in class_tables)
    facts.extend(cells)
    for number, fact in enumerate(facts, 1):
        fact.id = f"F{number}"
    first_of_list: dict[tuple, str] = {}
    for fact in facts:
        # parent and breakdown are None unless set: set only on a part (assigning a field the figure was not
        # built with grows the set of fields pydantic keeps for it to 2 KB, on every figure of a long report)
        if id(fact) in parents:
            fact.parent = parents[id(fact)].id
            fact.breakdown = first_of_list.setdefault(lists[id(fact)], fact.id)
        fact.section = _section_id(section_of, fact.block)
    for number, kpi in enumerate(kpis, 1):
        kpi.id = f"K{number}"
        kpi.section = kpi.section or _section_id(section_of, kpi.block)
    return Figures(facts=facts, kpis=kpis, tables=tables, department=department, year=year)


def _self_evaluation_tables(
    config: Config, document: Document, sections: list[Section]
) -> tuple[list[EvalTable], list[Kpi]]:
    """The self-evaluation tables of `document` and the KPIs of their indicator rows. Their reader (and the
    target parsing it builds on) is imported only for a document with tables: a report of prose alone has none."""
    if not document.has_tables():
        return [], []
    from .tables import extract_tables

    return extract_tables(config, document, sections)


def _attach_stated_changes(config: Config, paragraphs: list[_Paragraph]) -> None:
    """A change printed apart from its figure (after the figure's bracketed parts, or in a sentence of its own
    that repeats the figure's name) is that figure's change, not a figure: never a part of a sum."""
    before: list[Fact] = []
    for paragraph in paragraphs:
        kept: list[Fact] = []
        for fact in paragraph.facts:
            owner = None if fact.qualifier else stated_change(config, paragraph.block.text, fact, kept, before)
            if owner is not None and (owner.change is None or owner.change.amount is None):
                owner.change = as_change(config, paragraph.block.text, fact)
                continue
            kept.append(fact)
        paragraph.facts = kept
        before = kept or before


def _section_id(section_of: dict[int, Section], block: int) -> str | None:
    section = section_of.get(block)
    return section.id if section else None


def _unkey_fund_sections(
    config: Config, paragraphs: list[_Paragraph], sections: list[Section], section_of: dict[int, Section]
) -> None:
    """ "三、政府性基金预算支出情况 … 年末结转34.72万元": a department-wide key stated in a fund's section is that
    fund's quantity, not the department's; the figure keeps its label and loses the key."""
    by_id = {s.id: s for s in sections}
    for paragraph in paragraphs:
        section = section_of.get(paragraph.block.index)
        keys = set()
        while section:
            keys.add((section.key or "").split(".")[0])
            section = by_id.get(section.parent or "")
        if keys & fund_keys(config):
            for fact in paragraph.facts:
                if fact.key in department_keys(config):
                    fact.key = None


_SENTENCE_REACH = 400  # characters: a longer "sentence" is a run of text without full stops


class _Sentences(Marks):
    """The sentence ends of one paragraph, and the sentence last cut from it: the figures of a sentence, asked
    for in text order, share one string (a copy per figure costs a sentence of memory per figure; keeping
    every sentence cut costs memory per figure where no two share one, in text without full stops)."""

    def __init__(self, text: str, marks: str) -> None:
        super().__init__(text, marks)
        self.last_cut: tuple[int, int, str] = (-1, -1, "")


@per_document  # every figure and KPI of a paragraph asks for its sentence
def _sentences(config: Config, text: str) -> _Sentences:
    return _Sentences(text, config.lexicon["label_words"]["sentence_delimiters"])


def sentence_start(config: Config, text: str, position: int, reach: int = LOOK_BACK) -> int:
    window = max(0, position - reach)
    found = _sentences(config, text).last(window, position)
    return found + 1 if found >= 0 else window


def sentence_around(config: Config, text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], its closing mark included, at most _SENTENCE_REACH characters
    either side (every figure keeps its sentence: unbounded, text without full stops costs quadratic memory)."""
    sentences = _sentences(config, text)
    begin = sentence_start(config, text, start, _SENTENCE_REACH)
    limit = end + _SENTENCE_REACH
    stop = sentences.next(end)
    stop = stop + 1 if stop < min(limit, len(text)) else min(limit, len(text))
    if sentences.last_cut[:2] != (begin, stop):
        sentences.last_cut = (begin, stop, text[begin:stop].strip())
    return sentences.last_cut[2]


# ---------------------------------------------------------------- one paragraph


def _read_paragraph(config: Config, block: Block) -> _Paragraph:
    text = block.text
    paragraph = _Paragraph(block)
    money = find_money(config, text)
    link_lists(money, text)
    # the change clauses read so far, by start; and the furthest end of those starting before the figure
    change_spans: list[tuple[int, int]] = []
    reached = 0
    rates: list[Money] = []
    blank = Context()  # what each figure's context is until facts_contexts gives its own: one, not one each
    for figure in money:  # in text order
        while change_spans and change_spans[0][0] <= figure.start:
            reached = max(reached, heapq.heappop(change_spans)[1])
        if figure.end <= reached:
            continue  # "同比增加12.5万元": the amount of a change, not a figure of its own
        if figure.rate:
            rates.append(figure)
            continue
        # "236.80万元（含基本支出及项目支出经费），同比减少41.20万元": an aside does not part them
        aside = _ASIDE.match(text, figure.end)
        found, change_start = find_change(config, text, figure.end), figure.end
        if not found and aside:
            found, change_start = (
                find_change(config, text, aside.end()),
                aside.end(),
            )  # the aside's figures stay figures
        paragraph.facts.append(_fact(config, block, figure, found[0] if found else None, blank))
        if found:
            heapq.heappush(change_spans, (change_start, found[1]))
            paragraph.ends[id(paragraph.facts[-1])] = found[1]
    _label_lists(config, paragraph.facts, money)
    _complete_parallel_labels(config, paragraph.facts, text)
    indicators = find_kpis(config, text, [(m.start, m.end) for m in money])
    _label_indicators(config, indicators, paragraph.facts, text)
    paragraph.kpis = [_kpi(config, block, indicator) for indicator in indicators] + [
        _rate_kpi(config, block, m) for m in rates
    ]
    paragraph.kpis.sort(key=lambda kpi: kpi.start or 0)  # a prose KPI always has its start
    taken = [(m.start, m.end) for m in money] + [(i.start, i.end) for i in indicators]
    hints = config.lexicon["units"]["context"]["bare_unit_hints"]
    for start, end, decimals in find_zero_statements(text):
        label = label_before(config, text, _before_verb(text, start))
        names_money = label and (canonical_key(config, label) or any(hint in label for hint in hints))
        if names_money and not any(s < end and start < e for s, e in taken):
            paragraph.zeros.append((start, end, decimals))
    return paragraph


def _where(config: Config, block: Block, start: int, end: int) -> dict:
    """The provenance fields every prose figure carries; id and section are given once all are known."""
    sentence = sentence_around(config, block.text, start, end)
    return dict(
        id="",
        section=None,
        page=block.page_at(start),
        block=block.index,
        start=start,
        end=end,
        sentence=sentence,
        **block.ocr_at(start, end),
    )


def _before_verb(text: str, start: int) -> int:
    """Where the label of a zero statement ends: before the 为/是/： that states it ("因公出国（境）费为0"), which
    the tokenizer may have glued to the noun ("费为")."""
    end = start
    while end and text[end - 1].isspace():
        end -= 1
    return end - 1 if end and text[end - 1] in "为是:：" else start


def _fact(config: Config, block: Block, figure: Money, change, blank: Context, label_end: int | None = None) -> Fact:
    label, estimate = label_and_estimate(config, block.text, figure.start if label_end is None else label_end)
    return Fact(
        label=label,
        key=canonical_key(config, label),
        value=figure.value,
        value_max=figure.value_max,
        unit=figure.unit,
        currency=figure.currency,
        amount=figure.amount,
        decimals=figure.decimals,
        qualifier=figure.qualifier or estimate,
        change=change,
        context=blank,  # contexts are never changed in place: facts_contexts replaces it
        **_where(config, block, figure.start, figure.end),
    )


def _kpi(config: Config, block: Block, indicator: Indicator) -> Kpi:
    return Kpi(
        label=indicator.label,
        value=indicator.value,
        unit=indicator.unit,
        qualifier=indicator.qualifier,
        comparison=indicator.comparison,
        source="text",
        **_where(config, block, indicator.start, indicator.end),
    )


def _rate_kpi(config: Config, block: Block, figure: Money) -> Kpi:
    """ "补助标准800元/人": a price or standard is an indicator, never an amount to add up."""
    text, end = block.text, figure.start if figure.label_end is None else figure.label_end
    # "按县道每公里每年1.8万元": the rate is for what follows 按
    by = text.rfind("按", clause_start(config, text, end), end) + 1
    indicator = Indicator(
        figure.value,
        figure.rate or "",
        figure.start,
        figure.end,
        figure.qualifier,
        label=label_before(config, text[by:end], end - by),
    )
    return _kpi(config, block, indicator)


def _groups(items: list, list_ids: list[int | None]) -> list[list]:
    groups: dict[int, list] = {}
    for item, list_id in zip(items, list_ids):
        if list_id is not None:
            groups.setdefault(list_id, []).append(item)
    return [group for group in groups.values() if len(group) > 1]


def _label_lists(config: Config, facts: list[Fact], money: list[Money]) -> None:
    """ "人员经费和公用经费分别为503.64、32.52万元": each figure of the list gets its own subject."""
    by_span = {(m.start, m.end): m.list_id for m in money}
    for group in _groups(facts, [by_span.get((f.start, f.end)) for f in facts]):
        subjects = split_subjects(group[0].label or "")
        if len(subjects) == len(group):
            for fact, subject in zip(group, subjects):
                fact.label, fact.key = subject, canonical_key(config, subject)


def _complete_parallel_labels(config: Config, facts: list[Fact], text: str) -> None:
    """ "部门决算收入为1166.98万元，支出为1166.98万元": the bare 支出 is the 部门决算支出."""
    heads = config.lexicon["label_words"]["parallel_heads"]
    for previous, fact in zip(facts, facts[1:]):
        label = fact.label
        if (
            label is None
            or label not in heads
            or _sentence_breaks(config, text, previous.end, fact.start)
            or not previous.label
        ):
            continue
        head = next((h for h in heads if previous.label.endswith(h) and h != label), None)
        if head and len(previous.label) > len(head):
            fact.label = previous.label.removesuffix(head) + label
            fact.key = canonical_key(config, fact.label)


def _label_indicators(config: Config, indicators: list[Indicator], facts: list[Fact], text: str) -> None:
    """Labels a KPI cannot read from its own clause: a change ("，同比增长5.5%") names the figure before it;
    a list ("分别占比全市总量82.72%、37.03%、51.89%") names the items of the list before it."""
    figures: list[Fact | Indicator] = sorted([*facts, *indicators], key=lambda item: item.start)
    starts = [item.start for item in figures]
    for indicator in indicators:
        if indicator.label is None and indicator.comparison:
            begin = sentence_start(config, text, indicator.start)
            before = figures[bisect_left(starts, begin) : bisect_left(starts, indicator.start)]
            labelled = next((f for f in reversed(before) if f.label), None)
            if labelled:
                indicator.label = labelled.label
    lists = _groups(indicators, [i.list_id for i in indicators])
    for group in lists:
        predicate = group[0].label or ""
        subjects = split_subjects(predicate)
        if len(subjects) == len(group):
            for indicator, subject in zip(group, subjects):
                indicator.label = subject
            continue
        earlier = [g for g in lists if g is not group and g[-1].start < group[0].start and len(g) == len(group)]
        if earlier and all(item.label for item in earlier[-1]):
            for indicator, item in zip(group, earlier[-1]):
                indicator.label = item.label + predicate
    _carry_over(config, indicators, text)


def _carry_over(config: Config, indicators: list[Indicator], text: str) -> None:
    """Counts joined by 、 share what the first names: "共接待22批次、186人次" (the second, unnamed, is 接待);
    "完成县域商业建设行动项目入库12个、扩充3个" (a lone verb takes the object: 县域商业建设行动项目扩充)."""
    for previous, indicator in zip(indicators, indicators[1:]):
        gap = text[previous.tail : indicator.start].strip()
        if not previous.label or not gap.startswith("、"):
            continue
        if indicator.label is None and gap == "、":
            indicator.label = previous.label
        elif indicator.label and gap == "、" + indicator.label:
            indicator.label = with_object_of(config, previous.label, indicator.label)


# ---------------------------------------------------------------- zero statements


def _add_zero_statements(config: Config, paragraphs: list[_Paragraph]) -> None:
    """ "“三公”经费支出为0": a zero in the unit of the nearest money figure, else the document's usual unit."""
    units = Counter(fact.unit for p in paragraphs for fact in p.facts if fact.currency == "CNY")
    usual = units.most_common(1)[0][0] if units else config.lexicon["units"]["context"]["default_unit"]
    blank = Context()  # until facts_contexts gives each its own
    for paragraph in paragraphs:
        for start, end, decimals in paragraph.zeros:
            near = sorted((abs(f.start - start), f.unit) for f in paragraph.facts if f.currency == "CNY")
            zero = Decimal(0).scaleb(-decimals)
            unit = near[0][1] if near else usual
            figure = Money(value=zero, unit=unit, currency="CNY", amount=zero, decimals=decimals, start=start, end=end)
            paragraph.facts.append(
                _fact(config, paragraph.block, figure, None, blank, _before_verb(paragraph.block.text, start))
            )
        paragraph.facts.sort(key=lambda fact: fact.start)


# ---------------------------------------------------------------- 其中-structure


@derived
def _marker_pattern(config: Config) -> re.Pattern:
    return re.compile(longest_first(config.lexicon["label_words"]["part_markers"]))


def _marker(config: Config, text: str, position: int) -> tuple[int, str | None] | None:
    """The part marker (其中, 包括, 主要用于, 分别 …) that opens a list at `position`: in the same clause, or in
    the clause before when it ends with a colon ("基本支出主要用于：人员经费…"). Returns its offset and the
    subject named before it, if any."""
    pattern = _marker_pattern(config)
    begin = clause_start(config, text, position)
    regions = [(begin, position)]
    if begin and text[begin - 1] in "：:":
        regions.append((clause_start(config, text, begin - 1), begin - 1))
    if begin and text[begin - 1] in "，,":  # "其中，A…万元；B…万元": the marker is a clause of its own
        previous = clause_start(config, text, begin - 1)
        if pattern.fullmatch(text[previous : begin - 1].strip()):
            regions.append((previous, begin - 1))
        within = _WITHIN.fullmatch(text[previous : begin - 1].strip())
        if within:  # "在收入拨款中，A…万元，B…万元": the clause names the total the list breaks down
            return previous, within.group(1)
    for region_start, region_end in regions:
        found = list(pattern.finditer(text, region_start, region_end))
        if found:
            return found[-1].start(), _whole_named_before(config, text, region_start) or label_before(
                config, text, found[-1].start()
            )
    return None


def _whole_named_before(config: Config, text: str, clause: int) -> str | None:
    """ "基本支出中，人员经费和公用经费分别为…": the clause "X中" before a list names its total."""
    if clause < 2 or text[clause - 1] not in "，,：:" or text[clause - 2] != "中":
        return None
    return label_before(config, text, clause - 2)


def _sentence_breaks(config: Config, text: str, start: int, end: int) -> int:
    return sum(text.count(mark, start, end) for mark in config.lexicon["label_words"]["sentence_delimiters"])


_WITHIN = lazy(r"在(.{1,12}?)(?:当中|之中|中)")
_OF_RATE = lazy(r"\s*的\s*\d+(?:\.\d+)?\s*[%％]")
_ASIDE = lazy(r"\s*[（(][^（）()]*[)）]")
_LIST_REACH = 2  # sentences between a total and the 其中/按功能分类 that opens its list
_TOTAL_REACH = 300  # earlier figures a list's total is looked for among


def _total_for(
    config: Config,
    text: str,
    marker: tuple[int, str | None],
    earlier: list[Fact],
    part: Fact,
    linked: Collection[int] = (),
) -> Fact | None:
    """The total a list of parts belongs to: the nearest earlier figure the subject names ("项目支出主要包括："),
    else the nearest earlier figure of this paragraph, at most two sentences back, that can hold it."""
    offset, subject = marker
    # "较上年同期5200万元", "占预算4800万元的105.2%": a figure compared with is never broken down
    prior = tuple(config.lexicon["label_words"]["comparison_bases"])

    def candidate(f: Fact) -> bool:
        return (
            _can_hold(config, f, part)
            and not (f.label or "").startswith(prior)
            and not (f.block == part.block and _OF_RATE.match(text, f.end))
        )

    # the latest candidate that fits is the one taken: looked for from the end, not by filtering all of them
    if subject:
        name, key = normalize_label(subject), canonical_key(config, subject)
        named = next(
            (
                f
                for f in reversed(earlier)
                if f.label and (normalize_label(f.label) == name or (key and f.key == key)) and candidate(f)
            ),
            None,
        )
        if named:
            return named
    # the nearest figure before the marker crosses the fewest sentence breaks: if it is too far, all are;
    # "收入包括：A…、B…；支出包括：C…": a list naming another subject is no list of the last one's parts
    nearest = next(
        (
            f
            for f in reversed(earlier)
            if f.block == part.block and f.end <= offset and not (subject and id(f) in linked) and candidate(f)
        ),
        None,
    )
    return nearest if nearest and _sentence_breaks(config, text, nearest.end, offset) <= _LIST_REACH else None


def _can_hold(config: Config, total: Fact, part: Fact) -> bool:
    """Whether `part` can be a part of `total`: same currency, not larger, not a grand total itself, and a
    fiscal key the total's term lists as its part (any functional class may be part of an expenditure)."""
    if total.currency != part.currency or abs(part.amount) > abs(total.amount) or part.key in top_totals(config):
        return False
    allowed = declared_parts(config).get(total.key or "")
    return not (allowed and part.key and not part.key.isdigit() and part.key not in allowed)


def _bracket_owner(config: Config, text: str, fact: Fact, earlier: list[Fact]) -> Fact | None:
    """ "养护工程支出283.40万元（中修工程199.88万元，安防工程83.52万元）": figures in a bracket opened right
    after a figure are its parts."""
    depth, position, lower = 0, fact.start, max(0, fact.start - LOOK_BACK)
    while True:  # from bracket to bracket (str.rfind): a character loop is slow on a long paragraph
        opening = max(text.rfind("（", lower, position), text.rfind("(", lower, position))
        closing = max(text.rfind("）", lower, position), text.rfind(")", lower, position))
        if opening < 0 and closing < 0:
            return None
        position = max(opening, closing)
        if closing > opening:
            depth += 1
        elif depth:
            depth -= 1
        else:
            # facts do not overlap: only the nearest one ending before the bracket can end right at it
            nearest = next((f for f in reversed(earlier) if f.block == fact.block and f.end <= position), None)
            if nearest is None or text[nearest.end : position].strip():
                return None
            # "（其中建筑工程833.18万元）" right after a figure is its part, even one printed too large
            marked = _marker_pattern(config).match(text, position + 1) and nearest.currency == fact.currency
            return nearest if marked or _can_hold(config, nearest, fact) else None


def _link_parts(config: Config, paragraphs: list[_Paragraph]) -> tuple[dict[int, Fact], dict[int, tuple]]:
    """Parent of each part figure (by `id(fact)`): the total its 其中/包括/分别/主要用于 list belongs to; and a
    token per part naming the list it was given in (one total may be broken down by more than one list)."""
    parents: dict[int, Fact] = {}
    lists: dict[int, tuple] = {}
    carried: Fact | None = None  # a total whose parts follow in the next paragraphs ("其中：" ending a line)
    carried_list: tuple = ()
    seen = _Seen(config)  # every figure so far: a list's subject may name a total paragraphs back
    before: list[Fact] = []  # the figures of the paragraph before: parts found by key look no further
    for paragraph in paragraphs:
        text = paragraph.block.text
        total, current_list = carried, carried_list  # of the list now open
        previous: Fact | None = None
        for index, fact in enumerate(paragraph.facts):
            earlier = before[-_TOTAL_REACH:] + paragraph.facts[max(0, index - _TOTAL_REACH) : index]  # bounded
            if _beside(config, text, fact):
                continue  # "其中：A收入3650万元，完成预算3600万元的101.4%，超收50万元，增收210万元": A alone is a part
            parent = _bracket_owner(config, text, fact, earlier)
            this_list: tuple = ("bracket", id(parent))
            if not parent:
                marker = _marker(config, text, fact.start)
                if marker:
                    total = _total_for(
                        config,
                        text,
                        marker,
                        seen.named(marker[1]) + paragraph.facts[max(0, index - _TOTAL_REACH) : index],
                        fact,
                        parents,
                    )
                    if total is None and not text[: marker[0]].strip() and before:
                        total = _opening_total(config, before, fact)  # "其中：" opening a paragraph
                    current_list = ("marker", paragraph.block.index, marker[0])
                elif total is not carried and previous and _sentence_breaks(config, text, previous.end, fact.start):
                    total = None  # a list ends with its sentence
                if total and (_can_hold(config, total, fact) or _parallel_part(total, fact, previous, parents)):
                    parent, this_list = total, current_list
                else:
                    parent, this_list = _total_by_key(config, fact, earlier, parents, lists)
            if parent:
                parents[id(fact)] = parent
                lists[id(fact)] = this_list
            previous = fact
        if text.rstrip().endswith(("：", ":")) and paragraph.facts:
            marker = _marker(config, text, len(text.rstrip()))
            carried = _total_for(config, text, marker, paragraph.facts, paragraph.facts[-1]) if marker else None
            carried_list = ("marker", paragraph.block.index, marker[0]) if marker else ()
        elif not (carried and paragraph.facts and total is carried):
            carried = None  # a carried list goes on only through paragraphs that are all its parts
        before = paragraph.facts
        seen.add(paragraph.facts)
    return parents, lists


class _Seen:
    """The figures read so far, found by the name or key a list's subject gives (an index, so that linking
    stays linear in the length of the report)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._by_name: dict[str, list[Fact]] = {}
        self._order: dict[int, int] = {}

    def add(self, facts: list[Fact]) -> None:
        for fact in facts:
            self._order[id(fact)] = len(self._order)
            for name in {normalize_label(fact.label) if fact.label else None, fact.key}:
                if name:
                    self._by_name.setdefault(name, []).append(fact)

    def named(self, subject: str | None) -> list[Fact]:
        """The latest figures so far whose label or key is the subject's (at most _TOTAL_REACH of each, as
        for the figures before a part: all of them is quadratic in a report that repeats a name), in reading
        order."""
        if not subject:
            return []
        found = {
            id(f): f
            for name in {normalize_label(subject), canonical_key(self.config, subject)}
            if name
            for f in self._by_name.get(name, [])[-_TOTAL_REACH:]
        }
        return sorted(found.values(), key=lambda f: self._order[id(f)])


def _beside(config: Config, text: str, fact: Fact) -> bool:
    """A figure standing beside the one a clause is about: the base of a rate ("预算3600万元的101.5%"), a
    difference ("超收50万元"), a change amount read on its own ("增收210万元"), a prior period's figure."""
    words = config.lexicon["label_words"]
    label = fact.label or ""
    return (
        bool(_OF_RATE.match(text, fact.end))
        or label.startswith(tuple(words["difference_words"] + words["comparison_bases"]))
        or label in words["change_up"] + words["change_down"]
    )


def _parallel_part(total: Fact, fact: Fact, previous: Fact | None, parents: dict[int, Fact]) -> bool:
    """ "其中：省本级收入12.7亿元，市县级收入1101.98亿元": a part named like the part before it in the open list
    is a part even when it is too large for the total (the sum check then shows it)."""
    if previous is None or parents.get(id(previous)) is not total or fact.currency != total.currency:
        return False
    return bool(previous.label and fact.label and len(fact.label) > 2 and previous.label[-2:] == fact.label[-2:])


def _opening_total(config: Config, before: list[Fact], part: Fact) -> Fact | None:
    """The total a paragraph opening with 其中 breaks down: the first figure of the paragraph before that can
    hold the part and is no change amount of another ("…合计472.16万元，同比减少58.34万元。" / "其中：…")."""
    heads = tuple(config.lexicon["label_words"]["comparison_bases"])
    for fact in before:
        if not (fact.label or "").startswith(heads) and _can_hold(config, fact, part):
            return fact
    return None


def _total_by_key(
    config: Config, fact: Fact, earlier: list[Fact], parents: dict[int, Fact], lists: dict[int, tuple]
) -> tuple[Fact | None, tuple]:
    """A part outside any open list still belongs to its total when keys say so: the earlier figure whose key
    is the part's whole (人员经费 -> 基本支出), else the total of an earlier sibling ("其中基本支出717.79万元。
    …其他项目支出449.19万元": 基本支出 and 项目支出 are both parts of 支出), in that sibling's list."""
    whole = parts_of(config).get(fact.key or "")
    if not whole:
        return None, ()
    for other in reversed(earlier):
        if other.key == whole and _can_hold(config, other, fact):
            return other, ("key", id(other))
    for other in reversed(earlier):
        if other.key != fact.key and parts_of(config).get(other.key or "") == whole and id(other) in parents:
            parent = parents[id(other)]
            return (parent, lists[id(other)]) if _can_hold(config, parent, fact) else (None, ())
    return None, ()
