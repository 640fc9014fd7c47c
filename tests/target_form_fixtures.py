"""Performance-target forms of our own, written at test time as .xlsx (one sheet per form, the bureau's
layout with merged cells) and .docx (one table): a form that meets every criterion, and for each review
rule a copy that breaks exactly that criterion. The projects, units and figures are invented.

    .venv/bin/python tests/target_form_fixtures.py DIR         # writes a demo folder (workbook + docx forms)
    .venv/bin/python tests/target_form_fixtures.py --pdf DIR   # the PDF fixtures (LibreOffice renders the docx)
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from docx import Document as WordDocument
from openpyxl import Workbook

from extractor.readers.xlsx import format_number

FIELDS = ("项目编码", "项目名称", "申请单位", "一级预算单位")

GOOD = {
    "项目编码": "440300240000000001",
    "项目名称": "社区公园绿化养护",
    "申请单位": "某某街道办事处",
    "一级预算单位": "某某街道办事处",
    "项目总金额（中期规划，万元）": 36,
    "本年度项目金额（万元）": 12,
    "政策依据": "为落实《某市公园绿地养护管理办法》（某府〔2021〕8号）对社区公园的养护要求，拟设立社区公园绿化养护项目。",
    "测算依据": "依据《某市绿地养护定额标准》测算：养护面积2万平方米，单价5元/平方米·年，计10万元；"
    "补植苗木400株，单价50元/株，计2万元；合计12万元。",
    "年度目标": "通过日常养护和补植，全年养护绿地2万平方米，补植苗木成活率达到95%以上。",
    "长期目标": "三年内社区公园绿地完好率保持在95%以上。",
    "indicators": [
        ["产出", "数量", "养护面积", "≥2万平方米", "反映全年完成养护的绿地面积"],
        ["产出", "质量", "苗木成活率", "≥95%", "反映补植苗木的成活比例"],
        ["产出", "时效", "补植完成时间", "2024年6月30日前", "反映补植工作的完成时限"],
        ["产出", "成本", "养护总成本", "≤12万元", "反映项目全年支出"],
        ["效益", "经济效益", "不适用", "不适用", "不适用"],
        ["效益", "社会效益", "公园开放天数", "≥360天", "反映公园全年正常开放的天数"],
        ["效益", "生态效益", "不适用", "不适用", "不适用"],
        ["效益", "可持续影响", "不适用", "不适用", "不适用"],
        ["满意度", "服务对象满意度", "游园群众满意度", "≥90%", "反映群众对公园环境的满意程度"],
        ["满意度", "其他满意度", "不适用", "不适用", "不适用"],
    ],
}


def _indicator(form: dict, level2: str) -> list:
    return next(row for row in form["indicators"] if row[1] == level2)


def _set(field: str, value):
    def change(form: dict) -> None:
        form[field] = value

    return change


def _cell(level2: str, column: int, value: str):
    def change(form: dict) -> None:
        _indicator(form, level2)[column] = value

    return change


def _large_with_few_indicators(form: dict) -> None:
    form["本年度项目金额（万元）"] = 300
    form["测算依据"] = "依据《某市绿地养护定额标准》测算：养护面积60万平方米，单价5元/平方米·年，合计300万元。"
    for level2 in ("数量", "质量", "社会效益", "服务对象满意度"):
        _indicator(form, level2)[3] = "明显提升"


def _yuan_under_wan_label(form: dict) -> None:
    form["本年度项目金额（万元）"] = 120000
    form["项目总金额（中期规划，万元）"] = 360000


# the criterion each rule checks, and how the good form is changed to break it
VARIANTS = {
    "P101": ("政策依据未填写", _set("政策依据", "")),
    "P102": ("政策依据未引用文件", _set("政策依据", "为保障社区公园环境整洁，做好日常养护工作。")),
    "P121": (
        "政策依据只列文件",
        _set("政策依据", "《某市公园绿地养护管理办法》（某府〔2021〕8号）；某市园林局关于加强社区公园管理的通知"),
    ),
    "P103": ("测算依据未填写", _set("测算依据", "")),
    "P104": ("测算依据只列金额", _set("测算依据", "绿化养护费10万元，苗木补植费2万元。")),
    "P105": (
        "测算依据未注明标准出处",
        _set(
            "测算依据",
            "养护面积2万平方米，单价5元/平方米·年，计10万元；补植苗木400株，单价50元/株，计2万元；合计12万元。",
        ),
    ),
    "P106": (
        "测算依据合计不等于申报金额",
        _set("测算依据", "依据《某市绿地养护定额标准》测算：养护面积2万平方米，单价5元/平方米·年，合计10万元。"),
    ),
    "P107": ("年度目标未填写", _set("年度目标", "")),
    "P108": ("年度目标是口号", _set("年度目标", "切实提升社区公园绿化水平，营造良好人居环境。")),
    "P109": ("项目编码存为数字", _set("项目编码", 4.403002400000001e17 * 1000)),
    "P110": ("万元栏填了元", _yuan_under_wan_label),
    "P111": ("必设指标填不适用", lambda form: _indicator(form, "社会效益").__setitem__(slice(2, 5), ["不适用"] * 3)),
    "P112": ("指标值留空", _cell("质量", 3, "")),
    "P113": ("指标解释未填写", _cell("数量", 4, "")),
    "P114": ("指标名称是一句话", _cell("社会效益", 2, "通过日常巡查养护使社区公园绿地面积得到有效保障")),
    "P115": ("指标值不可量化", _cell("质量", 3, "良好")),
    "P116": ("时效指标无时限", _cell("时效", 3, "及时")),
    "P117": ("成本指标不是金额", _cell("成本", 3, "≥95%")),
    "P118": ("大项目指标太少", _large_with_few_indicators),
    "P119": ("本年度金额为0", _set("本年度项目金额（万元）", 0)),
    "P120": (
        "年度目标的数量无指标对应",
        _set("年度目标", "通过日常养护和补植，全年养护绿地3万平方米，补植苗木成活率达到95%以上。"),
    ),
}


# P122 looks across the forms of a batch: a 政策依据 copied word for word into another project. Two
# projects of our own that state the same basis, the second copy set with other spaces and punctuation
COPIED_BASIS = "根据《某市社区服务设施管理办法》（某府〔2020〕3号）的要求，做好社区服务设施的日常运行保障工作。"


def copied_basis_forms() -> list[tuple[str, dict]]:
    """(sheet name, form): two projects whose 政策依据 is one text, and the good form with its own."""
    hall = copy.deepcopy(GOOD)
    hall.update({"项目编码": "440300240000000011", "项目名称": "社区活动室运行保障", "政策依据": COPIED_BASIS})
    station = copy.deepcopy(GOOD)
    station.update({"项目编码": "440300240000000012", "项目名称": "社区服务站运行保障",
                    "政策依据": COPIED_BASIS.replace("，", ",").replace("（", " (").replace("）", ") ")})  # fmt: skip
    return [
        ("1.社区活动室运行保障", hall),
        ("2.社区服务站运行保障", station),
        ("3.社区公园绿化养护", copy.deepcopy(GOOD)),
    ]


def variant(code: str) -> dict:
    form = copy.deepcopy(GOOD)
    VARIANTS[code][1](form)
    return form


def _rows(form: dict) -> list[list]:
    """The form as the bureau's sheet lays it out: 5 columns, label/value pairs, the indicator table."""
    rows = [["二级项目支出绩效目标申报表", None, None, None, None]]
    rows.append(["项目编码：", form["项目编码"], None, "项目名称：", form["项目名称"]])
    rows.append(["申请单位：", form["申请单位"], None, "一级预算单位：", form["一级预算单位"]])
    total, year = "项目总金额（中期规划，万元）", "本年度项目金额（万元）"
    rows.append([total + "：", form[total], None, year + "：", form[year]])
    for label in ("政策依据", "测算依据", "年度目标", "长期目标"):
        rows.append([label + "：", form[label], None, None, None])
    rows.append(["一级指标", "二级指标", "三级指标", "目标值", "指标解释"])
    rows += [list(row) for row in form["indicators"]]
    return rows


