"""Structure findings on the seed and on small documents with one defect each."""

from pathlib import Path

import pytest
from test_sections_fixtures import ATTACHMENTS_START, HUNAN_CLEAN, TABLE, document_of, record_of, replaced

from extractor.checks.structure import check_structure
from extractor.config import load_default
from extractor.readers import read

config = load_default()  # the installed rule set, validated once for these tests

SEED = Path(__file__).parent.parent / "corpus" / "heshan_commerce_2024.txt"  # the real seed report, byte for byte
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
NUMBERING = ("S101", "S102", "S103", "S104", "S105")


def findings_of(document):
    return check_structure(config, record_of(document), document)


def codes(findings):
    return sorted(f.rule for f in findings)


def test_rules_are_registered_as_structure():
    rules = config.rules
    assert all(rules[f"S1{n:02d}"].category == "structure" for n in range(1, 13))


def test_seed_numbering_quirks_and_leftover():
    document = read(SEED)
    findings = findings_of(document)
    numbering = [f for f in findings if f.rule in NUMBERING]
    assert [(f.rule, f.section, f.block) for f in numbering] == [
        ("S101", "1", 0),
        ("S101", "2.2", 38),
        ("S101", "4", 42),
        ("S101", "5", 44),
        ("S101", "8", 64),
        ("S101", "9", 75),
    ]
    for finding, (printed, expected) in zip(
        numbering,
        [("1、", "一、"), ("（2）", "（二）"), ("4、", "四、"), ("5、", "五、"), ("8、", "八、"), ("9、", "九、")],
    ):
        assert f"“{printed}”" in finding.message and f"应为“{expected}”" in finding.message
    assert "国有资本经营预算支出情况" in numbering[2].message
    (bookmark,) = [f for f in findings if f.rule == "S109"]
    assert "[bookmark: _GoBack]" in bookmark.message and "消费促进方面" in bookmark.message
    assert (bookmark.section, bookmark.block, bookmark.severity) == ("6.3.3.3", 61, "warning")
    # 三、四、五 say only 本单位无… : present, not missing, not empty
    assert not [f for f in findings if f.rule in ("S106", "S107", "S108", "S110", "S111")]
    # the .txt lists the three attachments but has none of their tables
    assert codes(f for f in findings if f.rule == "S112") == ["S112"] * 3


@pytest.mark.parametrize("suffix", ["docx", "pdf", "html"])
def test_clean_seed_formats_have_no_numbering_findings(suffix):
    path = CORPUS / f"heshan_commerce_2024.{suffix}"
    findings = findings_of(read(path))
    assert not [f for f in findings if f.rule in NUMBERING + ("S106", "S107", "S108", "S111", "S112")]


def test_clean_document_has_no_findings():
    assert findings_of(document_of(HUNAN_CLEAN)) == []


def test_skipped_number():
    lines = replaced(HUNAN_CLEAN, "三、政府性基金预算支出情况", None)
    lines = replaced(lines, "本单位无政府性基金预算支出。", None)
    findings = findings_of(document_of(lines))
    (skipped,) = [f for f in findings if f.rule == "S103"]
    assert "“四、国有资本经营预算支出情况”跳号" in skipped.message and "应为“三、”" in skipped.message
    (missing,) = [f for f in findings if f.rule == "S106"]
    assert missing.severity == "error"
    assert "政府性基金预算支出情况" in missing.message and "四、国有资本经营预算支出情况" in missing.message
    assert missing.section == "3"


def test_repeated_and_out_of_order_numbers():
    lines = replaced(HUNAN_CLEAN, "三、政府性基金预算支出情况", "二、政府性基金预算支出情况")
    findings = findings_of(document_of(lines))
    (repeated,) = [f for f in findings if f.rule in NUMBERING]
    assert repeated.rule == "S104" and "应为“三、”" in repeated.message
    lines = replaced(HUNAN_CLEAN, "（二）项目支出情况", "（三）项目支出情况")
    lines = replaced(lines, "（一）基本支出情况", "（四）基本支出情况")
    rules = [f.rule for f in findings_of(document_of(lines)) if f.rule in NUMBERING]
    assert rules == ["S103", "S105"]


def test_mixed_bracket_width():
    lines = replaced(HUNAN_CLEAN, "（二）项目支出情况", "(二)项目支出情况")
    (finding,) = findings_of(document_of(lines))
    assert finding.rule == "S102" and "“(二)”" in finding.message and "应为“（二）”" in finding.message


def test_sections_out_of_template_order():
    lines = list(HUNAN_CLEAN)
    a, b = lines.index("七、存在的问题及原因分析"), lines.index("八、下一步改进措施")
    lines[a], lines[b] = "七、下一步改进措施", "八、存在的问题及原因分析"
    (finding,) = findings_of(document_of(lines))
    assert (
        finding.rule == "S108"
        and "八、存在的问题及原因分析" in finding.message
        and "七、下一步改进措施" in finding.message
    )


def test_missing_sub_section_and_recommended_section_are_warnings():
    lines = replaced(HUNAN_CLEAN, "（二）机构设置", None)
    lines = replaced(lines, "九、部门整体支出绩效自评结果拟应用和公开情况", None)
    lines = replaced(lines, "按要求公开。", None)
    lines = replaced(lines, "十、其他需要说明的情况", "九、其他需要说明的情况")
    findings = findings_of(document_of(lines))
    assert codes(findings) == ["S107", "S107"]
    assert all(f.severity == "warning" for f in findings)
    assert any("机构设置" in f.message for f in findings)


def test_placeholders_and_empty_section():
    lines = replaced(HUNAN_CLEAN, "预算编制不够细化。", "XX单位预算编制不够细化（填写原因）。")
    lines = replaced(lines, "细化预算编制。", None)
    findings = findings_of(document_of(lines))
    placeholders = [f for f in findings if f.rule == "S110"]
    assert {f.message.split("占位内容")[1] for f in placeholders} == {"“XX”", "“（填写原因）”"}
    assert all("存在的问题及原因分析" in f.message for f in placeholders)
    (empty,) = [f for f in findings if f.rule == "S111"]
    assert "“八、下一步改进措施”下没有内容" in empty.message and empty.section == "8"


def test_listed_attachments_without_tables():
    findings = findings_of(document_of(HUNAN_CLEAN[: ATTACHMENTS_START + 2]))
    assert [(f.rule, f.severity) for f in findings] == [("S112", "info"), ("S112", "info")]
    assert "附件“1.部门整体支出绩效自评表”列出但未附表格" in findings[0].message


def test_attachment_with_table_is_not_flagged():
    lines = [*HUNAN_CLEAN[:ATTACHMENTS_START], "附件：部门整体支出绩效自评表", "部门整体支出绩效自评表", TABLE]
    findings = findings_of(document_of(lines))
    assert codes(findings) == ["S107"]  # only: no 项目支出绩效自评表 attached
    assert "项目支出绩效自评表" in findings[0].message


def test_missing_last_section_is_placed_after_the_last_present_one():
    findings = findings_of(document_of(HUNAN_CLEAN[:ATTACHMENTS_START]))
    (missing,) = findings
    assert (
        missing.rule == "S106" and "“附件”" in missing.message and "应在“十、其他需要说明的情况”之后" in missing.message
    )
    assert (missing.section, missing.block) == ("10", HUNAN_CLEAN.index("十、其他需要说明的情况"))


def test_leftover_findings_point_at_their_place_in_the_text():

    from extractor.pipeline import process

    record = process(SEED, config)
    bookmark = next(f for f in record.findings if f.rule == "S109")
    assert (bookmark.start, bookmark.end) == (len("（3） "), len("（3） "))
