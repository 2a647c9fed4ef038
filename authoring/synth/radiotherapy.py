"""External-beam radiotherapy of a phantom: a planning target (the liver lesion grown by a
margin), a plan of coplanar photon beams aimed at its centre, the dose those beams deposit
(a simple analytic beam model, normalised to the prescription), its dose-volume histograms,
and the record of the first fraction delivered.

The dose model is a teaching model, not a treatment planning system: each beam is a
rectangular field that diverges from the source (1000 mm from the isocentre), with a
sigmoid penumbra and exponential attenuation along its axis; outside the body the dose is
zero. It is enough for what a test needs to be true: the beams aim at the PTV, the high
dose covers it, the histograms agree with the dose grid and the contours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authoring.synth.derived import decimal_string, reference_item, sequence_item, text_of

if TYPE_CHECKING:
    import numpy.typing as npt

    from authoring.object.dataset import DatasetBase
    from authoring.synth.phantom import Geometry, Phantom, Structure

    Array = npt.NDArray[Any]

PTV_LABEL = 20
SOURCE_AXIS_DISTANCE = 1000.0  # mm
PENUMBRA = 1.5  # mm, the sigmoid's scale at the field edge
ATTENUATION = 0.0045  # per mm, about 6 MV photons in water
FIELD_MARGIN = 7.0  # mm around the PTV's projection
ENERGY = 6  # MV
RT_PLAN = "1.2.840.10008.5.1.4.1.1.481.5"
RT_STRUCTURE_SET = "1.2.840.10008.5.1.4.1.1.481.3"
DVH_BIN = 0.1  # Gy


@dataclass(frozen=True)
class Prescription:
    """The dose prescribed to the PTV: total Gy over the fractions."""

    dose_gy: float = 60.0
    fractions: int = 30


@dataclass(frozen=True)
class Beam:
    """One static photon beam: its number, gantry angle (degrees, IEC 61217) and the
    symmetric jaw openings at the isocentre (mm, half widths along X and Y)."""

    number: int
    gantry: float
    half_x: float
    half_y: float

    @property
    def name(self) -> str:
        """The beam's name, by its gantry angle."""
        return f"G{int(round(self.gantry)):03d}"

    def direction(self) -> tuple[float, float, float]:
        """The unit vector from source to isocentre in the patient (LPS), head first supine:
        gantry 0 shines from anterior to posterior, 90 from the patient's left."""
        angle = math.radians(self.gantry)
        return (-math.sin(angle), math.cos(angle), 0.0)


def planning_target(phantom: Phantom, margin_mm: float = 5.0) -> Structure:
    """The PTV: the phantom's last lesion (in the liver) grown by ``margin_mm``."""
    from dataclasses import replace

    from authoring.core.code import Code

    lesion = phantom.lesions[-1]
    ax, ay, az = lesion.semi_axes
    return replace(lesion, label=PTV_LABEL, name="PTV", lesion=False,
                   type=Code("228793007", "SCT", "Planning target volume"),
                   semi_axes=(ax + margin_mm, ay + margin_mm, (az or ax) + margin_mm))


def mask_of(phantom: Phantom, structure: Structure) -> Array:
    """``structure``'s voxels on ``phantom``'s grid, inside the body (a structure that may
    overlap the phantom's labels, such as a PTV)."""
    from authoring.synth.phantom import Phantom as PhantomType

    body = next(s for s in phantom.structures if s.label == 1)
    return PhantomType(phantom.geometry, (body, structure), phantom.seed).mask(structure.label)


