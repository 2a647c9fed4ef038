"""Synthetic studies that are true together (``authoring synth --recipe``): every object is
derived from one phantom, every reference resolves inside the study, and what the objects
say equals the ground truth in ``manifest.json``, as our reader, highdicom, dciodvfy,
PixelMed and dcmtk read them."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import authoring
from authoring.errors import SynthError
from authoring.synth.phantom import make_phantom
from tests.builders.test_sr_example import pixelmed_sr_findings
from tests.conftest import missing, require_tool
from tests.support.pixelmed_templates import JAR

OPTIONS = {"seed": 5, "slices": 16, "rows": 64, "columns": 64}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """One ct-oncology study (shared by the tests of this module: it is read, not changed)."""
    folder = tmp_path_factory.mktemp("study")
    manifest = authoring.synth.study("ct-oncology", folder, workers=1, **OPTIONS)
    return folder, manifest


def _objects(made: tuple[Path, dict[str, Any]], kind: str | None = None
             ) -> list[tuple[Path, dict[str, Any]]]:
    folder, manifest = made
    return [(folder / o["path"], o) for p in manifest["patients"] for o in p["objects"]
            if kind is None or o["kind"] == kind]


def _references(dataset: Any) -> list[tuple[str, str, Any]]:
    """(class, instance, item) of every Referenced SOP Instance UID below ``dataset``."""
    out: list[tuple[str, str, Any]] = []
    stack = [dataset]
    while stack:
        item = stack.pop()
        for element in item:
            if element.vr == "SQ":
                for child in element.value or ():
                    if "ReferencedSOPInstanceUID" in child:
                        out.append((str(child.get("ReferencedSOPClassUID")),
                                    str(child.ReferencedSOPInstanceUID), child))
                    stack.append(child)
    return out


def test_the_tree_and_the_manifest(made: tuple[Path, dict[str, Any]]) -> None:
    folder, manifest = made
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.dcm"))
    assert files == sorted(o["path"] for _, o in _objects(made))
    assert files[0] == "P0001/ST0001/SE0001/IM0001.dcm"
    assert [o["kind"] for _, o in _objects(made)].count("CT") == OPTIONS["slices"]
    assert {o["kind"] for _, o in _objects(made)} == {"CT", "SEG", "SR", "KOS", "RTSTRUCT",
                                                      "PR", "SEG-LABELMAP"}
    assert json.loads((folder / "manifest.json").read_text()) == manifest
    lesions = [s for s in manifest["patients"][0]["phantom"]["structures"] if s["lesion"]]
    assert len(lesions) == 3 and all(s["voxels"] > 0 for s in lesions)


@pytest.fixture(scope="module")
def made_pet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """One pet-ct study."""
    folder = tmp_path_factory.mktemp("petct")
    manifest = authoring.synth.study("pet-ct", folder, workers=1, **OPTIONS)
    return folder, manifest


def test_every_reference_resolves(made: tuple[Path, dict[str, Any]],
                                  made_pet: tuple[Path, dict[str, Any]]) -> None:
    """Each Referenced SOP Instance UID exists with the SOP Class it is given; referenced
    segments exist; study and Frame of Reference agree; the SR documents' evidence lists
    every instance their content references (both recipes)."""
    _references_resolve(made)
    _references_resolve(made_pet)


def _references_resolve(made: tuple[Path, dict[str, Any]], minimum: int | None = None,
                        frame_of_reference: bool = True) -> None:
    datasets = {o["sop_instance_uid"]: authoring.read(path) for path, o in _objects(made)}
    classes = {uid: str(ds.SOPClassUID) for uid, ds in datasets.items()}
    assert len({str(ds.StudyInstanceUID) for ds in datasets.values()}) == 1
    ct_frame = {str(ds.FrameOfReferenceUID) for ds in datasets.values()
                if ds.Modality in ("CT", "SEG", "PT", "REG", "MR", "SM")}
    assert len(ct_frame) == (1 if frame_of_reference else 0)
    checked = 0
    study = str(next(iter(datasets.values())).StudyInstanceUID)
    for ds in datasets.values():
        for sop_class, instance, item in _references(ds):
            if sop_class == "1.2.840.10008.3.1.2.3.1":  # RT Referenced Study: the study
                assert instance == study
                continue
            assert classes.get(instance) == sop_class, (ds.Modality, instance)
            segments = item.get("ReferencedSegmentNumber")
            if segments:
                seg = datasets[instance]
                numbers = {int(s.SegmentNumber) for s in seg.SegmentSequence}
                wanted = segments if isinstance(segments, (list, tuple)) else [segments]
                assert {int(n) for n in wanted} <= numbers
            checked += 1
    assert checked >= (OPTIONS["slices"] + 1 if minimum is None else minimum)
    for ds in datasets.values():
        if "ContentSequence" not in ds:
            continue
        listed = {str(s.ReferencedSOPInstanceUID)
                  for study in ds.CurrentRequestedProcedureEvidenceSequence
                  for series in study.ReferencedSeriesSequence
                  for s in series.ReferencedSOPSequence}
        content = {uid for _, uid, _ in _references(ds.ContentSequence[0]) if True}
        content |= {uid for item in ds.ContentSequence for _, uid, _ in _references(item)}
        assert content and content <= listed


def test_the_segmentation_is_the_phantom(made: tuple[Path, dict[str, Any]]) -> None:
    """Our reader's frames of each segment equal the phantom's labels on the CT slice each
    frame cites."""
    [(path, entry)] = _objects(made, "SEG")
    seg = authoring.read(path)
    phantom = make_phantom(seed=OPTIONS["seed"] * 1009, rows=OPTIONS["rows"],
                           columns=OPTIONS["columns"], slices=OPTIONS["slices"])
    frames = np.asarray(seg.pixel_array).reshape(int(seg.NumberOfFrames), int(seg.Rows),
                                                  int(seg.Columns))
    slice_of = {o["sop_instance_uid"]: o["truth"]["slice"] for _, o in _objects(made, "CT")}
    label_of = {s["number"]: s["label"] for s in entry["truth"]["segments"]}
    for frame, item in zip(frames, seg.PerFrameFunctionalGroupsSequence, strict=True):
        number = int(item.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        source = item.DerivationImageSequence[0].SourceImageSequence[0]
        index = slice_of[str(source.ReferencedSOPInstanceUID)]
        assert np.array_equal(frame.astype(bool), phantom.labels[index] == label_of[number])


def test_the_label_map_is_the_phantom_too(made: tuple[Path, dict[str, Any]]) -> None:
    """The Label Map Segmentation (SOP Class 1.2.840.10008.5.1.4.1.1.66.7): each frame's
    values are the segment numbers of the phantom's labels on the CT slice it cites, as
    our reader and highdicom read it, equal to the binary form."""
    [(path, entry)] = _objects(made, "SEG-LABELMAP")
    seg = authoring.read(path)
    assert str(seg.SOPClassUID) == "1.2.840.10008.5.1.4.1.1.66.7"
    assert seg.SegmentationType == "LABELMAP"
    phantom = make_phantom(seed=OPTIONS["seed"] * 1009, rows=OPTIONS["rows"],
                           columns=OPTIONS["columns"], slices=OPTIONS["slices"])
    number_of = {s["label"]: s["number"] for s in entry["truth"]["segments"]}
    expected = np.vectorize(lambda label: number_of.get(int(label), 0))(phantom.labels)
    frames = np.asarray(seg.pixel_array).reshape(int(seg.NumberOfFrames), int(seg.Rows),
                                                  int(seg.Columns))
    slice_of = {o["sop_instance_uid"]: o["truth"]["slice"] for _, o in _objects(made, "CT")}
    for frame, item in zip(frames, seg.PerFrameFunctionalGroupsSequence, strict=True):
        source = item.DerivationImageSequence[0].SourceImageSequence[0]
        assert np.array_equal(frame, expected[slice_of[str(source.ReferencedSOPInstanceUID)]])
    highdicom = pytest.importorskip("highdicom")
    cts = sorted(_objects(made, "CT"), key=lambda pair: pair[1]["truth"]["slice"])
    read = highdicom.seg.segread(path)
    volume = read.get_pixels_by_source_instance(
        source_sop_instance_uids=[o["sop_instance_uid"] for _, o in cts],
        combine_segments=True, skip_overlap_checks=True,
        assert_missing_frames_are_empty=True)
    assert np.array_equal(volume, expected)


def test_highdicom_reads_the_segmentation_and_the_report(
        made: tuple[Path, dict[str, Any]]) -> None:
    highdicom = pytest.importorskip("highdicom")
    import pydicom

    [(seg_path, entry)] = _objects(made, "SEG")
    seg = highdicom.seg.segread(seg_path)
    cts = sorted(_objects(made, "CT"), key=lambda pair: pair[1]["truth"]["slice"])
    uids = [o["sop_instance_uid"] for _, o in cts]
    volume = seg.get_pixels_by_source_instance(source_sop_instance_uids=uids,
                                               combine_segments=True,
                                               skip_overlap_checks=True)
    phantom = make_phantom(seed=OPTIONS["seed"] * 1009, rows=OPTIONS["rows"],
                           columns=OPTIONS["columns"], slices=OPTIONS["slices"])
    number_of = {s["label"]: s["number"] for s in entry["truth"]["segments"]}
    expected = np.vectorize(lambda label: number_of.get(int(label), 0))(phantom.labels)
    assert np.array_equal(volume, expected)
    [(sr_path, _)] = _objects(made, "SR")
    report = highdicom.sr.srread(sr_path)
    groups = report.content.get_volumetric_roi_measurement_groups()
    assert len(groups) == 3
    assert {str(pydicom.dcmread(sr_path).SOPClassUID)} == {"1.2.840.10008.5.1.4.1.1.88.33"}


def test_the_report_says_what_the_phantom_holds(made: tuple[Path, dict[str, Any]]) -> None:
    """Volume, long axis and mean HU of each lesion, as the TID 1500 report states them,
    equal the manifest's truth within 1%."""
    from authoring.sr.templates import MeasurementReport

    [(path, _)] = _objects(made, "SR")
    view = MeasurementReport.view(authoring.read(path))
    truth = {s["name"]: s for s in made[1]["patients"][0]["phantom"]["structures"]}
    groups = view.values["volumetric_roi_measurements_and_qualitative_evaluations"]
    assert [g.values["tracking_identifier"] for g in groups] == [
        "Lesion 1", "Lesion 2", "Lesion 3"]
    for group in groups:
        facts = truth[group.values["tracking_identifier"]]
        stated = {m.values["measurement"].concept.meaning:
                  float(m.values["measurement"].value.number)
                  for m in group.values["roi_measurements"].values["measurement"]}
        for name, key in (("Volume", "volume_mm3"), ("Long Axis", "long_axis_mm"),
                          ("Attenuation Coefficient", "mean_hu")):
            assert stated[name] == pytest.approx(facts[key], rel=0.01), name


