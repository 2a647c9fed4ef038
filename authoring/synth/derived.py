"""Objects derived from a phantom's ground truth: the CT series that images it, and the
Segmentation, Measurement Report (TID 1500) and Key Object Selection computed from its
labels, each referencing the exact instances and frames it was derived from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authoring.synth.values import stable_uid

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy.typing as npt

    from authoring.object.dataset import DatasetBase
    from authoring.sr.templates import KeyObjectSelection, MeasurementReport
    from authoring.synth.phantom import Phantom, Structure

    Array = npt.NDArray[Any]
    from authoring.synth.series import SynthOptions

CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2"
SEGMENTATION = "1.2.840.10008.5.1.4.1.1.66.4"
#: (121322, DCM, "Source image for image processing operation"), (113076, DCM,
#: "Segmentation"): PS3.16 CID 7202 and 7203, as a segmentation's frames cite their source
SOURCE_IMAGE = ("121322", "DCM", "Source image for image processing operation")
SEGMENTATION_DERIVATION = ("113076", "DCM", "Segmentation")


@dataclass(frozen=True)
class Series:
    """A series' place in the study: its number (1-based) and UID."""

    number: int
    uid: str


def sequence_item(**values: Any) -> DatasetBase:
    """A sequence item with ``values`` (keyword = value; lists of items are sequences)."""
    from authoring.object.dataset import Dataset

    item = Dataset()
    for keyword, value in values.items():
        if isinstance(value, list) and value and isinstance(value[0], Dataset):
            item.set_value(keyword, value, "SQ")
        else:
            setattr(item, keyword, value)
    return item


def text_of(dataset: DatasetBase, keyword: str) -> str:
    """``dataset``'s value of ``keyword`` as text ("" when absent)."""
    value = dataset.get(keyword)
    return "" if value is None else str(value)


def _code(value: str, scheme: str, meaning: str) -> DatasetBase:
    return sequence_item(CodeValue=value, CodingSchemeDesignator=scheme, CodeMeaning=meaning)


def decimal_string(value: float) -> str:
    """A DS value of at most 16 characters."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if len(text) <= 16 else f"{value:.6g}"


def ct_series(phantom: Phantom, options: SynthOptions, patient: int) -> list[DatasetBase]:
    """The CT series imaging ``phantom``: one axial slice per phantom slice, Hounsfield
    units stored with a rescale (intercept -1024, 12 bits), positions and spacing of the
    phantom's geometry."""
    import numpy as np

    from authoring.pixels.native import pixel_attributes
    from authoring.synth.series import Place, make

    geometry = phantom.geometry
    template = make(options, Place(patient, 0, 0, 0))
    hounsfield = phantom.ct()
    out: list[DatasetBase] = []
    for index in range(geometry.slices):
        ct = template.copy()
        position = geometry.position(index)
        ct.replace_value("SOPInstanceUID", stable_uid(options.seed, "ct", patient, index))
        ct.replace_value("InstanceNumber", str(index + 1))
        ct.replace_value("ImagePositionPatient", tuple(decimal_string(v) for v in position))
        ct.replace_value("SliceLocation", decimal_string(position[2]))
        stored = np.clip(hounsfield[index].astype(np.int32) + 1024, 0, 4095).astype(np.uint16)
        data = pixel_attributes(stored, photometric="MONOCHROME2", bits_stored=12,
                                multi_frame=False)["PixelData"]
        ct.replace_value("PixelData", data, ct["PixelData"].vr)
        out.append(ct)
    return out


def geometry_overrides(phantom: Phantom) -> tuple[tuple[str, Any], ...]:
    """What the CT template takes from the phantom's geometry."""
    geometry = phantom.geometry
    spacing = decimal_string(geometry.pixel_spacing)
    return (("PixelSpacing", (spacing, spacing)),
            ("SliceThickness", decimal_string(geometry.slice_spacing)),
            ("ImageOrientationPatient", ("1", "0", "0", "0", "1", "0")),
            ("BodyPartExamined", "CHEST"))


