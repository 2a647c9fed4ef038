"""The writer: value checks, file meta, byte order, atomic replacement."""

from __future__ import annotations

import io
import os
import stat
import warnings
from pathlib import Path

import pydicom
import pytest

import authoring
from authoring import Dataset
from authoring.core.uid import IMPLEMENTATION_CLASS_UID
from authoring.errors import CharacterSetError, ValueRuleError, WriteError
from authoring.io.writer import ValueRuleWarning
from tests.conftest import pydicom_data


def minimal() -> Dataset:
    return Dataset(SOPClassUID="1.2.840.10008.5.1.4.1.1.7", SOPInstanceUID="1.2.826.0.1.3",
                   PatientName="Doe^Jane", PatientID="X1", Modality="OT")


@pytest.mark.parametrize(("keyword", "value", "rule"), [
    ("PatientID", "x" * 65, "max-length"),  # LO: 64 characters
    ("Modality", "ct", "characters"),  # CS: upper case
    ("StudyInstanceUID", "1.02.3", "format"),  # UI: no leading zero
    ("StudyDate", "20240230", "format"),  # no such day
    ("PatientAge", "45", "format"),  # AS is nnnY
    ("PatientName", ("A", "B"), "vm"),  # PS3.6: VM 1
    ("StudyDescription", "line\nbreak", "characters"),  # LO: no control characters
])
def test_values_that_break_a_rule_are_refused(keyword: str, value: object, rule: str) -> None:
    ds = minimal()
    setattr(ds, keyword, value)
    with pytest.raises(ValueRuleError) as caught:
        authoring.to_bytes(ds)
    assert caught.value.rule == rule
    assert str(ds[keyword].tag) in str(caught.value)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        authoring.to_bytes(ds, validation="warn")
    assert any(issubclass(w.category, ValueRuleWarning) for w in seen)
    authoring.to_bytes(ds, validation="ignore")


def test_text_must_fit_the_character_set() -> None:
    ds = minimal()
    ds.PatientName = "Müller^Jürgen"
    with pytest.raises((ValueRuleError, CharacterSetError), match="00FC|charset"):
        authoring.to_bytes(ds)
    ds.SpecificCharacterSet = "ISO_IR 100"
    assert b"M\xfcller^J\xfcrgen" in authoring.to_bytes(ds)


def test_file_meta_is_built() -> None:
    data = authoring.to_bytes(minimal(), transfer_syntax="big")
    theirs = pydicom.dcmread(io.BytesIO(data))
    meta = theirs.file_meta
    assert meta.MediaStorageSOPClassUID == "1.2.840.10008.5.1.4.1.1.7"
    assert meta.MediaStorageSOPInstanceUID == "1.2.826.0.1.3"
    assert meta.TransferSyntaxUID == "1.2.840.10008.1.2.2"
    assert meta.ImplementationClassUID == IMPLEMENTATION_CLASS_UID
    assert meta.FileMetaInformationVersion == b"\x00\x01"
    # group length: bytes from after (0002,0000) to the first data set element
    assert meta.FileMetaInformationGroupLength == data.index(b"\x00\x08", 144) - 144
    assert data[:128] == b"\x00" * 128 and data[128:132] == b"DICM"


def test_file_meta_follows_a_changed_uid(tmp_path: Path) -> None:
    source = pydicom_data() / "test_files" / "CT_small.dcm"
    ds = authoring.read(source)
    ds.SOPInstanceUID = "1.2.3.4.5"
    back = authoring.read(authoring.to_bytes(ds))
    assert back.file_meta is not None
    assert back.file_meta.MediaStorageSOPInstanceUID == "1.2.3.4.5"
    assert back.file_meta.ImplementationClassUID == ds.file_meta.ImplementationClassUID


def test_part10_needs_sop_uids() -> None:
    with pytest.raises(WriteError, match="SOP Class UID"):
        authoring.to_bytes(Dataset(PatientID="1"))
    assert authoring.to_bytes(Dataset(PatientID="1"), part10=False).startswith(b"\x10\x00")


