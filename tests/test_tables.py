"""Self-evaluation tables as typed records: tables built here cell by cell in the layouts of Hunan, Sichuan
and Chongqing, and the attached tables of the seed report (corpus/heshan_commerce_2024.docx)."""

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from extractor.config import load_default
from extractor.figures.tables import extract_tables
from extractor.figures.targets import parse_cell_number, parse_comparator, parse_indicator_value
from extractor.records import Block, Cell, Document, Section, Table

config = load_default()  # the installed rule set, validated once for these tests

CORPUS = Path(__file__).parent.parent / "corpus"


def span(text: str, rs: int = 1, cs: int = 1) -> tuple[str, int, int]:
    return (text, rs, cs)


def make_table(rows: list[list]) -> Table:
    """A table written the way HTML writes one: each row lists the cells starting in it, positions covered
    by a row span from above are skipped; a cell is a string or span(text, rs, cs)."""
    covered: set[tuple[int, int]] = set()
    cells = []
    for r, row in enumerate(rows):
        c = 0
        for item in row:
            text, rs, cs = item if isinstance(item, tuple) else (item, 1, 1)
            while (r, c) in covered:
                c += 1
            cells.append(Cell(row=r, col=c, text=text, row_span=rs, col_span=cs))
            covered |= {(rr, cc) for rr in range(r, r + rs) for cc in range(c, c + cs)}
            c += cs
    n_cols = max(c for _, c in covered) + 1
    return Table(n_rows=len(rows), n_cols=n_cols, cells=cells)


def make_document(*captions: str, table: Table) -> Document:
    blocks = [Block(index=i, kind="paragraph", text=text) for i, text in enumerate(captions)]
    blocks.append(Block(index=len(blocks), kind="table", table=table, page=7))
    return Document(path="t.docx", sha256="0", format="docx", blocks=blocks)


def indicator_rows(kpis) -> list[tuple]:
    return [(k.level1, k.level2, k.level3, k.target, k.actual, k.weight, k.score) for k in kpis]


# ---------------------------------------------------------------- indicator values


@pytest.mark.parametrize(
    "printed, comparator, value, unit",
    [
        ("≥95%", ">=", D("95"), "%"),
        ("≤90万元", "<=", D("90"), "万元"),
        ("=100%", "=", D("100"), "%"),
        ("≥50个", ">=", D("50"), "个"),
        ("100%", "=", D("100"), "%"),
        ("≧95％", ">=", D("95"), "%"),
        ("≦10万元", "<=", D("10"), "万元"),
        ("＞９０%", ">", D("90"), "%"),
        ("＜ 5 天", "<", D("5"), "天"),
        ("＝100%", "=", D("100"), "%"),
        ("不低于3.50万人", ">=", D("3.50"), "万人"),
        ("50个以上", ">=", D("50"), "个"),
        ("≥1,200人次", ">=", D("1200"), "人次"),
        ("按时", "qualitative", None, None),
        ("效果明显", "qualitative", None, None),
        ("达成预期指标", "qualitative", None, None),
        ("是", "qualitative", None, None),
        ("2024年12月31日前", "qualitative", None, None),
        ("≤上年", "<=", None, None),
        ("", None, None, None),
    ],
)
def test_indicator_value(printed, comparator, value, unit):
    parsed = parse_indicator_value(config, printed)
    assert (parsed.comparator, parsed.value, parsed.unit) == (comparator, value, unit)
    if value is not None:
        assert str(parsed.value) == str(value)  # decimals as printed


def test_comparator_cell_and_cell_numbers():
    assert [parse_comparator(config, t) for t in ("≥", "＜", "＝", "定性", "定量", "")] == [
        ">=",
        "<",
        "=",
        "qualitative",
        None,
        None,
    ]
    assert str(parse_cell_number("98.50%")) == "98.50"
    assert parse_cell_number("1,172.46") == D("1172.46")
    assert parse_cell_number("10分") == D("10")
    assert parse_cell_number("—") is None
    assert parse_cell_number("健全有效") is None


