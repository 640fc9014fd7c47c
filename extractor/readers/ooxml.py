"""OOXML plumbing for the .docx reader: package checks before any XML parser sees the bytes
(zip bombs, DTDs, encryption), the package's parts found through its content types and
relationships (OPC, ECMA-376 Part 2), and the few attribute readers every WordprocessingML walk needs.

Only the parts a reader asks for are parsed (python-docx would parse every part, headers and
settings included, into its own element classes). The parser does not resolve entities, so an
entity bomb would not be expanded; we still refuse any part that declares a DTD, since no
genuine Word part has one.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import overload

from lxml import etree

from ..errors import ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFF = {"0", "false", "off"}

# The inflated size is counted while inflating, never taken from the zip's headers, which a bomb can
# understate; the limit also bounds the memory a package can take (300 MB for the process at most).
MAX_UNCOMPRESSED = 120 * 1024 * 1024  # the XML parts of a package together
MAX_RATIO = 100  # inflated / compressed, for members inflating to more than RATIO_CHECKED_ABOVE
RATIO_CHECKED_ABOVE = 10 * 1024 * 1024
_CHUNK = 1 << 20  # bytes inflated at a time
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a zip member's local file header (APPNOTE 4.3.7)
_DTD_MARKERS = ("<!DOCTYPE", "<!ENTITY")
# XML 1.0 Appendix F: the encoding of an entity from its first bytes (a BOM, or "<?xml" as the encoding writes it)
_XML_SIGNATURES = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00\x3c", "utf-32-be"),
    (b"\x3c\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x3c\x00\x3f", "utf-16-be"),
    (b"\x3c\x00\x3f\x00", "utf-16-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\x4c\x6f\xa7\x94", "cp500"),  # EBCDIC
)
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def xml_encoding(blob: bytes) -> str:
    """The encoding an XML parser would read `blob` in: its signature, else its declaration, else UTF-8."""
    for signature, encoding in _XML_SIGNATURES:
        if blob.startswith(signature):
            return encoding
    declared = _DECLARED_ENCODING.match(blob[:200])
    return declared.group(1).decode("ascii") if declared else "utf-8"


def declares_dtd(blob: bytes) -> bool:
    """Whether the XML in `blob` declares a DTD or an entity, in whatever encoding it is written (a UTF-16 or
    UTF-32 part hides ASCII markers from a byte search). An encoding Python does not know is refused too."""
    try:
        text = blob.decode(xml_encoding(blob), errors="replace")
    except LookupError:
        return True
    return any(marker in text for marker in _DTD_MARKERS)


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int) -> bytes:
    """The member's bytes, inflated a chunk at a time; ValueError once more than `budget` bytes come out,
    whatever its header says. Stored and deflated members only (what Word writes)."""
    stream = archive.fp
    if stream is None:
        raise zipfile.BadZipFile("archive closed")
    stream.seek(member.header_offset)
    header = stream.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {member.filename}")
    *_, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    stream.seek(name_length + extra_length, os.SEEK_CUR)
    if member.compress_type == zipfile.ZIP_STORED:
        inflater = None
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    else:
        raise NotImplementedError(f"compression method {member.compress_type}")
    out = bytearray()
    remaining = member.compress_size if inflater is None else None  # a deflate stream ends by itself
    while True:
        raw = stream.read(_CHUNK if remaining is None else min(_CHUNK, remaining))
        if inflater is None:
            out += raw
            remaining = (remaining or 0) - len(raw)
        else:
            pending = raw
            while pending and not inflater.eof:
                out += inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                if len(out) > budget:
                    break
        if len(out) > budget:
            raise ValueError(len(out))
        if not raw or (inflater is not None and inflater.eof) or (inflater is None and not remaining):
            break
    if inflater is not None and not inflater.eof:
        raise zipfile.BadZipFile(f"{member.filename}: deflate stream cut short")
    if zlib.crc32(out) != member.CRC:
        raise zipfile.BadZipFile(f"{member.filename}: CRC mismatch (its header is wrong)")
    return bytes(out)


def open_package(path: Path, data: bytes, main_part_prefix: str, label: str = ".docx") -> Package:
    """The package in `data`; ReadError unless it is a zip that is safe to unpack, whose XML
    declares no DTD, and that holds a member starting with `main_part_prefix` (e.g. "word/document").
    `label` names the format in the reasons ("corrupt .xlsx: …")."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(path, f"corrupt {label}: not a zip archive", "corrupt") from None
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if not any(name.startswith(main_part_prefix) and name.endswith(".xml") for name in names):
            raise ReadError(path, f"corrupt {label}: no {main_part_prefix}.xml", "corrupt")
        blobs: dict[str, bytes] = {}
        inflated = 0
        for member in members:
            name = member.filename
            if not name.lower().endswith((".xml", ".rels")) or name in blobs:
                continue
            try:
                blob = _inflate(archive, member, MAX_UNCOMPRESSED - inflated)
            except ValueError:
                limit = MAX_UNCOMPRESSED // 2**20
                raise ReadError(
                    path, f"refused: zip bomb ({name} inflates past the {limit} MB limit)", "too_large"
                ) from None
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, struct.error) as error:
                raise ReadError(
                    path, f"corrupt {label}: {name} unreadable ({error.__class__.__name__})", "corrupt"
                ) from None
            inflated += len(blob)
            ratio = len(blob) / max(member.compress_size, 1)
            if len(blob) > RATIO_CHECKED_ABOVE and ratio > MAX_RATIO:
                size = len(blob) // 2**20
                raise ReadError(path, f"refused: zip bomb ({name}: {size} MB inflated, ratio {ratio:.0f})", "too_large")
            if declares_dtd(blob):
                raise ReadError(path, f"refused: XML entity declarations in {name}", "unsafe")
            blobs[name] = blob
    return Package(blobs)


