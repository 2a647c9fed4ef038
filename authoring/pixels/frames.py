"""Which fragments of encapsulated Pixel Data make up each frame (PS3.5 A.4).

In order of authority: the Extended Offset Table (7FE0,0001) with its lengths (7FE0,0002);
the Basic Offset Table (the first item); one fragment per frame; all fragments of a single
frame; for the JPEG family, frames ending at an End Of Image marker. Anything else is
refused with the counts that disagree.

The division is worked out once, as fragment index ranges (integers only), and checked
before any frame is built: a table has one entry per frame, its offsets rise strictly and
each lands on a fragment. A frame's bytes are joined only when that frame is asked for, so
``frame(0)`` never builds the others, and a table that points every frame at the same
large fragment costs nothing until a frame is decoded.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from authoring.pixels.info import PixelDataError

if TYPE_CHECKING:
    from authoring.encoding.encapsulated import EncapsulatedPixelData
    from authoring.object.dataset import DatasetBase

EXTENDED_OFFSET_TABLE = 0x7FE00001
EXTENDED_OFFSET_TABLE_LENGTHS = 0x7FE00002
_EOI = b"\xff\xd9"


class FrameIndex:
    """The fragments of each frame of one encapsulated Pixel Data value."""

    def __init__(self, fragments: list[bytes], ranges: list[tuple[int, int]],
                 lengths: list[int] | None = None) -> None:
        """``ranges[i]`` is frame i's (first, end) fragment indices; ``lengths[i]``, when
        given, the bytes of frame i (the Extended Offset Table's lengths)."""
        self.fragments = fragments
        self.ranges = ranges
        self.lengths = lengths

    def __len__(self) -> int:
        return len(self.ranges)

    def item_offset(self, index: int) -> int:
        """Where frame ``index``'s first fragment item starts, counted from the first
        fragment item (as offset tables count)."""
        first = self.ranges[index][0]
        return sum(8 + len(f) + len(f) % 2 for f in self.fragments[:first])

    def __getitem__(self, index: int) -> bytes:
        """The encoded bytes of frame ``index`` (joined now, not before)."""
        first, end = self.ranges[index]
        data = self.fragments[first] if end == first + 1 else \
            b"".join(self.fragments[first:end])
        if self.lengths is not None:
            data = data[:self.lengths[index]]
        return data


def _item_starts(fragments: list[bytes]) -> list[int]:
    """Offset of each fragment's item header from the first fragment's, as tables count."""
    starts: list[int] = []
    position = 0
    for fragment in fragments:
        starts.append(position)
        position += 8 + len(fragment) + len(fragment) % 2
    return starts


def _by_offsets(fragments: list[bytes], offsets: list[int], frames: int, table: str
                ) -> list[tuple[int, int]]:
    if len(offsets) != frames:
        raise PixelDataError(f"the {table} has {len(offsets)} entries for {frames} frame(s)")
    index_of = {start: i for i, start in enumerate(_item_starts(fragments))}
    ranges: list[tuple[int, int]] = []
    previous = -1
    for frame, offset in enumerate(offsets):
        if offset <= previous:
            raise PixelDataError(f"the {table} points frame {frame + 1} at byte {offset}, "
                                 f"not after frame {frame}'s {previous}: offsets must rise")
        first = index_of.get(offset)
        if first is None:
            raise PixelDataError(f"the {table} points frame {frame + 1} at byte {offset}, "
                                 "which is not the start of a fragment")
        if ranges:
            ranges[-1] = (ranges[-1][0], first)
        ranges.append((first, len(fragments)))
        previous = offset
    return ranges


def _extended_table(dataset: DatasetBase, fragments: list[bytes], frames: int
                    ) -> FrameIndex:
    raw_offsets = bytes(dataset.get(EXTENDED_OFFSET_TABLE) or b"")
    raw_lengths = bytes(dataset.get(EXTENDED_OFFSET_TABLE_LENGTHS) or b"")
    count = len(raw_offsets) // 8
    if count != frames:
        raise PixelDataError(f"the Extended Offset Table has {count} entries for {frames} "
                             "frame(s)")
    offsets = list(struct.unpack(f"<{count}Q", raw_offsets[:count * 8]))
    ranges = _by_offsets(fragments, offsets, frames, "Extended Offset Table")
    lengths = list(struct.unpack(f"<{count}Q", raw_lengths[:count * 8])) \
        if len(raw_lengths) >= count * 8 else None
    if lengths is not None:
        for frame, ((first, end), length) in enumerate(zip(ranges, lengths, strict=True)):
            held = sum(len(fragment) for fragment in fragments[first:end])
            if length > held:
                raise PixelDataError(f"the Extended Offset Table Lengths give frame "
                                     f"{frame + 1} {length} bytes; its fragments hold {held}")
    return FrameIndex(fragments, ranges, lengths)


def frame_index(value: EncapsulatedPixelData, frames: int, dataset: DatasetBase | None = None,
                jpeg: bool = False) -> FrameIndex:
    """How ``value``'s fragments divide into ``frames`` frames (checked; nothing joined)."""
    fragments = list(value.fragments)
    if not fragments:
        raise PixelDataError("encapsulated Pixel Data holds no fragments")
    if dataset is not None and EXTENDED_OFFSET_TABLE in dataset.elements:
        return _extended_table(dataset, fragments, frames)
    if value.offset_table:
        if len(value.offset_table) // 4 != frames:
            raise PixelDataError(f"the Basic Offset Table has {len(value.offset_table) // 4} "
                                 f"entries for {frames} frame(s)")
        return FrameIndex(fragments, _by_offsets(fragments, list(value.offsets), frames,
                                                 "Basic Offset Table"))
    if len(fragments) == frames:
        return FrameIndex(fragments, [(i, i + 1) for i in range(frames)])
    if frames == 1:
        return FrameIndex(fragments, [(0, len(fragments))])
    if jpeg and frames < len(fragments):
        ranges: list[tuple[int, int]] = []
        first = 0
        for index, fragment in enumerate(fragments):
            if fragment.rstrip(b"\x00").endswith(_EOI):
                ranges.append((first, index + 1))
                first = index + 1
        if len(ranges) == frames and first == len(fragments):
            return FrameIndex(fragments, ranges)
    raise PixelDataError(f"{len(fragments)} fragments cannot be divided into {frames} frames "
                         "without an offset table")
