"""What the Image Pixel attributes say about Pixel Data (PS3.3 C.7.6.3), checked.

Every codec and the native decoder start from a :class:`PixelInfo`; inconsistent attributes
are refused here with an error naming the attribute, so that bad pixel attributes never
reach a decoder.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

from authoring.errors import LocatedError

if TYPE_CHECKING:
    import numpy as np

    from authoring.object.dataset import DatasetBase

PIXEL_DATA = 0x7FE00010
FLOAT_PIXEL_DATA = 0x7FE00008
DOUBLE_FLOAT_PIXEL_DATA = 0x7FE00009


class PixelDataError(LocatedError, ValueError):
    """Pixel Data or the Image Pixel attributes are missing, inconsistent or undecodable
    (with the file, the pixel data element's tag and the frame's byte offset where known)."""


@dataclass(frozen=True)
class PixelInfo:
    """The shape and encoding of the pixels of one data set."""

    rows: int
    columns: int
    samples: int
    bits_allocated: int
    bits_stored: int
    high_bit: int
    signed: bool
    planar: int  # Planar Configuration: 0 pixel-interleaved, 1 plane by plane
    frames: int
    photometric: str
    element: int = PIXEL_DATA  # Pixel Data, Float Pixel Data or Double Float Pixel Data

    @property
    def is_float(self) -> bool:
        """Float or Double Float Pixel Data."""
        return self.element != PIXEL_DATA

    @property
    def frame_pixels(self) -> int:
        """Pixels (not samples) in one frame."""
        return self.rows * self.columns

    @property
    def frame_bytes(self) -> int:
        """Bytes of one native frame (bit-packed data rounds up per frame only at the end)."""
        if self.bits_allocated == 1:
            return (self.frame_pixels * self.samples + 7) // 8
        return self.frame_pixels * self.samples * (self.bits_allocated // 8)

    @property
    def native_bytes(self) -> int:
        """Bytes of all native frames (1-bit data is packed across frame boundaries)."""
        if self.bits_allocated == 1:
            return (self.frame_pixels * self.samples * self.frames + 7) // 8
        return self.frame_bytes * self.frames

    def dtype(self) -> np.dtype[Any]:
        """The numpy type of decoded pixel values."""
        import numpy as np

        if self.is_float:
            return np.dtype("<f4" if self.bits_allocated == 32 else "<f8")
        if self.bits_allocated == 1:
            return np.dtype(np.uint8)
        size = self.bits_allocated // 8
        return np.dtype(f"<{'i' if self.signed else 'u'}{size}")

    def frame_shape(self) -> tuple[int, ...]:
        """The shape of one decoded frame: (rows, columns) or (rows, columns, samples)."""
        if self.samples > 1:
            return (self.rows, self.columns, self.samples)
        return (self.rows, self.columns)

    def with_photometric(self, photometric: str) -> PixelInfo:
        """The same pixels under another Photometric Interpretation."""
        return replace(self, photometric=photometric)


def _integer(dataset: DatasetBase, tag: int, name: str, default: int | None = None) -> int:
    value: Any = dataset.get(tag)
    if isinstance(value, tuple):
        several = cast("tuple[Any, ...]", value)
        value = several[0] if several else None
    if value is None or value == "":
        if default is not None:
            return default
        raise PixelDataError(f"{name} is missing; it is needed to read Pixel Data")
    try:
        return int(str(value).strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        raise PixelDataError(f"{name} {value!r} is not a number") from None


#: The VRs each pixel data element may have (UN: read from a file that did not say).
_PIXEL_VRS = {PIXEL_DATA: ("OB", "OW", "UN"), FLOAT_PIXEL_DATA: ("OF", "UN"),
              DOUBLE_FLOAT_PIXEL_DATA: ("OD", "UN")}


def pixel_element(dataset: DatasetBase) -> int | None:
    """The tag of the pixel data element present (Pixel Data, Float, Double Float)."""
    for tag in (PIXEL_DATA, FLOAT_PIXEL_DATA, DOUBLE_FLOAT_PIXEL_DATA):
        if tag in dataset.elements:
            return tag
    return None


def pixel_info(dataset: DatasetBase) -> PixelInfo:
    """The checked pixel description of ``dataset``."""
    element = pixel_element(dataset)
    if element is None:
        raise PixelDataError("the data set has no Pixel Data (7FE0,0010), Float Pixel Data "
                             "(7FE0,0008) or Double Float Pixel Data (7FE0,0009)")
    vr = dataset.elements[element].vr
    allowed = _PIXEL_VRS[element]
    if vr not in allowed:
        raise PixelDataError(f"the pixel data element has VR {vr}; {' or '.join(allowed)} "
                             "expected")
    rows = _integer(dataset, 0x00280010, "Rows (0028,0010)")
    columns = _integer(dataset, 0x00280011, "Columns (0028,0011)")
    samples = _integer(dataset, 0x00280002, "Samples per Pixel (0028,0002)", 1)
    default_bits = 32 if element == FLOAT_PIXEL_DATA else 64 if element == \
        DOUBLE_FLOAT_PIXEL_DATA else None
    allocated = _integer(dataset, 0x00280100, "Bits Allocated (0028,0100)", default_bits)
    stored = _integer(dataset, 0x00280101, "Bits Stored (0028,0101)", allocated)
    high = _integer(dataset, 0x00280102, "High Bit (0028,0102)", stored - 1)
    signed = _integer(dataset, 0x00280103, "Pixel Representation (0028,0103)", 0) == 1
    planar = _integer(dataset, 0x00280006, "Planar Configuration (0028,0006)", 0)
    frames = _integer(dataset, 0x00280008, "Number of Frames (0028,0008)", 1)
    photometric = str(dataset.get(0x00280004) or ("MONOCHROME2" if samples == 1 else "RGB"))
    photometric = photometric.strip()
    if rows <= 0 or columns <= 0:
        raise PixelDataError(f"Rows (0028,0010) {rows} and Columns (0028,0011) {columns} must "
                             "both be positive")
    if samples not in (1, 3, 4):
        raise PixelDataError(f"Samples per Pixel (0028,0002) {samples} is not 1 or 3")
    if allocated not in (1, 8, 16, 32, 64):
        raise PixelDataError(f"Bits Allocated (0028,0100) {allocated} is not 1, 8, 16, 32 or "
                             "64")
    if not 1 <= stored <= allocated:
        raise PixelDataError(f"Bits Stored (0028,0101) {stored} does not fit Bits Allocated "
                             f"(0028,0100) {allocated}")
    if high != stored - 1:
        raise PixelDataError(f"High Bit (0028,0102) {high} is not Bits Stored (0028,0101) "
                             f"minus one ({stored - 1})")
    if planar not in (0, 1):
        raise PixelDataError(f"Planar Configuration (0028,0006) {planar} is not 0 or 1")
    if frames < 1:
        raise PixelDataError(f"Number of Frames (0028,0008) {frames} is not positive")
    if element != PIXEL_DATA and allocated not in (32, 64):
        raise PixelDataError(f"Bits Allocated (0028,0100) {allocated} does not match float "
                             "pixel data")
    return PixelInfo(rows, columns, samples, allocated, stored, high, signed, planar, frames,
                     photometric, element)
