"""Build small DICOM byte strings by hand for bad-input tests (each piece explained)."""

from __future__ import annotations

import struct

LONG = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"}


def explicit(tag: int, vr: str, value: bytes, *, length: int | None = None) -> bytes:
    """One explicit VR little endian element: tag, VR, length (2 or 4+2 reserved), value."""
    size = len(value) if length is None else length
    head = struct.pack("<HH", tag >> 16, tag & 0xFFFF) + vr.encode("ascii")
    if vr in LONG:
        return head + b"\x00\x00" + struct.pack("<L", size) + value
    return head + struct.pack("<H", size) + value


def implicit(tag: int, value: bytes, *, length: int | None = None) -> bytes:
    """One implicit VR little endian element: tag and a 4-byte length."""
    size = len(value) if length is None else length
    return struct.pack("<HHL", tag >> 16, tag & 0xFFFF, size) + value


def item(body: bytes, *, undefined: bool = False) -> bytes:
    """A sequence item (FFFE,E000), with an item delimiter when of undefined length."""
    if undefined:
        return struct.pack("<HHL", 0xFFFE, 0xE000, 0xFFFFFFFF) + body + \
            struct.pack("<HHL", 0xFFFE, 0xE00D, 0)
    return struct.pack("<HHL", 0xFFFE, 0xE000, len(body)) + body


SEQUENCE_DELIMITER = struct.pack("<HHL", 0xFFFE, 0xE0DD, 0)


def part10(body: bytes, transfer_syntax: str = "1.2.840.10008.1.2.1") -> bytes:
    """Preamble, DICM and a minimal file meta before ``body``."""
    uid = transfer_syntax.encode() + (b"\x00" if len(transfer_syntax) % 2 else b"")
    meta = explicit(0x00020001, "OB", b"\x00\x01") + explicit(0x00020010, "UI", uid)
    group_length = explicit(0x00020000, "UL", struct.pack("<L", len(meta)))
    return b"\x00" * 128 + b"DICM" + group_length + meta + body
