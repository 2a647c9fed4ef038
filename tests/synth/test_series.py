"""Synthetic studies: the tree, the UID hierarchy and geometry, character sets, transfer
syntaxes, determinism whatever the workers, the command line and the pytest fixtures."""

from __future__ import annotations

import io
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest
from pydicom import dcmread
from typer.testing import CliRunner

import authoring
from authoring import synth
from authoring.cli.app import app
from tests.conftest import require_tool


def _read(path: Path) -> authoring.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return authoring.read(path)


def test_tree_hierarchy_and_geometry(tmp_path: Path) -> None:
    options = synth.SynthOptions(iod="CTImage", patients=2, studies=2, series=2, instances=3,
                                 rows=32, columns=32, seed=11)
    summary = synth.generate(options, tmp_path, workers=1)
    assert not summary.failed and len(summary.written) == 24
    names = [str(p.relative_to(tmp_path)) for p in summary.written]
    assert names == sorted(names) and names[0] == "P0001/ST0001/SE0001/IM0001.dcm"
    files = {n: _read(tmp_path / n) for n in names}
    series = [files[f"P0002/ST0001/SE0002/IM000{i}.dcm"] for i in (1, 2, 3)]
    assert len({(d.StudyInstanceUID, d.SeriesInstanceUID, d.FrameOfReferenceUID,
                 d.PatientID) for d in series}) == 1
    assert len({d.SOPInstanceUID for d in files.values()}) == 24
    assert len({d.StudyInstanceUID for d in files.values()}) == 4
    assert len({d.SeriesInstanceUID for d in files.values()}) == 8
    z = [float(d.ImagePositionPatient[2]) for d in series]
    assert z[1] - z[0] == z[2] - z[1] == -float(series[0].SliceThickness)
    assert [float(d.SliceLocation) for d in series] == z
    assert [int(d.InstanceNumber) for d in series] == [1, 2, 3]
    assert all(d.validate().ok for d in files.values())
    ct = series[0].pixel_array.astype(float) * float(series[0].RescaleSlope) + \
        float(series[0].RescaleIntercept)
    assert ct.min() < -900 and ct.max() > 500  # air outside, bone inside (Hounsfield units)


