"""Native layouts, frames and fragments, set_pixel_data, the RLE fallback and bad input."""

from __future__ import annotations

import struct
import warnings
from pathlib import Path

import numpy as np
import pytest

import authoring
from authoring.encoding.encapsulated import EncapsulatedPixelData
from authoring.object.element import DataElement
from authoring.pixels import PixelDataError, pixel_array, set_pixel_data
from authoring.pixels import rle
from authoring.pixels.codecs import JPEG_2000_LOSSLESS, JPEG_LS_LOSSLESS, RLE_LOSSLESS
from tests.conftest import pydicom_data


def _read(name: str) -> authoring.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return authoring.read(pydicom_data() / "test_files" / name)


def _image(array: np.ndarray, **options: object) -> authoring.Dataset:
    dataset = authoring.Dataset(SOPClassUID="1.2.840.10008.5.1.4.1.1.7", SOPInstanceUID="1.2.3")
    set_pixel_data(dataset, array, **options)  # type: ignore[arg-type]
    return dataset


def test_native_layouts_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    arrays = [
        rng.integers(0, 2, (5, 13)).astype(bool),  # 1-bit, packed across bytes
        rng.integers(-2000, 2000, (3, 6, 7)).astype(np.int16),  # multi-frame signed
        rng.integers(0, 256, (4, 5, 3)).astype(np.uint8),  # colour
        rng.integers(0, 2**31, (2, 3)).astype(np.uint32),
        rng.normal(size=(2, 4, 4)).astype(np.float64),  # Double Float Pixel Data
    ]
    for index, array in enumerate(arrays):
        dataset = _image(array, multi_frame=array.ndim == 3 and array.shape[-1] != 3)
        for syntax in ("ExplicitVRLittleEndian", "ExplicitVRBigEndian", "ImplicitVRLittleEndian"):
            path = tmp_path / f"{index}-{syntax}.dcm"
            authoring.write(dataset, path, transfer_syntax=syntax)
            assert np.array_equal(authoring.read(path).pixel_array, array.astype(
                np.uint8) if array.dtype == bool else array), (index, syntax)


def test_sign_extension_and_masking() -> None:
    stored = np.array([[0x0FFF, 0x0800, 0x0001, 0xF7FF]], dtype=np.uint16)  # 12 of 16 bits
    dataset = _image(stored, bits_stored=12)
    assert dataset.pixel_array.tolist() == [[0x0FFF, 0x0800, 0x0001, 0x07FF]]  # masked
    dataset.PixelRepresentation = 1
    assert dataset.pixel_array.tolist() == [[-1, -2048, 1, 2047]]  # sign-extended


def test_planar_configuration_one() -> None:
    rgb = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    dataset = _image(rgb)
    planes = np.ascontiguousarray(rgb.transpose(2, 0, 1)).tobytes()
    dataset.PixelData = planes
    dataset.PlanarConfiguration = 1
    assert np.array_equal(dataset.pixel_array, rgb)


def test_big_endian_file_reads_the_same_pixels() -> None:
    assert np.array_equal(_read("MR_small_bigendian.dcm").pixel_array,
                          _read("MR_small.dcm").pixel_array)


def test_big_endian_transcodes(tmp_path: Path) -> None:
    big = _read("MR_small_bigendian.dcm")
    reference = big.pixel_array
    authoring.write(big, tmp_path / "rle.dcm", transfer_syntax=RLE_LOSSLESS)
    rle_file = authoring.read(tmp_path / "rle.dcm")
    assert np.array_equal(rle_file.pixel_array, reference)
    authoring.write(rle_file, tmp_path / "back.dcm", transfer_syntax="ExplicitVRBigEndian")
    assert np.array_equal(authoring.read(tmp_path / "back.dcm").pixel_array, reference)


def test_set_pixel_data_encodes_and_sets_every_attribute() -> None:
    array = np.random.default_rng(1).integers(0, 4096, (3, 32, 16)).astype(np.uint16)
    dataset = _image(array, transfer_syntax=JPEG_LS_LOSSLESS, bits_stored=12,
                     multi_frame=True)
    assert (dataset.Rows, dataset.Columns, dataset.NumberOfFrames, dataset.BitsAllocated,
            dataset.BitsStored, dataset.HighBit, dataset.PixelRepresentation,
            dataset.SamplesPerPixel) == (32, 16, 3, 16, 12, 11, 0, 1)
    assert dataset["PixelData"].undefined_length
    assert dataset.file_meta is not None and dataset.file_meta.TransferSyntaxUID == \
        JPEG_LS_LOSSLESS
    assert np.array_equal(dataset.pixel_array, array)
    assert np.array_equal(dataset.frame(2), array[2])