def with_weights(rows: list[list]) -> list[list]:
    """The form's rows with a 分值 column after the target values, as some bureaus' forms weight each
    indicator when the target is set (a weight is no score: the form stays a target form)."""
    header = rows.index(["一级指标", "二级指标", "三级指标", "目标值", "指标解释"])
    weights = iter(["20", "20", "10", "10", "0", "20", "0", "0", "20", "0"])
    return [
        row[:4] + ["分值" if r == header else next(weights), row[4]] if r >= header else row + [None]
        for r, row in enumerate(rows)
    ]


def write_workbook(path: Path, forms: list[tuple[str, dict]], weighted: bool = False) -> Path:
    """One sheet per (sheet name, form), merged like the bureau's template (`weighted`: with a 分值 column)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    last = "F" if weighted else "E"
    for name, form in forms:
        sheet = workbook.create_sheet(name)
        rows = with_weights(_rows(form)) if weighted else _rows(form)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    sheet.cell(r, c, value)
        sheet.merge_cells(f"A1:{last}1")
        for r in (2, 3, 4):
            sheet.merge_cells(f"B{r}:C{r}")
        for r in (5, 6, 7, 8):
            sheet.merge_cells(f"B{r}:{last}{r}")
        for r in (4,):
            for column in "BE":
                sheet[f"{column}{r}"].number_format = "#,##0.00"
        first = 10  # the indicator rows: 产出 over four rows, 效益 over four, 满意度 over two
        for start, length in ((first, 4), (first + 4, 4), (first + 8, 2)):
            sheet.merge_cells(f"A{start}:A{start + length - 1}")
    workbook.save(path)
    return path


def _printed(value) -> str:
    """A value as a Word table shows it: amounts with two decimals, a number-typed code as Excel shows it."""
    if isinstance(value, float) and value >= 1e15:
        return format_number(value, "General")
    if isinstance(value, (int, float)):
        return f"{value:,.2f}"
    return str(value)


def write_docx(path: Path, form: dict, weighted: bool = False) -> Path:
    """The form as one table of a Word document, under its title (`weighted`: with a 分值 column)."""
    document = WordDocument()
    document.add_paragraph("二级项目支出绩效目标申报表")
    rows = (with_weights(_rows(form)) if weighted else _rows(form))[1:]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"  # ruled, as the printed form is (a PDF of it has its cells drawn)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = _printed(value)
    for r in range(3):  # label/value pairs: the value cell spans the empty cell after it
        table.cell(r, 1).merge(table.cell(r, 2))
    for r in range(3, 7):  # 政策依据 … 长期目标: the text spans the row
        table.cell(r, 1).merge(table.cell(r, len(rows[0]) - 1))
    document.save(path)
    return path


SELF_EVALUATION_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"]


def write_self_evaluation_docx(path: Path, rows: list[list[str]], project: str = "社区公园绿化养护") -> Path:
    """A 项目支出绩效自评表 with the given indicator rows (level1 … 偏差原因)."""
    document = WordDocument()
    document.add_paragraph("2024年度项目支出绩效自评表")
    table = document.add_table(rows=2 + len(rows), cols=8)
    table.cell(0, 0).text = "项目名称"
    table.cell(0, 1).merge(table.cell(0, 7)).text = project
    for c, title in enumerate(SELF_EVALUATION_HEADER):
        table.cell(1, c).text = title
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(path)
    return path


def write_demo(folder: Path) -> list[Path]:
    """A folder as a bureau receives it: a unit's workbook of three projects and a Word form."""
    folder.mkdir(parents=True, exist_ok=True)
    street = copy.deepcopy(GOOD)
    library = variant("P115")
    library.update({"项目编码": "440300240000000002", "项目名称": "社区图书室运营"})
    VARIANTS["P102"][1](library)
    VARIANTS["P116"][1](library)
    lights = variant("P104")
    lights.update({"项目编码": "440300240000000003", "项目名称": "背街小巷路灯维护"})
    # each project states its own basis (one copied from another project would be P122)
    lights["政策依据"] = (
        "为落实《某市城市道路照明设施管理规定》（某府〔2019〕5号）对背街小巷照明的维护要求，拟设立本项目。"
    )
    VARIANTS["P114"][1](lights)
    VARIANTS["P113"][1](lights)
    hall = variant("P111")
    hall.update({"项目编码": "440300240000000004", "项目名称": "党群服务中心物业服务"})
    hall["政策依据"] = "为落实《某区党群服务中心运营管理指引》（某组〔2022〕2号）对中心日常运营的要求，拟设立本项目。"
    VARIANTS["P106"][1](hall)
    return [
        write_workbook(
            folder / "某某街道_绩效目标申报表.xlsx",
            [("1.社区公园绿化养护", street), ("2.社区图书室运营", library), ("3.背街小巷路灯维护", lights)],
        ),  # fmt: skip
        write_docx(folder / "党群服务中心物业服务_绩效目标表.docx", hall),
    ]


