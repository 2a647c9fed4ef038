"""Check a compressed frame's own header against the Image Pixel attributes before any
third-party decoder sees it.

A decoder allocates what its codestream declares; a hostile codestream declares gigabytes
in a few bytes, or carries marker segments whose lengths run past its end. Each function
here walks the marker segments a decoder trusts (JPEG SOF/DHT/SOS, JPEG-LS SOF55/LSE,
JPEG 2000 SIZ, inside a JP2 file's ``jp2c`` box where one wraps it), checks every length
against the bytes present, and requires the frame's size, component count and precision
to be what Rows, Columns, Samples per Pixel and Bits Allocated say. So a decoder can only
allocate what the DICOM header declares, and :mod:`authoring.limits` bounds that.

Each raises :class:`~authoring.pixels.info.PixelDataError` naming the byte offset within
the frame.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from authoring.pixels.info import PixelDataError, PixelInfo

_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
LOSSLESS_SOF = {0xC3, 0xC7, 0xCB, 0xCF}
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn carry no length
_JPEG_LS_SOF = 0xF7


@dataclass(frozen=True)
class FrameHeader:
    """What a codestream says of its image."""

    rows: int
    columns: int
    components: int
    precision: int
    marker: int  # SOF marker (JPEG), 0xF7 (JPEG-LS), 0x51 (JPEG 2000 SIZ)


def _fail(what: str, offset: int, message: str) -> PixelDataError:
    return PixelDataError(f"the {what} frame is malformed at its byte {offset}: {message}")


def segments(data: bytes, what: str) -> list[tuple[int, int, int]]:
    """(marker, offset of the segment body, body length) of each marker segment from SOI up
    to and including the first SOS; every length checked against the data."""
    if len(data) < 4 or data[0] != 0xFF or data[1] != 0xD8:
        raise _fail(what, 0, "it does not start with a Start Of Image marker (FFD8)")
    found: list[tuple[int, int, int]] = []
    position = 2
    size = len(data)
    while True:
        if position >= size or data[position] != 0xFF:
            raise _fail(what, position, "a marker (FFxx) was expected before the scan")
        while position < size and data[position] == 0xFF:
            position += 1  # fill bytes
        if position >= size:
            raise _fail(what, position, "the data ends inside a marker")
        marker = data[position]
        position += 1
        if marker in _STANDALONE:
            continue
        if marker == 0xD9:
            raise _fail(what, position - 2, "End Of Image before any scan")
        if position + 2 > size:
            raise _fail(what, position, "the data ends inside a marker segment's length")
        length = int.from_bytes(data[position:position + 2], "big")
        if length < 2 or position + length > size:
            raise _fail(what, position, f"marker FF{marker:02X} declares {length} bytes; "
                        f"{size - position} remain")
        found.append((marker, position + 2, length - 2))
        position += length
        if marker == 0xDA:
            return found


def _frame_header(data: bytes, body: int, length: int, marker: int, what: str) -> FrameHeader:
    if length < 6:
        raise _fail(what, body, "the frame header is too short")
    precision, rows, columns, components = struct.unpack_from(">BHHB", data, body)
    if length != 6 + 3 * components:
        raise _fail(what, body, f"the frame header of {length} bytes does not hold "
                    f"{components} component(s)")
    return FrameHeader(rows, columns, components, precision, marker)


def _check_huffman(data: bytes, body: int, length: int, what: str) -> None:
    """Each table of a DHT segment: class and id valid, at most 256 codes, the values
    present."""
    position, end = body, body + length
    while position < end:
        if position + 17 > end:
            raise _fail(what, position, "a Huffman table is cut short")
        table = data[position]
        if table >> 4 > 1 or table & 0x0F > 3:
            raise _fail(what, position, f"Huffman table class/id {table:#04x} is not valid")
        counts = data[position + 1:position + 17]
        total = sum(counts)
        if total > 256:
            raise _fail(what, position, f"a Huffman table holds {total} codes (256 at most)")
        # no code of length n may be more than the 2^n codes that length has room for
        room = 1
        for count in counts:
            room = room * 2 - count
            if room < 0:
                raise _fail(what, position, "a Huffman table's code counts overflow")
        position += 17 + total
    if position != end:
        raise _fail(what, position, "the Huffman tables run past their segment")


def _expect(header: FrameHeader, info: PixelInfo, what: str) -> None:
    if (header.rows, header.columns) != (info.rows, info.columns):
        raise PixelDataError(f"the {what} frame is {header.columns} x {header.rows} pixels; "
                             f"Columns and Rows say {info.columns} x {info.rows}")
    if header.components != info.samples:
        raise PixelDataError(f"the {what} frame has {header.components} component(s); "
                             f"Samples per Pixel says {info.samples}")
    if not 1 <= header.precision <= 16:
        raise PixelDataError(f"the {what} frame's precision is {header.precision} bits "
                             "(1 to 16 expected)")
    if header.precision > 8 and info.bits_allocated < 16:
        raise PixelDataError(f"the {what} frame's precision is {header.precision} bits; Bits "
                             f"Allocated {info.bits_allocated} cannot hold it")


def check_jpeg(data: bytes, info: PixelInfo) -> FrameHeader:
    """A JPEG (ISO 10918) frame: segments, Huffman tables and the frame header; for the
    lossless processes also that the data can hold the samples (a Huffman code is at
    least one bit per sample)."""
    what = "JPEG"
    header: FrameHeader | None = None
    for marker, body, length in segments(data, what):
        if marker in _SOF_MARKERS:
            header = _frame_header(data, body, length, marker, what)
        elif marker == 0xC4:
            _check_huffman(data, body, length, what)
        elif marker == 0xDA and header is None:
            raise _fail(what, body, "a scan comes before any frame header (SOF)")
    assert header is not None
    _expect(header, info, what)
    if header.marker in LOSSLESS_SOF and len(data) * 8 < info.frame_pixels * info.samples:
        raise PixelDataError(f"the lossless JPEG frame of {len(data)} bytes cannot hold "
                             f"{info.frame_pixels * info.samples} samples (each needs a bit "
                             "at least)")
    return header


def check_jpeg_ls(data: bytes, info: PixelInfo) -> FrameHeader:
    """A JPEG-LS (ISO 14495-1) frame: segments and the SOF55 frame header."""
    what = "JPEG-LS"
    header: FrameHeader | None = None
    for marker, body, length in segments(data, what):
        if marker == _JPEG_LS_SOF:
            header = _frame_header(data, body, length, marker, what)
        elif marker in _SOF_MARKERS:
            raise _fail(what, body, f"a JPEG frame header FF{marker:02X} in a JPEG-LS stream")
        elif marker == 0xDA and header is None:
            raise _fail(what, body, "a scan comes before the frame header (SOF55)")
    assert header is not None
    _expect(header, info, what)
    return header


def _codestream(data: bytes) -> tuple[bytes, int]:
    """The JPEG 2000 codestream and its offset: ``data`` itself, or the content of a JP2
    file's ``jp2c`` box (which some writers put in DICOM)."""
    if data[:2] == b"\xff\x4f":
        return data, 0
    position = 0
    size = len(data)
    while position + 8 <= size:
        length, kind = struct.unpack_from(">I4s", data, position)
        header = 8
        if length == 1:
            if position + 16 > size:
                break
            length = struct.unpack_from(">Q", data, position + 8)[0]
            header = 16
        elif length == 0:
            length = size - position
        if length < header or position + length > size:
            raise _fail("JPEG 2000", position, f"a JP2 box declares {length} bytes; "
                        f"{size - position} remain")
        if kind == b"jp2c":
            return data[position + header:position + length], position + header
        position += length
    raise _fail("JPEG 2000", 0, "neither a codestream (FF4F) nor a JP2 file with one")


