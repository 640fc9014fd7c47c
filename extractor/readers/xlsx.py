""".xlsx: each worksheet one table, its cells as Excel prints them.

The package is vetted by `ooxml.open_package` (zip bombs, DTDs) before openpyxl parses it; openpyxl
reads the cached values of formulas (`data_only`), merged ranges and number formats.

Conventions (so a sheet reads like the same table in a .docx):
- Each sheet gives a caption paragraph with its name, then one table block; both carry `Block.sheet`.
  Sheets with no value are skipped; a workbook with no value at all is an empty workbook.
- Grid positions are the sheet's own: `Cell.row` / `Cell.col` are Excel's row and column minus one
  (A1 = (0, 0)), so a finding points at the cell a reader sees. Trailing empty rows and columns are cut.
- A merged range is one origin cell at its top-left with its row and column spans.
- Values as printed: numbers through their number format (decimals, thousands separators, percent),
  without binary float noise (0.1 + 0.2 prints 0.3); "General" numbers in at most 15 significant digits,
  as Excel shows them (from 10^15 in scientific notation: a 20-digit code stored as a number has lost
  its last digits, and printing zeros there would invent a code); dates as dates (2023-12-31, or 2023年12月31日 under a Chinese date format); TRUE / FALSE.
  Negative numbers print with a minus sign whatever the format's colour or bracket section says;
  literal text of a format is printed (#,##0.00"万元" gives 1,234.50万元).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import ReadError
from ..patterns import lazy
from ..records import Block, Cell, Document, Table
from .ooxml import open_package

MAX_CELLS_PER_SHEET = 2_000_000  # a sheet's used range, rows x columns: past it the sheet is not a form
# a General number this large has lost digits (a long code typed as a number): shown in scientific notation
_GENERAL_SCIENTIFIC_FROM = Decimal(10) ** 15
_DEFAULT_SHEET_NAME = lazy(r"^(sheet|工作表)\s*\d*$", re.IGNORECASE)
# parts of a number format that print nothing: colours and conditions, padding (_x) and fill (*x) characters
_FORMAT_NOISE = lazy(r"\[[^\]]*\]|_.|\*.")
_FORMAT_LITERAL = lazy(r'"([^"]*)"|\\(.)')  # text a format prints as is: "万元" or \元
_PLACEHOLDERS = lazy(r"[0#?][0#?,.]*%?")  # where the number goes


def _plain(value: Decimal) -> str:
    """A decimal in positional notation, no exponent, no trailing zeros after the point."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _significant(value: float) -> Decimal:
    """The float as Excel stores and shows it: 15 significant digits, so 0.30000000000000004 is 0.3."""
    return Decimal(format(value, ".15g"))


def _section(number_format: str) -> str:
    """The format section for positive numbers, without the parts that print nothing."""
    return _FORMAT_NOISE.sub("", number_format.split(";")[0])


def _literal(text: str) -> str:
    """What a stretch of a format outside its placeholders prints: quoted text and escaped characters."""
    return _FORMAT_LITERAL.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text).strip()


def format_number(value: int | float, number_format: str) -> str:
    """The number as a cell with `number_format` prints it: percent, fixed decimals, thousands, and the
    literal text around it (#,##0.00"万元" prints 1,234.50万元)."""
    try:
        number = _significant(value) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):  # inf / nan cannot be stored in a cell; be safe anyway
        return str(value)
    section = _section(number_format or "General")
    # the format with its literals blanked out (same length, so positions agree with `section`)
    masked = _FORMAT_LITERAL.sub(lambda m: "\x00" * len(m.group(0)), section)
    placeholders = _PLACEHOLDERS.search(masked)
    if placeholders is None or section.strip().lower() == "general":
        if abs(number) >= _GENERAL_SCIENTIFIC_FROM:  # digits past the 15th are lost: Excel prints 4.40306E+20
            mantissa, exponent = f"{number:.5E}".split("E")
            return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent):02d}"
        return _plain(number)
    pattern = placeholders.group(0)
    if re.search(r"[eE][+-]", masked):  # scientific: 0.00E+00
        digits = re.search(r"\.([0#?]+)", pattern)
        mantissa, exponent = f"{number:.{len(digits.group(1)) if digits else 0}E}".split("E")
        return f"{mantissa}E{int(exponent):+03d}"
    percent = "%" in masked
    digits = re.search(r"\.([0#?]+)", pattern)
    decimals = len(digits.group(1)) if digits else 0
    # Excel rounds half away from zero (2.675 with two decimals prints 2.68), on the decimal it shows
    shown = abs(number * 100 if percent else number).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 and shown != 0 else ""
    text = f"{shown:,.{decimals}f}" if "," in pattern.split(".")[0] else f"{shown:.{decimals}f}"
    last = max(i for i, ch in enumerate(masked) if ch in "0#?")
    prefix, suffix = _literal(section[: placeholders.start()]), _literal(section[last + 1 :].replace("%", "", 1))
    return prefix + sign + text + ("%" if percent else "") + suffix


