"""Encode data sets into byte chunks for one transfer syntax: the engine under the writer,
the template writer and codify's exactness checks.

:class:`DatasetEncoder` encodes each element from its value, except an element that still
holds the bytes it was read with in a compatible context (same byte order for binary data,
same character set for text): those bytes are reused. Sequences keep each sequence's and
item's defined or undefined length (``lengths``); group lengths present are computed.
Values encoded are checked first (``validation``): length per VR, allowed characters,
formats, ranges, VM against the dictionary, and whether text fits the declared character
set; ``"raise"`` refuses with a :class:`~authoring.errors.ValueRuleError` naming the tag and
the rule, ``"warn"`` warns, ``"ignore"`` encodes silently.

Output is a list of :data:`Chunk`: bytes, or a value still in its source file (copied when
written).
"""

from __future__ import annotations

import struct
import warnings
from typing import Any, Literal

from authoring.core.charset import DEFAULT, CharacterSet, character_set
from authoring.core.tag import PIXEL_DATA, SPECIFIC_CHARACTER_SET, Tag
from authoring.core.transfer_syntax import (
    EXPLICIT_VR_LITTLE_ENDIAN,
    IMPLICIT_VR_LITTLE_ENDIAN,
    TransferSyntax,
    transfer_syntax,
)
from authoring.core.vr import (
    CHARSET_VRS,
    LONG_LENGTH_VRS,
    SWAPPED_BYTES_VRS,
    VR_INFO,
    Kind,
)
from authoring.dictionary.elements import vm_for_tag
from authoring.encoding.context import Context, pixel_word_for
from authoring.encoding.decode import swap_bytes
from authoring.encoding.encapsulated import encode_items
from authoring.encoding.encode import encode_value
from authoring.errors import (
    CharacterSetError,
    LocatedError,
    ValueEncodingError,
    ValueRuleError,
)
from authoring.io.deferred import DeferredValue
from authoring.object.dataset import DatasetBase
from authoring.object.element import UNDECODED, DataElement
from authoring.validation.value_rules import check_value

Validation = Literal["raise", "warn", "ignore"]
Lengths = Literal["keep", "defined", "undefined"]

#: A piece of the output: bytes, or a value still in its source file (copied when written).
Chunk = bytes | DeferredValue


def chunk_size(chunk: Chunk) -> int:
    """Length of a chunk without loading it."""
    return chunk.length if isinstance(chunk, DeferredValue) else len(chunk)


def chunk_bytes(chunk: Chunk) -> bytes:
    """The bytes of a chunk (loading a deferred one)."""
    return chunk.load() if isinstance(chunk, DeferredValue) else chunk

_UNDEFINED = 0xFFFFFFFF
#: Bits Allocated (0028,0100): a big-endian pixel word size depends on it.
BITS_ALLOCATED = 0x00280100
_MAX_SHORT_LENGTH = 0xFFFF


class ValueRuleWarning(UserWarning):
    """A value broke a rule of its VR and was written anyway (``validation="warn"``)."""


