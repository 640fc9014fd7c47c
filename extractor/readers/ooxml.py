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
import posixpath
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from ..errors import ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFF = {"0", "false", "off"}

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # whole package
MAX_RATIO = 100  # uncompressed / compressed, for members larger than RATIO_CHECKED_ABOVE
RATIO_CHECKED_ABOVE = 10 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# a password-protected .docx is an OLE compound file holding this stream (MS-OFFCRYPTO)
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_DTD_MARKERS = ("<!DOCTYPE", "<!ENTITY")


def is_encrypted_ooxml(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC) and ENCRYPTED_PACKAGE in data


def _declares_dtd(blob: bytes) -> bool:
    if blob[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in blob[:4]:
        text = blob.decode("utf-16", errors="replace")  # a UTF-16 part would hide ASCII markers
        return any(marker in text for marker in _DTD_MARKERS)
    return any(marker.encode() in blob for marker in _DTD_MARKERS)


def open_package(path: Path, data: bytes, main_part_prefix: str, label: str = ".docx") -> Package:
    """The package in `data`; ReadError unless it is a zip that is safe to unpack, whose XML
    declares no DTD, and that holds a member starting with `main_part_prefix` (e.g. "word/document").
    `label` names the format in the reasons ("corrupt .xlsx: …")."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(path, f"corrupt {label}: not a zip archive") from None
    with archive:
        members = archive.infolist()
        total = sum(member.file_size for member in members)
        if total > MAX_UNCOMPRESSED:
            raise ReadError(path, f"refused: zip bomb ({total // 2**20} MB uncompressed)")
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > RATIO_CHECKED_ABOVE and ratio > MAX_RATIO:
                raise ReadError(path, f"refused: zip bomb ({member.filename}: {member.file_size // 2**20} MB uncompressed, ratio {ratio:.0f})")
        names = {member.filename for member in members}
        blobs: dict[str, bytes] = {}
        if not any(name.startswith(main_part_prefix) and name.endswith(".xml") for name in names):
            raise ReadError(path, f"corrupt {label}: no {main_part_prefix}.xml")
        for name in names:
            if not name.lower().endswith((".xml", ".rels")):
                continue
            try:
                blob = archive.read(name)  # sizes were bounded above; zipfile stops at the declared size
            except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError) as error:
                raise ReadError(path, f"corrupt {label}: {name} unreadable ({error.__class__.__name__})") from None
            if _declares_dtd(blob):
                raise ReadError(path, f"refused: XML entity declarations in {name}")
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


def val(element: etree._Element | None, default: str | None = None) -> str | None:
    """The w:val attribute of `element`, `default` when the element or the attribute is absent."""
    return default if element is None else element.get(W + "val", default)


def int_val(element: etree._Element | None, default: int | None = None) -> int | None:
    value = val(element)
    return int(value) if value is not None and value.lstrip("-").isdigit() else default


def is_on(element: etree._Element | None) -> bool | None:
    """A toggle property (w:b, w:vanish, w:isLgl): absent -> None, present -> on unless w:val says off."""
    return None if element is None else val(element, "on").lower() not in _OFF