def format_date(value: dt.datetime | dt.date, number_format: str) -> str:
    fmt = (number_format or "").lower()
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        value = value.date()
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S")
    if "年" in fmt:
        text = f"{value.year}年{value.month}月"
        return text + f"{value.day}日" if "日" in fmt or "d" in fmt else text
    return value.isoformat()


def cell_text(value: object, number_format: str) -> str:
    """A cell's value as printed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return format_date(value, number_format)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M" if value.second == 0 else "%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value, number_format)
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(" ".join(line.split()) for line in lines).strip("\n")


def _sheet_table(path: Path, sheet) -> Table | None:
    """The sheet's used range as a Table; None when no cell holds a value."""
    if sheet.max_row * sheet.max_column > MAX_CELLS_PER_SHEET:
        raise ReadError(
            path, f"refused: sheet {sheet.title!r} spans {sheet.max_row} rows x {sheet.max_column} columns", "too_large"
        )
    texts: dict[tuple[int, int], str] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                text = cell_text(cell.value, cell.number_format)
                if text:
                    texts[(cell.row - 1, cell.column - 1)] = text
    if not texts:
        return None
    n_rows = max(r for r, _ in texts) + 1
    n_cols = max(c for _, c in texts) + 1
    covered: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= n_rows or left >= n_cols:
            continue
        bottom, right = min(merged.max_row, n_rows), min(merged.max_col, n_cols)
        cells.append(Cell(row=top, col=left, text=texts.get((top, left), ""),
                          row_span=bottom - top, col_span=right - left))  # fmt: skip
        covered.update((r, c) for r in range(top, bottom) for c in range(left, right))
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) not in covered:
                cells.append(Cell(row=r, col=c, text=texts.get((r, c), "")))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Table(n_rows=n_rows, n_cols=n_cols, cells=cells)


def read(path: Path, data: bytes) -> Document:
    open_package(path, data, "xl/workbook", label=".xlsx")  # refuses bombs and DTDs before openpyxl parses
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError) as error:
        raise ReadError(path, f"corrupt .xlsx: {error.__class__.__name__} opening the workbook", "corrupt") from None
    except Exception as error:  # openpyxl raises whatever its parsers raise on malformed parts (lxml, ValueError …)
        raise ReadError(
            path, f"corrupt .xlsx: {error.__class__.__name__} in the workbook structure", "corrupt"
        ) from None
    blocks: list[Block] = []
    try:
        for sheet in workbook.worksheets:  # chart sheets have no cells and are not in .worksheets
            table = _sheet_table(path, sheet)
            if table is None:
                continue
            name = sheet.title.strip()
            if not _DEFAULT_SHEET_NAME.match(name):
                blocks.append(Block(index=len(blocks), kind="paragraph", text=name, sheet=sheet.title))
            blocks.append(Block(index=len(blocks), kind="table", text=table.text(), table=table, sheet=sheet.title))
    except ReadError:
        raise
    except Exception as error:  # a malformed cell or merge reference
        raise ReadError(path, f"corrupt .xlsx: {error.__class__.__name__} reading a sheet", "corrupt") from None
    finally:
        workbook.close()
    if not blocks:
        raise ReadError(path, "empty .xlsx: no cell holds a value", "empty")
    return Document(path=str(path), sha256="", format="xlsx", blocks=blocks)
