"""MR of a head phantom: each tissue's relaxation times, proton density and diffusion
coefficient, the signal equations of spin echo, inversion recovery and diffusion-weighted
echo planar sequences, and the series they render (classic MR Image and Enhanced MR Image),
all in the Frame of Reference of the first series.

Signals are magnitudes of the ideal signal plus complex Gaussian noise (Rician), scaled to
12 bits; the apparent diffusion coefficient map is computed from the b = 0 and b = 1000
s/mm2 frames of the Enhanced MR diffusion series, as a scanner would.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authoring.synth.derived import decimal_string, reference_item, sequence_item, text_of
from authoring.synth.values import stable_uid

if TYPE_CHECKING:
    import numpy.typing as npt

    from authoring.object.dataset import DatasetBase
    from authoring.synth.phantom import Phantom

    Array = npt.NDArray[Any]

SCALE = 3000.0  # stored value of a signal of 1.0
NOISE = 12.0  # standard deviation of each noise component, in stored units
ADC_UNIT = 1e-6  # mm2/s per stored value of the ADC map


@dataclass(frozen=True)
class Tissue:
    """T1 and T2 (ms, 1.5 T), proton density (relative to water) and apparent diffusion
    coefficient (mm2/s)."""

    t1: float
    t2: float
    density: float
    adc: float


FLUID = Tissue(4000.0, 2000.0, 1.0, 3.0e-3)
#: by label of :func:`authoring.synth.phantom.make_head_phantom` (0, air, has no signal)
TISSUES = {1: Tissue(350.0, 70.0, 0.9, 1.0e-3), 2: Tissue(300.0, 5.0, 0.05, 0.3e-3),
           3: FLUID, 4: Tissue(1000.0, 100.0, 0.8, 0.8e-3),
           5: Tissue(650.0, 80.0, 0.7, 0.7e-3), 6: FLUID, 7: FLUID,
           8: Tissue(1200.0, 180.0, 0.9, 1.5e-3), 9: Tissue(1100.0, 120.0, 0.85, 0.55e-3)}


@dataclass(frozen=True)
class Sequence:
    """An acquisition: its name, the classic Scanning Sequence and Sequence Variant, TR,
    TE and TI (ms), echo train length, flip angle, b-values (s/mm2) and the Enhanced MR
    Acquisition Contrast."""

    name: str
    description: str
    scanning: tuple[str, ...]
    variant: tuple[str, ...]
    repetition: float
    echo: float
    inversion: float | None = None
    echo_train: int = 1
    flip_angle: float = 90.0
    b_values: tuple[float, ...] = (0.0,)
    contrast: str = "T1"

    def signal(self, tissue: Tissue, b_value: float = 0.0) -> float:
        """The ideal magnitude of ``tissue``'s signal (water at full recovery is 1)."""
        if self.inversion is not None:
            recovery = abs(1 - 2 * math.exp(-self.inversion / tissue.t1)
                           + math.exp(-self.repetition / tissue.t1))
        else:
            recovery = 1 - math.exp(-self.repetition / tissue.t1)
        return (tissue.density * recovery * math.exp(-self.echo / tissue.t2)
                * math.exp(-b_value * tissue.adc))


T1 = Sequence("T1", "T1 SE axial", ("SE",), ("NONE",), 500.0, 15.0, contrast="T1")
T2 = Sequence("T2", "T2 TSE axial", ("SE",), ("SK",), 4000.0, 100.0, echo_train=16,
              contrast="T2")
FLAIR = Sequence("FLAIR", "T2 FLAIR axial", ("SE", "IR"), ("SK", "MP"), 9000.0, 120.0,
                 inversion=2500.0, echo_train=16, contrast="FLAIR")
DWI = Sequence("DWI", "DWI b1000 trace axial", ("EP", "SE"), ("NONE",), 5000.0, 90.0,
               b_values=(0.0, 1000.0), contrast="DIFFUSION")


def expected(sequence: Sequence, b_value: float = 0.0) -> dict[int, float]:
    """The stored value each label's tissue renders to, without noise."""
    return {label: round(sequence.signal(tissue, b_value) * SCALE, 3)
            for label, tissue in TISSUES.items()}


