"""Read DICOM: Part 10 files (preamble, file meta, data set) and bare data sets.

The parser walks element headers and keeps each value's bytes as found; values are decoded
only when accessed (:class:`~authoring.object.element.DataElement`). Values longer than
``defer_size`` stay in the file and are read on access, so a large multi-frame file costs
little memory. Files above :data:`MMAP_THRESHOLD` are memory-mapped rather than read.

Every problem is raised as a subclass of :class:`~authoring.errors.ReadError` naming the file,
the tag and the byte offset. Lengths are checked against the data before anything is sliced,
so a declared length of 0xFFFFFFF0 costs nothing, and sequence nesting is limited to
:data:`MAX_NESTING` levels.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import struct
import warnings
import zlib
from dataclasses import dataclass
from typing import IO, Any, cast

from authoring.core.charset import character_set
from authoring.core.tag import (
    ITEM,
    ITEM_DELIMITER,
    PIXEL_DATA,
    SEQUENCE_DELIMITER,
    SPECIFIC_CHARACTER_SET,
    TagLike,
    as_tag_int,
)
from authoring.core.transfer_syntax import (
    EXPLICIT_VR_BIG_ENDIAN,
    EXPLICIT_VR_LITTLE_ENDIAN,
    IMPLICIT_VR_LITTLE_ENDIAN,
    TransferSyntax,
    transfer_syntax,
)
from authoring.core.uid import is_valid_uid
from authoring.core.vr import LONG_LENGTH_VRS, VR_INFO
from authoring.dictionary.elements import vr_for_tag
from authoring.encoding.context import Context, pixel_word_for
from authoring.errors import (
    CharacterSetError,
    InvalidLengthError,
    InvalidTypeError,
    InvalidVRError,
    LocatedError,
    NestingTooDeepError,
    NotDicomError,
    ReadError,
    TruncatedError,
    format_tag,
)
from authoring.io.deferred import DeferredValue, FileSignature
from authoring.limits import LIMITS
from authoring.object.ambiguous import resolve
from authoring.object.dataset import Dataset
from authoring.object.element import DataElement
from authoring.object.sequence import Sequence

#: Deepest sequence nesting accepted (real files stay far below; a hostile file could
#: otherwise exhaust the interpreter's stack).
MAX_NESTING = 128

#: Files larger than this are memory-mapped instead of read into memory.
MMAP_THRESHOLD = 32 * 1024 * 1024

_UNDEFINED = 0xFFFFFFFF
_VR_FROM_BYTES = {name.encode("ascii"): name for name in VR_INFO}
_LONG = LONG_LENGTH_VRS
_PIXEL_REPRESENTATION = 0x00280103
_BITS_ALLOCATED = 0x00280100
_TAG_LE = struct.Struct("<HH")
_TAG_BE = struct.Struct(">HH")
_U16_LE = struct.Struct("<H")
_U16_BE = struct.Struct(">H")
_U32_LE = struct.Struct("<L")
_U32_BE = struct.Struct(">L")
_ITEM_LE = struct.Struct("<HHL")
_ITEM_BE = struct.Struct(">HHL")

Buffer = bytes | mmap.mmap


@dataclass
class ItemEncoding:
    """How the items of a sequence are encoded: implicit or explicit VR, byte order."""

    implicit: bool
    little: bool


_IMPLICIT_LITTLE = ItemEncoding(True, True)


class LazyItems:
    """The items of a sequence, still encoded: a window (``start`` to ``end``, delimiter
    excluded) of the buffer they were read from, and what parsing them needs. Parsed on
    first access of the element's value, so reading a file does not build the data sets of
    its sequences until they are used; a sequence never accessed is written back from these
    bytes. Nested sequences share their file's buffer (no copy per level)."""

    __slots__ = ("source", "start", "end", "path", "base", "encoding", "ctx", "depth", "tag",
                 "pixel_rep", "bits", "undefined", "dataset_class")

    def __init__(self, source: bytes, path: str | None, base: int, encoding: ItemEncoding,
                 ctx: Context, depth: int, tag: int, pixel_rep: int | None, bits: int | None,
                 undefined: bool, start: int = 0, end: int | None = None,
                 dataset_class: type[Dataset] = Dataset) -> None:
        """The items are ``source[start:end]`` (all of it by default); ``source[0]`` is at
        file offset ``base``; they are built as ``dataset_class``."""
        self.source = source
        self.start = start
        self.end = len(source) if end is None else end
        self.path = path
        self.base = base
        self.encoding = encoding
        self.ctx = ctx
        self.depth = depth
        self.tag = tag
        self.pixel_rep = pixel_rep
        self.bits = bits
        self.undefined = undefined
        self.dataset_class = dataset_class

    @property
    def data(self) -> bytes:
        """The item stream's bytes (a copy of the window, unless it is the whole source)."""
        if self.start == 0 and self.end == len(self.source):
            return self.source
        return self.source[self.start:self.end]

    @property
    def length(self) -> int:
        """Bytes of the item stream."""
        return self.end - self.start

    @property
    def implicit_vr(self) -> bool:
        """True when the items are encoded in implicit VR."""
        return self.encoding.implicit

    @property
    def little_endian(self) -> bool:
        """True when the items are little endian."""
        return self.encoding.little

    def load(self) -> bytes:
        """The item stream's bytes."""
        return self.data

    def parse_items(self) -> Sequence[Dataset]:
        """Build the items (raises a located ReadError for malformed ones)."""
        parser = _Parser(self.source, path=self.path, base=self.base, deferral=None,
                         dataset_class=self.dataset_class)
        try:
            items, _ = parser.parse_items(self.start, self.end, self.encoding, self.ctx,
                                          self.depth, self.tag, self.pixel_rep, self.bits)
        except RecursionError:
            raise NestingTooDeepError("sequences nested too deeply for this interpreter's "
                                      "stack", path=self.path, tag=self.tag) from None
        parser.issue_warnings(stacklevel=4)
        return items


