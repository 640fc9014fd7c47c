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
from .ooxml import OLE_MAGIC, is_encrypted_ooxml  # OLE: the .doc / .wps / .xls compound file

SUPPORTED_SUFFIXES = {".docx", ".pdf", ".txt", ".text", ".html", ".htm"}
_LEGACY_WORD = {".doc", ".wps", ".rtf"}
_MODULES = {"docx": "docx", "pdf": "pdf", "txt": "text", "html": "html"}


def sniff_format(path: Path, head: bytes) -> str:
    """The format to read the file as, from its first bytes and then its suffix."""
    suffix = path.suffix.lower()
    if head.startswith(OLE_MAGIC) or suffix in _LEGACY_WORD:
        raise ReadError(path, "legacy Word/WPS file: convert it to .docx first (e.g. soffice --convert-to docx)", "legacy")
    if head.startswith(b"%PDF") or suffix == ".pdf":
        return "pdf"
    if head.startswith(b"PK\x03\x04") or suffix == ".docx":
        return "docx"
    if suffix in {".html", ".htm"}:
        return "html"
    if suffix in {".txt", ".text"}:
        return "txt"
    raise ReadError(path, f"unsupported format {suffix or '(no extension)'}: expected .docx, .pdf, .txt or .html", "unsupported")


def read(path: str | Path) -> Document:
    path = Path(path)
    if not path.exists():
        raise ReadError(path, "no such file", "unreadable_path")
    if path.is_dir():
        raise ReadError(path, "is a directory", "unreadable_path")
    data = path.read_bytes()
    if not data.strip():
        raise ReadError(path, "empty file", "empty")
    if is_encrypted_ooxml(data):  # a password-protected .docx is an OLE file, not a zip
        raise ReadError(path, "encrypted .docx (password protected): save it without a password first", "encrypted")
    fmt = sniff_format(path, data[:8])
    # imported on demand: a text file should not pay for loading pdfium or lxml
    module = importlib.import_module(f".{_MODULES[fmt]}", __name__)
    document = module.read(path, data)
    document.sha256 = hashlib.sha256(data).hexdigest()
    return document