def test_big_endian_pixel_data_is_swapped() -> None:
    """pydicom 3.0.2 writes big-endian OW unswapped; the pixel values must survive."""
    import numpy as np

    ds = minimal()
    pixels = np.arange(12, dtype=np.uint16).reshape(3, 4) * 1000
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.Rows, ds.Columns = pixels.shape
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.PixelData = pixels.tobytes()
    big = authoring.to_bytes(ds, transfer_syntax="big")
    assert pixels.byteswap().tobytes() in big
    theirs = pydicom.dcmread(io.BytesIO(big))
    assert (theirs.pixel_array == pixels).all()
    # and converting a big-endian file to little endian swaps back
    source = pydicom_data() / "test_files" / "MR_small_bigendian.dcm"
    little = authoring.to_bytes(authoring.read(source), transfer_syntax="explicit")
    reference = pydicom.dcmread(source).pixel_array
    assert (pydicom.dcmread(io.BytesIO(little)).pixel_array == reference).all()


def test_writes_are_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out.dcm"
    target.write_bytes(b"precious")
    os.chmod(target, 0o640)
    ds = minimal()
    ds.Modality = "lower case"
    with pytest.raises(ValueRuleError):
        authoring.write(ds, target)
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.dcm"]  # no temporary left
    ds.Modality = "OT"
    authoring.write(ds, target)
    assert authoring.read(target).Modality == "OT"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # permissions kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.dcm"]


def test_write_error_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "out.dcm"
    with pytest.raises(WriteError) as caught:
        authoring.write(minimal(), missing)
    assert caught.value.path == str(missing)


def test_write_to_a_stream() -> None:
    stream = io.BytesIO()
    authoring.write(minimal(), stream, transfer_syntax="implicit")
    assert pydicom.dcmread(io.BytesIO(stream.getvalue())).PatientID == "X1"


def test_sequences_keep_their_length_form() -> None:
    source = pydicom_data() / "test_files" / "rtplan.dcm"  # defined-length items
    ds = authoring.read(source)
    first = ds.DoseReferenceSequence[0]
    assert first.item_undefined_length is False
    first.item_undefined_length = True
    ds["DoseReferenceSequence"].undefined_length = True
    data = authoring.to_bytes(ds)
    back = authoring.read(data)
    assert back["DoseReferenceSequence"].undefined_length
    assert back.DoseReferenceSequence[0].item_undefined_length is True
    assert back.DoseReferenceSequence[1].item_undefined_length is False
    theirs = pydicom.dcmread(io.BytesIO(data))
    assert theirs.DoseReferenceSequence[0].DoseReferenceNumber == 1


def test_group_lengths_are_recomputed() -> None:
    source = pydicom_data() / "charset_files" / "chrJapMultiExplicitIR6.dcm"
    ds = authoring.read(source)
    ds.PatientID = "a much longer patient identifier"
    data = authoring.to_bytes(ds, validation="ignore")
    theirs = pydicom.dcmread(io.BytesIO(data))
    group = [e for e in theirs if e.tag.group == 0x0010 and e.tag.element]
    size = sum(8 + len(e.value if isinstance(e.value, bytes) else
                       authoring.read(data)[e.tag].raw or b"") for e in group)
    assert theirs[0x00100000].value == size


def test_lengths_can_be_forced() -> None:
    source = pydicom_data() / "test_files" / "rtplan.dcm"
    ds = authoring.read(source)
    undefined = authoring.read(authoring.to_bytes(ds, lengths="undefined"))
    for _, element in undefined.walk():
        if element.vr == "SQ":
            assert element.undefined_length
            assert all(item.item_undefined_length for item in element.value)
    defined = authoring.read(authoring.to_bytes(undefined, lengths="defined"))
    assert defined == ds
    assert authoring.to_bytes(defined) == authoring.to_bytes(ds)
    with pytest.raises(ValueError):
        authoring.to_bytes(ds, lengths="sometimes")  # type: ignore[arg-type]
