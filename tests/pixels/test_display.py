"""Colour spaces, the display pipeline and ``authoring show``, checked against the
standard's equations and pydicom's implementations of the same steps."""

from __future__ import annotations

import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import authoring
from authoring.cli.app import app
from authoring.pixels import color, display
from tests.conftest import pydicom_data


def _read(name: str) -> authoring.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return authoring.read(pydicom_data() / "test_files" / name)


def test_ybr_full_round_trip_and_reference_values() -> None:
    rgb = np.random.default_rng(5).integers(0, 256, (64, 64, 3)).astype(np.uint8)
    back = color.ybr_full_to_rgb(color.rgb_to_ybr_full(rgb))
    assert np.abs(back.astype(int) - rgb.astype(int)).max() <= 1
    # PS3.3 C.7.6.3.1.2: white is Y 255, Cb and Cr 128; pure red has Cr near 255
    assert color.rgb_to_ybr_full(np.array([[255, 255, 255]], np.uint8)).tolist() == \
        [[255, 128, 128]]
    assert color.rgb_to_ybr_full(np.array([[255, 0, 0]], np.uint8)).tolist() == [[76, 85, 255]]


def test_ybr_rct_is_exact() -> None:
    rgb = np.random.default_rng(6).integers(0, 4096, (16, 16, 3)).astype(np.uint16)
    assert np.array_equal(color.ybr_rct_to_rgb(color.rgb_to_ybr_rct(rgb)).astype(np.uint16),
                          rgb)


def test_ybr_to_rgb_agrees_with_pydicom() -> None:
    from pydicom.pixels import convert_color_space

    ybr = np.random.default_rng(7).integers(0, 256, (32, 32, 3)).astype(np.uint8)
    ours = color.ybr_full_to_rgb(ybr)
    theirs = convert_color_space(ybr, "YBR_FULL", "RGB")
    assert np.abs(ours.astype(int) - theirs.astype(int)).max() <= 1


def test_modality_and_voi_luts_agree_with_pydicom() -> None:
    from pydicom import dcmread
    from pydicom.pixels import apply_modality_lut, apply_voi_lut

    for name in ("CT_small.dcm", "MR_small.dcm"):
        ours = _read(name)
        theirs = dcmread(pydicom_data() / "test_files" / name)
        arr = ours.pixel_array
        modality = display.modality_lut(arr, ours)
        assert np.allclose(modality, apply_modality_lut(theirs.pixel_array, theirs))
        windowed = display.window(modality, 40, 400, "LINEAR", 255)
        ds = theirs.copy()
        ds.WindowCenter, ds.WindowWidth, ds.VOILUTFunction = 40, 400, "LINEAR"
        reference = apply_voi_lut(apply_modality_lut(theirs.pixel_array, ds), ds)
        # pydicom maps into the input's range; compare after scaling both to 0..1
        low, high = reference.min(), reference.max()
        if high > low:
            assert np.allclose((windowed - windowed.min()) / np.ptp(windowed),
                               (reference - low) / (high - low), atol=1e-6)


def test_window_functions() -> None:
    values = np.array([-1000.0, 40.0, 1000.0])
    assert display.window(values, 40, 400).tolist() == [0.0, pytest.approx(127.8, 0.01), 255]
    assert display.window(values, 40, 400, "LINEAR_EXACT").tolist()[1] == pytest.approx(127.5)
    sigmoid = display.window(values, 40, 400, "SIGMOID")
    assert sigmoid[1] == pytest.approx(127.5) and sigmoid[0] < 1 and sigmoid[2] > 254


def test_well_known_palettes_equal_pydicoms() -> None:
    from pydicom.pixels import apply_color_lut

    from authoring._generated.palettes import PALETTES

    indices = np.arange(256, dtype=np.uint8).reshape(16, 16)
    assert display.well_known_palettes() == ["FALL", "HOT_IRON", "HOT_METAL_BLUE", "PET",
                                             "PET_20_STEP", "SPRING", "SUMMER", "WINTER"]
    for label in display.well_known_palettes():
        uid = PALETTES[label][0]
        ours = display.well_known_palette(label)[indices]
        # by UID: pydicom 3.0's label lookup swaps FALL and WINTER (its UID table is right)
        theirs = apply_color_lut(indices, palette=uid)
        assert np.array_equal(ours, theirs.astype(np.uint8)), label