def _parse_defer_size(value: int | str | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = value.strip().upper().replace(" ", "")
    units = {"KB": 1000, "MB": 1000**2, "GB": 1000**3, "KIB": 1024, "MIB": 1024**2,
             "GIB": 1024**3, "B": 1}
    for unit, factor in sorted(units.items(), key=lambda item: -len(item[0])):
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * factor)
    return int(text)


class _Parser:
    """Parses one buffer; holds what the recursive parse functions share."""

    def __init__(self, buffer: Buffer, *, path: str | None, base: int,
                 deferral: tuple[int, FileSignature | IO[bytes]] | None,
                 dataset_class: type[Dataset] = Dataset) -> None:
        self.dataset_class = dataset_class
        self.buf = buffer
        self.path = path
        self.base = base  # offset of buffer[0] in the file (for messages and deferral)
        self.deferral = deferral
        self.stop_tag = 0x1_0000_0000
        self.warnings: list[str] = []
        self.suppressed = 0  # warnings past the limit, counted only

    def warn(self, message: str) -> None:
        """Keep a warning, up to :data:`authoring.limits.LIMITS.warnings`; count the rest."""
        if len(self.warnings) < LIMITS.warnings:
            self.warnings.append(message)
        else:
            self.suppressed += 1

    def issue_warnings(self, stacklevel: int) -> None:
        """Issue the kept warnings as :class:`ReadWarning`, and one summary of the rest."""
        where = self.path or "<data>"
        for message in self.warnings:
            warnings.warn(f"{where}: {message}", ReadWarning, stacklevel=stacklevel + 1)
        if self.suppressed:
            warnings.warn(f"{where}: {self.suppressed} more warnings not shown (the first "
                          f"{len(self.warnings)} are; authoring.limits.LIMITS.warnings)",
                          ReadWarning, stacklevel=stacklevel + 1)

    def error(self, kind: type[ReadError], message: str, tag: int | None, pos: int
              ) -> ReadError:
        return kind(message, path=self.path, tag=tag, offset=self.base + pos)

    # -- data sets ---------------------------------------------------------------------

    def parse_dataset(self, pos: int, end: int, enc: ItemEncoding, ctx: Context, depth: int,
                      *, in_item: bool, top: bool, pixel_rep: int | None,
                      bits: int | None) -> tuple[Dataset, int, bool]:
        """Parse elements from ``pos`` to ``end`` (or to an item delimiter when ``in_item``).

        Returns the data set, the position after it, and whether an item delimiter ended it.
        """
        buf = self.buf
        little = enc.little
        implicit = enc.implicit
        tag_struct = _TAG_LE if little else _TAG_BE
        u16 = _U16_LE if little else _U16_BE
        u32 = _U32_LE if little else _U32_BE
        vr_from_bytes = _VR_FROM_BYTES
        long_vrs = _LONG
        stop = self.stop_tag if top else 0x1_0000_0000
        deferral = self.deferral
        defer_size = deferral[0] if deferral is not None else None
        elements: dict[int, DataElement] = {}
        last = -1
        unsorted = False
        delimited = False
        creators: dict[int, str] = {}
        while pos < end:
            if pos + 8 > end:
                raise self.error(TruncatedError, f"{end - pos} stray bytes where an element "
                                 "header (8 bytes or more) was expected", None, pos)
            group, number = tag_struct.unpack_from(buf, pos)
            tag = group << 16 | number
            if tag >= stop:
                return self.dataset_class.from_elements(elements, unsorted, last), pos, False
            if group == 0xFFFE:
                if tag == ITEM_DELIMITER and in_item:
                    pos += 8
                    delimited = True
                    break
                if tag == SEQUENCE_DELIMITER and top:
                    # Tolerated: a stray delimiter at the end of some writers' data sets.
                    self.warn(f"{self.where(tag, pos)}: stray sequence delimiter "
                                         "at the top level skipped")
                    pos += 8
                    continue
                raise self.error(ReadError, "unexpected item or delimitation tag inside a "
                                 "data set", tag, pos)
            if implicit:
                length = u32.unpack_from(buf, pos + 4)[0]
                value_pos = pos + 8
                vr = self.implicit_vr(tag, creators, pixel_rep, bits)
            else:
                vr_code = buf[pos + 4:pos + 6]
                found = vr_from_bytes.get(vr_code)
                if found is None:
                    vr, length, value_pos = self.unknown_vr(tag, vr_code, pos, end, u16, u32)
                elif found in long_vrs:
                    vr = found
                    if pos + 12 > end:
                        raise self.error(TruncatedError, "element header runs past the end "
                                         "of the data", tag, pos)
                    length = u32.unpack_from(buf, pos + 8)[0]
                    value_pos = pos + 12
                else:
                    vr = found
                    length = u16.unpack_from(buf, pos + 6)[0]
                    value_pos = pos + 8
            if length == _UNDEFINED:
                element, pos = self.undefined_length_element(
                    tag, vr, value_pos, end, enc, ctx, depth, pixel_rep, bits, pos)
            else:
                value_end = value_pos + length
                if value_end > end:
                    raise self.error(InvalidLengthError, f"value length {length} runs past "
                                     f"the end of the {'item' if in_item else 'data'} "
                                     f"({end - value_pos} bytes left)", tag, pos)
                raw_vr = None
                if vr == "UN" and not implicit:
                    # An explicit UN for an element the dictionary knows: decode it as its
                    # real VR, remember UN to write it back the same way (PS3.5 6.2.2).
                    known = self.implicit_vr(tag, creators, pixel_rep, bits)
                    if known != "UN":
                        raw_vr, vr = "UN", known
                if vr == "SQ" or (implicit and vr == "UN" and length >= 8
                                  and buf[value_pos:value_pos + 4] == b"\xfe\xff\x00\xe0"):
                    item_enc = enc if raw_vr is None else _IMPLICIT_LITTLE
                    lazy = self.lazy_items(value_pos, value_end, item_enc, ctx, depth, tag,
                                           pixel_rep, bits, False)
                    element = DataElement.from_raw(tag, "SQ", lazy, ctx, self.base + value_pos)
                    element.raw_vr = raw_vr
                elif defer_size is not None and length > defer_size:
                    assert deferral is not None
                    element = DataElement.from_raw(
                        tag, vr, DeferredValue(deferral[1], self.base + value_pos, length),
                        ctx, self.base + value_pos)
                    element.raw_vr = raw_vr
                else:
                    element = DataElement.from_raw(tag, vr, buf[value_pos:value_end], ctx,
                                                   self.base + value_pos)
                if raw_vr is not None:
                    element.raw_vr = raw_vr
                pos = value_end
            if tag in elements:
                self.warn(f"{self.where(tag, pos)}: duplicate element; the first "
                                     "is kept")
                continue
            if tag < last:
                unsorted = True
            else:
                last = tag
            elements[tag] = element
            if group & 1:
                if 0x0010 <= number <= 0x00FF:
                    value = element.value if element.source is not None else None
                    if isinstance(value, str):
                        creators[tag & 0xFFFF00FF] = value.strip()
                elif number >= 0x1000:
                    creator = creators.get((tag & 0xFFFF0000) | (number >> 8))
                    element.private_creator = creator
            elif tag == SPECIFIC_CHARACTER_SET:
                earlier = ctx
                ctx = self.charset_context(element, ctx, tag)
                # the character set is the whole data set's, elements read before it too
                # (a DICOMDIR's records, group 0004, come before (0008,0005)); none of them
                # is decoded yet, so their context can still change
                for before in elements.values():
                    if before.context is earlier and before is not element:
                        before.context = ctx
                        if isinstance(before.source, LazyItems):
                            before.source.ctx = ctx
            elif tag == _PIXEL_REPRESENTATION:
                value = element.value
                pixel_rep = value if isinstance(value, int) else pixel_rep
            elif tag == _BITS_ALLOCATED:
                value = element.value
                bits = value if isinstance(value, int) else bits
                if not little:
                    ctx = ctx.with_pixel_word(pixel_word_for(bits))
        return self.dataset_class.from_elements(elements, unsorted, last), pos, delimited

    def lazy_items(self, start: int, end: int, enc: ItemEncoding, ctx: Context, depth: int,
                   tag: int, pixel_rep: int | None, bits: int | None, undefined: bool
                   ) -> LazyItems:
        """The items between ``start`` and ``end``, unparsed: a window of this buffer when
        it is bytes (shared by every nesting level), a copy when it is a memory map (which
        must be closable once the read ends)."""
        if isinstance(self.buf, bytes):
            return LazyItems(self.buf, self.path, self.base, enc, ctx, depth, tag, pixel_rep,
                             bits, undefined, start, end, self.dataset_class)
        return LazyItems(bytes(self.buf[start:end]), self.path, self.base + start, enc, ctx,
                         depth, tag, pixel_rep, bits, undefined,
                         dataset_class=self.dataset_class)

    def where(self, tag: int, pos: int) -> str:
        return f"{format_tag(tag)} at byte {self.base + pos}"

    def charset_context(self, element: DataElement, ctx: Context, tag: int) -> Context:
        value = element.value
        try:
            return ctx.with_charset(character_set(value if value else None))
        except CharacterSetError as exc:
            self.warn(f"{self.where(tag, (element.offset or 0) - self.base)}: "
                                 f"{exc.reason}; text is read as ISO_IR 100")
            return ctx.with_charset(character_set("ISO_IR 100"))

    def implicit_vr(self, tag: int, creators: dict[int, str], pixel_rep: int | None,
                    bits: int | None) -> str:
        vr = vr_for_tag(tag)
        if " or " in vr:
            return resolve(tag, vr, pixel_representation=pixel_rep, bits_allocated=bits,
                           implicit=True)
        if vr == "UN" and tag >> 16 & 1 and tag & 0xFF00:
            creator = creators.get((tag & 0xFFFF0000) | ((tag & 0xFF00) >> 8))
            if creator is not None:
                from authoring.dictionary.private import private_element_info

                info = private_element_info(creator, tag)
                if info is not None and info.vr in VR_INFO:
                    return info.vr
        return vr

    def unknown_vr(self, tag: int, code: Any, pos: int, end: int, u16: struct.Struct,
                   u32: struct.Struct) -> tuple[str, int, int]:
        """An explicit VR field that is not a VR of the standard."""
        text = bytes(code)
        if len(text) == 2 and all(0x41 <= b <= 0x5A for b in text):
            # Two upper-case letters: a VR from a later edition, or a malformed one. PS3.5
            # 6.2 says to read such a VR with a 32-bit length, as for UN.
            if pos + 12 > end:
                raise self.error(TruncatedError, "element header runs past the end",
                                 tag, pos)
            self.warn(f"{self.where(tag, pos)}: unknown VR {text.decode()!r} "
                                 "read as UN")
            return "UN", u32.unpack_from(self.buf, pos + 8)[0], pos + 12
        raise self.error(InvalidVRError, f"invalid VR bytes {text!r} in an explicit VR data "
                         "set", tag, pos)

    def undefined_length_element(self, tag: int, vr: str, value_pos: int, end: int,
                                 enc: ItemEncoding, ctx: Context, depth: int,
                                 pixel_rep: int | None, bits: int | None,
                                 header_pos: int) -> tuple[DataElement, int]:
        if tag == PIXEL_DATA and vr in ("OB", "OW", "UN"):
            stream_end, after = self.scan_fragments(value_pos, end, enc, tag)
            if self.deferral is not None and stream_end - value_pos > self.deferral[0]:
                raw: Any = DeferredValue(self.deferral[1], self.base + value_pos,
                                         stream_end - value_pos)
            else:
                raw = self.buf[value_pos:stream_end]
            element = DataElement.from_raw(tag, vr, raw, ctx, self.base + value_pos,
                                           undefined_length=True)
            return element, after
        if vr in ("SQ", "UN") or enc.implicit:
            # UN with undefined length holds a sequence in implicit VR little endian
            # (PS3.5 6.2.2); keep its VR so it is written back the same way. In implicit VR
            # any element of undefined length is a sequence.
            item_enc = _IMPLICIT_LITTLE if vr == "UN" and not enc.implicit else enc
            content_end, after = self.skip_delimited_items(value_pos, end, item_enc, depth, tag)
            lazy = self.lazy_items(value_pos, content_end, item_enc, ctx, depth, tag,
                                   pixel_rep, bits, True)
            element = DataElement.from_raw(tag, vr if vr in ("SQ", "UN") else "SQ", lazy, ctx,
                                           self.base + value_pos, undefined_length=True)
            return element, after
        raise self.error(InvalidLengthError, f"undefined length on a {vr} element (only "
                         "SQ, UN and encapsulated Pixel Data may have one)", tag, header_pos)

    # -- sequences -----------------------------------------------------------------------

    def skip_delimited_items(self, pos: int, end: int, enc: ItemEncoding, depth: int, tag: int
                             ) -> tuple[int, int]:
        """Walk an undefined-length sequence without building anything; return the end of its
        items and the position after its delimiter."""
        self.check_depth(depth, tag, pos)
        header = _ITEM_LE if enc.little else _ITEM_BE
        buf = self.buf
        start = pos
        while True:
            if pos + 8 > end:
                raise self.error(TruncatedError, "data ended inside a sequence of undefined "
                                 f"length that began at byte {self.base + start}", tag, pos)
            group, number, length = header.unpack_from(buf, pos)
            item_tag = group << 16 | number
            if item_tag == SEQUENCE_DELIMITER:
                return pos, pos + 8
            if item_tag != ITEM:
                raise self.error(ReadError, f"expected an item or a sequence delimiter, found "
                                 f"{format_tag(item_tag)}", tag, pos)
            if length == _UNDEFINED:
                pos = self.skip_item_body(pos + 8, end, enc, depth + 1, tag)
            else:
                if pos + 8 + length > end:
                    raise self.error(InvalidLengthError, f"item length {length} runs past the "
                                     "end of the data", tag, pos)
                pos += 8 + length

    def skip_item_body(self, pos: int, end: int, enc: ItemEncoding, depth: int, tag: int) -> int:
        """Walk the elements of an undefined-length item; return the position after its
        item delimiter."""
        buf = self.buf
        tag_struct = _TAG_LE if enc.little else _TAG_BE
        u16 = _U16_LE if enc.little else _U16_BE
        u32 = _U32_LE if enc.little else _U32_BE
        start = pos
        while True:
            if pos + 8 > end:
                raise self.error(TruncatedError, "data ended inside an item of undefined length "
                                 f"that began at byte {self.base + start - 8}", tag, pos)
            group, number = tag_struct.unpack_from(buf, pos)
            inner = group << 16 | number
            if inner == ITEM_DELIMITER:
                return pos + 8
            if enc.implicit:
                length = u32.unpack_from(buf, pos + 4)[0]
                value_pos = pos + 8
                vr = "SQ" if length == _UNDEFINED else ""
            else:
                code = buf[pos + 4:pos + 6]
                vr = _VR_FROM_BYTES.get(code, "UN")
                if vr in _LONG or code not in _VR_FROM_BYTES:
                    if pos + 12 > end:
                        raise self.error(TruncatedError, "element header runs past the end",
                                         inner, pos)
                    length = u32.unpack_from(buf, pos + 8)[0]
                    value_pos = pos + 12
                else:
                    length = u16.unpack_from(buf, pos + 6)[0]
                    value_pos = pos + 8
            if length == _UNDEFINED:
                if inner == PIXEL_DATA and vr in ("OB", "OW"):
                    _, pos = self.scan_fragments(value_pos, end, enc, inner)
                elif vr in ("SQ", "UN"):
                    item_enc = _IMPLICIT_LITTLE if vr == "UN" and not enc.implicit else enc
                    _, pos = self.skip_delimited_items(value_pos, end, item_enc, depth, inner)
                else:
                    raise self.error(InvalidLengthError, f"undefined length on a {vr} element",
                                     inner, pos)
            else:
                if value_pos + length > end:
                    raise self.error(InvalidLengthError, f"value length {length} runs past the "
                                     "end of the data", inner, pos)
                pos = value_pos + length

    def check_depth(self, depth: int, tag: int, pos: int) -> None:
        if depth >= MAX_NESTING:
            raise self.error(NestingTooDeepError, f"sequences nested deeper than "
                             f"{MAX_NESTING} levels", tag, pos)

    def parse_items(self, pos: int, end: int, enc: ItemEncoding, ctx: Context, depth: int,
                    tag: int, pixel_rep: int | None, bits: int | None
                    ) -> tuple[Sequence[Dataset], int]:
        """Items of a sequence of defined length occupying ``pos`` .. ``end``; returns the
        items and the position after the last (past ``end`` when a wrong sequence length
        was tolerated)."""
        self.check_depth(depth, tag, pos)
        items: Sequence[Dataset] = Sequence()
        header = _ITEM_LE if enc.little else _ITEM_BE
        buf = self.buf
        while pos < end:
            if pos + 8 > end:
                raise self.error(TruncatedError, "item header runs past the end of the "
                                 "sequence", tag, pos)
            group, number, length = header.unpack_from(buf, pos)
            item_tag = group << 16 | number
            if item_tag == SEQUENCE_DELIMITER:
                # Tolerated: a delimiter inside a defined-length sequence (seen in the wild)
                self.warn(f"{self.where(tag, pos)}: sequence delimiter inside a "
                                     "sequence of defined length")
                pos += 8
                continue
            if item_tag != ITEM:
                raise self.error(ReadError, f"expected an item, found "
                                 f"{format_tag(item_tag)}", tag, pos)
            item, pos = self.parse_item(pos, end, length, enc, ctx, depth, tag, pixel_rep,
                                        bits)
            items.append(item)
        return items, pos

    def parse_item(self, pos: int, end: int, length: int, enc: ItemEncoding, ctx: Context,
                   depth: int, tag: int, pixel_rep: int | None, bits: int | None
                   ) -> tuple[Dataset, int]:
        if length == _UNDEFINED:
            item, after, delimited = self.parse_dataset(
                pos + 8, end, enc, ctx, depth + 1, in_item=True, top=False,
                pixel_rep=pixel_rep, bits=bits)
            if not delimited:
                raise self.error(TruncatedError, "item of undefined length has no item "
                                 "delimiter", tag, pos)
            item.item_undefined_length = True
            return item, after
        item_end = pos + 8 + length
        if item_end > end:
            if pos + 8 > end:
                raise self.error(InvalidLengthError, f"item length {length} runs past the end "
                                 "of its sequence", tag, pos)
            # Lenient: an item longer than what is left of its sequence (seen in edited files
            # whose lengths were not updated) is read up to the sequence's end.
            self.warn(f"{self.where(tag, pos)}: item length {length} runs "
                                 f"{item_end - end} bytes past the end of its sequence; item "
                                 "read up to the sequence end")
            item_end = end
        item, after, _ = self.parse_dataset(pos + 8, item_end, enc, ctx, depth + 1,
                                            in_item=True, top=False, pixel_rep=pixel_rep,
                                            bits=bits)
        if after < item_end:
            raise self.error(ReadError, "item delimiter inside an item of defined length",
                             tag, after)
        item.item_undefined_length = False
        return item, item_end

    def scan_fragments(self, pos: int, end: int, enc: ItemEncoding, tag: int) -> tuple[int, int]:
        """Find the end of an encapsulated pixel data item stream; returns (end of the
        items, position after the sequence delimiter)."""
        header = _ITEM_LE if enc.little else _ITEM_BE
        buf = self.buf
        while True:
            if pos + 8 > end:
                raise self.error(TruncatedError, "encapsulated pixel data has no sequence "
                                 "delimiter before the end of the data", tag, pos)
            group, number, length = header.unpack_from(buf, pos)
            item_tag = group << 16 | number
            if item_tag == SEQUENCE_DELIMITER:
                return pos, pos + 8
            if item_tag != ITEM:
                raise self.error(ReadError, f"expected a fragment item, found "
                                 f"{format_tag(item_tag)}", tag, pos)
            if length == _UNDEFINED or pos + 8 + length > end:
                raise self.error(InvalidLengthError, f"fragment length {length} runs past "
                                 "the end of the data", tag, pos)
            pos += 8 + length


