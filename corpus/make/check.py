"""Check the built corpus against the hand-written specs and against itself.

    python corpus/make/check.py

* every .docx opens with python-docx; auto-numbered ones carry the numbering definitions
  the brief asks for (chineseCounting %1、 / （%2）, style-inherited level 0, paragraph level 1);
* the seed's docx and html paragraphs equal the seed .txt lines (labels aside);
* the PDFs show the auto-numbers, header and footer, and a table crossing a page;
* each spec's money texts occur, in order, in its document's text; its section titles occur;
  its table rows equal the tables of the docx/html; the table arithmetic holds except for the
  errors the spec declares as deliberate.

The specs are never written from this script's output: it only compares.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import lxml.html
from docx.oxml.ns import qn

MAKE = Path(__file__).resolve().parent
CORPUS = MAKE.parent
sys.path.insert(0, str(MAKE))

problems: list[str] = []


def fail(msg: str) -> None:
    problems.append(msg)
    print("FAIL", msg)


# ---------------------------------------------------------------- document text


def docx_paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs]


def docx_tables(path: Path) -> list[list[list[str]]]:
    d = docx.Document(path)
    return [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]


def html_root(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def html_paragraphs(path: Path) -> list[str]:
    return [p.text_content() for p in html_root(path).xpath('//div[@class="TRS_Editor"]/p')]


def html_tables(path: Path) -> list[list[list[str]]]:
    out = []
    for t in html_root(path).xpath('//div[@class="TRS_Editor"]/table'):
        grid: dict[tuple[int, int], str] = {}
        for r, tr in enumerate(t.xpath(".//tr")):
            c = 0
            for td in tr.xpath("td"):
                while (r, c) in grid:
                    c += 1
                rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
                for rr in range(r, r + rs):
                    for cc in range(c, c + cs):
                        grid[(rr, cc)] = td.text_content()
                c += cs
        n_r = 1 + max(k[0] for k in grid)
        n_c = 1 + max(k[1] for k in grid)
        out.append([[grid.get((r, c), "") for c in range(n_c)] for r in range(n_r)])
    return out


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def document_text(path: Path) -> str:
    if path.suffix == ".docx":
        return "\n".join(docx_paragraphs(path))
    if path.suffix == ".html":
        return "\n".join(html_paragraphs(path))
    if path.suffix == ".pdf":
        return re.sub(r"\s+", "", pdf_text(path))
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gbk")


# ---------------------------------------------------------------- docx structure


def check_numbering(path: Path) -> None:
    d = docx.Document(path)
    root = d.part.numbering_part.element
    absn = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
    nums = {n.get(qn("w:numId")): n.find(qn("w:abstractNumId")).get(qn("w:val")) for n in root.findall(qn("w:num"))}
    # schema order: all abstractNum before any num
    tags = [c.tag for c in root]
    if qn("w:num") in tags and qn("w:abstractNum") in tags[tags.index(qn("w:num")):]:
        fail(f"{path.name}: w:abstractNum after w:num")
    h1 = d.styles["Heading 1"].element.pPr
    style_num = h1.find(qn("w:numPr")) if h1 is not None else None
    if style_num is None:
        fail(f"{path.name}: Heading 1 style has no numPr")
        return
    num_id = style_num.find(qn("w:numId")).get(qn("w:val"))
    a = absn[nums[num_id]]
    lv = {l.get(qn("w:ilvl")): l for l in a.findall(qn("w:lvl"))}
    want = {"0": ("chineseCounting", "%1、"), "1": ("chineseCounting", "（%2）")}
    for ilvl, (fmt, text) in want.items():
        got = (lv[ilvl].find(qn("w:numFmt")).get(qn("w:val")), lv[ilvl].find(qn("w:lvlText")).get(qn("w:val")))
        if got != (fmt, text):
            fail(f"{path.name}: level {ilvl} is {got}, want {(fmt, text)}")
    n_l1 = 0
    for p in d.paragraphs:
        ppr = p._p.pPr
        np_ = ppr.find(qn("w:numPr")) if ppr is not None else None
        if p.style.name == "Heading 2":
            if np_ is None or np_.find(qn("w:ilvl")).get(qn("w:val")) != "1" or np_.find(qn("w:numId")).get(qn("w:val")) != num_id:
                fail(f"{path.name}: Heading 2 {p.text!r} lacks paragraph numPr ilvl 1")
            n_l1 += 1
        if p.style.name == "Heading 1" and np_ is not None:
            fail(f"{path.name}: Heading 1 {p.text!r} has its own numPr (should inherit from the style)")
        if p.style.name.startswith("Heading") and re.match(r"^[（(]?[一二三四五六七八九十\d]+[、）)]", p.text):
            fail(f"{path.name}: auto-numbered heading carries a typed label: {p.text!r}")
    print(f"ok   {path.name}: numbering (style-level 0, paragraph-level 1 ×{n_l1})")


def check_seed() -> None:
    import heshan

    seed = (CORPUS / "heshan_commerce_2024.txt").read_text(encoding="utf-8").split("\n")[:-1]
    label = heshan.LABEL
    paras = docx_paragraphs(CORPUS / "heshan_commerce_2024.docx")
    body = paras[: len(seed)]
    for i, (line, text) in enumerate(zip(seed, body)):
        want = line.replace(heshan.BOOKMARK, "")
        if text != want and text != label.sub("", want, count=1) and text != re.sub(r"^\d+、", "", want):
            fail(f"seed docx paragraph {i}: {text[:30]!r} != {want[:30]!r}")
    d = docx.Document(CORPUS / "heshan_commerce_2024.docx")
    bms = d.element.body.xpath(".//w:bookmarkStart")
    if [b.get(qn("w:name")) for b in bms] != ["_GoBack"] or not bms[0].getparent().xpath("string(.)").startswith("（3） 消费促进方面"):
        fail("seed docx: _GoBack bookmark missing or misplaced")
    sec = d.sections[0]
    if heshan.HEADER not in sec.header.paragraphs[0].text or "PAGE" not in sec.footer._element.xml:
        fail("seed docx: header or PAGE field missing")
    # html: the same paragraphs, headings and duties with their clean labels typed
    hp = html_paragraphs(CORPUS / "heshan_commerce_2024.html")[: len(seed)]
    for i, (line, text) in enumerate(zip(seed, hp)):
        want = line.replace(heshan.BOOKMARK, "")
        if label.sub("", text, count=1) != label.sub("", want, count=1) and text.strip() != want.strip():
            fail(f"seed html paragraph {i}: {text[:30]!r} != {want[:30]!r}")
    if 'name="_GoBack"' not in (CORPUS / "heshan_commerce_2024.html").read_text(encoding="utf-8"):
        fail("seed html: _GoBack anchor missing")
    print(f"ok   seed: {len(seed)} lines = docx and html paragraphs")


def check_pdf(name: str, must: list[str], header: str) -> None:
    text = pdf_text(CORPUS / name)
    pages = text.split("\f")
    flat = re.sub(r"\s+", "", text)
    for m in must:
        if m not in flat:
            fail(f"{name}: {m!r} not in the PDF text")
    if sum(header.replace(" ", "") in re.sub(r"\s+", "", p) for p in pages) < len([p for p in pages if p.strip()]):
        fail(f"{name}: running header missing on some page")
    if not re.search(r"-\s*2\s*-", text):
        fail(f"{name}: page footer '- 2 -' not found")
    # a table crossing a page: an indicator page followed by one that starts mid-table (no new title)
    flat_pages = [re.sub(r"\s+", "", p) for p in pages]
    crossing = any("三级指标" in a and "总分" not in a and "总分" in b and "三级指标" not in b
                   for a, b in zip(flat_pages, flat_pages[1:]))
    if not crossing:
        fail(f"{name}: no self-evaluation table crosses a page")
    print(f"ok   {name}: {len(pages) - 1} pages, numbers/header/footer present, table crosses a page")


# ---------------------------------------------------------------- specs


def norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def check_money_order(spec: dict, name: str, text: str) -> None:
    flat = norm(text)
    pos = 0
    for m in spec["money"]:
        i = flat.find(norm(m["text"]), pos)
        if i < 0:
            fail(f"{name}: money {m['text']!r} ({m['label']}) not found after offset {pos}")
            continue
        pos = i + len(norm(m["text"]))
        if m.get("qualifier") and m["qualifier"] not in ("预计",):
            window = flat[max(0, i - 2): i + len(norm(m["text"])) + 1]
            if m["qualifier"] not in window:
                fail(f"{name}: qualifier {m['qualifier']} not next to {m['text']}")
    print(f"ok   {name}: {len(spec['money'])} money figures in order")


def check_sections(spec: dict, name: str, fmt: str, text: str) -> None:
    lines = [norm(l.replace("[bookmark: _GoBack]", "")) for l in text.split("\n")]
    for s in spec["sections"]:
        label = (s.get("printed") or {}).get(fmt, s["number"])
        if spec.get("auto_numbered_levels", {}).get(fmt, 0) >= s["level"]:
            label = ""  # the label is rendered from numbering, not in the text
        want = norm(label + s["title"])
        if not any(l.startswith(want) or l.startswith(norm(label) + norm(s["title"])) for l in lines):
            if s["title"] == "附件" and any(l.startswith("附件") for l in lines):
                continue
            fail(f"{name}: section {label}{s['title']} not found as a paragraph start")


def find_row(grid: list[list[str]], col: int, text: str) -> list[str] | None:
    for row in grid:
        if norm(row[col]) == norm(text):
            return row
    return None


def check_tables(spec: dict, name: str, tables: list[list[list[str]]]) -> None:
    by_kind = {}
    for t in tables:
        flat = norm(" ".join(" ".join(r) for r in t))
        kind = ("project_self_eval_table" if "项目名称" in flat else
                "dept_self_eval_table" if "一级指标" in flat else "dept_basic_data_table")
        by_kind[kind] = t
    for st in spec.get("tables", []):
        t = by_kind.get(st["kind"])
        if t is None:
            fail(f"{name}: no {st['kind']}")
            continue
        if "n_rows" in st and (len(t), len(t[0])) != (st["n_rows"], st["n_cols"]):
            fail(f"{name}: {st['kind']} is {len(t)}×{len(t[0])}, spec {st['n_rows']}×{st['n_cols']}")
        # nine-column layout (evaltables) or the Hubei seven-column one (hubei.py)
        if len(t[0]) == 9:
            label_col, first, keys = 2, 3, ("budget_initial", "budget_full_year", "executed", "weight", "execution_rate", "score")
        else:
            label_col, first, keys = 1, 2, ("budget_full_year", "executed", "execution_rate", "weight", "score")
        for br in st.get("budget_rows", []):
            row = find_row(t, label_col, br["label"])
            vals = [br[k] for k in keys]
            if row is None or [norm(x) for x in row[first:first + len(keys)]] != vals:
                fail(f"{name}: budget row {br['label']}: table {row and row[first:]} spec {vals}")
        for ir in st.get("indicator_rows", []):
            row = find_row(t, 2, ir["level3"])
            want = [ir["level1"], ir["level2"], ir["level3"], ir["target"], ir["actual"], ir["weight"], ir["score"]]
            reason_ok = len(t[0]) < 9 or norm(row[7]) == norm(ir["deviation_reason"]) if row else False
            if row is None or [norm(x) for x in row[:7]] != [norm(x) for x in want] or not reason_ok:
                fail(f"{name}: indicator {ir['level3']}: table {row} spec {want}")
        for r in st.get("rows", []):
            row = find_row(t, 0, r[0])
            if row is None or [norm(x) for x in row[:4]] != r:
                fail(f"{name}: row {r[0]}: table {row} spec {r}")
        if "total_score" in st:
            tot = find_row(t, 0, "总分")
            if tot is None or norm(tot[6]) != st["total_score"]:
                fail(f"{name}: 总分 {tot} spec {st['total_score']}")
    print(f"ok   {name}: tables agree with the spec")


def q2(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def table_arithmetic(st: dict) -> list[str]:
    """What is wrong in a spec table, recomputed independently of the builders."""
    errs = []
    if not st.get("budget_rows"):
        return errs
    tot = st["budget_rows"][0]
    rate = Decimal(tot["executed"]) / Decimal(tot["budget_full_year"])
    if q2(rate * 100) != Decimal(tot["execution_rate"].rstrip("%")):
        errs.append(f"执行率 {tot['execution_rate']} != {q2(rate * 100)}%")
    if q2(Decimal(tot["weight"]) * min(rate, Decimal(1))) != Decimal(tot["score"]):
        errs.append(f"预算执行得分 {tot['score']}")
    for key in ("budget_initial", "budget_full_year", "executed"):
        for group in {r.get("group") for r in st["budget_rows"][1:] if r.get("group")}:
            s = sum(Decimal(r[key]) for r in st["budget_rows"] if r.get("group") == group)
            if s != Decimal(tot[key]):
                errs.append(f"{group} {key} Σ{s} != {tot[key]}")
    weights = Decimal(tot["weight"]) + sum(Decimal(r["weight"]) for r in st["indicator_rows"])
    scores = Decimal(tot["score"]) + sum(Decimal(r["score"]) for r in st["indicator_rows"])
    if weights != Decimal(st["total_weight"]):
        errs.append(f"Σ分值 {weights} != {st['total_weight']}")
    if scores != Decimal(st["total_score"]):
        errs.append(f"总分 {st['total_score']} != Σ得分 {scores}")
    for r in st["indicator_rows"]:
        if Decimal(r["score"]) > Decimal(r["weight"]):
            errs.append(f"{r['level3']} 得分 {r['score']} > 分值 {r['weight']}")
    for l1 in dict.fromkeys(r["level1"] for r in st["indicator_rows"]):
        m = re.search(r"(\d+)分", l1)
        s = sum(Decimal(r["weight"]) for r in st["indicator_rows"] if r["level1"] == l1)
        if m and Decimal(m.group(1)) != s:
            errs.append(f"{l1} Σ分值 {s}")
    return errs


def check_spec(path: Path) -> None:
    spec = json.loads(path.read_text(encoding="utf-8"))
    declared = " ".join(e.get("where", "") + " " + e.get("what", "") for e in spec.get("deliberate_errors", []))
    for st in spec.get("tables", []):
        for e in table_arithmetic(st):
            if not any(tok in declared for tok in re.findall(r"[\u4e00-\u9fff]{2,}|\d+\.\d+", e)[:2]):
                fail(f"{path.name}: undeclared table error: {e}")
            else:
                print(f"ok   {path.name}: deliberate table error present: {e}")
    for fmt, fname in spec["files"].items():
        doc = CORPUS / fname
        if not doc.exists():
            fail(f"{path.name}: {fname} missing")
            continue
        text = document_text(doc)
        check_money_order(spec, fname, text)
        if fmt != "pdf":
            check_sections(spec, fname, fmt, text)
        if fmt == "docx":
            check_tables(spec, fname, docx_tables(doc))
        if fmt == "pdf" and spec.get("source_docx"):
            src = CORPUS / spec["source_docx"]
            check_sections(spec, src.name, "docx", document_text(src))
            check_tables(spec, src.name, docx_tables(src))
        elif fmt == "html":
            check_tables(spec, fname, html_tables(doc))


def main() -> None:
    for p in sorted(CORPUS.glob("*.docx")) + sorted((MAKE / "src").glob("*.docx")):
        d = docx.Document(p)
        auto = d.styles["Heading 1"].element.pPr is not None and d.styles["Heading 1"].element.pPr.find(qn("w:numPr")) is not None
        if auto:
            check_numbering(p)
        else:
            print(f"ok   {p.name}: opens; numbering typed")
    check_seed()
    check_pdf("heshan_commerce_2024.pdf", ["一、单位基本情况", "（二）项目支出情况", "十、其他需要说明的情况", "1、贯彻执行"],
              "益阳市赫山区商务局2024年度部门整体支出绩效自评报告")
    check_pdf("changsha_road_project_2024.pdf", ["一、项目基本情况", "（三）资金管理情况", "八、其他需要说明的情况"],
              "湘岳县交通运输局2024年度农村公路养护项目支出绩效自评报告")
    for spec in sorted((CORPUS / "specs").glob("*.json")):
        check_spec(spec)
    print(f"\n{len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
