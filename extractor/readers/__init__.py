"""Readers: a file in, a `Document` of blocks with provenance out.

`read(path)` checks what the file really is (magic bytes before extension), refuses what it
cannot read with a `ReadError` naming the reason, and hands the bytes to one format's module.
Readers know nothing of sections, figures or checks.
"""

from __future__ import annotations

import errno
import hashlib
import importlib
import os
import stat
from pathlib import Path

from ..errors import ReadError
from ..limits import DEFAULT_LIMITS, Limits
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
        raise ReadError(path, "legacy Excel/WPS spreadsheet: convert it to .xlsx first (e.g. soffice --convert-to xlsx)", "legacy")
    if head.startswith(OLE_MAGIC) or suffix in _LEGACY_WORD:
        raise ReadError(path, "legacy Word/WPS file: convert it to .docx first (e.g. soffice --convert-to docx)", "legacy")
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
    raise ReadError(path, f"unsupported format {suffix or '(no extension)'}: expected .docx, .xlsx, .pdf, .txt, .html or .md", "unsupported")


def check_path(path: Path) -> None:
    """ReadError (unreadable_path) unless `path` names a regular file this process may read; the reason says
    what is wrong: missing, a dangling link, a link loop, a folder, no permission."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ReadError(path, "symbolic link loop", "unreadable_path") from None
        if path.is_symlink():
            raise ReadError(path, "dangling symbolic link (its target does not exist)", "unreadable_path") from None
        if error.errno == errno.ENOENT:
            raise ReadError(path, "no such file", "unreadable_path") from None
        raise ReadError(path, f"cannot open: {error.strerror or error}", "unreadable_path") from None
    if stat.S_ISDIR(mode):
        try:
            with os.scandir(path):
                pass
        except OSError as error:
            raise ReadError(path, f"folder not readable ({error.strerror or error})", "unreadable_path") from None
        if path.is_symlink():
            raise ReadError(path, "symbolic link to a folder already walked (a link loop)", "unreadable_path")
        raise ReadError(path, "is a directory", "unreadable_path")
    if not stat.S_ISREG(mode):
        raise ReadError(path, "not a regular file (a device, pipe or socket)", "unreadable_path")


def read(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    path = Path(path)
    check_path(path)
    size = path.stat().st_size
    if size > limits.max_bytes:
        limit = limits.max_bytes // 2**20
        raise ReadError(path, f"too large: {size // 2**20} MB, the limit is {limit} MB", "too_large")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(path, f"cannot read: {error.strerror or error}", "unreadable_path") from None
    if not data.strip():
        raise ReadError(path, "empty file", "empty")
    if is_encrypted_ooxml(data):  # a password-protected .docx is an OLE file, not a zip
        label = ".xlsx" if path.suffix.lower() == ".xlsx" else ".docx"
        raise ReadError(path, f"encrypted {label} (password protected): save it without a password first", "encrypted")
    fmt = sniff_format(path, data[:8], data)
    # imported on demand: a text file should not pay for loading pdfium or lxml
    module = importlib.import_module(f".{_MODULES[fmt]}", __name__)
    document = module.read(path, data, max_pages=limits.max_pages) if fmt == "pdf" else module.read(path, data)
    mark_table_of_contents(document.blocks)
    chars = sum(len(block.text) for block in document.blocks)
    if chars > limits.max_chars:
        raise ReadError(path, f"too much text: {chars:,} characters, the limit is {limits.max_chars:,}", "too_large")
    document.sha256 = hashlib.sha256(data).hexdigest()
    return document
