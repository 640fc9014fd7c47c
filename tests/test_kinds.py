"""Document kinds (schemas/kinds.toml): decided from title, outline and tables; they say which templates and
structure rules apply. Table-of-contents lines are never sections. Fixtures are written for these tests."""

from pathlib import Path

import pytest

from extractor.config import load_default
from extractor.kinds import classify
from extractor.pipeline import process
from extractor.readers import read
from extractor.readers.toc import table_of_contents

config = load_default()  # the installed rule set, validated once for these tests

GBC = Path(__file__).resolve().parents[2] / "shared" / "real" / "gbc"

FINAL_ACCOUNTS = """江北区水务局
2023年度部门决算
目录
第一部分 江北区水务局概况
一、主要职能
二、部门决算单位构成
第二部分 江北区水务局2023年度部门决算表
一、收入支出决算总表
二、收入决算表
第三部分 江北区水务局2023年度部门决算情况说明
一、收入支出决算总体情况说明
二、收入决算情况说明
第一部分 江北区水务局概况
一、主要职能
负责全区水资源的统一管理和保护，组织实施取水许可制度。
二、部门决算单位构成
本部门决算由局本级和两家所属事业单位的决算组成。
第二部分 江北区水务局2023年度部门决算表
一、收入支出决算总表
详见公开表格第1页。
二、收入决算表
详见公开表格第2页。
第三部分 江北区水务局2023年度部门决算情况说明
一、收入支出决算总体情况说明
2023年度收入总计820.50万元，支出总计820.50万元。
二、收入决算情况说明
本年收入合计800.00万元，其中：财政拨款收入760.00万元，其他收入40.00万元。
"""

SELF_EVALUATION = """东湖县农业局2023年度部门整体支出绩效自评报告
一、部门基本情况
东湖县农业局负责全县农业农村工作。
二、存在的问题及原因分析
预算编制不够精细。
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_kind_rules_load_and_validate():
    rules = config.kinds
    assert {r.kind for r in rules.kind} >= {"final_accounts", "budget", "dept_self_evaluation", "fiscal_report"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("西山区文化局\n2023年度部门决算\n一、收入支出决算总体情况说明\n收入总计12.00万元。\n", "final_accounts"),
        ("西山区文化局2024年部门预算\n一、收入支出预算总表\n二、预算情况说明\n", "budget"),
        (
            "西山区文化局2023年度部门整体支出绩效自评报告\n一、部门基本情况\n文化局主管全区文化工作。\n",
            "dept_self_evaluation",
        ),
        ("西山区乡村道路改造项目支出绩效自评报告\n一、项目基本情况\n（一）项目概况\n", "project_self_evaluation"),
        ("关于西山区2023年预算执行情况和2024年预算草案的报告\n一、2023年预算执行情况\n", "fiscal_report"),
        ("西山区2024年项目绩效目标表\n", "performance_targets"),
        ("西山区2024年文化站改造项目绩效目标审批表\n", "performance_targets"),
        ("西山区2023年度政府决算公开目录\n一、全区收支决算情况\n", "fiscal_report"),
        ("某局概况\n一、主要职能\n二、部门收支预算总体情况\n三、部门预算安排\n", "budget"),
        ("西山区乡村道路改造项目支出绩效自评表\n项目名称\t乡村道路改造\n", "self_evaluation_table"),
        ("会议通知\n请各单位按时参会。\n", "other"),
    ],
)
def test_classify_from_title_and_outline(tmp_path, text, kind):
    path = write(tmp_path, "doc.txt", text)
    assert process(path, config).document.kind == kind
    lines = text.splitlines()
    headings = [line for line in lines if line[:2] in {"一、", "二、"}]
    first = lines.index(headings[0]) if headings else None
    assert classify(config, read(path), headings, first) == kind


def test_outline_alone_decides_a_self_evaluation_without_title(tmp_path):
    text = (
        "一、单位基本情况\n本单位负责全县统计工作。\n二、部门整体支出情况\n全年支出100.00万元。\n三、存在的问题\n无。\n"
    )
    assert process(write(tmp_path, "untitled.txt", text), config).document.kind == "dept_self_evaluation"


def test_final_accounts_get_their_template_and_no_self_evaluation_findings(tmp_path):
    record = process(write(tmp_path, "final.txt", FINAL_ACCOUNTS), config)
    assert record.document.kind == "final_accounts" and record.document.template == "final_accounts"
    assert not [f for f in record.findings if f.category == "structure"], record.findings
    keys = {s.key for s in record.sections}
    assert {"functions", "units", "table.income_expenditure", "overview", "income"} <= keys


def test_self_evaluation_still_gets_its_template_findings(tmp_path):
    record = process(write(tmp_path, "selfeval.txt", SELF_EVALUATION), config)
    assert record.document.kind == "dept_self_evaluation"
    assert "S106" in {f.rule for f in record.findings}  # the template's mandatory sections are missing


def test_table_of_contents_without_page_numbers_is_no_section(tmp_path):
    document = read(write(tmp_path, "final.txt", FINAL_ACCOUNTS))
    toc = table_of_contents(document.blocks)
    texts = [b.text for b in document.blocks if b.index in toc]
    assert texts[0] == "目录" and texts[-1] == "二、收入决算情况说明" and len(texts) == 10
    record = process(write(tmp_path, "final.txt", FINAL_ACCOUNTS), config)
    assert all(s.block > max(toc) for s in record.sections)
    assert not [f for f in record.findings if f.block is not None and f.block in toc]


def test_dot_leader_lines_are_table_of_contents(tmp_path):
    text = "目录\n一、部门基本情况……………1\n二、存在的问题………………3\n一、部门基本情况\n本局负责全县统计工作。\n二、存在的问题\n无。\n"
    document = read(write(tmp_path, "toc.txt", text))
    assert table_of_contents(document.blocks) == {0, 1, 2}


def test_no_table_of_contents_when_the_body_never_repeats_it(tmp_path):
    text = "目录\n这里没有目录，只是一行字\n一、部门基本情况\n本局负责全县统计工作。\n"
    assert table_of_contents(read(write(tmp_path, "no.txt", text)).blocks) == set()


@pytest.mark.skipif(not GBC.exists(), reason="needs ../shared/real/gbc")
@pytest.mark.parametrize("name", sorted(p.name for p in GBC.glob("*.pdf")) if GBC.exists() else [])
def test_real_final_accounts_are_final_accounts_without_outline_findings(name):
    record = process(GBC / name, config)
    assert record.document.kind == "final_accounts" and record.document.template == "final_accounts"
    assert not [f for f in record.findings if f.rule in {"S106", "S107", "S111"}]
