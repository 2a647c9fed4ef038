"""Pixel content that looks like its modality: a CT phantom in Hounsfield units (stored with
a rescale), MR magnitude, ultrasound in colour, PET and NM uptake with hot spots and counting
noise, X-ray projections, and a plain pattern for the rest; every array is a function of the seed and its position in the series."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]


@dataclass(frozen=True)
class PixelPlan:
    """What the pixels must be: shape, sample layout and value range."""

    rows: int
    columns: int
    frames: int
    samples: int
    bits_allocated: int
    bits_stored: int
    signed: bool
    photometric: str
    modality: str


@cache
def _grid(rows: int, columns: int) -> tuple[Array, Array, Array]:
    """Normalized x and y (-1 .. 1 across the smaller side) and the radius, per shape."""
    import numpy as np

    y, x = np.mgrid[:rows, :columns].astype(np.float32)
    cy, cx = (rows - 1) / 2, (columns - 1) / 2
    scale = min(rows, columns) / 2
    x = (x - cx) / scale
    y = (y - cy) / scale
    for array in (x, y):
        array.flags.writeable = False
    radius = np.hypot(x, y)
    radius.flags.writeable = False
    return x, y, radius


@cache
def _phantom_parts(rows: int, columns: int) -> tuple[Array, Array, Array]:
    """The parts of the CT phantom that do not change along a series: the body and bone
    in Hounsfield units, and each pixel's distance to the nearer lung centre."""
    import numpy as np

    x, y, radius = _grid(rows, columns)
    hu = np.full(radius.shape, -1000, dtype=np.int16)
    hu[radius < 0.85] = 40  # soft tissue
    hu[(radius > 0.8) & (radius < 0.85)] = 300  # a ring of bone
    hu[np.hypot(x, y - 0.5) < 0.12] = 700  # a vertebra, posterior (bottom)
    lungs = np.minimum(np.hypot(x - 0.35, y), np.hypot(x + 0.35, y))
    bone = hu >= 300
    for array in (hu, lungs, bone):
        array.flags.writeable = False
    return hu, lungs, bone


def hounsfield_phantom(plan: PixelPlan, slice_position: float, seed: int) -> Array:
    """Hounsfield units of a body-sized water cylinder with a bone ring, a vertebra, lungs
    whose size changes along the series, and air outside, with a little noise."""
    import numpy as np

    level = round((0.22 + 0.08 * np.sin(slice_position / 40.0)) * 200)  # lung size, 1/200
    anatomy = _anatomy(plan.rows, plan.columns, level)
    doubled = _noise_twice(plan.rows, plan.columns)
    size = anatomy.size
    shift = seed % size
    # the noise field rolled by ``shift`` (noise differs per seed), as a view of two copies
    rolled = doubled[size - shift:2 * size - shift].reshape(anatomy.shape)
    return np.add(anatomy, rolled)


@cache
def _anatomy(rows: int, columns: int, level: int) -> Array:
    """The phantom without noise for one lung size (``level`` / 200 of the half-width)."""
    import numpy as np

    base, lungs, bone = _phantom_parts(rows, columns)
    anatomy = np.where((lungs < level / 200) & ~bone, np.int16(-850), base)
    anatomy.flags.writeable = False
    return anatomy


@cache
def _noise(rows: int, columns: int) -> Array:
    """A fixed field of scanner-like noise (-12 .. 12 HU), rolled per image."""
    import numpy as np

    field = np.random.default_rng(rows * 65536 + columns).integers(-12, 13, (rows, columns),
                                                                   dtype=np.int16)
    field.flags.writeable = False
    return field


@cache
def _noise_twice(rows: int, columns: int) -> Array:
    """The noise field flattened and repeated: any roll of it is a slice."""
    import numpy as np

    flat = _noise(rows, columns).reshape(-1)
    doubled = np.concatenate([flat, flat])
    doubled.flags.writeable = False
    return doubled


def frame_values(plan: PixelPlan, index: int, slice_position: float, seed: int) -> Array:
    """One frame of stored values for ``plan``."""
    import numpy as np

    top = (1 << plan.bits_stored) - 1
    low = -(1 << (plan.bits_stored - 1)) if plan.signed else 0
    high = (1 << (plan.bits_stored - 1)) - 1 if plan.signed else top
    x, y, radius = _grid(plan.rows, plan.columns)

    def rng() -> np.random.Generator:  # made only where a frame draws from it
        return np.random.default_rng(seed + index)

    if plan.samples == 3:
        hue = (np.arctan2(y, x) / (2 * np.pi) + 0.5)
        value = np.clip(1.1 - radius, 0, 1)
        rgb = np.stack([value * (0.5 + 0.5 * np.cos(2 * np.pi * (hue + k / 3)))
                        for k in range(3)], axis=-1)
        if plan.modality == "US":  # a sector of speckle in grey on black
            sector = (np.abs(np.arctan2(x, y + 1.0)) < 0.6) & (radius < 1.2)
            speckle = rng().gamma(2.0, 0.25, radius.shape) * sector
            rgb = np.repeat(np.clip(speckle, 0, 1)[..., None], 3, axis=-1)
        return np.round(rgb * min(high, 255)).astype(np.uint8 if plan.bits_allocated == 8
                                                     else np.uint16)
    if plan.modality == "CT" and plan.bits_allocated == 16 and not plan.signed:
        hu = hounsfield_phantom(plan, slice_position, seed + index)
        hu += 1024  # rescale intercept -1024, slope 1: every value now at least 0
        return hu.view(np.uint16)
    stored: Array
    if plan.modality == "CT":
        stored = hounsfield_phantom(plan, slice_position, seed + index).astype(np.float64) + \
            1024
    elif plan.modality == "MR":
        tissue = np.where(radius < 0.85, 600 + 250 * np.cos(6 * x) * np.sin(4 * y), 0)
        stored = np.abs(tissue + rng().normal(0, 15, radius.shape))  # Rician-like magnitude
    elif plan.modality in ("PT", "NM"):  # low uptake in the body, hot spheres, counts
        body = np.where(radius < 0.85, 0.15, 0.0)
        spots = sum(np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 0.05 ** 2)) * level
                    for cx, cy, level in ((0.3, -0.2, 1.0), (-0.35, 0.25, 0.6),
                                          (0.0, 0.5, 0.8)))
        mean = (body + spots) * 0.8 * high
        stored = rng().poisson(np.maximum(mean, 0) / 64) * 64.0  # counting noise
    elif plan.modality in ("CR", "DX", "MG", "XA", "RF", "IO", "PX"):
        stored = (1 - np.clip(radius, 0, 1)) * 0.7 * high + rng().normal(0, 0.01 * high,
                                                                     radius.shape)
    else:
        stored = (x + y + 2) / 4 * high
    values: Array = np.clip(np.round(stored), low, high)
    dtype = np.dtype(f"{'i' if plan.signed else 'u'}{max(1, plan.bits_allocated // 8)}")
    result: Array = values.astype(dtype)
    return result


def pixel_array(plan: PixelPlan, first_position: float, spacing: float, seed: int) -> Array:
    """All frames: (rows, columns[, samples]) or (frames, rows, columns[, samples])."""
    import numpy as np

    if plan.bits_allocated == 1:
        _, _, radius = _grid(plan.rows, plan.columns)
        mask = (radius < 0.6).astype(bool)
        return np.stack([mask] * plan.frames) if plan.frames > 1 else mask
    frames = [frame_values(plan, index, first_position + index * spacing, seed)
              for index in range(plan.frames)]
    return np.stack(frames) if plan.frames > 1 else frames[0]
