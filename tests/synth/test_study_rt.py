"""The ``rt-plan`` recipe: a CT, its structure set, a plan whose beams aim at the PTV, the
dose those beams give and its DVHs, and the record of a delivered fraction, checked
against the phantom's truth and against dicompyler-core, which computes each DVH from our
contours and dose grid on its own."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest

import authoring
from tests.conftest import require_tool
from tests.synth.test_study import OPTIONS, _objects, _references_resolve


@pytest.fixture(scope="module")
def made_rt(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """One rt-plan study."""
    folder = tmp_path_factory.mktemp("rtplan")
    manifest = authoring.synth.study("rt-plan", folder, workers=1, **OPTIONS)
    return folder, manifest


def _one(made: tuple[Path, dict[str, Any]], kind: str) -> pydicom.Dataset:
    [(path, _)] = _objects(made, kind)
    return pydicom.dcmread(path)


def _dicompyler() -> Any:
    """dicompyler-core's DVH calculator; it imports ``read_file``, which pydicom 3 renamed
    ``dcmread``: the alias is given back before it is imported."""
    import pydicom.dicomio

    if not hasattr(pydicom.dicomio, "read_file"):
        pydicom.dicomio.read_file = pydicom.dcmread  # type: ignore[attr-defined]
    from dicompylercore import dvhcalc

    return dvhcalc


def test_the_objects_and_their_references(made_rt: tuple[Path, dict[str, Any]]) -> None:
    assert [o["kind"] for _, o in _objects(made_rt)].count("CT") == OPTIONS["slices"]
    assert {o["kind"] for _, o in _objects(made_rt)} == {
        "CT", "RTSTRUCT", "RTPLAN", "RTDOSE", "RTRECORD"}
    _references_resolve(made_rt)
    frames = {str(_one(made_rt, kind).FrameOfReferenceUID) for kind in ("RTPLAN", "RTDOSE")}
    rtss = _one(made_rt, "RTSTRUCT")
    frames.add(str(rtss.ReferencedFrameOfReferenceSequence[0].FrameOfReferenceUID))
    frames |= {str(pydicom.dcmread(path).FrameOfReferenceUID)
               for path, _ in _objects(made_rt, "CT")}
    assert len(frames) == 1
    plan, dose, record = (_one(made_rt, kind) for kind in ("RTPLAN", "RTDOSE", "RTRECORD"))
    assert plan.ReferencedStructureSetSequence[0].ReferencedSOPInstanceUID == \
        rtss.SOPInstanceUID
    assert dose.ReferencedRTPlanSequence[0].ReferencedSOPInstanceUID == plan.SOPInstanceUID
    assert record.ReferencedRTPlanSequence[0].ReferencedSOPInstanceUID == plan.SOPInstanceUID
    rois = {int(r.ROINumber): str(r.ROIName) for r in rtss.StructureSetROISequence}
    kinds = {int(o.ReferencedROINumber): str(o.RTROIInterpretedType)
             for o in rtss.RTROIObservationsSequence}
    target = plan.DoseReferenceSequence[0]
    assert rois[int(target.ReferencedROINumber)] == "PTV"
    assert kinds[int(target.ReferencedROINumber)] == "PTV"
    assert sorted(kinds.values()).count("EXTERNAL") == 1 and "GTV" in kinds.values()
    dvh_rois = {int(d.DVHReferencedROISequence[0].ReferencedROINumber)
                for d in dose.DVHSequence}
    assert dvh_rois == set(rois)


def _contour_points(rtss: pydicom.Dataset, name: str) -> np.ndarray:
    number = next(int(r.ROINumber) for r in rtss.StructureSetROISequence if r.ROIName == name)
    contours = next(c for c in rtss.ROIContourSequence if int(c.ReferencedROINumber) == number)
    return np.concatenate([np.asarray(c.ContourData, dtype=float).reshape(-1, 3)
                           for c in contours.ContourSequence])


def test_the_beams_aim_at_the_ptv(made_rt: tuple[Path, dict[str, Any]]) -> None:
    """Every beam's isocentre is the PTV's centre (within a voxel of the centre of its
    contour points), and its jaws open beyond the PTV as seen from the beam."""
    folder, manifest = made_rt
    plan, rtss = _one(made_rt, "RTPLAN"), _one(made_rt, "RTSTRUCT")
    points = _contour_points(rtss, "PTV")
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    ct = pydicom.dcmread(_objects(made_rt, "CT")[0][0])
    spacing = max(float(ct.PixelSpacing[0]), float(ct.SliceThickness))
    assert len(plan.BeamSequence) == int(plan.FractionGroupSequence[0].NumberOfBeams) == 5
    for beam in plan.BeamSequence:
        first = beam.ControlPointSequence[0]
        isocentre = np.asarray(first.IsocenterPosition, dtype=float)
        assert np.abs(isocentre - centre).max() <= spacing
        angle = math.radians(float(first.GantryAngle))
        axis = np.array([-math.sin(angle), math.cos(angle), 0.0])
        relative = points - isocentre
        across = np.abs(relative @ np.array([axis[1], -axis[0], 0.0]))
        jaws = {str(j.RTBeamLimitingDeviceType): [float(v) for v in j.LeafJawPositions]
                for j in first.BeamLimitingDevicePositionSequence}
        assert jaws["ASYMX"][0] < -across.max() and jaws["ASYMX"][1] > across.max()
        assert jaws["ASYMY"][1] > np.abs(relative[:, 2]).max()
    truth = next(o for _, o in _objects(made_rt, "RTPLAN"))["truth"]
    assert truth["isocentre_mm"] == [float(v) for v in
                                     plan.BeamSequence[0].ControlPointSequence[0]
                                     .IsocenterPosition]


def test_the_dose_covers_the_ptv_and_the_dvhs_agree(
        made_rt: tuple[Path, dict[str, Any]]) -> None:
    """dicompyler-core, from our contours and dose grid: the PTV's D95 is at least 95% of
    the prescription and its mean the prescription; for every ROI its volume and mean,
    minimum and maximum dose equal the DVH our RT Dose stores (and the manifest) within a
    bin; the dose grid read by pydicom covers the body and is zero outside it."""
    dvhcalc = _dicompyler()
    [(rtss_path, _)] = _objects(made_rt, "RTSTRUCT")
    [(dose_path, dose_entry)] = _objects(made_rt, "RTDOSE")
    plan = _one(made_rt, "RTPLAN")
    prescribed = float(plan.DoseReferenceSequence[0].TargetPrescriptionDose)
    dose = pydicom.dcmread(dose_path)
    stored = {int(d.DVHReferencedROISequence[0].ReferencedROINumber): d
              for d in dose.DVHSequence}
    truth = {entry["roi"]: entry for entry in dose_entry["truth"]["dvh"]}
    names = {int(r.ROINumber): str(r.ROIName)
             for r in pydicom.dcmread(rtss_path).StructureSetROISequence}
    for roi, name in names.items():
        computed = dvhcalc.get_dvh(str(rtss_path), str(dose_path), roi)
        ours = stored[roi]
        data = np.asarray(ours.DVHData, dtype=float)
        assert math.isclose(computed.volume, data[1], rel_tol=0.01), name
        assert math.isclose(computed.volume, truth[roi]["volume_cm3"], rel_tol=0.01), name
        width = float(data[0])
        assert abs(computed.mean - float(ours.DVHMeanDose)) <= width, name
        assert abs(computed.max - float(ours.DVHMaximumDose)) <= width, name
        assert abs(computed.min - float(ours.DVHMinimumDose)) <= width, name
        if name == "PTV":
            assert computed.statistic("D95").value >= 0.95 * prescribed
            assert abs(computed.mean - prescribed) <= 0.01 * prescribed
    grid = dose.pixel_array * float(dose.DoseGridScaling)
    assert grid.shape == (int(dose.NumberOfFrames), int(dose.Rows), int(dose.Columns))
    assert float(grid.max()) == pytest.approx(max(float(d.DVHMaximumDose)
                                                  for d in dose.DVHSequence), abs=0.1)
    assert float(grid[:, 0, :].max()) == 0.0  # the row above the body: air


def test_the_record_delivers_the_plan(made_rt: tuple[Path, dict[str, Any]]) -> None:
    plan, record = _one(made_rt, "RTPLAN"), _one(made_rt, "RTRECORD")
    planned = {int(b.ReferencedBeamNumber): float(b.BeamMeterset)
               for b in plan.FractionGroupSequence[0].ReferencedBeamSequence}
    delivered = {int(b.ReferencedBeamNumber): b for b in record.TreatmentSessionBeamSequence}
    assert set(delivered) == set(planned) == {int(b.BeamNumber) for b in plan.BeamSequence}
    angles = {int(b.BeamNumber): float(b.ControlPointSequence[0].GantryAngle)
              for b in plan.BeamSequence}
    for number, beam in delivered.items():
        last = beam.ControlPointDeliverySequence[-1]
        assert float(last.DeliveredMeterset) == planned[number]
        assert float(last.SpecifiedMeterset) == planned[number]
        assert float(beam.ControlPointDeliverySequence[0].GantryAngle) == angles[number]
        assert beam.TreatmentTerminationStatus == "NORMAL"
        assert int(beam.CurrentFractionNumber) == 1


def test_valid_in_ours_and_dciodvfy(made_rt: tuple[Path, dict[str, Any]]) -> None:
    """Our validator and dciodvfy find no error in the structure set, plan, dose and
    record (PixelMed's instance validator does not know the RT IODs)."""
    dciodvfy = require_tool("dciodvfy")
    for path, entry in _objects(made_rt):
        if entry["kind"] == "CT" and entry["truth"]["slice"] > 0:
            continue
        report = authoring.read(path).validate()
        assert report.ok and not report.warnings, (entry["kind"], str(report))
        result = subprocess.run([dciodvfy, str(path)], capture_output=True, text=True,
                                check=False, timeout=120)
        output = result.stdout + result.stderr
        assert "Assertion" not in output, output
        assert not [line for line in output.splitlines() if line.startswith("Error")], \
            (entry["kind"], output)


def test_show_washes_the_dose_over_a_slice(made_rt: tuple[Path, dict[str, Any]],
                                            tmp_path: Path) -> None:
    """``authoring show --dose --rtstruct`` over the CT slice through the isocentre: the
    isocentre's pixel in the 95% band (red over grey), the air around the body untouched;
    read back by matplotlib's PNG reader."""
    from matplotlib.image import imread
    from typer.testing import CliRunner

    from authoring.cli.app import app

    [(dose, _)] = _objects(made_rt, "RTDOSE")
    [(rtss, _)] = _objects(made_rt, "RTSTRUCT")
    [(_, plan)] = _objects(made_rt, "RTPLAN")
    x, y, z = plan["truth"]["isocentre_mm"]
    path, ct = min(((p, o) for p, o in _objects(made_rt, "CT")),
                   key=lambda item: abs(item[1]["truth"]["image_position"][2] - z))
    png = tmp_path / "dose.png"
    result = CliRunner().invoke(app, ["show", str(path), "--png", str(png), "--dose",
                                      str(dose), "--rtstruct", str(rtss)])
    assert result.exit_code == 0, result.output
    image = (imread(png)[..., :3] * 255).round().astype(int)
    origin = ct["truth"]["image_position"]
    spacing = float(pydicom.dcmread(path).PixelSpacing[0])
    row, column = round((y - origin[1]) / spacing), round((x - origin[0]) / spacing)
    red, green, blue = image[row, column]
    assert red > green + 40 and red > blue + 40
    assert (image[0] == image[0, :, :1]).all()  # the first row is air: grey, no dose