def test_rt_contours_cover_the_segmentation(made: tuple[Path, dict[str, Any]]) -> None:
    """The RT Structure Set as pydicom reads it, each slice's contours rasterised by
    matplotlib (even-odd, pixel centres), overlaps the phantom's labels (which the SEG
    equals) with Dice >= 0.95 per structure."""
    pydicom = pytest.importorskip("pydicom")
    mpath = pytest.importorskip("matplotlib.path")
    [(path, entry)] = _objects(made, "RTSTRUCT")
    rtss = pydicom.dcmread(path)
    phantom = make_phantom(seed=OPTIONS["seed"] * 1009, rows=OPTIONS["rows"],
                           columns=OPTIONS["columns"], slices=OPTIONS["slices"])
    geometry = phantom.geometry
    ox, oy, oz = geometry.origin
    rows, columns = np.mgrid[:geometry.rows, :geometry.columns]
    centres = np.column_stack([(ox + columns * geometry.pixel_spacing).ravel(),
                               (oy + rows * geometry.pixel_spacing).ravel()])
    ct_uids = {o["sop_instance_uid"] for _, o in _objects(made, "CT")}
    label_of = {r["number"]: r["label"] for r in entry["truth"]["rois"]}
    assert len(rtss.ROIContourSequence) == len(label_of) == 10  # 7 organs, 3 lesions
    for roi in rtss.ROIContourSequence:
        drawn = np.zeros(phantom.labels.shape, dtype=bool)
        for contour in roi.ContourSequence:
            assert contour.ContourImageSequence[0].ReferencedSOPInstanceUID in ct_uids
            points = np.asarray(contour.ContourData, dtype=float).reshape(-1, 3)
            index = int(round((points[0, 2] - oz) / geometry.slice_spacing))
            inside = mpath.Path(points[:, :2]).contains_points(centres)
            drawn[index] ^= inside.reshape(geometry.rows, geometry.columns)
        truth = phantom.mask(label_of[int(roi.ReferencedROINumber)])
        dice = 2 * (drawn & truth).sum() / (drawn.sum() + truth.sum())
        assert dice >= 0.95, (roi.ReferencedROINumber, dice)
    kinds = {int(o.ReferencedROINumber): o.RTROIInterpretedType
             for o in rtss.RTROIObservationsSequence}
    assert sorted(kinds.values()).count("GTV") == 3


def test_the_presentation_state_circles_each_lesion(made: tuple[Path, dict[str, Any]]
                                                    ) -> None:
    [(path, entry)] = _objects(made, "PR")
    assert [c["name"] for c in entry["truth"]["circles"]] == ["Lesion 1", "Lesion 2",
                                                              "Lesion 3"]
    gsps = authoring.read(path)
    truth = {s["name"]: s for s in made[1]["patients"][0]["phantom"]["structures"]}
    ct_by_uid = {o["sop_instance_uid"]: o for _, o in _objects(made, "CT")}
    annotations = list(gsps.GraphicAnnotationSequence)
    assert len(annotations) == 3
    for annotation in annotations:
        name = str(annotation.TextObjectSequence[0].UnformattedTextValue)
        image = ct_by_uid[str(annotation.ReferencedImageSequence[0].ReferencedSOPInstanceUID)]
        assert image["truth"]["slice"] in truth[name]["slices"]
        circle = annotation.GraphicObjectSequence[0]
        assert circle.GraphicType == "CIRCLE"
        cx, cy, px, py = (float(v) for v in circle.GraphicData)
        radius = float(np.hypot(px - cx, py - cy))
        # the lesion's centre of mass, in PIXEL units of that slice, lies inside the circle
        geometry = made[1]["patients"][0]["phantom"]["geometry"]
        column = (truth[name]["centre_mm"][0] - geometry["origin"][0]) / \
            geometry["pixel_spacing"] + 0.5
        row = (truth[name]["centre_mm"][1] - geometry["origin"][1]) / \
            geometry["pixel_spacing"] + 0.5
        assert np.hypot(column - cx, row - cy) < radius


