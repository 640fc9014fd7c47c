"""The .xlsx reader: one table per sheet, merges resolved, values as printed, bad workbooks refused in one line."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from test_bad_input import _zip

from extractor.cli import main
from extractor.errors import ReadError
from extractor.readers import read
from extractor.readers import xlsx as xlsx_reader


def _save(workbook: Workbook, path: Path) -> Path:
    workbook.save(path)
    return path


def _form(path: Path) -> Path:
    """A small target form: a title merged across the sheet, label/value pairs, a merged first-level column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "3.街道绿化养护"
    sheet["A1"] = "项目绩效目标表"
    sheet.merge_cells("A1:D1")
    sheet["A2"], sheet["B2"] = "本年度金额（万元）：", 123456.5
    sheet["B2"].number_format = "#,##0.00"
    sheet["A3"], sheet["B3"], sheet["C3"], sheet["D3"] = "一级指标", "二级指标", "三级指标", "目标值"
    sheet["A4"], sheet["B4"], sheet["C4"], sheet["D4"] = "产出", "数量", "养护面积", "≥3万平方米"
    sheet["B5"], sheet["C5"], sheet["D5"] = "质量", "苗木成活率", 0.95
    sheet["D5"].number_format = "0%"
    sheet.merge_cells("A4:A5")
    second = workbook.create_sheet("说明")
    second["B2"] = "完成时间"
    second["C2"] = dt.datetime(2023, 12, 31)
    second["C2"].number_format = "yyyy-mm-dd"
    workbook.create_sheet("空表")
    return _save(workbook, path)


def test_each_sheet_a_captioned_table_with_merges_resolved(tmp_path):
    document = read(_form(tmp_path / "form.xlsx"))
    assert document.format == "xlsx"
    assert [(b.kind, b.sheet) for b in document.blocks] == [
        ("paragraph", "3.街道绿化养护"),
        ("table", "3.街道绿化养护"),
        ("paragraph", "说明"),
        ("table", "说明"),
    ]  # fmt: skip  (the empty sheet gives nothing)
    assert document.blocks[0].text == "3.街道绿化养护"
    table = document.blocks[1].table
    assert (table.n_rows, table.n_cols) == (5, 4)
    origin = {(c.row, c.col): (c.text, c.row_span, c.col_span) for c in table.cells}
    assert origin[(0, 0)] == ("项目绩效目标表", 1, 4)
    assert origin[(3, 0)] == ("产出", 2, 1)
    assert (4, 0) not in origin  # covered by the merge
    assert table.grid()[4] == ["产出", "质量", "苗木成活率", "95%"]
    assert table.grid()[1][:2] == ["本年度金额（万元）：", "123,456.50"]


def test_positions_are_the_sheets_own(tmp_path):
    """B2 is (1, 1): a finding can name the cell; leading empty rows and columns stay, trailing ones go."""
    table = read(_form(tmp_path / "form.xlsx")).blocks[3].table
    assert (table.n_rows, table.n_cols) == (2, 3)
    assert table.grid() == [["", "", ""], ["", "完成时间", "2023-12-31"]]


@pytest.mark.parametrize(
    ("value", "number_format", "printed"),
    [
        (0.1 + 0.2, "General", "0.3"),  # binary float noise gone
        (12.0, "General", "12"),
        (1234.5, "#,##0.00_);[Red](#,##0.00)", "1,234.50"),
        (-1234.5, "#,##0.00_);[Red](#,##0.00)", "-1,234.50"),
        (0.955, "0.0%", "95.5%"),
        (2.675, "0.00", "2.68"),  # Excel rounds half up on the decimal it shows
        (7, '0"人"', "7人"),  # literal text of the format is printed
        (1234.5, '#,##0.00"万元"', "1,234.50万元"),
        (3, '"共"0\\个', "共3个"),
        (1234.5, "0.00E+00", "1.23E+03"),
        (1234.5, '"¥"#,##0.00', "¥1,234.50"),
        (4.4030623139149998e20, "General", "4.40306E+20"),  # a long code stored as a number has lost digits
        (True, "General", "TRUE"),
        (dt.datetime(2023, 6, 30), 'yyyy"年"m"月"d"日"', "2023年6月30日"),
        (dt.datetime(2023, 6, 30, 9, 30), "yyyy-mm-dd hh:mm", "2023-06-30 09:30"),
        (dt.date(2024, 1, 2), "yyyy/m/d", "2024-01-02"),
        ("  第一行 \r\n  第二行  ", "@", "第一行\n第二行"),
    ],
)
def test_values_as_printed(tmp_path, value, number_format, printed):
    workbook = Workbook()
    workbook.active["A1"] = value
    workbook.active["A1"].number_format = number_format
    [block] = read(_save(workbook, tmp_path / "v.xlsx")).blocks  # "Sheet" is a default name: no caption
    assert block.table.cells[0].text == printed


