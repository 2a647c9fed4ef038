"""Compare our reading of a file with pydicom's reading of the same bytes.

Values are normalized to plain Python forms so that the two data models can be compared:
numbers to int or float, several values to tuples, names and text to ``str``. Word data
(OW, OF, OL, OD, OV) is compared in the file's byte order: we hold it little endian, pydicom
as found.
"""

from __future__ import annotations

from collections.abc import Sequence as AbcSequence
from typing import Any

from authoring.encoding.decode import swap_bytes

WORD_SIZES = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}


def _plain(item: Any) -> Any:
    if item is None:
        return None
    if isinstance(item, bool):
        return item
    if isinstance(item, int):
        return int(item)
    if isinstance(item, float):
        return float(item)
    if isinstance(item, (bytes, bytearray)):
        return bytes(item)
    if type(item).__name__ == "PersonName":
        text = item.original_string if hasattr(item, "original_string") and False else str(item)
        return str(text).rstrip("=")
    if isinstance(item, str):
        return str.__str__(item) if isinstance(item, str) else str(item)
    return item


def normalize(value: Any, vr: str) -> Any:
    """A comparable form of a value."""
    if value is None or value == "" or value == b"":
        return None
    if isinstance(value, AbcSequence) and not isinstance(value, (bytes, str)):
        items = tuple(_plain(v) for v in value)
        if vr == "PN":
            items = tuple(i.rstrip("=") if isinstance(i, str) else i for i in items)
        if len(items) == 1:
            return items[0]
        return items
    if hasattr(value, "tolist") and not isinstance(value, (bytes, str)):
        return normalize(value.tolist(), vr)
    plain = _plain(value)
    if vr == "PN" and isinstance(plain, str):
        return plain.rstrip("=")
    return plain


def compare(ours: Any, theirs: Any, *, little_endian: bool, path: str = ""
            ) -> list[tuple[str, str]]:
    """Differences between our data set and pydicom's: (element path, description).

    ``little_endian`` is the byte order of the file pydicom read (its word data is kept
    in that order; ours is always little endian).
    """
    problems: list[tuple[str, str]] = []
    their_tags = {int(t) for t in theirs.keys()}
    our_tags = {int(t) for t in ours.keys()}
    for tag in sorted(their_tags - our_tags):
        problems.append((f"{path}({tag >> 16:04X},{tag & 0xFFFF:04X})", "only pydicom has it"))
    for tag in sorted(our_tags - their_tags):
        problems.append((f"{path}({tag >> 16:04X},{tag & 0xFFFF:04X})", "only we have it"))
    for tag in sorted(their_tags & our_tags):
        where = f"{path}({tag >> 16:04X},{tag & 0xFFFF:04X})"
        their_element = theirs[tag]
        our_element = ours[tag]
        their_value = their_element.value
        if our_element.vr == "SQ" and their_element.VR == "UN":
            # pydicom leaves an undeclared private sequence as bytes: compare them with our
            # items encoded the same way (implicit VR little endian, lengths as read).
            from authoring.io.writer import encode_dataset

            encoded = b""
            for item in our_element.value:
                body = b"".join(encode_dataset(item, "1.2.840.10008.1.2", validation="ignore"))
                if item.item_undefined_length:
                    encoded += b"\xfe\xff\x00\xe0\xff\xff\xff\xff" + body + \
                        b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
                else:
                    encoded += b"\xfe\xff\x00\xe0" + len(body).to_bytes(4, "little") + body
            if encoded != bytes(their_value):
                problems.append((where, "our items do not encode to pydicom's UN bytes"))
            continue
        if their_element.VR == "SQ" or our_element.vr == "SQ":
            our_items = list(our_element.value or [])
            their_items = list(their_value or [])
            if len(our_items) != len(their_items):
                problems.append((where, f"{len(our_items)} items, pydicom {len(their_items)}"))
                continue
            for index, (a, b) in enumerate(zip(our_items, their_items)):
                problems.extend(compare(a, b, little_endian=little_endian,
                                        path=f"{where}[{index}]"))
            continue
        our_value = our_element.value
        if hasattr(our_value, "fragments"):
            # encapsulated pixel data: pydicom holds the item stream bytes
            our_value = our_element.raw
        vr = our_element.vr
        their_vr = their_element.VR
        if their_vr in WORD_SIZES and isinstance(our_value, bytes) and not little_endian:
            width = WORD_SIZES[their_vr]
            bits = theirs.get("BitsAllocated", None) if tag == 0x7FE00010 else None
            if their_vr == "OW" and isinstance(bits, int) and bits > 16:
                width = bits // 8  # big-endian pixel data is swapped per pixel value
            our_value = swap_bytes(our_value, width)
        a = normalize(our_value, vr)
        b = normalize(their_value, their_element.VR)
        if a != b:
            if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
                continue
            problems.append((where, f"{vr}/{their_element.VR}: ours {a!r:.80} pydicom {b!r:.80}"))
    return problems