# ---------------------------------------------------------------- Hunan / MoF 项目支出绩效自评表


def hunan_project_table() -> Table:
    return make_table(
        [
            [span("项目名称", cs=2), span("2024年乡村振兴产业发展资金", cs=6)],
            [
                span("主管部门", cs=2),
                span("某县农业农村局", cs=2),
                span("实施单位", cs=2),
                span("某县农业技术推广中心", cs=2),
            ],
            [span("项目资金", rs=5), "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["年度资金总额", "300.00", "320.50", "310.20", "10", "96.79%", "9.68"],
            ["其中：当年财政拨款", "300.00", "320.50", "310.20", "—", "—", "—"],
            ["上年结转资金", "0", "0", "0", "—", "—", "—"],
            ["其他资金", "", "", "", "", "", ""],
            [span("年度总体目标", rs=2), span("预期目标", cs=3), span("实际完成情况", cs=4)],
            [
                span("扶持产业项目10个以上，带动农户增收。", cs=3),
                span("扶持产业项目12个，带动农户户均增收1500元。", cs=4),
            ],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            [span("产出指标(50分)", rs=4), span("数量指标", rs=2), "扶持产业项目", "≧10个", "12个", "20", "20", ""],
            ["培训农户", "≥500人次", "460人次", "10", "9.2", "部分培训因汛期延后。下一步加密培训场次。"],
            ["质量指标", "项目验收合格率", "＝100％", "100%", "10", "10", ""],
            ["时效指标", "资金拨付", "按时", "按时", "10", "10", ""],
            [span("效益指标（30分）", rs=2), "经济效益指标", "户均增收", "≥1000元", "1500元", "15", "15", ""],
            ["可持续影响指标", "带动作用", "效果明显", "效果明显", "15", "15", ""],
            ["满意度指标(10分)", "服务对象满意度指标", "受益农户满意度", "≥90%", "94%", "10", "10", ""],
            [span("总分", cs=5), "100", "98.88", "自评等级：优"],
        ]
    )


def test_hunan_project_table_budget_indicators_total():
    document = make_document("附件3", "2024年度项目支出绩效自评表", "单位：万元", table=hunan_project_table())
    tables, kpis = extract_tables(config, document, [])
    assert len(tables) == 1
    table = tables[0]
    assert (table.id, table.kind, table.unit, table.block, table.page) == (
        "T1",
        "project_self_eval_table",
        "万元",
        3,
        7,
    )
    assert table.title == "2024年度项目支出绩效自评表"
    assert table.project == "2024年乡村振兴产业发展资金"
    assert table.department == "某县农业农村局"
    assert [row.label for row in table.budget_rows] == [
        "年度资金总额",
        "其中：当年财政拨款",
        "上年结转资金",
        "其他资金",
    ]
    total = table.budget_rows[0]
    assert (total.budget_initial, total.budget_full_year, total.executed) == (D("300.00"), D("320.50"), D("310.20"))
    assert (total.weight, total.execution_rate, total.score, total.row) == (D("10"), D("96.79"), D("9.68"), 3)
    assert str(total.budget_initial) == "300.00"  # trailing zeros kept
    assert table.budget_rows[1].execution_rate is None and table.budget_rows[1].score is None  # "—"
    assert table.budget_rows[3].budget_initial is None  # empty
    assert table.total_score == D("98.88")
    assert table.stated_grade == "优"

    assert indicator_rows(kpis) == [
        ("产出指标", "数量指标", "扶持产业项目", "≧10个", "12个", D("20"), D("20")),
        ("产出指标", "数量指标", "培训农户", "≥500人次", "460人次", D("10"), D("9.2")),
        ("产出指标", "质量指标", "项目验收合格率", "＝100％", "100%", D("10"), D("10")),
        ("产出指标", "时效指标", "资金拨付", "按时", "按时", D("10"), D("10")),
        ("效益指标", "经济效益指标", "户均增收", "≥1000元", "1500元", D("15"), D("15")),
        ("效益指标", "可持续影响指标", "带动作用", "效果明显", "效果明显", D("15"), D("15")),
        ("满意度指标", "服务对象满意度指标", "受益农户满意度", "≥90%", "94%", D("10"), D("10")),
    ]
    assert [k.level1_weight for k in kpis] == [D(50)] * 4 + [D(30)] * 2 + [D(10)]
    assert [(k.target_comparator, k.target_value, k.target_unit) for k in kpis[:4]] == [
        (">=", D("10"), "个"),
        (">=", D("500"), "人次"),
        ("=", D("100"), "%"),
        ("qualitative", None, None),
    ]
    assert [k.actual_value for k in kpis[:4]] == [D("12"), D("460"), D("100"), None]
    assert kpis[1].deviation_reason == "部分培训因汛期延后。下一步加密培训场次。"
    assert kpis[0].deviation_reason is None
    assert [k.id for k in kpis[:3]] == ["T1.K1", "T1.K2", "T1.K3"]
    assert all(k.table == "T1" and k.source == "table" and k.block == 3 and k.page == 7 for k in kpis)
    assert kpis[0].label == "扶持产业项目"


# ---------------------------------------------------------------- Sichuan 510000_0013zp


def sichuan_table() -> Table:
    return make_table(
        [
            [span("项目名称", cs=2), span("51000021R000000019951-工资性支出", cs=8)],
            [
                span("主管部门", cs=2),
                span("四川省某某厅", cs=3),
                span("实施单位（盖章）", cs=2),
                span("四川省某某中心", cs=3),
            ],
            [
                span("预算执行情况（10分）", rs=5),
                span("资金来源", rs=2),
                span("年度预算数（万元）", cs=3),
                span("预算执行率", rs=2),
                span("权重", rs=2),
                span("得分", rs=2),
                span("原因", rs=2, cs=2),
            ],
            ["年初预算", "调整后预算数", "预算执行数"],
            ["总额", "100.00", "120.00", "114.60", "95.50%", "10", "9.55", span("", cs=2)],
            ["其中：财政资金", "100.00", "120.00", "114.60", "—", "—", "—", span("", cs=2)],
            ["其他资金", "0", "0", "0", "/", "/", "/", span("", cs=2)],
            [span("绩效指标（90分）", cs=10)],
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "指标性质",
                "指标值",
                "度量单位",
                "完成值",
                "权重",
                "得分",
                "未完成原因分析",
            ],
            [span("产出指标", rs=3), span("数量指标", rs=2), "培训人次", "≥", "500", "人次", "520", "20", "20", ""],
            ["覆盖县区数", "＝", "21", "个", "21", "20", "20", ""],
            ["时效指标", "按时发放率", "≥", "95", "%", "90", "20", "18.95", "资金拨付滞后"],
            ["效益指标", "社会效益指标", "政策知晓度", "定性", "明显提高", "", "明显提高", "20", "20", ""],
            ["满意度指标", "服务对象满意度指标", "受训人员满意度", "≥", "90", "%", "96", "10", "10", ""],
            [span("合计", cs=7), "100", "98.50", ""],
            [span("评价结论", cs=2), span("项目完成较好。", cs=8)],
        ]
    )


