"""The template writer (what synthetic series are written with) produces exactly the bytes
of the plain writer, for every IOD and syntax, and falls back to it where it must."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import authoring
from authoring import Dataset
from authoring.io.template_writer import TemplateWriter
from authoring.synth.series import Place, SynthOptions, _template, make
from authoring.validation import spec


def _plain(dataset: authoring.Dataset, syntax: str | None) -> bytes:
    return authoring.to_bytes(dataset, transfer_syntax=syntax, validation="ignore")


def _spliced(writer: TemplateWriter, dataset: authoring.Dataset) -> bytes:
    from authoring.io.writer import chunk_bytes

    return b"".join(chunk_bytes(c) for c in writer.chunks(dataset))


@pytest.mark.parametrize("syntax", [None, "ImplicitVRLittleEndian", "ExplicitVRBigEndian",
                                    "DeflatedExplicitVRLittleEndian", "rle"])
def test_every_iod_series_matches_the_plain_writer(syntax: str | None) -> None:
    iods = sorted(spec.iods()) if syntax in (None, "ExplicitVRBigEndian") else \
        ["CTImage", "MRImage", "UltrasoundImage", "EnhancedCTImage", "ComprehensiveSR"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for iod in iods:
            options = SynthOptions(iod=iod, instances=3, rows=16, columns=16, seed=9,
                                   transfer_syntax=syntax)
            writer = TemplateWriter(_template(options, 0, 0, 0), syntax)
            for number in range(3):
                dataset = make(options, Place(0, 0, 0, number), shared=True)
                if syntax == "rle" and "PixelData" not in dataset:
                    continue
                assert _spliced(writer, dataset) == _plain(dataset, syntax), (iod, number)


def test_changes_inside_shared_items_are_written() -> None:
    options = SynthOptions(iod="EnhancedCTImage", instances=2, rows=16, columns=16, seed=4)
    template = _template(options, 0, 0, 0)
    writer = TemplateWriter(template)
    dataset = make(options, Place(0, 0, 0, 1))  # a full copy: items are its own
    frame = dataset.PerFrameFunctionalGroupsSequence[0]
    frame.FrameContentSequence[0].FrameAcquisitionNumber = 77
    assert _spliced(writer, dataset) == _plain(dataset, None)
    reread = authoring.read(_spliced(writer, dataset))
    content = reread.PerFrameFunctionalGroupsSequence[0].FrameContentSequence[0]
    assert content.FrameAcquisitionNumber == 77


def test_another_character_set_falls_back(tmp_path: Path) -> None:
    options = SynthOptions(iod="CTImage", instances=2, rows=16, columns=16, seed=4)
    writer = TemplateWriter(_template(options, 0, 0, 0))
    dataset = make(options, Place(0, 0, 0, 1))
    dataset.SpecificCharacterSet = "ISO_IR 192"
    dataset.PatientName = "山田^太郎"
    writer.write(dataset, tmp_path / "utf8.dcm")
    assert (tmp_path / "utf8.dcm").read_bytes() == _plain(dataset, None)
    assert str(authoring.read(tmp_path / "utf8.dcm").PatientName) == "山田^太郎"


def test_copy_shared_and_replace_value_leave_the_original_alone() -> None:
    original = Dataset()
    original.PatientName = "Doe^Jane"
    original.PatientID = "1"
    twin = original.copy_shared()
    twin.replace_value("PatientName", "Roe^John")
    assert str(original.PatientName) == "Doe^Jane" and str(twin.PatientName) == "Roe^John"
    assert twin["PatientID"] is original["PatientID"]  # shared until replaced
    twin.replace_value("StudyID", "S1")  # absent: added to the twin only
    assert "StudyID" in twin and "StudyID" not in original