# python-docx's parser settings, so that the trees (blank text between elements dropped) read as before
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def parse(blob: bytes) -> etree._Element:
    return etree.fromstring(blob, _PARSER)


class Package:
    """The XML parts of a vetted package, by part name ("/word/document.xml"), parsed on demand.

    Lookups fail as python-docx's do: KeyError for a part, relationship or content type that is
    missing, ValueError for a relationship type that should be single but is not, lxml's
    XMLSyntaxError for malformed XML.
    """

    def __init__(self, blobs: dict[str, bytes]):
        self._blobs = blobs  # zip member name (no leading "/") -> bytes

    def xml(self, part_name: str) -> etree._Element:
        return parse(self._blobs[part_name.lstrip("/")])

    def related(self, source: str, reltype: str) -> str:
        """The part name of the single internal relationship of `reltype` from `source` ("/" = the package)."""
        directory, file_name = posixpath.split(source)
        rels_name = posixpath.join(directory, "_rels", f"{file_name}.rels").lstrip("/")
        targets = []
        if rels_name in self._blobs:  # a part without a .rels file has no relationships
            for rel in parse(self._blobs[rels_name]).iterfind(_PR + "Relationship"):
                if rel.get("Type") == reltype and rel.get("TargetMode") != "External":
                    targets.append(posixpath.normpath(posixpath.join(directory or "/", rel.get("Target", ""))))
        if not targets:
            raise KeyError(f"no relationship of type {reltype!r} from {source}")
        if len(targets) > 1:
            raise ValueError(f"multiple relationships of type {reltype!r} from {source}")
        return targets[0]

    def content_type(self, part_name: str) -> str:
        """From [Content_Types].xml: the part's Override, else the Default for its extension."""
        types = parse(self._blobs["[Content_Types].xml"])
        for override in types.iterfind(_CT + "Override"):
            if override.get("PartName", "").lower() == part_name.lower():
                return override.get("ContentType", "")
        extension = posixpath.splitext(part_name)[1][1:].lower()
        for default in types.iterfind(_CT + "Default"):
            if default.get("Extension", "").lower() == extension:
                return default.get("ContentType", "")
        raise KeyError(f"no content type for {part_name}")


@overload
def val(element: etree._Element | None, default: str) -> str: ...
@overload
def val(element: etree._Element | None, default: None = None) -> str | None: ...
def val(element: etree._Element | None, default: str | None = None) -> str | None:
    """The w:val attribute of `element`, `default` when the element or the attribute is absent."""
    return default if element is None else element.get(W + "val", default)


@overload
def int_val(element: etree._Element | None, default: int) -> int: ...
@overload
def int_val(element: etree._Element | None, default: None = None) -> int | None: ...
def int_val(element: etree._Element | None, default: int | None = None) -> int | None:
    value = val(element)
    return int(value) if value is not None and value.lstrip("-").isdigit() else default


def is_on(element: etree._Element | None) -> bool | None:
    """A toggle property (w:b, w:vanish, w:isLgl): absent -> None, present -> on unless w:val says off."""
    return None if element is None else val(element, "on").lower() not in _OFF