def render(phantom: Phantom, sequence: Sequence, b_value: float = 0.0,
           stream: int = 0) -> Array:
    """The stored values of ``sequence`` imaging ``phantom`` at ``b_value``: each voxel's
    tissue signal with Rician noise (seeded by the phantom and ``stream``), 12-bit."""
    import numpy as np

    table = np.zeros(max(TISSUES) + 1, dtype=np.float64)
    for label, value in expected(sequence, b_value).items():
        table[label] = value
    rng = np.random.default_rng([phantom.seed, stream])
    clean = table[phantom.labels]
    real = clean + rng.normal(0.0, NOISE, clean.shape)
    imaginary = rng.normal(0.0, NOISE, clean.shape)
    return np.clip(np.sqrt(real ** 2 + imaginary ** 2).round(), 0, 4095).astype(np.uint16)


def _set_acquisition(dataset: DatasetBase, sequence: Sequence) -> None:
    for keyword, value in (
            ("ScanningSequence", sequence.scanning), ("SequenceVariant", sequence.variant),
            ("ScanOptions", ""), ("MRAcquisitionType", "2D"),
            ("RepetitionTime", decimal_string(sequence.repetition)),
            ("EchoTime", decimal_string(sequence.echo)),
            ("EchoTrainLength", str(sequence.echo_train)),
            ("FlipAngle", decimal_string(sequence.flip_angle)),
            ("MagneticFieldStrength", "1.5"), ("ImagedNucleus", "1H"),
            ("SequenceName", sequence.name), ("SeriesDescription", sequence.description),
            ("BodyPartExamined", "HEAD")):
        dataset.set_value(keyword, value)
    if sequence.inversion is not None:
        dataset.set_value("InversionTime", decimal_string(sequence.inversion))
    elif "InversionTime" in dataset:
        del dataset["InversionTime"]
    if "Laterality" in dataset:  # the head is not a paired body part
        del dataset["Laterality"]


def classic_series(phantom: Phantom, base: DatasetBase, sequence: Sequence, patient: int,
                   seed: int, frame_of_reference: str, stream: int,
                   b_value: float | None = None) -> list[DatasetBase]:
    """A classic MR Image series of ``sequence`` (at its last b-value, or ``b_value``):
    one axial slice per phantom slice in ``frame_of_reference``."""
    from authoring.pixels.native import pixel_attributes

    geometry = phantom.geometry
    b = sequence.b_values[-1] if b_value is None else b_value
    values = render(phantom, sequence, b, stream)
    template = base
    _set_acquisition(template, sequence)
    spacing = decimal_string(geometry.pixel_spacing)
    for keyword, value in (
            ("FrameOfReferenceUID", frame_of_reference),
            ("ImageType", ("ORIGINAL", "PRIMARY", "OTHER")),
            ("PixelSpacing", (spacing, spacing)),
            ("SliceThickness", decimal_string(geometry.slice_spacing)),
            ("SpacingBetweenSlices", decimal_string(geometry.slice_spacing)),
            ("ImageOrientationPatient", ("1", "0", "0", "0", "1", "0")),
            ("WindowCenter", decimal_string(float(values.max()) * 0.4)),
            ("WindowWidth", decimal_string(float(values.max()) * 0.8))):
        template.set_value(keyword, value)
    out: list[DatasetBase] = []
    for index in range(geometry.slices):
        image = template.copy()
        position = geometry.position(index)
        image.set_value("SOPInstanceUID", stable_uid(seed, "mr", sequence.name, patient, index))
        image.set_value("InstanceNumber", str(index + 1))
        image.set_value("ImagePositionPatient", tuple(decimal_string(v) for v in position))
        image.set_value("SliceLocation", decimal_string(position[2]))
        data = pixel_attributes(values[index], photometric="MONOCHROME2", bits_stored=12,
                                multi_frame=False)
        for keyword in ("Rows", "Columns"):
            image.set_value(keyword, data[keyword])
        image.replace_value("PixelData", data["PixelData"], "OW")
        out.append(image)
    return out


