"""One registry of pixel codecs, by transfer syntax.

Each :class:`Codec` says what it can do: decode, encode, lossless or lossy, and which pixels
it accepts (``encode_problem``). RLE Lossless is built in; the JPEG family, JPEG-LS,
JPEG 2000 and HTJ2K run through imagecodecs (one maintained library over libjpeg-turbo,
CharLS and OpenJPEG), installed with the ``codecs`` extra. A missing backend raises
:class:`MissingCodecError` naming the extra.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authoring.errors import AuthoringError
from authoring.pixels import rle
from authoring.pixels.info import PixelDataError, PixelInfo

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

RLE_LOSSLESS = "1.2.840.10008.1.2.5"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
JPEG_EXTENDED = "1.2.840.10008.1.2.4.51"
JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57"
JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70"
JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80"
JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81"
JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90"
JPEG_2000 = "1.2.840.10008.1.2.4.91"
HTJ2K_LOSSLESS = "1.2.840.10008.1.2.4.201"
HTJ2K_LOSSLESS_RPCL = "1.2.840.10008.1.2.4.202"
HTJ2K = "1.2.840.10008.1.2.4.203"


class MissingCodecError(AuthoringError, RuntimeError):
    """No codec (or no backend for it) handles this transfer syntax here."""


@dataclass(frozen=True)
class EncodeOptions:
    """Settings of lossy encoders: JPEG quality (1-100), JPEG-LS NEAR, JPEG 2000 ratio."""

    quality: int = 90
    near: int = 2
    ratio: float = 10.0


@dataclass(frozen=True)
class Encoded:
    """An encoded frame and the Photometric Interpretation the encoded stream has."""

    data: bytes
    photometric: str


Decoder = Callable[[bytes, PixelInfo], "Array"]
Encoder = Callable[["Array", PixelInfo, EncodeOptions], Encoded]


@dataclass(frozen=True)
class Codec:
    """What one codec does for one or more transfer syntaxes."""

    name: str
    uids: tuple[str, ...]
    lossy: bool  # encoding loses information
    method: str | None  # Lossy Image Compression Method (0028,2114) when lossy
    decode: Decoder | None
    encode: Encoder | None
    encode_problem: Callable[[PixelInfo], str | None]
    backend: str  # "built in" or the module it needs
    extra: str | None = None  # the pip extra that installs the backend

    def available(self) -> bool:
        """True when the backend is installed."""
        if self.backend == "built in":
            return True
        try:
            module = __import__(self.backend)
        except ImportError:
            return False
        return module is not None

    def decoded_photometric(self, info: PixelInfo) -> str:
        """The Photometric Interpretation of what ``decode`` returns."""
        if self.name.startswith(("JPEG 2000", "HTJ2K")) and info.photometric in (
                "YBR_ICT", "YBR_RCT"):
            return "RGB"  # the decoder undoes the component transform
        if self.name in ("JPEG Baseline", "JPEG Extended") and info.samples == 3 and \
                info.photometric in ("YBR_FULL_422", "YBR_FULL"):
            return "RGB"  # libjpeg converts YCbCr to RGB
        return info.photometric


def _codecs_module() -> Any:
    try:
        import imagecodecs
    except ImportError:
        raise MissingCodecError("this codec needs imagecodecs: pip install 'authoring[codecs]'"
                                ) from None
    return imagecodecs


def _fit(array: Array, info: PixelInfo) -> Array:
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
    return _sign_extend(_fit(array, info), info)


# -- RLE --------------------------------------------------------------------------------------


def _rle_encode(array: Array, info: PixelInfo, options: EncodeOptions) -> Encoded:
    return Encoded(rle.encode_frame(array, info), info.photometric)


# -- JPEG (ISO 10918) -------------------------------------------------------------------------


def _jpeg_says_ycbcr(data: bytes) -> bool:
    """True when the stream's own markers say its components are YCbCr: a JFIF (APP0)
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


def _jpeg_decode(data: bytes, info: PixelInfo) -> Array:
    """libjpeg-turbo, for every JPEG process DICOM uses (lossless included, since 3.0);
    the frame's markers checked first. imagecodecs' other lossless decoder (ljpeg) is never
    used: mutated streams crash it."""
    from authoring.pixels.streams import check_jpeg

    check_jpeg(data, info)
    codecs = _codecs_module()
    keywords: dict[str, str] = {}
    if info.samples == 3 and info.photometric == "RGB" and not _jpeg_says_ycbcr(data):
        # neither JFIF nor Adobe says YCbCr: the components are what DICOM says, RGB
        keywords = {"colorspace": "RGB", "outcolorspace": "RGB"}
    return guarded_decode("JPEG", info, lambda: codecs.jpeg8_decode(data, **keywords))


def _jpeg_baseline_problem(info: PixelInfo) -> str | None:
    if info.is_float or info.bits_allocated != 8 or info.signed:
        return "JPEG Baseline holds unsigned 8-bit pixels only"
    if info.samples == 3 and info.photometric not in ("RGB", "YBR_FULL", "YBR_FULL_422"):
        return f"JPEG Baseline cannot encode {info.photometric} colour"
    return None


