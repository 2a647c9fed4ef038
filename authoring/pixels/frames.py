"""Which fragments of encapsulated Pixel Data make up each frame (PS3.5 A.4).

In order of authority: the Extended Offset Table (7FE0,0001) with its lengths (7FE0,0002);
the Basic Offset Table (the first item); one fragment per frame; all fragments of a single
frame; for the JPEG family, frames ending at an End Of Image marker. Anything else is
refused with the counts that disagree.
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


def _item_starts(fragments: list[bytes]) -> list[int]:
    """Offset of each fragment's item header from the first fragment's, as tables count."""
    starts = []
    position = 0
    for fragment in fragments:
        starts.append(position)
        position += 8 + len(fragment) + len(fragment) % 2
    return starts


def _by_offsets(fragments: list[bytes], offsets: list[int], lengths: list[int] | None,
                frames: int, table: str) -> list[bytes]:
    if len(offsets) != frames:
        raise PixelDataError(f"the {table} has {len(offsets)} entries for {frames} frame(s)")
    starts = _item_starts(fragments)
    index_of = {start: i for i, start in enumerate(starts)}
    result = []
    for frame, offset in enumerate(offsets):
        first = index_of.get(offset)
        if first is None:
            raise PixelDataError(f"the {table} points frame {frame + 1} at byte {offset}, "
                                 "which is not the start of a fragment")
        end = offsets[frame + 1] if frame + 1 < len(offsets) else None
        last = index_of.get(end, len(fragments)) if end is not None else len(fragments)
        data = b"".join(fragments[first:last])
        if lengths is not None:
            data = data[:lengths[frame]]
        result.append(data)
    return result


def frame_data(value: EncapsulatedPixelData, frames: int, dataset: DatasetBase | None = None,
               jpeg: bool = False) -> list[bytes]:
    """The encoded bytes of each frame."""
    fragments = list(value.fragments)
    if not fragments:
        raise PixelDataError("encapsulated Pixel Data holds no fragments")
    if dataset is not None and EXTENDED_OFFSET_TABLE in dataset._elements:
        raw_offsets = dataset.get(EXTENDED_OFFSET_TABLE) or b""
        raw_lengths = dataset.get(EXTENDED_OFFSET_TABLE_LENGTHS) or b""
        count = len(raw_offsets) // 8
        offsets = list(struct.unpack(f"<{count}Q", bytes(raw_offsets)[:count * 8]))
        lengths = list(struct.unpack(f"<{count}Q", bytes(raw_lengths)[:count * 8])) \
            if len(raw_lengths) >= count * 8 else None
        return _by_offsets(fragments, offsets, lengths, frames, "Extended Offset Table")
    if value.offset_table:
        return _by_offsets(fragments, list(value.offsets), None, frames, "Basic Offset Table")
    if len(fragments) == frames:
        return fragments
    if frames == 1:
        return [b"".join(fragments)]
    if jpeg:
        grouped: list[bytes] = []
        current: list[bytes] = []
        for fragment in fragments:
            current.append(fragment)
            if fragment.rstrip(b"\x00").endswith(_EOI):
                grouped.append(b"".join(current))
                current = []
        if len(grouped) == frames and not current:
            return grouped
    raise PixelDataError(f"{len(fragments)} fragments cannot be divided into {frames} frames "
                         "without an offset table")
