"""青禾县档案馆 2024 部门决算 — FICTIONAL county and figures (no 青禾县 exists), for the fiscal-table checks.

The nine standard tables of a 部门决算 (national 2024 layout, 类/款/项 codes in three columns), a 目录 listing
them and a 情况说明 that restates them. Every figure agrees as built; each entry of MUTATIONS changes one
thing so that exactly one kind of check (schemas/rules/fiscal.toml) has something to find.

    python corpus/make/build.py fiscal      # corpus/fiscal/*.docx, and the base document as PDF
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from model import Heading, Para, Report, TableBlock
from tablemodel import C, Grid

DEPT = "青禾县档案馆"
TITLE = f"{DEPT}2024年度部门决算"

# (类, 款, 项, name, basic, project); 款 and 类 rows are their sums
ITEMS = [
    ("201", "29", "01", "行政运行", "280.00", ""),
    ("201", "29", "02", "一般行政管理事务", "", "50.00"),
    ("208", "05", "05", "机关事业单位基本养老保险缴费支出", "40.00", ""),
    ("221", "02", "01", "住房公积金", "30.00", ""),
]
NAMES = {"201": "一般公共服务支出", "20129": "群众团体事务", "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
         "221": "住房保障支出", "22102": "住房改革支出"}
TABLES = ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
          "一般公共预算财政拨款基本支出决算表", "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
          "国有资本经营预算财政拨款收入支出决算表"]
ORDINALS = "一二三四五六七八九"


def _sum(values: list[str]) -> str:
    total = sum((Decimal(v) for v in values if v), Decimal(0))
    return f"{total:.2f}" if total else ""


def _class_rows(columns: Callable[[tuple], list[str]], items: list[tuple] = ITEMS) -> list[list[str]]:
    """类/款/项 rows with the 类 and 款 lines summed, in code order: [类, 款, 项, name, *values]."""
    rows: list[list[str]] = []
    for lei in dict.fromkeys(item[0] for item in items):
        under = [item for item in items if item[0] == lei]
        rows.append([lei, "", "", NAMES[lei], *[_sum(list(v)) for v in zip(*(columns(i) for i in under))]])
        for kuan in dict.fromkeys(item[1] for item in under):
            leaves = [item for item in under if item[1] == kuan]
            rows.append([lei, kuan, "", NAMES[lei + kuan], *[_sum(list(v)) for v in zip(*(columns(i) for i in leaves))]])
            rows += [[lei, kuan, i[2], i[3], *columns(i)] for i in leaves]
    return rows


def _expense(item: tuple) -> list[str]:
    return [_sum([item[4], item[5]]), item[4], item[5]]


def _coded_table(value_headers: list[str], rows: list[list[str]], total: list[str]) -> Grid:
    width = 4 + len(value_headers)
    g = Grid(n_cols=width, font_pt=8)
    g.add(C("项目", cs=4), *[C(h, rs=3) for h in value_headers])
    g.add(C("功能分类科目编码", cs=3), C("科目名称", rs=2))
    g.add("类", "款", "项")
    g.add(C("合计", cs=4), *total)
    for row in rows:
        g.add(*row)
    return g


def income_table() -> Grid:
    def income(item: tuple) -> list[str]:
        spent = _sum([item[4], item[5]])
        other = "10.00" if item[2] == "02" and item[1] == "29" else ""
        return [_sum([spent, other]), spent, "", "", "", "", other]

    rows = _class_rows(income)
    return _coded_table(["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
                        rows, ["410.00", "400.00", "", "", "", "", "10.00"])


def expense_table(extra: bool = True) -> Grid:
    headers = ["本年支出合计", "基本支出", "项目支出"] + (["上缴上级支出", "经营支出", "对附属单位补助支出"] if extra else [])
    pad = [""] * (3 if extra else 0)
    rows = [row + pad for row in _class_rows(_expense)]
    return _coded_table(headers if extra else ["合计", "基本支出", "项目支出"], rows, ["400.00", "350.00", "50.00", *pad])


CLASS_LINES = [("一般公共服务支出", "330.00"), ("外交支出", ""), ("国防支出", ""), ("公共安全支出", ""), ("教育支出", ""),
               ("科学技术支出", ""), ("文化旅游体育与传媒支出", ""), ("社会保障和就业支出", "40.00"), ("卫生健康支出", ""),
               ("住房保障支出", "30.00")]


def summary_table(income_total: str = "415.00") -> Grid:
    income = [("一般公共预算财政拨款收入", "400.00"), ("政府性基金预算财政拨款收入", ""), ("国有资本经营预算财政拨款收入", ""),
              ("上级补助收入", ""), ("事业收入", ""), ("经营收入", ""), ("附属单位上缴收入", ""), ("其他收入", "10.00")]
    g = Grid(n_cols=4, font_pt=9)
    g.add(C("收入", cs=2), C("支出", cs=2))
    g.add("项目", "决算数", "项目", "决算数")
    for n in range(max(len(income), len(CLASS_LINES))):
        left = [f"{ORDINALS[n] if n < 9 else ''}、{income[n][0]}", income[n][1]] if n < len(income) else ["", ""]
        right = [f"{_ordinal(n + 1)}、{CLASS_LINES[n][0]}", CLASS_LINES[n][1]]
        g.add(*left, *right)
    g.add("本年收入合计", "410.00", "本年支出合计", "400.00")
    g.add("使用非财政拨款结余", "", "结余分配", "")
    g.add("年初结转和结余", "5.00", "年末结转和结余", "15.00")
    g.add("总计", income_total, "总计", "415.00")
    return g


def _ordinal(n: int) -> str:
    return ("十" + ORDINALS[n - 11]) if n > 10 else "十" if n == 10 else ORDINALS[n - 1]


def fiscal_summary_table(housing: str = "30.00") -> Grid:
    g = Grid(n_cols=7, font_pt=8)
    g.add(C("收入", cs=2), C("支出", cs=5))
    g.add("项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
    income = [("一般公共预算财政拨款", "400.00"), ("政府性基金预算财政拨款", ""), ("国有资本经营预算财政拨款", "")]
    lines = [(name, value if name != "住房保障支出" else housing) for name, value in CLASS_LINES]
    for n, (name, value) in enumerate(lines):
        left = [f"{ORDINALS[n]}、{income[n][0]}", income[n][1]] if n < len(income) else ["", ""]
        g.add(*left, f"{_ordinal(n + 1)}、{name}", value, value, "", "")
    g.add("本年收入合计", "400.00", "本年支出合计", "400.00", "400.00", "", "")
    g.add("年初财政拨款结转和结余", "", "年末财政拨款结转和结余", "", "", "", "")
    g.add("总计", "400.00", "总计", "400.00", "400.00", "", "")
    return g


def basic_table() -> Grid:
    left = [("301", "", "工资福利支出", "320.00"), ("301", "01", "基本工资", "200.00"), ("301", "02", "津贴补贴", "50.00"),
            ("301", "08", "机关事业单位基本养老保险缴费", "40.00"), ("301", "13", "住房公积金", "30.00")]
    right = [("302", "", "商品和服务支出", "30.00"), ("302", "01", "办公费", "18.00"), ("302", "11", "差旅费", "12.00"),
             ("", "", "", ""), ("", "", "", "")]
    g = Grid(n_cols=8, font_pt=8)
    g.add(C("经济分类科目编码", cs=2), C("科目名称", rs=2), C("决算数", rs=2), C("经济分类科目编码", cs=2), C("科目名称", rs=2),
          C("决算数", rs=2))
    g.add("类", "款", "类", "款")
    for a, b in zip(left, right):
        g.add(*a, *b)
    g.add(C("人员经费合计", cs=3), "320.00", C("公用经费合计", cs=3), "30.00")
    return g


def three_public_table(figures: list[str] | None = None) -> Grid:
    g = Grid(n_cols=12, font_pt=7)
    g.add(C("财政拨款“三公”经费", cs=12))
    g.add(C("合计", cs=2, rs=2), C("因公出国（境）费", cs=2, rs=2), C("公务用车购置及运行维护费", cs=6), C("公务接待费", cs=2, rs=2))
    g.add(C("小计", cs=2), C("公务用车购置费", cs=2), C("公务用车运行维护费", cs=2))
    g.add(*(["预算数", "决算数"] * 6))
    g.add(*(figures or ["6.00", "5.00", "", "", "4.00", "3.50", "", "", "4.00", "3.50", "2.00", "1.50"]))
    return g


def fund_table(figures: list[str] | None = None) -> Grid:
    g = Grid(n_cols=10, font_pt=8)
    g.add(C("项目", cs=4), C("年初结转和结余", rs=3), C("本年收入", rs=3), C("本年支出", cs=3), C("年末结转和结余", rs=3))
    g.add(C("功能分类科目编码", cs=3), C("科目名称", rs=2), C("小计", rs=2), C("基本支出", rs=2), C("项目支出", rs=2))
    g.add("类", "款", "项")
    g.add(C("合计", cs=4), *(figures or [""] * 6))
    if figures:
        g.add("212", "", "", "城乡社区支出", *figures)
    return g


Builder = Callable[[Report, set[str]], None]


def build(mutation: str | None = None) -> Report:
    """The document, with one named mutation applied (see MUTATIONS)."""
    m = {mutation} if mutation else set()
    r = Report(stem="fiscal_final_accounts_2024", header=TITLE, title=TITLE, auto_numbering=False,
               author="qhxdag", created="2025-06-20T02:00:00Z")
    r.add(Para(DEPT, align="center", indent=False, size_pt=22, bold=True))
    r.add(Para("2024年度部门决算", align="center", indent=False, size_pt=22, bold=True))
    r.add(Para("目录", align="center", indent=False, bold=True))
    r.p(f"第二部分 {DEPT}2024年度部门决算表", indent=False)
    for n, name in enumerate(TABLES):
        if not (name == "支出决算表" and "absent" in m):
            r.p(f"{ORDINALS[n]}、{name}", indent=False)
    r.p(f"第三部分 {DEPT}2024年度部门决算情况说明", indent=False)

    r.add(Heading(0, "第一部分 ", f"{DEPT}概况"))
    r.p(f"{DEPT}负责全县档案的收集、保管和利用，内设综合科、业务指导科和馆藏利用科。")
    r.add(Heading(0, "第二部分 ", f"{DEPT}2024年度部门决算表"))

    def table(name: str, grid: Grid, note: str | None = None) -> None:
        r.add(Para(name, align="center", indent=False, bold=True), Para("单位：万元", align="right", indent=False),
              TableBlock(grid))
        if note:
            r.p(note, indent=False)

    table(TABLES[0], summary_table("416.00" if "balance" in m else "415.00"))
    table(TABLES[1], income_table())
    if not ({"listed_missing", "absent"} & m):
        table(TABLES[2], expense_table())
    table(TABLES[3], fiscal_summary_table("30.01" if "table_vs_table" in m else "30.00"))
    grid = expense_table(extra=False)
    if "hierarchy" in m:  # the 类 line of 201 no longer adds up from its 款
        grid.rows[4] = [C(t) if not isinstance(t, C) else t for t in ["201", "", "", "一般公共服务支出", "331.00", "281.00", "50.00"]]
    if "identity" in m:  # a 项 whose 合计 is not 基本 + 项目
        grid.rows[6] = [C(t) for t in ["201", "29", "01", "行政运行", "282.00", "280.00", ""]]
    table(TABLES[4], grid)
    table(TABLES[5], basic_table())
    table(TABLES[6], three_public_table())
    fund_note = "注：本部门无政府性基金预算财政拨款收入和支出，故本表无数据。"
    table(TABLES[7], fund_table(["", "5.00", "5.00", "", "5.00", ""] if "empty_contradicted" in m else None), fund_note)
    capital_note = None if "empty_unexplained" in m else "注：本部门无国有资本经营预算财政拨款收入和支出，故本表无数据。"
    table(TABLES[8], fund_table(), capital_note)

    r.add(Heading(0, "第三部分 ", f"{DEPT}2024年度部门决算情况说明"))
    r.h(1, "一、", "收入支出决算总体情况说明")
    r.p(f"{DEPT}2024年度收入支出总计415.00万元。与2023年度相比，收入支出总计增加12.00万元，增长2.98%。")
    r.h(1, "二、", "收入决算情况说明")
    income_total = "401.00" if "text_vs_table" in m else "410.00"
    r.p(f"本年收入合计{income_total}万元，其中：财政拨款收入400.00万元，占97.56%；其他收入10.00万元，占2.44%。")
    r.h(1, "三、", "支出决算情况说明")
    r.p("本年支出合计400.00万元，其中：基本支出350.00万元，占87.50%；项目支出50.00万元，占12.50%。")
    r.h(1, "四、", "财政拨款收入支出决算总体情况说明")
    r.p(f"{DEPT}2024年度财政拨款收入支出总计400.00万元。")
    r.h(1, "五、", "一般公共预算财政拨款支出决算情况说明")
    r.h(2, "（一）", "一般公共预算财政拨款支出决算结构情况")
    r.p("一般公共预算财政拨款支出400.00万元，主要用于以下方面：一般公共服务支出（类）330.00万元，占82.50%；"
        "社会保障和就业支出（类）40.00万元，占10.00%；住房保障支出（类）30.00万元，占7.50%。")
    r.h(2, "（二）", "一般公共预算财政拨款支出决算具体情况")
    word = "大于" if "direction" in m else "小于"
    # direction: the text's own figures agree with 大于, the table's 280.00 does not
    item_final = {"item_vs_table": "285.00", "direction": "295.00"}.get(mutation or "", "280.00")
    first = (f"1、一般公共服务支出（类）群众团体事务（款）行政运行（项）。年初预算为290.00万元，支出决算为{item_final}万元。"
             f"决算数{word}预算数的主要原因：人员变动。")
    second = ("2、一般公共服务支出（类）群众团体事务（款）一般行政管理事务（项）。年初预算为50.00万元，支出决算为50.00万元。"
              "决算数等于预算数。")
    r.p(*((second, first) if "item_order" in m else (first, second)), indent=True)
    r.h(1, "六、", "一般公共预算财政拨款基本支出决算情况说明")
    period = "。。" if "punctuation" in m else "。"
    r.p(f"一般公共预算财政拨款基本支出350.00万元。其中：人员经费320.00万元，主要包括基本工资和津贴补贴{period}"
        "公用经费30.00万元，主要包括办公费和差旅费。")
    r.h(1, "七、", "财政拨款“三公”经费支出决算情况说明")
    reception = "1.80" if "three_public" in m else "1.50"
    r.p(f"“三公”经费财政拨款支出年初预算为6.00万元，支出决算为5.00万元，完成预算的83.33%，其中：因公出国（境）费决算为"
        f"0.00万元；公务用车购置及运行维护费支出决算为3.50万元；公务接待费支出决算为{reception}万元。")
    r.h(1, "八、", "政府性基金预算财政拨款收入支出决算情况说明")
    r.p(f"{DEPT}2024年度无政府性基金预算财政拨款收入和支出。")
    r.h(1, "九、", "国有资本经营预算财政拨款收入支出决算情况说明")
    if "empty_unexplained" not in m:
        r.p(f"{DEPT}2024年度无国有资本经营预算财政拨款收入和支出。")
    else:
        r.p("本部门本年度国有资本经营预算财政拨款情况见表九。")
    r.h(1, "十、", "预算绩效管理情况")
    good = "2" if "graded_count" in m else "1"
    r.p("绩效自评的2024年度项目2个，涉及预算金额50.00万元，平均得分92.50分（其中，绩效评级为“优”的项目1个；"
        f"绩效评级为“良”的项目{good}个；绩效评级为“合格”的项目0个；绩效评级为“不合格”的项目0个）。")
    return r


# mutation -> (the rule it must raise, a figure or phrase the finding's message names)
MUTATIONS: dict[str, tuple[str, str]] = {
    "hierarchy": ("F101", "331"),
    "identity": ("F102", "282"),
    "balance": ("F103", "416"),
    "table_vs_table": ("F104", "30.01"),
    "text_vs_table": ("F105", "401"),
    "item_vs_table": ("F105", "285"),
    "three_public": ("F106", "1.8"),
    "listed_missing": ("F107", "支出决算表"),
    "absent": ("F108", "支出决算表"),
    "empty_contradicted": ("F109", "5.00"),
    "empty_unexplained": ("F110", "国有资本经营预算财政拨款收入支出决算表"),
    "punctuation": ("F111", "。。"),
    "direction": ("F113", "大于"),
    "item_order": ("F116", "1、"),
    "graded_count": ("F114", "3"),
}


# ---------------------------------------------------------------- the same department's 2025 部门预算

BUDGET_TITLE = f"{DEPT}2025年度部门预算"
BUDGET_ITEMS = [  # (类, 款, 项, name, 一般公共预算 basic, project, 其他收入)
    ("201", "29", "01", "行政运行", "270.00", "", "8.00"),
    ("201", "29", "02", "一般行政管理事务", "", "40.00", ""),
    ("208", "05", "05", "机关事业单位基本养老保险缴费支出", "40.00", "", ""),
    ("221", "02", "01", "住房公积金", "30.00", "", ""),
]
BUDGET_TABLES = ["2025年部门财务收支预算总表", "2025年部门收入预算总表", "2025年部门支出预算总表",
                 "2025年部门财政拨款收支预算总表", "2025年部门一般公共预算支出功能分类预算表",
                 "2025年部门政府性基金预算支出功能分类预算表", "2025年部门国有资本经营预算支出功能分类预算表",
                 "2025年部门一般公共预算基本支出部门预算经济分类预算表", "2025年部门“三公”经费和机关运行经费预算表"]


def _budget_class_rows(columns: Callable[[tuple], list[str]]) -> list[list[str]]:
    """Class rows with the code in one column (2012901), as many budget tables print it."""
    return [[row[0] + row[1] + row[2], *row[3:]] for row in _class_rows(columns, BUDGET_ITEMS)]


def _one_code_table(value_headers: list[str], rows: list[list[str]], total: list[str]) -> Grid:
    g = Grid(n_cols=2 + len(value_headers), font_pt=8)
    g.add("功能分类科目编码", "科目名称", *value_headers)
    g.add(C("合计", cs=2), *total)
    for row in rows:
        g.add(*row)
    return g


def _budget_balance(income: list[tuple[str, str]], expense_headers: list[str], expense: list[tuple[str, list[str]]],
                    closing: list[tuple[str, str, str, list[str]]]) -> Grid:
    width = 2 + 1 + len(expense_headers)
    g = Grid(n_cols=width, font_pt=8)
    g.add(C("收入", cs=2), C("支出", cs=1 + len(expense_headers)))
    g.add("项目", "预算数", "项目", *expense_headers)
    for n in range(max(len(income), len(expense))):
        left = [f"{ORDINALS[n]}、{income[n][0]}", income[n][1]] if n < len(income) else ["", ""]
        right = [f"{_ordinal(n + 1)}、{expense[n][0]}", *expense[n][1]] if n < len(expense) else ["", *[""] * len(expense_headers)]
        g.add(*left, *right)
    for left, left_value, right, right_values in closing:
        g.add(left, left_value, right, *right_values)
    return g


def build_budget(mutation: str | None = None) -> Report:
    """The nine tables of a 部门预算 (Shanghai titles, codes in one column) and a few lines restating them, every
    figure agreeing; a BUDGET_MUTATIONS entry changes one figure of the text."""
    r = Report(stem="fiscal_budget_2025", header=BUDGET_TITLE, title=BUDGET_TITLE, auto_numbering=False,
               author="qhxdag", created="2025-02-10T02:00:00Z")
    r.add(Para(DEPT, align="center", indent=False, size_pt=22, bold=True))
    r.add(Para("2025年度部门预算", align="center", indent=False, size_pt=22, bold=True))
    r.add(Heading(0, "一、", "部门主要职能"))
    r.p(f"{DEPT}负责全县档案的收集、保管和利用。")
    r.add(Heading(0, "二、", "部门预算表"))

    def table(name: str, grid: Grid) -> None:
        r.add(Para(name, align="center", indent=False, bold=True), Para("单位：万元", align="right", indent=False),
              TableBlock(grid))

    classes = [("一般公共服务支出", "318.00"), ("社会保障和就业支出", "40.00"), ("住房保障支出", "30.00")]
    table(BUDGET_TABLES[0], _budget_balance(
        [("一般公共预算拨款收入", "380.00"), ("政府性基金预算拨款收入", ""), ("国有资本经营预算拨款收入", ""),
         ("事业收入", ""), ("事业单位经营收入", ""), ("其他收入", "8.00")],
        ["预算数"], [(name, [value]) for name, value in classes],
        [("本年收入合计", "388.00", "本年支出合计", ["388.00"]), ("上年结转结余", "", "年末结转和结余", [""]),
         ("总计", "388.00", "总计", ["388.00"])]))

    def income(item: tuple) -> list[str]:
        general = _sum([item[4], item[5]])
        return [_sum([general, item[6]]), general, "", "", "", "", "", item[6]]

    table(BUDGET_TABLES[1], _one_code_table(
        ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "事业收入", "事业单位经营收入", "其他收入"],
        _budget_class_rows(income), ["388.00", "380.00", "", "", "", "", "", "8.00"]))

    def spending(item: tuple) -> list[str]:
        basic = _sum([item[4], item[6]])
        return [_sum([basic, item[5]]), basic, item[5]]

    table(BUDGET_TABLES[2], _one_code_table(["合计", "基本支出", "项目支出"], _budget_class_rows(spending),
                                            ["388.00", "348.00", "40.00"]))
    general = [("一般公共服务支出", "310.00"), ("社会保障和就业支出", "40.00"), ("住房保障支出", "30.00")]
    table(BUDGET_TABLES[3], _budget_balance(
        [("一般公共预算", "380.00"), ("政府性基金预算", ""), ("国有资本经营预算", "")],
        ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
        [(name, [value, value, "", ""]) for name, value in general],
        [("本年收入合计", "380.00", "本年支出合计", ["380.00", "380.00", "", ""]),
         ("总计", "380.00", "总计", ["380.00", "380.00", "", ""])]))
    table(BUDGET_TABLES[4], _one_code_table(["合计", "基本支出", "项目支出"], _budget_class_rows(_expense),
                                            ["380.00", "340.00", "40.00"]))
    table(BUDGET_TABLES[5], _one_code_table(["合计", "基本支出", "项目支出"], [], ["", "", ""]))
    r.p("注：本部门2025年度无政府性基金预算拨款收入和支出，故本表无数据。", indent=False)
    table(BUDGET_TABLES[6], _one_code_table(["合计", "基本支出", "项目支出"], [], ["", "", ""]))
    r.p("注：本部门2025年度无国有资本经营预算拨款收入和支出，故本表无数据。", indent=False)
    g = Grid(n_cols=5, font_pt=8)
    g.add("经济分类科目编码", "科目名称", "合计", "人员经费", "公用经费")
    g.add(C("合计", cs=2), "340.00", "300.00", "40.00")
    for code, name, personnel, public in [("301", "工资福利支出", "300.00", ""), ("30101", "基本工资", "190.00", ""),
                                          ("30102", "津贴补贴", "40.00", ""), ("30108", "机关事业单位基本养老保险缴费", "40.00", ""),
                                          ("30113", "住房公积金", "30.00", ""), ("302", "商品和服务支出", "", "40.00"),
                                          ("30201", "办公费", "", "25.00"), ("30211", "差旅费", "", "15.00")]:
        g.add(code, name, personnel or public, personnel, public)
    table(BUDGET_TABLES[7], g)
    g = Grid(n_cols=7, font_pt=8)
    g.add(C("合计", rs=2), C("因公出国（境）费", rs=2), C("公务用车购置及运行费", cs=3), C("公务接待费", rs=2),
          C("机关运行经费", rs=2))
    g.add("小计", "公务用车购置费", "公务用车运行费")
    g.add("5.00", "0.00", "3.00", "0.00", "3.00", "2.00", "40.00")
    table(BUDGET_TABLES[8], g)
    r.add(Heading(0, "三、", "部门预算情况说明"))
    total = "398.00" if mutation == "total_text" else "388.00"
    three = "6.00" if mutation == "three_public_text" else "5.00"
    r.p(f"{DEPT}2025年度收支预算总计{total}万元。一般公共预算支出预算380.00万元。")
    r.p(f"2025年度“三公”经费预算数为{three}万元，机关运行经费预算数为40.00万元。")
    return r


# ---------------------------------------------------------------- a self-evaluation report restating the 决算总表

def build_selfeval() -> Report:
    """青禾县档案馆's 2024 部门整体支出绩效自评报告, restating the 收入支出决算总表 inside its 部门收支情况.

    DELIBERATE mismatch: the prose gives 收入支出总计 425.00万元, the table's 总计 is 415.00.
    """
    title = f"{DEPT}2024年度部门整体支出绩效自评报告"
    r = Report(stem="fiscal_selfeval_2024", header=title, title=title, auto_numbering=False, author="qhxdag",
               created="2025-04-01T02:00:00Z")
    r.add(Para(title, align="center", indent=False, size_pt=20, bold=True))
    r.h(0, "一、", "部门基本情况")
    r.p(f"{DEPT}负责全县档案的收集、保管和利用，2024年末在职人员12人。")
    r.h(0, "二、", "部门收支情况")
    r.p(f"{DEPT}2024年度收入支出总计425.00万元，其中本年收入合计410.00万元，本年支出合计400.00万元。")
    r.add(Para("收入支出决算总表", align="center", indent=False, bold=True), Para("单位：万元", align="right", indent=False),
          TableBlock(summary_table()))
    r.h(0, "三、", "部门整体支出绩效情况")
    r.p("全年档案接收进馆2.3万卷，查阅利用服务4,100人次，满意度96%。")
    return r


BUDGET_MUTATIONS: dict[str, tuple[str, str]] = {
    "total_text": ("F105", "398"),
    "three_public_text": ("F106", "6"),
}
