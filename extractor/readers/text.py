"""Plain text: paragraphs and text tables (see `text_layout`), encoding detected (UTF-8, UTF-8 with BOM,
GBK/GB18030)."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import ReadError
from ..records import Document
from .text_layout import lines_to_blocks


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding. UTF-8 is tried first: it is strict, so a success is certain."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, the encodings Chinese government sites still use
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "not text: no encoding decodes it", "unsupported")
    return str(best), best.encoding


def read(path: Path, data: bytes) -> Document:
    text, encoding = decode(path, data)
    if "\x00" in text:
        raise ReadError(path, "binary file, not text", "unsupported")
    blocks = lines_to_blocks(text.splitlines())
    if not blocks:
        raise ReadError(path, "empty file: no text", "empty")
    return Document(path=str(path), sha256="", format="txt", encoding=encoding, blocks=blocks)
