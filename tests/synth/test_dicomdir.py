"""DICOMDIR: a File-set of synthetic series indexed with correct records and offsets, as
pydicom's FileSet, dciodvfy and dcmtk read it."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.fileset import FileSet

import authoring
from authoring import synth
from authoring.io.dicomdir import DicomdirError, write_dicomdir
from tests.conftest import require_tool


@pytest.fixture(scope="module")
def file_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fileset")
    for iod, first, count in (("CTImage", 0, 3), ("MRImage", 1, 2), ("ComprehensiveSR", 2, 1),
                              ("RTDose", 3, 1)):
        summary = synth.generate(synth.SynthOptions(iod=iod, instances=count, rows=16,
                                                    columns=16, seed=8, first_series=first,
                                                    dicomdir=True), root, workers=1,
                                  if_exists="append")
        assert summary.dicomdir == root / "DICOMDIR" and not summary.failed
    return root


def test_pydicom_reads_the_file_set(file_set: Path) -> None:
    fs = FileSet(dcmread(file_set / "DICOMDIR"))
    instances = list(fs)
    assert len(instances) == 7
    assert {i.path for i in instances} == {str(p) for p in file_set.rglob("IM*")}
    assert len({i.PatientID for i in instances}) == 1
    assert len({i.StudyInstanceUID for i in instances}) == 1
    assert len({i.SeriesInstanceUID for i in instances}) == 4
    for instance in instances:  # the record's UIDs are the file's
        theirs = instance.load()
        assert theirs.SOPInstanceUID == instance.ReferencedSOPInstanceUIDInFile
    types = sorted({i.DirectoryRecordType for i in instances})
    assert types == ["IMAGE", "RT DOSE", "SR DOCUMENT"]


def test_offsets_point_at_records(file_set: Path) -> None:
    """Every offset in the directory is the byte position of an item that holds the
    record it should: checked on the raw bytes, independently of any reader's tree."""
    data = (file_set / "DICOMDIR").read_bytes()
    directory = dcmread(file_set / "DICOMDIR")
    records = directory.DirectoryRecordSequence
    by_offset = {record.seq_item_tell: record for record in records}  # where pydicom read it
    pointers = [directory.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity,
                directory.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity]
    for record in records:
        pointers += [record.OffsetOfTheNextDirectoryRecord,
                     record.OffsetOfReferencedLowerLevelDirectoryEntity]
    for offset in (p for p in pointers if p):
        assert struct.unpack_from("<HH", data, offset) == (0xFFFE, 0xE000), offset
        assert offset in by_offset
    first = by_offset[directory.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity]
    assert first.DirectoryRecordType == "PATIENT"
    study = by_offset[first.OffsetOfReferencedLowerLevelDirectoryEntity]
    assert study.DirectoryRecordType == "STUDY"
    series = by_offset[study.OffsetOfReferencedLowerLevelDirectoryEntity]
    assert series.DirectoryRecordType == "SERIES" and series.Modality == "CT"
    chain = []
    while True:  # the study's series, linked by "next"
        chain.append(series.Modality)
        if not series.OffsetOfTheNextDirectoryRecord:
            break
        series = by_offset[series.OffsetOfTheNextDirectoryRecord]
    assert chain == ["CT", "MR", "SR", "RTDOSE"]


def test_validators_accept_the_directory(file_set: Path) -> None:
    assert authoring.read(file_set / "DICOMDIR").validate("BasicDirectory").ok
    result = subprocess.run([require_tool("dciodvfy"), str(file_set / "DICOMDIR")],
                            capture_output=True, text=True, timeout=120)
    assert not [line for line in (result.stdout + result.stderr).splitlines()
                if line.startswith("Error")], result.stdout + result.stderr
    from tests.tools.test_external_tools import check_with_dcmtk

    check_with_dcmtk(file_set / "DICOMDIR")


def test_file_ids_must_be_valid(tmp_path: Path) -> None:
    synth.generate(synth.SynthOptions(iod="CTImage", instances=1, rows=8, columns=8),
                   tmp_path, workers=1)  # names with .dcm: not File IDs
    with pytest.raises(DicomdirError, match=r"IM0001\.dcm"):
        write_dicomdir(tmp_path)
    assert not (tmp_path / "DICOMDIR").exists()
    with pytest.raises(DicomdirError, match="no files"):
        write_dicomdir(tmp_path / "P0001" / "ST0001" / "nothing")


