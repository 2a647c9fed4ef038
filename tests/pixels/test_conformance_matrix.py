"""The encoder conformance matrix: every encoder we ship x arrays that stress it, each
encoding decoded by us and by decoders nobody here wrote.

For each cell the expected outcome comes from the standard, not from our output: PS3.5
8.2's tables of valid Image Pixel attributes per transfer syntax (and this package's
documented backend limits) say whether the pixels can be held at all. A cell that cannot
be held must be refused before anything is written, with one clear error. A cell that can
is written, then decoded

- by us (``authoring``), and
- by an independent decoder: dcmtk (``dcmdrle``, ``dcmdjpeg +cn``, ``dcmdjpls``), GDCM
  (``gdcmconv --raw``) for JPEG 2000, and pydicom with its plugins (pylibjpeg-openjpeg) for
  HTJ2K, which the Debian GDCM and dcmtk do not decode; the decompressed file is read by
  pydicom as native data,
- and by pydicom directly, with its plugins,

and each decoding must be exact for a lossless syntax, within NEAR of every sample for
JPEG-LS near-lossless, and at or above the PSNR target for JPEG Baseline and JPEG 2000.
Lossy Image Compression Ratio must be the ratio the file actually achieves.

The summary line printed by :func:`test_matrix_summary` is quoted in the README.
"""

from __future__ import annotations

import math
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import authoring
from authoring.errors import AuthoringError
from authoring.pixels import EncodeOptions, set_pixel_data
from authoring.pixels.color import rgb_to_ybr_full, ybr_full_to_rgb
from tests.conftest import require_tool

OPTIONS = EncodeOptions()  # the defaults a user gets: 45 dB, NEAR 2


@dataclass(frozen=True)
class Source:
    """One array and how it is described."""

    name: str
    array: Any
    photometric: str
    bits_stored: int
    planar: int = 0

    @property
    def signed(self) -> bool:
        """Pixel Representation 1."""
        return bool(self.array.dtype.kind == "i")

    @property
    def bits_allocated(self) -> int:
        """8, 16 (or 1 for a bool array)."""
        return 1 if self.array.dtype == np.bool_ else self.array.dtype.itemsize * 8

    @property
    def colour(self) -> bool:
        """Three samples per pixel."""
        return self.photometric in ("RGB", "YBR_FULL")


def _rng() -> np.random.Generator:
    return np.random.default_rng(20261203)


def _grey(rows: int, columns: int, low: int, high: int, dtype: Any, frames: int = 1) -> Any:
    """A smooth image with noise, spanning ``low`` .. ``high`` with both ends present."""
    y, x = np.mgrid[0:rows, 0:columns]
    shape = (frames, rows, columns) if frames > 1 else (rows, columns)
    base = np.sin(x / 7.0) * np.cos(y / 5.0)
    if frames > 1:
        base = base[None] * np.linspace(0.5, 1.0, frames)[:, None, None]
    values = low + (base + 1) / 2 * (high - low) + _rng().normal(0, (high - low) / 200, shape)
    values = np.clip(np.rint(values), low, high).astype(dtype)
    values.reshape(-1)[0], values.reshape(-1)[-1] = low, high
    return values


def _signed_extremes(bits: int) -> Any:
    """Signed samples at both extremes, with noise: the corners sit on -2^(n-1) and
    2^(n-1) - 1, a band in the middle near zero."""
    low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    values = _grey(24, 32, low, high, np.int16)
    values[:4, :] = low + _rng().integers(0, 3, (4, 32))
    values[-4:, :] = high - _rng().integers(0, 3, (4, 32))
    return values


def _rgb(rows: int, columns: int, dtype: Any = np.uint8) -> Any:
    top = 255 if dtype == np.uint8 else 65535
    channels = [_grey(rows, columns, 0, top, dtype) for _ in range(3)]
    channels[1] = channels[1][::-1].copy()
    channels[2] = channels[2][:, ::-1].copy()
    return np.stack(channels, axis=-1)


SOURCES = [
    Source("1-bit", _grey(16, 24, 0, 1, np.uint8).astype(bool), "MONOCHROME2", 1),
    Source("8-bit", _grey(32, 40, 0, 255, np.uint8), "MONOCHROME2", 8),
    Source("12-bit", _grey(32, 40, 0, 4095, np.uint16), "MONOCHROME2", 12),
    Source("16-bit", _grey(32, 40, 0, 65535, np.uint16), "MONOCHROME2", 16),
    Source("signed 12-bit extremes", _signed_extremes(12), "MONOCHROME2", 12),
    Source("signed 16-bit extremes", _signed_extremes(16), "MONOCHROME2", 16),
    Source("signed 12-bit mid-range", _grey(32, 40, -1000, 1000, np.int16), "MONOCHROME2", 12),
    Source("MONOCHROME1 12-bit", _grey(32, 40, 0, 4095, np.uint16), "MONOCHROME1", 12),
    Source("RGB", _rgb(32, 40), "RGB", 8),
    Source("RGB planar 1", _rgb(32, 40), "RGB", 8, planar=1),
    Source("RGB 16-bit", _rgb(24, 32, np.uint16), "RGB", 16),
    Source("YBR_FULL", rgb_to_ybr_full(_rgb(32, 40), 8), "YBR_FULL", 8),
    Source("multi-frame 12-bit", _grey(24, 32, 0, 4095, np.uint16, frames=3), "MONOCHROME2",
           12),
    Source("odd size 17x23", _grey(17, 23, 0, 4095, np.uint16), "MONOCHROME2", 12),
]

