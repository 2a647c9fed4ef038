"""Pixel data as arrays: read (``pixel_array``, ``frame``, ``iter_frames``), set
(``set_pixel_data``) and re-encode (``encode_pixels``, ``decode_pixels``, ``transcoded``).

Frames are decoded one at a time, so ``frame(ds, 7)`` decodes frame 7 only. Colour comes
back as RGB where the data is YBR_FULL or YBR_FULL_422 (``as_rgb=False`` keeps the stored
samples of native data); palette colour stays indices (see :mod:`authoring.pixels.display`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from authoring.core.vm import members
from authoring.limits import LIMITS
from authoring.pixels.codecs import (
    Encoded,
    EncodeOptions,
    codec_for,
    decoder_for,
    encoder_for,
)
from authoring.pixels.info import (
    DOUBLE_FLOAT_PIXEL_DATA,
    FLOAT_PIXEL_DATA,
    PIXEL_DATA,
    PixelDataError,
    PixelInfo,
    pixel_element,
    pixel_info,
)

if TYPE_CHECKING:
    import numpy.typing as npt

    from authoring.core.transfer_syntax import TransferSyntax
    from authoring.object.dataset import DatasetBase

    Array = npt.NDArray[Any]

TRANSFER_SYNTAX_UID = 0x00020010
#: Above this many bytes of encoded frames the Basic Offset Table cannot address every frame
#: (32-bit offsets): the Extended Offset Table is written instead.
BASIC_OFFSET_LIMIT = 0xFFFFFFFF


def pixel_encoding(dataset: DatasetBase) -> TransferSyntax | None:
    """The transfer syntax the Pixel Data is encoded in as held: the file meta's Transfer
    Syntax UID, else the one it was read in; None for native data."""
    from authoring.core.transfer_syntax import transfer_syntax

    element = dataset.elements.get(PIXEL_DATA)
    if element is None or not element.undefined_length:
        return None
    if dataset.file_meta is not None:
        uid = dataset.file_meta.get(TRANSFER_SYNTAX_UID)
        if isinstance(uid, str) and uid.strip():
            syntax = transfer_syntax(uid.strip())
            if syntax.encapsulated:
                return syntax
    if dataset.read_transfer_syntax is not None and dataset.read_transfer_syntax.encapsulated:
        return dataset.read_transfer_syntax
    raise PixelDataError("Pixel Data is encapsulated but no transfer syntax says how it is "
                         "encoded (set file_meta.TransferSyntaxUID)")


def _rgb(array: Array, photometric: str, info: PixelInfo, as_rgb: bool) -> Array:
    if as_rgb and photometric in ("YBR_FULL", "YBR_FULL_422") and info.samples == 3:
        from authoring.pixels.color import ybr_full_to_rgb

        return ybr_full_to_rgb(array, info.bits_stored)
    return array


def check_decoded_size(size: int, what: str) -> None:
    """Refuse, before allocating, a decoding larger than :mod:`authoring.limits` allows."""
    limit = LIMITS.decoded_limit()
    if size > limit:
        from authoring.limits import human

        raise PixelDataError(f"{what} would take {human(size)}, above the decoding limit of "
                             f"{human(limit)} (authoring.limits.LIMITS.decoded_bytes); "
                             "raise it, or decode frame by frame with iter_frames()")


def _located(exc: PixelDataError, dataset: DatasetBase, tag: int | None,
             offset: int | None = None) -> PixelDataError:
    """``exc`` with the file, the pixel data element and the byte offset filled in."""
    exc.located(path=dataset.filename, tag=tag, offset=offset)
    return exc


def iter_frames(dataset: DatasetBase, *, as_rgb: bool = True,
                indices: range | None = None) -> Iterator[Array]:
    """Each frame in turn (or those of ``indices``), decoded when reached. Errors name the
    file, the pixel data element and, for a compressed frame, the byte offset of its first
    fragment."""
    try:
        info = pixel_info(dataset)
    except PixelDataError as exc:
        raise _located(exc, dataset, None) from None
    try:
        yield from _frames(dataset, info, as_rgb, indices)
    except PixelDataError as exc:
        raise _located(exc, dataset, info.element) from None


def _frames(dataset: DatasetBase, info: PixelInfo, as_rgb: bool, indices: range | None
            ) -> Iterator[Array]:
    """The frames of :func:`iter_frames`, errors not yet located."""
    wanted = indices if indices is not None else range(info.frames)
    if wanted:  # a range's ends, without walking it (Number of Frames may be 2^31 - 1)
        low, high = sorted((wanted[0], wanted[-1]))
        if low < 0 or high >= info.frames:
            raise PixelDataError(f"frame {low if low < 0 else high} does not exist: Number of "
                                 f"Frames is {info.frames}")
    check_decoded_size(info.frame_bytes, "one frame")
    syntax = pixel_encoding(dataset)
    element = dataset.elements[info.element]
    if syntax is None:
        from authoring.pixels.native import decode_native

        data = element.value
        for index in wanted:
            yield _rgb(decode_native(data, info, index), info.photometric, info, as_rgb)
        return
    from authoring.pixels.frames import frame_index

    codec = codec_for(syntax.uid)
    decode = decoder_for(syntax.uid)
    encoded = frame_index(element.value, info.frames, dataset,
                          jpeg=codec.name.startswith("JPEG"))
    photometric = codec.decoded_photometric(info)
    for index in wanted:
        try:
            yield _rgb(decode(encoded[index], info), photometric, info, as_rgb)
        except PixelDataError as exc:
            offset = None
            if element.offset is not None:  # the value starts with the offset table item
                table = len(element.value.offset_table)
                offset = element.offset + 8 + table + table % 2 + encoded.item_offset(index)
            reason = exc.reason if info.frames == 1 else f"frame {index}: {exc.reason}"
            raise PixelDataError(reason, path=exc.path, tag=exc.tag or info.element,
                                 offset=exc.offset if exc.offset is not None else offset
                                 ) from None


def frame(dataset: DatasetBase, index: int, *, as_rgb: bool = True) -> Array:
    """Frame ``index`` (0-based) alone."""
    return next(iter_frames(dataset, as_rgb=as_rgb, indices=range(index, index + 1)))


def pixel_array(dataset: DatasetBase, *, as_rgb: bool = True) -> Array:
    """Every frame: (rows, columns[, samples]) for one frame, else (frames, rows, columns
    [, samples])."""
    import numpy as np

    try:
        info = pixel_info(dataset)
        check_decoded_size(info.frame_bytes * info.frames, f"{info.frames} frame(s)")
        if pixel_encoding(dataset) is None:
            from authoring.pixels.native import decode_native

            element = dataset.elements[info.element]
            return _rgb(decode_native(element.value, info), info.photometric, info, as_rgb)
    except PixelDataError as exc:
        raise _located(exc, dataset, pixel_element(dataset)) from None
    if info.frames == 1:
        return next(iter_frames(dataset, as_rgb=as_rgb))
    stack: Array | None = None
    for index, decoded in enumerate(iter_frames(dataset, as_rgb=as_rgb)):
        if stack is None:
            stack = np.empty((info.frames, *decoded.shape), dtype=decoded.dtype)
        stack[index] = decoded
    assert stack is not None
    return stack


def _set_transfer_syntax(dataset: DatasetBase, uid: str) -> None:
    from authoring.object.dataset import Dataset

    if dataset.file_meta is None:
        object.__setattr__(dataset, "file_meta", Dataset())
    assert dataset.file_meta is not None
    dataset.file_meta.set_value(TRANSFER_SYNTAX_UID, uid, "UI")


def set_pixel_data(dataset: DatasetBase, array: Array, *, photometric: str | None = None,
                   transfer_syntax: str | TransferSyntax | None = None,
                   bits_stored: int | None = None, multi_frame: bool | None = None,
                   options: EncodeOptions | None = None) -> None:
    """Set Pixel Data from ``array`` and every Image Pixel attribute consistently (Rows,
    Columns, Samples per Pixel, Photometric Interpretation, Bits Allocated/Stored, High Bit,
    Pixel Representation, Planar Configuration, Number of Frames); encoded in
    ``transfer_syntax`` when that is a compressed one (the compression attributes set when
    the encoding is lossy)."""
    from authoring.core.transfer_syntax import transfer_syntax as resolve
    from authoring.pixels.native import pixel_attributes

    values = pixel_attributes(array, photometric=photometric, bits_stored=bits_stored,
                              multi_frame=multi_frame)
    for tag in (PIXEL_DATA, FLOAT_PIXEL_DATA, DOUBLE_FLOAT_PIXEL_DATA, 0x7FE00001, 0x7FE00002):
        dataset.elements.pop(tag, None)
    if "NumberOfFrames" not in values:
        dataset.elements.pop(0x00280008, None)
    if "PlanarConfiguration" not in values:
        dataset.elements.pop(0x00280006, None)
    for keyword, value in values.items():
        dataset.set_value(keyword, value)
    if transfer_syntax is None:
        return
    syntax = resolve(transfer_syntax)
    if syntax.encapsulated:
        encode_pixels(dataset, syntax, options)
    _set_transfer_syntax(dataset, syntax.uid)


def encode_pixels(dataset: DatasetBase, syntax: TransferSyntax,
                  options: EncodeOptions | None = None) -> None:
    """Encode the data set's native Pixel Data in ``syntax`` (in place), frame by frame,
    with an offset table; the attributes the encoding changes are updated."""
    from authoring.encoding.encapsulated import EncapsulatedPixelData
    from authoring.object.element import DataElement
    from authoring.pixels.native import decode_native

    info = pixel_info(dataset)
    if info.element != PIXEL_DATA:
        raise PixelDataError("float pixel data has no compressed transfer syntax")
    work = info
    if info.photometric == "YBR_FULL_422":
        work = info.with_photometric("YBR_FULL")  # native 4:2:2 is upsampled when read
    codec, encode = encoder_for(syntax.uid, work)
    options = options or EncodeOptions()
    element = dataset.elements[PIXEL_DATA]
    data = element.value
    native_size = info.native_bytes

    def source(index: int) -> Array:
        values = decode_native(data, info, index)
        if codec.name == "JPEG Baseline" and work.photometric == "YBR_FULL":
            from authoring.pixels.color import ybr_full_to_rgb

            return ybr_full_to_rgb(values, info.bits_stored)  # the encoder takes RGB
        return values

    def encode_all(previous: float | None) -> list[Encoded]:
        frames: list[Encoded] = []
        for index in range(info.frames):  # each frame's search starts at the last's setting
            frames.append(encode(source(index), work, options, previous))
            previous = frames[-1].setting
        return frames

    encoded = encode_all(None)
    if len({e.photometric for e in encoded}) > 1:
        # a later frame needed what an earlier one did not (JPEG colour without
        # subsampling): one Photometric Interpretation for all, from the last frame's mode
        encoded = encode_all(encoded[-1].setting)
    frames = [e.data for e in encoded]
    total = sum(len(f) + len(f) % 2 + 8 for f in frames)
    use_extended = total > BASIC_OFFSET_LIMIT
    value = EncapsulatedPixelData.from_frames(frames, offset_table=not use_extended)
    dataset.elements.pop(0x7FE00001, None)
    dataset.elements.pop(0x7FE00002, None)
    if use_extended:
        offsets: list[int] = []
        position = 0
        for fragment in value.fragments:
            offsets.append(position)
            position += 8 + len(fragment)
        dataset.set_value(0x7FE00001, struct.pack(f"<{len(offsets)}Q", *offsets), "OV")
        dataset.set_value(0x7FE00002, struct.pack(f"<{len(frames)}Q",
                                                  *(len(f) for f in frames)), "OV")
    dataset.add(DataElement(PIXEL_DATA, "OB", value, undefined_length=True))
    photometric = encoded[0].photometric if encoded else info.photometric
    if photometric != info.photometric:
        dataset.set_value(0x00280004, photometric)
    if info.samples > 1:
        dataset.set_value(0x00280006, 1 if codec.name == "RLE Lossless" else 0)
    if codec.lossy:
        compressed = sum(len(f) for f in frames) or 1
        dataset.set_value(0x00282110, "01")
        ratio = f"{native_size / compressed:.2f}"
        previous = dataset.get(0x00282112)
        previous_methods = dataset.get(0x00282114)
        ratios = (*(members(previous) if previous else ()), ratio)
        methods = (*(members(previous_methods) if previous_methods else ()),
                   codec.method or "")
        dataset.set_value(0x00282112, ratios)
        dataset.set_value(0x00282114, methods)
    _set_transfer_syntax(dataset, syntax.uid)


def decode_pixels(dataset: DatasetBase) -> None:
    """Replace encapsulated Pixel Data by native data (in place), the attributes updated:
    colour comes back as it decodes (RGB for JPEG YBR and JPEG 2000 YBR_ICT/YBR_RCT)."""
    from authoring.pixels.native import pixel_attributes

    syntax = pixel_encoding(dataset)
    if syntax is None:
        return
    info = pixel_info(dataset)
    codec = codec_for(syntax.uid)
    array = pixel_array(dataset, as_rgb=False)
    photometric = codec.decoded_photometric(info)
    values = pixel_attributes(array, photometric=photometric, bits_stored=info.bits_stored,
                              multi_frame=info.frames > 1 or 0x00280008 in dataset.elements)
    dataset.elements.pop(PIXEL_DATA, None)
    dataset.elements.pop(0x7FE00001, None)
    dataset.elements.pop(0x7FE00002, None)
    for keyword, value in values.items():
        if keyword == "PixelData":
            dataset.set_value(PIXEL_DATA, value, "OB" if info.bits_allocated <= 8 else "OW")
        else:
            dataset.set_value(keyword, value)


def transcoded(dataset: DatasetBase, syntax: TransferSyntax,
               options: EncodeOptions | None = None) -> DatasetBase:
    """A copy of ``dataset`` whose Pixel Data is encoded for ``syntax`` (decoded first when
    it is encapsulated in another syntax); the data set itself is left as it is."""
    current = pixel_encoding(dataset)
    if PIXEL_DATA not in dataset.elements:
        return dataset
    if current is not None and current.uid == syntax.uid:
        return dataset
    if current is None and not syntax.encapsulated:
        return dataset
    copy = dataset.copy()
    if copy.file_meta is not None:
        object.__setattr__(copy, "file_meta", copy.file_meta.copy())
    if current is not None:
        decode_pixels(copy)
    if syntax.encapsulated:
        encode_pixels(copy, syntax, options)
    elif copy.file_meta is not None:
        _set_transfer_syntax(copy, syntax.uid)
    return copy
