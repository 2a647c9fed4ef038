"""Colour spaces of PS3.3 C.7.6.3.1.2: YBR_FULL and YBR_FULL_422 (the JPEG YCbCr of
ITU-R BT.601, full range, offset by half the range), YBR_RCT (reversible, integer) and
YBR_ICT (irreversible) to and from RGB, vectorized over whole arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

# RGB -> YCbCr (PS3.3 C.7.6.3.1.2): rows give Y, Cb, Cr
_FORWARD = ((0.2990, 0.5870, 0.1140),
            (-0.168736, -0.331264, 0.5000),
            (0.5000, -0.418688, -0.081312))
# YCbCr -> RGB, the exact inverse of the above
_INVERSE = ((1.0, 0.0, 1.402),
            (1.0, -0.344136, -0.714136),
            (1.0, 1.772, 0.0))


def _bits(array: Array, bits: int | None) -> int:
    return bits if bits is not None else array.dtype.itemsize * 8


def ybr_full_to_rgb(array: Array, bits: int | None = None) -> Array:
    """YBR_FULL (or upsampled YBR_FULL_422) samples to RGB, rounded and clipped to the
    sample range; the last axis holds the three samples."""
    import numpy as np

    depth = _bits(array, bits)
    offset = 1 << (depth - 1)
    top = (1 << depth) - 1
    kind: Any = np.float32 if depth <= 16 else np.float64  # float32 is exact to 16 bits
    values: Any = array.reshape(-1, 3).astype(kind)
    values -= np.asarray([0, offset, offset], dtype=kind)
    rgb: Any = np.matmul(values, np.asarray(_INVERSE, dtype=kind).T)
    rgb += 0.5
    np.floor(rgb, out=rgb)
    np.clip(rgb, 0, top, out=rgb)
    result: Array = rgb.astype(array.dtype).reshape(array.shape)
    return result


def rgb_to_ybr_full(array: Array, bits: int | None = None) -> Array:
    """RGB to YBR_FULL samples."""
    import numpy as np

    depth = _bits(array, bits)
    offset = 1 << (depth - 1)
    top = (1 << depth) - 1
    ybr: Any = np.matmul(array.astype(np.float64), np.asarray(_FORWARD).T)
    ybr[..., 1:] += offset
    result: Array = np.clip(np.floor(ybr + 0.5), 0, top).astype(array.dtype)
    return result


def ybr_rct_to_rgb(array: Array) -> Array:
    """The reversible colour transform undone (exact, integer)."""
    import numpy as np

    values = array.astype(np.int64)
    y, cb, cr = values[..., 0], values[..., 1], values[..., 2]
    green = y - np.floor_divide(cb + cr, 4)
    out = np.stack([cr + green, green, cb + green], axis=-1)
    return out.astype(array.dtype)


def rgb_to_ybr_rct(array: Array) -> Array:
    """The reversible colour transform (exact, integer; Cb and Cr may be negative)."""
    import numpy as np

    values = array.astype(np.int64)
    red, green, blue = values[..., 0], values[..., 1], values[..., 2]
    return np.stack([np.floor_divide(red + 2 * green + blue, 4), blue - green, red - green],
                    axis=-1)


def ybr_ict_to_rgb(array: Array, bits: int | None = None) -> Array:
    """The irreversible colour transform undone: YBR_FULL's matrix on level-shifted samples
    (what a JPEG 2000 decoder does before handing the samples over)."""
    return ybr_full_to_rgb(array, bits)


def upsample_422(samples: Array, rows: int, columns: int) -> Array:
    """One frame of native YBR_FULL_422 (each pair of pixels stored as Y1 Y2 Cb Cr) as
    (rows, columns, 3): the shared chroma repeated for both pixels."""
    import numpy as np

    quads = samples.reshape(rows, columns // 2, 4)
    luma = quads[..., 0:2].reshape(rows, columns)
    blue = np.repeat(quads[..., 2], 2, axis=-1)
    red = np.repeat(quads[..., 3], 2, axis=-1)
    return np.stack([luma, blue, red], axis=-1)


def to_rgb(array: Array, photometric: str, bits: int | None = None) -> Array:
    """``array`` in ``photometric`` converted to RGB (unchanged when already RGB or when the
    interpretation is not a YBR one)."""
    if photometric in ("YBR_FULL", "YBR_FULL_422"):
        return ybr_full_to_rgb(array, bits)
    if photometric == "YBR_RCT":
        return ybr_rct_to_rgb(array)
    if photometric == "YBR_ICT":
        return ybr_ict_to_rgb(array, bits)
    return array
