"""A small ICC profile (version 2.1, display class, RGB to XYZ) describing sRGB: the D50
adapted colorants of the sRGB primaries and a gamma 2.2 tone curve. For the ICC Profile
(0028,2000) that colour images of some IODs (whole slide microscopy among them) must carry
(PS3.3 C.11.15), when the caller has none of its own.

The layout follows ICC.1:2001-04: a 128-byte header, a tag table, and the tags (``desc``,
``cprt``, ``wtpt``, ``rXYZ``/``gXYZ``/``bXYZ``, ``rTRC``/``gTRC``/``bTRC``, the three
curves sharing one data block), all big-endian and 4-byte aligned.
"""

from __future__ import annotations

import struct
from functools import cache

#: D50 white point and the Bradford-adapted sRGB colorants (IEC 61966-2-1 Annex; ICC).
WHITE_D50 = (0.9642, 1.0, 0.8249)
COLORANTS = {"rXYZ": (0.4361, 0.2225, 0.0139), "gXYZ": (0.3851, 0.7169, 0.0971),
             "bXYZ": (0.1431, 0.0606, 0.7141)}
GAMMA = 2.2
DESCRIPTION = "sRGB (authoring, gamma 2.2)"


def _s15fixed16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(values: tuple[float, float, float]) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_s15fixed16(v) for v in values)


def _text_description(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    return (b"desc\0\0\0\0" + struct.pack(">I", len(ascii_text)) + ascii_text
            + struct.pack(">II", 0, 0)  # Unicode language code and count: none
            + struct.pack(">HB", 0, 0) + b"\0" * 67)  # ScriptCode code and count: none


def _pad(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


@cache
def srgb_profile() -> bytes:
    """The profile's bytes (an even length, as an OB value needs)."""
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(GAMMA * 256))
    tags: list[tuple[bytes, bytes]] = [
        (b"desc", _text_description(DESCRIPTION)),
        (b"cprt", b"text\0\0\0\0" + b"No copyright, use freely\0"),
        (b"wtpt", _xyz(WHITE_D50)),
        *((name.encode(), _xyz(values)) for name, values in COLORANTS.items()),
    ]
    table_size = 4 + 12 * (len(tags) + 3)
    offset = 128 + table_size
    entries: list[bytes] = []
    blocks: list[bytes] = []
    for signature, data in tags:
        entries.append(signature + struct.pack(">II", offset, len(data)))
        blocks.append(_pad(data))
        offset += len(blocks[-1])
    for signature in (b"rTRC", b"gTRC", b"bTRC"):  # one shared curve
        entries.append(signature + struct.pack(">II", offset, len(curve)))
    blocks.append(_pad(curve))
    body = struct.pack(">I", len(entries)) + b"".join(entries) + b"".join(blocks)
    size = 128 + len(body)
    header = (struct.pack(">I", size) + b"\0\0\0\0" + bytes([2, 0x10, 0, 0])
              + b"mntrRGB XYZ " + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp"
              + b"\0" * 4 + struct.pack(">I", 0) + b"\0" * 8 + b"\0" * 8
              + struct.pack(">I", 0) + b"".join(_s15fixed16(v) for v in WHITE_D50)
              + b"\0" * 4 + b"\0" * 44)
    assert len(header) == 128
    return header + body