def test_same_seed_same_bytes_whatever_the_workers(tmp_path: Path) -> None:
    options = synth.SynthOptions(iod="MRImage", patients=2, instances=4, rows=32, columns=32,
                                 seed=5)
    one = synth.generate(options, tmp_path / "one", workers=1)
    two = synth.generate(options, tmp_path / "two", workers=2)
    other = synth.generate(synth.SynthOptions(iod="MRImage", patients=2, instances=4, rows=32,
                                              columns=32, seed=6), tmp_path / "other",
                           workers=2)
    for a, b, c in zip(one.written, two.written, other.written, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert a.read_bytes() != c.read_bytes()


@pytest.mark.parametrize("charset", ["ISO_IR 192", "\\ISO 2022 IR 87", "ISO_IR 100",
                                     "ISO_IR 144"])
def test_names_in_character_sets(charset: str, tmp_path: Path) -> None:
    import pydicom

    dataset = synth.dataset("CTImage", charset=charset)
    path = tmp_path / "x.dcm"
    authoring.write(dataset, path)
    ours = _read(path)
    assert str(ours.PatientName) == str(dataset.PatientName)
    assert not str(ours.PatientName).isascii()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert str(pydicom.dcmread(path).PatientName) == str(dataset.PatientName)


def test_compressed_output(tmp_path: Path) -> None:
    options = synth.SynthOptions(iod="CTImage", instances=2, rows=48, columns=40,
                                 transfer_syntax="1.2.840.10008.1.2.5")
    summary = synth.generate(options, tmp_path, workers=1)
    back = _read(summary.written[0])
    assert back.file_meta is not None
    assert back.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.5"
    assert back.pixel_array.shape == (48, 40) and back.validate().ok


def test_multi_frame_and_colour() -> None:
    enhanced = synth.dataset("EnhancedCTImage", frames=3, rows=16, columns=16)
    assert int(enhanced.NumberOfFrames) == 3 and enhanced.pixel_array.shape == (3, 16, 16)
    assert len(enhanced.PerFrameFunctionalGroupsSequence) == 3
    assert enhanced.validate().ok
    us = synth.dataset("UltrasoundImage", rows=20, columns=30)
    assert us.PhotometricInterpretation == "RGB" and us.pixel_array.shape == (20, 30, 3)


def test_overrides_and_sop_class_uid() -> None:
    dataset = synth.dataset("1.2.840.10008.5.1.4.1.1.4", PatientName="Test^A",
                            PatientID="OVR-1")
    assert dataset.SOPClassUID == "1.2.840.10008.5.1.4.1.1.4"  # MR Image Storage
    assert (str(dataset.PatientName), dataset.PatientID) == ("Test^A", "OVR-1")


def test_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["synth", "--iod", "SecondaryCaptureImage", "--out",
                                 str(tmp_path), "--instances", "3", "--seed", "2",
                                 "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "3 SecondaryCaptureImage files" in result.output
    assert len(list(tmp_path.rglob("*.dcm"))) == 3
    bad = runner.invoke(app, ["synth", "--iod", "CTImag", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "did you mean 'CTImage'" in bad.output


def test_first_series_adds_to_the_same_study(tmp_path: Path) -> None:
    runner = CliRunner()
    for iod, first, mode in (("CTImage", "1", []), ("MRImage", "2", ["--append"])):
        result = runner.invoke(app, ["synth", "--iod", iod, "--out", str(tmp_path),
                                     "--instances", "2", "--seed", "5", "--first-series",
                                     first, "--workers", "1", *mode])
        assert result.exit_code == 0, result.output
    read = [dcmread(path) for path in sorted(tmp_path.rglob("*.dcm"))]
    assert [p.parent.name for p in sorted(tmp_path.rglob("*.dcm"))] == \
        ["SE0001", "SE0001", "SE0002", "SE0002"]
    assert len({ds.StudyInstanceUID for ds in read}) == 1
    assert [ds.Modality for ds in read] == ["CT", "CT", "MR", "MR"]
    assert [int(ds.SeriesNumber) for ds in read] == [1, 1, 2, 2]
    assert len({ds.SeriesInstanceUID for ds in read}) == 2


def test_pytest_fixtures(dicom_factory: object, dicom_file: object, dicom_series: object
                         ) -> None:
    dataset = dicom_factory("MRImage", PatientName="Test^A")  # type: ignore[operator]
    assert str(dataset.PatientName) == "Test^A" and dataset.validate().ok
    path = dicom_file("CTImage", transfer_syntax="1.2.840.10008.1.2.5")  # type: ignore[operator]
    assert _read(path).pixel_array.shape == (64, 64)
    paths = dicom_series("CTImage", instances=3)  # type: ignore[operator]
    assert len(paths) == 3 and len({_read(p).SeriesInstanceUID for p in paths}) == 1
    assert np.asarray([_read(p).InstanceNumber for p in paths]).tolist() == [1, 2, 3]


@pytest.mark.parametrize("iod", ["EnhancedCTImage", "EnhancedMRImage"])
def test_enhanced_multi_frame_is_a_stack(iod: str, tmp_path: Path) -> None:
    """Per-frame plane positions step along the normal, frame times follow the content
    time, and the Multi-frame Dimension module indexes the stack; our validator and
    dciodvfy accept it, and pydicom reads each frame's position back."""
    dataset = synth.dataset(iod, frames=4, rows=32, columns=32, seed=5)
    assert dataset.validate(iod).ok
    path = tmp_path / "enhanced.dcm"
    authoring.write(dataset, path)
    theirs = dcmread(path)
    frames = theirs.PerFrameFunctionalGroupsSequence
    assert len(frames) == 4 and theirs.pixel_array.shape == (4, 32, 32)
    z = [float(f.PlanePositionSequence[0].ImagePositionPatient[2]) for f in frames]
    assert [b - a for a, b in zip(z, z[1:])] == [pytest.approx(2.5)] * 3
    assert [list(f.FrameContentSequence[0].DimensionIndexValues) for f in frames] == \
        [[1, n] for n in range(1, 5)]
    times = [str(f.FrameContentSequence[0].FrameAcquisitionDateTime) for f in frames]
    assert times == sorted(times) and times[0][:8] == str(theirs.ContentDate)
    pointers = [int(i.DimensionIndexPointer) for i in theirs.DimensionIndexSequence]
    assert pointers == [0x00209056, 0x00209057]
    assert "PlanePositionSequence" not in theirs.SharedFunctionalGroupsSequence[0]
    result = subprocess.run([require_tool("dciodvfy"), str(path)], capture_output=True,
                            text=True, timeout=120)
    assert not [line for line in (result.stdout + result.stderr).splitlines()
                if line.startswith("Error")], result.stdout + result.stderr


def test_values_look_like_their_modality() -> None:
    """Typical values where the IOD allows them: a soft-tissue window on CT (40/400 HU after
    the rescale, which pydicom's VOI LUT applies the same way), spin-echo timing on MR, a
    patient whose sex goes with the name, physicians who are not the patient."""
    from pydicom.pixels import apply_modality_lut

    ct = synth.dataset("CTImage", rows=64, columns=64, seed=1)
    assert ct.ImageType == ("ORIGINAL", "PRIMARY", "AXIAL") and ct.PatientPosition == "HFS"
    assert (float(ct.WindowCenter), float(ct.WindowWidth)) == (40.0, 400.0)
    theirs = dcmread(io.BytesIO(authoring.to_bytes(ct)))
    hu = apply_modality_lut(theirs.pixel_array, theirs)
    assert -1100 < hu.min() < -900 and 600 < hu.max() < 800  # air .. vertebra
    mr = synth.dataset("MRImage", rows=64, columns=64, seed=1)
    assert (float(mr.RepetitionTime), float(mr.EchoTime)) == (500.0, 15.0)
    assert float(mr.WindowWidth) > 0
    for seed in range(6):
        ds = synth.dataset("CTImage", rows=16, columns=16, seed=seed)
        given = str(ds.PatientName).split("^")[1]
        expected = {"Jane": "F", "Maria": "F", "Linh": "F", "Ana": "F", "Richard": "M",
                    "Piotr": "M", "Chidi": "M", "Alex": "O"}[given]
        assert ds.PatientSex == expected
        assert str(ds.ReferringPhysicianName) != str(ds.PatientName)
    processing = synth.dataset("DigitalXRayImageForProcessing", rows=16, columns=16)
    assert "WindowCenter" not in processing  # a window only for presentation


def test_pixels_are_planned_for_the_transfer_syntax(tmp_path: Path) -> None:
    """JPEG Baseline holds 8-bit pixels: an IOD that allows them gets them; one that does
    not (CT: 16 bits) is one clear error before any file is written."""
    from authoring.errors import SynthError

    options = synth.SynthOptions(iod="SecondaryCaptureImage", instances=2,
                                 transfer_syntax="jpeg-baseline", seed=3)
    summary = synth.generate(options, tmp_path / "sc", workers=1)
    theirs = dcmread(summary.written[0])
    assert theirs.BitsAllocated == 8 and theirs.file_meta.TransferSyntaxUID == \
        "1.2.840.10008.1.2.4.50" and theirs.pixel_array.shape == (64, 64)
    with pytest.raises(SynthError, match="CTImage cannot be written in JPEG Baseline.*8-bit"):
        synth.generate(synth.SynthOptions(iod="CTImage", instances=3,
                                          transfer_syntax="jpeg-baseline"), tmp_path / "ct")
    assert not (tmp_path / "ct").exists()


def test_command_line_imposes_values(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["synth", "--iod", "CTImage", "--out", str(tmp_path),
                                 "--instances", "2", "--workers", "1",
                                 "--set", "PatientName=Doe^Jane", "--set",
                                 "InstitutionName=St Elsewhere", "--set",
                                 "ImageType=DERIVED\\SECONDARY\\AXIAL"])
    assert result.exit_code == 0, result.output
    for path in sorted(tmp_path.rglob("*.dcm")):
        theirs = dcmread(path)
        assert str(theirs.PatientName) == "Doe^Jane"
        assert theirs.InstitutionName == "St Elsewhere"
        assert list(theirs.ImageType) == ["DERIVED", "SECONDARY", "AXIAL"]
        assert _read(path).validate().ok
    for bad in ("PatientNam=Doe", "PatientName"):
        refused = runner.invoke(app, ["synth", "--out", str(tmp_path / "x"), "--set", bad])
        assert refused.exit_code == 2 and "--set" in refused.output
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(("options", "message"), [
    ({"iod": "CTImage", "frames": 3}, "CTImage holds one frame per instance"),
    ({"iod": "MultiFrameTrueColorSecondaryCaptureImage", "transfer_syntax": "rle"},
     "colour by pixel only"),
    ({"iod": "CTImage", "transfer_syntax": "jpeg2000-ish"}, "unknown transfer syntax"),
])
def test_impossible_requests_are_one_clear_error(options: dict[str, object], message: str,
                                                 tmp_path: Path) -> None:
    from authoring.errors import AuthoringError

    with pytest.raises(AuthoringError, match=message):
        synth.generate(synth.SynthOptions(instances=4, **options),  # type: ignore[arg-type]
                       tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_identifiers_fit_their_vr_whatever_the_seed() -> None:
    for seed in (-7, 0, 10**40):
        ds = synth.dataset("CTImage", rows=8, columns=8, seed=seed)
        assert len(ds.AccessionNumber) <= 16 and len(ds.PatientID) <= 64
        assert ds.validate("CTImage").ok


def test_a_study_of_several_iods_is_consistent(tmp_path: Path) -> None:
    """Series of different IODs in one study share every patient- and study-level value,
    and number their series one after the other."""
    summary = synth.generate_study(["CTImage", "PositronEmissionTomographyImage",
                                    "ComprehensiveSR"],
                                   synth.SynthOptions(instances=2, rows=16, columns=16,
                                                      seed=12), tmp_path, workers=1)
    read = [dcmread(path) for path in summary.written]
    assert [p.parent.name for p in summary.written] == \
        ["SE0001", "SE0001", "SE0002", "SE0002", "SE0003", "SE0003"]
    assert [ds.Modality for ds in read] == ["CT", "CT", "PT", "PT", "SR", "SR"]
    for keyword in ("PatientName", "PatientID", "PatientBirthDate", "PatientSex",
                    "StudyInstanceUID", "StudyDate", "StudyTime", "StudyID",
                    "AccessionNumber", "ReferringPhysicianName", "StudyDescription"):
        assert len({str(ds.get(keyword)) for ds in read}) == 1, keyword
    assert str(read[0].ReferringPhysicianName) != str(read[0].PatientName)
