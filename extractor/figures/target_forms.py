"""绩效目标申报表 (performance-target forms) as typed `TargetForm` records.

A form is a table (a sheet of a workbook, a table of a .docx or PDF) with label cells ("项目编码：",
"政策依据：" …, each value in the next distinct cell to its right) and an indicator table under a header
row naming 一级指标 / 二级指标 / 三级指标 / 目标值 / 指标解释. Labels and headers are data
(schemas/tables/target_form.json); nothing relies on a cell's position.

Amounts: the label states a unit ("本年度项目金额（万元）"), but forms exported from some budget systems
hold yuan under a 万元 label. The unit the amounts are really in is decided from the form's own figures
when they give the amount in one unit and not the other (a 测算依据 figure or their sum, a 成本 target), else from the magnitude (a project of 10 000
万元 or more under a 万元 label is a figure in yuan), else the label's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..cells import Grid, table_grid
from ..cjk import to_halfwidth
from ..config import Config, derived
from ..memo import per_document
from ..patterns import lazy
from ..records import Document, TargetForm, TargetIndicator
from .numbers import find_money
from .targets import parse_cell_number, parse_target

_BRACKETED = lazy(r"\([^()]*\)")
_WAN = Decimal(10000)
YUAN_PER_UNIT = {"元": Decimal(1), "千元": Decimal(1000), "万元": _WAN, "亿元": _WAN * _WAN}


@dataclass(frozen=True)
class FormLayout:
    title_words: tuple[str, ...]
    fields: dict[str, str]  # normalised label -> field, longest first
    field_lengths: tuple[int, ...]  # the lengths of the labels of `fields`, longest first
    columns: dict[str, str]  # normalised header -> role
    min_fields: int
    money_units: tuple[str, ...]
    footer_words: tuple[str, ...]
    total_words: tuple[str, ...]
    value_headers: frozenset[str]
    self_evaluation_headers: frozenset[str]
    yuan_from: Decimal  # an amount under a 万元 label from this value up is in yuan
    max_caption_length: int  # a paragraph beside the forms no longer than this is a caption, not prose


@per_document  # every table is tried as a form, each cell keyed ~5 times
def _key(text: str) -> str:
    """A label reduced to what identifies it: half-width, no spaces, no bracketed asides, no colons."""
    compact = "".join(to_halfwidth(text).split())
    return _BRACKETED.sub("", compact).replace(":", "")


@derived
def form_layout(config: Config) -> FormLayout:
    data = config.tables["target_form"]
    fields = {_key(label): name for name, labels in data["fields"].items() for label in labels}
    columns = {_key(header): role for role, headers in data["indicator_columns"].items() for header in headers}
    if set(columns.values()) != {"level1", "level2", "name", "target", "explanation"}:
        raise ValueError("schemas/tables/target_form.json: indicator_columns must name the five columns")
    return FormLayout(
        title_words=tuple(data["title_words"]),
        fields=dict(sorted(fields.items(), key=lambda item: -len(item[0]))),
        field_lengths=tuple(sorted({len(label) for label in fields}, reverse=True)),
        columns=columns,
        min_fields=int(data["min_fields"]),
        money_units=tuple(data["money_units"]),
        footer_words=tuple(data["footer_words"]),
        total_words=tuple(data["total_words"]),
        value_headers=frozenset(_key(header) for header in data["value_headers"]),
        self_evaluation_headers=frozenset(_key(header) for header in data["self_evaluation_headers"]),
        yuan_from=Decimal(data["wan_label_yuan_from"]),
        max_caption_length=int(data["max_caption_length"]),
    )


def _label_field(config: Config, text: str) -> str | None:
    """The field a label cell names ("项目总金额（中期规划，万元）：" -> total_amount); None for other text."""
    key = _key(text)
    if not key or len(key) > 30:
        return None
    # the longest label the key starts with: one lookup per label length, not a scan of every label (two
    # labels of one length cannot both start the key)
    layout = form_layout(config)
    for length in layout.field_lengths:
        if length <= len(key) and (name := layout.fields.get(key[:length])) is not None:
            return name
    return None


def _label_unit(config: Config, text: str) -> str | None:
    compact = to_halfwidth(text)
    return next((unit for unit in form_layout(config).money_units if unit in compact), None)


def _header_roles(config: Config, row: Sequence[str]) -> dict[str, int] | None:
    """The indicator header's columns by role, when `row` names at least the 三级指标 and 目标值 columns."""
    roles: dict[str, int] = {}
    for col, text in enumerate(row):
        role = form_layout(config).columns.get(_key(text))
        if role and role not in roles:
            roles[role] = col
    return roles if {"name", "target"} <= roles.keys() and len(roles) >= 3 else None