def enhanced_series(phantom: Phantom, base: DatasetBase, sequence: Sequence,
                    frame_of_reference: str, stream: int, organization_uid: str
                    ) -> tuple[DatasetBase, Array]:
    """An Enhanced MR Image of ``sequence``: one frame per slice per b-value (b-value
    major), each frame's position, diffusion b-value (MR Diffusion per frame) and frame
    type; dimensions Stack ID, In-Stack Position and, for more than one b-value, Diffusion
    b-value. Returns the instance and its frames' stored values."""
    import numpy as np

    from authoring.builders.functional_groups import set_stack
    from authoring.pixels.native import pixel_attributes

    geometry = phantom.geometry
    count = geometry.slices
    frames = np.concatenate([render(phantom, sequence, b, stream + index)
                             for index, b in enumerate(sequence.b_values)])
    enhanced = base
    for keyword in ("PerFrameFunctionalGroupsSequence", "DimensionIndexSequence"):
        if keyword in enhanced:
            del enhanced[keyword]
    enhanced.set_value("NumberOfFrames", str(len(frames)))
    enhanced.set_value("FrameOfReferenceUID", frame_of_reference)
    flavour = "DIFFUSION" if sequence.contrast == "DIFFUSION" else sequence.contrast
    image_type = ("ORIGINAL", "PRIMARY", flavour if flavour != "FLAIR" else "FLUID_ATTENUATED",
                  "NONE")
    enhanced.set_value("ImageType", image_type)
    enhanced.set_value("SeriesDescription", f"{sequence.description} (enhanced)")
    enhanced.set_value("PulseSequenceName", sequence.name)
    enhanced.set_value("BodyPartExamined", "HEAD")
    enhanced.set_value("MagneticFieldStrength", "1.5")
    data = pixel_attributes(frames, photometric="MONOCHROME2", bits_stored=12,
                            multi_frame=True)
    for keyword in ("Rows", "Columns"):
        enhanced.set_value(keyword, data[keyword])
    enhanced.replace_value("PixelData", data["PixelData"], "OW")
    shared = enhanced["SharedFunctionalGroupsSequence"].value[0]
    for keyword in ("MRDiffusionSequence", "MRImageFrameTypeSequence"):
        if keyword in shared:
            del shared[keyword]
    shared.set_value("FrameAnatomySequence", [sequence_item(
        AnatomicRegionSequence=[sequence_item(CodeValue="12738006",
                                              CodingSchemeDesignator="SCT",
                                              CodeMeaning="Brain")],
        FrameLaterality="U")], "SQ")
    enhanced.set_value("AcquisitionContextSequence", [], "SQ")
    # PS3.3 requires the MR Spatial Saturation macro of an ORIGINAL image only with Spatial
    # Pre-saturation SLAB (as dicom3tools does); PixelMed requires it of every ORIGINAL
    # image: an empty sequence (Type 2) satisfies both
    shared.set_value("MRSpatialSaturationSequence", [], "SQ")
    for keyword, value in (("PixelPresentation", "MONOCHROME"),
                           ("VolumetricProperties", "VOLUME"),
                           # PS3.3 C.8.16.2: NONE for an ORIGINAL image (PixelMed checks it)
                           ("VolumeBasedCalculationTechnique", "NONE"),
                           ("ComplexImageComponent", "MAGNITUDE"),
                           ("AcquisitionContrast", sequence.contrast
                            if sequence.contrast != "FLAIR" else "FLUID_ATTENUATED")):
        enhanced.set_value(keyword, value)
    for colour in ("Red", "Green", "Blue"):  # a monochrome presentation has no palette
        for part in ("Descriptor", "Data"):
            keyword = f"{colour}PaletteColorLookupTable{part}"
            if keyword in enhanced:
                del enhanced[keyword]
    timing = shared["MRTimingAndRelatedParametersSequence"].value[0]
    timing.set_value("RepetitionTime", float(sequence.repetition))
    timing.set_value("FlipAngle", float(sequence.flip_angle))
    timing.set_value("EchoTrainLength", sequence.echo_train)
    shared["MREchoSequence"].value[0].set_value("EffectiveEchoTime", float(sequence.echo))
    positions = [geometry.position(index) for index in range(count)] * len(sequence.b_values)
    set_stack(enhanced, positions=positions, pixel_spacing=(
        round(geometry.pixel_spacing, 6),) * 2, slice_thickness=geometry.slice_spacing,
        organization_uid=organization_uid)
    per_frame = list(enhanced["PerFrameFunctionalGroupsSequence"].value)
    date = text_of(enhanced, "AcquisitionDate") or text_of(enhanced, "ContentDate")
    time = text_of(enhanced, "AcquisitionTime") or text_of(enhanced, "ContentTime")
    start = dt.datetime.strptime((date or "20200101")[:8] + (time or "0")[:6].ljust(6, "0"),
                                 "%Y%m%d%H%M%S")
    duration = sequence.repetition  # ms: one slice per TR, b-value after b-value
    for index, item in enumerate(per_frame):
        b_index, position = divmod(index, count)
        b = sequence.b_values[b_index]
        content = item["FrameContentSequence"].value[0]
        moment = (start + dt.timedelta(milliseconds=duration * index)).strftime(
            "%Y%m%d%H%M%S.%f")
        content.set_value("FrameAcquisitionDateTime", moment)
        content.set_value("FrameReferenceDateTime", moment)
        content.set_value("FrameAcquisitionDuration", float(duration))
        content.set_value("InStackPositionNumber", position + 1)
        content.set_value("DimensionIndexValues",
                          (1, position + 1, b_index + 1) if len(sequence.b_values) > 1
                          else (1, position + 1))
        item.set_value("MRImageFrameTypeSequence", [sequence_item(
            FrameType=image_type, PixelPresentation="MONOCHROME",
            VolumetricProperties="VOLUME", VolumeBasedCalculationTechnique="NONE",
            ComplexImageComponent="MAGNITUDE", AcquisitionContrast=sequence.contrast
            if sequence.contrast != "FLAIR" else "FLUID_ATTENUATED")], "SQ")
        if sequence.contrast == "DIFFUSION":
            item.set_value("MRDiffusionSequence", [sequence_item(
                DiffusionBValue=float(b),
                DiffusionDirectionality="ISOTROPIC" if b > 0 else "NONE")], "SQ")
    if len(sequence.b_values) > 1:
        indices = list(enhanced["DimensionIndexSequence"].value)
        indices.append(sequence_item(
            DimensionOrganizationUID=organization_uid,
            DimensionDescriptionLabel="Diffusion b-value"))
        indices[-1].set_value("DimensionIndexPointer", 0x00189087, "AT")
        indices[-1].set_value("FunctionalGroupPointer", 0x00189117, "AT")
        enhanced.set_value("DimensionIndexSequence", indices, "SQ")
    return enhanced, frames


