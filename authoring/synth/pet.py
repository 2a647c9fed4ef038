"""PET of a phantom: FDG uptake per structure in SUV (body weight), rendered as activity
concentration (Bq/ml, decay corrected to the scan start, PS3.3 C.8.9.1) with seeded noise,
and the spatial registration of the PET and CT that share its Frame of Reference."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authoring.synth.derived import (
    decimal_string,
    reference_item,
    sequence_item,
    text_of,
)
from authoring.synth.values import stable_uid

if TYPE_CHECKING:
    import numpy.typing as npt

    from authoring.object.dataset import DatasetBase
    from authoring.synth.phantom import Phantom
    from authoring.synth.series import SynthOptions

#: FDG uptake by structure (SUVbw), typical of a PET/CT an hour after injection.
UPTAKE = {1: 0.8, 2: 0.4, 3: 0.4, 4: 2.4, 5: 2.8, 6: 2.8, 7: 1.6, 11: 1.4}
HALF_LIFE = 6586.2  # s, fluorine-18
POSITRON_FRACTION = 0.9673


@dataclass(frozen=True)
class Administration:
    """The FDG administration the PET's SUV is computed from."""

    weight_kg: float
    dose_bq: float
    injected: dt.datetime
    scan_start: dt.datetime

    @property
    def dose_at_start(self) -> float:
        """Injected activity decayed to the scan start (Bq)."""
        elapsed = (self.scan_start - self.injected).total_seconds()
        return self.dose_bq * math.exp(-math.log(2) * elapsed / HALF_LIFE)

    def bq_per_ml(self, suv: float) -> float:
        """Activity concentration of an SUVbw (g/ml, tissue of density 1)."""
        return suv * self.dose_at_start / (self.weight_kg * 1000.0)

    def suv(self, bq_per_ml: Any) -> Any:
        """SUVbw of an activity concentration (arrays too)."""
        return bq_per_ml * (self.weight_kg * 1000.0) / self.dose_at_start


def lesion_uptake(phantom: Phantom) -> dict[int, float]:
    """SUVbw of each lesion, from the seed: 4 to 12."""
    from authoring.synth.phantom import seeded_unit

    return {s.label: round(4 + 8 * seeded_unit(phantom.seed, "uptake", s.label), 2)
            for s in phantom.lesions}


def activity(phantom: Phantom, administration: Administration) -> npt.NDArray[Any]:
    """Bq/ml per voxel of ``phantom``'s grid: each structure's uptake with 5% seeded
    multiplicative noise (float32)."""
    import numpy as np

    uptake = UPTAKE | lesion_uptake(phantom)
    table = np.zeros(max(s.label for s in phantom.structures) + 1, dtype=np.float64)
    for label, suv in uptake.items():
        table[label] = administration.bq_per_ml(suv)
    rng = np.random.default_rng(phantom.seed + 1)
    noise = 1.0 + 0.05 * rng.standard_normal(phantom.labels.shape)
    return np.maximum(table[phantom.labels] * noise, 0.0).astype(np.float32)