def _distinct(row: Sequence[str]) -> list[tuple[int, str]]:
    """(column, text) of each cell of a grid row, a merged cell once (its first column)."""
    out: list[tuple[int, str]] = []
    for col, text in enumerate(row):
        if col and row[col - 1] == text:
            continue
        out.append((col, text))
    return out


def _clean(text: str) -> str | None:
    text = text.strip()
    return text or None


def _amount_unit(config: Config, form: dict, layout: FormLayout) -> tuple[str | None, str | None]:
    """(unit the amounts are in, evidence) for a form whose label states `amount_label_unit`."""
    label = form.get("amount_label_unit")
    amounts = [a for a in (form.get("year_amount"), form.get("total_amount")) if a]
    if label != "万元" or not amounts:
        return label, "label" if label else None
    stated = [m for m in find_money(config, form.get("calculation_basis") or "") if m.rate is None]
    in_yuan = {m.amount for m in stated} | ({sum(m.amount for m in stated)} if stated else set())
    for indicator in form["indicators"]:  # a 成本 target "≤0.32万元" is the amount again
        if indicator.value is not None and indicator.unit in YUAN_PER_UNIT:
            in_yuan.add(indicator.value * YUAN_PER_UNIT[indicator.unit])

    def matches(value: Decimal) -> bool:
        return any(abs(value - amount) <= max(Decimal(1), amount / 1000) for amount in in_yuan)

    if any(matches(a) for a in amounts) and not any(matches(a * _WAN) for a in amounts):
        return "元", "figures"
    if any(matches(a * _WAN) for a in amounts):
        return "万元", "figures"
    if max(amounts) >= layout.yuan_from:
        return "元", "magnitude"
    return label, "label"


def _is_footer(cells: list[tuple[int, str]], layout: FormLayout) -> bool:
    """A note under the indicator table, or a 自评表's 总分 row: the table ends there."""
    texts = [text for _, text in cells if text.strip()]
    if not texts:
        return False
    first = to_halfwidth(texts[0]).lstrip()
    return (len(texts) == 1 and first.startswith(layout.footer_words)) or _key(first).startswith(layout.total_words)


def _field_value(config: Config, grid: Grid, r: int, cells: list[tuple[int, str]], i: int) -> tuple[str, int]:
    """The value of the label `cells[i]` of grid row `r`, and its row: the next distinct non-empty cell to
    its right; where that cell is a column header (a 自评表's 预期目标), the cell below it."""
    col, value = next(((c, t) for c, t in cells[i + 1 :] if t.strip()), (0, ""))
    if _label_field(config, value):  # the next cell is the next label: this one is empty
        return "", r
    if _key(value) in form_layout(config).value_headers:
        below = grid[r + 1] if r + 1 < len(grid) else []
        return (below[col] if col < len(below) and not _label_field(config, below[col]) else ""), r + 1
    return value, r


