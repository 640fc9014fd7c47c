"""部门决算 / 部门预算 checks: the standard tables (record.fiscal_tables) against themselves, each other and
the 情况说明 text. What is compared with what is data (schemas/rules/fiscal.toml, schemas/tables/fiscal.toml);
figures compare as printed intervals (checks/intervals.py), so honest rounding never raises a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from ..cjk import chinese_to_int
from ..config import Config, derived
from ..figures.fiscal import class_code, normalized, standard_of
from ..patterns import lazy
from ..records import Block, Document, Fact, Finding, FiscalRow, FiscalTable, Record, Section, innermost_sections
from .engine import make_finding
from .intervals import ROUND, Measure, compare, comparison_finding, decimals_of, fact_money, money, total, unit_scale

_DEFAULT_UNIT = "万元"


def _settings(config: Config) -> dict:
    return config.settings["fiscal"]


def check(config: Config, record: Record, document: Document, mode: str = ROUND) -> list[Finding]:
    tables = record.fiscal_tables
    findings: list[Finding] = [
        *_punctuation(config, document),
        *_text_layer_order(config, document),
        *_item_order(config, record, document),
        *_performance(config, document),
    ]
    if not tables:
        return findings
    by_standard: dict[str, FiscalTable] = {}
    for table in tables:
        by_standard.setdefault(table.standard, table)
    for table in tables:
        findings += [
            *_hierarchy(config, table, mode),
            *_identities(config, table, mode),
            *_balances(config, table, mode),
        ]
    findings += [
        *_same(config, by_standard, mode),
        *_text(config, record, by_standard, mode),
        *_directions(config, document, by_standard),
        *_missing(config, record, document, tables),
        *_empty(config, document, by_standard),
    ]
    return findings


# ---------------------------------------------------------------- cells and references


def _measure(config: Config, value: Decimal | None, unit: str | None, mode: str) -> Measure:
    """A cell as a measure in yuan; blank is an exact 0."""
    if value is None:
        return Measure.exact(Decimal(0))
    return money(config, value, unit, mode) or money(config, value, _DEFAULT_UNIT, mode) or Measure.exact(value)


def _exact(config: Config, value: Decimal | None, unit: str | None) -> Measure:
    return Measure.exact((value or Decimal(0)) * (unit_scale(config, unit or _DEFAULT_UNIT) or Decimal(1)))


def _same_print(a: Decimal | None, a_unit: str | None, b: Decimal | None, b_unit: str | None) -> bool:
    """Whether two printed figures share unit and decimals (a blank takes the other's)."""
    if (a_unit or _DEFAULT_UNIT) != (b_unit or _DEFAULT_UNIT):
        return False
    if a is None or b is None:
        return True
    return decimals_of(a) == decimals_of(b)


def _scale(config: Config, table: FiscalTable) -> Decimal:
    return unit_scale(config, table.unit or _DEFAULT_UNIT) or Decimal(1)


class Ref(NamedTuple):
    standard: str
    panel: str | None
    row: str
    column: str

    @classmethod
    def parse(cls, text: str, **fill: str) -> Ref:
        standard, panel, row, column = text.format(**fill).split("|")
        return cls(standard, panel or None, row, column)


def _find_row(table: FiscalTable, panel: str | None, selector: str) -> FiscalRow | None:
    rows = [row for row in table.rows if panel is None or row.panel == panel]
    if selector == "*":
        return rows[0] if rows else None
    if selector.startswith("#"):
        return next((row for row in rows if row.code == selector[1:]), None)
    wanted = normalized(selector)
    return next((row for row in rows if normalized(row.label) == wanted), None)


def _resolve(tables: dict[str, FiscalTable], ref: Ref) -> tuple[FiscalTable, FiscalRow] | None:
    """The table and row a reference points at, if both are printed and the table has the column."""
    table = tables.get(ref.standard)
    if table is None or ref.column not in table.columns:
        return None
    row = _find_row(table, ref.panel, ref.row)
    return (table, row) if row is not None else None


def _cell_finding(
    config: Config, code: str, table: FiscalTable, row: FiscalRow, column: str, result, **fields
) -> Finding:
    cell = row.cell(column)
    finding = comparison_finding(
        config, code, result, table=table.standard, row=row.label, column=_column_name(table, column), **fields
    )
    finding.block = table.block
    finding.page = cell.page if cell and cell.page else table.page
    return finding


def _column_name(table: FiscalTable, column: str) -> str:
    """A column as people read it: its printed header's last segments ("本年支出/小计")."""
    for row in table.rows:
        cell = row.cell(column)
        if cell is not None and cell.header:
            return (
                "/".join(cell.header.split("/")[-2:]) if table.shape == "three_public" else cell.header.split("/")[-1]
            )
    return column


# ---------------------------------------------------------------- one table


def _hierarchy(config: Config, table: FiscalTable, mode: str) -> Iterator[Finding]:
    """类 = Σ款, 款 = Σ项 by code prefix; the 合计 line = Σ类."""
    coded = [row for row in table.rows if row.code]
    if not coded:
        return
    scale = _scale(config, table)
    total_row = next((row for row in table.rows if not row.code and normalized(row.label) == "合计"), None)
    for parent in [*coded, total_row] if total_row else coded:
        if parent.code is None:
            children = [r for r in coded if len(r.code or "") == 3]
            level = "类"
        else:
            length = {3: 5, 5: 7}.get(len(parent.code))
            if length is None:
                continue
            children = [
                r
                for r in coded
                if r.code and len(r.code) == length and r.code.startswith(parent.code) and r.panel == parent.panel
            ]
            level = {5: "款", 7: "项"}[length]
        if not children:
            continue
        for column in table.columns:
            stated = parent.value(column)
            if stated is None and all(child.value(column) is None for child in children):
                continue
            result = compare(
                _measure(config, stated, table.unit, mode),
                total(_measure(config, child.value(column), table.unit, mode) for child in children),
                scale,
            )
            if not result.holds:
                yield _cell_finding(config, "F101", table, parent, column, result, level=level)


def _identities(config: Config, table: FiscalTable, mode: str) -> Iterator[Finding]:
    layout = config.fiscal_layouts.by_standard(table.standard)
    if layout is None:
        return
    scale = _scale(config, table)
    for identity in layout.identities:
        if (
            identity.total not in table.columns
            or (identity.unless and identity.unless in table.columns)
            or (identity.when and identity.when not in table.columns)
        ):
            continue
        present = [(sign, key) for sign, key in identity.terms if key in table.columns]
        if len(present) < 2:
            continue
        for row in table.rows:
            if row.cell(identity.total) is None:
                continue
            values = [row.value(key) for _, key in present]
            stated = row.value(identity.total)
            if stated is None and not any(values):
                continue
            computed = total(
                _measure(config, v, table.unit, mode).scaled(Decimal(sign)) for (sign, _), v in zip(present, values)
            )
            result = compare(_measure(config, stated, table.unit, mode), computed, scale)
            if not result.holds:
                yield _cell_finding(config, "F102", table, row, identity.total, result, identity=identity.sum)


def _balances(config: Config, table: FiscalTable, mode: str) -> Iterator[Finding]:
    if table.shape != "balance":
        return
    scale = _scale(config, table)
    for entry in _settings(config)["balance"]:
        if table.standard not in entry["tables"]:
            continue
        rows = [row for row in table.rows if row.panel == entry["panel"]]
        names = {normalized(name) for name in entry["total"]}
        total_row = next((row for row in rows if normalized(row.label) in names), None)
        if total_row is None:
            continue
        if entry["parts"] == "items":
            before = rows[: rows.index(total_row)]
            parts = [row for row in before if row.ordinal]
            described = "所列各项"
        else:
            wanted = {normalized(name) for name in entry["parts"]}
            parts = [row for row in rows if normalized(row.label) in wanted and row is not total_row]
            described = "、".join(row.label for row in parts)
        if len(parts) < 2 and entry["parts"] == "items":
            continue
        for column in table.columns:
            if total_row.cell(column) is None:
                continue
            stated = total_row.value(column)
            values = [row.value(column) for row in parts]
            if stated is None and not any(values):
                continue
            result = compare(
                _measure(config, stated, table.unit, mode),
                total(_measure(config, v, table.unit, mode) for v in values),
                scale,
            )
            if not result.holds:
                yield _cell_finding(config, "F103", table, total_row, column, result, parts=described)
    income = _find_row(table, "income", "总计")
    expense = _find_row(table, "expense", "总计")
    if income and expense:
        stated = income.cells[0].value if income.cells else None
        computed = expense.cells[0].value if expense.cells else None
        if stated is not None or computed is not None:
            result = compare(
                _measure(config, stated, table.unit, mode), _measure(config, computed, table.unit, mode), scale
            )
            if not result.holds:
                yield _cell_finding(config, "F103", table, income, income.cells[0].column, result, parts="支出总计")


# ---------------------------------------------------------------- between tables


def _class_codes(tables: dict[str, FiscalTable], refs: list[Ref]) -> list[str]:
    codes: list[str] = []
    for ref in refs:
        table = tables.get(ref.standard)
        if table:
            codes += [row.code for row in table.rows if row.level == "类" and row.code and row.code not in codes]
    return codes


def _cells(tables: dict[str, FiscalTable], refs: list[Ref]) -> list[tuple[FiscalTable, FiscalRow, str]] | None:
    """The cell each reference points at, as (table, row, column); None unless every one is printed."""
    found = []
    for ref in refs:
        resolved = _resolve(tables, ref)
        if resolved is None:
            return None
        found.append((*resolved, ref.column))
    return found


def _same(config: Config, tables: dict[str, FiscalTable], mode: str) -> Iterator[Finding]:
    for entry in _settings(config)["same"]:
        fills: list[dict[str, str]] = [{}]
        if "{class}" in entry["a"]:
            plain = [Ref.parse(t, **{"class": "*"}) for t in [entry["a"], *entry["b"]]]
            fills = [{"class": f"#{code}"} for code in _class_codes(tables, plain)]
        for fill in fills:
            first = _cells(tables, [Ref.parse(entry["a"], **fill)])
            others = _cells(tables, [Ref.parse(b, **fill) for b in entry["b"]])
            if first is None or others is None:
                continue
            ((table, row, column),) = first
            stated = row.value(column)
            values = [(other_table, other_row.value(other_column)) for other_table, other_row, other_column in others]
            if stated is None and not any(value for _, value in values):
                continue
            if len(values) == 1 and _same_print(stated, table.unit, values[0][1], values[0][0].unit):
                # one quantity printed to the same digits twice rounds the same way: it must print the same
                computed, stated_measure = (
                    _exact(config, values[0][1], values[0][0].unit),
                    _exact(config, stated, table.unit),
                )
            else:
                computed = total(_measure(config, value, other_table.unit, mode) for other_table, value in values)
                stated_measure = _measure(config, stated, table.unit, mode)
            result = compare(stated_measure, computed, _scale(config, table))
            if not result.holds:
                other = "、".join(f"{other_table.standard}“{other_row.label}”" for other_table, other_row, _ in others)
                yield _cell_finding(config, "F104", table, row, column, result, other=other)


# ---------------------------------------------------------------- text against tables


def _section_titles(sections: list[Section]) -> dict[str, str]:
    """Section id -> its title with its parents' titles, normalised, for matching."""
    by_id = {s.id: s for s in sections}
    raw: dict[str, str] = {}  # unnormalised, each built on its parent's: a walk to the top per section is
    # quadratic in the depth of a long document's nesting

    def chain(section: Section) -> str:
        pending: list[Section] = []
        current: Section | None = section
        while current is not None and current.id not in raw:
            pending.append(current)
            current = by_id.get(current.parent) if current.parent else None
        above = raw[current.id] if current is not None else None
        for walked in reversed(pending):
            above = walked.title if above is None else f"{walked.title}/{above}"
            raw[walked.id] = above
        return raw[section.id]

    return {section.id: normalized(chain(section)) for section in sections}


def _fact_label(fact: Fact) -> str:
    label = normalized(fact.label or "")
    return re.sub(r"^\d{4}年度?", "", label)


def _text(config: Config, record: Record, tables: dict[str, FiscalTable], mode: str) -> Iterator[Finding]:
    chains = _section_titles(record.sections)
    entries = [  # pattern, entry, the section it must stand in (normalised once, not per fact)
        (
            re.compile(normalized(e["label"]).replace("（", "(").replace("）", ")")),
            e,
            normalized(e["section"]) if e.get("section") else None,
        )
        for e in _settings(config)["text"]
    ]
    for fact in record.facts:
        if (
            fact.source != "text"
            or fact.qualifier
            or fact.value_max is not None
            or fact.currency != "CNY"
            or unit_scale(config, fact.unit) is None
        ):
            continue
        label = _fact_label(fact)
        chain = chains.get(fact.section or "", "")
        for pattern, entry, section in entries:
            match = pattern.search(label)
            if not match or (section and section not in chain):
                continue
            fill = {}
            if "class" in match.groupdict():
                code = class_code(config, match.group("class"))
                if code is None:
                    continue
                fill = {"class": f"#{code}"}
            ref = Ref.parse(entry["cell"], **fill)
            found = _resolve(tables, ref)
            if found is None:
                break
            table, row = found
            value = row.value(ref.column)
            if _same_print(fact.value, fact.unit, value, table.unit):
                stated, cell = _exact(config, fact.value, fact.unit), _exact(config, value, table.unit)
            else:
                stated, cell = fact_money(config, fact, mode), _measure(config, value, table.unit, mode)
            result = compare(stated, cell, unit_scale(config, fact.unit) or Decimal(1))
            if not result.holds:
                finding = comparison_finding(
                    config,
                    entry.get("rule", "F105"),
                    result,
                    label=fact.label,
                    table=table.standard,
                    row=row.label,
                    column=_column_name(table, ref.column),
                )
                yield finding.model_copy(
                    update={
                        "block": fact.block,
                        "page": fact.page,
                        "start": fact.start,
                        "end": fact.end,
                        "section": fact.section,
                        "facts": [fact.id],
                    }
                )
            break


def _paragraphs(document: Document) -> list[Block]:
    return [b for b in document.blocks if b.kind == "paragraph" and not b.in_table_of_contents and b.text]


def _joined(blocks: list[Block]) -> tuple[str, list[int]]:
    """The paragraphs' text in one string (an item cut by a page break reads on), and where each begins."""
    starts, parts, offset = [], [], 0
    for block in blocks:
        starts.append(offset)
        parts.append(block.text)
        offset += len(block.text)
    return "".join(parts), starts


def _block_at(blocks: list[Block], starts: list[int], offset: int) -> tuple[Block, int]:
    index = max(i for i, start in enumerate(starts) if start <= offset)
    return blocks[index], offset - starts[index]


def _directions(config: Config, document: Document, tables: dict[str, FiscalTable]) -> Iterator[Finding]:
    settings = _settings(config)["direction"]
    pattern, item_pattern = re.compile(settings["pattern"]), re.compile(settings["item"])
    table = tables.get(settings["item_table"])
    if table is None:
        return
    blocks = _paragraphs(document)
    text, starts = _joined(blocks)
    items = list(item_pattern.finditer(text))
    for match in pattern.finditer(text):
        budget = Decimal(match.group("budget").replace(",", ""))
        owner = next((item for item in reversed(items) if item.end() <= match.start()), None)
        row = _item_row(table, owner) if owner is not None else None
        if owner is None or row is None:
            continue  # no table line to compare with: the prose alone is the prose checks' business (C110)
        name = owner.group("item").strip()
        final = row.value("total") or Decimal(0)  # the table's 决算, not the text's restatement of it
        stated = Decimal(match.group("final").replace(",", ""))
        word = match.group("word")
        if stated != final:  # the item's 支出决算 restates its table line, to the same digits
            block, start = _block_at(blocks, starts, match.start("final"))
            finding = comparison_finding(
                config,
                "F105",
                compare(
                    _exact(config, stated, _DEFAULT_UNIT),
                    _exact(config, final, table.unit),
                    unit_scale(config, _DEFAULT_UNIT) or Decimal(1),
                ),
                label=f"{name}支出决算",
                table=table.standard,
                row=row.label,
                column=_column_name(table, "total"),
            )
            yield finding.model_copy(
                update={
                    "block": block.index,
                    "page": block.page,
                    "start": start,
                    "end": start + len(match.group("final")),
                }
            )
        if _contradicts(word, stated, budget):
            continue  # the paragraph's own figures already contradict the word: the prose check's (C110)
        if _contradicts(word, final, budget):
            block, start = _block_at(blocks, starts, match.start("word"))
            said = word if "持平" in word else f"{word}预算数"
            yield make_finding(
                config,
                "F113",
                item=name,
                budget=budget,
                final=final,
                word=said,
                block=block.index,
                page=block.page,
                start=start,
                end=start + len(word),
            )


def _contradicts(word: str, final: Decimal, budget: Decimal) -> bool:
    """Whether 决算数<word>预算数 is false of these figures (基本持平 allows a difference: never)."""
    return {
        "大于": final <= budget,
        "高于": final <= budget,
        "小于": final >= budget,
        "低于": final >= budget,
        "等于": final != budget,
        "持平": final != budget,
        "基本持平": False,
    }[word]


def _item_row(table: FiscalTable, item: re.Match) -> FiscalRow | None:
    """The 项 row an "X（类）Y（款）Z（项）" item names, by walking 类 -> 款 -> 项 by name and code."""
    parent = ""
    row = None
    for level, group in (("类", "class"), ("款", "section"), ("项", "item")):
        name = normalized(item.group(group))
        row = next(
            (
                r
                for r in table.rows
                if r.level == level and r.code and r.code.startswith(parent) and normalized(r.label) == name
            ),
            None,
        )
        if row is None:
            return None
        parent = row.code or ""
    return row


# ---------------------------------------------------------------- presence and emptiness


def _missing(config: Config, record: Record, document: Document, tables: list[FiscalTable]) -> Iterator[Finding]:
    found = {table.standard for table in tables}
    listed: dict[str, Block] = {}
    for block in document.blocks:
        if block.kind == "paragraph" and block.in_table_of_contents:
            layout = standard_of(config, block.text)
            if layout is not None:
                listed.setdefault(layout.standard, block)
    for standard, block in listed.items():
        if standard not in found:
            yield make_finding(config, "F107", table=block.text.strip(), block=block.index, page=block.page)
    kinds = [table.document_kind for table in tables]
    # the set of nine is expected of a document that is a 部门决算 / 部门预算, or that prints most of one
    expected: set[str] = {kind for kind in kinds if kinds.count(kind) >= _settings(config)["tables"]["min_found"]}
    if record.document.kind in kinds:
        expected.add(record.document.kind)
    for kind in sorted(expected):
        for layout in config.fiscal_layouts.table:
            if layout.document_kind == kind and layout.standard not in found and layout.standard not in listed:
                yield make_finding(
                    config,
                    "F108",
                    kind={"final_accounts": "部门决算", "budget": "部门预算"}[kind],
                    table=layout.standard,
                    number=layout.number,
                )


def _empty(config: Config, document: Document, tables: dict[str, FiscalTable]) -> Iterator[Finding]:
    blocks = _paragraphs(document)
    for entry in _settings(config)["empty"]:
        table = tables.get(entry["table"])
        if table is None:
            continue
        says = re.compile(normalized(entry["says"]))
        statement = next(((b, m) for b in blocks if (m := says.search(normalized(b.text)))), None)
        filled = [
            (row, cell) for row in table.rows for cell in row.cells if cell.column in entry["columns"] and cell.value
        ]
        if statement and filled:
            block, match = statement
            row, cell = filled[0]
            yield make_finding(
                config,
                "F109",
                statement=match.group(),
                table=table.standard,
                column=_column_name(table, cell.column),
                value=cell.text,
                block=block.index,
                page=block.page,
            )
    for table in tables.values():
        if table.empty and not (table.note and "无数据" in table.note):
            entry = next((e for e in _settings(config)["empty"] if e["table"] == table.standard), None)
            said = entry and any(re.search(normalized(entry["says"]), normalized(b.text)) for b in blocks)
            if not said:
                yield make_finding(config, "F110", table=table.standard, block=table.block, page=table.page)


# ---------------------------------------------------------------- wording


def _punctuation(config: Config, document: Document) -> Iterator[Finding]:
    settings = _settings(config)["punctuation"]
    alone = re.compile(settings["alone"])
    # compiled when a paragraph holds one: most paragraphs have none
    doubled = [lazy(re.escape(mark)) for mark in settings["doubled"]]
    any_doubled = re.compile("|".join(re.escape(mark) for mark in settings["doubled"]))
    for block in _paragraphs(document):
        if alone.match(block.text.strip()):
            yield make_finding(
                config,
                "F111",
                text=block.text.strip(),
                block=block.index,
                page=block.page,
                start=0,
                end=len(block.text),
            )
            continue
        for mark in block.detached_marks:
            yield make_finding(config, "F115", mark=mark, block=block.index, page=block.page)
        if not any_doubled.search(block.text):
            continue
        for mark, pattern in zip(settings["doubled"], doubled):
            for match in pattern.finditer(block.text):
                yield make_finding(
                    config, "F111", text=mark, block=block.index, page=block.page, start=match.start(), end=match.end()
                )


@derived
def _number_patterns(config: Config) -> list[re.Pattern]:
    return [re.compile(p) for p in _settings(config)["numbering"]["patterns"]]


def _text_layer_order(config: Config, document: Document) -> Iterator[Finding]:
    """Numbered paragraphs of one style on one page whose text-layer order inverts their printed order."""
    numbered: dict[tuple[int, int], list[Block]] = {}
    for block in _paragraphs(document):
        if block.stream_index is None or block.page is None:
            continue
        style = next((i for i, p in enumerate(_number_patterns(config)) if p.match(block.text)), None)
        if style is not None:
            numbered.setdefault((block.page, style), []).append(block)
    for group in numbered.values():
        for earlier, later in zip(group, group[1:]):
            if (later.stream_index or 0) < (earlier.stream_index or 0):
                yield make_finding(
                    config,
                    "F112",
                    later=later.text[:12],
                    earlier=earlier.text[:12],
                    block=later.index,
                    page=later.page,
                    start=0,
                    end=min(len(later.text), 12),
                )


def _item_order(config: Config, record: Record, document: Document) -> Iterator[Finding]:
    """Numbered paragraphs of one style in one section, numbered 1..n but printed out of order (2、 before 1、).
    Only a run holding each number of its range once is judged: anything else may be two lists."""
    runs: dict[tuple[str | None, int], list[tuple[int, Block]]] = {}
    section_of = innermost_sections(record.sections)
    for block in _paragraphs(document):
        for style, pattern in enumerate(_number_patterns(config)):
            match = pattern.match(block.text)
            if match:
                section = section_of.get(block.index)
                runs.setdefault((section.id if section else None, style), []).append((_number(match.group(1)), block))
                break
    for (section_id, _), run in runs.items():
        numbers = [number for number, _ in run]
        if len(numbers) < 2 or sorted(numbers) != list(range(1, len(numbers) + 1)) or numbers == sorted(numbers):
            continue
        position = next(i for i in range(1, len(run)) if numbers[i] < numbers[i - 1])
        (_, earlier), (_, later) = run[position - 1], run[position]
        yield make_finding(
            config,
            "F116",
            earlier=earlier.text[:12],
            later=later.text[:12],
            section=section_id,
            block=later.index,
            page=later.page,
            start=0,
            end=min(len(later.text), 12),
        )


def _number(label: str) -> int:
    return int(label) if label.isdigit() else chinese_to_int(label)


def _performance(config: Config, document: Document) -> Iterator[Finding]:
    settings = _settings(config)["performance"]
    count_pattern, grade_pattern = re.compile(settings["count"]), lazy(settings["grade"])  # grades after a count only
    for block in _paragraphs(document):
        count = count_pattern.search(block.text)
        if not count:
            continue
        grades = list(grade_pattern.finditer(block.text, count.end()))
        if len(grades) < 2:
            continue
        graded = sum(int(g.group("count")) for g in grades)
        if graded != int(count.group("count")):
            yield make_finding(
                config,
                "F114",
                count=count.group("count"),
                graded=graded,
                block=block.index,
                page=block.page,
                start=count.start(),
                end=grades[-1].end(),
            )
