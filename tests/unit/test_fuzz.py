"""Bounded mutation fuzzing of the reader, the pixel decoders and the writer (fixed seeds,
in a child process so a hang or an interpreter crash is caught too).

The corpus holds files of every encapsulated syntax we decode (RLE, JPEG Baseline and
Extended, JPEG Lossless, JPEG-LS, JPEG 2000, HTJ2K, multi-frame with an offset table), a
deflated file, big endian, sequences and private data. The count of mutants and of each
outcome is printed (the README quotes it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import authoring
from tests.conftest import REPO, pydicom_data

SEEDS = [20261203, 7]
SECONDS = float(os.environ.get("AUTHORING_FUZZ_SECONDS", "20"))
CORPUS = ["test_files/CT_small.dcm", "test_files/MR_small_bigendian.dcm",
          "test_files/rtplan.dcm", "test_files/JPEG2000.dcm", "test_files/image_dfl.dcm",
          "test_files/UN_sequence.dcm", "test_files/nested_priv_SQ.dcm",
          "charset_files/chrH32.dcm", "test_files/ExplVR_BigEndNoMeta.dcm",
          "test_files/test-SR.dcm", "test_files/SC_rgb_rle_2frame.dcm",
          "test_files/JPEG-lossy.dcm", "test_files/SC_rgb_jpeg_gdcm.dcm",
          "test_files/MR_small_jpeg_ls_lossless.dcm", "test_files/MR_small_RLE.dcm"]
#: encoded here from CT_small (16-bit signed) for the syntaxes the corpus lacks
MADE = {"jpeg-lossless": "1.2.840.10008.1.2.4.70", "htj2k": "1.2.840.10008.1.2.4.201",
        "jpeg-ls-near": "1.2.840.10008.1.2.4.81", "j2k-lossy": "1.2.840.10008.1.2.4.91"}


def _corpus(folder: Path) -> list[str]:
    files = [str(pydicom_data() / name) for name in CORPUS]
    ct = authoring.read(pydicom_data() / "test_files" / "CT_small.dcm")
    ct.PixelRepresentation = 0  # unsigned, so that JPEG-LS near-lossless may hold it
    ct.set_pixel_data(ct.pixel_array.astype("uint16") & 0x0FFF, bits_stored=12)
    for name, uid in MADE.items():
        path = folder / f"{name}.dcm"
        authoring.write(ct, path, transfer_syntax=uid)
        files.append(str(path))
    return files


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_mutants_never_crash_or_hang(seed: int, tmp_path: Path) -> None:
    files = _corpus(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.fuzz_worker", str(seed), str(SECONDS), *files],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
        text=True, timeout=SECONDS + 120,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mutants" in result.stdout
