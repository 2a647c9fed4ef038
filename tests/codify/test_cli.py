"""``authoring codify`` on a file, to standard output, and on a folder (parallel, failures
reported, exit status); the scripts pass ``ruff check``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from authoring.cli.app import app
from tests.conftest import find_tool, missing, pydicom_data

runner = CliRunner()
CT = pydicom_data() / "test_files" / "CT_small.dcm"


def test_file_to_script_and_sidecars(tmp_path: Path) -> None:
    script = tmp_path / "ct.py"
    result = runner.invoke(app, ["codify", str(CT), "-o", str(script)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ct_bulk").is_dir()  # pixel data and long values beside it
    out = tmp_path / "rebuilt.dcm"
    subprocess.run([sys.executable, str(script), str(out)], check=True, timeout=120)
    assert out.read_bytes() == CT.read_bytes()
    default = subprocess.run([sys.executable, str(script)], cwd="/", timeout=120)
    assert default.returncode == 0 and (tmp_path / "CT_small.dcm").read_bytes() == \
        CT.read_bytes()


def test_file_to_standard_output_is_inline() -> None:
    result = runner.invoke(app, ["codify", str(CT), "--style", "typed"])
    assert result.exit_code == 0
    assert "bulk(" not in result.stdout and "ds = CTImage.blank()" in result.stdout
    compile(result.stdout, "ct.py", "exec")


def test_folder_with_a_bad_file(tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "nested").mkdir(parents=True)
    shutil.copy(CT, source / "nested" / "ct.dcm")
    shutil.copy(pydicom_data() / "test_files" / "MR_small.dcm", source / "mr.dcm")
    (source / "notes.txt").write_text("not DICOM")
    result = runner.invoke(app, ["codify", str(source), "-o", str(tmp_path / "out"),
                                 "--workers", "2"])
    assert result.exit_code == 1
    assert "notes.txt" in result.output and "2 of 3 files codified" in result.output
    assert (tmp_path / "out" / "nested" / "ct.py").exists()
    assert (tmp_path / "out" / "mr.py").exists()


def test_scripts_pass_ruff(tmp_path: Path) -> None:
    ruff = find_tool("ruff")
    if ruff is None:
        missing("ruff is not installed (test extra)")
    assert ruff is not None
    for style in ("core", "typed"):
        result = runner.invoke(app, ["codify", str(pydicom_data() / "test_files"), "-o",
                                     str(tmp_path / style), "--style", style])
        assert "files codified" in result.output
    check = subprocess.run([ruff, "check", "--no-cache", str(tmp_path)], capture_output=True,
                           text=True, cwd=tmp_path)
    assert check.returncode == 0, check.stdout[-3000:]