def test_sichuan_layout_operator_and_unit_columns():
    document = make_document("部门预算项目支出绩效自评表", "（2024年度）", table=sichuan_table())
    tables, kpis = extract_tables(config, document, [])
    (table,) = tables
    assert table.kind == "project_self_eval_table"
    assert table.project == "51000021R000000019951-工资性支出"
    assert table.department == "四川省某某厅"
    assert table.unit == "万元"  # from the header cell 年度预算数（万元）
    assert [row.label for row in table.budget_rows] == ["总额", "其中：财政资金", "其他资金"]
    total = table.budget_rows[0]
    assert (total.budget_initial, total.budget_full_year, total.executed) == (D("100.00"), D("120.00"), D("114.60"))
    assert (total.execution_rate, total.weight, total.score) == (D("95.50"), D("10"), D("9.55"))
    assert table.total_score == D("98.50")
    assert table.stated_grade is None

    assert indicator_rows(kpis) == [
        ("产出指标", "数量指标", "培训人次", "500", "520", D("20"), D("20")),
        ("产出指标", "数量指标", "覆盖县区数", "21", "21", D("20"), D("20")),
        ("产出指标", "时效指标", "按时发放率", "95", "90", D("20"), D("18.95")),
        ("效益指标", "社会效益指标", "政策知晓度", "明显提高", "明显提高", D("20"), D("20")),
        ("满意度指标", "服务对象满意度指标", "受训人员满意度", "90", "96", D("10"), D("10")),
    ]
    assert [(k.target_comparator, k.target_value, k.target_unit) for k in kpis] == [
        (">=", D("500"), "人次"),
        ("=", D("21"), "个"),
        (">=", D("95"), "%"),
        ("qualitative", None, None),
        (">=", D("90"), "%"),
    ]
    assert [k.actual_value for k in kpis] == [D("520"), D("21"), D("90"), None, D("96")]
    assert kpis[2].deviation_reason == "资金拨付滞后"
    assert all(k.level1_weight is None for k in kpis)


