"""Files we write, checked by tools nobody here wrote: dcmtk (dcmftest, dcmdump), GDCM
(gdcminfo) and pydicom (values and pixel arrays)."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import numpy as np
import pydicom
import pytest

import authoring
from authoring.core.transfer_syntax import UNCOMPRESSED
from tests.conftest import pydicom_data, require_tool
from tests.support.pydicom_compare import compare
from tests.support.sample import rich_dataset

SYNTAXES = [s.keyword for s in UNCOMPRESSED]
NATIVE_CORPUS = ["test_files/CT_small.dcm", "test_files/MR_small.dcm",
                 "test_files/MR_small_bigendian.dcm", "test_files/rtdose.dcm",
                 "test_files/SC_rgb_small_odd.dcm", "test_files/SC_rgb_small_odd_big_endian.dcm",
                 "test_files/liver_expb_1frame.dcm", "test_files/waveform_ecg.dcm",
                 "test_files/examples_overlay.dcm", "test_files/rtstruct.dcm",
                 "charset_files/chrH32.dcm", "charset_files/chrSQEncoding.dcm"]


def check_with_dcmtk(path: Path) -> None:
    """dcmftest accepts the file as Part 10; dcmdump parses it with no error or warning."""
    result = subprocess.run([require_tool("dcmftest"), str(path)], capture_output=True,
                            encoding="utf-8", errors="replace")
    assert result.returncode == 0 and result.stdout.startswith("yes:"), result.stdout
    dump = subprocess.run([require_tool("dcmdump"), str(path)], capture_output=True,
                          encoding="utf-8", errors="replace")
    assert dump.returncode == 0, dump.stderr
    assert not [line for line in dump.stderr.splitlines() if line[:2] in ("E:", "W:", "F:")], \
        dump.stderr


def check_with_gdcm(path: Path) -> None:
    result = subprocess.run([require_tool("gdcminfo"), str(path)], capture_output=True,
                            encoding="utf-8", errors="replace")
    assert result.returncode == 0, result.stderr


@pytest.mark.external
@pytest.mark.parametrize("syntax", SYNTAXES)
def test_written_files_pass_dcmtk_gdcm_and_pydicom(syntax: str, tmp_path: Path) -> None:
    dataset, pixels = rich_dataset()
    path = tmp_path / f"{syntax}.dcm"
    authoring.write(dataset, path, transfer_syntax=syntax)
    check_with_dcmtk(path)
    check_with_gdcm(path)
    theirs = pydicom.dcmread(path)
    assert np.array_equal(theirs.pixel_array, pixels)
    assert str(theirs.PatientName) == "Müller^Jürgen=ミュラー^ユルゲン"
    assert theirs.SliceThickness == 1.5 and theirs.FrameIncrementPointer == 0x00181063
    ours = authoring.read(path)
    little = ours.read_transfer_syntax is not None and ours.read_transfer_syntax.little_endian
    assert not compare(ours, theirs, little_endian=little)


@pytest.mark.external
@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize("name", NATIVE_CORPUS)
def test_corpus_converted_to_every_syntax(name: str, syntax: str, tmp_path: Path) -> None:
    source = pydicom_data() / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset = authoring.read(source)
        path = tmp_path / "converted.dcm"
        authoring.write(dataset, path, transfer_syntax=syntax, validation="ignore",
                        part10=True)
    check_with_dcmtk(path)
    before = pydicom.dcmread(source, force=True)
    after = pydicom.dcmread(path)
    ours = authoring.read(path)
    original = dataset.read_transfer_syntax
    little = original is None or original.little_endian  # byte order of pydicom's file
    problems = [
        (where, text) for where, text in compare(ours, before, little_endian=little)
        # group lengths are recomputed; implicit VR cannot carry the VR of a private
        # element our private dictionary does not know (its bytes are kept)
        if not where.endswith("0000)")
        and not (syntax == "ImplicitVRLittleEndian" and text.startswith("UN/"))
    ]
    assert not problems, problems[:5]
    if "PixelData" in before:
        assert np.array_equal(after.pixel_array, before.pixel_array)
