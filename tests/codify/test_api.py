"""The Python API: ``authoring.codify`` returns one self-contained script, ``codify_to``
writes a script and its sidecars; both rebuild the file exactly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import authoring
import authoring.codifier.planner  # noqa: F401 - importing the engine must not shadow codify
from tests.conftest import pydicom_data

MR = pydicom_data() / "test_files" / "MR_small.dcm"


def test_codify_returns_a_self_contained_script(tmp_path: Path) -> None:
    text = authoring.codify(MR, style="typed")
    assert isinstance(text, str) and "bulk(" not in text and "MRImage.blank()" in text
    script = tmp_path / "mr.py"
    script.write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, str(script), str(tmp_path / "out.dcm")], check=True,
                   timeout=120)
    assert (tmp_path / "out.dcm").read_bytes() == MR.read_bytes()


def test_codify_to_writes_sidecars(tmp_path: Path) -> None:
    result = authoring.codify_to(MR, tmp_path / "mr.py", bulk_threshold=64)
    assert result.bulk and all((tmp_path / b.relative).exists() for b in result.bulk)
    assert any(b.relative.endswith(".npy") for b in result.bulk)  # native pixels as an array
    subprocess.run([sys.executable, str(tmp_path / "mr.py"), str(tmp_path / "out.dcm")],
                   check=True, timeout=120)
    assert (tmp_path / "out.dcm").read_bytes() == MR.read_bytes()


def test_codify_of_a_dataset_read_in_code() -> None:
    dataset = authoring.read(MR)
    assert authoring.codify(dataset) == authoring.codify(MR)