# ---------------------------------------------------------------- Chongqing


def chongqing_table() -> Table:
    return make_table(
        [
            [span("单位名称", cs=2), span("重庆市某区商务委员会", cs=10)],
            [
                span("项目资金", cs=3),
                "年初预算数",
                span("全年（调整）预算数", cs=2),
                span("全年执行数", cs=2),
                "执行率(%)",
                "执行率权重",
                span("执行率得分(分)", cs=2),
            ],
            [
                span("部门预算资金总额", cs=3),
                "1250.00",
                span("1300.00", cs=2),
                span("988.00", cs=2),
                "76",
                "10",
                span("7.6", cs=2),
            ],
            [
                span("其中：财政拨款", cs=3),
                "1200.00",
                span("1250.00", cs=2),
                span("950.00", cs=2),
                "—",
                "—",
                span("—", cs=2),
            ],
            [
                "一级指标",
                "二级指标",
                "指标名称",
                "计量单位",
                "指标性质",
                "年初指标值",
                "调整指标值",
                "全年完成值",
                "得分系数(%)",
                "指标权重(分)",
                "指标得分(分)",
                "是否核心指标",
            ],
            [
                span("产出指标", rs=2),
                "数量指标",
                "服务企业数",
                "家",
                "定量",
                "≥200",
                "≥220",
                "230",
                "100",
                "30",
                "30",
                "是",
            ],
            ["质量指标", "问题整改率", "%", "定量", "100", "", "95", "95", "30", "28.5", "否"],
            [
                "效益指标",
                "社会效益指标",
                "营商环境改善",
                "",
                "定性",
                "有所改善",
                "",
                "明显改善",
                "100",
                "30",
                "30",
                "否",
            ],
            [span("自评总分（分）", cs=10), span("96.1", cs=2)],
            [span("评价等级", cs=10), span("优秀", cs=2)],
        ]
    )


