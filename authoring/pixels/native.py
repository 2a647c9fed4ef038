"""Native (uncompressed) pixel data from a numpy array: the Image Pixel attributes that
describe it and the bytes of Pixel Data (PS3.3 C.7.6.3, PS3.5 8.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt


def pixel_attributes(array: npt.NDArray[Any], *, photometric: str | None = None,
                     bits_stored: int | None = None, multi_frame: bool | None = None
                     ) -> dict[str, Any]:
    """Image Pixel attributes and Pixel Data for ``array``.

    Shapes: ``(rows, columns)``, ``(rows, columns, samples)`` with 3 samples for colour,
    ``(frames, rows, columns)`` or ``(frames, rows, columns, samples)``. A 3-D array is read
    as colour when its last axis has 3 entries and ``multi_frame`` is not True. Colour data
    is written with Planar Configuration 0 (pixel-interleaved); integer types of 8, 16 or 32
    bits, signed or not, set Bits Allocated and Pixel Representation; bool arrays are packed
    as 1-bit data.
    """
    import numpy as np

    data = np.asarray(array)
    if data.dtype == np.bool_:
        samples = 1
        frames_shape = data.shape
        bits = 1
    else:
        if data.dtype.kind not in "iu" or data.dtype.itemsize not in (1, 2, 4):
            raise TypeError(f"pixel arrays must hold 8, 16 or 32-bit integers (or bool), not "
                            f"{data.dtype}")
        bits = data.dtype.itemsize * 8
        frames_shape = data.shape
    colour = data.ndim == 4 or (data.ndim == 3 and data.shape[-1] == 3 and multi_frame is not True)
    samples = 3 if colour else 1
    if colour:
        frames_shape = data.shape[:-1]
    if len(frames_shape) == 2:
        frames, rows, columns = 1, *frames_shape
    elif len(frames_shape) == 3:
        frames, rows, columns = frames_shape
    else:
        raise ValueError(f"cannot make an image of an array of shape {data.shape}")
    stored = bits_stored if bits_stored is not None else bits
    if not 1 <= stored <= bits:
        raise ValueError(f"bits_stored {stored} does not fit {bits}-bit pixels")
    values: dict[str, Any] = {
        "Rows": rows,
        "Columns": columns,
        "SamplesPerPixel": samples,
        "PhotometricInterpretation": photometric or ("RGB" if colour else "MONOCHROME2"),
        "BitsAllocated": bits,
        "BitsStored": stored,
        "HighBit": stored - 1,
        "PixelRepresentation": 1 if data.dtype.kind == "i" else 0,
    }
    if colour:
        values["PlanarConfiguration"] = 0
    if frames > 1 or multi_frame:
        values["NumberOfFrames"] = frames
    if bits == 1:
        packed = np.packbits(data.reshape(-1).astype(np.uint8), bitorder="little").tobytes()
        values["PixelData"] = packed + (b"\x00" if len(packed) % 2 else b"")
    else:
        values["PixelData"] = np.ascontiguousarray(data, dtype=data.dtype.newbyteorder("<")
                                                   ).tobytes()
    return values
