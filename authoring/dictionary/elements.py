"""Public data element lookups: tag <-> keyword, VR, VM, name, retired, repeating groups."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple



class ElementInfo(NamedTuple):
    """What PS3.6 says about one data element."""

    vr: str
    vm: str
    name: str
    keyword: str
    retired: bool


#: Row layout of the tables: (VR, VM, name, keyword, retired).
ElementRow = tuple[str, str, str, str, bool]


def fixed_elements(text: str) -> dict[int, ElementRow]:
    """The fixed-tag table of a generated ``ps36_elements`` module, as tag -> row."""
    return {int(tag, 16): (vr, vm, name, keyword, retired == "R")
            for tag, vr, vm, name, keyword, retired in (line.split("\t")
                                                        for line in text.splitlines())}


def repeating_elements(text: str) -> tuple[tuple[int, int, ElementRow], ...]:
    """The repeating-group table of a generated ``ps36_elements`` module, as
    (mask, value, row); a tag ``t`` is the entry when ``t & mask == value``."""
    return tuple((int(f[0], 16), int(f[1], 16), (f[2], f[3], f[4], f[5], f[6] == "R"))
                 for f in (line.split("\t") for line in text.splitlines()))


#: The fixed-tag table, read from its text on the first lookup that misses (importing a
#: builder does not need it; hits never pay for the check).
_fixed: dict[int, ElementRow] = {}


def _load_fixed() -> bool:
    """Read the fixed-tag table if not yet read; True when it was read now."""
    if _fixed:
        return False
    from authoring._generated import ps36_elements

    _fixed.update(fixed_elements(ps36_elements.ELEMENTS))
    return True


@cache
def _repeating_rows() -> tuple[tuple[int, int, ElementRow], ...]:
    from authoring._generated import ps36_elements

    return repeating_elements(ps36_elements.REPEATING)


@cache
def _masks() -> tuple[tuple[int, dict[int, ElementInfo]], ...]:
    by_mask: dict[int, dict[int, ElementInfo]] = {}
    for mask, value, row in _repeating_rows():
        by_mask.setdefault(mask, {})[value] = ElementInfo(*row)
    return tuple(by_mask.items())


@cache
def _keywords() -> dict[str, int]:
    table: dict[str, int] = {}
    _load_fixed()
    for tag, row in _fixed.items():
        if row[3]:
            table.setdefault(row[3], tag)
    for _mask, value, row in _repeating_rows():
        if row[3]:
            table.setdefault(row[3], value)
    return table


def _repeating(tag: int) -> ElementInfo | None:
    for mask, entries in _masks():
        info = entries.get(tag & mask)
        if info is not None:
            return info
    return None


def element_info(tag: int) -> ElementInfo | None:
    """Return the dictionary entry for ``tag`` (repeating groups included), or None.

    Group length elements ``(gggg,0000)`` of any group are reported as ``UL``, VM 1, as PS3.5
    7.2 defines them, even where PS3.6 does not list the group.
    """
    row = _fixed.get(tag)
    if row is None and _load_fixed():
        row = _fixed.get(tag)
    if row is not None:
        return ElementInfo(*row)
    if tag & 0xFFFF == 0 and not (tag >> 16) & 1:
        return ElementInfo("UL", "1", "Group Length", "", True)
    if tag >> 16 & 1:
        return None
    return _repeating(tag)


def vr_for_tag(tag: int) -> str:
    """The dictionary VR of ``tag`` (``"US or SS"`` style when ambiguous); ``"UN"`` if unknown.

    Private creator elements ``(gggg,0010-00FF)`` of odd groups are ``LO``; private group
    lengths are ``UL``.
    """
    row = _fixed.get(tag)
    if row is None and _load_fixed():
        row = _fixed.get(tag)
    if row is not None:
        return row[0]
    if tag >> 16 & 1:
        element = tag & 0xFFFF
        if element == 0:
            return "UL"
        if 0x0010 <= element <= 0x00FF:
            return "LO"
        return "UN"
    info = element_info(tag)
    return info.vr if info is not None else "UN"


def keyword_for_tag(tag: int) -> str:
    """The keyword of ``tag``, or ``""`` when the dictionary has none."""
    row = _fixed.get(tag)
    if row is None and _load_fixed():
        row = _fixed.get(tag)
    if row is not None:
        return row[3]
    info = element_info(tag)
    return info.keyword if info is not None else ""


def name_for_tag(tag: int) -> str:
    """The PS3.6 name of ``tag``, or ``""`` when unknown."""
    info = element_info(tag)
    return info.name if info is not None else ""


def vm_for_tag(tag: int) -> str:
    """The PS3.6 VM of ``tag`` (``"1"``, ``"1-n"`` ...), or ``""`` when unknown."""
    info = element_info(tag)
    return info.vm if info is not None else ""


def tag_for_keyword(keyword: str) -> int | None:
    """The tag of ``keyword`` (the first group of a repeating group), or None."""
    return _keywords().get(keyword)


def all_keywords() -> dict[str, int]:
    """Every keyword of the dictionary with its tag."""
    return dict(_keywords())


def is_repeating(tag: int) -> bool:
    """True when ``tag`` belongs to a repeating group such as ``(60xx,eeee)``."""
    _load_fixed()
    return tag not in _fixed and not (tag >> 16 & 1) and _repeating(tag) is not None
