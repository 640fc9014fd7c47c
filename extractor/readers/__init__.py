"""Readers: a file in, a `Document` of blocks with provenance out.

`read(path)` checks what the file really is (magic bytes before extension), refuses what it
cannot read with a `ReadError` naming the reason, and hands the bytes to one format's module.
Readers know nothing of sections, figures or checks.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

from ..errors import ReadError
from ..records import Document
from .ooxml import OLE_MAGIC, is_encrypted_ooxml, is_workbook  # OLE: the .doc / .wps / .xls compound file
from .toc import mark_table_of_contents

SUPPORTED_SUFFIXES = {".docx", ".xlsx", ".pdf", ".txt", ".text", ".html", ".htm", ".md", ".markdown"}
_LEGACY_WORD = {".doc", ".wps", ".rtf"}
_LEGACY_SHEET = {".xls", ".et"}
_MODULES = {"docx": "docx", "xlsx": "xlsx", "pdf": "pdf", "txt": "text", "html": "html", "md": "markdown"}


def sniff_format(path: Path, head: bytes, data: bytes = b"") -> str:
    """The format to read the file as, from its first bytes (for a zip, its members) and then its suffix."""
    suffix = path.suffix.lower()
    if suffix in _LEGACY_SHEET:
        raise ReadError(path, "legacy Excel/WPS spreadsheet: convert it to .xlsx first (e.g. soffice --convert-to xlsx)")
    if head.startswith(OLE_MAGIC) or suffix in _LEGACY_WORD:
        raise ReadError(path, "legacy Word/WPS file: convert it to .docx first (e.g. soffice --convert-to docx)")
    if head.startswith(b"%PDF") or suffix == ".pdf":
        return "pdf"
    if head.startswith(b"PK\x03\x04") and is_workbook(data) or suffix == ".xlsx":
        return "xlsx"
    if head.startswith(b"PK\x03\x04") or suffix == ".docx":
        return "docx"
    if suffix in {".html", ".htm"}:
        return "html"
    if suffix in {".txt", ".text"}:
        return "txt"
    if suffix in {".md", ".markdown"}:
        return "md"
    raise ReadError(path, f"unsupported format {suffix or '(no extension)'}: expected .docx, .xlsx, .pdf, .txt, .html or .md")


def read(path: str | Path) -> Document:
    path = Path(path)
    if not path.exists():
        raise ReadError(path, "no such file")
    if path.is_dir():
        raise ReadError(path, "is a directory")
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(path, "empty file")
    if is_encrypted_ooxml(data):  # a password-protected .docx is an OLE file, not a zip
        label = ".xlsx" if path.suffix.lower() == ".xlsx" else ".docx"
        raise ReadError(path, f"encrypted {label} (password protected): save it without a password first")
    fmt = sniff_format(path, data[:8], data)
    # imported on demand: a text file should not pay for loading pdfium or lxml
    module = importlib.import_module(f".{_MODULES[fmt]}", __name__)
    document = module.read(path, data)
    mark_table_of_contents(document.blocks)
    document.sha256 = hashlib.sha256(data).hexdigest()
    return document
