"""RLE Lossless (PS3.5 Annex G): a frame is up to 15 segments, one per byte plane (for each
sample, most significant byte first), each PackBits-encoded row by row, after a 64-byte
header of the segment count and offsets.

PackBits runs through imagecodecs when it is installed (fast); the pure Python/numpy
version here is always available and gives the same bytes.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any

from authoring.pixels.info import PixelDataError, PixelInfo

if TYPE_CHECKING:
    import numpy.typing as npt

_HEADER = struct.Struct("<16L")


def _imagecodecs() -> Any:
    try:
        import imagecodecs
    except ImportError:
        return None
    return imagecodecs if getattr(imagecodecs, "PACKBITS", None) and \
        imagecodecs.PACKBITS.available else None


def unpack_bits(data: bytes) -> bytes:
    """PackBits decoding (pure Python)."""
    out = bytearray()
    position = 0
    size = len(data)
    while position < size:
        header = data[position]
        position += 1
        if header < 128:
            out += data[position:position + header + 1]
            position += header + 1
        elif header > 128:
            out += data[position:position + 1] * (257 - header)
            position += 1
    return bytes(out)


def pack_bits(row: bytes) -> bytes:
    """PackBits encoding of one row (pure Python): runs of two or more equal bytes are
    replicate packets, the rest literal packets, each at most 128 bytes."""
    out = bytearray()
    position = 0
    size = len(row)
    while position < size:
        end = position + 1
        while end < size and row[end] == row[position] and end - position < 128:
            end += 1
        if end - position >= 2:
            out.append(257 - (end - position))
            out.append(row[position])
            position = end
            continue
        start = position
        position += 1
        while position < size and position - start < 128 and not (
                position + 1 < size and row[position] == row[position + 1]):
            position += 1
        out.append(position - start - 1)
        out += row[start:position]
    return bytes(out)


def _segment_count(info: PixelInfo) -> int:
    return info.samples * (info.bits_allocated // 8)


#: The most one PackBits byte pair can expand to (a replicate run of 128): an RLE segment
#: of n bytes decodes to at most 64 n bytes.
_MAX_EXPANSION = 64


def segment_spans(data: bytes, info: PixelInfo) -> list[tuple[int, int]]:
    """The (start, end) of each segment of an RLE frame, every header field checked: the
    segment count the attributes need, offsets from 64 up, in order and within the frame,
    and each segment long enough to decode to a whole byte plane (so a decoder can never be
    asked for more than 64 times the bytes the file holds)."""
    if len(data) < 64:
        raise PixelDataError(f"an RLE frame of {len(data)} bytes is shorter than its 64-byte "
                             "header")
    header = _HEADER.unpack_from(data, 0)
    count = header[0]
    expected = _segment_count(info)
    if count != expected:
        raise PixelDataError(f"the RLE frame has {count} segments; Samples per Pixel "
                             f"{info.samples} and Bits Allocated {info.bits_allocated} need "
                             f"{expected}")
    offsets = [*header[1:1 + count], len(data)]
    pixels = info.frame_pixels
    spans: list[tuple[int, int]] = []
    for index in range(count):
        start, end = offsets[index], offsets[index + 1]
        if not 64 <= start <= len(data):
            raise PixelDataError(f"RLE segment {index + 1} offset {start} is outside the frame "
                                 f"of {len(data)} bytes")
        if end < start:
            raise PixelDataError(f"RLE segment {index + 2} offset {end} comes before segment "
                                 f"{index + 1}'s ({start})")
        if (end - start) * _MAX_EXPANSION < pixels:
            raise PixelDataError(f"RLE segment {index + 1} holds {end - start} bytes, which "
                                 f"decode to {(end - start) * _MAX_EXPANSION} at most; "
                                 f"{info.rows} x {info.columns} pixels need {pixels}")
        spans.append((start, end))
    return spans


def decode_frame(data: bytes, info: PixelInfo) -> npt.NDArray[Any]:
    """One RLE frame -> an array of ``info.frame_shape()`` (the header checked in full by
    :func:`segment_spans` before any decoder runs)."""
    import numpy as np

    spans = segment_spans(data, info)
    codecs = _imagecodecs()
    fast = _decode_fast(codecs, data, info)
    if fast is not None:
        return fast
    pixels = info.frame_pixels
    count = len(spans)
    planes = np.empty((count, pixels), dtype=np.uint8)
    for index, (start, end) in enumerate(spans):
        segment = data[start:end]
        try:
            plane = codecs.packbits_decode(segment) if codecs is not None else \
                unpack_bits(segment)
        except Exception as exc:  # noqa: BLE001 - imagecodecs raises its own class
            raise PixelDataError(f"RLE segment {index + 1} is not valid PackBits data: "
                                 f"{exc}") from None
        if len(plane) < pixels:
            raise PixelDataError(f"RLE segment {index + 1} decodes to {len(plane)} bytes; "
                                 f"{info.rows} x {info.columns} pixels need {pixels}")
        planes[index] = np.frombuffer(plane, dtype=np.uint8, count=pixels)
    size = info.bits_allocated // 8
    # segments are sample-major, most significant byte first; numpy wants little endian
    planes = planes.reshape(info.samples, size, pixels)[:, ::-1, :]
    values = np.ascontiguousarray(planes.transpose(2, 0, 1)).view(info.dtype())
    values = values.reshape(info.rows, info.columns, info.samples)
    return values[..., 0] if info.samples == 1 else values


def _decode_fast(codecs: Any, data: bytes, info: PixelInfo) -> npt.NDArray[Any] | None:
    """imagecodecs' DICOM RLE decoder (planar output), or None to use ours (which also
    explains any damage precisely). Only called on a frame whose header
    :func:`segment_spans` accepted: that decoder trusts the offsets (a segment offset of
    0xFFFFFFF0 crashes it)."""
    import numpy as np

    decode = getattr(codecs, "dicomrle_decode", None) if codecs is not None else None
    if decode is None:
        return None
    dtype = info.dtype()
    try:
        raw = decode(data, "<" + dtype.str[1:])
    except Exception:  # noqa: BLE001 - ours explains the damage
        return None
    if len(raw) != info.frame_pixels * info.samples * dtype.itemsize:
        return None  # ours says what is wrong
    values = np.frombuffer(raw, dtype=dtype)
    if info.samples == 1:
        return values.reshape(info.rows, info.columns)
    planes = values.reshape(info.samples, info.rows, info.columns)
    return np.ascontiguousarray(planes.transpose(1, 2, 0))


def encode_frame(array: npt.NDArray[Any], info: PixelInfo) -> bytes:
    """One frame (``info.frame_shape()``) -> RLE bytes."""
    import numpy as np

    data = np.ascontiguousarray(array, dtype=info.dtype()).reshape(info.rows, info.columns,
                                                                    info.samples)
    size = info.bits_allocated // 8
    raw = data.view(np.uint8).reshape(info.rows, info.columns, info.samples, size)
    codecs = _imagecodecs()
    segments: list[bytes] = []
    for sample in range(info.samples):
        for byte in range(size - 1, -1, -1):  # most significant byte first
            plane = np.ascontiguousarray(raw[:, :, sample, byte])
            if codecs is not None:
                encoded = b"".join(codecs.packbits_encode(row.tobytes()) for row in plane)
            else:
                encoded = b"".join(pack_bits(row.tobytes()) for row in plane)
            segments.append(encoded + (b"\x00" if len(encoded) % 2 else b""))
    offsets: list[int] = []
    position = 64
    for segment in segments:
        offsets.append(position)
        position += len(segment)
    header = _HEADER.pack(len(segments), *offsets, *([0] * (15 - len(segments))))
    return header + b"".join(segments)


def planes_dtype_check(info: PixelInfo) -> str | None:
    """Why RLE cannot hold these pixels, or None."""
    if info.is_float:
        return "RLE Lossless holds integer pixel data only"
    if info.bits_allocated not in (8, 16, 32, 64) or _segment_count(info) > 15:
        return (f"RLE Lossless holds at most 15 byte planes; {info.samples} samples of "
                f"{info.bits_allocated} bits need {_segment_count(info)}")
    return None


__all__ = ["decode_frame", "encode_frame", "pack_bits", "segment_spans", "unpack_bits"]
