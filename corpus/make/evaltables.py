"""Self-evaluation tables (domain.md §2.1/§2.2) as `tablemodel.Grid`s, shared by all reports.

Nine grid columns: the budget block puts a caption in column 0 (merged vertically), an
optional group label in column 1 (merged vertically) and the row label in column 2, then
年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分; the indicator block puts 一级 | 二级 |
三级 | 年度指标值 | 实际完成值 | 分值 | 得分 in columns 0–6 and 偏差原因分析及改进措施 across 7–8.
"""

from __future__ import annotations

from model import PageBreak, Report
from tablemodel import C, Grid

INDICATOR_HEAD = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
WIDTHS9 = [1.7, 1.7, 2.6, 1.8, 1.8, 1.6, 1.2, 1.6, 1.6]


def indicator_rows(g: Grid, blocks: list[tuple[str, list[tuple[str, list[list[str]]]]]]) -> None:
    """Indicator block: 一级 cells merged vertically over their rows, 二级 likewise;
    the 偏差原因 column spans the last two grid columns."""
    g.add(*[C(h, bold=True) for h in INDICATOR_HEAD], C("偏差原因分析及改进措施", cs=2, bold=True))
    for level1, seconds in blocks:
        n1 = sum(len(rows) for _, rows in seconds)
        first1 = True
        for level2, rows in seconds:
            for i, row in enumerate(rows):
                cells = []
                if first1:
                    cells.append(C(level1, rs=n1))
                    first1 = False
                if i == 0:
                    cells.append(C(level2, rs=len(rows)))
                name, target, actual, weight, score, *reason = row
                cells += [C(name, align="left"), target, actual, weight, score,
                          C(reason[0] if reason else "", cs=2, align="left")]
                g.add(*[c if isinstance(c, C) else C(c) for c in cells])


def budget_rows(g: Grid, caption: str, rows: list[tuple[str, str, list[str]]]) -> None:
    """Budget block: caption merged vertically in column 0; a group label (按收入性质分 …)
    merged vertically in column 1, or a row label spanning columns 1–2."""
    g.add(C(caption, rs=len(rows) + 1, bold=True), C("", cs=2),
          *[C(h, bold=True) for h in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")])
    i = 0
    while i < len(rows):
        group, label, values = rows[i]
        if group:
            n = sum(1 for r in rows[i:] if r[0] == group)
            for j in range(n):
                _, label, values = rows[i + j]
                lead = [C(group, rs=n)] if j == 0 else []
                g.add(*lead, C(label, align="left"), *values)
            i += n
        else:
            g.add(C(label, cs=2, align="left"), *values)
            i += 1


def goals_rows(g: Grid, expected: str, actual: str) -> None:
    """年度总体目标: 预期目标 | 实际完成情况, caption merged over the two rows."""
    g.add(C("年度总体目标", rs=2, bold=True), C("预期目标", cs=4, bold=True), C("实际完成情况", cs=4, bold=True))
    g.add(C(expected, cs=4, align="left"), C(actual, cs=4, align="left"))


def total_row(g: Grid, weight: str, score: str, grade: str = "") -> None:
    g.add(C("总分", cs=5, bold=True), weight, score, C(grade, cs=2))


def dept_table(dept: str, budget, expected: str, actual: str, indicators, weight: str, score: str, grade: str = "",
               header_rows: int = 0) -> Grid:
    """部门整体支出绩效自评表 (domain.md §2.2)."""
    g = Grid(9, widths_cm=WIDTHS9, font_pt=9, header_rows=header_rows)
    g.add(C("部门（单位）名称", cs=3, bold=True), C(dept, cs=6))
    budget_rows(g, "年度预算执行情况（万元）", budget)
    goals_rows(g, expected, actual)
    indicator_rows(g, indicators)
    total_row(g, weight, score, grade)
    return g


def project_table(project: str, dept: str, unit: str, budget, expected: str, actual: str, indicators,
                  weight: str, score: str, grade: str = "", header_rows: int = 0) -> Grid:
    """项目支出绩效自评表 (domain.md §2.1)."""
    g = Grid(9, widths_cm=WIDTHS9, font_pt=9, header_rows=header_rows)
    g.add(C("项目名称", cs=3, bold=True), C(project, cs=6))
    g.add(C("主管部门", cs=3, bold=True), C(dept, cs=2), C("实施单位", cs=2, bold=True), C(unit, cs=2))
    budget_rows(g, "项目资金（万元）", budget)
    goals_rows(g, expected, actual)
    indicator_rows(g, indicators)
    total_row(g, weight, score, grade)
    return g


def attachment(rep: Report, dept: str, n: int | None, title: str, grid: Grid, unit: str = "单位：万元") -> None:
    """A new page with 附件N, the centred title, 填报单位 and unit lines, then the table."""
    rep.add(PageBreak())
    if n is not None:
        rep.p(f"附件{n}", indent=False, align="left", font="黑体")
    rep.p(title, align="center", indent=False, size_pt=18, font="方正小标宋简体")
    rep.p(f"填报单位：{dept}", indent=False, align="left", size_pt=12)
    rep.p(unit, indent=False, align="right", size_pt=12)
    rep.table(grid)