def test_pet_suv_is_what_the_report_says(made_pet: tuple[Path, dict[str, Any]]) -> None:
    """SUVbw recomputed with pydicom from the PET files alone (stored value x Rescale Slope
    x weight / dose decayed from the injection to the series start, PS3.3 C.8.9.1) over
    each lesion's voxels (the segmentation's frames, as highdicom reads them) equals the
    report's SUVmax and SUVmean and the manifest's truth within 1%; the registration
    states the CT and PET Frame of Reference identity."""
    highdicom = pytest.importorskip("highdicom")
    import datetime as dt
    import math

    import pydicom

    from authoring.sr.templates import MeasurementReport

    pets = sorted(_objects(made_pet, "PT"), key=lambda pair: pair[1]["truth"]["slice"])
    slices = [pydicom.dcmread(path) for path, _ in pets]
    first = slices[0]
    drug = first.RadiopharmaceuticalInformationSequence[0]
    injected = dt.datetime.strptime(drug.RadiopharmaceuticalStartDateTime, "%Y%m%d%H%M%S")
    start = dt.datetime.combine(injected.date(), dt.datetime.strptime(
        first.SeriesTime, "%H%M%S").time())
    decayed = float(drug.RadionuclideTotalDose) * math.exp(
        -math.log(2) * (start - injected).total_seconds() / float(drug.RadionuclideHalfLife))
    suv = np.stack([s.pixel_array * float(s.RescaleSlope) for s in slices]) * \
        float(first.PatientWeight) * 1000 / decayed
    [(seg_path, _)] = _objects(made_pet, "SEG")
    seg = highdicom.seg.segread(seg_path)
    masks = seg.get_pixels_by_source_instance(
        source_sop_instance_uids=[str(s.SOPInstanceUID) for s in slices],
        combine_segments=False, skip_overlap_checks=True,
        assert_missing_frames_are_empty=True)
    [(sr_path, _)] = _objects(made_pet, "SR")
    view = MeasurementReport.view(authoring.read(sr_path))
    groups = view.values["volumetric_roi_measurements_and_qualitative_evaluations"]
    truth = {s["name"]: s for s in made_pet[1]["patients"][0]["phantom"]["structures"]}
    for number, group in enumerate(groups, start=1):
        mask = masks[..., number - 1].astype(bool)
        stated = {m.values["derivation"].meaning: float(m.values["measurement"].value.number)
                  for m in group.values["roi_measurements"].values["measurement"]}
        facts = truth[group.values["tracking_identifier"]]
        assert stated["Maximum"] == pytest.approx(float(suv[mask].max()), rel=0.01)
        assert stated["Mean"] == pytest.approx(float(suv[mask].mean()), rel=0.01)
        assert stated["Maximum"] == pytest.approx(facts["suv_max"], rel=0.01)
        assert 4 <= facts["nominal_suv"] <= 12
        assert facts["suv_mean"] == pytest.approx(facts["nominal_suv"], rel=0.1)
    read = highdicom.sr.srread(sr_path)  # highdicom reads the report too: same SUVmax
    suv_max = sorted(float(m.value) for group in
                     read.content.get_volumetric_roi_measurement_groups()
                     for m in group.get_measurements()
                     if m.derivation is not None and m.derivation.value == "56851009")  # Maximum
    assert suv_max == pytest.approx(sorted(s["suv_max"] for s in truth.values()
                                           if "suv_max" in s), rel=0.01)
    [(reg_path, _)] = _objects(made_pet, "REG")
    reg = pydicom.dcmread(reg_path)
    assert {str(item.FrameOfReferenceUID) for item in reg.RegistrationSequence} == {
        str(first.FrameOfReferenceUID)}
    matrix = reg.RegistrationSequence[1].MatrixRegistrationSequence[0].MatrixSequence[0]
    assert [float(v) for v in matrix.FrameOfReferenceTransformationMatrix] == \
        [float(v) for v in np.eye(4).ravel()]


