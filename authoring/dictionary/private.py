"""Private data element lookups by private creator (vendor dictionaries of dicom3tools)."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple


class PrivateElementInfo(NamedTuple):
    """A private element's VR, VM, name and keyword as its vendor dictionary gives them."""

    vr: str
    vm: str
    name: str
    keyword: str


@cache
def _tables() -> tuple[
    dict[tuple[str, str, int], tuple[str, str, str, str]],
    tuple[tuple[int, int, str, int, PrivateElementInfo], ...],
]:
    from authoring._generated.private_elements import PRIVATE_ELEMENTS

    patterns: list[tuple[int, int, str, int, PrivateElementInfo]] = []
    for (creator, group, offset), row in PRIVATE_ELEMENTS.items():
        if "x" in group:
            mask = int("".join("0" if c == "x" else "F" for c in group), 16)
            value = int(group.replace("x", "0"), 16)
            patterns.append((mask, value, creator, offset, PrivateElementInfo(*row)))
    return PRIVATE_ELEMENTS, tuple(patterns)


def private_element_info(creator: str, tag: int) -> PrivateElementInfo | None:
    """Look up a private data element by its creator and tag (its block byte is ignored)."""
    fixed, patterns = _tables()
    group = tag >> 16
    offset = tag & 0xFF
    key_creator = creator.strip()
    row = fixed.get((key_creator, f"{group:04X}", offset))
    if row is not None:
        return PrivateElementInfo(*row)
    for mask, value, owner, off, info in patterns:
        if owner == key_creator and off == offset and group & mask == value:
            return info
    return None