LABEL_MAP_SEGMENTATION = "1.2.840.10008.5.1.4.1.1.66.7"


def segmentation(phantom: Phantom, ct: list[DatasetBase], base: DatasetBase,
                 labels: list[int], labelmap: bool = False
                 ) -> tuple[DatasetBase, dict[int, list[int]]]:
    """A binary Segmentation of the structures ``labels`` (segment n is ``labels[n-1]``):
    one frame per segment per CT slice the structure is on, each citing its CT instance
    (Derivation Image, Source Image), in the CT's Frame of Reference. With ``labelmap``
    (Label Map Segmentation, SegmentationType LABELMAP, ``base`` of that SOP class) one
    frame per CT slice holding any of the structures, each pixel its segment number (0:
    none). Returns the data set and, per segment number, the CT slice index of each of its
    frames."""
    import numpy as np

    geometry = phantom.geometry
    by_label = {s.label: s for s in phantom.structures}
    seg = base
    for keyword in ("SharedFunctionalGroupsSequence", "PerFrameFunctionalGroupsSequence",
                    "SegmentSequence", "DimensionIndexSequence", "DimensionOrganizationSequence",
                    "ReferencedSeriesSequence", "DimensionOrganizationType"):
        if keyword in seg:
            del seg[keyword]
    seg.replace_value("FrameOfReferenceUID", text_of(ct[0], "FrameOfReferenceUID"))
    seg.replace_value("ImageType", ("DERIVED", "PRIMARY"))
    seg.replace_value("SegmentationType", "LABELMAP" if labelmap else "BINARY")
    seg.replace_value("ContentLabel", "PHANTOM")
    seg.replace_value("ContentDescription", "Ground truth of the synthetic phantom")
    segments: list[DatasetBase] = []
    for number, label in enumerate(labels, start=1):
        structure = by_label[label]
        values: dict[str, Any] = dict(
            SegmentNumber=number, SegmentLabel=structure.name,
            SegmentAlgorithmType="MANUAL",
            SegmentedPropertyCategoryCodeSequence=[_code(structure.category.value, structure.category.scheme,
                                                          structure.category.meaning)],
            SegmentedPropertyTypeCodeSequence=[_code(structure.type.value, structure.type.scheme,
                                                      structure.type.meaning)])
        if structure.site is not None:
            values["AnatomicRegionSequence"] = [_code(structure.site.value, structure.site.scheme,
                                                         structure.site.meaning)]
        segments.append(sequence_item(**values))
    seg.set_value("SegmentSequence", segments, "SQ")
    organization = stable_uid(text_of(seg, "SOPInstanceUID"), "dimension organization")
    seg.set_value("DimensionOrganizationSequence",
                  [sequence_item(DimensionOrganizationUID=organization)], "SQ")
    segment_index = sequence_item(DimensionOrganizationUID=organization,
                          DimensionDescriptionLabel="Segment Number")
    segment_index.set_value("DimensionIndexPointer", 0x0062000B, "AT")
    segment_index.set_value("FunctionalGroupPointer", 0x0062000A, "AT")
    position_index = sequence_item(DimensionOrganizationUID=organization,
                           DimensionDescriptionLabel="Image Position (Patient)")
    position_index.set_value("DimensionIndexPointer", 0x00200032, "AT")
    position_index.set_value("FunctionalGroupPointer", 0x00209113, "AT")
    seg.set_value("DimensionIndexSequence",
                  [position_index] if labelmap else [segment_index, position_index], "SQ")
    spacing = decimal_string(geometry.pixel_spacing)
    seg.set_value("SharedFunctionalGroupsSequence", [sequence_item(
        PixelMeasuresSequence=[sequence_item(PixelSpacing=(spacing, spacing),
                                     SliceThickness=decimal_string(geometry.slice_spacing),
                                     SpacingBetweenSlices=decimal_string(geometry.slice_spacing))],
        PlaneOrientationSequence=[sequence_item(ImageOrientationPatient=("1", "0", "0", "0", "1",
                                                                 "0"))])], "SQ")
    if labelmap:
        return _labelmap_frames(seg, phantom, ct, labels)
    frames: list[Any] = []
    per_frame: list[DatasetBase] = []
    slices_of: dict[int, list[int]] = {}
    for number, label in enumerate(labels, start=1):
        box, mask = phantom.cropped_mask(label)  # the structure's box, not the volume
        present = [int(i) for i in np.flatnonzero(mask.any(axis=(1, 2)))]
        slices = [int(box[0].start) + i for i in present]
        slices_of[number] = slices
        for at, index in zip(present, slices, strict=True):
            source = ct[index]
            frame = np.zeros((geometry.rows, geometry.columns), dtype=bool)
            frame[box[1], box[2]] = mask[at]
            frames.append(frame)
            per_frame.append(sequence_item(
                DerivationImageSequence=[sequence_item(
                    SourceImageSequence=[sequence_item(
                        ReferencedSOPClassUID=text_of(source, "SOPClassUID"),
                        ReferencedSOPInstanceUID=text_of(source, "SOPInstanceUID"),
                        SpatialLocationsPreserved="YES",
                        PurposeOfReferenceCodeSequence=[_code(*SOURCE_IMAGE)])],
                    DerivationCodeSequence=[_code(*SEGMENTATION_DERIVATION)])],
                FrameContentSequence=[sequence_item(DimensionIndexValues=(number, index + 1))],
                PlanePositionSequence=[sequence_item(ImagePositionPatient=tuple(
                    decimal_string(v) for v in geometry.position(index)))],
                SegmentIdentificationSequence=[sequence_item(ReferencedSegmentNumber=number)]))
    seg.set_value("PerFrameFunctionalGroupsSequence", per_frame, "SQ")
    seg.replace_value("NumberOfFrames", str(len(frames)))
    seg.replace_value("Rows", geometry.rows)
    seg.replace_value("Columns", geometry.columns)
    referenced = sorted({i for slices in slices_of.values() for i in slices})
    seg.set_value("ReferencedSeriesSequence", [sequence_item(
        SeriesInstanceUID=text_of(ct[0], "SeriesInstanceUID"),
        ReferencedInstanceSequence=[sequence_item(ReferencedSOPClassUID=text_of(ct[i], "SOPClassUID"),
                                          ReferencedSOPInstanceUID=text_of(ct[i], "SOPInstanceUID"))
                                    for i in referenced])], "SQ")
    bits = np.packbits(np.stack(frames).astype(np.uint8).ravel(), bitorder="little")
    data = bits.tobytes()
    if len(data) % 2:
        data += b"\x00"
    seg.replace_value("PixelData", data, "OB")
    return seg, slices_of