def test_every_object_is_valid_in_ours(made: tuple[Path, dict[str, Any]]) -> None:
    for path, entry in _objects(made):
        if entry["kind"] == "CT" and entry["truth"]["slice"] > 1:
            continue  # the CT slices differ only in position and pixels
        report = authoring.read(path).validate()
        assert report.ok and not report.warnings, str(report)


@pytest.mark.external
def test_dciodvfy_pixelmed_and_dcmtk(made: tuple[Path, dict[str, Any]],
                                     made_pet: tuple[Path, dict[str, Any]]) -> None:
    """dciodvfy reports no error for any object (CT, SEG, SR, KOS, RTSTRUCT, PR);
    PixelMed's instance validator finds one
    finding on the Segmentation, a limitation of its own (it requires General Series
    Laterality whenever no Image or Frame Laterality is sent, as it cannot tell a paired
    body part: PS3.3 requires it only for one, and the chest is not); PixelMed's SR
    validator accepts the TID 1500 report and the Key Object Selection; dsrdump reads them."""
    if not JAR.exists():
        missing("PixelMed is not installed (apt-get install libpixelmed-java)")
    dciodvfy = require_tool("dciodvfy")
    for path, entry in _objects(made) + _objects(made_pet):
        if entry["kind"] in ("CT", "PT") and entry["truth"]["slice"] > 0:
            continue
        result = subprocess.run([dciodvfy, str(path)], capture_output=True, text=True,
                                check=False, timeout=120)
        errors = [line for line in (result.stdout + result.stderr).splitlines()
                  if line.startswith("Error")]
        assert not errors, (entry["kind"], errors)
    [(seg_path, _)] = _objects(made, "SEG")
    result = subprocess.run(
        ["java", "-Djdk.xml.xpathExprOpLimit=0", "-Djdk.xml.xpathExprGrpLimit=0",
         "-Djdk.xml.xpathTotalOpLimit=0", "-cp", str(JAR),
         "com.pixelmed.validate.DicomInstanceValidator", str(seg_path)],
        capture_output=True, text=True, check=False, timeout=300)
    lines = (result.stdout + result.stderr).splitlines()
    assert "Found Segmentation IOD" in lines
    assert [line for line in lines if line.startswith("Error")] == [
        "Error: GeneralSeriesModule/Laterality/: : Missing conditional attribute"]
    dsrdump = require_tool("dsrdump")
    for kind, study in (("SR", made), ("KOS", made), ("SR", made_pet)):
        [(path, _)] = _objects(study, kind)
        assert pixelmed_sr_findings(path) == []
        dumped = subprocess.run([dsrdump, str(path)], capture_output=True, text=True,
                                check=False, timeout=60)
        assert dumped.returncode == 0 and "<CONTAINER:" in dumped.stdout


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path,
                                            dicom_study: Callable[..., dict[str, Any]]
                                            ) -> None:
    small = {"slices": 8, "rows": 32, "columns": 32}
    one = dicom_study("ct-oncology", seed=2, **small)
    two = dicom_study("ct-oncology", seed=2, **small)
    other = dicom_study("ct-oncology", seed=3, **small)
    paths = [o["path"] for p in one["patients"] for o in p["objects"]]
    for path in paths:
        assert (Path(one["folder"]) / path).read_bytes() == \
            (Path(two["folder"]) / path).read_bytes()
    assert (Path(one["folder"]) / paths[-1]).read_bytes() != \
        (Path(other["folder"]) / paths[-1]).read_bytes()


