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
                                                    dicomdir=True), root, workers=1)
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