def _derivation(source: DatasetBase) -> DatasetBase:
    """A Derivation Image Sequence item: the frame was derived from ``source``."""
    return sequence_item(
        SourceImageSequence=[sequence_item(
            ReferencedSOPClassUID=text_of(source, "SOPClassUID"),
            ReferencedSOPInstanceUID=text_of(source, "SOPInstanceUID"),
            SpatialLocationsPreserved="YES",
            PurposeOfReferenceCodeSequence=[_code(*SOURCE_IMAGE)])],
        DerivationCodeSequence=[_code(*SEGMENTATION_DERIVATION)])


def _labelmap_frames(seg: DatasetBase, phantom: Phantom, ct: list[DatasetBase],
                     labels: list[int]) -> tuple[DatasetBase, dict[int, list[int]]]:
    """The frames of a label map segmentation: one per CT slice any structure is on."""
    import numpy as np

    from authoring.pixels.native import pixel_attributes

    geometry = phantom.geometry
    table = np.zeros(max(s.label for s in phantom.structures) + 1, dtype=np.uint16)
    for number, label in enumerate(labels, start=1):
        table[label] = number
    numbers = table[phantom.labels]
    slices = [int(i) for i in np.flatnonzero(numbers.any(axis=(1, 2)))]
    slices_of: dict[int, list[int]] = {}
    for number, label in enumerate(labels, start=1):
        box, mask = phantom.cropped_mask(label)
        slices_of[number] = [box[0].start + int(i)
                             for i in np.flatnonzero(mask.any(axis=(1, 2)))]
    per_frame = [sequence_item(
        DerivationImageSequence=[_derivation(ct[index])],
        FrameContentSequence=[sequence_item(DimensionIndexValues=(index + 1,))],
        PlanePositionSequence=[sequence_item(ImagePositionPatient=tuple(
            decimal_string(v) for v in geometry.position(index)))]) for index in slices]
    seg.set_value("PerFrameFunctionalGroupsSequence", per_frame, "SQ")
    seg.replace_value("NumberOfFrames", str(len(slices)))
    data = pixel_attributes(numbers[slices], photometric="MONOCHROME2", bits_stored=16,
                            multi_frame=True)
    for keyword in ("Rows", "Columns", "BitsAllocated", "BitsStored", "HighBit"):
        seg.set_value(keyword, data[keyword])
    seg.set_value("ReferencedSeriesSequence", [sequence_item(
        SeriesInstanceUID=text_of(ct[0], "SeriesInstanceUID"),
        ReferencedInstanceSequence=[reference_item(ct[i]) for i in slices])], "SQ")
    seg.replace_value("PixelData", data["PixelData"], "OW")
    return seg, slices_of


