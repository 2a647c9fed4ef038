"""The Dataset API: keyword, tag and tuple access, order, sequences, copies, hints."""

from __future__ import annotations

import copy

import pytest

from authoring import DataElement, Dataset, PersonName, Sequence, Tag
from authoring.core.values import DS, IS


def test_every_key_form_reaches_the_same_element() -> None:
    ds = Dataset()
    ds.PatientName = "Doe^Jane"
    element = ds["PatientName"]
    assert ds[0x00100010] is element and ds[(0x0010, 0x0010)] is element
    assert ds["(0010,0010)"] is element and ds[Tag("PatientName")] is element
    assert element.vr == "PN" and isinstance(ds.PatientName, PersonName)
    assert "PatientName" in ds and 0x00100010 in ds and (0x0010, 0x0010) in ds
    assert "PatientID" not in ds and "NotAKeyword" not in ds


def test_values_are_normalized_to_the_vr() -> None:
    ds = Dataset(ImageType="ORIGINAL\\PRIMARY", SliceThickness=1.25, InstanceNumber="7",
                 PixelSpacing=[0.5, "0.5"], Rows=512)
    assert ds.ImageType == ("ORIGINAL", "PRIMARY")
    assert isinstance(ds.SliceThickness, DS) and ds.SliceThickness.original == "1.25"
    assert ds.InstanceNumber == 7 and isinstance(ds.InstanceNumber, IS)
    assert ds.PixelSpacing == (0.5, 0.5)
    assert ds.Rows == 512
    with pytest.raises(ValueError):
        ds.Rows = "many"


def test_iteration_is_in_tag_order() -> None:
    ds = Dataset()
    ds.PixelData = b"\x00\x00"
    ds.PatientID = "1"
    ds.Modality = "CT"
    assert [e.tag for e in ds] == [0x00080060, 0x00100020, 0x7FE00010]
    assert ds.keys() == [Tag(0x00080060), Tag(0x00100020), Tag(0x7FE00010)]


def test_delete_and_get() -> None:
    ds = Dataset(PatientID="1", PatientName="A^B")
    del ds.PatientID
    del ds["PatientName"]
    assert len(ds) == 0
    assert ds.get("PatientName", "none") == "none"
    with pytest.raises(AttributeError, match="not in the data set"):
        ds.PatientName
    with pytest.raises(KeyError):
        ds[0x00100010]


def test_misspelled_keyword_gives_a_hint() -> None:
    ds = Dataset()
    with pytest.raises(AttributeError, match="did you mean 'PatientName'"):
        ds.PatientNam = "x"
    with pytest.raises(AttributeError, match="did you mean 'PatientName'"):
        ds.patientname


def test_dir_with_filters() -> None:
    ds = Dataset(PatientName="A", PatientID="1", StudyDate="20240101", StudyTime="101010")
    assert ds.dir() == ["PatientID", "PatientName", "StudyDate", "StudyTime"]
    assert ds.dir("date", "time") == ["StudyDate", "StudyTime"]
    assert "PatientName" in dir(ds)


def test_nested_sequences() -> None:
    inner = Dataset(CodeValue="T-D1100", CodingSchemeDesignator="SRT", CodeMeaning="Head")
    ds = Dataset()
    ds.ReferencedImageSequence = [Dataset(ReferencedSOPInstanceUID="1.2.3",
                                          ReferencedSOPClassUID="1.2.840.10008.5.1.4.1.1.2")]
    ds.AnatomicRegionSequence = Sequence([inner])
    assert isinstance(ds.ReferencedImageSequence, Sequence)
    assert ds.AnatomicRegionSequence[0].CodeMeaning == "Head"
    with pytest.raises(TypeError):
        ds.AnatomicRegionSequence.append("not a dataset")  # type: ignore[arg-type]
    paths = [path for path, _ in ds.walk()]
    assert (0x00082218, 0, 0x00080100) in paths


def test_copies_and_equality() -> None:
    ds = Dataset(PatientName="A^B")
    ds.ReferencedImageSequence = [Dataset(ReferencedSOPInstanceUID="1.2.3")]
    deep = copy.deepcopy(ds)
    shallow = ds.copy()
    assert deep == ds == shallow
    deep.ReferencedImageSequence[0].ReferencedSOPInstanceUID = "9.9"
    assert deep != ds
    shallow.PatientName = "C^D"
    assert ds.PatientName == "A^B"  # elements are not shared by a shallow copy


def test_elements_built_directly() -> None:
    element = DataElement("PatientID", "LO", "123")
    assert element.tag == 0x00100020 and element.keyword == "PatientID"
    assert element.vm == 1 and not element.is_empty
    assert DataElement(0x00100020, "LO", None).is_empty
    with pytest.raises(ValueError, match="not a VR"):
        DataElement(0x00100020, "XX", "1")


def test_ambiguous_vr_follows_pixel_representation() -> None:
    ds = Dataset(PixelRepresentation=1, BitsAllocated=16)
    ds.SmallestImagePixelValue = -100
    assert ds["SmallestImagePixelValue"].vr == "SS"
    ds.PixelData = b"\x00" * 4
    assert ds["PixelData"].vr == "OW"
    unsigned = Dataset(PixelRepresentation=0, BitsAllocated=8)
    unsigned.SmallestImagePixelValue = 5
    unsigned.PixelData = b"\x00" * 4
    assert unsigned["SmallestImagePixelValue"].vr == "US" and unsigned["PixelData"].vr == "OB"


def test_element_copy_carries_every_slot() -> None:
    import authoring
    from tests.conftest import pydicom_data

    ds = authoring.read(pydicom_data() / "test_files" / "CT_small.dcm")
    for element in ds:
        twin = element.copy()
        assert twin is not element
        for slot in DataElement.__slots__:
            assert getattr(twin, slot) is getattr(element, slot), slot
