"""Reading: sources, header-only reads, deferred values, bare data sets."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import authoring
from authoring.errors import DeferredValueError
from tests.conftest import pydicom_data

CT = pydicom_data() / "test_files" / "CT_small.dcm"


def test_sources_path_bytes_stream() -> None:
    from_path = authoring.read(CT)
    from_bytes = authoring.read(CT.read_bytes())
    with open(CT, "rb") as stream:
        from_stream = authoring.read(stream)
    assert from_path == from_bytes == from_stream
    assert from_path.filename == str(CT)
    assert from_path.preamble is not None and len(from_path.preamble) == 128


def test_stop_before() -> None:
    header = authoring.read(CT, stop_before="PixelData")
    assert "PixelData" not in header and "Rows" in header
    full = authoring.read(CT)
    assert header.keys() == [t for t in full.keys() if t < 0x7FE00010]


def test_deferred_values_load_on_access(tmp_path: Path) -> None:
    copy = tmp_path / "ct.dcm"
    shutil.copy(CT, copy)
    ds = authoring.read(copy, defer_size="1 KB")
    element = ds["PixelData"]
    assert element.is_deferred and element.raw_length == 32768
    assert ds.PixelData == authoring.read(CT).PixelData
    # writing streams the deferred bytes from the file
    assert authoring.to_bytes(authoring.read(copy, defer_size=1024)) == CT.read_bytes()


def test_changed_file_is_detected(tmp_path: Path) -> None:
    copy = tmp_path / "ct.dcm"
    shutil.copy(CT, copy)
    ds = authoring.read(copy, defer_size=1024)
    copy.write_bytes(CT.read_bytes()[:-2] + b"\x01\x02")
    with pytest.raises(DeferredValueError, match="changed since it was read"):
        ds.PixelData


def test_overwriting_the_source_keeps_deferred_data(tmp_path: Path) -> None:
    copy = tmp_path / "ct.dcm"
    shutil.copy(CT, copy)
    ds = authoring.read(copy, defer_size=1024)
    ds.PatientName = "Changed^Name"
    authoring.write(ds, copy)  # reads the deferred pixels before replacing the file
    back = authoring.read(copy)
    assert back.PatientName == "Changed^Name"
    assert back.PixelData == authoring.read(CT).PixelData


def test_bare_data_sets() -> None:
    for name in ("ExplVR_BigEndNoMeta.dcm", "ExplVR_LitEndNoMeta.dcm"):
        path = pydicom_data() / "test_files" / name
        ds = authoring.read(path)
        assert ds.file_meta is None and ds.preamble is None and ds.is_part10 is False
        assert authoring.to_bytes(ds) == path.read_bytes()  # written back bare
    big = authoring.read(pydicom_data() / "test_files" / "ExplVR_BigEndNoMeta.dcm")
    assert big.read_transfer_syntax is not None and not big.read_transfer_syntax.little_endian


def test_deflated_files() -> None:
    import pydicom

    path = pydicom_data() / "test_files" / "image_dfl.dcm"
    ds = authoring.read(path)
    assert ds.read_transfer_syntax is not None and ds.read_transfer_syntax.deflated
    assert authoring.to_bytes(ds) == path.read_bytes()  # unchanged: same stream
    ds.PatientName = "Changed"
    data = authoring.to_bytes(ds, validation="ignore")
    assert pydicom.dcmread(io.BytesIO(data)).PatientName == "Changed"
    reference = pydicom.dcmread(path).pixel_array
    assert (pydicom.dcmread(io.BytesIO(data)).pixel_array == reference).all()


def test_undefined_length_un_sequence() -> None:
    path = pydicom_data() / "test_files" / "UN_sequence.dcm"
    ds = authoring.read(path)
    element = next(e for e in ds if e.undefined_length and isinstance(e.value, list))
    assert element.vr == "UN" and len(element.value) >= 1
    assert authoring.to_bytes(ds) == path.read_bytes()


def test_character_set_applies_to_elements_read_before_it() -> None:
    """A DICOMDIR's records (group 0004) come before (0008,0005); the character set is the
    whole data set's, so their text decodes with it, as in pydicom."""
    from pydicom import dcmread

    from authoring import Dataset

    record = Dataset()
    record.DirectoryRecordType = "PATIENT"
    record.PatientName = "Иванов^Пётр"
    record.PatientID = "1"
    ds = Dataset()
    ds.FileSetID = "SET"
    ds.DirectoryRecordSequence = [record]
    ds.SpecificCharacterSet = "ISO_IR 144"
    data = authoring.to_bytes(ds, part10=False, transfer_syntax="ExplicitVRLittleEndian")
    assert "Иванов".encode("iso8859_5") in data
    ours = authoring.read(data, transfer_syntax_hint="ExplicitVRLittleEndian")
    assert str(ours.DirectoryRecordSequence[0].PatientName) == "Иванов^Пётр"
    theirs = dcmread(io.BytesIO(data), force=True)
    assert str(theirs.DirectoryRecordSequence[0].PatientName) == "Иванов^Пётр"
    # written back unchanged: the raw bytes are reused under the same character set
    assert authoring.to_bytes(ours, part10=False) == data
