"""The context of every money figure (records.Context, XBRL's context): which year, period, basis, fund and
subject it is about, read from the words of `schemas/lexicon/context.toml` around it.

Nearest words win, dimension by dimension:
1. the clause that names the figure (from the end of the figure or change before it to the figure);
2. the head of its sentence (up to the sentence's first figure): "一般公共预算财政拨款支出年初预算为…，支出决算为…"
   states the fund once for both;
3. the total it is a part of (a part of 本年支出合计 is of its year and basis); its subject only when the part
   names none (人员经费 of a department's 基本支出 is the department's);
4. the numbered list item it stands in ("1、教育支出（类）普通教育（款）初中教育（项）。…年初预算为…");
5. the titles of the sections above it ("第三部分 2024年度部门决算情况说明"): year, basis, a class, project or unit;
6. the document: its year, and the basis of its kind (a 部门决算 states 决算 figures).
A dimension nothing speaks of stays None: the checks that need it stay silent.
"""

from __future__ import annotations

import re
from typing import Any, get_args

from ..config import Config, derived
from ..patterns import first_of, gated_all, lazy
from ..records import Block, Context, Fact, Section
from ..sections.grammar import parse_label
from .numbers import Marks, longest_first

_SUBJECT = ("subject_kind", "subject", "subject_code")

# What a stretch of text says about a figure's context is itself a Context, None where it says nothing: words
# near a figure are laid over the words further away with `over`.


def over(near: Context, far: Context) -> Context:
    """`near`, completed by `far` where it says nothing. Year and period go together ("上年" says both): words
    that state either keep their own period; the subject, its name and code go together too."""
    values = near.__dict__  # the fields (a Context has no extras): read directly, as this runs for every figure
    if all(value is None for value in values.values()):
        return far  # nothing near: contexts are never changed in place, so `far` itself serves
    far_values = far.__dict__
    merged = {name: value if value is not None else far_values[name] for name, value in values.items()}
    if near.year is not None or near.period is not None:
        merged["period"] = near.period or ("year" if near.year is not None else far.period)
        merged["period_detail"] = near.period_detail
    if near.subject_kind is not None:
        merged |= {name: getattr(near, name) for name in _SUBJECT}
    # both are valid Contexts, so validating the merge cannot fail; pydantic validates these few fields faster
    # (~2.9 µs) than its model_construct sets them (~5.6 µs)
    return Context(**merged)


def without_subject(context: Context) -> Context:
    if context.subject_kind is None and context.subject is None and context.subject_code is None:
        return context  # nothing to take away: contexts are never changed in place
    return context.model_copy(update=dict.fromkeys(_SUBJECT))


def _with(context: Context, **values) -> Context:
    if all(context.__dict__[name] == value for name, value in values.items()):
        return context  # already so: contexts are never changed in place, and a copy costs more than the look
    return context.model_copy(update=values)


def _literal_values(field: str) -> set[str]:
    """The values Context allows for `field` (its Literal, inside the Optional)."""
    (literal,) = [a for a in get_args(Context.model_fields[field].annotation) if get_args(a)]
    return set(get_args(literal))


def _validated(words: dict) -> dict:
    """schemas/lexicon/context.toml, checked: every basis, fund and period it names is one Context knows."""
    for table, field in (("basis", "basis"), ("fund", "fund"), ("default_basis", "basis")):
        values = set(words[table].values()) if table == "default_basis" else set(words[table])
        if values - _literal_values(field):
            raise ValueError(
                f"schemas/lexicon/context.toml [{table}]: unknown {sorted(values - _literal_values(field))}"
            )
    periods = {k for k, v in words["period"].items() if isinstance(v, (list, tuple))}
    if periods - _literal_values("period"):
        raise ValueError(
            f"schemas/lexicon/context.toml [period]: unknown {sorted(periods - _literal_values('period'))}"
        )
    return words


