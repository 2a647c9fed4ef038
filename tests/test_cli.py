"""The command line: dump (tree and DICOM JSON), convert, dictionary, errors, --version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pydicom
import pytest
from typer.testing import CliRunner

from authoring._version import __version__
from authoring.cli.app import app
from tests.conftest import pydicom_data

runner = CliRunner()
CT = pydicom_data() / "test_files" / "CT_small.dcm"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"authoring {__version__}"


def test_dump_tree() -> None:
    result = runner.invoke(app, ["dump", str(CT)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# File Meta Information"
    assert any(line.startswith("(0010,0010) PN") and "'CompressedSamples^CT1'" in line
               for line in lines)
    assert any("[" in line and line.startswith("(0043,") for line in lines)  # GE private names
    nested = runner.invoke(app, ["dump", str(pydicom_data() / "test_files" / "rtplan.dcm")])
    assert "  item 1" in nested.stdout and "    (300A,0012) IS" in nested.stdout


def _normalize(value: Any) -> Any:
    """PS3.18 F.2.5 writes an empty attribute without "Value" and an empty value among
    several as null; pydicom writes [] and "" there. Numbers compare as numbers."""
    if value == [] or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_normalize(v) for v in value]
    if isinstance(value, dict):
        normalized = {k: _normalize(v) for k, v in value.items()}
        return {k: v for k, v in normalized.items() if v is not None}
    return value


@pytest.mark.parametrize("name", ["test_files/CT_small.dcm", "test_files/rtplan.dcm",
                                  "charset_files/chrH31.dcm", "test_files/test-SR.dcm"])
def test_dump_json_matches_pydicom(name: str) -> None:
    path = pydicom_data() / name
    result = runner.invoke(app, ["dump", "--json", str(path)])
    assert result.exit_code == 0
    ours = json.loads(result.stdout)
    theirs = pydicom.dcmread(path).to_json_dict(bulk_data_threshold=10**9)
    theirs = {k: v for k, v in theirs.items() if not k.endswith("0000")}
    assert set(ours) == set(theirs)
    for key, element in ours.items():
        expected = theirs[key]
        assert element["vr"] == expected["vr"], key
        assert _normalize(element.get("Value")) == _normalize(expected.get("Value")), key
        if "InlineBinary" in expected:
            assert element["InlineBinary"] == expected["InlineBinary"], key


def test_convert_is_byte_identical_and_converts(tmp_path: Path) -> None:
    same = tmp_path / "same.dcm"
    result = runner.invoke(app, ["convert", str(CT), str(same)])
    assert result.exit_code == 0 and same.read_bytes() == CT.read_bytes()
    big = tmp_path / "big.dcm"
    result = runner.invoke(app, ["convert", str(CT), str(big), "-t", "ExplicitVRBigEndian"])
    assert result.exit_code == 0
    theirs = pydicom.dcmread(big)
    assert theirs.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.2"
    assert (theirs.pixel_array == pydicom.dcmread(CT).pixel_array).all()


def test_errors_are_one_line_and_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.dcm"
    bad.write_bytes(CT.read_bytes()[:2000])
    result = runner.invoke(app, ["dump", str(bad)])
    assert result.exit_code == 1
    assert "error:" in result.stderr and str(bad) in result.stderr and "at byte" in result.stderr
    result = runner.invoke(app, ["convert", str(tmp_path / "missing.dcm"), str(tmp_path / "o")])
    assert result.exit_code == 1 and "missing.dcm" in result.stderr
    result = runner.invoke(app, ["convert", str(CT), str(tmp_path / "o.dcm"), "-t", "bogus"])
    assert result.exit_code == 1 and "unknown transfer syntax" in result.stderr
    assert not (tmp_path / "o.dcm").exists()


def test_dictionary_import_docbook(standard_root: Path, tmp_path: Path) -> None:
    source = standard_root / "docbook" / "part06_2016c_excerpt.xml"
    result = runner.invoke(app, ["dictionary", "import-docbook", str(source), "--out",
                                 str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    table = json.loads((tmp_path / "docbook-2016c" / "elements.json").read_text())
    assert {"tag": "(0008,0005)", "keyword": "SpecificCharacterSet",
            "name": "Specific Character Set", "vr": "CS", "vm": "1-n",
            "retired": False} in table


def test_dictionary_import_docbook_ps33(standard_root: Path, tmp_path: Path) -> None:
    source = standard_root / "docbook" / "part03_2016c_excerpt.xml"
    result = runner.invoke(app, ["dictionary", "import-docbook", str(source), "--out",
                                 str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    assert "docbook-2016c: 4 IODs" in result.stdout
    iods = json.loads((tmp_path / "docbook-2016c" / "iods.json").read_text())
    ct = next(iod for iod in iods if iod["name"] == "CTImage")
    assert any({"module": "CTImage", "usage": "M"} in e["modules"] for e in ct["entities"])
    part04 = standard_root / "docbook" / "part04_2013.xml"
    refused = runner.invoke(app, ["dictionary", "import-docbook", str(part04), "--out",
                                  str(tmp_path)])
    assert refused.exit_code == 1 and "PS3.4 is not a part" in refused.output


def test_console_script_runs() -> None:
    import subprocess

    from tests.conftest import find_tool, missing

    script = find_tool("authoring")
    if script is None:
        missing("the authoring console script is not installed (pip install -e .)")
    assert script is not None
    result = subprocess.run([script, "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"authoring {__version__}"