# -- file structure ------------------------------------------------------------------------


def _looks_explicit(buf: Buffer, pos: int) -> bool:
    code = bytes(buf[pos + 4:pos + 6])
    return code in _VR_FROM_BYTES


def _guess_encoding(buf: Buffer, pos: int, path: str | None) -> TransferSyntax:
    """Transfer syntax of a data set with no file meta, from its first element."""
    if len(buf) - pos < 8:
        raise NotDicomError("too short to hold a DICOM data set", path=path, offset=pos)
    little_group = _U16_LE.unpack_from(buf, pos)[0]
    big_group = _U16_BE.unpack_from(buf, pos)[0]
    explicit = _looks_explicit(buf, pos)
    if little_group <= 0x00FF or little_group in (0x0800, 0x1000, 0x2000):
        if little_group in (0x0800,) and big_group == 0x0008:
            return EXPLICIT_VR_BIG_ENDIAN if explicit else IMPLICIT_VR_LITTLE_ENDIAN
        return EXPLICIT_VR_LITTLE_ENDIAN if explicit else IMPLICIT_VR_LITTLE_ENDIAN
    if big_group <= 0x00FF:
        return EXPLICIT_VR_BIG_ENDIAN
    raise NotDicomError("no preamble and no recognisable data set (first group "
                        f"{little_group:04X})", path=path, offset=pos)


