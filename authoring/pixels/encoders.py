"""Encode one frame for a compressed transfer syntax, and say beforehand which pixels each
encoder cannot hold (PS3.5 8.2's tables of valid Image Pixel attributes per syntax, and
this package's backends' own limits).

Every lossy encoder checks its own output (:mod:`authoring.pixels.lossy`); lossless ones
are exact by construction and proven so by the conformance matrix in the tests, which
decodes every encoding with dcmtk, GDCM and pydicom too.

Backends: RLE is built in; JPEG (Baseline and Lossless SV1) is libjpeg-turbo and JPEG 2000
OpenJPEG, through imagecodecs; JPEG-LS is CharLS through pyjpegls, the binding that passes
Bits Stored to CharLS (imagecodecs' sets the codestream precision from the array type, 16
for 12-bit data, so near-lossless values could leave the Bits Stored range); HTJ2K is
OpenJPH through imagecodecs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authoring.pixels import rle
from authoring.pixels.color import ybr_full_to_rgb
from authoring.pixels.decoders import (
    MissingCodecError,
    backend,
    fit,
    sign_extend,
    unsigned_view,
)
from authoring.pixels.info import PixelDataError, PixelInfo
from authoring.pixels.lossy import (
    EncodeOptions,
    check_signed_near,
    max_error,
    meet_psnr,
)

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

#: Added to the PSNR target when an encoder checks itself, so that decoders other than
#: ours (another IDCT, another wavelet implementation) still find the target met.
PSNR_MARGIN = 0.25


@dataclass(frozen=True)
class Encoded:
    """An encoded frame, the Photometric Interpretation the encoded stream has, and the
    setting a lossy encoder needed (the next frame's search starts there)."""

    data: bytes
    photometric: str
    setting: float | None = None


#: (frame, its description, the options, the previous frame's setting) -> the frame encoded
Encoder = Callable[["Array", PixelInfo, EncodeOptions, "float | None"], Encoded]


def _jls_backend() -> Any:
    try:
        import jpeg_ls  # type: ignore[import-untyped]
    except ImportError:
        raise MissingCodecError("JPEG-LS encoding needs pyjpegls: pip install "
                                "'authoring[codecs]'") from None
    return jpeg_ls


# -- what each encoder accepts ----------------------------------------------------------------


def _integers(info: PixelInfo, what: str, allocated: tuple[int, ...]) -> str | None:
    if info.is_float or info.bits_allocated not in allocated:
        sizes = " or ".join(str(size) for size in allocated)
        return f"{what} holds {sizes}-bit integer pixels"
    return None


def rle_problem(info: PixelInfo) -> str | None:
    """RLE Lossless: whole bytes, at most 15 byte planes."""
    return rle.planes_dtype_check(info)


def jpeg_baseline_problem(info: PixelInfo) -> str | None:
    """JPEG Baseline (Process 1): unsigned 8-bit grey or colour; never palette indices."""
    if info.is_float or info.bits_allocated != 8 or info.signed:
        return "JPEG Baseline holds unsigned 8-bit pixels only"
    if info.photometric == "PALETTE COLOR":
        return "palette indices cannot be compressed lossily"
    if info.samples == 3 and info.photometric not in ("RGB", "YBR_FULL", "YBR_FULL_422"):
        return f"JPEG Baseline cannot encode {info.photometric} colour"
    return None


def jpeg_lossless_problem(info: PixelInfo) -> str | None:
    """JPEG Lossless (Process 14): 2 to 16-bit samples in 8 or 16 bits."""
    problem = _integers(info, "JPEG Lossless", (8, 16))
    if problem is None and not 2 <= info.bits_stored <= 16:
        problem = "JPEG Lossless holds 2 to 16-bit samples"
    if problem is None and info.samples == 3 and info.signed:
        problem = "JPEG Lossless colour is unsigned"
    return problem


def _jpeg_ls_problem(info: PixelInfo, near: bool) -> str | None:
    """PS3.5 Table 8.2.3-1: grey 2-16 bits (signed allowed); palette and YBR_FULL (8-bit)
    lossless only; RGB unsigned."""
    problem = _integers(info, "JPEG-LS", (8, 16))
    if problem is not None:
        return problem
    if info.bits_stored < 2:
        return "JPEG-LS holds 2 to 16-bit samples"
    if info.samples == 3 and info.signed:
        return "JPEG-LS colour is unsigned"
    if near and info.photometric in ("PALETTE COLOR", "YBR_FULL"):
        return f"JPEG-LS near-lossless does not take {info.photometric} (lossless only)"
    if info.photometric == "YBR_FULL" and info.bits_allocated != 8:
        return "JPEG-LS YBR_FULL is 8-bit"
    return None


def jpeg_ls_lossless_problem(info: PixelInfo) -> str | None:
    """JPEG-LS Lossless."""
    return _jpeg_ls_problem(info, near=False)


def jpeg_ls_near_problem(info: PixelInfo) -> str | None:
    """JPEG-LS Near-Lossless (the signed wrap zone is checked on the pixels themselves)."""
    return _jpeg_ls_problem(info, near=True)


def j2k_lossless_problem(info: PixelInfo) -> str | None:
    """JPEG 2000 / HTJ2K lossless: this backend takes 8 or 16-bit integers."""
    problem = _integers(info, "this JPEG 2000 encoder", (8, 16))
    if problem is None and info.bits_stored > 16:
        problem = "this JPEG 2000 encoder takes up to 16-bit samples"
    return problem


def j2k_lossy_problem(info: PixelInfo) -> str | None:
    """JPEG 2000 (irreversible): as lossless, but never palette indices."""
    if info.photometric == "PALETTE COLOR":
        return "palette indices cannot be compressed lossily"
    return j2k_lossless_problem(info)


def no_encoder(info: PixelInfo) -> str | None:
    """For syntaxes decoded only."""
    return "no encoder here"


# -- encoders ---------------------------------------------------------------------------------


def encode_rle(array: Array, info: PixelInfo, options: EncodeOptions,
               previous: float | None) -> Encoded:
    """RLE Lossless (planar by definition)."""
    return Encoded(rle.encode_frame(array, info), info.photometric)


def encode_jpeg_baseline(array: Array, info: PixelInfo, options: EncodeOptions,
                         previous: float | None) -> Encoded:
    """JPEG Baseline at the lowest libjpeg quality (1-100) that reaches the PSNR target.
    Colour is given as RGB and stored as YCbCr: 4:2:2 (YBR_FULL_422) when that reaches the
    target, else without subsampling (YBR_FULL), as settings 101-200."""
    codecs = backend()
    colour = info.samples == 3

    def encode_at(setting: float) -> bytes:
        quality = int(setting) if setting <= 100 else int(setting) - 100
        if colour:
            return bytes(codecs.jpeg8_encode(array, level=quality, colorspace="RGB",
                                             outcolorspace="YCBCR",
                                             subsampling="422" if setting <= 100 else "444"))
        return bytes(codecs.jpeg8_encode(array, level=quality))

    def decode(data: bytes) -> Array:
        decoded: Array = codecs.jpeg8_decode(data)  # colour: converted back to RGB
        return decoded

    target = options.psnr + PSNR_MARGIN
    qualities = [float(q) for q in range(1, 101)]
    subsampled = previous is None or previous <= 100  # once 4:4:4, every later frame too
    try:
        if not subsampled:
            raise PixelDataError("4:4:4 already")
        stream, setting = meet_psnr("JPEG Baseline", target, info.bits_stored, array,
                                    encode_at, decode, qualities, previous)
    except PixelDataError:
        if not colour:
            raise
        stream, setting = meet_psnr("JPEG Baseline (4:4:4)", target, info.bits_stored, array,
                                    encode_at, decode, [q + 100 for q in qualities],
                                    None if subsampled else previous)
    photometric = info.photometric
    if colour:
        photometric = "YBR_FULL_422" if setting <= 100 else "YBR_FULL"
    return Encoded(stream, photometric, setting)


#: An APP0 JFIF marker segment (version 1.01, no thumbnail): says the components are YCbCr.
_JFIF = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def _marked_ycbcr(data: bytes) -> bytes:
    """A 3-component lossless JPEG stream coded without a colour transform, relabelled as
    YCbCr: its Adobe (APP14) marker dropped, a JFIF marker added and the component ids
    R, G, B of the frame and scan headers renumbered 1, 2, 3. The coded samples are
    untouched. (libjpeg-turbo's own lossless YCbCr path loses the chroma components' first
    difference, so the samples are coded as RGB and relabelled.)"""
    from authoring.pixels.streams import segments

    ids = {ord("R"): 1, ord("G"): 2, ord("B"): 3}
    out = bytearray(b"\xff\xd8" + _JFIF)
    end = 2
    for marker, body, length in segments(data, "JPEG"):
        segment = bytearray(data[body - 4:body + length])
        if marker == 0xEE or marker == 0xE0:
            end = body + length
            continue
        if marker == 0xC3:  # frame header: P, Y, X, Nf, then (id, sampling, table) per component
            for index in range(segment[9]):
                place = 10 + 3 * index
                segment[place] = ids.get(segment[place], segment[place])
        if marker == 0xDA:  # scan header: Ns, then (id, tables) per component
            for index in range(segment[4]):
                place = 5 + 2 * index
                segment[place] = ids.get(segment[place], segment[place])
        out += segment
        end = body + length
    return bytes(out + data[end:])


def encode_jpeg_lossless(array: Array, info: PixelInfo, options: EncodeOptions,
                         previous: float | None) -> Encoded:
    """JPEG Lossless, first-order prediction (SV1). Colour is coded as it is held, with no
    transform: RGB with an Adobe marker saying so (ids R, G, B), YBR_FULL with a JFIF
    marker saying YCbCr (ids 1, 2, 3)."""
    codecs = backend()
    space = "RGB" if info.samples == 3 else None
    data = bytes(codecs.jpeg8_encode(unsigned_view(array, info), lossless=True, predictor=1,
                                     bitspersample=info.bits_stored, colorspace=space,
                                     outcolorspace=space))
    if info.samples == 3 and info.photometric.startswith("YBR"):
        data = _marked_ycbcr(data)
    return Encoded(data, info.photometric)


def _jpeg_ls(array: Array, info: PixelInfo, near: int) -> bytes:
    import numpy as np

    jpeg_ls = _jls_backend()
    samples = np.ascontiguousarray(unsigned_view(array, info))
    interleave = 2 if info.samples > 1 else None
    try:
        data = jpeg_ls.encode_buffer(samples.tobytes(), info.rows, info.columns, info.samples,
                                     info.bits_stored, lossy_error=near,
                                     interleave_mode=interleave)
    except Exception as exc:  # noqa: BLE001 - CharLS raises its own classes
        # pyjpegls gives CharLS twice the frame's size for the output, too little for a
        # frame of a few pixels; imagecodecs' binding sizes it well, and its precision
        # (the array type's) is right when Bits Stored fills Bits Allocated
        if "too small" in str(exc) and info.bits_stored == info.bits_allocated:
            return bytes(backend().jpegls_encode(samples, level=near))
        raise PixelDataError(f"JPEG-LS encoding failed: {exc}") from None
    return bytes(data)


def encode_jpeg_ls_lossless(array: Array, info: PixelInfo, options: EncodeOptions,
                            previous: float | None) -> Encoded:
    """JPEG-LS lossless; the codestream's precision is Bits Stored."""
    return Encoded(_jpeg_ls(array, info, 0), info.photometric)


def encode_jpeg_ls_near(array: Array, info: PixelInfo, options: EncodeOptions,
                        previous: float | None) -> Encoded:
    """JPEG-LS near-lossless with NEAR = ``options.near``, checked on the decoded frame."""
    check_signed_near(array, info, options.near)
    data = _jpeg_ls(array, info, options.near)
    decoded = sign_extend(fit(backend().jpegls_decode(data), info), info)
    error = max_error(array, decoded)
    if error > options.near:  # a guard: CharLS promises this cannot happen
        raise PixelDataError(f"JPEG-LS near-lossless reached an error of {error} where NEAR "
                             f"{options.near} was asked for; nothing was written")
    return Encoded(data, info.photometric, float(options.near))


def _j2k_colour(info: PixelInfo) -> bool:
    return info.samples == 3 and info.photometric == "RGB"  # MCT applies to RGB only


def encode_j2k_lossless(array: Array, info: PixelInfo, options: EncodeOptions,
                        previous: float | None) -> Encoded:
    """JPEG 2000 reversible (5/3 wavelet); RGB through the reversible colour transform
    (YBR_RCT)."""
    colour = _j2k_colour(info)
    data = backend().jpeg2k_encode(array, codecformat="J2K", reversible=True, mct=colour,
                                   bitspersample=info.bits_stored)
    return Encoded(bytes(data), "YBR_RCT" if colour else info.photometric)


def encode_j2k_lossy(array: Array, info: PixelInfo, options: EncodeOptions,
                     previous: float | None) -> Encoded:
    """JPEG 2000 irreversible (9/7 wavelet) at the lowest OpenJPEG quality level (itself a
    PSNR aim, which the output may miss) whose decoded frame reaches the PSNR target; RGB
    through the irreversible colour transform (YBR_ICT)."""
    codecs = backend()
    colour = _j2k_colour(info)
    target = options.psnr + PSNR_MARGIN

    def encode_at(level: float) -> bytes:
        return bytes(codecs.jpeg2k_encode(array, level=level, codecformat="J2K",
                                          reversible=False, mct=colour,
                                          bitspersample=info.bits_stored))

    ybr = info.samples == 3 and info.photometric == "YBR_FULL"  # measured as RGB too

    def decode(data: bytes) -> Array:
        decoded = sign_extend(fit(codecs.jpeg2k_decode(data), info), info)
        return ybr_full_to_rgb(decoded, info.bits_stored) if ybr else decoded

    original = ybr_full_to_rgb(array, info.bits_stored) if ybr else array
    levels = [target + step / 2 for step in range(0, 121)]  # up to 60 dB above the target
    stream, setting = meet_psnr("JPEG 2000", target, info.bits_stored, original, encode_at,
                                decode, levels, previous)
    return Encoded(stream, "YBR_ICT" if colour else info.photometric, setting)


def encode_htj2k_lossless(array: Array, info: PixelInfo, options: EncodeOptions,
                          previous: float | None) -> Encoded:
    """HTJ2K reversible (OpenJPH); RGB as YBR_RCT."""
    colour = _j2k_colour(info)
    data = backend().htj2k_encode(array, reversible=True, rgb=colour)
    return Encoded(bytes(data), "YBR_RCT" if colour else info.photometric)
