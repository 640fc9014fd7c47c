"""益阳市赫山区商务局 2024 (the real seed report) as a clean Word original.

The paragraph texts come from the seed .txt itself, so the .docx/.html cannot drift from
it.  The seed's degraded labels (`1、` for 一、, `（2）` for （二）, `4、` …) are what a
converter made of Word auto-numbering; here the headings are auto-numbered again and the
paragraph text holds only the title.  The three attachments are not in the seed; their
tables are made up to agree with the prose (see specs/heshan_commerce_2024.json).
"""

from __future__ import annotations

import re
from pathlib import Path

from model import Heading, PageBreak, Para, Report
from tablemodel import C, Grid

DEPT = "益阳市赫山区商务局"
HEADER = "益阳市赫山区商务局2024年度部门整体支出绩效自评报告"

# titles of the auto-numbered headings, in order, with their level
HEADINGS = [
    (0, "单位基本情况"),
    (1, "职能职责"), (1, "机构设置"), (1, "部门整体支出概况"), (1, "部门整体支出绩效目标"), (1, "部门整体支出情况分析"),
    (0, "一般公共预算支出情况"),
    (1, "基本支出情况"), (1, "项目支出情况"),
    (0, "政府性基金预算支出情况"),
    (0, "国有资本经营预算支出情况"),
    (0, "社会保险基金预算支出情况"),
    (0, "部门整体支出绩效情况"),
    (1, "绩效评价目的。"), (1, "绩效评价工作过程。"), (1, "主要绩效及评价结论。"),
    (0, "存在的问题及原因分析"),
    (0, "下一步改进措施"),
    (1, "提高认识，突出重点"), (1, "强化管理，规范行为"), (1, "科学考核，注重实效"),
    (0, "绩效自评结果拟应用和公开情况"),
    (0, "其他需要说明的情况"),
]
CN = "一二三四五六七八九十"
LABEL = re.compile(r"^\s*(?:[（(](?:[一二三四五六七八九十]+|\d+)[）)]|(?:[一二三四五六七八九十]+|\d+)、)\s*")
BOOKMARK = "[bookmark: _GoBack]"


def body_from_seed(seed: Path) -> list:
    lines = seed.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline
    blocks: list = []
    todo = list(HEADINGS)
    counters = [0, 0]
    in_duties = False
    for line in lines:
        stripped = LABEL.sub("", line, count=1)
        if todo and stripped == todo[0][1] and LABEL.match(line):
            level, title = todo.pop(0)
            counters[level] += 1
            if level == 0:
                counters[1] = 0
            label = f"{CN[counters[0] - 1]}、" if level == 0 else f"（{CN[counters[1] - 1]}）"
            blocks.append(Heading(level, label, title))
            in_duties = title == "职能职责"
            continue
        m = re.match(r"^(\d+)、", line)
        if in_duties and m:  # the 17 duties: a decimal auto-numbered list
            blocks.append(Para(line[m.end():], list_label=m.group(0)))
            continue
        in_duties = False
        if BOOKMARK in line:
            off = line.index(BOOKMARK)
            blocks.append(Para(line.replace(BOOKMARK, ""), bookmark=(off, "_GoBack")))
        elif line.startswith("附件：") or re.match(r"^\d\.", line):
            blocks.append(Para(line, indent=line.startswith("附件：")))
        else:
            blocks.append(Para(line))
    assert not todo, f"headings not found in seed: {todo}"
    return blocks


# ---------------------------------------------------------------- attachments

def basic_data_table() -> Grid:
    g = Grid(4, widths_cm=[6.2, 3.4, 3.4, 3.4])
    L = lambda t: C(t, align="left")  # noqa: E731
    g.add(C("财政供养人员情况", rs=2, bold=True), C("编制数", bold=True), C("2024年实际在职人数", bold=True), C("控制率", bold=True))
    g.add("29", "29", "100%")
    g.add(C("经费控制情况", bold=True), C("2023年决算数", bold=True), C("2024年预算数", bold=True), C("2024年决算数", bold=True))
    g.add(L("“三公”经费"), "0.00", "0.00", "0.00")
    g.add(L("1.公务用车购置和维护经费"), "0.00", "0.00", "0.00")
    g.add(L("其中：公车购置"), "0.00", "0.00", "0.00")
    g.add(L("公车运行维护"), "0.00", "0.00", "0.00")
    g.add(L("2.出国经费"), "0.00", "0.00", "0.00")
    g.add(L("3.公务接待"), "0.00", "0.00", "0.00")
    g.add(L("项目支出"), "386.52", "452.41", "449.19")
    g.add(L("1.业务工作专项"), "386.52", "452.41", "449.19")
    g.add(L("2.运行维护专项"), "0.00", "0.00", "0.00")
    g.add(L("公用经费"), "352.64", "376.07", "374.81")
    g.add(L("其中：办公经费"), "80.17", "86.90", "86.35")
    g.add(L("水费、电费、差旅费"), "40.36", "42.50", "42.18")
    g.add(L("会议费、培训费"), "6.85", "6.50", "6.20")
    g.add(L("政府采购金额"), "58.60", "65.00", "61.27")
    g.add(L("部门整体支出预算调整"), "152.36", "—", "194.24")
    g.add(C("厉行节约保障措施", bold=True),
          C("严格执行中央八项规定及其实施细则精神和省、市、区厉行节约有关规定，严控“三公”经费和会议费、培训费支出，"
            "全年“三公”经费支出为0。", cs=3, align="left"))
    return g


