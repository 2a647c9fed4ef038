"""Encapsulated pixel data (PS3.5 A.4): a Basic Offset Table item and fragment items."""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from authoring.core.tag import ITEM, SEQUENCE_DELIMITER
from authoring.errors import InvalidLengthError, ReadError, TruncatedError, format_tag

_ITEM_HEADER_LE = struct.Struct("<HHL")
_ITEM_HEADER_BE = struct.Struct(">HHL")


@dataclass(eq=True)
class EncapsulatedPixelData:
    """The value of an encapsulated Pixel Data element.

    ``offset_table`` is the content of the first item (the Basic Offset Table, often empty);
    ``fragments`` are the contents of the following items, in order.
    """

    offset_table: bytes = b""
    fragments: list[bytes] = field(default_factory=list[bytes])

    @property
    def offsets(self) -> tuple[int, ...]:
        """The Basic Offset Table decoded as 32-bit offsets (empty when absent)."""
        count = len(self.offset_table) // 4
        return struct.unpack(f"<{count}L", self.offset_table[: count * 4])

    def __len__(self) -> int:
        return len(self.fragments)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.fragments)

    def encoded_length(self) -> int:
        """Length of the item stream this value encodes to (without the delimiter)."""
        total = 8 + len(self.offset_table) + len(self.offset_table) % 2
        for fragment in self.fragments:
            total += 8 + len(fragment) + len(fragment) % 2
        return total

    @classmethod
    def from_frames(cls, frames: Iterable[bytes], *, offset_table: bool = True
                    ) -> EncapsulatedPixelData:
        """One fragment per frame, with a Basic Offset Table unless told otherwise."""
        fragments = [bytes(f) + (b"\x00" if len(f) % 2 else b"") for f in frames]
        table = b""
        if offset_table:
            offsets: list[int] = []
            position = 0
            for fragment in fragments:
                offsets.append(position)
                position += 8 + len(fragment)
            table = struct.pack(f"<{len(offsets)}L", *offsets)
        return cls(table, fragments)


def parse_items(data: bytes | memoryview, *, little_endian: bool = True, base_offset: int = 0,
                tag: int = 0x7FE00010) -> EncapsulatedPixelData:
    """Parse an item stream (the bytes between the Pixel Data header and its delimiter,
    or including the delimiter) into offset table and fragments."""
    header = _ITEM_HEADER_LE if little_endian else _ITEM_HEADER_BE
    position = 0
    size = len(data)
    items: list[bytes] = []
    while position < size:
        if position + 8 > size:
            raise TruncatedError("encapsulated item header runs past the end of the data",
                                 tag=tag, offset=base_offset + position)
        group, element, length = header.unpack_from(data, position)
        item_tag = group << 16 | element
        if item_tag == SEQUENCE_DELIMITER:
            break
        if item_tag != ITEM:
            raise ReadError(f"expected an item tag in encapsulated data, found "
                            f"{format_tag(item_tag)}", tag=tag,
                            offset=base_offset + position)
        if length == 0xFFFFFFFF or position + 8 + length > size:
            raise InvalidLengthError(f"fragment length {length} runs past the end of the data",
                                     tag=tag, offset=base_offset + position)
        items.append(bytes(data[position + 8:position + 8 + length]))
        position += 8 + length
    if not items:
        return EncapsulatedPixelData()
    return EncapsulatedPixelData(items[0], items[1:])


def encode_items(value: EncapsulatedPixelData, *, little_endian: bool = True) -> list[bytes]:
    """The item stream of ``value`` as chunks (without the sequence delimiter)."""
    header = _ITEM_HEADER_LE if little_endian else _ITEM_HEADER_BE
    chunks: list[bytes] = []
    for content in (value.offset_table, *value.fragments):
        padded = content + b"\x00" if len(content) % 2 else content
        chunks.append(header.pack(0xFFFE, 0xE000, len(padded)))
        if padded:
            chunks.append(padded)
    return chunks
