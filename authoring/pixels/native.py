"""Native (uncompressed) pixel data: arrays to the Image Pixel attributes and Pixel Data
bytes, and Pixel Data bytes back to arrays (PS3.3 C.7.6.3, PS3.5 8.1 and 8.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from authoring.errors import InvalidTypeError, InvalidValueError
from authoring.pixels.info import PixelDataError, PixelInfo

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
    if data.dtype.kind == "f":
        return _float_attributes(data, multi_frame)
    if data.dtype == np.bool_:
        samples = 1
        frames_shape = data.shape
        bits = 1
    else:
        if data.dtype.kind not in "iu" or data.dtype.itemsize not in (1, 2, 4):
            raise InvalidTypeError("pixel arrays must hold 8, 16 or 32-bit integers (or bool), "
                                   f"not {data.dtype}")
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
        raise InvalidValueError(f"cannot make an image of an array of shape {data.shape}")
    stored = bits_stored if bits_stored is not None else bits
    if not 1 <= stored <= bits:
        raise InvalidValueError(f"bits_stored {stored} does not fit {bits}-bit pixels")
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


def _float_attributes(data: npt.NDArray[Any], multi_frame: bool | None) -> dict[str, Any]:
    """Float Pixel Data (float32) or Double Float Pixel Data (float64), one sample."""
    import numpy as np

    if data.dtype.itemsize not in (4, 8):
        raise InvalidTypeError(f"float pixel arrays must be float32 or float64, not {data.dtype}")
    if data.ndim == 2:
        frames, (rows, columns) = 1, data.shape
    elif data.ndim == 3:
        frames, rows, columns = data.shape
    else:
        raise InvalidValueError(f"cannot make a float image of an array of shape {data.shape}")
    keyword = "FloatPixelData" if data.dtype.itemsize == 4 else "DoubleFloatPixelData"
    values: dict[str, Any] = {
        "Rows": rows, "Columns": columns, "SamplesPerPixel": 1,
        "PhotometricInterpretation": "MONOCHROME2", "BitsAllocated": data.dtype.itemsize * 8,
        keyword: np.ascontiguousarray(data, dtype=data.dtype.newbyteorder("<")).tobytes(),
    }
    if frames > 1 or multi_frame:
        values["NumberOfFrames"] = frames
    return values


def native_frame_bytes(info: PixelInfo) -> int:
    """Bytes of one native frame (YBR_FULL_422 holds two samples per pixel)."""
    if info.photometric == "YBR_FULL_422" and info.samples == 3 and info.bits_allocated != 1:
        return info.frame_pixels * 2 * (info.bits_allocated // 8)
    return info.frame_bytes


def decode_native(data: Any, info: PixelInfo, index: int | None = None) -> npt.NDArray[Any]:
    """Native Pixel Data (bytes, or an array set in code) -> one frame (``index``) or all
    frames, shaped (rows, columns[, samples]) or (frames, rows, columns[, samples]).

    1-bit data is unpacked (least significant bit first); signed values with Bits Stored
    below Bits Allocated are sign-extended and unsigned ones masked to Bits Stored; planar
    configuration 1 is reordered to pixel-interleaved; native YBR_FULL_422 is upsampled to
    three samples per pixel. Whole-frame views of the original bytes are returned where no
    change is needed (read-only)."""
    import numpy as np

    if isinstance(data, np.ndarray):
        data = bytes(np.ascontiguousarray(cast("npt.NDArray[Any]", data)).tobytes())
    buffer = memoryview(data).cast("B")
    frames = range(info.frames) if index is None else range(index, index + 1)
    if index is not None and not 0 <= index < info.frames:
        raise PixelDataError(f"frame {index} does not exist: Number of Frames is {info.frames}")
    if info.bits_allocated == 1:
        needed = (info.frame_pixels * info.samples * info.frames + 7) // 8
        if len(buffer) < needed:
            raise PixelDataError(f"Pixel Data has {len(buffer)} bytes; {info.frames} frame(s) "
                                 f"of {info.rows} x {info.columns} 1-bit pixels need {needed}")
        bits = np.unpackbits(np.frombuffer(buffer, dtype=np.uint8), bitorder="little")
        per_frame = info.frame_pixels * info.samples
        start = frames.start * per_frame
        values = bits[start:start + per_frame * len(frames)]
        shaped = values.reshape(len(frames), *info.frame_shape())
        return shaped[0] if index is not None or info.frames == 1 else shaped
    frame_size = native_frame_bytes(info)
    needed = frame_size * info.frames
    if len(buffer) < needed:
        raise PixelDataError(f"Pixel Data has {len(buffer)} bytes; {info.frames} frame(s) of "
                             f"{info.rows} x {info.columns} x {info.samples} samples of "
                             f"{info.bits_allocated} bits need {needed}")
    dtype = info.dtype()
    start = frames.start * frame_size
    count = frame_size * len(frames) // dtype.itemsize
    values = np.frombuffer(buffer, dtype=dtype, count=count, offset=start)
    if info.photometric == "YBR_FULL_422" and info.samples == 3:
        from authoring.pixels.color import upsample_422

        per_frame = frame_size // dtype.itemsize
        shaped = np.stack([upsample_422(values[i * per_frame:(i + 1) * per_frame], info.rows,
                                        info.columns) for i in range(len(frames))])
    elif info.samples > 1 and info.planar == 1:
        planes = values.reshape(len(frames), info.samples, info.rows, info.columns)
        shaped = np.ascontiguousarray(planes.transpose(0, 2, 3, 1))
    else:
        shaped = values.reshape(len(frames), *info.frame_shape())
    if not info.is_float and info.bits_stored < info.bits_allocated:
        shaped = _fix_unused_bits(shaped, info)
    return shaped[0] if index is not None or info.frames == 1 else shaped


def _fix_unused_bits(values: npt.NDArray[Any], info: PixelInfo) -> npt.NDArray[Any]:
    """Sign-extend (signed) or mask (unsigned) the bits above High Bit."""
    shift = info.bits_allocated - info.bits_stored
    if info.signed:
        return (values << shift) >> shift
    return values & ((1 << info.bits_stored) - 1)