@derived
def _vocabulary(config: Config) -> dict:
    words = _validated(config.lexicon["context"])
    compiled: dict[str, Any] = {
        name: [
            (lazy(longest_first(entries)), value)
            for value, entries in words[name].items()
            if isinstance(entries, (list, tuple))
        ]
        for name in ("basis", "fund")
    }
    period = words["period"]
    named_periods = ("prior_year", "year_start", "year_end", "to_date", "year")
    compiled["period"] = [(lazy(longest_first(period[p])), p) for p in named_periods]
    # every word of a dimension's values, as one alternation: most stretches name no basis, fund or period, and
    # one search says so for all of a dimension's values at once (each value's pattern is a plain alternation of
    # its words: no word, no match)
    word_lists = {
        name: [entries for entries in words[name].values() if isinstance(entries, (list, tuple))]
        for name in ("basis", "fund")
    } | {"period": [period[p] for p in named_periods]}
    compiled["words_of"] = {
        name: lazy(longest_first(word for entries in lists for word in entries)) for name, lists in word_lists.items()
    }
    gates = words["pattern_words"]
    compiled["period_patterns"] = [(gated_all(gates[p], period[p]), p) for p in ("month", "quarter")]
    compiled["fiscal_year"] = lazy(period["fiscal_year"])
    subject = words["subject"]
    compiled["functional_class"] = gated_all(gates["functional_class"], subject["functional_class"])
    compiled["functional_code"] = gated_all(gates["functional_code"], subject["functional_code"])
    compiled["sangong"] = lazy(longest_first(subject["sangong"]))
    compiled["procurement"] = lazy(longest_first(subject["procurement"]))
    compiled["sub_unit_words"] = lazy(longest_first(subject["sub_unit_words"]))
    compiled["sub_unit"] = lazy(subject["sub_unit_pattern"])
    compiled["project"] = lazy(subject["project_pattern"])
    # "机关事业单位基本养老保险缴费支出" is a functional 项, its economic namesake has no 支出
    compiled["economic_class"] = lazy(f"(?:{longest_first(subject['economic_class'])})(?!支出)")
    compiled["economic_code"] = lazy(subject["economic_code"])
    # a text without region_pattern's words is matched by the activity words alone, just as by both
    activities = longest_first(subject["region_activities"])
    compiled["region"] = gated_all(
        gates["region_pattern"], f"{activities}|{subject['region_pattern']}", otherwise=activities
    )
    compiled["region_names"] = [lazy(pattern) for pattern in subject["region_names"]]
    compiled["project_generic"] = frozenset(subject["project_generic"])
    compiled["default_basis"] = dict(words["default_basis"])
    compiled["project_totals"] = frozenset(subject["project_totals"])
    compiled["row_totals"] = tuple(subject["row_totals"])
    compiled["all_funds_keys"] = frozenset(words["all_funds"]["keys"])
    return compiled


def _last(pattern: re.Pattern, text: str) -> re.Match | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the loop keeps the last match
        pass
    return found


def _blank(text: str, match: re.Match) -> str:
    """The text with a matched word blanked: a word read for one dimension is not read for another."""
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


def read_words(config: Config, text: str, document_year: int | None = None) -> Context:
    """What `text` (a clause, a sentence head, a title) says about context, the words nearest its end winning."""
    vocabulary = _vocabulary(config)
    values: dict = {}
    words_of = vocabulary["words_of"]
    for dimension in ("basis", "fund"):
        if not words_of[dimension].search(text):
            continue
        best = None
        for pattern, value in vocabulary[dimension]:
            match = _last(pattern, text)
            if match and (best is None or match.end() > best[0].end()):
                best = (match, value)
        if best:
            values[dimension] = best[1]
            text = _blank(text, best[0])
    year = _last(vocabulary["fiscal_year"], text)
    if year:
        values["year"] = int(year.group(1))
        text = _blank(text, year)
    subject, text = _subject(config, text)
    values |= subject
    best = None
    named = vocabulary["period"] if words_of["period"].search(text) else []
    for pattern, value in [*named, *vocabulary["period_patterns"]]:
        match = _last(pattern, text)
        if match and (best is None or match.end() > best[0].end()):
            best = (match, value)
    if best:
        match, period = best
        values["period"] = period
        if period in ("month", "quarter", "to_date"):
            values["period_detail"] = match.group().strip()
        if period == "prior_year" and document_year and "year" not in values:
            values["year"] = document_year - 1
    elif "year" in values:
        values["period"] = "year"
    return Context(**values)