def _inflate(compressed: bytes, path: str | None, pos: int) -> bytes:
    """The inflated data set, at most :data:`authoring.limits.LIMITS.inflated_bytes`
    (a deflate bomb stops there, with a located error, instead of taking the memory)."""
    from authoring.limits import LIMITS, human

    limit = LIMITS.inflated_bytes
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        data = inflater.decompress(compressed, limit + 1)
    except zlib.error as exc:
        raise ReadError(f"deflated data set cannot be inflated: {exc}", path=path,
                        offset=pos) from None
    except MemoryError:
        raise ReadError("not enough memory to inflate the deflated data set", path=path,
                        offset=pos) from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise ReadError(f"the deflated data set inflates to more than {human(limit)} "
                        "(authoring.limits.LIMITS.inflated_bytes); raise the limit to read it",
                        path=path, offset=pos)
    return data


def _parse_file_meta(parser: _Parser, pos: int) -> tuple[Dataset, int]:
    """Group 0002 at ``pos``: explicit VR little endian (implicit tolerated)."""
    buf = parser.buf
    size = len(buf)
    implicit = not _looks_explicit(buf, pos)
    enc = ItemEncoding(implicit, True)
    end = size
    if not implicit and pos + 12 <= size and bytes(buf[pos:pos + 6]) == b"\x02\x00\x00\x00UL":
        declared = _U32_LE.unpack_from(buf, pos + 8)[0]
        candidate = pos + 12 + declared
        if candidate <= size and (candidate + 4 > size or
                                  _TAG_LE.unpack_from(buf, candidate)[0] != 0x0002):
            end = candidate
    parser.stop_tag = 0x00030000
    try:
        meta, after, _ = parser.parse_dataset(pos, end, enc, Context(True), 0, in_item=False,
                                              top=True, pixel_rep=None, bits=None)
    finally:
        parser.stop_tag = 0x1_0000_0000
    return meta, after