def measurement_report(phantom: Phantom, ct: list[DatasetBase], seg: DatasetBase,
                       segment_of: dict[int, int], truths: dict[int, dict[str, Any]],
                       seed: int, kind: str = "ct") -> MeasurementReport:
    """TID 1500: one volumetric ROI group (TID 1411) per lesion, citing its segment of
    ``seg`` and the series ``ct`` it segments, with what the lesion's voxels give
    (``truths``): for ``kind`` "ct" its volume, long-axis diameter and mean attenuation,
    for "pet" its SUVbw maximum and mean; the slices through each lesion in the image
    library."""
    from authoring.codes import CID100, CID270, CID7021
    from authoring.core.code import Code
    from authoring.sr import templates
    from authoring.sr.values import Named, Quantity, Reference, ucum

    seg_reference = Reference.to(seg)
    groups: list[templates.VolumetricROIMeasurementsAndQualitativeEvaluations] = []
    shown: list[int] = []
    for structure in phantom.lesions:
        truth = truths[structure.label]
        middle = truth["slices"][len(truth["slices"]) // 2]
        if middle not in shown:
            shown.append(middle)
        suv = ucum("g/ml{SUVbw}", "Standardized Uptake Value body weight")
        measurements = [
            templates.ROIMeasurementsMeasurement(
                measurement=Named(Code("126401", "DCM", "SUVbw"),
                                  Quantity(decimal_string(truth[key]), suv)),
                derivation=Code(*derivation))
            for key, derivation in (("suv_max", ("56851009", "SCT", "Maximum")),
                                    ("suv_mean", ("373098007", "SCT", "Mean")))
        ] if kind == "pet" else [
            templates.ROIMeasurementsMeasurement(measurement=Named(
                Code("118565006", "SCT", "Volume"),
                Quantity(decimal_string(truth["volume_mm3"]), ucum("mm3", "cubic millimeter")))),
            templates.ROIMeasurementsMeasurement(measurement=Named(
                Code("103339001", "SCT", "Long Axis"),
                Quantity(decimal_string(truth["long_axis_mm"]), ucum("mm", "millimeter")))),
            templates.ROIMeasurementsMeasurement(
                measurement=Named(Code("112031", "DCM", "Attenuation Coefficient"),
                                  Quantity(decimal_string(truth["mean_hu"]),
                                           ucum("[hnsf'U]", "Hounsfield unit"))),
                derivation=Code("373098007", "SCT", "Mean")),
        ]
        site = templates.FindingSite(finding_site=structure.site) \
            if structure.site is not None else None
        groups.append(templates.VolumetricROIMeasurementsAndQualitativeEvaluations(
            tracking_identifier=structure.name,
            tracking_unique_identifier=stable_uid(seed, "tracking", structure.label),
            finding=structure.type,
            referenced_segment=Reference(seg_reference.sop_class_uid,
                                         seg_reference.sop_instance_uid,
                                         segments=(segment_of[structure.label],),
                                         study_uid=seg_reference.study_uid,
                                         series_uid=seg_reference.series_uid),
            source_series_for_segmentation=text_of(ct[0], "SeriesInstanceUID"),
            roi_measurements=templates.ROIMeasurements(
                measurement=measurements, finding_site=[site] if site else None)))
    return templates.MeasurementReport(
        document_title=CID7021.ImagingMeasurementReport,
        observation_context=templates.ObservationContext(observer_context=[
            templates.ObserverContext(
                observer_type=CID270.Person,
                person_observer_identifying_attributes=(
                    templates.PersonObserverIdentifyingAttributes(
                        person_observer_name="Synthetic^Reader")))]),
        procedure_reported=[CID100.CTUnspecifiedBodyRegion],
        image_library=templates.ImageLibrary(image_library_group=[
            templates.ImageLibraryGroup(image_library_entry=[
                templates.ImageLibraryEntry(image=Reference.to(ct[index]))
                for index in sorted(shown)])]),
        volumetric_roi_measurements_and_qualitative_evaluations=groups)


def key_objects(ct: list[DatasetBase], slices: list[int]) -> KeyObjectSelection:
    """TID 2010: "Of Interest", the CT slices through the lesions."""
    from authoring.codes import CID7010
    from authoring.sr import templates
    from authoring.sr.values import Reference

    return templates.KeyObjectSelection(
        document_title=CID7010.OfInterest,
        key_object_description="The CT slices through each lesion of the phantom",
        image=[Reference.to(ct[index]) for index in slices])


#: ROI Display Color of each structure, by label (organs muted, lesions bright).
COLOURS = {2: (128, 174, 255), 3: (128, 174, 255), 4: (221, 130, 101), 5: (185, 102, 83),
           6: (185, 102, 83), 7: (241, 214, 145), 8: (255, 0, 0), 9: (255, 64, 0),
           10: (255, 0, 128), 11: (241, 214, 145)}


def structure_set(phantom: Phantom, ct: list[DatasetBase], base: DatasetBase,
                  labels: list[int], extra: Sequence[tuple[Structure, Array, str]] = ()
                  ) -> tuple[DatasetBase, dict[int, int]]:
    """An RT Structure Set of the structures ``labels`` (ROI n is ``labels[n-1]``): per
    structure and CT slice, closed planar contours traced along the pixel edges of its
    labels (holes as contours of their own), each naming its CT instance; lesions are GTVs,
    the body EXTERNAL, organs ORGAN. ``extra`` structures that overlap the labels (a PTV)
    follow, each with its mask and RT ROI Interpreted Type. Returns the data set and the
    number of contours per label."""
    from authoring.synth.contours import trace

    geometry = phantom.geometry
    by_label = {s.label: s for s in phantom.structures}
    masks = {structure.label: mask for structure, mask, _ in extra}
    kinds = {structure.label: kind for structure, _, kind in extra}
    by_label |= {structure.label: structure for structure, _, _ in extra}
    labels = [*labels, *(structure.label for structure, _, _ in extra)]
    rtss = base
    for keyword in ("ReferencedFrameOfReferenceSequence", "StructureSetROISequence",
                    "ROIContourSequence", "RTROIObservationsSequence"):
        if keyword in rtss:
            del rtss[keyword]
    frame = text_of(ct[0], "FrameOfReferenceUID")
    if "FrameOfReferenceUID" in rtss:
        rtss.replace_value("FrameOfReferenceUID", frame)
    rtss.replace_value("StructureSetLabel", "PHANTOM")
    rtss.set_value("StructureSetName", "Ground truth of the synthetic phantom")
    rtss.set_value("ReferencedFrameOfReferenceSequence", [sequence_item(
        FrameOfReferenceUID=frame,
        RTReferencedStudySequence=[sequence_item(
            ReferencedSOPClassUID="1.2.840.10008.3.1.2.3.1",  # Study Component Management
            ReferencedSOPInstanceUID=text_of(ct[0], "StudyInstanceUID"),
            RTReferencedSeriesSequence=[sequence_item(
                SeriesInstanceUID=text_of(ct[0], "SeriesInstanceUID"),
                ContourImageSequence=[reference_item(dataset) for dataset in ct])])])],
        "SQ")
    ox, oy, _ = geometry.origin
    spacing = geometry.pixel_spacing
    rois: list[DatasetBase] = []
    contours_of: list[DatasetBase] = []
    observations: list[DatasetBase] = []
    counts: dict[int, int] = {}
    for number, label in enumerate(labels, start=1):
        structure = by_label[label]
        rois.append(sequence_item(ROINumber=number, ReferencedFrameOfReferenceUID=frame,
                          ROIName=structure.name, ROIGenerationAlgorithm="MANUAL"))
        contours: list[DatasetBase] = []
        if label in masks:
            mask = masks[label]
            first, top, left = 0, 0, 0
        else:  # within the structure's box: its slices and rows, not the volume's
            box, mask = phantom.cropped_mask(label)
            first, top, left = box[0].start, box[1].start, box[2].start
        for at in range(mask.shape[0]):
            if not mask[at].any():
                continue
            index = first + at
            z = decimal_string(geometry.position(index)[2])
            for loop in trace(mask[at]):
                points: list[str] = []
                for r, c in loop:
                    points += [decimal_string(ox + (left + c - 0.5) * spacing),
                               decimal_string(oy + (top + r - 0.5) * spacing), z]
                contours.append(sequence_item(
                    ContourImageSequence=[reference_item(ct[index])],
                    ContourGeometricType="CLOSED_PLANAR", NumberOfContourPoints=len(loop),
                    ContourData=tuple(points)))
        counts[label] = len(contours)
        contour = sequence_item(ReferencedROINumber=number,
                        ROIDisplayColor=COLOURS.get(label, (0, 255, 0)))
        contour.set_value("ContourSequence", contours, "SQ")
        contours_of.append(contour)
        observations.append(sequence_item(ObservationNumber=number, ReferencedROINumber=number,
                                  RTROIInterpretedType=kinds.get(label) or (
                                      "GTV" if structure.lesion else
                                      "EXTERNAL" if label == 1 else "ORGAN"),
                                  ROIInterpreter=""))
    rtss.set_value("StructureSetROISequence", rois, "SQ")
    rtss.set_value("ROIContourSequence", contours_of, "SQ")
    rtss.set_value("RTROIObservationsSequence", observations, "SQ")
    return rtss, counts


def reference_item(dataset: DatasetBase) -> DatasetBase:
    """An item referencing ``dataset`` (its SOP Class and Instance UIDs)."""
    return sequence_item(ReferencedSOPClassUID=text_of(dataset, "SOPClassUID"),
                 ReferencedSOPInstanceUID=text_of(dataset, "SOPInstanceUID"))


def presentation_state(phantom: Phantom, ct: list[DatasetBase], base: DatasetBase,
                       truths: dict[int, dict[str, Any]]
                       ) -> tuple[DatasetBase, list[dict[str, Any]]]:
    """A Grayscale Softcopy Presentation State of the CT series: on the slice through the
    middle of each lesion, a circle around it (centre and radius from its labels on that
    slice, in PIXEL units, PS3.3 C.10.5) and its name; a soft-tissue window. Returns the
    data set and, per lesion, the slice and the circle drawn."""
    import numpy as np

    geometry = phantom.geometry
    gsps = base
    for keyword in ("ReferencedSeriesSequence", "GraphicAnnotationSequence",
                    "GraphicLayerSequence", "SoftcopyVOILUTSequence"):
        if keyword in gsps:
            del gsps[keyword]
    # General Series Laterality, Type 2C, "required if the body part is paired": dicom3tools
    # requires it of a presentation state (no image laterality; it cannot tell paired body
    # parts) and forbids it in a segmentation, where PixelMed requires it; empty here
    gsps.set_value("Laterality", "")
    gsps.replace_value("ContentLabel", "LESIONS")
    gsps.replace_value("ContentDescription", "The phantom's lesions, circled")
    annotations: list[DatasetBase] = []
    drawn: list[dict[str, Any]] = []
    shown: list[int] = []
    for structure in phantom.lesions:
        slices = truths[structure.label]["slices"]
        index = int(slices[len(slices) // 2])
        rows, columns = np.nonzero(phantom.mask(structure.label)[index])
        centre = (float(columns.mean()) + 0.5, float(rows.mean()) + 0.5)  # column, row
        radius = float(np.sqrt(len(rows) / np.pi)) + 1.0
        shown.append(index)
        drawn.append({"name": structure.name, "slice": index,
                      "centre_column_row": [round(centre[0], 3), round(centre[1], 3)],
                      "radius_pixels": round(radius, 3)})
        annotations.append(sequence_item(
            ReferencedImageSequence=[reference_item(ct[index])],
            GraphicLayer="LESIONS",
            TextObjectSequence=[sequence_item(
                AnchorPointAnnotationUnits="PIXEL", UnformattedTextValue=structure.name,
                AnchorPoint=(round(centre[0], 3), round(max(centre[1] - radius - 2, 0), 3)),
                AnchorPointVisibility="N")],
            GraphicObjectSequence=[sequence_item(
                GraphicAnnotationUnits="PIXEL", GraphicDimensions=2,
                NumberOfGraphicPoints=2,
                GraphicData=(round(centre[0], 3), round(centre[1], 3),
                             round(centre[0] + radius, 3), round(centre[1], 3)),
                GraphicType="CIRCLE", GraphicFilled="N")]))
    gsps.set_value("ReferencedSeriesSequence", [sequence_item(
        SeriesInstanceUID=text_of(ct[0], "SeriesInstanceUID"),
        ReferencedImageSequence=[reference_item(ct[i]) for i in sorted(set(shown))])], "SQ")
    gsps.set_value("GraphicLayerSequence", [sequence_item(
        GraphicLayer="LESIONS", GraphicLayerOrder=1,
        GraphicLayerDescription="Lesions of the synthetic phantom")], "SQ")
    gsps.set_value("GraphicAnnotationSequence", annotations, "SQ")
    gsps.set_value("SoftcopyVOILUTSequence", [sequence_item(WindowCenter="40", WindowWidth="400")],
                   "SQ")
    spacing = decimal_string(geometry.pixel_spacing)
    area = sequence_item(DisplayedAreaTopLeftHandCorner=(1, 1),
                 DisplayedAreaBottomRightHandCorner=(geometry.columns, geometry.rows),
                 PresentationSizeMode="SCALE TO FIT",
                 PresentationPixelSpacing=(spacing, spacing))
    gsps.set_value("DisplayedAreaSelectionSequence", [area], "SQ")
    return gsps, drawn