def test_formula_cells_give_their_cached_value(tmp_path):
    path = tmp_path / "f.xlsx"
    workbook = Workbook()
    workbook.active["A1"], workbook.active["A2"] = 2, "=A1*3"
    workbook.save(path)
    # openpyxl writes no cached value: Excel would print the result after recalculating, we print nothing
    assert read(path).blocks[0].table.grid() == [["2"]]


def test_workbook_sniffed_by_content_whatever_its_name(tmp_path):
    renamed = _form(tmp_path / "form.xlsx").rename(tmp_path / "form.docx")
    assert read(renamed).format == "xlsx"  # used to give "corrupt .docx"


def _replace(data: bytes, member: str, blob: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    return _zip({name: (blob if name == member else source.read(name)) for name in source.namelist()})


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("not a zip", "corrupt .xlsx: not a zip archive"),
        ("no workbook part", "corrupt .xlsx: no xl/workbook.xml"),
        ("entity bomb", "refused: XML entity declarations in xl/worksheets/sheet1.xml"),
        ("malformed sheet", "corrupt .xlsx"),
        ("no values", "empty .xlsx: no cell holds a value"),
    ],
)
def test_bad_workbook_gives_read_error(tmp_path, case, reason):
    def good() -> bytes:
        return _form(tmp_path / "good.xlsx").read_bytes()

    data = {
        "not a zip": lambda: "不是工作簿".encode() * 50,
        "no workbook part": lambda: _zip({"[Content_Types].xml": b"<Types/>", "xl/styles.xml": b"<styleSheet/>"}),
        "entity bomb": lambda: _replace(
            good(), "xl/worksheets/sheet1.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet/>'
        ),
        "malformed sheet": lambda: _replace(good(), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>"),
        "no values": lambda: _save(Workbook(), tmp_path / "empty.xlsx").read_bytes(),
    }[case]()
    with pytest.raises(ReadError) as caught:
        xlsx_reader.read(tmp_path / "bad.xlsx", data)
    assert caught.value.reason.startswith(reason)


def test_cli_bad_workbook_one_line(tmp_path, capsys):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(_replace(_form(tmp_path / "good.xlsx").read_bytes(), "xl/workbook.xml", b"<workbook><sheets>"))
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0] and "corrupt .xlsx" in err[0]


def test_legacy_encrypted_and_oversized_workbooks_refused(tmp_path, monkeypatch):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    legacy = tmp_path / "old.xls"
    legacy.write_bytes(ole + b"\x00" * 600)
    with pytest.raises(ReadError, match="corrupt OLE2 compound file"):  # a real .xls is converted (test_formats.py)
        read(legacy)
    encrypted = tmp_path / "locked.xlsx"
    encrypted.write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 600)
    with pytest.raises(ReadError, match="encrypted .xlsx"):
        read(encrypted)
    monkeypatch.setattr(xlsx_reader, "MAX_CELLS_PER_SHEET", 10)
    with pytest.raises(ReadError, match="refused: sheet '3.街道绿化养护' spans 5 rows x 4 columns"):
        read(_form(tmp_path / "form.xlsx"))
