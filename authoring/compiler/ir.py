"""The normalized representation of PS3.6 that every importer produces.

Plain frozen dataclasses, so that a test can build a tiny edition by hand, and so that
``dictionary/<edition>/*.json`` (written by :mod:`authoring.compiler.normalized`) is a direct
serialization of these records. Tags are kept as the standard prints them, ``(gggg,eeee)`` with
upper-case hex and a lower-case ``x`` for the digits of a repeating group or element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from authoring.core.transfer_syntax import TransferSyntax

TAG_PATTERN = re.compile(r"^\(([0-9A-Fx]{4}),([0-9A-Fx]{4})\)$")


@dataclass(frozen=True, order=True)
class ElementEntry:
    """One row of PS3.6 Table 6-1 (or 7-1, 8-1): a public data element."""

    tag: str
    keyword: str
    name: str
    vr: str
    vm: str
    retired: bool

    def mask_and_value(self) -> tuple[int, int]:
        """Return ``(mask, value)`` such that a tag ``t`` matches when ``t & mask == value``."""
        return tag_mask_and_value(self.tag)


@dataclass(frozen=True, order=True)
class UIDEntry:
    """One row of PS3.6 Table A-1: a registered UID."""

    uid: str
    keyword: str
    name: str
    type: str
    retired: bool


#: The compiler's record of a transfer syntax is the runtime's (one record in the package).
TransferSyntaxEntry = TransferSyntax


@dataclass(frozen=True, order=True)
class PrivateElementEntry:
    """A private data element known by its creator: ``(gggg,xxEE)`` within a creator's block.

    ``group`` is printed like a tag's group (``"0019"``, or ``"60xx"`` for a repeating group)
    and ``offset`` is the low byte of the element number (the ``EE`` of ``xxEE``).
    """

    creator: str
    group: str
    offset: int
    vr: str
    vm: str
    keyword: str
    name: str
    source: str


@dataclass
class Edition:
    """Everything one importer read from one edition of the standard."""

    edition: str
    source: str
    elements: list[ElementEntry] = field(default_factory=list[ElementEntry])
    uids: list[UIDEntry] = field(default_factory=list[UIDEntry])
    transfer_syntaxes: list[TransferSyntaxEntry] = field(default_factory=list[TransferSyntaxEntry])
    private_elements: list[PrivateElementEntry] = field(default_factory=list[PrivateElementEntry])
    notes: list[str] = field(default_factory=list[str])

    def element_by_tag(self) -> dict[str, ElementEntry]:
        """Index the elements by their printed tag."""
        return {e.tag: e for e in self.elements}


def tag_mask_and_value(tag: str) -> tuple[int, int]:
    """Turn ``(60xx,0010)`` into ``(0xFF00FFFF, 0x60000010)``; plain tags get a full mask."""
    match = TAG_PATTERN.match(tag)
    if match is None:
        raise ValueError(f"not a printed tag: {tag!r}")
    digits = match.group(1) + match.group(2)
    mask = 0
    value = 0
    for ch in digits:
        mask <<= 4
        value <<= 4
        if ch != "x":
            mask |= 0xF
            value |= int(ch, 16)
    return mask, value


VR_SPELLINGS: dict[str, str] = {
    # dicom3tools and DocBook spell the ambiguous VRs differently; PS3.6 prints these forms.
    "OW/OB": "OB or OW",
    "OB/OW": "OB or OW",
    "OW or OB": "OB or OW",
    "XS": "US or SS",
    "SS or US": "US or SS",
    "US\\US or SS\\US": "US or SS",
    "US or SS or OW": "US or SS or OW",
    "NONE": "",
    "See Note": "",
    "see note": "",
}


def normalize_vr(vr: str) -> str:
    """Return the VR in the spelling PS3.6 uses; ``""`` for items and delimiters."""
    vr = " ".join(vr.split())
    return VR_SPELLINGS.get(vr, vr)


def normalize_vm(vm: str) -> str:
    """Return the VM in PS3.6 spelling: ``"1 - n"`` becomes ``"1-n"``, ``"1-n or 1"`` stays."""
    return re.sub(r"\s*-\s*", "-", " ".join(vm.split()))
