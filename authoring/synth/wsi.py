"""A whole slide of H&E-stained tissue: the slide rendered from a seeded ground truth
(tissue outline, nuclei of known centre and radius, a tumour region of known outline where
nuclei are denser and larger), a resolution pyramid of VL Whole Slide Microscopy instances
(TILED_FULL tiles, each level half the one below, Total Pixel Matrix and Imaged Volume to
match), and a Microscopy Bulk Simple Annotations object of the nuclei (points) and the
tumour (a polygon) over the base level.

Coordinates of the truth and of the annotations are in the base level's Total Pixel Matrix
(column, row; the centre of the top left pixel is 0.5, 0.5 as PS3.3 C.37.1.2 counts with
Pixel Origin Interpretation VOLUME).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authoring.synth.derived import decimal_string, reference_item, sequence_item, text_of
from authoring.synth.values import stable_uid

if TYPE_CHECKING:
    import numpy.typing as npt

    from authoring.object.dataset import DatasetBase

    Array = npt.NDArray[Any]

BASE_SPACING_MM = 0.0005  # 0.5 um per pixel at the base level (20x)
GLASS = (242, 240, 244)
EOSIN = (232, 168, 200)
HEMATOXYLIN = (86, 52, 140)
TUMOUR_HEMATOXYLIN = (60, 30, 110)


@dataclass(frozen=True)
class Nucleus:
    """A nucleus: centre (column, row in base pixels), radius (pixels), in the tumour or
    not."""

    column: float
    row: float
    radius: float
    tumour: bool


@dataclass
class Slide:
    """The rendered base level and its truth."""

    pixels: Array  # rows x columns x 3, uint8
    nuclei: list[Nucleus]
    tumour_outline: list[tuple[float, float]]  # (column, row), closed implicitly
    tissue_fraction: float


def _inside_polygon(columns: Array, rows: Array, outline: list[tuple[float, float]]) -> Array:
    """Even-odd rule: whether each point is inside the closed polygon."""
    import numpy as np

    inside = np.zeros(columns.shape, dtype=bool)
    count = len(outline)
    for index in range(count):
        x1, y1 = outline[index]
        x2, y2 = outline[(index + 1) % count]
        crosses = (y1 > rows) != (y2 > rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x1 + (rows - y1) * (x2 - x1) / (y2 - y1)
        inside ^= crosses & (columns < at)
    return inside


def render_slide(seed: int, width: int, height: int) -> Slide:
    """The base level (``width`` x ``height`` pixels): glass, an elliptic tissue section
    stained pink with texture, nuclei scattered over it (about one per 900 pixels, radius 4
    to 6; in the tumour, an irregular decagon the seed places, three times denser, radius 6
    to 9 and darker), with seeded noise."""
    import numpy as np

    rng = np.random.default_rng([seed, 4242])
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float64) + 0.5
    tissue = (((columns - width / 2) / (0.44 * width)) ** 2
              + ((rows - height / 2) / (0.42 * height)) ** 2) <= 1.0
    centre = (width * (0.35 + 0.3 * rng.random()), height * (0.35 + 0.3 * rng.random()))
    radius = 0.16 * min(width, height)
    outline = [(round(centre[0] + radius * (0.75 + 0.35 * rng.random()) * math.cos(angle), 2),
                round(centre[1] + radius * (0.75 + 0.35 * rng.random()) * math.sin(angle), 2))
               for angle in np.linspace(0, 2 * math.pi, 10, endpoint=False)]
    tumour = _inside_polygon(columns, rows, outline) & tissue
    image = np.empty((height, width, 3), dtype=np.float64)
    image[:] = GLASS
    texture = rng.normal(0.0, 6.0, (height, width, 1))
    image[tissue] = np.asarray(EOSIN, dtype=np.float64) + texture[tissue]
    nuclei: list[Nucleus] = []
    candidates = int(tissue.sum() / 900) + 1
    for column, row in zip(rng.uniform(0, width, candidates * 3),
                           rng.uniform(0, height, candidates * 3), strict=True):
        r, c = int(row), int(column)
        if not tissue[r, c]:
            continue
        in_tumour = bool(tumour[r, c])
        if not in_tumour and rng.random() > 1 / 3:  # three times denser in the tumour
            continue
        size = float(rng.uniform(6, 9) if in_tumour else rng.uniform(4, 6))
        if any((n.column - column) ** 2 + (n.row - row) ** 2 < (n.radius + size + 2) ** 2
               for n in nuclei[-400:]):
            continue  # no overlap with the nuclei placed nearby
        nuclei.append(Nucleus(round(float(column), 2), round(float(row), 2), round(size, 2),
                              in_tumour))
    for nucleus in nuclei:
        top, bottom = int(max(nucleus.row - nucleus.radius - 1, 0)), \
            int(min(nucleus.row + nucleus.radius + 2, height))
        left, right = int(max(nucleus.column - nucleus.radius - 1, 0)), \
            int(min(nucleus.column + nucleus.radius + 2, width))
        window_rows, window_columns = rows[top:bottom, left:right], columns[top:bottom, left:right]
        disc = ((window_rows - nucleus.row) ** 2 + (window_columns - nucleus.column) ** 2
                <= nucleus.radius ** 2)
        colour = np.asarray(TUMOUR_HEMATOXYLIN if nucleus.tumour else HEMATOXYLIN, float)
        image[top:bottom, left:right][disc] = colour + texture[top:bottom, left:right][disc]
    image += rng.normal(0.0, 3.0, (height, width, 1))  # grey noise, as a sensor's
    return Slide(np.clip(image, 0, 255).round().astype(np.uint8), nuclei, outline,
                 round(float(tissue.mean()), 4))


def pyramid(base: Array, tile: int) -> list[Array]:
    """The levels: the base, then each the mean of 2 x 2 blocks of the one below (an odd
    edge repeats its last row or column), until one tile holds the whole level."""
    import numpy as np

    levels = [base]
    while max(levels[-1].shape[:2]) > tile:
        level = levels[-1].astype(np.float64)
        if level.shape[0] % 2:
            level = np.concatenate([level, level[-1:]], axis=0)
        if level.shape[1] % 2:
            level = np.concatenate([level, level[:, -1:]], axis=1)
        half = (level[0::2, 0::2] + level[1::2, 0::2] + level[0::2, 1::2]
                + level[1::2, 1::2]) / 4
        levels.append(half.round().astype(np.uint8))
    return levels


def tiles(level: Array, tile: int) -> Array:
    """The level cut into ``tile`` x ``tile`` frames in TILED_FULL order (left to right,
    then top to bottom), the right and bottom tiles padded with glass."""
    import numpy as np

    height, width = level.shape[:2]
    across, down = math.ceil(width / tile), math.ceil(height / tile)
    padded = np.empty((down * tile, across * tile, 3), dtype=np.uint8)
    padded[:] = GLASS
    padded[:height, :width] = level
    return (padded.reshape(down, tile, across, tile, 3).transpose(0, 2, 1, 3, 4)
            .reshape(down * across, tile, tile, 3))


def level_instance(base: DatasetBase, level: Array, index: int, tile: int, seed: int,
                   patient: int, organization_uid: str) -> DatasetBase:
    """The VL Whole Slide Microscopy instance of pyramid level ``index`` (0: the base):
    RGB tiles, Total Pixel Matrix and Imaged Volume of the level, pixel spacing doubling
    per level, ORIGINAL for the base and DERIVED/RESAMPLED above it."""
    from authoring.pixels.icc import srgb_profile

    frames = tiles(level, tile)
    height, width = level.shape[:2]
    spacing = BASE_SPACING_MM * 2 ** index
    instance = base.copy()
    image_type = (("ORIGINAL", "PRIMARY", "VOLUME", "NONE") if index == 0
                  else ("DERIVED", "PRIMARY", "VOLUME", "RESAMPLED"))
    for keyword in ("RescaleIntercept", "RescaleSlope", "PresentationLUTShape",
                    "PerFrameFunctionalGroupsSequence", "DimensionIndexSequence"):
        if keyword in instance:
            del instance[keyword]
    for keyword, value in (
            ("SOPInstanceUID", stable_uid(seed, "wsi", patient, index)),
            ("InstanceNumber", str(index + 1)), ("ImageType", image_type),
            ("SamplesPerPixel", 3), ("PhotometricInterpretation", "RGB"),
            ("PlanarConfiguration", 0), ("BitsAllocated", 8), ("BitsStored", 8),
            ("HighBit", 7), ("PixelRepresentation", 0), ("Rows", tile), ("Columns", tile),
            ("NumberOfFrames", str(len(frames))), ("TotalPixelMatrixColumns", width),
            ("TotalPixelMatrixRows", height), ("TotalPixelMatrixFocalPlanes", 1),
            ("NumberOfOpticalPaths", 1), ("DimensionOrganizationType", "TILED_FULL"),
            ("ImagedVolumeWidth", width * spacing), ("ImagedVolumeHeight", height * spacing),
            ("ImagedVolumeDepth", 4.0), ("VolumetricProperties", "VOLUME"),
            ("SpecimenLabelInImage", "NO"), ("FocusMethod", "AUTO"),
            ("ExtendedDepthOfField", "NO"), ("ImageOrientationSlide",
                                                ("0", "-1", "0", "-1", "0", "0")),
            ("ContainerIdentifier", "SLIDE-1"), ("BurnedInAnnotation", "NO"),
            ("LossyImageCompression", "00"), ("PositionReferenceIndicator", "SLIDE_CORNER")):
        instance.set_value(keyword, value)
    instance.set_value("DimensionOrganizationSequence", [sequence_item(
        DimensionOrganizationUID=organization_uid)], "SQ")
    instance.set_value("TotalPixelMatrixOriginSequence", [sequence_item(
        XOffsetInSlideCoordinateSystem="20", YOffsetInSlideCoordinateSystem="40")], "SQ")
    instance.set_value("ContainerTypeCodeSequence", [sequence_item(
        CodeValue="433466003", CodingSchemeDesignator="SCT",
        CodeMeaning="Microscope slide")], "SQ")
    instance.set_value("AcquisitionContextSequence", [], "SQ")
    instance.set_value("IssuerOfTheContainerIdentifierSequence", [], "SQ")
    instance.set_value("SpecimenDescriptionSequence", [
        _specimen(stable_uid(seed, "wsi specimen", patient))], "SQ")
    optical = sequence_item(
        OpticalPathIdentifier="1", OpticalPathDescription="Brightfield, full spectrum",
        IlluminationTypeCodeSequence=[sequence_item(
            CodeValue="111744", CodingSchemeDesignator="DCM",
            CodeMeaning="Brightfield illumination")],
        IlluminationColorCodeSequence=[sequence_item(
            CodeValue="414298005", CodingSchemeDesignator="SCT",
            CodeMeaning="Full Spectrum")],
        ObjectiveLensPower="20")
    optical.set_value("ICCProfile", srgb_profile(), "OB")
    instance.set_value("OpticalPathSequence", [optical], "SQ")
    shared = sequence_item(
        PixelMeasuresSequence=[sequence_item(
            PixelSpacing=(decimal_string(spacing), decimal_string(spacing)),
            SliceThickness=decimal_string(0.004))],
        WholeSlideMicroscopyImageFrameTypeSequence=[sequence_item(FrameType=image_type)])
    instance.set_value("SharedFunctionalGroupsSequence", [shared], "SQ")
    instance.replace_value("PixelData", frames.tobytes(), "OB")
    return instance


def _content(value_type: str, name: tuple[str, str, str], value: str | tuple[str, str, str]
             ) -> DatasetBase:
    item = sequence_item(ValueType=value_type, ConceptNameCodeSequence=[sequence_item(
        CodeValue=name[0], CodingSchemeDesignator=name[1], CodeMeaning=name[2])])
    if isinstance(value, str):
        item.set_value("TextValue", value)
    else:
        item.set_value("ConceptCodeSequence", [sequence_item(
            CodeValue=value[0], CodingSchemeDesignator=value[1], CodeMeaning=value[2])], "SQ")
    return item


def _specimen(uid: str) -> DatasetBase:
    """The slide's specimen: its identifier and UID, and one preparation step (PS3.16 TID
    8001) staining it with hematoxylin and eosin (CID 8111, 8112)."""
    identifier = "SLIDE-1-S1"
    step = [_content("TEXT", ("121041", "DCM", "Specimen Identifier"), identifier),
            _content("CODE", ("111701", "DCM", "Processing type"),
                     ("127790008", "SCT", "Staining")),
            _content("CODE", ("424361007", "SCT", "Using substance"),
                     ("12710003", "SCT", "hematoxylin stain")),
            _content("CODE", ("424361007", "SCT", "Using substance"),
                     ("36879007", "SCT", "water soluble eosin stain"))]
    specimen = sequence_item(SpecimenIdentifier=identifier, SpecimenUID=uid,
                             SpecimenShortDescription="H&E section")
    specimen.set_value("IssuerOfTheSpecimenIdentifierSequence", [], "SQ")
    preparation = sequence_item()
    preparation.set_value("SpecimenPreparationStepContentItemSequence", step, "SQ")
    specimen.set_value("SpecimenPreparationSequence", [preparation], "SQ")
    return specimen


def _floats(values: list[float]) -> bytes:
    import numpy as np

    return np.asarray(values, dtype="<f4").tobytes()


def bulk_annotations(base: DatasetBase, slide: Slide, image: DatasetBase) -> DatasetBase:
    """The Microscopy Bulk Simple Annotations of the base level ``image``: group 1, the
    nuclei as points (their centres); group 2, the tumour as one polygon; 2D coordinates
    in the image's Total Pixel Matrix (Pixel Origin Interpretation VOLUME), the nuclei's
    areas (um2) as a measurement."""
    import numpy as np

    annotation = base
    for keyword in ("AnnotationGroupSequence", "ReferencedImageSequence",
                    "ReferencedSeriesSequence", "Laterality"):
        if keyword in annotation:
            del annotation[keyword]
    if "FrameOfReferenceUID" in annotation:  # 2D coordinates: no Frame of Reference
        del annotation["FrameOfReferenceUID"]
    annotation.set_value("Laterality", "")  # Type 2C: see derived.presentation_state
    annotation.set_value("AnnotationCoordinateType", "2D")
    annotation.set_value("PixelOriginInterpretation", "VOLUME")
    annotation.set_value("ContentLabel", "NUCLEI")
    annotation.set_value("ContentDescription", "Nuclei and tumour of the synthetic slide")
    annotation.set_value("ReferencedImageSequence", [reference_item(image)], "SQ")
    annotation.set_value("ReferencedSeriesSequence", [sequence_item(
        SeriesInstanceUID=text_of(image, "SeriesInstanceUID"),
        ReferencedInstanceSequence=[reference_item(image)])], "SQ")
    points: list[float] = []
    for nucleus in slide.nuclei:
        points += [nucleus.column, nucleus.row]
    spacing_um = BASE_SPACING_MM * 1000
    areas = [math.pi * (n.radius * spacing_um) ** 2 for n in slide.nuclei]
    nuclei = sequence_item(
        AnnotationGroupNumber=1,
        AnnotationGroupUID=stable_uid(0, "annotation group", text_of(image,
                                                                     "SOPInstanceUID"), 1),
        AnnotationGroupLabel="Nuclei",
        AnnotationGroupDescription="Centre of every nucleus of the ground truth",
        AnnotationGroupGenerationType="MANUAL",
        AnnotationPropertyCategoryCodeSequence=[sequence_item(
            CodeValue="91723000", CodingSchemeDesignator="SCT",
            CodeMeaning="Anatomical Structure")],
        AnnotationPropertyTypeCodeSequence=[sequence_item(
            CodeValue="84640000", CodingSchemeDesignator="SCT", CodeMeaning="Nucleus")],
        NumberOfAnnotations=len(slide.nuclei), AnnotationAppliesToAllOpticalPaths="YES",
        GraphicType="POINT",
        MeasurementsSequence=[sequence_item(
            ConceptNameCodeSequence=[sequence_item(
                CodeValue="42798000", CodingSchemeDesignator="SCT", CodeMeaning="Area")],
            MeasurementUnitsCodeSequence=[sequence_item(
                CodeValue="um2", CodingSchemeDesignator="UCUM", CodeMeaning="um2")],
            MeasurementValuesSequence=[sequence_item()])])
    nuclei["MeasurementsSequence"].value[0]["MeasurementValuesSequence"].value[0].set_value(
        "FloatingPointValues", _floats(areas), "OF")
    nuclei.set_value("PointCoordinatesData", _floats(points), "OF")
    outline: list[float] = []
    for column, row in slide.tumour_outline:
        outline += [column, row]
    tumour = sequence_item(
        AnnotationGroupNumber=2,
        AnnotationGroupUID=stable_uid(0, "annotation group", text_of(image,
                                                                     "SOPInstanceUID"), 2),
        AnnotationGroupLabel="Tumour",
        AnnotationGroupDescription="Outline of the tumour region of the ground truth",
        AnnotationGroupGenerationType="MANUAL",
        AnnotationPropertyCategoryCodeSequence=[sequence_item(
            CodeValue="49755003", CodingSchemeDesignator="SCT",
            CodeMeaning="Morphologically Abnormal Structure")],
        AnnotationPropertyTypeCodeSequence=[sequence_item(
            CodeValue="108369006", CodingSchemeDesignator="SCT", CodeMeaning="Neoplasm")],
        NumberOfAnnotations=1, AnnotationAppliesToAllOpticalPaths="YES",
        GraphicType="POLYGON")
    tumour.set_value("PointCoordinatesData", _floats(outline), "OF")
    # the first point of each polygon, as a 1-based index into the coordinate values
    tumour.set_value("LongPrimitivePointIndexList", np.asarray([1], "<u4").tobytes(), "OL")
    annotation.set_value("AnnotationGroupSequence", [nuclei, tumour], "SQ")
    return annotation
