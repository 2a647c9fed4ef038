"""Write DICOM: a data set as a Part 10 file (or bytes, or a stream) in a transfer syntax.

The encoding itself is :mod:`authoring.io.encoder`'s (values reused where their bytes still
hold, checked where encoded: ``validation``); this module adds what a file needs: pixel
data transcoded for the syntax asked for, the File Meta Information built or checked
(:mod:`authoring.io.file_meta`), the preamble, deflate, and putting the bytes on disk
through :mod:`authoring.io.output` (atomic replacement; links, devices and permissions
handled; nothing left behind on error).
"""

from __future__ import annotations

import hashlib
import os
import zlib
from typing import IO, TYPE_CHECKING, Any, Literal

from authoring.core.charset import DEFAULT
from authoring.core.tag import PIXEL_DATA
from authoring.core.transfer_syntax import (
    EXPLICIT_VR_LITTLE_ENDIAN,
    TransferSyntax,
    transfer_syntax,
)
from authoring.errors import AuthoringError, InvalidValueError, LocatedError, WriteError
from authoring.io.deferred import DeferredValue
from authoring.io.encoder import (
    Chunk,
    DatasetEncoder,
    Lengths,
    Validation,
    ValueRuleWarning,
    chunk_bytes,
    chunk_size,
    meta_chunks,
    target_syntax,
)
from authoring.io.file_meta import build_file_meta
from authoring.object.dataset import DatasetBase

if TYPE_CHECKING:
    from authoring.pixels.lossy import EncodeOptions

FileMetaMode = Literal["build", "as-is"]

__all__ = ["Chunk", "FileMetaMode", "Lengths", "Validation", "ValueRuleWarning", "chunk_bytes",
           "chunk_size", "encode_dataset", "file_chunks", "pixels_for", "to_bytes",
           "wants_part10", "write", "write_chunks_to_path"]


def encode_dataset(dataset: DatasetBase, syntax: TransferSyntax | str = EXPLICIT_VR_LITTLE_ENDIAN,
                   *, validation: Validation = "raise", lengths: Lengths = "keep",
                   encode_options: EncodeOptions | None = None) -> list[Chunk]:
    """The encoded data set alone (no preamble, no meta) as chunks, deflated if the syntax
    says so; pixels transcoded with ``encode_options`` where the syntax needs it."""
    syntax = transfer_syntax(syntax)
    dataset = pixels_for(dataset, syntax, encode_options)
    encoder = DatasetEncoder(syntax, validation, lengths)
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
    pixel = dataset.elements.get(PIXEL_DATA)
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
        raise InvalidValueError(f"validation must be 'raise', 'warn' or 'ignore', not "
                                f"{validation!r}")
    if lengths not in ("keep", "defined", "undefined"):
        raise InvalidValueError(f"lengths must be 'keep', 'defined' or 'undefined', not "
                                f"{lengths!r}")
    syntax = target_syntax(dataset, transfer_syntax)
    as_part10 = part10 if part10 is not None else wants_part10(dataset, syntax)
    body = encode_dataset(dataset, syntax, validation=validation, lengths=lengths,
                          encode_options=encode_options)
    if not as_part10:
        return body
    if file_meta == "as-is":
        held = dataset.file_meta if dataset.file_meta is not None else DatasetBase()
        meta = DatasetBase.from_elements(
            {t: e for t, e in held.ordered().items() if t >> 16 == 0x0002}, False, -1)
    else:
        meta = build_file_meta(dataset, syntax, require_uids=validation == "raise")
    preamble = dataset.preamble if dataset.preamble is not None else b"\x00" * 128
    if len(preamble) != 128:
        raise WriteError(f"the preamble must be 128 bytes, not {len(preamble)}")
    return [preamble, b"DICM", *meta_chunks(meta, validation), *body]


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