def adc_map(base: DatasetBase, enhanced: DatasetBase, frames: Array, phantom: Phantom,
            patient: int, seed: int) -> tuple[list[DatasetBase], Array]:
    """The apparent diffusion coefficient map of the Enhanced MR diffusion series (frames
    at b = 0 then b = 1000): ADC = ln(S0 / S1000) / 1000 in units of 1e-6 mm2/s, zero where
    the b = 0 signal is below 5 noise levels (air); a classic MR Image series (DERIVED,
    DIFFUSION MAP), each slice citing the two frames it was computed from."""
    import numpy as np

    from authoring.pixels.native import pixel_attributes

    geometry = phantom.geometry
    count = geometry.slices
    low = frames[:count].astype(np.float64)
    high = np.maximum(frames[count:].astype(np.float64), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        adc = np.log(np.maximum(low, 1.0) / high) / DWI.b_values[-1] / ADC_UNIT
    adc = np.where(low > 5 * NOISE, np.clip(adc, 0, 4095), 0).round().astype(np.uint16)
    template = base
    _set_acquisition(template, DWI)
    template.set_value("SeriesDescription", "ADC map (from the enhanced DWI)")
    template.set_value("ImageType", ("DERIVED", "PRIMARY", "DIFFUSION MAP"))
    template.set_value("FrameOfReferenceUID", text_of(enhanced, "FrameOfReferenceUID"))
    spacing = decimal_string(geometry.pixel_spacing)
    template.set_value("PixelSpacing", (spacing, spacing))
    template.set_value("SliceThickness", decimal_string(geometry.slice_spacing))
    template.set_value("ImageOrientationPatient", ("1", "0", "0", "0", "1", "0"))
    template.set_value("WindowCenter", "1500")
    template.set_value("WindowWidth", "3000")
    template.set_value("DerivationDescription", "ADC = ln(S(b=0) / S(b=1000)) / 1000 s/mm2, "
                       "in 1e-6 mm2/s")
    out: list[DatasetBase] = []
    for index in range(count):
        image = template.copy()
        position = geometry.position(index)
        image.set_value("SOPInstanceUID", stable_uid(seed, "mr", "ADC", patient, index))
        image.set_value("InstanceNumber", str(index + 1))
        image.set_value("ImagePositionPatient", tuple(decimal_string(v) for v in position))
        image.set_value("SliceLocation", decimal_string(position[2]))
        source = reference_item(enhanced)
        source.set_value("ReferencedFrameNumber", (index + 1, count + index + 1))
        source.set_value("PurposeOfReferenceCodeSequence", [sequence_item(
            CodeValue="121322", CodingSchemeDesignator="DCM",
            CodeMeaning="Source image for image processing operation")], "SQ")
        image.set_value("SourceImageSequence", [source], "SQ")
        data = pixel_attributes(adc[index], photometric="MONOCHROME2", bits_stored=12,
                                multi_frame=False)
        for keyword in ("Rows", "Columns"):
            image.set_value(keyword, data[keyword])
        image.replace_value("PixelData", data["PixelData"], "OW")
        out.append(image)
    return out, adc