def test_chongqing_layout_adjusted_targets_and_grade_alias():
    sections = [
        Section(
            id="11",
            parent=None,
            level=1,
            number="附件2",
            title="部门整体绩效自评表",
            key="attachments.dept_self_eval_table",
            score=100,
            page=7,
            block=0,
            block_start=0,
            block_end=1,
        ),
    ]
    document = make_document("金额单位：元", table=chongqing_table())
    tables, kpis = extract_tables(config, document, sections)
    (table,) = tables
    assert (table.kind, table.title, table.unit) == ("dept_self_eval_table", "部门整体绩效自评表", "元")
    assert table.department == "重庆市某区商务委员会"
    assert table.project is None
    total = table.budget_rows[0]
    assert total.label == "部门预算资金总额"
    assert (total.budget_initial, total.budget_full_year, total.executed) == (D("1250.00"), D("1300.00"), D("988.00"))
    assert (total.execution_rate, total.weight, total.score) == (D("76"), D("10"), D("7.6"))
    assert table.budget_rows[1].label == "其中：财政拨款"
    assert table.total_score == D("96.1")
    assert table.stated_grade == "优"  # 优秀

    assert indicator_rows(kpis) == [
        ("产出指标", "数量指标", "服务企业数", "≥220", "230", D("30"), D("30")),  # the adjusted target wins
        ("产出指标", "质量指标", "问题整改率", "100", "95", D("30"), D("28.5")),
        ("效益指标", "社会效益指标", "营商环境改善", "有所改善", "明显改善", D("30"), D("30")),
    ]
    assert [(k.target_comparator, k.target_value, k.target_unit, k.actual_value) for k in kpis] == [
        (">=", D("220"), "家", D("230")),
        ("=", D("100"), "%", D("95")),
        ("qualitative", None, None, None),
    ]
    assert all(k.section == "11" for k in kpis)


# ---------------------------------------------------------------- kinds, units, PDF-style tables


def test_kind_and_unit_from_content_when_no_caption_names_the_table():
    """A table read from PDF without spans: merged cells come out empty. The caption says nothing of the kind;
    项目名称 in the table makes it a project table, and the unit comes from the header cell."""
    table = make_table(
        [
            ["项目名称", "城区道路养护", "", "", "", "", "", ""],
            ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["", "年度资金总额", "50", "50", "50", "10", "100%", "10"],
            ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["产出指标(50分)", "数量指标", "养护里程", "≥20公里", "21公里", "25", "25", ""],
            ["", "", "修补坑槽", "≥300处", "320处", "25", "25", ""],
            ["", "质量指标", "验收合格率", "100%", "100%", "40", "40", ""],
            ["总分", "", "", "", "", "100", "100", ""],
        ]
    )
    tables, kpis = extract_tables(config, make_document("填报单位：某市城管局", table=table), [])
    (found,) = tables
    assert (found.kind, found.title, found.unit) == ("project_self_eval_table", None, "万元")
    assert found.department == "某市城管局"  # from 填报单位 in the caption
    assert found.budget_rows[0].label == "年度资金总额"
    assert found.total_score == D("100")
    assert [(k.level1, k.level2, k.level3) for k in kpis] == [
        ("产出指标", "数量指标", "养护里程"),
        ("产出指标", "数量指标", "修补坑槽"),
        ("产出指标", "质量指标", "验收合格率"),
    ]
    assert [k.level1_weight for k in kpis] == [D(50)] * 3


def test_basic_data_table_reads_this_year_columns_and_other_tables_are_skipped():
    basic = make_table(
        [
            [span("财政供养人员情况", rs=2), "编制数", "2024年实际在职人数", "控制率"],
            ["29", "29", "100%"],
            ["经费控制情况", "2023年决算数", "2024年预算数", "2024年决算数"],
            ["“三公”经费", "1.20", "1.00", "0.80"],
            ["部门整体支出预算调整", "152.36", "—", "194.24"],
            ["厉行节约保障措施", span("严控“三公”经费。", cs=3)],
        ]
    )
    other = make_table([["姓名", "职务"], ["张三", "局长"]])
    blocks = [
        Block(index=0, kind="paragraph", text="附件1"),
        Block(index=1, kind="paragraph", text="部门整体支出绩效评价基础数据表"),
        Block(index=2, kind="table", table=basic),
        Block(index=3, kind="paragraph", text="领导班子名单"),
        Block(index=4, kind="table", table=other),
    ]
    tables, kpis = extract_tables(config, Document(path="t.html", sha256="0", format="html", blocks=blocks), [])
    assert [(t.id, t.kind) for t in tables] == [("T1", "dept_basic_data_table")]
    assert kpis == []
    rows = tables[0].budget_rows
    assert [r.label for r in rows] == ["“三公”经费", "部门整体支出预算调整"]
    # 本年预算数 -> budget_full_year, 本年决算数 -> executed; 上年决算数 is stored nowhere
    assert [(r.budget_initial, r.budget_full_year, r.executed) for r in rows] == [
        (None, D("1.00"), D("0.80")),
        (None, None, D("194.24")),
    ]


