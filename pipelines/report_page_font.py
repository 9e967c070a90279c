"""One face of a TrueType collection (.ttc) as a plain .ttf a browser accepts in @font-face.

The report page's CJK font comes from the pinned paperang-p2-fonts-cjk package as a collection
(wqy-microhei.ttc). Chromium's font sanitizer (OTS) refuses that file: its FontForge timestamp table
(FFTM) is not 4-byte aligned. So the page gets the first face alone, its tables copied unchanged and
aligned, FFTM (a build timestamp no renderer reads) left out, and the checksums made again.
"""
from __future__ import annotations

import struct
import sys
from array import array
from pathlib import Path

DROPPED_TABLES = {b"FFTM"}
HEAD_ADJUSTMENT_AT = 8  # head.checkSumAdjustment: its byte offset in the head table
MAGIC = 0xB1B0AFBA


class FontFileError(ValueError):
    pass


def _checksum(data: bytes) -> int:
    """The sum of the big-endian 32-bit words, modulo 2**32 (array: fast on a 5 MB font)."""
    words = array("I", data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def _face_tables(collection: bytes, face: int) -> tuple[bytes, dict[bytes, bytes]]:
    """The sfnt version and the tables (tag -> bytes) of one face of a .ttc (or of a plain .ttf)."""
    if collection[:4] == b"ttcf":
        count = struct.unpack_from(">I", collection, 8)[0]
        if face >= count:
            raise FontFileError(f"the collection holds {count} faces, not face {face}")
        start = struct.unpack_from(">I", collection, 12 + 4 * face)[0]
    else:
        start = 0
    version, num_tables = collection[start:start + 4], struct.unpack_from(">H", collection, start + 4)[0]
    tables = {}
    for i in range(num_tables):
        tag, _, offset, length = struct.unpack_from(">4sIII", collection, start + 12 + 16 * i)
        if offset + length > len(collection):
            raise FontFileError(f"table {tag.decode('latin-1')} runs past the end of the file")
        tables[tag] = collection[offset:offset + length]
    return version, tables


def _sfnt(version: bytes, tables: dict[bytes, bytes]) -> bytes:
    tags = sorted(tables)
    power = 1 << (len(tags).bit_length() - 1)
    header = version + struct.pack(">HHHH", len(tags), power * 16, power.bit_length() - 1, (len(tags) - power) * 16)
    offset = len(header) + 16 * len(tags)
    records, body, at = [], [], offset
    for tag in tags:
        data = tables[tag]
        records.append(struct.pack(">4sIII", tag, _checksum(data), at, len(data)))
        body.append(data + b"\0" * (-len(data) % 4))
        at += len(body[-1])
    return b"".join([header, *records, *body])


def single_face_ttf(collection: bytes, face: int = 0) -> bytes:
    """The face as a .ttf: aligned tables, FFTM dropped, table checksums and head's adjustment made again."""
    version, tables = _face_tables(collection, face)
    tables = {tag: data for tag, data in tables.items() if tag not in DROPPED_TABLES}
    if b"head" not in tables:
        raise FontFileError("the face has no head table: not a TrueType font")
    head = bytearray(tables[b"head"])
    head[HEAD_ADJUSTMENT_AT:HEAD_ADJUSTMENT_AT + 4] = b"\0\0\0\0"  # head's checksum counts it as zero
    tables[b"head"] = bytes(head)
    font = bytearray(_sfnt(version, tables))
    head_at = next(struct.unpack_from(">4sIII", font, 12 + 16 * i)[2] for i in range(len(tables))
                   if font[12 + 16 * i:16 + 16 * i] == b"head")
    adjustment = (MAGIC - _checksum(bytes(font))) & 0xFFFFFFFF
    font[head_at + HEAD_ADJUSTMENT_AT:head_at + HEAD_ADJUSTMENT_AT + 4] = struct.pack(">I", adjustment)
    return bytes(font)


def write_single_face(collection_path: Path, ttf_path: Path, face: int = 0) -> None:
    """Write the face as ttf_path unless an identical file is there already (the page is written each run)."""
    ttf = single_face_ttf(collection_path.read_bytes(), face)
    if not ttf_path.is_file() or ttf_path.read_bytes() != ttf:
        ttf_path.write_bytes(ttf)
