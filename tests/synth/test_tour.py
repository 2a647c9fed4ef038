"""The tour (``make demo``) and the other example scripts run to the end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydicom import dcmread

REPO = Path(__file__).resolve().parents[2]


def test_the_tour_runs_and_says_where_everything_is(tmp_path: Path) -> None:
    output = tmp_path / "tour"
    run = subprocess.run([sys.executable, str(REPO / "examples" / "tour.py"), str(output)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "byte for byte" in run.stdout and "0 errors" in run.stdout
    study = sorted((output / "study").rglob("*.dcm"))
    assert len(study) == 24
    read = [dcmread(path) for path in study]
    assert len({ds.StudyInstanceUID for ds in read}) == 1
    assert len({ds.PatientID for ds in read}) == 1
    assert {ds.Modality for ds in read} == {"CT", "MR"}
    assert len({ds.SeriesInstanceUID for ds in read}) == 2
    assert len({ds.SOPInstanceUID for ds in read}) == 24
    assert (output / "ct.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (output / "codify" / "rebuilt.dcm").read_bytes() == study[0].read_bytes()
    for path in (output / "study", output / "ct_j2k.dcm", output / "ct.png"):
        assert str(path) in run.stdout


@pytest.mark.parametrize("name", ["foundation_demo", "codify_walkthrough"])
def test_example_script_runs(name: str, tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(REPO / "examples" / f"{name}.py"),
                          str(tmp_path)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr
