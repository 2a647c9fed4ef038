"""One registry of pixel codecs, by transfer syntax.

Each :class:`Codec` says what it can do: decode, encode, lossless or lossy, and which pixels
it accepts (``encode_problem``). The decoders are in :mod:`authoring.pixels.decoders`
(every frame's header checked before a backend sees it), the encoders in
:mod:`authoring.pixels.encoders` (every lossy one checking its own output). RLE Lossless is
built in; the others need the ``codecs`` extra (imagecodecs, pyjpegls). A missing backend
raises :class:`MissingCodecError` naming the extra.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authoring.errors import AuthoringError
from authoring.pixels import decoders, encoders
from authoring.pixels.decoders import MissingCodecError
from authoring.pixels.encoders import Encoded, Encoder
from authoring.pixels.info import PixelDataError, PixelInfo
from authoring.pixels.lossy import EncodeOptions

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


Decoder = Callable[[bytes, PixelInfo], "Array"]


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
    backend: str  # "built in" or the module decoding needs
    extra: str | None = None  # the pip extra that installs the backends
    encode_backend: str | None = None  # the module encoding needs, when it is another

    def available(self, encoding: bool = False) -> bool:
        """True when the backend (for encoding: the encoder's) is installed."""
        name = self.encode_backend if encoding and self.encode_backend else self.backend
        if name == "built in":
            return True
        try:
            module = __import__(name)
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


_NEED = ("imagecodecs", "codecs")  # the decoding backend, and the extra that installs it
CODECS: tuple[Codec, ...] = (
    Codec("RLE Lossless", (RLE_LOSSLESS,), False, None, decoders.decode_rle,
          encoders.encode_rle, encoders.rle_problem, "built in"),
    Codec("JPEG Baseline", (JPEG_BASELINE,), True, "ISO_10918_1", decoders.decode_jpeg,
          encoders.encode_jpeg_baseline, encoders.jpeg_baseline_problem, *_NEED),
    Codec("JPEG Extended", (JPEG_EXTENDED,), True, "ISO_10918_1", decoders.decode_jpeg,
          None, encoders.no_encoder, *_NEED),
    Codec("JPEG Lossless", (JPEG_LOSSLESS, JPEG_LOSSLESS_SV1), False, None,
          decoders.decode_jpeg, encoders.encode_jpeg_lossless,
          encoders.jpeg_lossless_problem, *_NEED),
    Codec("JPEG-LS Lossless", (JPEG_LS_LOSSLESS,), False, None, decoders.decode_jpeg_ls,
          encoders.encode_jpeg_ls_lossless, encoders.jpeg_ls_lossless_problem, *_NEED,
          "jpeg_ls"),
    Codec("JPEG-LS Near-Lossless", (JPEG_LS_NEAR_LOSSLESS,), True, "ISO_14495_1",
          decoders.decode_jpeg_ls, encoders.encode_jpeg_ls_near,
          encoders.jpeg_ls_near_problem, *_NEED, "jpeg_ls"),
    Codec("JPEG 2000 Lossless", (JPEG_2000_LOSSLESS,), False, None, decoders.decode_j2k,
          encoders.encode_j2k_lossless, encoders.j2k_lossless_problem, *_NEED),
    Codec("JPEG 2000", (JPEG_2000,), True, "ISO_15444_1", decoders.decode_j2k,
          encoders.encode_j2k_lossy, encoders.j2k_lossy_problem, *_NEED),
    Codec("HTJ2K Lossless", (HTJ2K_LOSSLESS,), False, None, decoders.decode_j2k,
          encoders.encode_htj2k_lossless, encoders.j2k_lossless_problem, *_NEED),
    Codec("HTJ2K", (HTJ2K_LOSSLESS_RPCL, HTJ2K), False, None, decoders.decode_j2k, None,
          encoders.no_encoder, *_NEED),
)

_BY_UID = {uid: codec for codec in CODECS for uid in codec.uids}


def codec_for(uid: str) -> Codec:
    """The codec of a transfer syntax (MissingCodecError when none is known)."""
    codec = _BY_UID.get(uid)
    if codec is None:
        from authoring.core.transfer_syntax import transfer_syntax

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
    if not codec.available(encoding=True):
        needed = codec.encode_backend or codec.backend
        raise MissingCodecError(f"encoding {codec.name} needs {needed}: pip install "
                                f"'authoring[{codec.extra}]'")
    return codec, codec.encode


def supported() -> list[tuple[str, str, bool, bool]]:
    """(transfer syntax UID, codec, decodes here, encodes here) for every known syntax."""
    rows: list[tuple[str, str, bool, bool]] = []
    for codec in CODECS:
        for uid in codec.uids:
            rows.append((uid, codec.name, codec.available() and codec.decode is not None,
                         codec.available(encoding=True) and codec.encode is not None))
    return rows


__all__ = ["CODECS", "Codec", "Decoder", "EncodeOptions", "Encoded", "Encoder",
           "MissingCodecError", "codec_for", "decoder_for", "encoder_for", "supported"]
