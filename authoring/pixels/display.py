"""From stored pixel values to what a display shows (PS3.3 C.11 and C.7.9, PS3.4 N.2):
Modality LUT (rescale or a LUT), VOI LUT (window with LINEAR, LINEAR_EXACT or SIGMOID, or a
LUT), Presentation LUT Shape and MONOCHROME1 inversion, palette colour (segmented palettes
included, 8 or 16-bit entries), and YBR to RGB; one function, :func:`display_frame`, takes a
data set and a frame to 8-bit grey or RGB.
"""

from __future__ import annotations

import math
import struct
from typing import TYPE_CHECKING, Any, cast

from authoring.pixels.info import PixelDataError

if TYPE_CHECKING:
    import numpy.typing as npt

    from authoring.object.dataset import DatasetBase

    Array = npt.NDArray[Any]


def _first(value: Any) -> Any:
    several = cast("tuple[Any, ...] | list[Any]", value) if isinstance(value, (tuple, list)) \
        else None
    first: Any = several[0] if several else cast(object, value)
    return first


def _lut_descriptor(value: Any) -> tuple[int, int, int]:
    several = cast("tuple[Any, ...]", value) if isinstance(value, tuple) else ()
    if len(several) != 3:
        raise PixelDataError(f"a LUT Descriptor needs three values, not {value!r}")
    entries, first, bits = (int(v) for v in several)
    return entries or 65536, first, bits


def _lut_values(data: Any, entries: int, bits: int) -> Array:
    import numpy as np

    if isinstance(data, tuple):
        values = np.asarray(data, dtype=np.int64)
    else:
        raw = bytes(data or b"")
        if bits <= 8 and len(raw) == entries:
            values = np.frombuffer(raw, dtype=np.uint8).astype(np.int64)
        else:
            count = len(raw) // 2
            values = np.asarray(struct.unpack(f"<{count}H", raw[:count * 2]), dtype=np.int64)
    return values[:entries]


def apply_lut(array: Array, descriptor: Any, data: Any) -> Array:
    """Values through a lookup table: below the first mapped value the first entry, above
    the last the last entry (PS3.3 C.11.1.1)."""
    import numpy as np

    entries, first, bits = _lut_descriptor(descriptor)
    table = _lut_values(data, entries, bits)
    if table.size == 0:
        raise PixelDataError("a LUT has no data")
    index = np.clip(array.astype(np.int64) - first, 0, table.size - 1)
    return table[index]


# -- Modality LUT -------------------------------------------------------------------------------


def modality_lut(array: Array, dataset: DatasetBase) -> Array:
    """Stored values to modality values: Modality LUT Sequence, else Rescale Slope and
    Intercept, else unchanged."""
    import numpy as np

    sequence = dataset.get(0x00283000)
    if sequence:
        item = sequence[0]
        return apply_lut(array, item.get(0x00283002), item.get(0x00283006))
    slope = dataset.get(0x00281053)
    intercept = dataset.get(0x00281052)
    if slope is None and intercept is None:
        return array
    slope_value = float(_first(slope)) if slope not in (None, "") else 1.0
    intercept_value = float(_first(intercept)) if intercept not in (None, "") else 0.0
    return array.astype(np.float64) * slope_value + intercept_value


# -- VOI LUT -------------------------------------------------------------------------------------


def window(array: Array, center: float, width: float, function: str = "LINEAR",
           top: float = 255.0) -> Array:
    """A window (PS3.3 C.11.2.1.2) to output values 0 .. ``top``."""
    import numpy as np

    values = array.astype(np.float64)
    function = (function or "LINEAR").strip().upper()
    if function == "SIGMOID":
        if width <= 0:
            raise PixelDataError(f"Window Width {width} must be positive for SIGMOID")
        return top / (1 + np.exp(-4 * (values - center) / width))
    if function == "LINEAR_EXACT":
        if width <= 0:
            raise PixelDataError(f"Window Width {width} must be positive for LINEAR_EXACT")
        scaled = (values - center) / width + 0.5
    else:
        if width < 1:
            raise PixelDataError(f"Window Width {width} must be at least 1 for LINEAR")
        scaled = (values - (center - 0.5)) / (width - 1) + 0.5
    return np.clip(scaled, 0, 1) * top