def _subject(config: Config, text: str) -> tuple[dict, str]:
    """The subject a stretch names, most specific first: a functional class (its 项 over its 款 over its 类), a
    三公 component, a procurement category, a named project, a subordinate unit."""
    vocabulary = _vocabulary(config)
    classes = list(vocabulary["functional_class"].finditer(text))
    if classes:
        last = classes[-1]
        code = _last(vocabulary["functional_code"], text[: last.start() + 1])
        values = {
            "subject_kind": "functional_class",
            "subject": last["name"].strip("、“”"),
            "subject_code": code["code"] if code else None,
        }
        return values, text[: classes[0].start()] + " " * (last.end() - classes[0].start()) + text[last.end() :]
    code = _last(vocabulary["functional_code"], text)
    if code and len(code["code"]) in (3, 5, 7) and not re.match(r"\d*\s*年", text[code.start() :]):
        return {"subject_kind": "functional_class", "subject": code["name"], "subject_code": code["code"]}, _blank(
            text, code
        )
    for kind in ("sangong", "procurement"):
        match = _last(vocabulary[kind], text)
        if match:
            return {"subject_kind": kind, "subject": match.group()}, _blank(text, match)
    economic = _last(vocabulary["economic_class"], text)
    if economic:
        code = vocabulary["economic_code"].search(text[: economic.start()])
        values = {"subject_kind": "economic_class", "subject": economic.group(), "subject_code": code and code["code"]}
        return values, _blank(text, economic)
    project = _last(vocabulary["project"], text)
    if project and project["name"].strip("“”") not in vocabulary["project_generic"] and len(project["name"]) > 3:
        return {"subject_kind": "project", "subject": project["name"].strip("“”")}, _blank(text, project)
    unit = _last(vocabulary["sub_unit_words"], text) or _last(vocabulary["sub_unit"], text)
    if unit:
        name = unit.groupdict().get("name") or unit.group()
        return {"subject_kind": "sub_unit", "subject": name}, _blank(text, unit)
    region = _last(vocabulary["region"], text)
    if region:  # the region is named after the department (`in_region`)
        return {"subject_kind": "region"}, _blank(text, region)
    return {}, text


def region_of(config: Config, department: str | None) -> str | None:
    """The area a department serves, from the start of its name: 赫山区 for 赫山区商务局, 长沙市 for 长沙市城市管理局."""
    found = (pattern.match(department or "") for pattern in _vocabulary(config)["region_names"])
    return next((match.group() for match in found if match), None)


def in_region(config: Config, context: Context, document: Context) -> Context:
    """A figure about the region (subject_kind "region", no name yet) named after the area of the department the
    document is of (a project report's document subject is its project: no area to name)."""
    if context.subject_kind != "region" or context.subject is not None or document.subject_kind != "department":
        return context
    return _with(context, subject=region_of(config, document.subject))


# ---------------------------------------------------------------- scopes around a figure


def naming_subject(config: Config, title: str, document_year: int | None = None) -> Context:
    """The subject a title or a list item's head names: a functional class anywhere in it, or a project or unit
    whose name ends it ("（一）乡村道路改造项目", "1、城东水质监测站"); a topic names none."""
    found = read_words(config, title, document_year)
    names_class = found.subject_kind == "functional_class"
    named = found.subject_kind in ("project", "sub_unit") and title.rstrip("。.：: ").endswith(found.subject or "")
    return Context(**{name: getattr(found, name) for name in _SUBJECT}) if names_class or named else Context()


def _item_head(block: Block) -> str | None:
    """The first sentence of a numbered paragraph ("1、一般公共服务支出（类）…（项）。"), None for a paragraph
    without a label."""
    label = parse_label(block.text)
    if label is None:
        return None
    end = first_of(label.title, "。；;！？")
    return label.title if end < 0 else label.title[:end]


def item_subjects(config: Config, blocks: list[Block], sections: list[Section]) -> dict[int, Context]:
    """The subject the numbered list item around each paragraph names, by block index: it holds for the
    item's paragraph and the unlabelled paragraphs after it (a PDF breaks one item over several), up to the
    next label or heading."""
    headings = {s.block for s in sections}
    current = Context()
    scopes: dict[int, Context] = {}
    named: dict[str, Context] = {}  # what each distinct item head names: "1、" items recur (项目支出, 基本支出)
    for block in blocks:
        if block.kind != "paragraph" or block.index in headings:
            current = Context()
            continue
        head = _item_head(block)
        if head is not None:
            if head not in named:
                named[head] = naming_subject(config, head)
            current = named[head]
        scopes[block.index] = current
    return scopes


