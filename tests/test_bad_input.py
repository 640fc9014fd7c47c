"""Every kind of bad input: one line on stderr naming the file and the reason, exit code 2, no traceback."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.readers import ocr

CORPUS = Path(__file__).parent.parent / "corpus"
PDF_FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_INPUTS = {
    # name: (file name, bytes or a callable giving bytes, words the reason must contain)
    "empty txt": ("empty.txt", b"", "empty"),
    "blank txt": ("blank.txt", b"  \n\n \n", "empty"),
    "empty pdf": ("empty.pdf", b"", "empty"),
    "empty docx": ("empty.docx", b"", "empty"),
    "legacy doc": ("old.doc", OLE_MAGIC + b"\x00" * 600, "corrupt ole2"),
    "legacy wps": ("old.wps", OLE_MAGIC + b"\x00" * 600, "corrupt ole2"),
    "doc renamed docx": ("renamed.docx", OLE_MAGIC + b"\x00" * 600, "corrupt ole2"),
    "doc that is nothing": ("old.doc", "这不是文档".encode() * 20, "not a .doc file"),
    "zip neither docx nor xlsx": ("bundle.docx.zip", _zip({"a.txt": b"x"}), "neither a .docx nor an .xlsx"),
    "unsupported extension": ("table.xlsx.bak", b"some bytes", "unsupported"),
    "docx not a zip": ("notzip.docx", "这不是一个压缩包".encode() * 20, "not a zip"),
    "docx without document.xml": ("nodoc.docx", _zip({"[Content_Types].xml": b"<Types/>"}), "document.xml"),
    "pdf garbage": ("garbage.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100, "corrupt"),
    "truncated pdf": ("truncated.pdf", lambda: (CORPUS / "heshan_commerce_2024.pdf").read_bytes()[:20000], "corrupt"),
}


def _run(capsys, path: Path) -> tuple[int, str]:
    code = main(["parse", str(path)])
    captured = capsys.readouterr()
    return code, captured.err


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_one_line_exit_2(case, tmp_path, capsys):
    name, content, reason_words = BAD_INPUTS[case]
    path = tmp_path / name
    path.write_bytes(content() if callable(content) else content)
    code, err = _run(capsys, path)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0]
    assert reason_words in lines[0].lower()
    assert "Traceback" not in err


def test_missing_path(tmp_path, capsys):
    code, err = _run(capsys, tmp_path / "nowhere.docx")
    assert code == 2 and "no such file" in err and "nowhere.docx" in err


@pytest.mark.parametrize(
    "fixture, reason_words",
    [("password.pdf", "password"), ("garbled.pdf", "garbled")],
)
def test_pdf_fixtures(fixture, reason_words, capsys):
    code, err = _run(capsys, PDF_FIXTURES / fixture)
    assert code == 2 and reason_words in err.lower() and fixture in err


def test_scanned_pdf_without_ocr_extra(monkeypatch, capsys):
    """Without the OCR extra a scanned PDF is refused in one line that says how to install it."""
    monkeypatch.setattr(ocr, "available", lambda: False)
    code, err = _run(capsys, PDF_FIXTURES / "scanned.pdf")
    assert code == 2 and "no text layer" in err and "jixiao[ocr]" in err and err.count("\n") == 1


def test_encrypted_with_empty_password_is_read(capsys):
    code = main(["parse", str(PDF_FIXTURES / "owner_only.pdf")])
    assert code == 0
    assert '"blocks"' in capsys.readouterr().out


def test_console_script_prints_no_traceback(tmp_path):
    """The installed `jixiao` command, as a user runs it."""
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    result = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "parse", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_encrypted_docx(tmp_path, capsys):
    """Word saves a password-protected .docx as an OLE compound file holding an EncryptedPackage stream."""
    path = tmp_path / "secret.docx"
    path.write_bytes(OLE_MAGIC + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500)
    code, err = _run(capsys, path)
    assert code == 2 and "encrypted" in err and "secret.docx" in err