INDICATOR_HEAD = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
WIDTHS9 = [1.8, 1.7, 2.9, 1.8, 1.8, 1.6, 1.2, 1.3, 1.5]


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


def dept_eval_table() -> Grid:
    g = Grid(9, widths_cm=WIDTHS9, font_pt=9)
    g.add(C("部门（单位）名称", cs=3, bold=True), C(DEPT, cs=6))
    budget_rows(g, "年度预算执行情况（万元）", [
        ("", "年度资金总额", ["978.22", "1172.46", "1166.98", "10", "99.53%", "9.95"]),
        ("按收入性质分", "一般公共预算", ["905.60", "1086.84", "1081.36", "—", "—", "—"]),
        ("按收入性质分", "政府性基金", ["0.00", "13.00", "13.00", "—", "—", "—"]),
        ("按收入性质分", "国有资本经营", ["0.00", "0.00", "0.00", "—", "—", "—"]),
        ("按收入性质分", "财政专户管理资金", ["0.00", "0.00", "0.00", "—", "—", "—"]),
        ("按收入性质分", "单位资金", ["72.62", "72.62", "72.62", "—", "—", "—"]),
        ("按支出性质分", "基本支出", ["712.30", "720.05", "717.79", "—", "—", "—"]),
        ("按支出性质分", "项目支出", ["265.92", "452.41", "449.19", "—", "—", "—"]),
    ])
    g.add(C("年度总体目标", rs=2, bold=True), C("预期目标", cs=4, bold=True), C("实际完成情况", cs=4, bold=True))
    g.add(C("围绕招商引资、外贸扩容、消费促进三大重点，全年引进省外境内资金150亿元以上，新签约项目50个以上，"
            "社会消费品零售总额增长5%以上；加强预算管理，保障机关正常运转和各项重点工作顺利开展。", cs=4, align="left"),
          C("全年引进省外境内资金166.92亿元，新签约项目53个，新开工项目43个；完成外贸进出口7.5亿元；"
            "社会消费品零售总额335.21亿元，同比增长5.5%；部门预算执行率99.53%，“三公”经费支出为0。", cs=4, align="left"))
    indicator_rows(g, [
        ("产出指标(50分)", [
            ("数量指标", [
                ["引进省外境内资金", "≥150亿元", "166.92亿元", "8", "8"],
                ["新签约项目", "≥50个", "53个", "8", "8"],
                ["新开工项目", "≥40个", "43个", "6", "6"],
                ["外贸进出口额", "≥8亿元", "7.5亿元", "6", "5.63",
                 "受国际市场需求收缩影响，部分外贸企业订单减少。下一步加大外贸主体培育和市场开拓力度。"],
            ]),
            ("质量指标", [
                ["编制内在职人员控制率", "≤100%", "100%", "6", "6"],
                ["政府采购执行率", "100%", "100%", "5", "5"],
            ]),
            ("时效指标", [["资金支付及时率", "≥95%", "98%", "5", "5"]]),
            ("成本指标", [["“三公”经费支出", "≤上年", "0万元", "6", "6"]]),
        ]),
        ("效益指标(30分)", [
            ("经济效益指标", [
                ["社会消费品零售总额增长", "≥5%", "5.5%", "10", "10"],
                ["农产品网上销售额", "≥5亿元", "5.95亿元", "5", "5"],
            ]),
            ("社会效益指标", [
                ["新增限上企业及大个体", "≥30家", "32家", "5", "5"],
                ["省级“一刻钟便民生活圈”优秀样板", "≥1个", "2个", "5", "5"],
            ]),
            ("可持续影响指标", [["内部控制制度健全并有效执行", "健全有效", "健全有效", "5", "5"]]),
        ]),
        ("满意度指标(10分)", [
            ("服务对象满意度指标", [["企业及群众满意度", "≥90%", "95%", "10", "10"]]),
        ]),
    ])
    g.add(C("总分", cs=5, bold=True), "100", "99.58", C("自评等级：优", cs=2))
    return g


