"""The command line and the Python API answer bad input with one clear ``authoring`` error:
no traceback, no silently ignored setting, no plain ValueError, warnings on one line."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.fileset import FileSet
from typer.testing import CliRunner

import authoring
from authoring import synth
from authoring.cli.app import app
from authoring.errors import (
    AuthoringError,
    SynthError,
    UnknownKeywordError,
    ValueEncodingError,
    ValueRuleError,
)
from tests.conftest import REPO, pydicom_data

RUNNER = CliRunner()


def _cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point, in a child process (stderr as a user sees it)."""
    return subprocess.run([sys.executable, "-c", "from authoring.cli.app import main; main()",
                           *arguments], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("assignment, says", [
    ("KVP=abc", "'abc' is not a decimal number"),
    ("Rows=70000", "outside the US range"),
    ("Rows=32", "cannot be imposed"),
    ("PatientNmae=x", "did you mean 'PatientName'"),
])
def test_synth_set_errors_are_one_line(assignment: str, says: str, tmp_path: Path) -> None:
    result = _cli("synth", "--iod", "CTImage", "--out", str(tmp_path / "out"), "--set",
                  assignment)
    assert says in _one_line_error(result)
    assert not list((tmp_path / "out").rglob("*.dcm")) if (tmp_path / "out").exists() else True


def test_python_overrides_check_keywords() -> None:
    with pytest.raises(UnknownKeywordError, match="did you mean 'PatientName'"):
        synth.dataset("CTImage", PatientNmae="x")
    with pytest.raises(UnknownKeywordError, match="PatientNmae"):
        synth.SynthOptions(overrides=(("PatientNmae", "x"),))
    with pytest.raises(SynthError, match="not an attribute of the CTImage IOD"):
        synth.generate(synth.SynthOptions(overrides=(("DocumentTitle", "x"),)),
                       Path("/nonexistent/never-made"))


def test_the_pytest_fixture_checks_keywords(dicom_factory: object) -> None:
    with pytest.raises(UnknownKeywordError):
        dicom_factory(iod="CTImage", PatientNmae="x")  # type: ignore[operator]


def test_dicomdir_of_files_without_meta_is_one_line_and_copy_to_mends(tmp_path: Path) -> None:
    folder = tmp_path / "FILES"
    folder.mkdir()
    dataset = authoring.read(pydicom_data() / "test_files" / "CT_small.dcm")
    authoring.write(dataset, folder / "IM1", part10=False)
    line = _one_line_error(_cli("dicomdir", str(folder)))
    assert "no File Meta Information" in line and "--copy-to" in line
    # synth's own names (IM0001.dcm) are not File IDs: --copy-to makes a File-set of them
    synth.generate(synth.SynthOptions(iod="MRImage", instances=2, rows=8, columns=8),
                   tmp_path / "synth", workers=1)
    result = _cli("dicomdir", str(tmp_path / "synth"), "--copy-to", str(tmp_path / "SET"))
    assert result.returncode == 0, result.stderr
    instances = list(FileSet(dcmread(tmp_path / "SET" / "DICOMDIR")))
    assert len(instances) == 2
    originals = sorted((tmp_path / "synth").rglob("*.dcm"))
    copies = sorted(p for p in (tmp_path / "SET").rglob("IM*"))
    assert [p.read_bytes() for p in originals] == [p.read_bytes() for p in copies]


def test_python_warnings_print_one_line(tmp_path: Path) -> None:
    source = pydicom_data() / "test_files" / "rtdose_1frame.dcm"  # meta UID != data set UID
    result = _cli("convert", str(source), str(tmp_path / "out.dcm"))
    assert result.returncode == 0, result.stderr
    warning_lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert warning_lines and all(line.startswith("warning: ") for line in warning_lines)
    assert "[FileMetaWarning]" in warning_lines[0]
    assert ".py:" not in result.stderr  # no source file and line


def test_show_writes_with_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        result = RUNNER.invoke(app, ["show", str(pydicom_data() / "test_files" /
                                                  "CT_small.dcm"), "--png",
                                     str(tmp_path / "ct.png")])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(tmp_path / "ct.png").st_mode) == 0o644


def test_assignment_errors_are_authoring_errors() -> None:
    dataset = authoring.Dataset()
    with pytest.raises(ValueEncodingError, match=r"\(0018,0050\).*'abc' is not a decimal"):
        dataset.SliceThickness = "abc"
    with pytest.raises(AuthoringError):
        dataset.Rows = "many"
    with pytest.raises(ValueError):  # still a ValueError for code that catches that
        dataset.InstanceNumber = "1.5"


def test_person_name_components_are_checked_on_write() -> None:
    dataset = authoring.Dataset(SOPClassUID="1.2.840.10008.5.1.4.1.1.7",
                                SOPInstanceUID="1.2.3")
    dataset.PatientName = "a^b^c^d^e^f"
    with pytest.raises(ValueRuleError, match="6 components; PN allows 5"):
        authoring.to_bytes(dataset)
    dataset.PatientName = "a=b=c=d"
    with pytest.raises(ValueRuleError, match="4 component groups"):
        authoring.to_bytes(dataset)
    dataset.PatientName = "Yamada^Tarou=山田^太郎=やまだ^たろう"
    dataset.SpecificCharacterSet = "ISO_IR 192"
    authoring.to_bytes(dataset)  # three groups of two components: fine


def test_convert_of_a_file_without_meta_writes_the_meta(tmp_path: Path) -> None:
    """Converted to another syntax, a meta-less file gets the meta that names it (dcmftest
    and pydicom then know how to read it); kept in its syntax, it stays as it was."""
    from tests.conftest import require_tool

    source = tmp_path / "bare.dcm"  # CT_small as a bare implicit VR data set, no meta
    authoring.write(authoring.read(pydicom_data() / "test_files" / "CT_small.dcm"), source,
                    part10=False, transfer_syntax="implicit")
    assert source.read_bytes()[128:132] != b"DICM"
    result = RUNNER.invoke(app, ["convert", str(source), str(tmp_path / "rle.dcm"), "-t", "rle"])
    assert result.exit_code == 0, result.output
    theirs = dcmread(tmp_path / "rle.dcm")
    assert theirs.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.5"
    assert (theirs.pixel_array == authoring.read(source).pixel_array).all()
    check = subprocess.run([require_tool("dcmftest"), str(tmp_path / "rle.dcm")],
                           capture_output=True, text=True)
    assert check.stdout.startswith("yes:"), check.stdout
    same = tmp_path / "same.dcm"
    RUNNER.invoke(app, ["convert", str(source), str(same)])
    assert same.read_bytes() == source.read_bytes()


def test_dictionary_build_needs_a_folder_when_installed(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    import authoring.compiler.build as build

    monkeypatch.setattr(build, "checkout_root", lambda: None)
    result = RUNNER.invoke(app, ["dictionary", "build", "--check"])
    assert result.exit_code == 2 and "--root" in result.output
