"""Writing many data sets made from one template (the instances of a series): the template's
top-level elements are encoded once, and each data set re-encodes only the elements it does
not share with the template. The bytes are those :func:`authoring.io.writer.write` produces
(with ``validation="ignore"``); whatever this shortcut cannot prove the same (a deflated or
encapsulated syntax, group lengths, another character set or pixel layout) goes through the
writer itself.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from authoring.core.charset import DEFAULT
from authoring.core.tag import PIXEL_DATA, SPECIFIC_CHARACTER_SET
from authoring.encoding.context import pixel_word_for
from authoring.errors import LocatedError, WriteError
from authoring.io.encoder import (
    BITS_ALLOCATED,
    Chunk,
    DatasetEncoder,
    meta_chunks,
    target_syntax,
)
from authoring.io.file_meta import build_file_meta
from authoring.io.writer import file_chunks, wants_part10, write_chunks_to_path

if TYPE_CHECKING:
    from authoring.core.transfer_syntax import TransferSyntax
    from authoring.object.dataset import DatasetBase
    from authoring.object.element import DataElement
    from authoring.pixels.lossy import EncodeOptions


def _same(ours: DataElement, template: DataElement) -> bool:
    """True when ``ours`` encodes as ``template`` does: a copy left untouched (the same
    bytes and value objects). A decoded sequence is never taken as the same: its items are
    shared with the template and may have been changed in place."""
    if ours.vr != template.vr or ours.source is not template.source or \
            ours.held_value is not template.held_value or ours.context is not template.context:
        return False
    if isinstance(ours.held_value, list):
        return False
    return ours.raw_vr == template.raw_vr and ours.undefined_length == template.undefined_length


class TemplateWriter:
    """Encodes and writes data sets that are copies of ``template`` with a few elements
    replaced, in ``transfer_syntax`` (default: the template's)."""

    def __init__(self, template: DatasetBase,
                 transfer_syntax: TransferSyntax | str | None = None,
                 encode_options: EncodeOptions | None = None) -> None:
        self.template = template
        self.encode_options = encode_options
        self.syntax = target_syntax(template, transfer_syntax)
        self.encoder = DatasetEncoder(self.syntax, "ignore")
        elements = template.elements
        self.usable = (not self.syntax.deflated and not self.syntax.encapsulated
                       and not any(tag & 0xFFFF == 0 and tag >> 16 != 0x0002
                                   for tag in elements)
                       and not (PIXEL_DATA in elements and elements[PIXEL_DATA].undefined_length))
        self.encoded: dict[int, tuple[DataElement, list[Chunk]]] = {}
        if not self.usable:
            return
        own = elements.get(SPECIFIC_CHARACTER_SET)
        charset = self.encoder.charset_of(own) if own is not None else DEFAULT
        self.context = self.encoder.context(charset)
        bits = elements.get(BITS_ALLOCATED)
        if bits is not None and not self.syntax.little_endian:
            self.context = self.context.with_pixel_word(pixel_word_for(bits.value))
        for tag, element in template.ordered().items():
            if isinstance(element.held_value, list):
                continue  # decoded sequences are encoded each time (see _same)
            chunks: list[Chunk] = []
            self.encoder.element(element, self.context, 0, chunks)
            self.encoded[tag] = (element, chunks)

    def _shortcut_applies(self, dataset: DatasetBase) -> bool:
        elements = dataset.elements
        for tag in (SPECIFIC_CHARACTER_SET, BITS_ALLOCATED):
            ours, theirs = elements.get(tag), self.template.elements.get(tag)
            if (ours is None) != (theirs is None) or (
                    ours is not None and theirs is not None and not _same(ours, theirs)):
                return False
        pixel = elements.get(PIXEL_DATA)
        return pixel is None or not pixel.undefined_length

    def chunks(self, dataset: DatasetBase) -> list[Chunk]:
        """Every chunk of the file :func:`~authoring.io.writer.write` would produce for
        ``dataset`` (``validation="ignore"``)."""
        if not self.usable or not self._shortcut_applies(dataset):
            return file_chunks(dataset, transfer_syntax=self.syntax, validation="ignore",
                               encode_options=self.encode_options)
        body: list[Chunk] = []
        for tag, element in dataset.ordered().items():
            if tag & 0xFFFF == 0 and tag >> 16 != 0x0002:
                return file_chunks(dataset, transfer_syntax=self.syntax,
                                   validation="ignore", encode_options=self.encode_options)
            cached = self.encoded.get(tag)
            if cached is not None and (cached[0] is element or _same(element, cached[0])):
                body.extend(cached[1])
            else:
                try:
                    self.encoder.element(element, self.context, 0, body)
                except LocatedError as exc:
                    raise exc.located(tag=tag) from None
        if not wants_part10(dataset, self.syntax):
            return body
        meta = build_file_meta(dataset, self.syntax, require_uids=False)
        preamble = dataset.preamble if dataset.preamble is not None else b"\x00" * 128
        if len(preamble) != 128:
            raise WriteError(f"the preamble must be 128 bytes, not {len(preamble)}")
        return [preamble, b"DICM", *meta_chunks(meta, "ignore"), *body]

    def write(self, dataset: DatasetBase, path: str | os.PathLike[str], *,
              durable: bool = True, overwrite: bool = True) -> None:
        """Write ``dataset`` to ``path`` safely (:mod:`authoring.io.output`)."""
        write_chunks_to_path(os.fspath(path), self.chunks(dataset), durable=durable,
                             overwrite=overwrite)
