"""Write DICOM: encode a data set in a transfer syntax, as a Part 10 file, atomically.

The writer encodes each element from its value, except an element that still holds the
bytes it was read with in a compatible context (same byte order for binary data, same
character set for text): those bytes are written as found. Sequences are always encoded from
their items, keeping each sequence's and item's defined or undefined length. Group length
elements present in the data set get their value computed.

Values that are encoded are checked first (``validation``): length per VR, allowed
characters, formats, ranges, VM against the dictionary, and whether text fits the declared
character set. ``"raise"`` (the default) refuses the write with a
:class:`~authoring.errors.ValueRuleError` naming the tag and the rule; ``"warn"`` writes and
warns; ``"ignore"`` writes silently.

Writing to a path goes through a temporary file beside the target, renamed over it only
once complete; on any error the target is untouched and no temporary file is left.
"""

from __future__ import annotations

import hashlib
import os
import struct
import warnings
import zlib
from typing import IO, TYPE_CHECKING, Any, Literal

from authoring.core.charset import DEFAULT, CharacterSet, character_set
from authoring.core.tag import PIXEL_DATA, SPECIFIC_CHARACTER_SET, Tag
from authoring.core.vr import CHARSET_VRS, LONG_LENGTH_VRS, SWAPPED_BYTES_VRS, VR_INFO, Kind
from authoring.dictionary.elements import vm_for_tag
from authoring.encoding.context import Context, pixel_word_for
from authoring.encoding.decode import swap_bytes
from authoring.encoding.encapsulated import encode_items
from authoring.encoding.encode import encode_value
from authoring.errors import (
    AuthoringError,
    CharacterSetError,
    InvalidValueError,
    LocatedError,
    ValueEncodingError,
    ValueRuleError,
    WriteError,
)
from authoring.io.deferred import DeferredValue
from authoring.io.file_meta import build_file_meta
from authoring.core.transfer_syntax import (
    EXPLICIT_VR_LITTLE_ENDIAN,
    TransferSyntax,
    transfer_syntax,
)
from authoring.object.dataset import DatasetBase
from authoring.object.element import UNDECODED, DataElement
from authoring.validation.value_rules import check_value

if TYPE_CHECKING:
    from authoring.pixels.lossy import EncodeOptions

Validation = Literal["raise", "warn", "ignore"]
Lengths = Literal["keep", "defined", "undefined"]
FileMetaMode = Literal["build", "as-is"]

#: A piece of the output: bytes, or a value still in its source file (copied when written).
Chunk = bytes | DeferredValue


def chunk_size(chunk: Chunk) -> int:
    """Length of a chunk without loading it."""
    return chunk.length if isinstance(chunk, DeferredValue) else len(chunk)


def chunk_bytes(chunk: Chunk) -> bytes:
    """The bytes of a chunk (loading a deferred one)."""
    return chunk.load() if isinstance(chunk, DeferredValue) else chunk

_UNDEFINED = 0xFFFFFFFF
_BITS_ALLOCATED = 0x00280100
_MAX_SHORT_LENGTH = 0xFFFF


class ValueRuleWarning(UserWarning):
    """A value broke a rule of its VR and was written anyway (``validation="warn"``)."""