def _jpeg_baseline_encode(array: Array, info: PixelInfo, options: EncodeOptions) -> Encoded:
    codecs = _codecs_module()
    if info.samples == 3:
        data = codecs.jpeg8_encode(array, level=options.quality, colorspace="RGB",
                                   outcolorspace="YCBCR", subsampling="422")
        return Encoded(bytes(data), "YBR_FULL_422")
    return Encoded(bytes(codecs.jpeg8_encode(array, level=options.quality)), info.photometric)


def _jpeg_lossless_problem(info: PixelInfo) -> str | None:
    if info.is_float or info.bits_allocated not in (8, 16) or not 2 <= info.bits_stored <= 16:
        return "JPEG Lossless holds 2 to 16-bit integer pixels"
    return None


def _jpeg_lossless_encode(array: Array, info: PixelInfo, options: EncodeOptions) -> Encoded:
    codecs = _codecs_module()
    data = codecs.jpeg8_encode(_unsigned_view(array, info), lossless=True, predictor=1,
                               bitspersample=info.bits_stored,
                               colorspace="RGB" if info.samples == 3 else None,
                               outcolorspace="RGB" if info.samples == 3 else None)
    return Encoded(bytes(data), info.photometric)


# -- JPEG-LS (ISO 14495) ------------------------------------------------------------------------


def _jpegls_decode(data: bytes, info: PixelInfo) -> Array:
    """CharLS, the frame header checked first."""
    from authoring.pixels.streams import check_jpeg_ls

    check_jpeg_ls(data, info)
    codecs = _codecs_module()
    return guarded_decode("JPEG-LS", info, lambda: codecs.jpegls_decode(data))


def _jpegls_problem(info: PixelInfo) -> str | None:
    if info.is_float or info.bits_allocated not in (8, 16) or info.bits_stored < 2:
        return "JPEG-LS holds 2 to 16-bit integer pixels"
    return None


def _jpegls_lossless(array: Array, info: PixelInfo, options: EncodeOptions) -> Encoded:
    return Encoded(bytes(_codecs_module().jpegls_encode(_unsigned_view(array, info), level=0)),
                   info.photometric)


def _jpegls_near(array: Array, info: PixelInfo, options: EncodeOptions) -> Encoded:
    return Encoded(bytes(_codecs_module().jpegls_encode(_unsigned_view(array, info),
                                                        level=options.near)),
                   info.photometric)


def _unsigned_view(array: Array, info: PixelInfo) -> Array:
    """JPEG-LS codes unsigned samples: signed data is coded as its bit pattern (PS3.5
    A.4.4 leaves the sign to Pixel Representation)."""
    import numpy as np

    if not info.signed:
        return array
    unsigned: Any = array.view(np.uint16 if info.bits_allocated == 16 else np.uint8)
    if info.bits_stored < info.bits_allocated:
        unsigned = unsigned & ((1 << info.bits_stored) - 1)
    result: Array = unsigned
    return result


def _sign_extend(array: Array, info: PixelInfo) -> Array:
    """Signed pixels whose codestream held only their low Bits Stored bits."""
    if not info.signed or info.bits_stored >= info.bits_allocated:
        return array
    shift = info.bits_allocated - info.bits_stored
    return (array.astype(info.dtype()) << shift) >> shift


# -- JPEG 2000 (ISO 15444) and HTJ2K ----------------------------------------------------------


def _j2k_decode(data: bytes, info: PixelInfo) -> Array:
    """OpenJPEG for JPEG 2000 and HTJ2K alike, the SIZ segment checked first. OpenJPH
    (imagecodecs' HTJ2K decoder) is not used on files: mutated streams make it loop."""
    from authoring.pixels.streams import check_j2k

    check_j2k(data, info)
    codecs = _codecs_module()
    return guarded_decode("JPEG 2000", info,
                          lambda: codecs.jpeg2k_decode(data, numthreads=_threads()))


def _j2k_problem(info: PixelInfo) -> str | None:
    if info.is_float or info.bits_allocated not in (8, 16) or info.bits_stored > 16:
        return "this JPEG 2000 encoder takes 8 or 16-bit integer pixels"
    return None


def _j2k_encode(reversible: bool) -> Encoder:
    def encode(array: Array, info: PixelInfo, options: EncodeOptions) -> Encoded:
        codecs = _codecs_module()
        colour = info.samples == 3 and info.photometric == "RGB"  # MCT applies to RGB only
        level = None if reversible else max(1, int(round(options.ratio)))
        data = codecs.jpeg2k_encode(array, level=level, codecformat="J2K",
                                    reversible=reversible, mct=colour,
                                    bitspersample=info.bits_stored)
        photometric = info.photometric
        if colour and info.photometric == "RGB":
            photometric = "YBR_RCT" if reversible else "YBR_ICT"
        return Encoded(bytes(data), photometric)

    return encode


