"""Encoding: every native corpus image written in each lossless syntax decodes back to the
same array here, in pydicom, and in dcmtk or GDCM; lossy encoders stay within their
tolerance and set the compression attributes; what a codec cannot hold is refused clearly."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest

import authoring
from authoring.errors import AuthoringError, WriteError
from authoring.pixels import EncodeOptions, set_pixel_data
from authoring.pixels.codecs import (
    HTJ2K_LOSSLESS,
    JPEG_2000,
    JPEG_2000_LOSSLESS,
    JPEG_BASELINE,
    JPEG_LOSSLESS_SV1,
    JPEG_LS_LOSSLESS,
    JPEG_LS_NEAR_LOSSLESS,
    RLE_LOSSLESS,
)
from tests.conftest import corpus_files, pydicom_data, require_tool

LOSSLESS = {"RLE": RLE_LOSSLESS, "JPEG-LS": JPEG_LS_LOSSLESS, "JPEG 2000": JPEG_2000_LOSSLESS,
            "JPEG Lossless SV1": JPEG_LOSSLESS_SV1, "HTJ2K": HTJ2K_LOSSLESS}


def _native_images() -> list[str]:
    found = []
    for name in corpus_files():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = authoring.read(pydicom_data() / name)
            if 0x7FE00010 in ds and not ds["PixelData"].undefined_length:
                ds.pixel_array  # noqa: B018 - decodable
                found.append(name)
        except AuthoringError:
            continue
    return found


NATIVE = _native_images()


def _read(path: Path) -> authoring.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return authoring.read(path)


@pytest.mark.slow
@pytest.mark.parametrize("codec", sorted(LOSSLESS))
def test_lossless_round_trip_here_and_in_pydicom(codec: str, tmp_path: Path) -> None:
    import pydicom

    uid = LOSSLESS[codec]
    written = refused = 0
    for index, name in enumerate(NATIVE):
        dataset = _read(pydicom_data() / name)
        reference = dataset.pixel_array
        target = tmp_path / f"{index}.dcm"
        try:
            authoring.write(dataset, target, transfer_syntax=uid)
        except WriteError as exc:
            # only pixels the syntax cannot hold: 1-bit, float, more than 16 bits, ...
            assert "cannot be written as" in str(exc) and dataset.BitsAllocated in (1, 32, 64), (
                name, str(exc))
            refused += 1
            continue
        written += 1
        back = _read(target)
        assert back.file_meta is not None and back.file_meta.TransferSyntaxUID == uid
        assert np.array_equal(back.pixel_array, reference), name
        if codec == "JPEG Lossless SV1" and dataset.PhotometricInterpretation == "YBR_FULL_422":
            continue  # pydicom converts the decoded YBR twice; ours is checked above
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = pydicom.dcmread(target).pixel_array
        assert np.array_equal(theirs, reference), name
    print(f"\n{codec}: {written} native corpus images round-trip; {refused} refused")
    assert written > 50


EXTERNAL = {"RLE": ("dcmdrle", RLE_LOSSLESS), "JPEG-LS": ("dcmdjpls", JPEG_LS_LOSSLESS),
            "JPEG Lossless SV1": ("dcmdjpeg", JPEG_LOSSLESS_SV1),
            "JPEG 2000": ("gdcmconv", JPEG_2000_LOSSLESS)}


def _first(photometric: str, bits: int, signed: int | None = None) -> str:
    """The first native corpus image of a kind."""
    for name in NATIVE:
        ds = _read(pydicom_data() / name)
        if ds.PhotometricInterpretation == photometric and ds.BitsAllocated == bits and (
                signed is None or ds.PixelRepresentation == signed):
            return name
    raise LookupError(f"no native {photometric} {bits}-bit image in the corpus")


SAMPLES = sorted({_first("MONOCHROME2", 16, 1), _first("MONOCHROME2", 16, 0),
                  _first("MONOCHROME2", 8), _first("RGB", 8),
                  "test_files/MR_small_bigendian.dcm", "test_files/SC_rgb_small_odd.dcm"})


@pytest.mark.external
@pytest.mark.parametrize("codec", sorted(EXTERNAL))
def test_dcmtk_and_gdcm_decode_what_we_encode(codec: str, tmp_path: Path) -> None:
    tool, uid = EXTERNAL[codec]
    executable = require_tool(tool)
    for index, name in enumerate(SAMPLES):
        dataset = _read(pydicom_data() / name)
        encoded = tmp_path / f"{index}.dcm"
        try:
            authoring.write(dataset, encoded, transfer_syntax=uid)
        except WriteError:
            continue
        decoded = tmp_path / f"{index}-raw.dcm"
        command = [executable, "--raw", str(encoded), str(decoded)] if tool == "gdcmconv" \
            else [executable, str(encoded), str(decoded)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (tool, name, result.stderr)
        assert np.array_equal(_read(decoded).pixel_array, dataset.pixel_array), (tool, name)


def _psnr(a: np.ndarray, b: np.ndarray, peak: float) -> float:
    error = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if error == 0 else 10 * np.log10(peak ** 2 / error)


def test_lossy_encoders_and_their_attributes(tmp_path: Path) -> None:
    import pydicom

    ct = _read(pydicom_data() / "test_files" / "CT_small.dcm")
    cases = [(JPEG_LS_NEAR_LOSSLESS, ct, "ISO_14495_1"), (JPEG_2000, ct, "ISO_15444_1")]
    rgb = _read(pydicom_data() / _first("RGB", 8))
    mono8 = _read(pydicom_data() / _first("MONOCHROME2", 8))
    cases += [(JPEG_BASELINE, rgb, "ISO_10918_1"), (JPEG_BASELINE, mono8, "ISO_10918_1")]
    for index, (uid, dataset, method) in enumerate(cases):
        target = tmp_path / f"{index}.dcm"
        authoring.write(dataset, target, transfer_syntax=uid)
        back = _read(target)
        assert back.LossyImageCompression == "01"
        assert back.LossyImageCompressionMethod == method
        assert float(back.LossyImageCompressionRatio) > 1
        reference = dataset.pixel_array
        peak = float(2 ** int(dataset.BitsStored) - 1)
        for array in (back.pixel_array, pydicom.dcmread(target).pixel_array):
            assert array.shape == reference.shape
            if uid == JPEG_LS_NEAR_LOSSLESS:  # NEAR bounds every sample's error
                assert np.abs(array.astype(int) - reference.astype(int)).max() <= \
                    EncodeOptions().near
            else:  # the default PSNR target holds in our decoder and pydicom's
                assert _psnr(array, reference, peak) >= EncodeOptions().psnr, (
                    uid, _psnr(array, reference, peak))
    # stored YCbCr, subsampled where that reaches the target (PS3.3 C.7.6.3.1.2)
    assert _read(tmp_path / "2.dcm").PhotometricInterpretation in ("YBR_FULL_422", "YBR_FULL")


def test_refusals_name_the_problem(tmp_path: Path) -> None:
    dataset = authoring.Dataset(SOPClassUID="1.2.840.10008.5.1.4.1.1.7",
                                SOPInstanceUID="1.2.3")
    floats = np.linspace(-1, 1, 16, dtype=np.float32).reshape(4, 4)
    set_pixel_data(dataset, floats)
    # Float Pixel Data is never encapsulated: a compressed syntax leaves it native (OF)
    authoring.write(dataset, tmp_path / "f.dcm", transfer_syntax=RLE_LOSSLESS)
    back = _read(tmp_path / "f.dcm")
    assert back["FloatPixelData"].vr == "OF" and np.array_equal(back.pixel_array, floats)
    set_pixel_data(dataset, np.zeros((4, 4), np.uint16))
    with pytest.raises(AuthoringError, match="JPEG Baseline holds unsigned 8-bit"):
        set_pixel_data(dataset, np.zeros((4, 4), np.uint16), transfer_syntax=JPEG_BASELINE)
    assert not (tmp_path / "x.dcm").exists()


TRANSCODE_SOURCES = ["test_files/JPEG2000.dcm", "test_files/SC_rgb_jpeg_gdcm.dcm",
                     "test_files/MR_small_RLE.dcm", "test_files/SC_rgb_rle_16bit_2frame.dcm",
                     "test_files/MR_small_jpeg_ls_lossless.dcm", "test_files/MR_small.dcm",
                     "test_files/SC_rgb_jpeg_dcmtk.dcm", "test_files/MR_small_jp2klossless.dcm",
                     "test_files/JPEGLSNearLossless_16.dcm"]


@pytest.mark.parametrize("name", TRANSCODE_SOURCES)
def test_convert_transcodes_between_every_supported_pair(name: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from authoring.cli.app import app
    from authoring.pixels import supported

    source = pydicom_data() / name
    if not source.exists():
        pytest.skip(f"{name} is not in this pydicom wheel")
    reference = _read(source).pixel_array
    from authoring.core.transfer_syntax import transfer_syntax
    from authoring.pixels import pixel_encoding

    held = pixel_encoding(_read(source))
    targets = ["explicit", "big"] + [uid for uid, _, _, encodes in supported() if encodes]
    runner = CliRunner()
    done = 0
    for target in targets:
        out = tmp_path / "out.dcm"
        result = runner.invoke(app, ["convert", str(source), str(out), "-t", target])
        if result.exit_code != 0:
            assert "cannot be written as" in result.output, (target, result.output)
            continue
        done += 1
        back = _read(out)
        if target in (JPEG_BASELINE, JPEG_LS_NEAR_LOSSLESS, JPEG_2000):
            if held is None or held.uid != transfer_syntax(target).uid:  # re-encoded
                assert back.LossyImageCompression == "01"
            continue
        # lossless targets keep the decoded values exactly (a lossy source is decoded once,
        # by the same decoder, on both sides)
        assert np.array_equal(back.pixel_array, reference), (name, target)
        assert back.SOPInstanceUID == _read(source).SOPInstanceUID
    assert done >= 5


def test_a_missing_backend_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from authoring.pixels.codecs import MissingCodecError, decoder_for

    real_import = builtins.__import__

    def without_imagecodecs(name: str, *args: object, **kwargs: object) -> object:
        if name == "imagecodecs":
            raise ImportError("no imagecodecs")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", without_imagecodecs)
    with pytest.raises(MissingCodecError, match=r"pip install 'authoring\[codecs\]'"):
        decoder_for(JPEG_LS_LOSSLESS)
    assert decoder_for(RLE_LOSSLESS) is not None  # built in


@pytest.mark.external
def test_dcmdjpeg_decodes_our_baseline_within_tolerance(tmp_path: Path) -> None:
    executable = require_tool("dcmdjpeg")
    for index, name in enumerate((_first("MONOCHROME2", 8), _first("RGB", 8))):
        dataset = _read(pydicom_data() / name)
        encoded = tmp_path / f"{index}.dcm"
        authoring.write(dataset, encoded, transfer_syntax=JPEG_BASELINE)
        decoded = tmp_path / f"{index}-raw.dcm"
        subprocess.run([executable, str(encoded), str(decoded)], check=True, timeout=120)
        theirs = _read(decoded)
        ours = _read(encoded).pixel_array
        if theirs.PhotometricInterpretation != "RGB":  # dcmdjpeg may keep YBR samples
            from authoring.pixels.color import ybr_full_to_rgb

            theirs_array = ybr_full_to_rgb(theirs.pixel_array) if ours.ndim == 3 else \
                theirs.pixel_array
        else:
            theirs_array = theirs.pixel_array
        assert np.abs(theirs_array.astype(int) - ours.astype(int)).max() <= 3, name


def test_extended_offset_table_for_large_frames(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import authoring.pixels.api as api

    monkeypatch.setattr(api, "BASIC_OFFSET_LIMIT", 100)  # as if the frames passed 4 GiB
    frames = np.random.default_rng(2).integers(0, 1000, (3, 16, 16)).astype(np.uint16)
    dataset = authoring.Dataset(SOPClassUID="1.2.840.10008.5.1.4.1.1.7", SOPInstanceUID="1.2")
    set_pixel_data(dataset, frames, transfer_syntax=RLE_LOSSLESS, multi_frame=True)
    assert dataset["PixelData"].value.offset_table == b""
    assert len(dataset[0x7FE00001].value) == 24 and len(dataset[0x7FE00002].value) == 24
    authoring.write(dataset, tmp_path / "eot.dcm")
    back = _read(tmp_path / "eot.dcm")
    assert np.array_equal(back.pixel_array, frames) and np.array_equal(back.frame(2), frames[2])