class DatasetEncoder:
    """Encodes data sets into a list of byte chunks for one transfer syntax."""

    def __init__(self, syntax: TransferSyntax, validation: Validation,
                 lengths: Lengths = "keep") -> None:
        self.lengths: Lengths = lengths
        self.explicit = syntax.explicit_vr
        self.little = syntax.little_endian
        self.validation: Validation = validation
        order = "<" if self.little else ">"
        self.tag_struct = struct.Struct(order + "HH")
        self.short_header = struct.Struct(order + "HH2sH")
        self.long_header = struct.Struct(order + "HH2s2xL")
        self.implicit_header = struct.Struct(order + "HHL")
        self.contexts: dict[int, Context] = {}

    def context(self, charset: CharacterSet) -> Context:
        """The encoding context for text in ``charset`` (one per character set)."""
        ctx = self.contexts.get(id(charset))
        if ctx is None:
            ctx = Context(self.little, charset)
            self.contexts[id(charset)] = ctx
        return ctx

    # -- headers ---------------------------------------------------------------------------

    def header(self, tag: int, vr: str, length: int) -> bytes:
        """An element header in this syntax (a long explicit VR form where the VR needs it)."""
        group, element = tag >> 16, tag & 0xFFFF
        if not self.explicit:
            return self.implicit_header.pack(group, element, length)
        if vr in LONG_LENGTH_VRS or vr not in VR_INFO:
            return self.long_header.pack(group, element, vr.encode("ascii"), length)
        if length > _MAX_SHORT_LENGTH:
            raise ValueEncodingError(
                f"{vr} value of {length} bytes does not fit the 16-bit length of explicit VR "
                "(PS3.5 6.2.2: store it as UN, or shorten it)", tag=tag)
        return self.short_header.pack(group, element, vr.encode("ascii"), length)

    # -- data sets -----------------------------------------------------------------------------

    def dataset(self, dataset: DatasetBase, charset: CharacterSet, depth: int,
                out: list[Chunk]) -> int:
        """Append ``dataset``'s elements to ``out``; return the bytes appended."""
        own = dataset.elements.get(SPECIFIC_CHARACTER_SET)
        if own is not None:
            charset = self.charset_of(own)
        ctx = self.context(charset)
        bits = dataset.elements.get(BITS_ALLOCATED)
        if bits is not None and not self.little:
            ctx = ctx.with_pixel_word(pixel_word_for(bits.value))
        total = 0
        groups_with_length: set[int] = set()
        encoded: list[tuple[int, list[Chunk], int]] = []
        for tag, element in dataset.ordered().items():
            if tag & 0xFFFF == 0 and tag >> 16 != 0x0002:
                groups_with_length.add(tag >> 16)
                encoded.append((tag, [], 0))
                continue
            chunks: list[Chunk] = []
            try:
                size = self.element(element, ctx, depth, chunks)
            except LocatedError as exc:
                raise exc.located(tag=tag) from None
            encoded.append((tag, chunks, size))
        if groups_with_length:
            sizes: dict[int, int] = {}
            for tag, _, size in encoded:
                sizes[tag >> 16] = sizes.get(tag >> 16, 0) + size
            for index, (tag, chunks, size) in enumerate(encoded):
                if tag & 0xFFFF == 0 and tag >> 16 in groups_with_length:
                    encoded[index] = self.group_length(dataset.elements[tag], ctx,
                                                       sizes[tag >> 16])
        for _, chunks, size in encoded:
            out.extend(chunks)
            total += size
        return total

    def charset_of(self, element: DataElement) -> CharacterSet:
        """The character set a Specific Character Set element declares."""
        value = element.value
        try:
            return character_set(value if value else None)
        except CharacterSetError as exc:
            if self.validation == "raise":
                raise exc.located(tag=element.tag_number) from None
            return character_set("ISO_IR 100")

    def group_length(self, element: DataElement, ctx: Context, size: int
                     ) -> tuple[int, list[Chunk], int]:
        """A group length element holding ``size``."""
        tag = element.tag_number
        value = struct.pack("<L" if self.little else ">L", size)
        header = self.header(tag, "UL", 4)
        return tag, [header, value], len(header) + 4

    def element(self, element: DataElement, ctx: Context, depth: int, out: list[Chunk]) -> int:
        """Append one element (header and value) to ``out``; return its encoded size."""
        vr = element.vr
        tag = element.tag_number
        if vr == "SQ" or (vr == "UN" and (isinstance(element.held_value, list) or
                                          hasattr(element.source, "parse_items"))):
            # a UN holding items (undefined length), accessed or not, is written as one
            return self.sequence(element, ctx, depth, out)
        if element.undefined_length and tag == PIXEL_DATA:
            return self.encapsulated(element, ctx, out)
        value = self.value_bytes(element, ctx)
        header_vr = element.raw_vr if element.raw_vr is not None and element.source is not None \
            else vr
        length = chunk_size(value)
        header = self.header(tag, header_vr, length)
        out.append(header)
        if length:
            out.append(value)
        return len(header) + length

    def reusable(self, element: DataElement, ctx: Context) -> bool:
        """True when the element's original bytes are right for this context as they are."""
        source = element.context
        if element.source is None or source is None:
            return False
        vr = element.vr
        info = VR_INFO.get(vr)
        if source.little_endian != ctx.little_endian and info is not None and (
                info.kind in (Kind.BINARY_NUMBER, Kind.TAG) or vr in SWAPPED_BYTES_VRS):
            return False
        if vr in CHARSET_VRS and source.charset is not ctx.charset:
            return False
        if element.tag_number == PIXEL_DATA and vr == "OW" and not ctx.little_endian and \
                source.pixel_word != ctx.pixel_word:
            return False
        return True

    def value_bytes(self, element: DataElement, ctx: Context) -> Chunk:
        """An element's value bytes: its original bytes where they still hold, else encoded
        (and checked, unless ``validation`` is ``"ignore"``)."""
        if self.reusable(element, ctx):
            source = element.source
            if isinstance(source, DeferredValue) and source.length % 2 == 0:
                return source
            raw = element.raw
            assert raw is not None
            if len(raw) % 2 == 0 or element.vr not in VR_INFO:
                return raw
            if element.held_value is UNDECODED:
                element.value  # decode before padding, the value must be kept
        value = element.value
        vr = element.vr
        strict = self.validation != "ignore"
        if element.source is None and self.validation != "ignore":
            self.check(element, value, ctx)
        if element.tag_number == PIXEL_DATA and vr == "OW" and not ctx.little_endian and \
                ctx.pixel_word != 2:
            data = encode_value("OB", value, ctx)  # little-endian bytes, padded
            return swap_bytes(data, ctx.pixel_word)
        try:
            return encode_value(vr, value, ctx, strict=strict)
        except CharacterSetError as exc:
            raise exc.located(tag=element.tag_number) from None
        except ValueEncodingError as exc:
            raise exc.located(tag=element.tag_number) from None

    def check(self, element: DataElement, value: Any, ctx: Context) -> None:
        """Apply the value rules of the element's VR and VM (raise or warn)."""
        tag = element.tag_number
        vm = vm_for_tag(tag) if not tag >> 16 & 1 else ""  # private: no dictionary VM
        problems = check_value(element.vr, value, vm=vm or None, charset=ctx.charset)
        for problem in problems:
            if self.validation == "raise":
                raise ValueRuleError(problem.message, rule=problem.rule, tag=tag)
            warnings.warn(f"{Tag(tag)} {element.vr}: {problem.message} [{problem.rule}]",
                          ValueRuleWarning, stacklevel=4)

    def sequence(self, element: DataElement, ctx: Context, depth: int, out: list[Chunk]
                 ) -> int:
        """Append a sequence (SQ, or UN holding items) to ``out``: its original item stream
        when untouched, else each item encoded; return its encoded size."""
        tag = element.tag_number
        as_un = element.vr == "UN" or element.raw_vr == "UN"
        stream = self.untouched_items(element, ctx, as_un)
        if stream is not None:
            vr = "UN" if as_un else "SQ"
            length = _UNDEFINED if element.undefined_length else len(stream)
            header = self.header(tag, vr, length)
            out.append(header)
            out.append(stream)
            if element.undefined_length:
                delimiter_order = _IMPLICIT_LE_ITEM if as_un else self.implicit_header
                out.append(delimiter_order.pack(0xFFFE, 0xE0DD, 0))
                return len(header) + len(stream) + 8
            return len(header) + len(stream)
        items = element.value
        inner = self if not as_un or (not self.explicit and self.little) else DatasetEncoder(
            IMPLICIT_VR_LITTLE_ENDIAN, self.validation, self.lengths)
        content: list[Chunk] = []
        item_header = inner.implicit_header
        size = 0
        for item in items:
            body: list[Chunk] = []
            body_size = inner.dataset(item, ctx.charset, depth + 1, body)
            if self.undefined(item.item_undefined_length):
                content.append(item_header.pack(0xFFFE, 0xE000, _UNDEFINED))
                content.extend(body)
                content.append(item_header.pack(0xFFFE, 0xE00D, 0))
                size += 16 + body_size
            else:
                content.append(item_header.pack(0xFFFE, 0xE000, body_size))
                content.extend(body)
                size += 8 + body_size
        vr = "UN" if as_un else "SQ"
        if self.undefined(element.undefined_length):
            header = self.header(tag, vr, _UNDEFINED)
            out.append(header)
            out.extend(content)
            out.append(inner.implicit_header.pack(0xFFFE, 0xE0DD, 0))
            return len(header) + size + 8
        header = self.header(tag, vr, size)
        out.append(header)
        out.extend(content)
        return len(header) + size

    def undefined(self, recorded: bool | None) -> bool:
        """Whether a sequence or item is written with undefined length."""
        if self.lengths == "keep":
            return bool(recorded)
        return self.lengths == "undefined"

    def untouched_items(self, element: DataElement, ctx: Context, as_un: bool) -> bytes | None:
        """The original item stream of a sequence whose items were never accessed, when it is
        encoded as this writer would encode it (items cannot have changed unseen)."""
        if element.held_value is not UNDECODED or self.lengths != "keep":
            return None
        lazy = element.source
        if getattr(lazy, "parse_items", None) is None:
            return None
        implicit = getattr(lazy, "implicit_vr")
        little = getattr(lazy, "little_endian")
        if as_un:
            compatible = implicit and little
        else:
            compatible = implicit == (not self.explicit) and little == self.little
        source = element.context
        if not compatible or source is None or source.charset is not ctx.charset:
            return None
        data: bytes = getattr(lazy, "data")
        return data

    def encapsulated(self, element: DataElement, ctx: Context, out: list[Chunk]) -> int:
        """Append encapsulated Pixel Data (items and delimiter) to ``out``; return its size."""
        header = self.header(element.tag_number, element.raw_vr if element.raw_vr and
                             element.source is not None else element.vr, _UNDEFINED)
        chunks: list[Chunk]
        if element.source is not None and element.context is not None and \
                element.context.little_endian == self.little:
            source = element.source
            if isinstance(source, DeferredValue):
                chunks = [source]
            else:
                raw = element.raw
                assert raw is not None
                chunks = [raw]
        else:
            value = element.value
            if isinstance(value, (bytes, bytearray)):
                chunks = [bytes(value)]  # an item stream given as bytes
            elif hasattr(value, "fragments"):
                chunks = [*encode_items(value, little_endian=self.little)]
            else:
                raise ValueEncodingError("encapsulated Pixel Data needs an "
                                         "EncapsulatedPixelData value", tag=element.tag_number)
        out.append(header)
        out.extend(chunks)
        out.append(self.implicit_header.pack(0xFFFE, 0xE0DD, 0))
        return len(header) + sum(chunk_size(c) for c in chunks) + 8


