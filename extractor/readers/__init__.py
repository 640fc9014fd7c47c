"""Readers: a file in, a `Document` of blocks with provenance out.

`read(path)` checks what the file really is (its content before its extension: a zip is a .docx or
an .xlsx by its members, an OLE2 compound file a Word or Excel binary by its streams), refuses what
it cannot read with a `ReadError` naming the reason, and hands the bytes to one format's module.
Legacy office files (.doc .wps .rtf .xls .et) are converted by LibreOffice first (`legacy`).
Readers know nothing of sections, figures or checks.
"""

from __future__ import annotations

import errno
import hashlib
import importlib
import io
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReadError
from ..limits import DEFAULT_LIMITS, Limits
from ..records import Document
from . import legacy
from .ocr_options import OcrOptions
from .toc import mark_table_of_contents

_WORD_SUFFIXES = {".doc", ".wps", ".rtf"}
_EXCEL_SUFFIXES = {".xls", ".et"}
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
# the format each supported suffix names (the content decides first: `sniff_format`)
_SUFFIX_FORMATS = {
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pdf": "pdf",
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    **{suffix: "md" for suffix in _MARKDOWN_SUFFIXES},
    **{suffix: suffix[1:] for suffix in _WORD_SUFFIXES | _EXCEL_SUFFIXES},
}
SUPPORTED_SUFFIXES = set(_SUFFIX_FORMATS)
# the module that reads each format; a legacy format is read by its converted form's module
_MODULES = {"docx": "docx", "xlsx": "xlsx", "pdf": "pdf", "txt": "text", "html": "html", "md": "markdown"}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the .doc / .wps / .xls / .et compound file
# a password-protected .docx is an OLE compound file holding this stream (MS-OFFCRYPTO)
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class ReadOptions:
    """How to read: OCR settings for scanned pages, the conversion timeout for legacy office files, and the
    limits on one document (size, text, pages)."""

    ocr: OcrOptions = field(default_factory=OcrOptions)
    convert_timeout: float = legacy.TIMEOUT_SECONDS
    limits: Limits = DEFAULT_LIMITS


def _zip_format(path: Path, data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError):  # a damaged zip: its reader says how
        return "xlsx" if path.suffix.lower() == ".xlsx" else "docx"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if path.suffix.lower() == ".docx":  # the docx reader names what is missing
        return "docx"
    raise ReadError(
        path,
        "zip archive that is neither a .docx nor an .xlsx (no word/document.xml or xl/workbook.xml)",
        "unsupported",
    )


def _ole_format(path: Path, data: bytes) -> str:
    """.doc/.wps (a WordDocument stream) or .xls/.et (Workbook, or Book for Excel 5), else refused."""
    import olefile

    try:
        streams = {entry[0] for entry in olefile.OleFileIO(data).listdir()}
    except (OSError, ValueError):
        raise ReadError(path, "corrupt OLE2 compound file (.doc/.xls/.wps/.et)", "corrupt") from None
    suffix = path.suffix.lower().lstrip(".")
    if "WordDocument" in streams:
        return suffix if suffix in ("doc", "wps") else "doc"
    if streams & {"Workbook", "Book"}:
        return suffix if suffix in ("xls", "et") else "xls"
    raise ReadError(path, "OLE2 compound file that is neither a Word nor an Excel document", "unsupported")


def reader_module(path: Path) -> str | None:
    """The module that reads a file named `path` when its content is what its suffix says (None: unsupported)."""
    fmt = _SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        return None
    return f"{__name__}.{_MODULES[legacy.FORMATS[fmt][1] if fmt in legacy.FORMATS else fmt]}"


def sniff_format(path: Path, data: bytes) -> str:
    """The format to read the file as: from its content first, then its suffix."""
    suffix = path.suffix.lower()
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(OLE_MAGIC):
        return _ole_format(path, data)
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(path, data)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_HTML_MARKERS):  # a web page saved as .doc or .xls is common on government sites
        return "html"
    if suffix in {".pdf", ".docx", ".xlsx"}:  # their readers say what is wrong with the content
        return suffix[1:]
    if suffix in _WORD_SUFFIXES | _EXCEL_SUFFIXES:
        raise ReadError(path, f"not a {suffix} file: neither an OLE2 compound file nor RTF, HTML or a zip", "corrupt")
    if suffix in {".html", ".htm"}:
        return "html"
    if suffix in _MARKDOWN_SUFFIXES:
        return "md"
    if suffix in {".txt", ".text"}:
        return "txt"
    raise ReadError(
        path,
        f"unsupported format {suffix or '(no extension)'}: expected .docx, .pdf, .xlsx, .doc, "
        ".wps, .xls, .et, .rtf, .html, .txt or .md",
        "unsupported",
    )


def is_encrypted_ooxml(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC) and _ENCRYPTED_PACKAGE in data


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


def read(path: str | Path, options: ReadOptions | None = None) -> Document:
    path = Path(path)
    options = options or ReadOptions()
    limits = options.limits
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
    fmt = sniff_format(path, data)
    content, reader = data, fmt
    if fmt in legacy.FORMATS:
        content = legacy.convert(path, data, fmt, options.convert_timeout)
        reader = legacy.FORMATS[fmt][1]
    # imported on demand: a text file should not pay for loading pdfium or lxml
    module = importlib.import_module(f".{_MODULES[reader]}", __name__)
    if reader == "pdf":
        document = module.read(path, content, options.ocr, max_pages=limits.max_pages)
    else:
        document = module.read(path, content)
    mark_table_of_contents(document.blocks)
    chars = sum(len(block.text) for block in document.blocks)
    if chars > limits.max_chars:
        raise ReadError(path, f"too much text: {chars:,} characters, the limit is {limits.max_chars:,}", "too_large")
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.format = fmt  # what the file is; a converted file's blocks are those of its .docx / .xlsx
    return document