def test_seasonal_palettes_start_and_end_where_their_names_say() -> None:
    """Independent of pydicom's label table (which swaps FALL and WINTER): SPRING runs
    magenta to yellow, SUMMER starts green, FALL runs yellow to red, WINTER starts blue."""
    spring, summer = display.well_known_palette("SPRING"), display.well_known_palette("SUMMER")
    fall, winter = display.well_known_palette("FALL"), display.well_known_palette("WINTER")
    assert spring[0].tolist() == [255, 0, 255] and spring[255].tolist() == [255, 255, 0]
    assert summer[0].tolist() == [0, 255, 0]
    assert fall[0].tolist() == [255, 255, 0] and fall[255].tolist() == [255, 0, 0]
    assert winter[0].tolist() == [0, 0, 255]


def test_segmented_eight_bit_tables_are_packed_and_padded() -> None:
    # discrete 1 value 0, linear 127 steps to 0, linear 128 steps to 254, then a pad byte
    packed = bytes([0, 1, 0, 1, 127, 0, 1, 128, 254, 0])
    table = display.expand_segmented(packed, 8)
    assert len(table) == 256 and table[:128] == [0] * 128 and table[-1] == 254
    words = np.array([0, 2, 10, 20, 1, 2, 40], dtype="<u2").tobytes()
    assert display.expand_segmented(words, 16) == [10, 20, 30, 40]


def test_palette_colour_files_agree_with_pydicom() -> None:
    from pydicom import dcmread
    from pydicom.pixels import apply_color_lut

    dataset = _read("examples_palette.dcm")
    theirs = dcmread(pydicom_data() / "test_files" / "examples_palette.dcm")
    ours = display.palette_to_rgb(dataset.pixel_array, dataset)
    assert np.array_equal(ours, apply_color_lut(theirs.pixel_array, theirs))


def test_segmented_palette_expansion() -> None:
    # discrete 0..2, linear to 10 over 4 entries, then an indirect copy of the first segment
    words = (0, 3, 0, 1, 2, 1, 4, 10, 2, 1, 0, 0)
    assert display.expand_segmented(words, 16) == [0, 1, 2, 4, 6, 8, 10, 0, 1, 2]


def test_set_palette_makes_a_palette_image() -> None:
    dataset = authoring.Dataset()
    dataset.set_pixel_data(np.arange(256, dtype=np.uint8).reshape(16, 16))
    display.set_palette(dataset, "HOT_IRON")
    assert dataset.PhotometricInterpretation == "PALETTE COLOR"
    assert str(dataset.PaletteColorLookupTableUID) == "1.2.840.10008.1.5.1"
    rgb = display.display_frame(dataset)
    assert rgb.shape == (16, 16, 3) and np.array_equal(
        rgb.reshape(-1, 3), display.well_known_palette("HOT_IRON"))


def test_monochrome1_and_presentation_shape_invert() -> None:
    dataset = authoring.Dataset()
    dataset.set_pixel_data(np.array([[0, 255]], np.uint8))
    assert display.display_frame(dataset).tolist() == [[0, 255]]
    dataset.PhotometricInterpretation = "MONOCHROME1"
    assert display.display_frame(dataset).tolist() == [[255, 0]]
    dataset.PresentationLUTShape = "INVERSE"
    assert display.display_frame(dataset).tolist() == [[0, 255]]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return width, height


def test_png_encoding_is_valid() -> None:
    image = np.arange(12, dtype=np.uint8).reshape(3, 4)
    data = display.png_bytes(image)
    assert _png_size(data) == (4, 3)
    start = data.index(b"IDAT") + 4
    length = int.from_bytes(data[start - 8:start - 4], "big")
    raw = zlib.decompress(data[start:start + length])
    assert raw == b"".join(b"\x00" + bytes(row) for row in image.tolist())


def test_show_command(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "ct.png"
    ct = pydicom_data() / "test_files" / "CT_small.dcm"
    result = runner.invoke(app, ["show", str(ct), "--png", str(out), "--window", "40,400"])
    assert result.exit_code == 0, result.output
    assert _png_size(out.read_bytes()) == (128, 128)
    multi = pydicom_data() / "test_files" / "SC_rgb_rle_2frame.dcm"
    result = runner.invoke(app, ["show", str(multi), "--png", str(tmp_path / "m.png")])
    assert result.exit_code == 0 and _png_size((tmp_path / "m.png").read_bytes()) == (200, 100)
    bad = runner.invoke(app, ["show", str(ct), "--png", str(tmp_path / "x.png"), "--window",
                              "oops"])
    assert bad.exit_code == 2 and not (tmp_path / "x.png").exists()