def section_words(
    config: Config, sections: list[Section], section: Section | None, document_year: int | None
) -> Context:
    """What the titles of `section` and the sections above it say of year and basis, the innermost first. A title
    names a subject only when it is a functional class, or is the name of a project or unit ("（一）乡村道路改造项目",
    "1、城东水质监测站"), not a topic."""
    by_id = {s.id: s for s in sections}
    words = Context()
    while section is not None:
        # a title's fund is a topic, not a scope: "二、一般公共预算支出情况" may open with the totals of all funds
        found = _with(without_subject(read_words(config, section.title, document_year)), fund=None)
        named = naming_subject(config, section.title)
        if named.subject_kind is not None:
            found = _with(found, **{name: getattr(named, name) for name in _SUBJECT})
        words = over(words, found)
        section = by_id.get(section.parent or "")
    return words


def document_words(
    config: Config, year: int | None, kind: str | None, department: str | None, title: str = ""
) -> Context:
    """What the document itself says of every figure: its year, the basis of its kind, and what it reports on,
    the department, or for a project report the project its title names ("…2024年度农村公路养护项目支出绩效自评报告")."""
    basis = _vocabulary(config)["default_basis"].get(kind or "")
    words = Context(
        year=year, period="year" if year else None, basis=basis, subject_kind="department", subject=department
    )
    if kind == "project_self_evaluation":
        named = re.sub(r"(?:19|20)\d{2}\s*年度?", " ", title.replace(department or "\0", " "))
        project = _last(_vocabulary(config)["project"], named)
        if project and project["name"] not in _vocabulary(config)["project_generic"]:
            words = _with(words, subject_kind="project", subject=project["name"])
    return words


_CLAUSE_ENDS = str.maketrans(dict.fromkeys(",；;：:", "，"))  # each clause end as "，": one mark to split on


def clause_before(text: str, start: int, floor: int) -> tuple[str, str]:
    """The words naming a figure at `start`: the clauses back to `floor` (the end of the figure or change before
    it, or the sentence start), from the last "；" on, without the clauses that hold a number of their own
    ("…，为年初预算的116.9%，其中税收收入…": the ratio is about the figure before)."""
    stretch = text[floor:start]
    cut = max(stretch.rfind("；"), stretch.rfind(";"))
    clauses = stretch[cut + 1 :].translate(_CLAUSE_ENDS).split("，")
    return "，".join(c for c in clauses[:-1] if not re.search(r"\d", c)), clauses[-1]


