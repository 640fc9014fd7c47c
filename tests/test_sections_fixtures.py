"""Small documents for the sections and structure tests, built from lines of text."""

from extractor.config import load_default
from extractor.records import Block, Cell, Document, DocumentInfo, Record, Table
from extractor.sections import segment

config = load_default()  # the installed rule set, validated once for these tests

TABLE = "<table>"  # a line standing for a one-cell table block

# A clean Hunan 部门整体支出绩效自评报告 outline; each heading followed by one line of body text.
HUNAN_CLEAN = [
    "益阳市某局2024年度部门整体支出绩效自评报告",
    "一、部门基本情况",
    "（一）部门职能职责",
    "负责全市有关工作。",
    "（二）机构设置",
    "内设5个股室。",
    "二、一般公共预算支出情况",
    "（一）基本支出情况",
    "基本支出500.00万元。",
    "（二）项目支出情况",
    "项目支出100.00万元。",
    "三、政府性基金预算支出情况",
    "本单位无政府性基金预算支出。",
    "四、国有资本经营预算支出情况",
    "无。",
    "五、社会保险基金预算支出情况",
    "本单位无社会保险基金预算支出。",
    "六、部门整体支出绩效情况",
    "自评得分95分。",
    "七、存在的问题及原因分析",
    "预算编制不够细化。",
    "八、下一步改进措施",
    "细化预算编制。",
    "九、部门整体支出绩效自评结果拟应用和公开情况",
    "按要求公开。",
    "十、其他需要说明的情况",
    "无。",
    "附件：1.部门整体支出绩效自评表",
    "2.项目支出绩效自评表",
    "附件1",
    "部门整体支出绩效自评表",
    TABLE,
    "附件2",
    "项目支出绩效自评表",
    TABLE,
]
ATTACHMENTS_START = HUNAN_CLEAN.index("附件：1.部门整体支出绩效自评表")


def document_of(lines: list[str], block_fields: dict[int, dict] | None = None) -> Document:
    """Paragraphs (or tables, for TABLE lines); `block_fields` adds fields to the block at an index."""
    block_fields = block_fields or {}
    blocks = []
    for index, line in enumerate(lines):
        if line == TABLE:
            table = Table(n_rows=1, n_cols=1, cells=[Cell(row=0, col=0, text="指标")])
            blocks.append(Block(index=index, kind="table", text="指标", table=table))
        else:
            blocks.append(Block(index=index, kind="paragraph", text=line, **block_fields.get(index, {})))
    return Document(path="test.txt", sha256="", format="txt", blocks=blocks)


def outline_of(lines: list[str], block_fields: dict[int, dict] | None = None):
    return segment(document_of(lines, block_fields), config)


def record_of(document: Document) -> Record:
    outline = segment(document, config)
    info = DocumentInfo(
        path=document.path,
        sha256=document.sha256,
        format=document.format,
        pages=document.pages,
        template=outline.template,
    )
    return Record(tool_version="test", document=info, sections=outline.sections)


def replaced(lines: list[str], old: str, new: str | None) -> list[str]:
    """`lines` with line `old` replaced by `new` (or removed)."""
    assert old in lines
    return [new if line == old else line for line in lines if not (line == old and new is None)]