class _Encoder:
    """Encodes data sets into a list of byte chunks for one transfer syntax."""

    def __init__(self, syntax: TransferSyntax, validation: Validation,
                 lengths: Lengths = "keep") -> None:
        self.lengths = lengths
        self.explicit = syntax.explicit_vr
        self.little = syntax.little_endian
        self.validation = validation
        order = "<" if self.little else ">"
        self.tag_struct = struct.Struct(order + "HH")
        self.short_header = struct.Struct(order + "HH2sH")
        self.long_header = struct.Struct(order + "HH2s2xL")
        self.implicit_header = struct.Struct(order + "HHL")
        self.contexts: dict[int, Context] = {}

    def context(self, charset: CharacterSet) -> Context:
        ctx = self.contexts.get(id(charset))
        if ctx is None:
            ctx = Context(self.little, charset)
            self.contexts[id(charset)] = ctx
        return ctx

    # -- headers ---------------------------------------------------------------------------

    def header(self, tag: int, vr: str, length: int) -> bytes:
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
        own = dataset._elements.get(SPECIFIC_CHARACTER_SET)
        if own is not None:
            charset = self.charset_of(own)
        ctx = self.context(charset)
        bits = dataset._elements.get(_BITS_ALLOCATED)
        if bits is not None and not self.little:
            ctx = ctx.with_pixel_word(pixel_word_for(bits.value))
        total = 0
        groups_with_length: set[int] = set()
        encoded: list[tuple[int, list[Chunk], int]] = []
        for tag, element in dataset._ordered().items():
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
                    encoded[index] = self.group_length(dataset._elements[tag], ctx,
                                                       sizes[tag >> 16])
        for _, chunks, size in encoded:
            out.extend(chunks)
            total += size
        return total

    def charset_of(self, element: DataElement) -> CharacterSet:
        value = element.value
        try:
            return character_set(value if value else None)
        except CharacterSetError as exc:
            if self.validation == "raise":
                raise exc.located(tag=element._tag) from None
            return character_set("ISO_IR 100")

    def group_length(self, element: DataElement, ctx: Context, size: int
                     ) -> tuple[int, list[Chunk], int]:
        tag = element._tag
        value = struct.pack("<L" if self.little else ">L", size)
        header = self.header(tag, "UL", 4)
        return tag, [header, value], len(header) + 4

    def element(self, element: DataElement, ctx: Context, depth: int, out: list[Chunk]) -> int:
        """Append one element (header and value) to ``out``; return its encoded size."""
        vr = element.vr
        tag = element._tag
        if vr == "SQ" or (vr == "UN" and (isinstance(element._value, list) or
                                          hasattr(element._raw, "parse_items"))):
            # a UN holding items (undefined length), accessed or not, is written as one
            return self.sequence(element, ctx, depth, out)
        if element.undefined_length and tag == PIXEL_DATA:
            return self.encapsulated(element, ctx, out)
        value = self.value_bytes(element, ctx)
        header_vr = element.raw_vr if element.raw_vr is not None and element._raw is not None \
            else vr
        length = chunk_size(value)
        header = self.header(tag, header_vr, length)
        out.append(header)
        if length:
            out.append(value)
        return len(header) + length

    def reusable(self, element: DataElement, ctx: Context) -> bool:
        """True when the element's original bytes are right for this context as they are."""
        source = element._ctx
        if element._raw is None or source is None:
            return False
        vr = element.vr
        info = VR_INFO.get(vr)
        if source.little_endian != ctx.little_endian and info is not None and (
                info.kind in (Kind.BINARY_NUMBER, Kind.TAG) or vr in SWAPPED_BYTES_VRS):
            return False
        if vr in CHARSET_VRS and source.charset is not ctx.charset:
            return False
        if element._tag == PIXEL_DATA and vr == "OW" and not ctx.little_endian and \
                source.pixel_word != ctx.pixel_word:
            return False
        return True

    def value_bytes(self, element: DataElement, ctx: Context) -> Chunk:
        if self.reusable(element, ctx):
            source = element._raw
            if isinstance(source, DeferredValue) and source.length % 2 == 0:
                return source
            raw = element.raw
            assert raw is not None
            if len(raw) % 2 == 0 or element.vr not in VR_INFO:
                return raw
            if element._value is UNDECODED:
                element.value  # decode before padding, the value must be kept
        value = element.value
        vr = element.vr
        strict = self.validation != "ignore"
        if element._raw is None and self.validation != "ignore":
            self.check(element, value, ctx)
        if element._tag == PIXEL_DATA and vr == "OW" and not ctx.little_endian and \
                ctx.pixel_word != 2:
            data = encode_value("OB", value, ctx)  # little-endian bytes, padded
            return swap_bytes(data, ctx.pixel_word)
        try:
            return encode_value(vr, value, ctx, strict=strict)
        except CharacterSetError as exc:
            raise exc.located(tag=element._tag) from None
        except ValueEncodingError as exc:
            raise exc.located(tag=element._tag) from None

    def check(self, element: DataElement, value: Any, ctx: Context) -> None:
        tag = element._tag
        vm = vm_for_tag(tag) if not tag >> 16 & 1 else ""  # private: no dictionary VM
        problems = check_value(element.vr, value, vm=vm or None, charset=ctx.charset)
        for problem in problems:
            if self.validation == "raise":
                raise ValueRuleError(problem.message, rule=problem.rule, tag=tag)
            warnings.warn(f"{Tag(tag)} {element.vr}: {problem.message} [{problem.rule}]",
                          ValueRuleWarning, stacklevel=4)

    def sequence(self, element: DataElement, ctx: Context, depth: int, out: list[Chunk]
                 ) -> int:
        tag = element._tag
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
        inner = self if not as_un or (not self.explicit and self.little) else _Encoder(
            _IMPLICIT_LE, self.validation, self.lengths)
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
        if element._value is not UNDECODED or self.lengths != "keep":
            return None
        lazy = element._raw
        if getattr(lazy, "parse_items", None) is None:
            return None
        implicit = getattr(lazy, "implicit_vr")
        little = getattr(lazy, "little_endian")
        if as_un:
            compatible = implicit and little
        else:
            compatible = implicit == (not self.explicit) and little == self.little
        source = element._ctx
        if not compatible or source is None or source.charset is not ctx.charset:
            return None
        data: bytes = getattr(lazy, "data")
        return data

    def encapsulated(self, element: DataElement, ctx: Context, out: list[Chunk]) -> int:
        header = self.header(element._tag, element.raw_vr if element.raw_vr and
                             element._raw is not None else element.vr, _UNDEFINED)
        chunks: list[Chunk]
        if element._raw is not None and element._ctx is not None and \
                element._ctx.little_endian == self.little:
            source = element._raw
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
                                         "EncapsulatedPixelData value", tag=element._tag)
        out.append(header)
        out.extend(chunks)
        out.append(self.implicit_header.pack(0xFFFE, 0xE0DD, 0))
        return len(header) + sum(chunk_size(c) for c in chunks) + 8