# transfer syntax UID, lossy, independent decoder
ENCODERS = {
    "RLE": ("1.2.840.10008.1.2.5", False, "dcmdrle"),
    "JPEG Baseline": ("1.2.840.10008.1.2.4.50", True, "dcmdjpeg"),
    "JPEG Lossless SV1": ("1.2.840.10008.1.2.4.70", False, "dcmdjpeg"),
    "JPEG-LS lossless": ("1.2.840.10008.1.2.4.80", False, "dcmdjpls"),
    "JPEG-LS near": ("1.2.840.10008.1.2.4.81", True, "dcmdjpls"),
    "JPEG 2000 lossless": ("1.2.840.10008.1.2.4.90", False, "gdcmconv"),
    "JPEG 2000 lossy": ("1.2.840.10008.1.2.4.91", True, "gdcmconv"),
    "HTJ2K lossless": ("1.2.840.10008.1.2.4.201", False, "pydicom"),
}


def refusal(encoder: str, source: Source) -> str | None:
    """Why the standard (or a documented backend limit) forbids this pairing, or None.

    PS3.5 8.2: no encapsulated syntax here holds 1-bit data (RLE needs whole bytes, the
    JPEG family 2 bits at least). 8.2.1: JPEG Baseline is unsigned 8-bit. 8.2.3 (Table
    8.2.3-1): JPEG-LS colour is unsigned and YBR_FULL lossless only. JPEG-LS near-lossless
    codes signed samples as bit patterns, so samples within NEAR of either extreme would
    wrap (pydicom's encoding guide says the same): refused. Our JPEG 2000 backends take 8
    and 16-bit integers (documented)."""
    if source.bits_allocated == 1:
        return "1-bit"
    if encoder == "JPEG Baseline" and (source.bits_allocated != 8 or source.signed):
        return "Baseline is unsigned 8-bit"
    if encoder == "JPEG-LS near" and source.photometric == "YBR_FULL":
        return "JPEG-LS YBR_FULL is lossless only"
    if encoder == "JPEG-LS near" and source.signed:
        half = 1 << (source.bits_stored - 1)
        if np.any(source.array < -half + OPTIONS.near) or \
                np.any(source.array > half - 1 - OPTIONS.near):
            return "signed samples at the extremes wrap"
    return None


# -- building and decoding ----------------------------------------------------------------------


def _native_file(source: Source, path: Path) -> authoring.Dataset:
    dataset = authoring.Dataset(SOPClassUID="1.2.840.10008.5.1.4.1.1.7",
                                SOPInstanceUID=authoring.generate_uid())
    dataset.Modality = "OT"
    frames = source.array.ndim == (4 if source.colour else 3)
    set_pixel_data(dataset, source.array, photometric=source.photometric,
                   bits_stored=source.bits_stored, multi_frame=frames or None)
    if source.planar == 1:  # the same samples, colour by plane
        planes = np.ascontiguousarray(np.moveaxis(source.array, -1, -3))
        dataset.PlanarConfiguration = 1
        dataset.set_value("PixelData", planes.tobytes(), "OB")
    authoring.write(dataset, path, transfer_syntax="ExplicitVRLittleEndian")
    return authoring.read(path)


