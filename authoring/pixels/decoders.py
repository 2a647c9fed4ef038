"""Decode one compressed frame, safely: each frame's own header is checked against the
Image Pixel attributes first (:mod:`authoring.pixels.streams`, and the RLE header in
:mod:`authoring.pixels.rle`), and only decoders that survive mutated input are called on a
file's data:

- RLE: ours (imagecodecs' DICOM RLE decoder for speed, once the header is proven sound);
- JPEG, every process DICOM uses, lossless included: libjpeg-turbo 3 (imagecodecs'
  ``jpeg8``). imagecodecs' ``ljpeg`` lossless decoder is never called: mutated lossless
  streams crash the interpreter in it;
- JPEG-LS: CharLS;
- JPEG 2000 and HTJ2K: OpenJPEG. imagecodecs' OpenJPH decoder is never called on files:
  mutated HTJ2K streams make it loop without end.

Every backend error (and running out of memory) becomes a
:class:`~authoring.pixels.info.PixelDataError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from authoring.errors import AuthoringError
from authoring.pixels.info import PixelDataError, PixelInfo

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]


class MissingCodecError(AuthoringError, RuntimeError):
    """No codec (or no backend for it) handles this transfer syntax here."""


def backend() -> Any:
    """imagecodecs, or a :class:`MissingCodecError` naming the extra that installs it."""
    try:
        import imagecodecs
    except ImportError:
        raise MissingCodecError("this codec needs imagecodecs: pip install 'authoring[codecs]'"
                                ) from None
    return imagecodecs


def threads() -> int:
    """Threads a decoder may use (all cores; OpenJPEG decodes code blocks in parallel)."""
    import os

    return os.cpu_count() or 1


def fit(array: Array, info: PixelInfo) -> Array:
    """A decoded frame in the shape and type the attributes describe."""
    import numpy as np

    expected = info.frame_shape()
    if array.shape != expected:
        if array.size != int(np.prod(expected)):
            raise PixelDataError(f"the decoded frame has shape {array.shape}; Rows, Columns and "
                                 f"Samples per Pixel say {expected}")
        array = array.reshape(expected)
    dtype = info.dtype()
    if array.dtype != dtype:
        array = array.astype(dtype)
    return array


def sign_extend(array: Array, info: PixelInfo) -> Array:
    """Signed pixels whose codestream held only their low Bits Stored bits."""
    if not info.signed or info.bits_stored >= info.bits_allocated:
        return array
    shift = info.bits_allocated - info.bits_stored
    return (array.astype(info.dtype()) << shift) >> shift


def unsigned_view(array: Array, info: PixelInfo) -> Array:
    """Signed samples as the unsigned bit patterns the lossless JPEG and JPEG-LS codestreams
    hold (their low Bits Stored bits; PS3.5 leaves the sign to Pixel Representation)."""
    import numpy as np

    if not info.signed:
        return array
    unsigned: Any = array.view(np.uint16 if info.bits_allocated == 16 else np.uint8)
    if info.bits_stored < info.bits_allocated:
        unsigned = unsigned & ((1 << info.bits_stored) - 1)
    result: Array = unsigned
    return result


def guarded_decode(what: str, info: PixelInfo, decode: Callable[[], Array]) -> Array:
    """Run a backend decoder: its own exceptions (and running out of memory) become a
    :class:`PixelDataError` naming the codec; the result is fitted to the attributes and
    sign-extended."""
    try:
        array = decode()
    except AuthoringError:
        raise
    except MemoryError:
        from authoring.limits import human

        raise PixelDataError(f"not enough memory to decode the {what} frame "
                             f"({human(info.frame_bytes)})") from None
    except Exception as exc:  # noqa: BLE001 - each backend raises its own classes
        raise PixelDataError(f"the {what} frame does not decode: {exc}") from None
    return sign_extend(fit(array, info), info)


def jpeg_says_ycbcr(data: bytes) -> bool:
    """True when a JPEG stream's own markers say its components are YCbCr: a JFIF (APP0)
    marker, or an Adobe (APP14) marker with colour transform 1."""
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xDA):
            break
        length = int.from_bytes(data[position + 2:position + 4], "big")
        body = data[position + 4:position + 2 + length]
        if marker == 0xE0 and body.startswith(b"JFIF"):
            return True
        if marker == 0xEE and body.startswith(b"Adobe"):
            return len(body) >= 12 and body[11] == 1
        position += 2 + length
    return False


def decode_rle(data: bytes, info: PixelInfo) -> Array:
    """An RLE Lossless frame (header checked in full first)."""
    from authoring.pixels import rle

    try:
        return rle.decode_frame(data, info)
    except MemoryError:
        raise PixelDataError("not enough memory to decode the RLE frame") from None


def decode_jpeg(data: bytes, info: PixelInfo) -> Array:
    """A JPEG frame of any process DICOM uses. Lossy colour comes back as RGB where the
    stream is YCbCr (libjpeg converts); lossless colour as stored (no conversion exists)."""
    from authoring.pixels.streams import LOSSLESS_SOF, check_jpeg

    header = check_jpeg(data, info)
    codecs = backend()
    keywords: dict[str, str] = {}
    if info.samples == 3:
        ycbcr = jpeg_says_ycbcr(data)
        if header.marker in LOSSLESS_SOF:
            space = "YCBCR" if ycbcr else "RGB"  # lossless: the samples as stored
            keywords = {"colorspace": space, "outcolorspace": space}
        elif info.photometric == "RGB" and not ycbcr:
            # neither JFIF nor Adobe says YCbCr: the components are what DICOM says, RGB
            keywords = {"colorspace": "RGB", "outcolorspace": "RGB"}
    return guarded_decode("JPEG", info, lambda: codecs.jpeg8_decode(data, **keywords))


def decode_jpeg_ls(data: bytes, info: PixelInfo) -> Array:
    """A JPEG-LS frame (CharLS), the frame header checked first."""
    from authoring.pixels.streams import check_jpeg_ls

    check_jpeg_ls(data, info)
    codecs = backend()
    return guarded_decode("JPEG-LS", info, lambda: codecs.jpegls_decode(data))


def decode_j2k(data: bytes, info: PixelInfo) -> Array:
    """A JPEG 2000 or HTJ2K frame (OpenJPEG), the SIZ segment checked first."""
    from authoring.pixels.streams import check_j2k

    check_j2k(data, info)
    codecs = backend()
    return guarded_decode("JPEG 2000", info,
                          lambda: codecs.jpeg2k_decode(data, numthreads=threads()))
