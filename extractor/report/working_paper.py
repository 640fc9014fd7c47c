"""The audit working paper (审计工作底稿): confirmed findings, one worksheet per department, ready to print.

Each row is a finding the auditor confirmed in `jixiao review`: the document, the rule and message, the
figures involved as printed with their pages, the page image with the figures boxed (PDF documents whose
file is still there), and the auditor's note, name and time. Sheets print landscape, one page wide, with
the header row repeated on every page.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import PurePath
from typing import Any

from ..config import Config
from ..patterns import lazy
from ..store.duckdb import Store
from ..store.reviews import LATEST_DECISIONS
from .evidence import PdfEvidence, document_files, marks_for, openable
from .html import report_data

SHEET_PREFIX = "底稿"
NO_DEPARTMENT = "未识别部门"
COLUMNS = [  # title, width in characters: about one landscape A4 page wide at 60 %
    ("序号", 5),
    ("文件", 22),
    ("年度", 6),
    ("规则", 6),
    ("严重程度", 8),
    ("检查发现", 40),
    ("涉及数字", 24),
    ("页码", 6),
    ("复核意见", 24),
    ("复核人", 8),
    ("复核时间", 17),
    ("原文图像", 58),
]
IMAGE_COLUMN = "L"
IMAGE_DPI = 96
IMAGE_WIDTH = 400  # pixels in the sheet: the image column is ~58 characters wide
MAX_IMAGE_HEIGHT = 540  # pixels: Excel's tallest row is 409 points; several pages' strips shrink to fit
POINTS_PER_PIXEL = 0.75
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
_SHEET_FORBIDDEN = lazy(r"[\[\]:*?/\\]")

CONFIRMED = f"""
    SELECT d.department, d.year, d.path, f.doc_id, f.seq, f.rule, f.severity, f.message, f.page, f.block,
           f.start, f."end", f.facts, f.stated_text AS stated,
           r.note, r.reviewer, r.reviewed_at
    FROM findings f JOIN ({LATEST_DECISIONS}) r USING (doc_id, seq) JOIN documents d USING (doc_id)
    WHERE r.status = 'confirmed' AND f.doc_id IN (SELECT doc_id FROM files)
    ORDER BY d.department NULLS LAST, d.year, d.path, f.seq
"""


def confirmed_findings(store: Store) -> list[dict[str, Any]]:
    columns, rows = store.query(CONFIRMED)
    return [dict(zip(columns, row)) for row in rows]


def sheet_title(department: str | None, taken: set[str]) -> str:
    """`底稿-部门`, within Excel's 31 characters and without the characters it forbids, unique."""
    base = f"{SHEET_PREFIX}-{_SHEET_FORBIDDEN.sub('', department or NO_DEPARTMENT)}"[:31]
    title, n = base, 2
    while title in taken:
        title = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        n += 1
    taken.add(title)
    return title


def add_working_paper(config: Config, workbook, store: Store, empty_sheet: bool = True) -> int:
    """Add the working-paper sheets to a write-only workbook; how many confirmed findings they hold. With no
    confirmed finding: one sheet saying so, or (not `empty_sheet`) none."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Alignment, Font

    findings = confirmed_findings(store)
    data = report_data(config, store, images=False)
    facts = {(f["doc_id"], f["id"]): f for f in data["facts"]}
    blocks = {(b["doc_id"], b["block"]): b for b in data["blocks"]}
    files = document_files(store)
    by_department: dict[str | None, list[dict[str, Any]]] = {}
    for finding in findings:
        by_department.setdefault(finding["department"], []).append(finding)
    if not by_department:
        if not empty_sheet:
            return 0
        by_department[None] = []
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    taken: set[str] = set()
    with PdfEvidence(dpi=IMAGE_DPI, image_format="PNG") as renderer:
        for department, mine in by_department.items():
            sheet = workbook.create_sheet(sheet_title(department, taken))
            for index, (_, width) in enumerate(COLUMNS):
                sheet.column_dimensions[chr(ord("A") + index)].width = width
            sheet.page_setup.orientation = "landscape"
            sheet.page_setup.paperSize = "9"  # A4
            sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            sheet.print_title_rows = "1:1"
            sheet.page_margins.left = sheet.page_margins.right = 0.4  # inches
            sheet.oddHeader.center.text = f"审计工作底稿 · {department or NO_DEPARTMENT}"
            sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
            header = []
            for title, _ in COLUMNS:
                cell = WriteOnlyCell(sheet, value=title)
                cell.font = bold
                header.append(cell)
            sheet.append(header)
            if not mine:
                sheet.append(["", "", "", "", "", "没有已确认的检查发现"])
            for number, finding in enumerate(mine, start=1):
                row_index = number + 1
                figures = [
                    facts[(finding["doc_id"], i)] for i in finding["facts"] or [] if (finding["doc_id"], i) in facts
                ]
                pages = sorted(
                    {f["page"] for f in figures if f["page"]} | ({finding["page"]} if finding["page"] else set())
                )
                path = openable(files.get(finding["doc_id"], []))
                marks = marks_for(finding, facts, blocks) if path else []
                images = renderer.render(path, marks) if path and marks else []
                values = [
                    number,
                    PurePath(finding["path"]).name,
                    finding["year"],
                    finding["rule"],
                    SEVERITY_NAMES[finding["severity"]],
                    finding["message"],
                    "\n".join(_figure(f) for f in figures),
                    "、".join(map(str, pages)),
                    finding["note"] or "",
                    finding["reviewer"],
                    finding["reviewed_at"].replace(tzinfo=None, microsecond=0),
                ]
                cells = []
                for value in values:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.alignment = wrap
                    if isinstance(value, datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm"
                    cells.append(cell)
                height = 48.0
                if images:
                    picture = Image(io.BytesIO(_stacked([e.image for e in images])))
                    ratio = min(IMAGE_WIDTH / picture.width, MAX_IMAGE_HEIGHT / picture.height)
                    picture.width, picture.height = IMAGE_WIDTH, round(picture.height * ratio)
                    sheet.add_image(picture, f"{IMAGE_COLUMN}{row_index}")
                    height = max(height, picture.height * POINTS_PER_PIXEL + 4)
                sheet.row_dimensions[row_index].height = height
                sheet.append(cells)
    return len(findings)


def _stacked(pngs: list[bytes]) -> bytes:
    """The page strips of a finding one below the other, as one PNG (a cell holds one picture)."""
    if len(pngs) == 1:
        return pngs[0]
    from PIL import Image as Picture

    strips = [Picture.open(io.BytesIO(png)).convert("RGB") for png in pngs]
    gap = 6
    sheet = Picture.new(
        "RGB", (max(s.width for s in strips), sum(s.height for s in strips) + gap * (len(strips) - 1)), "#999"
    )
    top = 0
    for strip in strips:
        sheet.paste(strip, (0, top))
        top += strip.height + gap
    out = io.BytesIO()
    sheet.save(out, "PNG", optimize=True)
    return out.getvalue()


def _figure(fact: dict[str, Any]) -> str:
    name = fact["label"] or fact["level3"] or ""
    value = f"{fact['value'] or ''}{fact['unit'] or ''}"
    where = f"（第{fact['page']}页）" if fact["page"] else ""
    return f"{name} {value}{where}".strip()