def project_eval_table() -> Grid:
    g = Grid(9, widths_cm=WIDTHS9, font_pt=9)
    g.add(C("项目名称", cs=3, bold=True), C("2023年“城市一刻钟”便民生活圈建设资金", cs=6))
    g.add(C("主管部门", cs=3, bold=True), C(DEPT, cs=2), C("实施单位", cs=2, bold=True), C(DEPT, cs=2))
    budget_rows(g, "项目资金（万元）", [
        ("", "年度资金总额", ["200.00", "220.00", "212.40", "10", "96.55%", "9.65"]),
        ("", "其中：当年财政拨款", ["200.00", "220.00", "212.40", "—", "—", "—"]),
        ("", "上年结转资金", ["0.00", "0.00", "0.00", "—", "—", "—"]),
        ("", "其他资金", ["0.00", "0.00", "0.00", "—", "—", "—"]),
    ])
    g.add(C("年度总体目标", rs=2, bold=True), C("预期目标", cs=4, bold=True), C("实际完成情况", cs=4, bold=True))
    g.add(C("支持茶亭街、粟公馆等社区建设“一刻钟便民生活圈”，新建改造便民商业网点20个以上，补齐社区商业短板，"
            "提升居民生活便利度和消费满意度。", cs=4, align="left"),
          C("完成2个社区便民生活圈建设，新建改造便民商业网点24个，茶亭街社区、粟公馆社区成功申报省级"
            "“一刻钟便民生活圈”（基本型）优秀样板；资金执行率96.55%。", cs=4, align="left"))
    indicator_rows(g, [
        ("产出指标(50分)", [
            ("数量指标", [
                ["建设便民生活圈数量", "≥2个", "2个", "5", "5"],
                ["新建改造便民商业网点", "≥20个", "24个", "5", "5"],
                ["引进品牌连锁便利店", "≥5家", "6家", "4", "4"],
                ["新增智能快递柜", "≥10组", "12组", "4", "4"],
                ["改造提升农贸市场", "≥1个", "1个", "4", "4"],
            ]),
            ("质量指标", [
                ["项目验收合格率", "100%", "100%", "5", "5"],
                ["基本保障类业态配置达标率", "≥90%", "92%", "4", "4"],
                ["网点标准化改造达标率", "≥95%", "96%", "4", "4"],
            ]),
            ("时效指标", [
                ["项目开工及时率", "100%", "100%", "3", "3"],
                ["项目完工时间", "2024年12月31日前", "2024年11月", "3", "3"],
                ["资金支付进度", "≥95%", "96.55%", "3", "3"],
            ]),
            ("成本指标", [
                ["项目总成本", "≤220万元", "212.40万元", "3", "3"],
                ["单个网点改造补助标准", "≤8万元", "7.6万元", "3", "3"],
            ]),
        ]),
        ("效益指标(30分)", [
            ("经济效益指标", [
                ["带动社区商业销售额增长", "≥5%", "6.2%", "5", "5"],
                ["带动社会投资", "≥500万元", "460万元", "5", "4.6",
                 "部分网点改造由经营户自筹完成，投资规模低于预期。下一步加强政策宣传，引导社会资本参与。"],
            ]),
            ("社会效益指标", [
                ["新增就业岗位", "≥50个", "58个", "5", "5"],
                ["覆盖社区居民人数", "≥3万人", "3.4万人", "5", "5"],
                ["居民购物便利度", "明显提升", "明显提升", "4", "4"],
            ]),
            ("可持续影响指标", [
                ["便民网点持续运营率", "≥90%", "95%", "3", "3"],
                ["长效管理机制", "建立", "已建立", "3", "3"],
            ]),
        ]),
        ("满意度指标(10分)", [
            ("服务对象满意度指标", [
                ["社区居民满意度", "≥90%", "93%", "5", "5"],
                ["经营主体满意度", "≥90%", "91%", "5", "5"],
            ]),
        ]),
    ])
    g.add(C("总分", cs=5, bold=True), "100", "99.25", C("自评等级：优", cs=2))
    return g


def attachment(rep: Report, n: int, title: str, grid: Grid) -> None:
    rep.add(PageBreak())
    rep.p(f"附件{n}", indent=False, align="left", font="黑体")
    rep.p(title, align="center", indent=False, size_pt=18, font="方正小标宋简体")
    rep.p(f"填报单位：{DEPT}", indent=False, align="left", size_pt=12)
    rep.p("单位：万元", indent=False, align="right", size_pt=12)
    rep.table(grid)


def build(seed: Path) -> Report:
    rep = Report(stem="heshan_commerce_2024", header=HEADER, title=HEADER, author="赫山区商务局")
    rep.add(*body_from_seed(seed))
    attachment(rep, 1, "部门整体支出绩效评价基础数据表", basic_data_table())
    attachment(rep, 2, "部门整体支出绩效自评表", dept_eval_table())
    attachment(rep, 3, "项目支出绩效自评表", project_eval_table())
    return rep


SITE = None  # set below; kept apart from the content


def _site():
    from htmllib import Site

    return Site(
        name="赫山区人民政府门户网站",
        nav=["首页", "走进赫山", "政务公开", "政务服务", "互动交流", "专题专栏"],
        crumbs=["首页", "政务公开", "部门信息公开", "区商务局", "财政资金"],
        article_title=HEADER,
        published="2025-05-20 16:35",
        source="区商务局",
        footer=[
            "主办：益阳市赫山区人民政府办公室　承办：益阳市赫山区数据资源服务中心",
            "版权所有：益阳市赫山区人民政府　Copyright © 2025 All Rights Reserved",
            "湘ICP备00000000号-1　湘公网安备 43090300000000号　网站标识码：0000000000",
        ],
    )


SITE = _site()