# ---------------------------------------------------------------- the seed report's attached tables

SPEC = CORPUS / "specs" / "heshan_commerce_2024.json"


def printed_number(text: str) -> D | None:
    """A number of the hand-written spec as the table prints it: "99.53%" -> 99.53, "—" -> None."""
    return None if text in ("", "—") else D(text.rstrip("%"))


@pytest.fixture(scope="module", params=["docx", "html", "pdf"])
def heshan(request):
    """The seed report's attached tables read from one format, and what corpus/specs says they hold."""
    from extractor.readers import read

    document = read(CORPUS / f"heshan_commerce_2024.{request.param}")
    return extract_tables(config, document, []), json.loads(SPEC.read_text(encoding="utf-8"))["tables"]


def test_heshan_tables_kind_title_unit_and_header(heshan):
    (tables, _), spec = heshan
    assert [(t.id, t.kind, t.title, t.unit) for t in tables] == [
        (f"T{i}", s["kind"], s["title"], s["unit"]) for i, s in enumerate(spec, 1)
    ]
    _, dept, project = tables
    assert dept.department == spec[1]["department"]
    assert (project.project, project.department) == (spec[2]["project"], spec[2]["department"])


def test_heshan_budget_rows(heshan):
    (tables, _), spec = heshan
    basic = tables[0]
    # 基础数据表 columns 2023年决算数 | 2024年预算数 | 2024年决算数: this year's budget and final account
    assert [(r.label, r.budget_full_year, r.executed) for r in basic.budget_rows] == [
        (label, printed_number(budget), printed_number(final)) for label, _, budget, final in spec[0]["rows"]
    ]
    fields = ("budget_initial", "budget_full_year", "executed", "weight", "execution_rate", "score")
    for table, expected in zip(tables[1:], spec[1:]):
        assert [(r.label, *(getattr(r, f) for f in fields)) for r in table.budget_rows] == [
            (row["label"], *(printed_number(row[f]) for f in fields)) for row in expected["budget_rows"]
        ]


def test_heshan_indicator_rows_total_and_grade(heshan):
    (tables, kpis), spec = heshan
    for table, expected in zip(tables[1:], spec[1:]):
        rows = [k for k in kpis if k.table == table.id]
        assert [
            (
                f"{k.level1}({k.level1_weight}分)",
                k.level2,
                k.level3,
                k.target,
                k.actual,
                k.weight,
                k.score,
                k.deviation_reason,
            )
            for k in rows
        ] == [
            (
                row["level1"],
                row["level2"],
                row["level3"],
                row["target"],
                row["actual"],
                D(row["weight"]),
                D(row["score"]),
                row["deviation_reason"] or None,
            )
            for row in expected["indicator_rows"]
        ]
        assert (table.total_score, table.stated_grade) == (D(expected["total_score"]), expected["grade"])


def test_hubei_single_budget_column():
    """湖北 layout: one 预算数 column (read as the full-year budget), 执行数, 执行率, 分值, 得分."""
    path = CORPUS / "hubei_health_2024.html"
    from extractor.readers import read

    tables, kpis = extract_tables(config, read(path), [])
    (table,) = tables
    assert table.kind == "dept_self_eval_table"
    assert [r.label for r in table.budget_rows] == ["合计", "基本支出", "项目支出"]
    total = table.budget_rows[0]
    assert (total.budget_initial, total.budget_full_year, total.executed) == (None, D("2468.90"), D("2415.37"))
    assert (total.execution_rate, total.weight, total.score) == (D("97.83"), D("10"), D("9.78"))
    assert table.total_score == D("99.78")
    assert (kpis[0].level3, kpis[0].target, kpis[0].actual) == ("65岁以上老年人健康管理人数", "≥1.8万人", "1.86万人")