def read_form(config: Config, grid: Grid) -> dict | None:
    """The fields and indicator rows of a target form in `grid`, as keyword arguments of `TargetForm`
    (without id and block); None when the grid is not a target form. A 自评表 is read for its 目标 part
    (kind self_evaluation): the 预期目标 and each indicator's 年度指标值, not its actual values."""
    layout = form_layout(config)
    header_row, header = next(((r, h) for r, row in enumerate(grid) if (h := _header_roles(config, row))), (-1, None))
    if header is None:
        return None  # no indicator header: no target form (most tables), whatever labels its cells hold
    form: dict = {"field_rows": {}, "indicators": [], "kind": "target_form"}
    roles: dict[str, int] | None = None
    carried: dict[str, str | None] = {"level1": None, "level2": None}
    for r, row in enumerate(grid):
        if r == header_row:
            if layout.self_evaluation_headers & {_key(text) for text in row}:
                form["kind"] = "self_evaluation"
            roles = header
            continue
        cells = _distinct(row)
        if roles is None:
            for i, (_, text) in enumerate(cells):
                name = _label_field(config, text)
                if name is None or name in form["field_rows"]:
                    continue
                value, form["field_rows"][name] = _field_value(config, grid, r, cells, i)
                if name in ("total_amount", "year_amount"):
                    form[name] = parse_cell_number(value) if value else None
                    # the unit is in the label, or in a cell before it (a 自评表's 项目资金（万元）)
                    units = (_label_unit(config, t) for _, t in (cells[i], *cells[:i]))
                    form["amount_label_unit"] = form.get("amount_label_unit") or next((u for u in units if u), None)
                else:
                    form[name] = _clean(value)
            continue
        if _is_footer(cells, layout):
            break
        values = {role: row[col] if col < len(row) else "" for role, col in roles.items()}
        for level in ("level1", "level2"):
            if level in values and values[level].strip():
                carried[level] = values[level].strip()
        target = parse_target(config, values.get("target"))
        form["indicators"].append(
            TargetIndicator(
                row=r,
                level1=carried["level1"],
                level2=carried["level2"],
                name=_clean(values.get("name", "")),
                target=_clean(values.get("target", "")),
                target_kind=target.kind,
                comparator=target.comparator,  # type: ignore[arg-type]  # read from data; pydantic checks it
                value=target.value,
                unit=target.unit,
                deadline=target.deadline,
                explanation=_clean(values.get("explanation", "")),
            )
        )
    fields = set(form["field_rows"]) - {"project_name"}
    if roles is None or len(fields) < layout.min_fields:
        return None
    form["columns"] = sorted(roles, key=roles.__getitem__)
    form["amount_unit"], form["amount_unit_evidence"] = _amount_unit(config, form, layout)
    return form


def extract_target_forms(config: Config, document: Document) -> list[TargetForm]:
    """Every target form of `document`, "F1", "F2" … in document order."""
    forms: list[TargetForm] = []
    for block in document.blocks:
        if block.kind != "table" or not block.table or not block.table.cells:
            continue
        found = read_form(config, table_grid(block.table))
        if found is None:
            continue
        forms.append(
            TargetForm(id=f"F{len(forms) + 1}", block=block.index, page=block.page, sheet=block.sheet, **found)
        )
    return forms


def forms_only(config: Config, document: Document, forms: list[TargetForm]) -> bool:
    """The document is target forms and nothing else: besides the forms, only short lines (a sheet name,
    a title, 填报单位) and no other table. Such a document is no report, and the report rules skip it.
    A 自评表 is a self-evaluation, not a set of target forms."""
    if not forms or any(form.kind != "target_form" for form in forms):
        return False
    form_blocks = {form.block for form in forms}
    limit = form_layout(config).max_caption_length
    return all(
        block.index in form_blocks or (block.kind == "paragraph" and len(block.text) <= limit)
        for block in document.blocks
    )


def forms_department(forms: list[TargetForm]) -> str | None:
    """The department a set of forms is filed by: the 一级预算单位 (else 申请单位) they all name, if one."""
    names = {form.department or form.unit for form in forms} - {None}
    return names.pop() if len(names) == 1 else None
