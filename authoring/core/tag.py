"""Data element tags (PS3.5 7.1): a 32-bit ``(group, element)`` pair."""

from __future__ import annotations

import re
from typing import TypeAlias, cast

from authoring.errors import (
    InvalidTypeError,
    InvalidValueError,
    UnknownKeywordError,
    format_tag,
)

_PRINTED = re.compile(r"^\(?\s*([0-9A-Fa-f]{4})\s*,\s*([0-9A-Fa-f]{4})\s*\)?$")
_PACKED = re.compile(r"^(?:0[xX])?([0-9A-Fa-f]{8})$")

#: Everything :class:`Tag` accepts: an int, a ``(group, element)`` tuple, a printed tag
#: (``"(0010,0010)"``, ``"0010,0010"``, ``"00100010"``) or a keyword (``"PatientName"``).
TagLike: TypeAlias = "int | tuple[int, int] | str"

#: Groups that are odd but not private (PS3.5 7.8.1).
_NON_PRIVATE_ODD_GROUPS = frozenset({0x0001, 0x0003, 0x0005, 0x0007, 0xFFFF})


class Tag(int):
    """A data element tag. It is an ``int`` (``0x00100010``) and prints as ``(0010,0010)``.

    >>> Tag("PatientName") == Tag(0x0010, 0x0010) == Tag("(0010,0010)") == 0x00100010
    True
    """

    __slots__ = ()

    def __new__(cls, value: TagLike, element: int | None = None) -> Tag:
        """Build a tag from any :data:`TagLike` form, or from ``group, element``."""
        if element is not None:
            if not isinstance(value, int):
                raise InvalidTypeError("Tag(group, element) takes two ints")
            return cls._from_pair(value, element)
        if type(value) is Tag:
            return value
        if isinstance(value, int):
            if not 0 <= value <= 0xFFFFFFFF:
                raise InvalidValueError(f"tag {value:#x} is outside 0 .. 0xFFFFFFFF")
            return int.__new__(cls, value)
        if isinstance(value, tuple):
            if len(value) != 2:
                raise InvalidValueError(f"a tag tuple has two members, not {len(value)}")
            return cls._from_pair(value[0], value[1])
        if not isinstance(cast(object, value), str):  # only untyped callers get here
            raise InvalidTypeError(f"cannot make a Tag from {type(value).__name__}")
        return cls._from_text(value)

    @classmethod
    def _from_pair(cls, group: int, element: int) -> Tag:
        if not (0 <= group <= 0xFFFF and 0 <= element <= 0xFFFF):
            raise InvalidValueError(f"group and element must be 0 .. 0xFFFF, got ({group}, "
                                    f"{element})")
        return int.__new__(cls, group << 16 | element)

    @classmethod
    def _from_text(cls, text: str) -> Tag:
        stripped = text.strip()
        printed = _PRINTED.match(stripped)
        if printed is not None:
            return cls._from_pair(int(printed.group(1), 16), int(printed.group(2), 16))
        packed = _PACKED.match(stripped)
        if packed is not None:
            return int.__new__(cls, int(packed.group(1), 16))
        from authoring.dictionary.elements import tag_for_keyword

        tag = tag_for_keyword(stripped)
        if tag is None:
            raise UnknownKeywordError(f"{text!r} is neither a tag nor a keyword of the dictionary")
        return int.__new__(cls, tag)

    @property
    def group(self) -> int:
        """The group number (upper 16 bits)."""
        return self >> 16

    @property
    def element(self) -> int:
        """The element number (lower 16 bits)."""
        return self & 0xFFFF

    @property
    def is_private(self) -> bool:
        """True for tags of private groups: odd groups other than 0001, 0003, 0005, 0007, FFFF."""
        group = self >> 16
        return bool(group & 1) and group not in _NON_PRIVATE_ODD_GROUPS

    @property
    def is_private_creator(self) -> bool:
        """True for private creator elements ``(gggg,0010)`` .. ``(gggg,00FF)``."""
        return self.is_private and 0x0010 <= self & 0xFFFF <= 0x00FF

    @property
    def private_block(self) -> int | None:
        """For a private data element ``(gggg,xxee)``, the block byte ``xx``; else None."""
        if not self.is_private or self & 0xFFFF < 0x1000:
            return None
        return (self & 0xFF00) >> 8

    @property
    def is_group_length(self) -> bool:
        """True for group length elements ``(gggg,0000)``."""
        return self & 0xFFFF == 0

    @property
    def is_repeating_group(self) -> bool:
        """True when the tag falls in a repeating group of the dictionary, e.g. ``(60xx,3000)``."""
        from authoring.dictionary.elements import is_repeating

        return is_repeating(self)

    @property
    def keyword(self) -> str:
        """The dictionary keyword, or ``""``."""
        from authoring.dictionary.elements import keyword_for_tag

        return keyword_for_tag(self)

    @property
    def name(self) -> str:
        """The dictionary name, or ``""``."""
        from authoring.dictionary.elements import name_for_tag

        return name_for_tag(self)

    def __repr__(self) -> str:
        return format_tag(self)

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if spec:
            return int.__format__(int(self), spec)
        return self.__repr__()


def as_tag_int(value: TagLike) -> int:
    """Return the plain ``int`` of any :data:`TagLike`; fast for ints."""
    if type(value) is int:
        return value
    return int(Tag(value))


#: Item and delimitation tags (PS3.5 7.5).
ITEM = 0xFFFEE000
ITEM_DELIMITER = 0xFFFEE00D
SEQUENCE_DELIMITER = 0xFFFEE0DD
PIXEL_DATA = 0x7FE00010
SPECIFIC_CHARACTER_SET = 0x00080005