_IMPLICIT_LE_ITEM = struct.Struct("<HHL")


def meta_chunks(meta: DatasetBase, validation: Validation) -> list[Chunk]:
    """The File Meta Information group (explicit VR little endian), its group length
    computed (the original bytes kept when equal)."""
    encoder = DatasetEncoder(EXPLICIT_VR_LITTLE_ENDIAN, validation)
    body: list[Chunk] = []
    meta_without_length = DatasetBase.from_elements(
        {t: e for t, e in meta.ordered().items() if t != 0x00020000}, False, -1)
    size = encoder.dataset(meta_without_length, DEFAULT, 0, body)
    length_element = meta.get_element(0x00020000)
    header = encoder.header(0x00020000, "UL", 4)
    value = struct.pack("<L", size)
    if length_element is not None and length_element.raw == value:
        value = length_element.raw or value
    return [header, value, *body]



def target_syntax(dataset: DatasetBase, requested: TransferSyntax | str | None) -> TransferSyntax:
    """The syntax to write in: the one asked for, else the file meta's, else the one the
    data set was read in, else Explicit VR Little Endian."""
    if requested is not None:
        return transfer_syntax(requested)
    if dataset.file_meta is not None:
        uid = dataset.file_meta.get(0x00020010)
        if isinstance(uid, str) and uid:
            return transfer_syntax(uid)
    if dataset.read_transfer_syntax is not None:
        return dataset.read_transfer_syntax
    return EXPLICIT_VR_LITTLE_ENDIAN