from authoring.core.transfer_syntax import IMPLICIT_VR_LITTLE_ENDIAN as _IMPLICIT_LE  # noqa: E402

_IMPLICIT_LE_ITEM = struct.Struct("<HHL")


def _meta_chunks(meta: DatasetBase, validation: Validation) -> list[Chunk]:
    encoder = _Encoder(EXPLICIT_VR_LITTLE_ENDIAN, validation)
    body: list[Chunk] = []
    meta_without_length = DatasetBase._from_elements(
        {t: e for t, e in meta._ordered().items() if t != 0x00020000}, False, -1)
    size = encoder.dataset(meta_without_length, DEFAULT, 0, body)
    length_element = meta.get_element(0x00020000)
    header = encoder.header(0x00020000, "UL", 4)
    value = struct.pack("<L", size)
    if length_element is not None and length_element.raw == value:
        value = length_element.raw
    return [header, value, *body]


def encode_dataset(dataset: DatasetBase, syntax: TransferSyntax | str = EXPLICIT_VR_LITTLE_ENDIAN,
                   *, validation: Validation = "raise", lengths: Lengths = "keep",
                   encode_options: EncodeOptions | None = None) -> list[Chunk]:
    """The encoded data set alone (no preamble, no meta) as chunks, deflated if the syntax
    says so; pixels transcoded with ``encode_options`` where the syntax needs it."""
    syntax = transfer_syntax(syntax)
    dataset = pixels_for(dataset, syntax, encode_options)
    encoder = _Encoder(syntax, validation, lengths)
    chunks: list[Chunk] = []
    encoder.dataset(dataset, DEFAULT, 0, chunks)
    if syntax.deflated:
        plain = b"".join(chunk_bytes(chunk) for chunk in chunks)
        source = dataset.deflated_source
        if source is not None and hashlib.sha256(plain).digest() == source[0]:
            return [source[1]]  # unchanged since read: the original stream, byte for byte
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS)
        chunks = [compressor.compress(plain) + compressor.flush()]
    return chunks