def pet_series(phantom: Phantom, options: SynthOptions, patient: int,
               administration: Administration, frame_of_reference: str,
               series: int) -> tuple[list[DatasetBase], npt.NDArray[Any]]:
    """The PET series: one slice per phantom slice, activity stored as 16-bit values with
    one Rescale Slope for the series (Units BQML, decay corrected to START), the FDG
    administration in the Radiopharmaceutical Information Sequence, the patient's weight.
    Returns the slices and the activity array they store (after quantisation)."""
    import numpy as np

    from authoring.pixels.native import pixel_attributes
    from authoring.synth.series import Place, make

    geometry = phantom.geometry
    values = activity(phantom, administration)
    slope = float(values.max()) / 30000.0 or 1.0
    stored: npt.NDArray[Any] = np.round(values / slope).astype(np.uint16)
    template = make(options, Place(patient, 0, series - 1, 0))
    start = administration.scan_start
    for keyword, value in (
            ("Units", "BQML"), ("DecayCorrection", "START"), ("CountsSource", "EMISSION"),
            ("SeriesType", ("STATIC", "IMAGE")),
            ("CorrectedImage", ("DECY", "ATTN", "SCAT", "DTIM", "RAN", "NORM")),
            ("NumberOfSlices", geometry.slices), ("FrameOfReferenceUID", frame_of_reference),
            ("SeriesTime", start.strftime("%H%M%S")), ("AcquisitionTime",
                                                      start.strftime("%H%M%S")),
            ("RescaleIntercept", "0"), ("RescaleSlope", decimal_string(slope)),
            ("FrameReferenceTime", "0"), ("ActualFrameDuration", "180000"),
            ("DecayFactor", "1"), ("BitsStored", 16), ("HighBit", 15),
            # the window applies after the rescale (PS3.3 C.11.2.1.2): in Bq/ml
            ("WindowCenter", decimal_string(administration.bq_per_ml(2.5))),
            ("WindowWidth", decimal_string(administration.bq_per_ml(5.0))),
            ("PatientWeight", decimal_string(administration.weight_kg)),
            ("SliceThickness", decimal_string(geometry.slice_spacing)),
            ("PixelSpacing", (decimal_string(geometry.pixel_spacing), decimal_string(geometry.pixel_spacing))),
            ("ImageOrientationPatient", ("1", "0", "0", "0", "1", "0")),
            ("BodyPartExamined", "CHEST")):
        template.set_value(keyword, value)
    if "Laterality" in template:
        del template["Laterality"]
    template.set_value("RadiopharmaceuticalInformationSequence", [sequence_item(
        RadionuclideCodeSequence=[sequence_item(CodeValue="77004003", CodingSchemeDesignator="SCT",
                                        CodeMeaning="^18^Fluorine")],
        Radiopharmaceutical="Fluorodeoxyglucose",
        RadiopharmaceuticalStartTime=administration.injected.strftime("%H%M%S"),
        RadiopharmaceuticalStartDateTime=administration.injected.strftime("%Y%m%d%H%M%S"),
        RadionuclideTotalDose=decimal_string(administration.dose_bq),
        RadionuclideHalfLife=decimal_string(HALF_LIFE),
        RadionuclidePositronFraction=decimal_string(POSITRON_FRACTION),
        RadiopharmaceuticalCodeSequence=[sequence_item(
            CodeValue="35321007", CodingSchemeDesignator="SCT",
            CodeMeaning="Fluorodeoxyglucose F^18^")])], "SQ")
    out: list[DatasetBase] = []
    for index in range(geometry.slices):
        pet = template.copy()
        position = geometry.position(index)
        pet.set_value("SOPInstanceUID", stable_uid(options.seed, "pet", patient, index))
        pet.set_value("InstanceNumber", str(index + 1))
        pet.set_value("ImageIndex", index + 1)
        pet.set_value("ImagePositionPatient", tuple(decimal_string(v) for v in position))
        pet.set_value("SliceLocation", decimal_string(position[2]))
        data = pixel_attributes(stored[index], photometric="MONOCHROME2", bits_stored=16,
                                multi_frame=False)
        for keyword in ("Rows", "Columns"):
            pet.set_value(keyword, data[keyword])
        pet.replace_value("PixelData", data["PixelData"], pet["PixelData"].vr)
        out.append(pet)
    return out, stored.astype(np.float64) * slope


def registration(base: DatasetBase, ct: list[DatasetBase], pet: list[DatasetBase]
                 ) -> DatasetBase:
    """A Spatial Registration saying that the CT and the PET share one Frame of
    Reference: for each series, the identity (RIGID) from the Frame of Reference to
    itself, with the images it applies to."""
    frame = text_of(ct[0], "FrameOfReferenceUID")
    identity = tuple(decimal_string(v) for v in (1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1))
    items: list[DatasetBase] = []
    for images in (ct, pet):
        items.append(sequence_item(
            FrameOfReferenceUID=frame,
            ReferencedImageSequence=[reference_item(image) for image in images],
            MatrixRegistrationSequence=[sequence_item(
                MatrixSequence=[sequence_item(FrameOfReferenceTransformationMatrixType="RIGID",
                                      FrameOfReferenceTransformationMatrix=identity)],
                RegistrationTypeCodeSequence=[sequence_item(
                    CodeValue="125021", CodingSchemeDesignator="DCM",
                    CodeMeaning="Frame of Reference Identity")])]))
    registered = base
    registered.set_value("FrameOfReferenceUID", frame)
    registered.set_value("Laterality", "")  # Type 2C: see derived.presentation_state
    registered.set_value("ReferencedSeriesSequence", [sequence_item(
        SeriesInstanceUID=text_of(images[0], "SeriesInstanceUID"),
        ReferencedInstanceSequence=[reference_item(image) for image in images])
        for images in (ct, pet)], "SQ")
    registered.set_value("ContentLabel", "PETCT")
    registered.set_value("ContentDescription", "PET and CT in one Frame of Reference")
    registered.set_value("RegistrationSequence", items, "SQ")
    return registered