def facts_contexts(
    config: Config,
    paragraphs: list[tuple[Block, list[Fact], list[int]]],
    parents: dict[int, Fact],
    sections: list[Section],
    section_of: dict[int, Section | None],
    items: dict[int, Context],
    document: Context,
) -> dict[int, Context]:
    """The context of every fact, by `id(fact)`. `paragraphs` gives each block with its facts in text order and,
    for each fact, the offset where its own text ends (its change included)."""
    own: dict[int, Context] = {}
    year = document.year
    read: dict[str, Context] = {}  # what each stretch says: labels and clauses recur from figure to figure

    def words(text: str) -> Context:
        if text not in read:
            read[text] = read_words(config, text, year)
        return read[text]

    for block, facts, ends in paragraphs:
        text = block.text
        previous_end = 0
        sentence_ends = Marks(text, config.lexicon["label_words"]["sentence_delimiters"])
        heads: dict[int, Context] = {}  # what each sentence's head says, read once for all its figures
        for fact, end in zip(facts, ends):
            sentence = sentence_ends.last(0, fact.start) + 1
            if sentence not in heads:
                # the sentence's head states a fund or year for all its figures; its basis and subject are its own
                heads[sentence] = _with(without_subject(words(text[sentence : fact.start])), basis=None)
            # its subject only from the clause that names it (an earlier clause may name what the money was
            # for: "…工作奖励、某联络站工作经费，商业服务业等支出405.68万元")
            earlier, own_clause = clause_before(text, fact.start, max(sentence, previous_end))
            clause = over(words(own_clause), without_subject(words(earlier)))
            # a label completed from a parallel one ("部门决算收入为…，支出为…": 部门决算支出) says what its clause omits
            clause = over(clause, words(fact.label or ""))
            if clause.subject_kind is None and fact.key and fact.key.isdigit():  # a class named without （类）
                clause = _with(clause, subject_kind="functional_class", subject=fact.label, subject_code=fact.key)
            own[id(fact)] = over(clause, heads[sentence])
            previous_end = end
    result: dict[int, Context] = {}
    final: dict[int, Context] = {}
    titles: dict[str | None, Context] = {}  # what the section titles say, once per section

    frames: dict[int, Context] = {}  # what a block's list item, section titles and document say, once per block

    def of_section(block: int) -> Context:
        section = section_of.get(block)
        key = section.id if section else None
        if key not in titles:
            titles[key] = section_words(config, sections, section, year)
        return titles[key]

    def frame(block: int) -> Context:
        # `over` is associative: over(over(w, a), b) is over(w, over(a, b))
        if block not in frames:
            frames[block] = over(items.get(block, Context()), over(of_section(block), document))
        return frames[block]

    def resolve(fact: Fact) -> Context:
        if id(fact) in final:
            return final[id(fact)]
        words = own[id(fact)]
        parent = parents.get(id(fact))
        if parent is not None and id(parent) in own and parent is not fact:
            inherited = resolve(parent)
            if words.subject_kind is None and parent.key in _vocabulary(config)["project_totals"] and fact.label:
                words = _with(words, subject_kind="project", subject=fact.label)  # 项目支出主要包括：X…
            words = over(words, inherited if words.subject_kind is None else without_subject(inherited))
        words = in_region(config, over(words, frame(fact.block)), document)
        final[id(fact)] = words
        return words

    for _, facts, _ in paragraphs:
        for fact in facts:
            context = resolve(fact)
            # 收入总计 is of all funds; its parts are not thereby (其他收入 is no fund of all), so not inherited
            if context.fund is None and fact.key in _vocabulary(config)["all_funds_keys"]:
                context = _with(context, fund="all")
            result[id(fact)] = context
    return result


class TableContexts:
    """The context of each table cell of one document (`__call__`), what each row label and each section's
    titles say read once: a document's tables repeat their row labels, and all the cells of a section share its
    titles."""

    def __init__(self, config: Config, sections: list[Section], document: Context) -> None:
        self.config, self.sections, self.document = config, sections, document
        self._rows: dict[str, Context] = {}
        self._titles: dict[str | None, Context] = {}  # what a section's titles and the document say

    def __call__(self, fact: Fact, section: Section | None, classes_table: bool = False) -> Context:
        """A table cell's context: what its column header gave (year, basis, period), then its row label's words
        (a functional class row, a 三公 row), the section titles and the document, as for prose figures. In a table
        of functional classes (`classes_table`: some row is a 类 by name) an unnamed row is a class too (its 款 or
        项: 行政运行, 信息化建设), unless it is a total or a fiscal term of its own."""
        config, document = self.config, self.document
        label = fact.label or ""
        if label not in self._rows:
            self._rows[label] = read_words(config, label, document.year)
        row = self._rows[label]
        is_class = (fact.key or "").isdigit() or (
            classes_table
            and fact.key is None
            and len(label) > 1
            and not any(w in label for w in _vocabulary(config)["row_totals"])
        )
        if row.subject_kind == "economic_class" and not classes_table:  # the row names its item whole: 其他资本性支出
            row = _with(row, subject=label)
        # in a table of functional classes a row named like an economic item (住房公积金: 2210201 and 30113) is a class
        if (row.subject_kind is None or (classes_table and row.subject_kind == "economic_class")) and is_class:
            row = _with(row, subject_kind="functional_class", subject=label, subject_code=fact.key or None)
        key = section.id if section else None
        if key not in self._titles:  # the section's titles over the document, once per section (`over` is associative)
            self._titles[key] = over(section_words(config, self.sections, section, document.year), document)
        return in_region(config, over(over(fact.context, row), self._titles[key]), document)
