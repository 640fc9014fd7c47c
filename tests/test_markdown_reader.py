"""The Markdown reader: headings keep their level, soft-wrapped lines join, markup is taken out, pipe tables
become table blocks; `jixiao extract x.md` prints the record."""

from __future__ import annotations

import json

from extractor.cli import main
from extractor.readers import read

REPORT = """# 某县林业局2024年部门整体支出绩效自评报告

## 一、部门基本情况

本局内设机构5个，**在职人员**42人，
负责全县林地保护与森林防火。

- 本年收入合计1260.50万元；
- 本年支出合计1198.30万元。

单位：万元

| 项目 | 年初预算数 | 全年执行数 |
| --- | ---: | ---: |
| 基本支出 | 880.00 | 861.20 |
| 项目支出 | 380.50 | 337.10 |
"""


def test_blocks_of_a_markdown_report(tmp_path):
    path = tmp_path / "report.md"
    path.write_text(REPORT, encoding="utf-8")
    document = read(path)
    assert document.format == "md"
    paragraphs = [b for b in document.blocks if b.kind == "paragraph"]
    assert [(b.text, b.style.outline_level) for b in paragraphs[:2]] == [
        ("某县林业局2024年部门整体支出绩效自评报告", 0),
        ("一、部门基本情况", 1),
    ]
    assert paragraphs[2].text == "本局内设机构5个，在职人员42人，负责全县林地保护与森林防火。"
    assert [b.text for b in paragraphs[3:5]] == ["本年收入合计1260.50万元；", "本年支出合计1198.30万元。"]
    table = next(b for b in document.blocks if b.kind == "table").table
    assert table.grid() == [
        ["项目", "年初预算数", "全年执行数"],
        ["基本支出", "880.00", "861.20"],
        ["项目支出", "380.50", "337.10"],
    ]


def test_extract_prints_the_record_of_a_markdown_file(tmp_path, capsys):
    path = tmp_path / "report.md"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["document"]["format"] == "md"
    cells = [(f["label"], f["value"], f["context"]["basis"]) for f in record["facts"] if f["source"] == "table"]
    assert cells == [
        ("基本支出", "880.00", "budget_initial"),
        ("基本支出", "861.20", "executed"),
        ("项目支出", "380.50", "budget_initial"),
        ("项目支出", "337.10", "executed"),
    ]