def test_command_line_writes_a_file_set(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from authoring.cli.app import app

    result = CliRunner().invoke(app, ["synth", "--iod", "MRImage", "--out", str(tmp_path),
                                      "--instances", "2", "--dicomdir", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "DICOMDIR" in result.output
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == \
        ["DICOMDIR", "IM0001", "IM0002"]
    assert len(list(FileSet(dcmread(tmp_path / "DICOMDIR")))) == 2


#: IODs whose instance a DICOMDIR cannot index here, and why (refused by name).
NOT_INDEXED = {
    "AdvancedBlendingPresentationState": "cannot be completed",
    "AdvancedBlendingPresentationStateIDCVOIPaletteOpticalPath": "cannot be completed",
    "BasicStructuredDisplay": "cannot be completed",
    "ColorPalette": "cannot be completed",  # not a patient's: a root-level record
    "HangingProtocol": "cannot be completed",  # likewise
    "MRSpectroscopy": "cannot be completed",
    "StereometricRelationship": "cannot be completed",
    "MicroscopyBulkSimpleAnnotations": "no directory record type",
    "MicroscopyBulkSimpleAnnotationsWG26SP2025": "no directory record type",
    "ParametricMap": "no directory record type",
    "StandaloneCurve": "no directory record type",
    "StandaloneModalityLUT": "no directory record type",
    "StandaloneOverlay": "no directory record type",
    "StandaloneVOILUT": "no directory record type",
    "TractographyResults": "no directory record type",
    "BasicDirectory": "no instances to index",
    "BasicDirectoryDental": "no instances to index",
}


@pytest.mark.slow
@pytest.mark.external
def test_every_iod_in_a_file_set(tmp_path: Path) -> None:
    """For every IOD, a one-instance File-set whose DICOMDIR dciodvfy accepts, or a clear
    refusal for the reason listed."""
    from authoring.validation import spec

    tool = require_tool("dciodvfy")
    indexed = 0
    for iod in sorted(spec.iods()):
        folder = tmp_path / iod
        options = synth.SynthOptions(iod=iod, rows=8, columns=8, seed=1, dicomdir=True)
        if iod in NOT_INDEXED:
            with pytest.raises(DicomdirError, match=NOT_INDEXED[iod]):
                synth.generate(options, folder, workers=1)
            continue
        synth.generate(options, folder, workers=1)
        result = subprocess.run([tool, str(folder / "DICOMDIR")], capture_output=True,
                                text=True, timeout=120)
        errors = [line for line in (result.stdout + result.stderr).splitlines()
                  if line.startswith("Error")]
        assert not errors, (iod, errors[:3])
        indexed += 1
    print(f"\nDICOMDIR: {indexed} of {len(spec.iods())} IODs indexed, dciodvfy-clean")
    assert indexed == len(spec.iods()) - len(NOT_INDEXED)


def test_dicomdir_command_indexes_a_folder(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from authoring.cli.app import app

    synth.generate(synth.SynthOptions(iod="CTImage", instances=2, rows=8, columns=8,
                                      dicomdir=True), tmp_path, workers=1)
    (tmp_path / "DICOMDIR").unlink()
    runner = CliRunner()
    result = runner.invoke(app, ["dicomdir", str(tmp_path), "--fileset-id", "TEST"])
    assert result.exit_code == 0, result.output
    assert "5 records" in result.output  # patient, study, series, two images
    assert dcmread(tmp_path / "DICOMDIR").FileSetID == "TEST"
    (tmp_path / "P0001" / "bad.dcm").write_bytes(b"")
    refused = runner.invoke(app, ["dicomdir", str(tmp_path)])
    assert refused.exit_code == 1 and "bad.dcm" in refused.output


def test_pytest_fixture_makes_a_file_set(dicom_fileset: object) -> None:
    folder = dicom_fileset("CTImage", "MRImage", instances=2, rows=16,  # type: ignore[operator]
                           columns=16)
    instances = list(FileSet(dcmread(folder / "DICOMDIR")))
    assert len(instances) == 4
    assert sorted({i.Modality for i in instances}) == ["CT", "MR"]