def voi_lut(array: Array, dataset: DatasetBase, *, center: float | None = None,
            width: float | None = None, top: float = 255.0) -> Array:
    """Modality values to output values 0 .. ``top``: the window given, else the first of
    the data set's windows (with its VOI LUT Function), else its VOI LUT Sequence, else the
    full range of the values."""
    import numpy as np

    if center is not None and width is not None:
        return window(array, center, width, str(dataset.get(0x00281056) or "LINEAR"), top)
    sequence = dataset.get(0x00283010)
    if dataset.get(0x00281050) not in (None, "") and dataset.get(0x00281051) not in (None, ""):
        return window(array, float(_first(dataset.get(0x00281050))),
                      float(_first(dataset.get(0x00281051))),
                      str(dataset.get(0x00281056) or "LINEAR"), top)
    if sequence:
        item = sequence[0]
        _, _, bits = _lut_descriptor(item.get(0x00283002))
        mapped = apply_lut(array, item.get(0x00283002), item.get(0x00283006)).astype(np.float64)
        return mapped * top / max(1, (1 << bits) - 1)
    low, high = float(np.min(array)), float(np.max(array))
    if high == low:
        return np.zeros(array.shape, dtype=np.float64)
    return (array.astype(np.float64) - low) * top / (high - low)


# -- palette colour ----------------------------------------------------------------------------