def pixels_for(dataset: DatasetBase, syntax: TransferSyntax,
               encode_options: EncodeOptions | None = None) -> DatasetBase:
    """``dataset``, or a copy of it whose Pixel Data is re-encoded for ``syntax`` when the
    pixels are held in another encoding (the codecs of :mod:`authoring.pixels`; lossy ones
    as ``encode_options`` say)."""
    pixel = dataset._elements.get(PIXEL_DATA)
    if pixel is None or (not pixel.undefined_length and not syntax.encapsulated):
        return dataset
    from authoring.pixels.api import pixel_encoding, transcoded

    try:
        current = pixel_encoding(dataset)
        if current is not None and current.uid == syntax.uid:
            return dataset
        return transcoded(dataset, syntax, encode_options)
    except AuthoringError as exc:
        reason = exc.reason if isinstance(exc, LocatedError) else str(exc)
        raise WriteError(f"Pixel Data cannot be written as {syntax.name}: {reason}",
                         tag=PIXEL_DATA) from None


def _target_syntax(dataset: DatasetBase, requested: TransferSyntax | str | None) -> TransferSyntax:
    if requested is not None:
        return transfer_syntax(requested)
    if dataset.file_meta is not None:
        uid = dataset.file_meta.get(0x00020010)
        if isinstance(uid, str) and uid:
            return transfer_syntax(uid)
    if dataset.read_transfer_syntax is not None:
        return dataset.read_transfer_syntax
    return EXPLICIT_VR_LITTLE_ENDIAN


def wants_part10(dataset: DatasetBase, syntax: TransferSyntax) -> bool:
    """Part 10 (preamble and file meta) unless the data set was read from a file without
    them and goes back in the syntax it was read in: a file converted to another syntax
    needs the meta that says which one (a reader assumes Implicit VR Little Endian)."""
    if dataset.is_part10 is not False:
        return True
    read_in = dataset.read_transfer_syntax
    return read_in is None or read_in.uid != syntax.uid


def file_chunks(dataset: DatasetBase, *, transfer_syntax: TransferSyntax | str | None = None,
                validation: Validation = "raise", part10: bool | None = None,
                lengths: Lengths = "keep", file_meta: FileMetaMode = "build",
                encode_options: EncodeOptions | None = None) -> list[Chunk]:
    """Every chunk of the file ``write`` would produce."""
    if file_meta not in ("build", "as-is"):
        raise InvalidValueError(f"file_meta must be 'build' or 'as-is', not {file_meta!r}")
    if validation not in ("raise", "warn", "ignore"):
        raise InvalidValueError(f"validation must be 'raise', 'warn' or 'ignore', not {validation!r}")
    if lengths not in ("keep", "defined", "undefined"):
        raise InvalidValueError(f"lengths must be 'keep', 'defined' or 'undefined', not {lengths!r}")
    syntax = _target_syntax(dataset, transfer_syntax)
    as_part10 = part10 if part10 is not None else wants_part10(dataset, syntax)
    body = encode_dataset(dataset, syntax, validation=validation, lengths=lengths,
                          encode_options=encode_options)
    if not as_part10:
        return body
    if file_meta == "as-is":
        held = dataset.file_meta if dataset.file_meta is not None else DatasetBase()
        meta = DatasetBase._from_elements(
            {t: e for t, e in held._ordered().items() if t >> 16 == 0x0002}, False, -1)
    else:
        meta = build_file_meta(dataset, syntax, require_uids=validation == "raise")
    preamble = dataset.preamble if dataset.preamble is not None else b"\x00" * 128
    if len(preamble) != 128:
        raise WriteError(f"the preamble must be 128 bytes, not {len(preamble)}")
    return [preamble, b"DICM", *_meta_chunks(meta, validation), *body]


def to_bytes(dataset: DatasetBase, **options: Any) -> bytes:
    """The file ``write`` would produce, as bytes."""
    return b"".join(chunk_bytes(c) for c in file_chunks(dataset, **options))


def _write_chunks(stream: Any, chunks: list[Chunk]) -> None:
    """Write chunks to a binary stream, copying deferred values in blocks."""
    for chunk in chunks:
        if isinstance(chunk, DeferredValue):
            for block in chunk.iter_blocks():
                stream.write(block)
        else:
            stream.write(chunk)


#: Gather at most this many buffers per ``writev`` call (below every platform's IOV_MAX).
_GATHER = 512


