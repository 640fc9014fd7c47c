"""Workbooks of the corpus: a 自评表 and a 绩效目标申报表 as county offices publish them in .xlsx.

    .venv/bin/python corpus/make/workbooks.py

- `changsha_road_project_2024_selfeval.xlsx`: the 项目支出绩效自评表 attached to the changsha report
  (the same grid, `changsha.evaluation_table()`), one sheet, title and unit rows above the table,
  figures typed as numbers where the office would type them (预算数, 分值, 得分).
- `xiangyue_road_targets_2025.xlsx`: 湘岳县交通运输局 (FICTIONAL) 2025 绩效目标申报表, one project per
  sheet. Sheet 2 has the quirk budget systems export: the amounts under 项目总金额（万元） are in yuan
  (24800000) while the 成本指标 says ≤2480万元.

openpyxl writes the files; fixed creation dates keep them byte-reproducible enough to commit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

import changsha
from tablemodel import C, Grid

CORPUS = Path(__file__).resolve().parent.parent
_FIXED = dt.datetime(2025, 4, 2, 9, 0, 0)


def _value(text: str):
    """A cell's value as an office types it: a bare figure as a number, anything else as text."""
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return text
    return int(number) if number == int(number) and "." not in text else number


def write_grid(sheet, grid: Grid, first_row: int = 1) -> int:
    """The grid on the sheet from `first_row` (1-based), merges for spans; the row after it."""
    placed, _ = grid.layout()
    for p in placed:
        row, col = first_row + p.row, 1 + p.col
        cell = sheet.cell(row=row, column=col, value=_value(p.cell.text))
        if p.cell.text.startswith("="):  # "=218公里" is text typed with a leading quote, not a formula
            cell.data_type = "s"
        if isinstance(cell.value, float):  # printed with the decimals it was typed with
            cell.number_format = "0." + "0" * len(p.cell.text.partition(".")[2])
        cell.alignment = Alignment(horizontal=p.cell.align, vertical="center", wrap_text=True)
        if p.cell.bold:
            cell.font = Font(bold=True)
        if p.cell.cs > 1 or p.cell.rs > 1:
            sheet.merge_cells(start_row=row, start_column=col, end_row=row + p.cell.rs - 1,
                              end_column=col + p.cell.cs - 1)
    return first_row + grid.n_rows


def _titled(sheet, title: str, lines: list[str], width: int) -> int:
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=16)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for offset, line in enumerate(lines, 2):
        sheet.cell(row=offset, column=1, value=line)
        sheet.merge_cells(start_row=offset, start_column=1, end_row=offset, end_column=width)
    return len(lines) + 2


def _save(book: Workbook, name: str) -> Path:
    book.properties.created = book.properties.modified = _FIXED
    book.properties.creator = "xyxjtj"
    path = CORPUS / name
    book.save(path)
    return path


def selfeval() -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "项目支出绩效自评表"
    grid = changsha.evaluation_table()
    start = _titled(sheet, "项目支出绩效自评表", [f"填报单位：{changsha.DEPT}", "单位：万元"], grid.n_cols)
    write_grid(sheet, grid, start)
    for col in range(1, grid.n_cols + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 14
    return _save(book, "changsha_road_project_2024_selfeval.xlsx")


def target_form(project: str, code: str, total: str, year: str, target: str, indicators) -> Grid:
    """A 项目支出绩效目标申报表: fields (label, value), then the indicator table."""
    g = Grid(5)
    g.add(C("项目名称", bold=True), C(project, cs=2), C("项目编码", bold=True), code)
    g.add(C("主管部门", bold=True), C(changsha.DEPT, cs=2), C("实施单位", bold=True), changsha.UNIT)
    g.add(C("项目总金额（万元）", bold=True), C(total, cs=2), C("本年度项目金额（万元）", bold=True), year)
    g.add(C("年度目标", bold=True), C(target, cs=4, align="left"))
    g.add(*(C(text, bold=True) for text in ("一级指标", "二级指标", "三级指标", "指标值", "指标解释")))
    for level1, groups in indicators:
        g.add(C(level1, rs=sum(len(rows) for _, rows in groups)), *_first(groups[0]))
        for row in groups[0][1][1:]:
            g.add(*row)
        for level2, rows in groups[1:]:
            g.add(C(level2, rs=len(rows)), *rows[0])
            for row in rows[1:]:
                g.add(*row)
    return g


def _first(group):
    level2, rows = group
    return [C(level2, rs=len(rows)), *rows[0]]


def targets() -> Path:
    book = Workbook()
    forms = [
        ("县道安全生命防护工程", target_form(
            "2025年县道安全生命防护工程", "431123250001", "860.00", "860.00",
            "完成县道安全生命防护工程62公里，消除临水临崖路段安全隐患。",
            [("产出指标", [("数量指标", [["安防工程里程", "≥62公里", "新建护栏、标志标线的里程"]]),
                          ("质量指标", [["工程验收合格率", "100%", "交工验收合格的工程占比"]]),
                          ("成本指标", [["项目总成本", "≤860万元", "按设计概算控制"]])]),
             ("效益指标", [("社会效益指标", [["临水临崖路段事故起数", "同比下降", "较上年减少"]])]),
             ("满意度指标", [("服务对象满意度指标", [["沿线群众满意度", "≥90%", "问卷调查"]])])])),
        ("危桥改造", target_form(
            "2025年农村公路危桥改造项目", "431123250002", "24800000", "24800000",
            "完成危桥改造8座，消除四、五类危桥。",
            [("产出指标", [("数量指标", [["危桥改造数量", "≥8座", "完成改造并交工的危桥座数"]]),
                          ("时效指标", [["完工时间", "2025年11月30日前", "全部交工"]]),
                          ("成本指标", [["项目总成本", "≤2480万元", "按施工图预算控制"]])]),
             ("效益指标", [("社会效益指标", [["四、五类危桥数量", "0座", "年末存量"]])]),
             ("满意度指标", [("服务对象满意度指标", [["沿线群众满意度", "≥90%", "问卷调查"]])])])),
    ]
    for index, (name, grid) in enumerate(forms):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        start = _titled(sheet, "项目支出绩效目标申报表", ["（2025年度）"], grid.n_cols)
        write_grid(sheet, grid, start)
    return _save(book, "xiangyue_road_targets_2025.xlsx")


def main() -> None:
    for path in (selfeval(), targets()):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
