"""Plain text and HTML readers: encodings, paragraphs, editing artifacts, page furniture, table spans."""

from pathlib import Path

from extractor.readers import read

SEED = Path(__file__).parent.parent / "corpus" / "heshan_commerce_2024.txt"  # the real seed report, byte for byte
FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).parent.parent / "corpus"


def test_seed_text_one_block_per_line_with_bookmark_recorded():
    document = read(CORPUS / "heshan_commerce_2024.txt" if (CORPUS / "heshan_commerce_2024.txt").exists() else SEED)
    lines = [line.strip() for line in SEED.read_text("utf-8").splitlines() if line.strip()]
    assert len(document.blocks) == len(lines) == 82
    assert document.blocks[0].text == "1、 单位基本情况"
    marked = [b for b in document.blocks if b.artifacts]
    assert len(marked) == 1
    block = marked[0]
    assert "[bookmark" not in block.text
    assert block.text.startswith("（3） 消费促进方面")
    assert block.artifacts[0].raw == "[bookmark: _GoBack]"
    assert block.artifacts[0].offset == len("（3） ")


def test_gbk_and_bom_text(tmp_path):
    body = "一、部门基本情况\n（一）部门职能\n本部门2024年支出120.50万元。\n"
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(body.encode("gbk"))
    document = read(gbk)
    assert document.encoding == "gb18030"
    assert [b.text for b in document.blocks] == body.split()
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    document = read(bom)
    assert document.encoding == "utf-8-sig"
    assert document.blocks[0].text == "一、部门基本情况"


def test_government_page_keeps_body_drops_furniture():
    document = read(FIXTURES / "html" / "gov_page_gbk.html")
    texts = [b.text for b in document.blocks if b.kind == "paragraph"]
    assert document.encoding == "gb18030"  # declared gb2312, read as its superset
    assert texts[1:3] == ["一、部门基本情况", "（一）部门职能职责"]
    # a <br> inside a paragraph separates two headings
    assert "二、一般公共预算支出情况" in texts and "（一）基本支出情况" in texts
    assert "2024年基本支出120.50万元。" in texts
    joined = "\n".join(texts)
    for furniture in ("首页", "当前位置", "相关链接", "版权所有", "ICP", "不是正文"):
        assert furniture not in joined
    assert texts[-1] == "无。"
    artifact_blocks = [b for b in document.blocks if b.artifacts]
    assert artifact_blocks[0].text == "负责全县财政收支管理，组织实施预算绩效管理工作。"


def test_html_table_spans_resolved():
    document = read(FIXTURES / "html" / "gov_page_gbk.html")
    tables = [b.table for b in document.blocks if b.kind == "table"]
    assert len(tables) == 1
    table = tables[0]
    assert (table.n_rows, table.n_cols) == (4, 4)
    grid = table.grid()
    assert grid[0] == ["一级指标", "指标", "指标", "分值"]
    assert grid[1] == ["一级指标", "二级指标", "三级指标", "分值"]
    assert grid[3] == ["产出指标", "质量指标", "合格率", "10"]
    origin = table.origin_grid()
    assert origin[3][0] is None and origin[2][0].row_span == 2


def test_html_goback_anchor_is_an_artifact():
    """Word's `_GoBack` bookmark survives in saved pages as `<a name="_GoBack">`: recorded, not text."""
    document = read(CORPUS / "heshan_commerce_2024.html")
    marked = [b for b in document.blocks if b.artifacts]
    assert len(marked) == 1
    assert marked[0].text.startswith("（3） 消费促进方面。")
    assert marked[0].artifacts[0].raw == "[bookmark: _GoBack]"


def test_artifact_offsets_point_into_the_cleaned_text(tmp_path):
    path = tmp_path / "spaces.txt"
    path.write_text("   一、基本  [bookmark: _GoBack]情况  \n", encoding="utf-8")
    block = read(path).blocks[0]
    assert block.text == "一、基本 情况"
    assert block.artifacts[0].offset == len("一、基本 ")


def test_html_spans_read_as_browsers_do(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><table><tr><td rowspan='2px'>甲</td><td colspan='x'>乙</td></tr><tr><td>丙</td></tr></table></body></html>",
        encoding="utf-8",
    )
    table = read(page).blocks[0].table
    assert table.grid() == [["甲", "乙"], ["甲", "丙"]]


def test_old_site_text_in_a_layout_cell_broken_by_br():
    """Older county sites put the whole report in one layout-table cell, lines broken by <br>."""
    document = read(FIXTURES / "html" / "old_site_br_lines.html")
    assert [b.kind for b in document.blocks] == ["paragraph"] * 5
    assert [b.text for b in document.blocks] == [
        "一、部门基本情况",
        "（一）部门职能",
        "本局负责全县农业农村工作，2024年支出合计120.50万元。",
        "二、存在的问题",
        "无。",
    ]


def test_html_table_spans_place_cells_as_every_position_marked():
    """`_table` marks only the positions spans reach in later rows: the cells land where marking every
    position they cover would put them (random spans, ragged rows)."""
    import random

    from lxml import etree

    from extractor.readers.html import _CELLS, _ROWS, _Seen, _span, _table

    def marked_everywhere(table):
        placed, occupied, width = [], set(), {}
        rows = _ROWS(table)
        for r, row in enumerate(rows):
            c = 0
            for cell in _CELLS(row):
                while (r, c) in occupied:
                    c += 1
                rs, cs = min(_span(cell.get("rowspan")), len(rows) - r), _span(cell.get("colspan"))
                placed.append((r, c, rs, cs))
                for dr in range(rs):
                    for dc in range(cs):
                        occupied.add((r + dr, c + dc))
                    width[r + dr] = max(width.get(r + dr, 0), c + cs)
                c += cs
        return placed, max((w for row, w in width.items() if row < len(rows)), default=0)

    rng = random.Random(13)
    for _ in range(300):
        html = "<table>"
        for _ in range(rng.randint(1, 6)):
            html += "<tr>"
            for _ in range(rng.randint(0, 5)):
                spans = "".join(
                    f' {name}="{rng.randint(1, 3)}"' for name in ("rowspan", "colspan") if rng.random() < 0.3
                )
                html += f"<td{spans}>x</td>"
            html += "</tr>"
        table = etree.fromstring(html + "</table>", etree.HTMLParser()).find(".//table")
        read = _table(table, _Seen())
        placed, width = marked_everywhere(table)
        assert [(c.row, c.col, c.row_span, c.col_span) for c in read.cells] == placed, html
        assert read.n_cols == width, html