def test_bad_options_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SynthError, match="no recipe"):
        authoring.synth.study("ct-nothing", tmp_path / "a")
    with pytest.raises(SynthError, match="at least one"):
        authoring.synth.study("ct-oncology", tmp_path / "a", patients=0)
    with pytest.raises(SynthError, match="at least 8 slices"):
        authoring.synth.study("pet-ct", tmp_path / "a", slices=2)
    assert not (tmp_path / "a").exists()  # refused before anything is written
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("kept")
    with pytest.raises(SynthError, match="not empty"):
        authoring.synth.study("ct-oncology", tmp_path / "b", slices=8, rows=32, columns=32)
    assert (tmp_path / "b" / "x").read_text() == "kept"


def test_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from authoring.cli.app import app

    runner = CliRunner()
    listed = runner.invoke(app, ["synth", "--list-recipes"])
    assert listed.exit_code == 0 and listed.output.startswith("ct-oncology: ")
    out = tmp_path / "cli"
    result = runner.invoke(app, ["synth", "--recipe", "ct-oncology", "--out", str(out),
                                 "--slices", "8", "--rows", "32", "--columns", "32",
                                 "--patients", "2", "--workers", "2"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert [p["patient_id"] for p in manifest["patients"]] == sorted(
        {p["patient_id"] for p in manifest["patients"]})
    assert len(manifest["patients"]) == 2
    assert (out / "P0002" / "ST0001" / "SE0004" / "IM0001.dcm").exists()


def test_a_study_as_a_file_set(dicom_study: Callable[..., dict[str, Any]]) -> None:
    """With ``dicomdir`` the names are File IDs (no extension) and pydicom's FileSet reads
    the DICOMDIR, which lists every object of the manifest."""
    pydicom = pytest.importorskip("pydicom")
    from pydicom.fileset import FileSet

    manifest = dicom_study("pet-ct", seed=1, slices=8, rows=32, columns=32, dicomdir=True)
    folder = Path(manifest["folder"])
    objects = [o for p in manifest["patients"] for o in p["objects"]]
    assert all("." not in Path(o["path"]).name for o in objects)
    fileset = FileSet(folder / "DICOMDIR")
    assert sorted(str(i.SOPInstanceUID) for i in fileset) == sorted(
        o["sop_instance_uid"] for o in objects)
    assert pydicom.dcmread(folder / "DICOMDIR").FileSetID == "SYNTHETIC"


def test_show_draws_the_segments_and_contours_of_an_image(
        made: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    """``authoring show --seg --rtstruct`` draws, over a CT slice, the segmentation frames
    and the contours derived from it: coloured pixels where the phantom's lesions are, and
    an error for an image nothing was derived from."""
    from typer.testing import CliRunner

    from authoring.cli.app import app
    from authoring.pixels.overlay import PALETTE

    [(seg, _)] = _objects(made, "SEG")
    [(rtss, _)] = _objects(made, "RTSTRUCT")
    [(_, kos)] = _objects(made, "KOS")
    index = kos["truth"]["selected_ct_slices"][0]
    [(ct, _)] = [(p, o) for p, o in _objects(made, "CT") if o["truth"]["slice"] == index]
    png = tmp_path / "slice.png"
    result = CliRunner().invoke(app, ["show", str(ct), "--png", str(png), "--seg", str(seg),
                                      "--rtstruct", str(rtss)])
    assert result.exit_code == 0, result.output
    image = _png_pixels(png.read_bytes())
    assert image.shape == (OPTIONS["rows"], OPTIONS["columns"], 3)
    grey = (image[..., 0] == image[..., 1]) & (image[..., 1] == image[..., 2])
    phantom = make_phantom(seed=OPTIONS["seed"] * 1009, rows=OPTIONS["rows"],
                           columns=OPTIONS["columns"], slices=OPTIONS["slices"])
    labelled = phantom.labels[index] > 1
    assert (~grey[labelled]).mean() > 0.9  # segments and outlines drawn where the labels are
    assert grey[phantom.labels[index] == 0].all()  # nothing drawn in the air around
    assert len(PALETTE) >= 9
    unrelated = tmp_path / "unrelated.dcm"  # a CT of another study: nothing derived from it
    authoring.write(authoring.synth.dataset("CTImage", seed=9, rows=OPTIONS["rows"],
                                            columns=OPTIONS["columns"]), unrelated)
    empty = CliRunner().invoke(app, ["show", str(unrelated), "--png", str(png),
                                     "--seg", str(seg)])
    assert empty.exit_code == 1 and "nothing in --seg" in empty.output


def _png_pixels(data: bytes) -> np.ndarray:
    """The RGB pixels of an 8-bit PNG without filters (as ``png_bytes`` writes it)."""
    import struct
    import zlib

    width, height = struct.unpack(">LL", data[16:24])
    position, chunks = 8, b""
    while position < len(data):
        length = struct.unpack(">L", data[position:position + 4])[0]
        kind = data[position + 4:position + 8]
        if kind == b"IDAT":
            chunks += data[position + 8:position + 8 + length]
        position += length + 12
    raw = np.frombuffer(zlib.decompress(chunks), dtype=np.uint8).reshape(height, -1)
    return raw[:, 1:].reshape(height, width, 3)