def _open(source: Any) -> tuple[Buffer, str | None, Any, Any]:
    """Read or map the source; returns (buffer, path, stream to keep, closer)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(cast("bytes", source)), None, None, None
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(cast("str | os.PathLike[str]", source))
        try:
            stream = open(path, "rb")
        except OSError as exc:
            raise ReadError(f"cannot open: {exc.strerror}", path=path) from None
        size = os.fstat(stream.fileno()).st_size
        if size > MMAP_THRESHOLD:
            mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
            stream.close()
            return mapped, path, None, mapped
        with stream:
            return stream.read(), path, None, None
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        start = source.tell() if hasattr(source, "tell") else 0
        data = source.read()
        if not isinstance(data, bytes):
            raise InvalidTypeError("read() needs a binary stream")
        return data, name if isinstance(name, str) else None, (source, start), None
    raise InvalidTypeError(f"cannot read DICOM from {type(source).__name__}")


def read(
    source: str | os.PathLike[str] | IO[bytes] | bytes,
    *,
    stop_before: TagLike | None = None,
    defer_size: int | str | None = None,
    transfer_syntax_hint: str | None = None,
    dataset_class: type[Dataset] = Dataset,
) -> Dataset:
    """Read a DICOM file (or bytes, or a binary stream) into a :class:`Dataset`.

    ``stop_before`` stops at the first top-level element whose tag is at or after it (for a
    header-only read, ``stop_before="PixelData"``). ``defer_size`` (bytes, or text such as
    ``"1 MB"``) leaves longer values in the file until accessed; the file must then stay
    unchanged (a changed file raises :class:`~authoring.errors.DeferredValueError`).
    ``transfer_syntax_hint`` gives the encoding of a bare data set with no file meta when it
    cannot be guessed.

    ``dataset_class`` is the class of the data set, its items and its file meta: the data
    model here; ``authoring.read`` asks for :class:`authoring.Dataset`, which adds pixel
    data, validation and writing.

    Raises a :class:`~authoring.errors.ReadError` subclass naming file, tag and offset.
    """
    buffer, path, stream, closer = _open(source)
    try:
        return _read_buffer(buffer, path, stream, stop_before=stop_before,
                            defer_size=_parse_defer_size(defer_size),
                            hint=transfer_syntax_hint, dataset_class=dataset_class)
    finally:
        if closer is not None:
            closer.close()


def _read_buffer(buf: Buffer, path: str | None, stream: Any, *, stop_before: TagLike | None,
                 defer_size: int | None, hint: str | None,
                 dataset_class: type[Dataset]) -> Dataset:
    deferral: tuple[int, FileSignature | IO[bytes]] | None = None
    if defer_size is not None:
        if path is not None and stream is None:
            deferral = (defer_size, FileSignature(path))
        elif stream is not None:
            deferral = (defer_size, stream[0])
    stream_start = stream[1] if stream is not None else 0
    parser = _Parser(buf, path=path, base=stream_start, deferral=deferral,
                     dataset_class=dataset_class)
    size = len(buf)
    if size == 0:
        raise NotDicomError("empty input", path=path, offset=0)
    preamble: bytes | None = None
    pos = 0
    part10 = False
    if size >= 132 and buf[128:132] == b"DICM":
        preamble = bytes(buf[:128])
        pos = 132
        part10 = True
    elif size >= 4 and buf[:4] == b"DICM":
        pos = 4
        part10 = True
    file_meta: Dataset | None = None
    if size >= pos + 8 and _TAG_LE.unpack_from(buf, pos)[0] == 0x0002:
        file_meta, pos = _parse_file_meta(parser, pos)
        part10 = True
    elif part10:
        raise NotDicomError("'DICM' prefix without File Meta Information", path=path,
                            offset=pos)
    ts_uid = None
    if file_meta is not None:
        element = file_meta.get_element(0x00020010)
        if element is not None and isinstance(element.value, str) and element.value:
            ts_uid = str(element.value)
    if ts_uid is not None and not is_valid_uid(ts_uid.strip(" \x00")):
        parser.warn(f"Transfer Syntax UID {ts_uid!r} is not a valid UID; the "
                               "encoding is guessed from the data set")
        ts_uid = None
    if ts_uid is not None:
        syntax = transfer_syntax(ts_uid)
    elif hint is not None:
        syntax = transfer_syntax(hint)
    elif pos >= size:
        syntax = EXPLICIT_VR_LITTLE_ENDIAN
    else:
        syntax = _guess_encoding(buf, pos, path)
    data_buf: Buffer = buf
    deflated_source = None
    if syntax.deflated:
        compressed = bytes(buf[pos:])
        data_buf = _inflate(compressed, path, pos)
        deflated_source = (hashlib.sha256(data_buf).digest(), compressed)
        parser = _Parser(data_buf, path=path, base=0, deferral=None,
                         dataset_class=dataset_class)
        pos = 0
    enc = ItemEncoding(not syntax.explicit_vr, syntax.little_endian)
    if syntax.explicit_vr and pos + 8 <= len(data_buf) and not _looks_explicit(data_buf, pos):
        # Some writers declare an explicit VR syntax and write implicit VR.
        enc = ItemEncoding(True, syntax.little_endian)
        parser.warn(f"data set declared {syntax.name} but is implicit VR; read "
                               "as implicit VR")
    if stop_before is not None:
        parser.stop_tag = as_tag_int(stop_before)
    try:
        dataset, _, _ = parser.parse_dataset(pos, len(data_buf), enc, Context(enc.little), 0,
                                             in_item=False, top=True, pixel_rep=None,
                                             bits=None)
    except RecursionError:
        raise NestingTooDeepError("sequences nested too deeply for this interpreter's stack",
                                  path=path) from None
    except LocatedError as exc:
        raise exc.located(path=path) from None
    dataset.file_meta = file_meta
    dataset.preamble = preamble
    dataset.filename = path
    implicit_fallback = enc.implicit and syntax.explicit_vr
    dataset.read_transfer_syntax = IMPLICIT_VR_LITTLE_ENDIAN if implicit_fallback else syntax
    dataset.is_part10 = part10
    if deflated_source is not None and stop_before is None:
        dataset.deflated_source = deflated_source
    parser.issue_warnings(stacklevel=3)
    return dataset


class ReadWarning(UserWarning):
    """Something unusual was tolerated while reading (a duplicate element, a bad VR...)."""
