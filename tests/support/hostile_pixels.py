"""Small hostile files, each built to attack one structure a decoder trusts: RLE segment
offsets and lengths, JPEG marker segments, JPEG 2000 codestream sizes, frame counts, offset
tables, deflate streams, nesting, duplicate elements. Each is a few hundred bytes (or a
size field that lies about a few hundred bytes).

``CASES`` maps a name to a function returning the file's bytes; ``tests/unit/test_hostile.py``
reads and decodes each in a child process and checks the outcome.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

from tests.support.build_bytes import SEQUENCE_DELIMITER, explicit, item, part10

RLE = "1.2.840.10008.1.2.5"
JPEG_LOSSLESS = "1.2.840.10008.1.2.4.70"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
JPEG_LS = "1.2.840.10008.1.2.4.80"
J2K = "1.2.840.10008.1.2.4.90"
DEFLATED = "1.2.840.10008.1.2.1.99"


def _us(tag: int, value: int) -> bytes:
    return explicit(tag, "US", struct.pack("<H", value))


def _is(tag: int, value: int) -> bytes:
    text = str(value).encode()
    return explicit(tag, "IS", text + (b" " if len(text) % 2 else b""))


def image_header(rows: int, columns: int, *, bits: int = 8, samples: int = 1,
                 frames: int | None = None, signed: bool = False,
                 photometric: bytes = b"MONOCHROME2") -> bytes:
    """Image Pixel attributes (group 0028) in explicit VR little endian."""
    body = b""
    body += _us(0x00280002, samples)
    photometric += b" " if len(photometric) % 2 else b""
    body += explicit(0x00280004, "CS", photometric)
    if frames is not None:
        body += _is(0x00280008, frames)
    body += _us(0x00280010, rows) + _us(0x00280011, columns)
    body += _us(0x00280100, bits) + _us(0x00280101, bits) + _us(0x00280102, bits - 1)
    body += _us(0x00280103, 1 if signed else 0)
    return body


def encapsulated(fragments: list[bytes], offset_table: bytes = b"") -> bytes:
    """Encapsulated Pixel Data: offset table item, fragments, sequence delimiter."""
    items = item(offset_table) + b"".join(item(f + b"\x00" * (len(f) % 2)) for f in fragments)
    return struct.pack("<HH", 0x7FE0, 0x0010) + b"OB\x00\x00" + struct.pack("<L", 0xFFFFFFFF) \
        + items + SEQUENCE_DELIMITER


def _file(syntax: str, header: bytes, pixels: bytes) -> bytes:
    sop = explicit(0x00080016, "UI", b"1.2.840.10008.5.1.4.1.1.7\x00") + \
        explicit(0x00080018, "UI", b"1.2.3.4\x00")
    return part10(sop + header + pixels, syntax)


def _rle_header(offsets: list[int]) -> bytes:
    return struct.pack("<16L", len(offsets), *offsets, *([0] * (15 - len(offsets))))


def rle_offset_past_data() -> bytes:
    """A second segment whose offset is 0xFFFFFFF0 (imagecodecs' RLE decoder crashed the
    interpreter on it: a segment offset past the data)."""
    frame = _rle_header([64, 0xFFFFFFF0]) + bytes(range(27))
    return _file(RLE, image_header(16, 16, bits=16), encapsulated([frame]))


def rle_offsets_backwards() -> bytes:
    """Two segments whose offsets go backwards (a negative segment length)."""
    frame = _rle_header([80, 64]) + bytes([0x81, 7]) * 16
    return _file(RLE, image_header(16, 16, bits=16), encapsulated([frame]))


def rle_unequal_segments() -> bytes:
    """Two segments of a 16-bit frame that decode to different lengths."""
    first = bytes([0x81, 1]) * 2  # 2 runs of 128 bytes: 256 bytes (a full plane)
    second = bytes([0x81, 2])  # 128 bytes only
    frame = _rle_header([64, 64 + len(first)]) + first + second
    return _file(RLE, image_header(16, 16, bits=16), encapsulated([frame]))


def rle_corrupt_packbits() -> bytes:
    """A literal run that claims more bytes than the segment holds."""
    frame = _rle_header([64]) + bytes([0x7F, 1, 2, 3])
    return _file(RLE, image_header(16, 16), encapsulated([frame]))


def rle_huge_64bit() -> bytes:
    """64-bit pixels, 65535 x 65535: 34 GB declared by a header of a few hundred bytes."""
    frame = _rle_header([64 + 2 * i for i in range(8)]) + bytes([0x81, 0]) * 8
    return _file(RLE, image_header(65535, 65535, bits=64), encapsulated([frame]))


def _jpeg_lossless(rows: int, columns: int) -> bytes:
    """A valid 8-bit lossless JPEG (SOF3, predictor 1) of a flat image, built by hand: one
    Huffman table with a single 1-bit code for difference category 0."""
    soi = b"\xff\xd8"
    sof = b"\xff\xc3" + struct.pack(">HBHHB", 11, 8, rows, columns, 1) + b"\x01\x11\x00"
    # DHT class 0 id 0: one code of length 1 (category 0)
    counts = bytes([1] + [0] * 15)
    dht = b"\xff\xc4" + struct.pack(">H", 2 + 1 + 16 + 1) + b"\x00" + counts + b"\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x01\x00\x00"
    bits = rows * columns  # one 0 bit per sample (first sample predicted from 128)
    data = b"\x00" * ((bits + 7) // 8)
    return soi + sof + dht + sos + data + b"\xff\xd9"


def jpeg_lossless_corrupt_marker() -> bytes:
    """A lossless JPEG whose Huffman table marker segment is damaged (length and counts)."""
    stream = bytearray(_jpeg_lossless(16, 16))
    position = stream.index(b"\xff\xc4")
    stream[position + 2:position + 4] = b"\xff\xf0"  # a segment length past the end
    stream[position + 5] = 0xFF  # and an impossible code count
    return _file(JPEG_LOSSLESS, image_header(16, 16), encapsulated([bytes(stream)]))


def jpeg_lossless_sof_mismatch() -> bytes:
    """A lossless JPEG whose frame header says 4096 x 4096 under Rows and Columns 16."""
    stream = _jpeg_lossless(16, 16).replace(struct.pack(">HH", 16, 16),
                                            struct.pack(">HH", 4096, 4096), 1)
    return _file(JPEG_LOSSLESS, image_header(16, 16), encapsulated([stream]))


def jpeg_truncated_huffman() -> bytes:
    """A baseline JPEG that ends inside its first marker segment."""
    stream = b"\xff\xd8\xff\xdb\x00\x43\x00" + bytes(range(10))
    return _file(JPEG_BASELINE, image_header(8, 8), encapsulated([stream]))


def _j2k_siz(width: int, height: int, components: int = 1, bits: int = 8) -> bytes:
    """A JPEG 2000 codestream start: SOC and a SIZ marker segment with one tile."""
    siz = struct.pack(">HIIIIIIIIH", 0, width, height, 0, 0, width, height, 0, 0, components)
    siz += bytes([bits - 1, 1, 1]) * components
    return b"\xff\x4f\xff\x51" + struct.pack(">H", len(siz) + 2) + siz


def j2k_huge_dimensions() -> bytes:
    """A 534-byte-class JPEG 2000 frame whose SIZ claims 60000 x 60000 under Rows and
    Columns of 16 (OpenJPEG allocated for the codestream's size)."""
    cod = b"\xff\x52\x00\x0c\x00\x00\x00\x01\x00\x05\x04\x04\x00\x01"
    qcd = b"\xff\x5c\x00\x04\x40\x40"
    stream = _j2k_siz(60000, 60000) + cod + qcd + b"\xff\x90\x00\x0a\x00\x00\x00\x00\x00\x01" \
        + b"\xff\x93" + b"\x00" * 400 + b"\xff\xd9"
    return _file(J2K, image_header(16, 16), encapsulated([stream]))


def jpegls_huge_dimensions() -> bytes:
    """A JPEG-LS frame header (SOF55) claiming 50000 x 50000 under Rows and Columns 16."""
    sof = b"\xff\xf7" + struct.pack(">HBHHB", 11, 8, 50000, 50000, 1) + b"\x01\x11\x00"
    stream = b"\xff\xd8" + sof + b"\xff\xda\x00\x08\x01\x01\x00\x00\x00\x00" + b"\x00" * 64 \
        + b"\xff\xd9"
    return _file(JPEG_LS, image_header(16, 16), encapsulated([stream]))


def frames_2_31() -> bytes:
    """Number of Frames 2^31 - 1 over one tiny RLE fragment."""
    frame = _rle_header([64]) + bytes([0x81, 0]) * 2
    return _file(RLE, image_header(16, 16, frames=2**31 - 1), encapsulated([frame]))


def native_frames_2_31() -> bytes:
    """Number of Frames 2^31 - 1 over 256 bytes of native pixel data."""
    pixels = explicit(0x7FE00010, "OB", b"\x00" * 256)
    return _file("1.2.840.10008.1.2.1", image_header(16, 16, frames=2**31 - 1), pixels)


def overlapping_offset_table() -> bytes:
    """4000 frames whose Basic Offset Table points every frame at the first fragment, which
    is large: joining the fragments of every frame would copy it 4000 times."""
    frames = 4000
    fragment = _rle_header([64]) + bytes([0x81, 0]) * 2 + b"\x00" * 200_000
    table = struct.pack(f"<{frames}L", *([0] * frames))
    return _file(RLE, image_header(16, 16, frames=frames), encapsulated([fragment], table))


def deflate_bomb() -> bytes:
    """A deflated data set of ~1 MB that inflates to 1 GB of a long value's content."""
    body = explicit(0x00080016, "UI", b"1.2.840.10008.5.1.4.1.1.7\x00") + \
        struct.pack("<HH", 0x0009, 0x1010) + b"OB\x00\x00" + struct.pack("<L", 1 << 30)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    stream = compressor.compress(body)
    block = b"\x00" * (1 << 20)
    for _ in range(1024):
        stream += compressor.compress(block)
    stream += compressor.flush()
    return part10(stream, DEFLATED)


def nested_sequences(levels: int = 127, size: int = 40 << 20) -> bytes:
    """``levels`` nested defined-length sequences around one value of ``size`` bytes."""
    inner = explicit(0x00091010, "OB", b"\x00" * size)
    for _ in range(levels):
        inner = explicit(0x00400275, "SQ", item(inner))
    return part10(inner)


def duplicate_elements(count: int = 1_000_000) -> bytes:
    """The same element ``count`` times (8 MB of zeros read as explicit VR are similar)."""
    element = explicit(0x00100010, "PN", b"A^B ")
    return part10(element * count)


CASES: dict[str, Callable[[], bytes]] = {
    "rle-offset-past-data": rle_offset_past_data,
    "rle-offsets-backwards": rle_offsets_backwards,
    "rle-unequal-segments": rle_unequal_segments,
    "rle-corrupt-packbits": rle_corrupt_packbits,
    "rle-huge-64bit": rle_huge_64bit,
    "jpeg-lossless-corrupt-marker": jpeg_lossless_corrupt_marker,
    "jpeg-lossless-sof-mismatch": jpeg_lossless_sof_mismatch,
    "jpeg-truncated-huffman": jpeg_truncated_huffman,
    "j2k-huge-dimensions": j2k_huge_dimensions,
    "jpegls-huge-dimensions": jpegls_huge_dimensions,
    "frames-2-31": frames_2_31,
    "native-frames-2-31": native_frames_2_31,
    "overlapping-offset-table": overlapping_offset_table,
    "deflate-bomb": deflate_bomb,
    "nested-sequences": nested_sequences,
    "duplicate-elements": duplicate_elements,
}