def _write_to_descriptor(descriptor: int, chunks: list[Chunk]) -> None:
    """Write chunks to a file descriptor with gathered writes (no copy of the chunks into
    one buffer, one system call per batch), copying deferred values in blocks."""
    pending: list[bytes | memoryview] = []

    def flush() -> None:
        while pending:
            batch = pending[:_GATHER]
            written = os.writev(descriptor, batch)
            # a short write (rare on regular files): drop what went out, keep the rest
            for index, buffer in enumerate(batch):
                if written >= len(buffer):
                    written -= len(buffer)
                    continue
                pending[:index + 1] = [memoryview(buffer)[written:]]
                break
            else:
                del pending[:len(batch)]

    for chunk in chunks:
        if isinstance(chunk, DeferredValue):
            flush()
            for block in chunk.iter_blocks():
                pending.append(block)
                flush()
        elif chunk:
            pending.append(chunk)
    flush()


def write_chunks_to_path(path: str, chunks: list[Chunk], *, durable: bool = True,
                         overwrite: bool = True) -> None:
    """Put ``chunks`` on disk at ``path`` safely (see :mod:`authoring.io.output`: atomic
    replacement, links followed, devices written as streams, no special bits kept)."""
    from authoring.io.output import write_file

    def write(descriptor: int) -> None:
        if hasattr(os, "writev"):
            _write_to_descriptor(descriptor, chunks)
        else:  # Windows
            with os.fdopen(os.dup(descriptor), "wb") as stream:
                _write_chunks(stream, chunks)

    write_file(path, write, durable=durable, overwrite=overwrite)


def write(
    dataset: DatasetBase,
    target: str | os.PathLike[str] | IO[bytes],
    *,
    transfer_syntax: TransferSyntax | str | None = None,
    validation: Validation = "raise",
    part10: bool | None = None,
    lengths: Lengths = "keep",
    file_meta: FileMetaMode = "build",
    durable: bool = True,
    overwrite: bool = True,
    encode_options: EncodeOptions | None = None,
) -> None:
    """Write ``dataset`` to a path or binary stream.

    ``transfer_syntax`` (UID, keyword or alias such as ``"big"``) defaults to the one in
    ``dataset.file_meta``, else the one it was read in, else Explicit VR Little Endian.
    ``part10`` writes preamble and File Meta Information (the default, except for a data set
    read from a file that had neither, which is written back the same way when it keeps
    its transfer syntax; converted to another, it gets the meta that names it). ``lengths``
    keeps each sequence's and item's defined or undefined length as read (``"keep"``; new
    ones are defined) or writes them all ``"defined"`` or ``"undefined"``. ``file_meta``
    ``"build"`` builds or checks the File Meta Information (see
    :mod:`authoring.io.file_meta`); ``"as-is"`` writes ``dataset.file_meta`` as it holds it,
    only its group length recomputed (codify scripts use it to rebuild a file exactly).
    ``durable`` flushes the file to disk (fsync) before it replaces the target; without it
    the replacement is still atomic for other processes, not across a power cut (bulk
    synthetic output uses that). ``overwrite=False`` refuses to replace an existing file
    (:class:`~authoring.errors.WriteError`), even one another process creates meanwhile.
    ``encode_options`` (:class:`~authoring.pixels.EncodeOptions`) set the lossy encoders
    when pixels are transcoded: the PSNR target of JPEG Baseline and JPEG 2000, JPEG-LS's
    NEAR.

    The whole file is encoded before anything is written; a path is replaced atomically.
    """
    path = os.fspath(target) if isinstance(target, (str, os.PathLike)) else None
    try:
        chunks = file_chunks(dataset, transfer_syntax=transfer_syntax, validation=validation,
                             part10=part10, lengths=lengths, file_meta=file_meta,
                             encode_options=encode_options)
    except LocatedError as exc:
        if path is not None:
            exc.located(path=path)
        raise
    except AuthoringError:
        raise
    if path is not None:
        write_chunks_to_path(path, chunks, durable=durable, overwrite=overwrite)
        return
    try:
        _write_chunks(target, chunks)
    except OSError as exc:
        name = getattr(target, "name", None)
        raise WriteError(f"cannot write: {exc.strerror or exc}",
                         path=name if isinstance(name, str) else None) from None