def _decompressed_by(tool: str, path: Path, out: Path) -> Path:
    """The file decompressed by an independent tool (native)."""
    if tool == "pydicom":
        return path
    executable = require_tool(tool)
    arguments = {"dcmdjpeg": [executable, "+cn"], "gdcmconv": [executable, "--raw"]}.get(
        tool, [executable])
    result = subprocess.run([*arguments, str(path), str(out)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, (tool, result.stdout + result.stderr)
    return out


def _pydicom_samples(path: Path, as_rgb: bool) -> Any:
    from pydicom.pixels import pixel_array

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pixel_array(str(path), as_rgb=as_rgb)


def _psnr(a: Any, b: Any, bits: int) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(((1 << bits) - 1) ** 2 / mse)


@dataclass
class Cell:
    """What one pairing did."""

    encoder: str
    source: str
    outcome: str  # "refused", "exact", "within bound"
    detail: str = ""


def _expected(source: Source, decoded_as_rgb: bool) -> Any:
    """The samples a decoder should return: as stored, or as RGB."""
    array = source.array
    if decoded_as_rgb and source.photometric == "YBR_FULL":
        return ybr_full_to_rgb(array, 8)
    return array


def _run_cell(encoder: str, source: Source, folder: Path) -> Cell:
    uid, lossy, tool = ENCODERS[encoder]
    native = _native_file(source, folder / "native.dcm")
    target = folder / "encoded.dcm"
    reason = refusal(encoder, source)
    if reason is not None:
        with pytest.raises(AuthoringError) as caught:
            authoring.write(native, target, transfer_syntax=uid)
        assert "cannot be written as" in str(caught.value), str(caught.value)
        assert not target.exists() and not [p for p in folder.iterdir()
                                             if p.name.startswith(".")]
        return Cell(encoder, source.name, "refused", reason)
    authoring.write(native, target, transfer_syntax=uid)
    written = authoring.read(target)
    assert written.file_meta is not None and written.file_meta.TransferSyntaxUID == uid
    ours_stored = authoring.pixels.pixel_array(written, as_rgb=False)
    ours_rgb = written.pixel_array
    independent = _decompressed_by(tool, target, folder / "decompressed.dcm")
    theirs = {"ours": (ours_stored, ours_rgb),
              tool: (_pydicom_samples(independent, False), _pydicom_samples(independent, True)),
              "pydicom": (_pydicom_samples(target, False), _pydicom_samples(target, True))}
    photometric = str(written.PhotometricInterpretation)
    details = []
    for who, (stored, rgb) in theirs.items():
        # colour: compare as RGB where the stored form changed (YBR_ICT/RCT come back RGB;
        # JPEG Baseline stores YCbCr); otherwise the stored samples themselves
        use_rgb = source.colour and (lossy or photometric != source.photometric)
        decoded = rgb if use_rgb else stored
        expected = _expected(source, use_rgb)
        assert decoded.shape == expected.shape, (who, decoded.shape, expected.shape)
        if not lossy:
            difference = int(np.max(np.abs(decoded.astype(np.int64) - expected.astype(np.int64))))
            assert difference == 0, (encoder, source.name, who, difference)
            if source.colour:  # and read as RGB, the colour space is what the file says
                as_rgb = _expected(source, True)
                assert np.array_equal(rgb, as_rgb), (encoder, source.name, who, "as RGB")
        elif encoder == "JPEG-LS near":
            error = int(np.max(np.abs(decoded.astype(np.int64) - expected.astype(np.int64))))
            assert error <= OPTIONS.near, (encoder, source.name, who, error)
            details.append(f"{who} max error {error}")
        else:
            reached = _psnr(decoded, expected, source.bits_stored)
            assert reached >= OPTIONS.psnr, (encoder, source.name, who, reached)
            details.append(f"{who} {reached:.1f} dB")
    if lossy:
        assert written.LossyImageCompression == "01"
        encoded = sum(len(fragment) for fragment in written["PixelData"].value.fragments)
        native_bytes = len(native["PixelData"].raw or b"")
        achieved = float(str(written.LossyImageCompressionRatio).split("\\")[-1])
        assert abs(achieved - native_bytes / encoded) < 0.01 * achieved + 0.01, (
            achieved, native_bytes / encoded)
    return Cell(encoder, source.name, "within bound" if lossy else "exact", "; ".join(details))


RESULTS: list[Cell] = []


@pytest.mark.external
@pytest.mark.parametrize("encoder", list(ENCODERS))
@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_cell(encoder: str, source: Source, tmp_path: Path) -> None:
    cell = _run_cell(encoder, source, tmp_path)
    RESULTS.append(cell)


@pytest.mark.external
def test_matrix_summary() -> None:
    """Printed for the README (runs after the cells in file order)."""
    if len(RESULTS) != len(ENCODERS) * len(SOURCES):
        pytest.skip("the cells did not all run in this session")
    counts: dict[str, int] = {}
    for cell in RESULTS:
        counts[cell.outcome] = counts.get(cell.outcome, 0) + 1
    print(f"\nencoder matrix: {len(ENCODERS)} encoders x {len(SOURCES)} arrays = "
          f"{len(RESULTS)} cells: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    assert counts.get("refused", 0) < len(RESULTS) // 2


def test_lossy_quality_is_named_and_bounded() -> None:
    """The lossy setting says what it is, and a silly target is refused at once."""
    assert OPTIONS.psnr >= 40
    with pytest.raises(AuthoringError, match="PSNR target"):
        EncodeOptions(psnr=10)
    with pytest.raises(AuthoringError, match="NEAR"):
        EncodeOptions(near=-1)