def check_j2k(data: bytes, info: PixelInfo) -> FrameHeader:
    """A JPEG 2000 or HTJ2K (ISO 15444-1/-15) frame: the SIZ marker segment's image and
    tile sizes and components."""
    what = "JPEG 2000"
    stream, base = _codestream(data)
    if len(stream) < 4 or stream[:4] != b"\xff\x4f\xff\x51":
        raise _fail(what, base, "the codestream does not start with SOC and SIZ (FF4F FF51)")
    if len(stream) < 42:
        raise _fail(what, base + 4, "the SIZ marker segment is cut short")
    length = int.from_bytes(stream[4:6], "big")
    (_, width_end, height_end, x_origin, y_origin, tile_width, tile_height, tile_x, tile_y,
     components) = struct.unpack_from(">HIIIIIIIIH", stream, 6)
    if length != 38 + 3 * components or 4 + length > len(stream):
        raise _fail(what, base + 4, f"the SIZ segment of {length} bytes does not hold "
                    f"{components} component(s)")
    if width_end <= x_origin or height_end <= y_origin or not tile_width or not tile_height \
            or tile_x > x_origin or tile_y > y_origin or tile_x + tile_width <= x_origin \
            or tile_y + tile_height <= y_origin:
        raise _fail(what, base + 6, "the SIZ image and tile sizes are inconsistent")
    tiles = (-(-(width_end - tile_x) // tile_width)) * (-(-(height_end - tile_y) // tile_height))
    if tiles > 65535:
        raise _fail(what, base + 6, f"{tiles} tiles (65535 at most)")
    precision = 0
    for index in range(components):
        depth, x_step, y_step = stream[42 + 3 * index:45 + 3 * index]
        if x_step != 1 or y_step != 1:
            raise PixelDataError(f"the {what} frame's component {index + 1} is subsampled "
                                 f"({x_step} x {y_step}); DICOM pixel data is not")
        precision = max(precision, (depth & 0x7F) + 1)
    header = FrameHeader(height_end - y_origin, width_end - x_origin, components, precision,
                         0x51)
    _expect(header, info, what)
    return header