def dose_geometry(geometry: Geometry) -> Geometry:
    """The dose grid: the CT's extent at an in-plane spacing of at least 2.5 mm (an integer
    multiple of the CT's), the CT's slices."""
    from authoring.synth.phantom import Geometry as GeometryType

    factor = max(1, round(2.5 / geometry.pixel_spacing))
    return GeometryType(max(geometry.rows // factor, 16), max(geometry.columns // factor, 16),
                        geometry.slices, round(geometry.pixel_spacing * geometry.rows
                                                / max(geometry.rows // factor, 16), 6),
                        geometry.slice_spacing)


def centre_of(mask: Array, geometry: Geometry) -> tuple[float, float, float]:
    """The centre of mass of ``mask`` (LPS mm), rounded to 0.1 mm."""
    import numpy as np

    index = np.argwhere(mask).mean(axis=0)
    ox, oy, oz = geometry.origin
    return (round(ox + float(index[2]) * geometry.pixel_spacing, 1),
            round(oy + float(index[1]) * geometry.pixel_spacing, 1),
            round(oz + float(index[0]) * geometry.slice_spacing, 1))


def beams(ptv: Structure, count: int = 5) -> list[Beam]:
    """``count`` equally spaced coplanar beams (the first from anterior), each field the
    PTV's extent plus :data:`FIELD_MARGIN`."""
    ax, ay, az = ptv.semi_axes
    half_x = round(max(ax, ay) + FIELD_MARGIN, 1)
    half_y = round((az or ax) + FIELD_MARGIN, 1)
    return [Beam(number, round(360.0 * (number - 1) / count, 1), half_x, half_y)
            for number in range(1, count + 1)]


def dose(phantom: Phantom, isocentre: tuple[float, float, float], plan_beams: list[Beam],
         ptv_mask: Array, prescription: Prescription) -> Array:
    """The planned dose (Gy over all fractions) on ``phantom``'s grid: each beam's
    divergent field with a sigmoid penumbra and attenuation along its axis, summed with
    equal weights, zero outside the body, scaled so that the PTV's mean dose is the
    prescription."""
    import numpy as np

    geometry = phantom.geometry
    ox, oy, oz = geometry.origin
    z = oz + np.arange(geometry.slices)[:, None, None] * geometry.slice_spacing - isocentre[2]
    y = oy + np.arange(geometry.rows)[None, :, None] * geometry.pixel_spacing - isocentre[1]
    x = ox + np.arange(geometry.columns)[None, None, :] * geometry.pixel_spacing - isocentre[0]
    total = np.zeros((geometry.slices, geometry.rows, geometry.columns), dtype=np.float64)
    for beam in plan_beams:
        dx, dy, _ = beam.direction()
        along = x * dx + y * dy  # beyond the isocentre when positive
        across = x * dy - y * dx  # in-plane, perpendicular to the axis
        magnification = (SOURCE_AXIS_DISTANCE + along) / SOURCE_AXIS_DISTANCE
        profile_x = 1.0 / (1.0 + np.exp((np.abs(across) - beam.half_x * magnification)
                                        / PENUMBRA))
        profile_y = 1.0 / (1.0 + np.exp((np.abs(z) - beam.half_y * magnification) / PENUMBRA))
        total += profile_x * profile_y * np.exp(-ATTENUATION * along) / magnification ** 2
    total *= phantom.labels > 0
    return total * (prescription.dose_gy / float(total[ptv_mask].mean()))


def cumulative_dvh(dose_gy: Array, mask: Array, voxel_cm3: float
                   ) -> tuple[list[float], dict[str, float]]:
    """The cumulative dose-volume histogram of ``mask``: for bin n (width
    :data:`DVH_BIN`), the volume (cm3) receiving at least n x the bin width; and the
    minimum, maximum and mean dose (Gy)."""
    import numpy as np

    values = dose_gy[mask]
    bins = int(math.floor(float(values.max()) / DVH_BIN)) + 1
    counts = np.histogram(values, bins=bins, range=(0.0, bins * DVH_BIN))[0]
    at_least = counts[::-1].cumsum()[::-1] * voxel_cm3
    return ([round(float(v), 4) for v in at_least],
            {"minimum": round(float(values.min()), 4), "maximum": round(float(values.max()), 4),
             "mean": round(float(values.mean()), 4), "volume_cm3":
             round(float(mask.sum()) * voxel_cm3, 4)})


def plan(base: DatasetBase, rtss: DatasetBase, ptv_roi: int, isocentre: tuple[float, ...],
         plan_beams: list[Beam], prescription: Prescription, meterset: float) -> DatasetBase:
    """The RT Plan: the PTV as the target dose reference, one fraction group of the
    beams, each beam two control points (jaws, gantry angle, isocentre at the PTV's
    centre), head first supine, approved."""
    plan_ = base
    for keyword in ("ReferencedStructureSetSequence", "DoseReferenceSequence",
                    "FractionGroupSequence", "BeamSequence", "PatientSetupSequence",
                    "ToleranceTableSequence"):
        if keyword in plan_:
            del plan_[keyword]
    plan_.set_value("FrameOfReferenceUID", text_of(rtss, "FrameOfReferenceUID"))
    plan_.replace_value("RTPlanLabel", "LIVER PTV")
    plan_.set_value("RTPlanName", "Liver lesion, 5 fields")
    plan_.set_value("RTPlanGeometry", "PATIENT")
    plan_.set_value("ReferencedStructureSetSequence", [reference_item(rtss)], "SQ")
    plan_.set_value("DoseReferenceSequence", [sequence_item(
        DoseReferenceNumber=1, DoseReferenceStructureType="VOLUME",
        DoseReferenceDescription="PTV", ReferencedROINumber=ptv_roi,
        DoseReferenceType="TARGET", TargetPrescriptionDose=decimal_string(prescription.dose_gy),
        TargetMinimumDose=decimal_string(0.95 * prescription.dose_gy))], "SQ")
    plan_.set_value("PatientSetupSequence", [sequence_item(
        PatientSetupNumber=1, PatientPosition="HFS", SetupTechnique="ISOCENTRIC")], "SQ")
    per_beam = prescription.dose_gy / prescription.fractions / len(plan_beams)
    plan_.set_value("FractionGroupSequence", [sequence_item(
        FractionGroupNumber=1, NumberOfFractionsPlanned=prescription.fractions,
        NumberOfBeams=len(plan_beams), NumberOfBrachyApplicationSetups=0,
        ReferencedBeamSequence=[sequence_item(
            ReferencedBeamNumber=beam.number, BeamDose=decimal_string(per_beam),
            BeamMeterset=decimal_string(meterset)) for beam in plan_beams])], "SQ")
    plan_.set_value("BeamSequence", [_beam_item(beam, isocentre) for beam in plan_beams], "SQ")
    plan_.set_value("ApprovalStatus", "APPROVED")
    plan_.set_value("ReviewDate", text_of(plan_, "RTPlanDate") or "20260101")
    plan_.set_value("ReviewTime", text_of(plan_, "RTPlanTime") or "120000")
    plan_.set_value("ReviewerName", "Physicist^Plan")
    return plan_


def _jaws(beam: Beam) -> list[DatasetBase]:
    return [sequence_item(RTBeamLimitingDeviceType="ASYMX",
                          LeafJawPositions=(decimal_string(-beam.half_x),
                                            decimal_string(beam.half_x))),
            sequence_item(RTBeamLimitingDeviceType="ASYMY",
                          LeafJawPositions=(decimal_string(-beam.half_y),
                                            decimal_string(beam.half_y)))]


def _beam_item(beam: Beam, isocentre: tuple[float, ...]) -> DatasetBase:
    first = sequence_item(
        ControlPointIndex=0, NominalBeamEnergy=str(ENERGY),
        BeamLimitingDevicePositionSequence=_jaws(beam),
        GantryAngle=decimal_string(beam.gantry), GantryRotationDirection="NONE",
        BeamLimitingDeviceAngle="0", BeamLimitingDeviceRotationDirection="NONE",
        PatientSupportAngle="0", PatientSupportRotationDirection="NONE",
        TableTopEccentricAngle="0", TableTopEccentricRotationDirection="NONE",
        TableTopVerticalPosition="", TableTopLongitudinalPosition="",
        TableTopLateralPosition="",
        IsocenterPosition=tuple(decimal_string(v) for v in isocentre),
        CumulativeMetersetWeight="0")
    last = sequence_item(ControlPointIndex=1, CumulativeMetersetWeight="1")
    return sequence_item(
        BeamNumber=beam.number, BeamName=beam.name, BeamType="STATIC",
        RadiationType="PHOTON", TreatmentMachineName="SYNTH-LINAC",
        PrimaryDosimeterUnit="MU",
        SourceAxisDistance=decimal_string(SOURCE_AXIS_DISTANCE),
        BeamLimitingDeviceSequence=[
            sequence_item(RTBeamLimitingDeviceType="ASYMX", NumberOfLeafJawPairs=1),
            sequence_item(RTBeamLimitingDeviceType="ASYMY", NumberOfLeafJawPairs=1)],
        ReferencedPatientSetupNumber=1, TreatmentDeliveryType="TREATMENT",
        NumberOfWedges=0, NumberOfCompensators=0, NumberOfBoli=0, NumberOfBlocks=0,
        FinalCumulativeMetersetWeight="1", NumberOfControlPoints=2,
        ControlPointSequence=[first, last])


def dose_object(base: DatasetBase, plan_: DatasetBase, rtss: DatasetBase,
                geometry: Geometry, dose_gy: Array,
                histograms: list[tuple[int, list[float], dict[str, float]]]) -> DatasetBase:
    """The RT Dose: the whole planned dose (PLAN, physical, Gy) as one multi-frame grid of
    16-bit values with a Dose Grid Scaling, one frame per slice (Grid Frame Offset
    Vector), and the cumulative DVH of each ROI (``histograms``: ROI number, volumes per
    bin, summary) citing the structure set."""
    import numpy as np

    dose_ = base
    for keyword in ("ReferencedRTPlanSequence", "DVHSequence",
                    "ReferencedStructureSetSequence", "ReferencedImageSequence"):
        if keyword in dose_:
            del dose_[keyword]
    maximum = float(dose_gy.max())
    # 16 bits (about 1 mGy a step at 60 Gy): dciodvfy stops on 32-bit OW Pixel Data (an
    # assertion in its attrothr.cc, also on pydicom's rtdose.dcm), so 16 bits keep the
    # dose checkable by it; PS3.3 C.8.8.3.4.1 allows both
    scaling = float(f"{maximum / 65000.0:.6e}") or 1.0
    stored = np.round(dose_gy / scaling).astype("<u2")
    first = geometry.position(0)
    spacing = decimal_string(geometry.pixel_spacing)
    for keyword, value in (
            ("FrameOfReferenceUID", text_of(rtss, "FrameOfReferenceUID")),
            ("SamplesPerPixel", 1), ("PhotometricInterpretation", "MONOCHROME2"),
            ("Rows", geometry.rows), ("Columns", geometry.columns),
            ("BitsAllocated", 16), ("BitsStored", 16), ("HighBit", 15),
            ("PixelRepresentation", 0), ("NumberOfFrames", str(geometry.slices)),
            ("FrameIncrementPointer", 0x3004000C),
            ("GridFrameOffsetVector", tuple(decimal_string(i * geometry.slice_spacing)
                                            for i in range(geometry.slices))),
            ("ImagePositionPatient", tuple(decimal_string(v) for v in first)),
            ("ImageOrientationPatient", ("1", "0", "0", "0", "1", "0")),
            ("PixelSpacing", (spacing, spacing)),
            ("SliceThickness", decimal_string(geometry.slice_spacing)),
            ("DoseUnits", "GY"), ("DoseType", "PHYSICAL"), ("DoseSummationType", "PLAN"),
            ("DoseGridScaling", f"{scaling:.6e}"), ("TissueHeterogeneityCorrection", "IMAGE"),
            ("DoseComment", "Analytic beam model of the synthetic phantom")):
        dose_.set_value(keyword, value)
    for keyword in ("SliceLocation",):
        if keyword in dose_:
            del dose_[keyword]
    dose_.replace_value("PixelData", stored.tobytes(), "OW")
    dose_.set_value("ReferencedRTPlanSequence", [reference_item(plan_)], "SQ")
    dose_.set_value("ReferencedStructureSetSequence", [reference_item(rtss)], "SQ")
    dose_.set_value("DVHNormalizationDoseValue", "0")
    items: list[DatasetBase] = []
    for roi, volumes, summary in histograms:
        data: list[str] = []
        for volume in volumes:
            data += [decimal_string(DVH_BIN), decimal_string(volume)]
        items.append(sequence_item(
            DVHReferencedROISequence=[sequence_item(ReferencedROINumber=roi,
                                                    DVHROIContributionType="INCLUDED")],
            DVHType="CUMULATIVE", DoseUnits="GY", DoseType="PHYSICAL", DVHDoseScaling="1",
            DVHVolumeUnits="CM3", DVHNumberOfBins=len(volumes), DVHData=tuple(data),
            DVHMinimumDose=decimal_string(summary["minimum"]),
            DVHMaximumDose=decimal_string(summary["maximum"]),
            DVHMeanDose=decimal_string(summary["mean"])))
    dose_.set_value("DVHSequence", items, "SQ")
    return dose_


def treatment_record(base: DatasetBase, plan_: DatasetBase, plan_beams: list[Beam],
                     meterset: float, when: tuple[str, str]) -> DatasetBase:
    """The RT Beams Treatment Record of the first fraction: every beam of the plan
    delivered in full (specified and delivered meterset equal), its control points as
    planned."""
    record = base
    for keyword in ("ReferencedRTPlanSequence", "TreatmentSessionBeamSequence",
                    "TreatmentMachineSequence", "TreatmentSummaryCalculatedDoseReferenceSequence"):
        if keyword in record:
            del record[keyword]
    date, time = when
    record.set_value("TreatmentDate", date)
    record.set_value("TreatmentTime", time)
    record.set_value("ReferencedRTPlanSequence", [reference_item(plan_)], "SQ")
    record.set_value("PrimaryDosimeterUnit", "MU")
    record.set_value("NumberOfFractionsPlanned", str(text_of(
        plan_["FractionGroupSequence"].value[0], "NumberOfFractionsPlanned")))
    record.set_value("TreatmentMachineSequence", [sequence_item(
        TreatmentMachineName="SYNTH-LINAC", Manufacturer="authoring synthetic",
        InstitutionName="Synthetic Hospital", ManufacturerModelName="SYNTH-1",
        DeviceSerialNumber="SN0001")], "SQ")
    sessions: list[DatasetBase] = []
    for beam in plan_beams:
        points = [sequence_item(
            ReferencedControlPointIndex=index, TreatmentControlPointDate=date,
            TreatmentControlPointTime=time, SpecifiedMeterset=decimal_string(meterset),
            DeliveredMeterset=decimal_string(meterset * index),
            DoseRateSet="600", DoseRateDelivered="600", NominalBeamEnergy=str(ENERGY),
            NominalBeamEnergyUnit="MV", GantryAngle=decimal_string(beam.gantry),
            GantryRotationDirection="NONE", BeamLimitingDeviceAngle="0",
            BeamLimitingDeviceRotationDirection="NONE", PatientSupportAngle="0",
            PatientSupportRotationDirection="NONE",
            BeamLimitingDevicePositionSequence=_jaws(beam)) for index in (0, 1)]
        sessions.append(sequence_item(
            ReferencedBeamNumber=beam.number, BeamName=beam.name, BeamType="STATIC",
            RadiationType="PHOTON", TreatmentDeliveryType="TREATMENT",
            NumberOfWedges=0, NumberOfCompensators=0, NumberOfBoli=0, NumberOfBlocks=0,
            CurrentFractionNumber=1, TreatmentTerminationStatus="NORMAL",
            # Type 2; left empty: dicom3tools spells its values VERIFED and NOT_VERIFED
            TreatmentVerificationStatus="",
            NumberOfControlPoints=2, ControlPointDeliverySequence=points,
            BeamLimitingDeviceLeafPairsSequence=[
                sequence_item(RTBeamLimitingDeviceType="ASYMX", NumberOfLeafJawPairs=1),
                sequence_item(RTBeamLimitingDeviceType="ASYMY", NumberOfLeafJawPairs=1)]))
    record.set_value("TreatmentSessionBeamSequence", sessions, "SQ")
    return record