def expand_segmented(data: Any, bits: int) -> list[int]:
    """A segmented palette (PS3.3 C.7.9.2): discrete (0), linear (1) and indirect (2)
    segments expanded to the plain table."""
    if isinstance(data, tuple):
        words = [int(v) for v in cast("tuple[Any, ...]", data)]
    else:
        raw = bytes(data or b"")
        if bits == 8:  # 8-bit entries are packed two to a word (PS3.3 C.7.6.3.1.6)
            words = list(raw)
        else:
            words = list(struct.unpack(f"<{len(raw) // 2}H", raw[:len(raw) // 2 * 2]))
    out: list[int] = []
    position = 0
    offsets: list[int] = []  # start of each segment in words, for indirect segments

    def run(start: int, stop: int | None) -> None:
        nonlocal out
        index = start
        # a lone trailing word is the padding of 8-bit packed data, not a segment
        while index + 1 < len(words) and (stop is None or index < stop):
            kind, length = words[index], words[index + 1]
            if stop is None:
                offsets.append(index)
            if kind == 0:
                out.extend(words[index + 2:index + 2 + length])
                index += 2 + length
            elif kind == 1:
                if not out:
                    raise PixelDataError("a linear palette segment needs a value before it")
                begin, end = out[-1], words[index + 2]
                out.extend(int(round(begin + (end - begin) * (i + 1) / length))
                           for i in range(length))
                index += 3
            elif kind == 2:
                count = length
                offset = words[index + 2] | words[index + 3] << 16
                first = offsets.index(offset) if offset in offsets else None
                if first is None:
                    raise PixelDataError("an indirect palette segment points at no segment")
                run_from = offsets[first]
                run_to = offsets[first + count] if first + count < len(offsets) else None
                run(run_from, run_to)
                index += 4
            else:
                raise PixelDataError(f"unknown palette segment type {kind}")

    run(position, None)
    return out


def palette(dataset: DatasetBase) -> tuple[Array, int, int]:
    """The data set's palette as (entries x 3 array, first mapped value, bits)."""
    import numpy as np

    channels: list[Array] = []
    first = bits = 0
    for descriptor_tag, data_tag, segmented_tag in ((0x00281101, 0x00281201, 0x00281221),
                                                    (0x00281102, 0x00281202, 0x00281222),
                                                    (0x00281103, 0x00281203, 0x00281223)):
        descriptor = dataset.get(descriptor_tag)
        if descriptor is None:
            raise PixelDataError("PALETTE COLOR needs the Palette Color Lookup Table "
                                 "Descriptors (0028,1101-1103)")
        entries, first, bits = _lut_descriptor(descriptor)
        if segmented_tag in dataset:
            values = np.asarray(expand_segmented(dataset.get(segmented_tag), bits))[:entries]
        else:
            values = _lut_values(dataset.get(data_tag), entries, bits)
        channels.append(values)
    size = min(len(c) for c in channels)
    return np.stack([c[:size] for c in channels], axis=-1), first, bits


def palette_to_rgb(array: Array, dataset: DatasetBase) -> Array:
    """Palette indices to RGB in the palette's bit depth."""
    import numpy as np

    table, first, bits = palette(dataset)
    index = np.clip(array.astype(np.int64) - first, 0, len(table) - 1)
    return table[index].astype(np.uint16 if bits > 8 else np.uint8)


# -- the whole pipeline -------------------------------------------------------------------------


def display_frame(dataset: DatasetBase, index: int = 0, *, center: float | None = None,
                  width: float | None = None) -> Array:
    """Frame ``index`` as displayed: 8-bit grey (rows, columns) or RGB (rows, columns, 3)."""
    import numpy as np

    from authoring.pixels.api import frame
    from authoring.pixels.info import pixel_info

    info = pixel_info(dataset)
    stored = frame(dataset, index)
    photometric = info.photometric
    if photometric == "PALETTE COLOR":
        rgb = palette_to_rgb(stored, dataset)
        bits = 16 if rgb.dtype == np.uint16 else 8
        return (rgb.astype(np.float64) * 255 / ((1 << bits) - 1) + 0.5).astype(np.uint8)
    if info.samples == 3:
        rgb = stored.astype(np.float64)
        top = float((1 << info.bits_stored) - 1)
        return np.clip(rgb * 255 / top + 0.5, 0, 255).astype(np.uint8)
    values = modality_lut(stored, dataset)
    out = voi_lut(values, dataset, center=center, width=width)
    shape = str(dataset.get(0x20500020) or "").strip().upper()
    if (photometric == "MONOCHROME1") != (shape == "INVERSE"):
        out = 255 - out
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def montage(frames: list[Array], columns: int | None = None) -> Array:
    """Frames of one size tiled into one image, row by row."""
    import numpy as np

    if not frames:
        raise PixelDataError("no frames to tile")
    columns = columns or math.ceil(math.sqrt(len(frames)))
    rows = math.ceil(len(frames) / columns)
    height, width = frames[0].shape[:2]
    shape = (rows * height, columns * width, *frames[0].shape[2:])
    sheet = np.zeros(shape, dtype=frames[0].dtype)
    for number, image in enumerate(frames):
        row, column = divmod(number, columns)
        sheet[row * height:(row + 1) * height, column * width:(column + 1) * width] = image
    return sheet


def tiled_full_matrix(dataset: DatasetBase, frames: list[Array]) -> Array | None:
    """A TILED_FULL instance's displayed tiles assembled into its Total Pixel Matrix (the
    first focal plane and optical path; PS3.3 C.7.6.17.3: tiles left to right, then top to
    bottom), cropped to the matrix; None when the instance is not TILED_FULL."""
    if str(dataset.get("DimensionOrganizationType") or "").strip() != "TILED_FULL":
        return None
    try:
        width = int(str(dataset.get("TotalPixelMatrixColumns")))
        height = int(str(dataset.get("TotalPixelMatrixRows")))
    except ValueError:
        return None
    if not frames or width <= 0 or height <= 0:
        return None
    tile_height, tile_width = frames[0].shape[:2]
    across = math.ceil(width / tile_width)
    down = math.ceil(height / tile_height)
    if len(frames) < across * down:
        raise PixelDataError(f"{len(frames)} frames cannot tile a {width} x {height} Total "
                             f"Pixel Matrix in {tile_width} x {tile_height} tiles")
    return montage(frames[:across * down], across)[:height, :width]


def png_bytes(image: Array) -> bytes:
    """An 8-bit grey (2-D) or RGB (3-D) image as PNG (zlib, no dependency)."""
    import zlib

    import numpy as np

    data = np.ascontiguousarray(image, dtype=np.uint8)
    height, width = data.shape[:2]
    colour = 2 if data.ndim == 3 else 0
    rows = data.reshape(height, -1)
    raw = b"".join(b"\x00" + rows[y].tobytes() for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">L", len(body)) + kind + body
                + struct.pack(">L", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">LLBBBBB", width, height, 8, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def well_known_palettes() -> list[str]:
    """The Content Labels of the well-known palettes this edition holds (PS3.6 Annex B)."""
    from authoring._generated.palettes import PALETTES

    return sorted(PALETTES)


def well_known_palette(label: str) -> Array:
    """A well-known palette (``"HOT_IRON"``, ``"PET"``, ...) as a (256, 3) uint8 table."""
    import numpy as np

    from authoring._generated.palettes import PALETTES

    try:
        _, _, _, red, green, blue = PALETTES[label.strip().upper()]
    except KeyError:
        raise PixelDataError(f"no well-known palette {label!r}; this edition has "
                             f"{', '.join(sorted(PALETTES))}") from None
    return np.stack([np.asarray(c, dtype=np.uint8) for c in (red, green, blue)], axis=-1)


def set_palette(dataset: DatasetBase, label: str) -> None:
    """Make ``dataset`` PALETTE COLOR with a well-known palette: the descriptors, the tables
    (8-bit entries) and the palette's SOP Instance UID as Palette Color LUT UID."""
    from authoring._generated.palettes import PALETTES

    table = well_known_palette(label)
    uid, first, bits, *_ = PALETTES[label.strip().upper()]
    dataset.set_value(0x00280004, "PALETTE COLOR")
    for channel, (descriptor, data) in enumerate(((0x00281101, 0x00281201),
                                                  (0x00281102, 0x00281202),
                                                  (0x00281103, 0x00281203))):
        dataset.set_value(descriptor, (len(table), first, bits), "US")
        values = table[:, channel].astype("<u2")  # 8-bit entries still fill 16-bit words
        dataset.set_value(data, values.tobytes(), "OW")
    if uid:
        dataset.set_value(0x00281199, uid)
