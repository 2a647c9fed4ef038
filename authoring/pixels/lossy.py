"""Lossy encodings that keep their promise: every frame is decoded again after encoding and
measured against what was asked for, so a lossy syntax never writes worse than that.

- JPEG Baseline and JPEG 2000 (irreversible) take a PSNR target in dB
  (:attr:`EncodeOptions.psnr`): the encoder's own quality setting is searched until the
  decoded frame meets it. PSNR is 10 log10(peak^2 / MSE) over every sample of the frame,
  with peak = 2^(Bits Stored) - 1; colour is measured as RGB, whatever it is stored as.
- JPEG-LS near-lossless takes NEAR (:attr:`EncodeOptions.near`), the largest absolute
  error of any sample; the decoded frame is checked against it. Signed samples are coded
  as their bit pattern (PS3.5 8.2.3 leaves the sign to Pixel Representation), so samples
  within NEAR of the most negative or most positive value would wrap to the other
  extreme; such frames are refused before anything is written.

A target that cannot be met is a :class:`~authoring.pixels.info.PixelDataError` naming the
best the encoder reached.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authoring.pixels.info import PixelDataError, PixelInfo

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

#: The lowest PSNR target accepted: below it images are visibly damaged, which is what the
#: old ratio-as-PSNR mix-up produced silently.
MINIMUM_PSNR = 20.0


@dataclass(frozen=True)
class EncodeOptions:
    """Settings of the lossy encoders, each named as what it is.

    ``psnr``: the PSNR in dB every frame must reach after JPEG Baseline or JPEG 2000
    (irreversible) compression (default 45 dB; at least 20). ``near``: the largest
    absolute error of any sample after JPEG-LS near-lossless compression (NEAR, default 2;
    0 is lossless).
    """

    psnr: float = 45.0
    near: int = 2

    def __post_init__(self) -> None:
        """Refuse settings that are not what they say."""
        if not math.isfinite(self.psnr) or self.psnr < MINIMUM_PSNR:
            raise PixelDataError(f"a PSNR target of {self.psnr} dB is not accepted (at least "
                                 f"{MINIMUM_PSNR:g} dB; 40 or more keeps images diagnostic)")
        if not 0 <= self.near <= 255:
            raise PixelDataError(f"JPEG-LS NEAR {self.near} is outside 0 .. 255")


def psnr(original: Array, decoded: Array, bits: int) -> float:
    """PSNR in dB of ``decoded`` against ``original`` (infinite when they are equal)."""
    import numpy as np

    difference = original.astype(np.float64) - decoded.astype(np.float64)
    mse = float(np.mean(difference * difference))
    if mse == 0:
        return math.inf
    peak = float((1 << bits) - 1)
    return 10 * math.log10(peak * peak / mse)


def max_error(original: Array, decoded: Array) -> int:
    """The largest absolute difference between two frames."""
    import numpy as np

    if original.size == 0:
        return 0
    return int(np.max(np.abs(original.astype(np.int64) - decoded.astype(np.int64))))


def check_signed_near(array: Array, info: PixelInfo, near: int) -> None:
    """Refuse signed frames with samples where JPEG-LS near-lossless coding would wrap."""
    import numpy as np

    if not info.signed or near == 0:
        return
    low = -(1 << (info.bits_stored - 1)) + near
    high = (1 << (info.bits_stored - 1)) - 1 - near
    outside = int(np.count_nonzero((array < low) | (array > high)))
    if outside:
        raise PixelDataError(
            f"JPEG-LS near-lossless (NEAR {near}) cannot hold these signed "
            f"{info.bits_stored}-bit pixels: {outside} sample(s) lie within {near} of "
            f"{-(1 << (info.bits_stored - 1))} or {(1 << (info.bits_stored - 1)) - 1}, where "
            "the codestream's unsigned values wrap to the other extreme; use JPEG-LS "
            "lossless (jpeg-ls) or NEAR 0")


def meet_psnr(name: str, target: float, bits: int, original: Array,
              encode_at: Callable[[float], bytes], decode: Callable[[bytes], Array],
              settings: list[float], start: float | None = None) -> tuple[bytes, float]:
    """Encode at the lowest of ``settings`` (ordered from least to most faithful) whose
    decoded frame reaches ``target`` dB; return the stream and the setting used. ``start``
    (the setting the previous frame needed) is tried first: when it passes it is kept,
    so a series costs one encode per frame."""
    def attempt(setting: float) -> tuple[bytes, float]:
        stream = encode_at(setting)
        return stream, psnr(original, decode(stream), bits)

    if start is not None:
        stream, reached = attempt(start)
        if reached >= target:
            return stream, start
    low, high = 0, len(settings) - 1
    best: tuple[bytes, float, float] | None = None  # stream, setting, PSNR reached
    while low <= high:
        middle = (low + high) // 2
        stream, reached = attempt(settings[middle])
        if reached >= target:
            best = (stream, settings[middle], reached)
            high = middle - 1
        else:
            low = middle + 1
            if middle == len(settings) - 1:
                raise PixelDataError(f"{name} cannot reach {target:g} dB on this frame: the "
                                     f"most faithful setting gives {reached:.1f} dB; ask for "
                                     "less, or use a lossless transfer syntax")
    if best is None:  # pragma: no cover - the last setting either passes or raised
        raise PixelDataError(f"{name} cannot reach {target:g} dB on this frame")
    return best[0], best[1]
