"""Rewrite an OOXML package (DOCX, XLSX) with some parts replaced or added.

Marking a file touches two or three XML parts; loading and saving the whole package
through python-docx or openpyxl cost 40-400 ms a file, most of a batch's budget. Every
other part is copied as it is. Entries get a fixed date, so the same input gives the same
bytes.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path

from lxml import etree
from lxml.etree import _Element as Element

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
LOCAL_HEADER_SIZE = 30
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"


def read_part(archive: zipfile.ZipFile, name: str) -> Element | None:
    try:
        return etree.fromstring(archive.read(name))
    except KeyError:
        return None


def xml_bytes(element: Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_package(archive: zipfile.ZipFile, target: Path, parts: Mapping[str, bytes]) -> None:
    """`target`: every entry of `archive`, those named in `parts` replaced, new ones appended.
    Unchanged entries are copied still compressed (decompressing and compressing again was
    most of the time of marking a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        names = set()
        for info in archive.infolist():
            names.add(info.filename)
            if info.filename in parts:
                out.writestr(_entry(info.filename), parts[info.filename])
            else:
                copy_entry(archive, info, out)
        for name, data in parts.items():
            if name not in names:
                out.writestr(_entry(name), data)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def copy_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """Copy one entry's compressed bytes as they are (CRC and sizes known from the central
    directory); an encrypted or otherwise unusual entry is read and written again instead."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        out.writestr(_entry(info.filename), archive.read(info.filename))
        return
    assert archive.fp is not None and out.fp is not None
    archive.fp.seek(info.header_offset)
    header = archive.fp.read(LOCAL_HEADER_SIZE)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    archive.fp.seek(info.header_offset + LOCAL_HEADER_SIZE + name_length + extra_length)
    data = archive.fp.read(info.compress_size)
    entry = zipfile.ZipInfo(info.filename, FIXED_DATE)
    entry.compress_type, entry.CRC = info.compress_type, info.CRC
    entry.compress_size, entry.file_size = info.compress_size, info.file_size
    entry.flag_bits = info.flag_bits & 0x800  # keep only the UTF-8 name flag: sizes are in the header
    out.fp.seek(out.start_dir)
    entry.header_offset = out.start_dir
    out.fp.write(entry.FileHeader())
    out.fp.write(data)
    out.start_dir = out.fp.tell()  # where zipfile writes the next entry and the central directory
    out.filelist.append(entry)
    out.NameToInfo[entry.filename] = entry
    out._didModify = True


def ensure_override(types: Element, part: str, content_type: str) -> None:
    """[Content_Types].xml: an Override for `part` ('/word/comments.xml') unless one exists."""
    for override in types.iterfind(f"{{{CT_NS}}}Override"):
        if override.get("PartName") == part:
            return
    etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=part, ContentType=content_type)


def ensure_default(types: Element, extension: str, content_type: str) -> None:
    for default in types.iterfind(f"{{{CT_NS}}}Default"):
        if default.get("Extension", "").lower() == extension:
            return
    etree.SubElement(types, f"{{{CT_NS}}}Default", Extension=extension, ContentType=content_type)


def relationship_target(rels: Element | None, rel_type: str) -> str | None:
    if rels is None:
        return None
    for rel in rels.iterfind(f"{{{REL_NS}}}Relationship"):
        if rel.get("Type") == rel_type:
            return rel.get("Target")
    return None


def add_relationship(rels: Element, rel_type: str, target: str) -> str:
    """A new relationship with a free rId; returns the id."""
    taken = {rel.get("Id") for rel in rels.iterfind(f"{{{REL_NS}}}Relationship")}
    number = 1
    while f"rId{number}" in taken:
        number += 1
    rel_id = f"rId{number}"
    etree.SubElement(rels, f"{{{REL_NS}}}Relationship", Id=rel_id, Type=rel_type, Target=target)
    return rel_id


def empty_rels() -> Element:
    return etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