def _htj2k_encode(array: Array, info: PixelInfo, options: EncodeOptions) -> Encoded:
    codecs = _codecs_module()
    colour = info.samples == 3 and info.photometric == "RGB"
    data = codecs.htj2k_encode(array, reversible=True, rgb=colour)
    return Encoded(bytes(data), "YBR_RCT" if colour else info.photometric)


def _threads() -> int:
    """Threads a decoder may use (all cores; OpenJPEG decodes code blocks in parallel)."""
    import os

    return os.cpu_count() or 1


def _no_encoder(info: PixelInfo) -> str | None:
    return "no encoder here"


CODECS: tuple[Codec, ...] = (
    Codec("RLE Lossless", (RLE_LOSSLESS,), False, None, rle.decode_frame, _rle_encode,
          rle.planes_dtype_check, "built in"),
    Codec("JPEG Baseline", (JPEG_BASELINE,), True, "ISO_10918_1", _jpeg_decode,
          _jpeg_baseline_encode, _jpeg_baseline_problem, "imagecodecs", "codecs"),
    Codec("JPEG Extended", (JPEG_EXTENDED,), True, "ISO_10918_1", _jpeg_decode, None,
          _no_encoder, "imagecodecs", "codecs"),
    Codec("JPEG Lossless", (JPEG_LOSSLESS, JPEG_LOSSLESS_SV1), False, None, _jpeg_decode,
          _jpeg_lossless_encode, _jpeg_lossless_problem, "imagecodecs", "codecs"),
    Codec("JPEG-LS Lossless", (JPEG_LS_LOSSLESS,), False, None, _jpegls_decode,
          _jpegls_lossless, _jpegls_problem, "imagecodecs", "codecs"),
    Codec("JPEG-LS Near-Lossless", (JPEG_LS_NEAR_LOSSLESS,), True, "ISO_14495_1",
          _jpegls_decode, _jpegls_near, _jpegls_problem, "imagecodecs", "codecs"),
    Codec("JPEG 2000 Lossless", (JPEG_2000_LOSSLESS,), False, None, _j2k_decode,
          _j2k_encode(True), _j2k_problem, "imagecodecs", "codecs"),
    Codec("JPEG 2000", (JPEG_2000,), True, "ISO_15444_1", _j2k_decode, _j2k_encode(False),
          _j2k_problem, "imagecodecs", "codecs"),
    Codec("HTJ2K Lossless", (HTJ2K_LOSSLESS,), False, None, _j2k_decode, _htj2k_encode,
          _j2k_problem, "imagecodecs", "codecs"),
    Codec("HTJ2K", (HTJ2K_LOSSLESS_RPCL, HTJ2K), False, None, _j2k_decode, None, _no_encoder,
          "imagecodecs", "codecs"),
)

_BY_UID = {uid: codec for codec in CODECS for uid in codec.uids}


def codec_for(uid: str) -> Codec:
    """The codec of a transfer syntax (MissingCodecError when none is known)."""
    codec = _BY_UID.get(uid)
    if codec is None:
        from authoring.io.transfer_syntax import transfer_syntax

        try:
            name = transfer_syntax(uid).name
        except AuthoringError:
            name = uid
        raise MissingCodecError(f"no codec here handles {name}")
    return codec


def decoder_for(uid: str) -> Decoder:
    """The decode function of a transfer syntax, its backend checked."""
    codec = codec_for(uid)
    if codec.decode is None:
        raise MissingCodecError(f"{codec.name} pixel data cannot be decoded here")
    if not codec.available():
        raise MissingCodecError(f"decoding {codec.name} needs {codec.backend}: pip install "
                                f"'authoring[{codec.extra}]'")
    return codec.decode


def encoder_for(uid: str, info: PixelInfo) -> tuple[Codec, Encoder]:
    """The codec and encode function for writing ``info``'s pixels in a transfer syntax."""
    codec = codec_for(uid)
    if codec.encode is None:
        raise MissingCodecError(f"{codec.name} pixel data cannot be encoded here (decoding "
                                "only)")
    problem = codec.encode_problem(info)
    if problem is not None:
        raise PixelDataError(f"{codec.name}: {problem} (the pixels are {info.samples} "
                             f"sample(s) of {info.bits_allocated} bits, "
                             f"{'signed' if info.signed else 'unsigned'}, "
                             f"{info.photometric})")
    if not codec.available():
        raise MissingCodecError(f"encoding {codec.name} needs {codec.backend}: pip install "
                                f"'authoring[{codec.extra}]'")
    return codec, codec.encode


def supported() -> list[tuple[str, str, bool, bool]]:
    """(transfer syntax UID, codec, decodes here, encodes here) for every known syntax."""
    rows = []
    for codec in CODECS:
        ready = codec.available()
        for uid in codec.uids:
            rows.append((uid, codec.name, ready and codec.decode is not None,
                         ready and codec.encode is not None))
    return rows
