"""Bounded mutation fuzzing of the reader and writer (fixed seed, in a child process so a
hang or an interpreter crash is caught too)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, pydicom_data

SEEDS = [20261125, 7]
SECONDS = float(os.environ.get("AUTHORING_FUZZ_SECONDS", "12"))
CORPUS = ["test_files/CT_small.dcm", "test_files/MR_small_bigendian.dcm",
          "test_files/rtplan.dcm", "test_files/JPEG2000.dcm", "test_files/image_dfl.dcm",
          "test_files/UN_sequence.dcm", "test_files/nested_priv_SQ.dcm",
          "charset_files/chrH32.dcm", "test_files/ExplVR_BigEndNoMeta.dcm",
          "test_files/test-SR.dcm"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_mutants_never_crash_or_hang(seed: int, tmp_path: Path) -> None:
    files = [str(pydicom_data() / name) for name in CORPUS]
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.fuzz_worker", str(seed), str(SECONDS), *files],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
        text=True, timeout=SECONDS + 120,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