def write_mof_docx(path: Path, indicators: list[list[str]]) -> Path:
    """A form in the Ministry of Finance's layout (项目支出绩效目标表): no 政策依据 / 测算依据 rows, no
    explanation column, the amounts under a 项目资金（万元） label, 一级/二级 names ending in 指标."""
    document = WordDocument()
    document.add_paragraph("2024年度项目支出绩效目标表")
    rows = [
        ["项目名称", "社区助老服务", None, None, None],
        ["主管部门及代码", "某区民政局", None, "实施单位", "某某街道办事处"],
        ["项目资金（万元）", "年度资金总额", "50", "其中：财政拨款", "50"],
        ["年度目标", "全年为辖区老人提供助餐、探访服务5000人次以上，服务满意度达到90%以上。", None, None, None],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        *[["绩效指标", *row] for row in indicators],
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and not (c == 0 and r > 4):
                table.cell(r, c).text = value
    table.cell(0, 1).merge(table.cell(0, 4))
    table.cell(1, 1).merge(table.cell(1, 2))
    table.cell(3, 1).merge(table.cell(3, 4))
    table.cell(4, 0).merge(table.cell(len(rows) - 1, 0))
    document.save(path)
    return path


MOF_INDICATORS = [
    ["产出指标", "数量指标", "助餐探访服务人次", "≥5000人次"],
    ["产出指标", "质量指标", "服务对象回访合格率", "≥95%"],
    ["产出指标", "时效指标", "服务完成时间", "2024年12月底前"],
    ["产出指标", "成本指标", "服务总成本", "≤50万元"],
    ["效益指标", "社会效益指标", "独居老人探访覆盖率", "100%"],
    ["满意度指标", "服务对象满意度指标", "老人满意度", "≥90%"],
]


# ---------------------------------------------------------------- 项目支出绩效自评表 (the Ministry's layout)

SELF_EVALUATION = {
    "项目名称": "社区公园绿化养护",
    "主管部门": "某区城市管理局",
    "实施单位": "某某街道办事处",
    # 年初预算数, 全年预算数, 全年执行数 (万元), 分值, 执行率, 得分
    "年度资金总额": ["12", "12", "11.4", "10", "95%", "9.5"],
    "预期目标": "通过日常养护和补植，全年养护绿地2万平方米，补植苗木成活率达到95%以上。",
    "实际完成情况": "全年养护绿地2.1万平方米，补植苗木成活率96%。",
    # 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因
    "indicators": [
        ["产出指标", "数量指标", "养护面积", "≥2万平方米", "2.1万平方米", "20", "20", ""],
        ["产出指标", "质量指标", "苗木成活率", "≥95%", "96%", "20", "20", ""],
        ["产出指标", "时效指标", "补植完成时间", "2024年6月30日前", "2024年6月20日", "10", "10", ""],
        ["产出指标", "成本指标", "养护总成本", "≤12万元", "11.4万元", "10", "10", ""],
        ["效益指标", "社会效益指标", "公园开放天数", "≥360天", "362天", "20", "20", ""],
        ["满意度指标", "服务对象满意度指标", "游园群众满意度", "≥90%", "93%", "10", "10", ""],
    ],
}


def self_evaluation_rows(form: dict) -> list[list]:
    """A 自评表 as the Ministry's template lays it out, 8 columns: the project, the money by 年初预算数 /
    全年预算数 / 全年执行数, 年度总体目标 with 预期目标 beside 实际完成情况, the indicators, 总分."""
    money = "项目资金（万元）"
    rows = [
        ["项目名称", form["项目名称"], None, None, None, None, None, None],
        ["主管部门", form["主管部门"], None, None, "实施单位", form["实施单位"], None, None],
        [money, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [money, "年度资金总额", *form["年度资金总额"]],
        ["年度总体目标", "预期目标", None, None, "实际完成情况", None, None, None],
        ["年度总体目标", form["预期目标"], None, None, form["实际完成情况"], None, None, None],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        *[list(row) for row in form["indicators"]],
    ]
    weights = sum(int(row[5]) for row in form["indicators"]) + int(form["年度资金总额"][3])
    scores = sum(float(row[6]) for row in form["indicators"]) + float(form["年度资金总额"][5])
    rows.append(["总分", None, None, None, None, str(weights), f"{scores:g}", None])
    return rows


# merged ranges of the rows above, (first row, first column, last row, last column), 0-based
_SELF_EVALUATION_MERGES = [(0, 1, 0, 7), (1, 1, 1, 3), (1, 5, 1, 7), (2, 0, 3, 0), (2, 1, 2, 1),
                           (4, 0, 5, 0), (4, 1, 4, 3), (4, 4, 4, 7), (5, 1, 5, 3), (5, 4, 5, 7)]  # fmt: skip


def _covered(r: int, c: int) -> bool:
    """The cell (0-based) lies under a merge started above it: its text is the merge's, written once."""
    return any(r0 < r <= r1 and c0 <= c <= c1 for r0, c0, r1, c1 in _SELF_EVALUATION_MERGES)


def write_self_evaluation_form_docx(path: Path, form: dict) -> Path:
    """The 自评表 as one table of a Word document, merged as the template is."""
    document = WordDocument()
    document.add_paragraph("2024年度项目支出绩效自评表")
    rows = self_evaluation_rows(form)
    table = document.add_table(rows=len(rows), cols=8)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and not _covered(r, c):
                table.cell(r, c).text = value
    for r0, c0, r1, c1 in _SELF_EVALUATION_MERGES:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    last = len(rows) - 1
    table.cell(last, 0).merge(table.cell(last, 4))
    document.save(path)
    return path


def write_self_evaluation_form_workbook(path: Path, form: dict) -> Path:
    """The 自评表 as a worksheet, merged as the template is."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "项目支出绩效自评表"
    rows = self_evaluation_rows(form)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None and not _covered(r - 1, c - 1):
                sheet.cell(r, c, value)
    for r0, c0, r1, c1 in _SELF_EVALUATION_MERGES:
        sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    sheet.merge_cells(start_row=len(rows), start_column=1, end_row=len(rows), end_column=5)
    workbook.save(path)
    return path


# ---------------------------------------------------------------- PDF fixtures


# the PDFs in tests/fixtures/pdf: each a .docx fixture above printed by LibreOffice, so the test compares
# the form read from the PDF with the form read from the same .docx
def _long_form() -> dict:
    """The good form with 30 more 数量 rows: its table runs over several pages."""
    form = copy.deepcopy(GOOD)
    districts = [
        ["产出", "数量", f"第{n}片区养护面积", "≥0.1万平方米", "反映该片区全年完成养护的绿地面积，按季度验收记录汇总"]
        for n in range(1, 31)
    ]
    form["indicators"][1:1] = districts
    return form


PDF_FIXTURES = {
    "target_form.pdf": lambda path: write_docx(path, variant("P115")),
    "target_form_pages.pdf": lambda path: write_docx(path, _long_form()),
    "self_evaluation_form.pdf": lambda path: write_self_evaluation_form_docx(path, SELF_EVALUATION),
}


def write_pdf_fixtures(folder: Path) -> list[Path]:
    import subprocess
    import tempfile

    from extractor.readers.legacy import soffice

    executable = soffice()
    if executable is None:
        raise SystemExit("LibreOffice (soffice) is needed to print the PDF fixtures")
    written = []
    with tempfile.TemporaryDirectory() as work:
        for name, write in PDF_FIXTURES.items():
            source = write(Path(work) / Path(name).with_suffix(".docx").name)
            subprocess.run([executable, "--headless", "--convert-to", "pdf", "--outdir", work, str(source)],
                           check=True, capture_output=True, timeout=300)  # fmt: skip
            target = folder / name
            target.write_bytes(source.with_suffix(".pdf").read_bytes())
            written.append(target)
    return written


if __name__ == "__main__":
    if sys.argv[1] == "--pdf":
        paths = write_pdf_fixtures(Path(sys.argv[2]))
    else:
        paths = write_demo(Path(sys.argv[1]))
    for path in paths:
        print(path)