def test_a_builder_takes_compressed_pixels(tmp_path: Path) -> None:
    from authoring.iods import CTImage

    pixels = (np.arange(64 * 64, dtype=np.int16) % 2000 - 1000).reshape(64, 64)
    ct = CTImage(Modality="CT", ImageType=["ORIGINAL", "PRIMARY", "AXIAL"], PixelSpacing=[1, 1],
                 ImageOrientationPatient=[1, 0, 0, 0, 1, 0], ImagePositionPatient=[0, 0, 0],
                 RescaleIntercept=0, RescaleSlope=1, pixel_array=pixels)
    ct.set_pixel_data(pixels, transfer_syntax=JPEG_2000_LOSSLESS)
    authoring.write(ct, tmp_path / "ct.dcm")
    back = authoring.read(tmp_path / "ct.dcm")
    assert back.file_meta is not None and back.file_meta.TransferSyntaxUID == JPEG_2000_LOSSLESS
    assert np.array_equal(back.pixel_array, pixels) and back.validate().ok


def _encapsulated(frames: list[bytes], number: int, table: bytes = b"") -> authoring.Dataset:
    dataset = _image(np.zeros((8, 8), np.uint8))
    dataset.NumberOfFrames = number
    dataset.add(DataElement(0x7FE00010, "OB", EncapsulatedPixelData(table, frames),
                            undefined_length=True))
    assert dataset.file_meta is not None or True
    from authoring.pixels.api import _set_transfer_syntax

    _set_transfer_syntax(dataset, RLE_LOSSLESS)
    return dataset


def test_fragments_and_offset_tables() -> None:
    from authoring.pixels.info import pixel_info

    frames = [np.full((8, 8), value, np.uint8) for value in (3, 7, 9)]
    dataset = _image(frames[0])
    info = pixel_info(dataset)
    encoded = [rle.encode_frame(f, info) for f in frames]
    split = [encoded[0][:40], encoded[0][40:], encoded[1], encoded[2]]  # frame 1 in two
    starts, position = [], 0
    for index, fragment in enumerate(split):
        if index != 1:
            starts.append(position)
        position += 8 + len(fragment)
    with_table = _encapsulated(split, 3, struct.pack("<3L", *starts))
    assert [int(f[0, 0]) for f in with_table.iter_frames()] == [3, 7, 9]
    assert int(with_table.frame(2)[0, 0]) == 9
    extended = _encapsulated(split, 3)
    extended.set_value(0x7FE00001, struct.pack("<3Q", *starts), "OV")
    extended.set_value(0x7FE00002, struct.pack("<3Q", len(encoded[0]), len(encoded[1]),
                                               len(encoded[2])), "OV")
    assert [int(f[0, 0]) for f in extended.iter_frames()] == [3, 7, 9]
    with pytest.raises(PixelDataError, match="4 fragments cannot be divided into 3 frames"):
        pixel_array(_encapsulated(split, 3))


def test_rle_pure_python_matches_the_fast_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    from authoring.pixels.info import pixel_info

    array = np.random.default_rng(3).integers(0, 4, (20, 33, 3)).astype(np.uint16)
    info = pixel_info(_image(array))
    fast = rle.encode_frame(array, info)
    monkeypatch.setattr(rle, "_imagecodecs", lambda: None)
    slow = rle.encode_frame(array, info)
    assert np.array_equal(rle.decode_frame(fast, info), array)
    assert np.array_equal(rle.decode_frame(slow, info), array)
    assert rle.unpack_bits(rle.pack_bits(bytes(range(200)) * 3 + b"\x05" * 300)) == \
        bytes(range(200)) * 3 + b"\x05" * 300


BAD = [
    ("BitsStored", 20, "Bits Stored"),
    ("HighBit", 3, "High Bit"),
    ("Rows", 0, "Rows"),
    ("SamplesPerPixel", 2, "Samples per Pixel"),
    ("NumberOfFrames", 5, "Pixel Data has"),
    ("BitsAllocated", 12, "Bits Allocated"),
]


@pytest.mark.parametrize(("keyword", "value", "message"), BAD)
def test_bad_pixel_attributes_name_the_attribute(keyword: str, value: int, message: str) -> None:
    dataset = _read("CT_small.dcm")
    dataset.set_value(keyword, value)
    with pytest.raises(PixelDataError, match=message):
        dataset.pixel_array  # noqa: B018
    assert str(dataset.PatientName) == "CompressedSamples^CT1"  # the rest still reads


def test_truncated_and_mismatched_fragments() -> None:
    dataset = _read("MR_small_RLE.dcm")
    value = dataset["PixelData"].value
    truncated = EncapsulatedPixelData(value.offset_table, [value.fragments[0][:100]])
    dataset.add(DataElement(0x7FE00010, "OB", truncated, undefined_length=True))
    with pytest.raises(PixelDataError, match="RLE segment"):
        dataset.pixel_array  # noqa: B018
    dataset.NumberOfFrames = 2
    with pytest.raises(PixelDataError, match="Basic Offset Table has|fragments cannot be"):
        dataset.pixel_array  # noqa: B018
    assert dataset.Modality == "MR"
