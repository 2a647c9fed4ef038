"""Screening mammography of a seeded pair of breasts: the four standard views (right and
left cranio-caudal and medio-lateral oblique) with their laterality, view codes and patient
orientation, a mass in one breast and a cluster of calcifications in the other at places the
seed chooses, and the Mammography CAD SR (PS3.16 TID 4000) whose single image findings
point at them.

Each view is a projection: the breast a half ellipse against the chest wall (on the left of
a left breast's image, on the right of a right breast's, IHE Mammography Image display
convention), fibroglandular texture, the pectoral muscle in the oblique views; a lesion
keeps its distance from the chest wall in both views of its breast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authoring.core.code import Code
from authoring.synth.derived import decimal_string, sequence_item
from authoring.synth.values import stable_uid

if TYPE_CHECKING:
    import numpy.typing as npt

    from authoring.object.dataset import DatasetBase

    Array = npt.NDArray[Any]

#: PS3.16 CID 4014 (View for Mammography) and CID 6022 (Side)
CRANIO_CAUDAL = Code("399162004", "SCT", "cranio-caudal")
MEDIO_LATERAL_OBLIQUE = Code("399368009", "SCT", "medio-lateral oblique")
BREAST = {"R": Code("73056007", "SCT", "Right breast"), "L": Code("80248007", "SCT", "Left breast")}
#: PS3.16 CID 6014 (Mammography Single Image Finding)
DENSITY = Code("129793001", "SCT", "Mammography breast density")
CALCIFICATION_CLUSTER = Code("129769006", "SCT", "Calcification Cluster")
#: IHE Mammography Image profile: Patient Orientation of each view (row \\ column)
ORIENTATION = {("R", "CC"): ("P", "L"), ("L", "CC"): ("A", "R"),
               ("R", "MLO"): ("P", "FL"), ("L", "MLO"): ("A", "FR")}
VIEWS = (("R", "CC"), ("L", "CC"), ("R", "MLO"), ("L", "MLO"))


@dataclass(frozen=True)
class Lesion:
    """A lesion in one breast: its kind (``mass`` or ``calcifications``), its depth from
    the chest wall (fraction of the breast's depth) and its place across the breast in
    each view (fraction from the top), its radius (pixels) and, for calcifications, the
    offsets of each calcification from the cluster's centre."""

    kind: str
    side: str
    depth: float
    across: dict[str, float]
    radius: float
    specks: tuple[tuple[float, float], ...] = ()


def lesions(seed: int, rows: int) -> list[Lesion]:
    """A mass in one breast and a calcification cluster in the other (sides, places and
    sizes from the seed)."""
    import numpy as np

    rng = np.random.default_rng([seed, 6000])
    mass_side = "R" if rng.random() < 0.5 else "L"
    other = "L" if mass_side == "R" else "R"
    count = int(rng.integers(6, 11))
    specks = tuple((round(float(x), 2), round(float(y), 2))
                   for x, y in rng.uniform(-1, 1, (count, 2)) * rows * 0.03)
    return [Lesion("mass", mass_side, round(float(rng.uniform(0.35, 0.6)), 3),
                   {"CC": round(float(rng.uniform(0.35, 0.65)), 3),
                    "MLO": round(float(rng.uniform(0.4, 0.6)), 3)},
                   round(float(rng.uniform(0.035, 0.055)) * rows, 2)),
            Lesion("calcifications", other, round(float(rng.uniform(0.3, 0.6)), 3),
                   {"CC": round(float(rng.uniform(0.35, 0.65)), 3),
                    "MLO": round(float(rng.uniform(0.4, 0.6)), 3)},
                   round(rows * 0.03 + 2, 2), specks)]


def _centre(lesion: Lesion, view: str, rows: int, columns: int) -> tuple[float, float]:
    """The lesion's centre (column, row; pixel centres at .5) on ``view`` of its breast."""
    depth = lesion.depth * columns * 0.85  # from the chest wall
    column = depth if lesion.side == "L" else columns - depth
    return round(column, 2), round(rows * (0.1 + 0.8 * lesion.across[view]), 2)


def render(side: str, view: str, rows: int, columns: int, found: list[Lesion],
           seed: int) -> tuple[Array, list[dict[str, Any]]]:
    """One view's stored values (12-bit) and, for each lesion of that breast, its centre,
    radius and (for calcifications) each speck's centre."""
    import numpy as np

    rng = np.random.default_rng([seed, ord(side), len(view)])
    r, c = np.mgrid[0:rows, 0:columns].astype(np.float64) + 0.5
    from_wall = c if side == "L" else columns - c
    breast = (from_wall / (0.9 * columns)) ** 2 + ((r - rows / 2) / (0.46 * rows)) ** 2 <= 1
    image = np.full((rows, columns), 120.0)
    texture = np.zeros((rows, columns))
    for block, weight in ((16, 0.7), (8, 0.5), (4, 0.3)):  # blobs of several sizes
        coarse = rng.normal(0.0, weight, (rows // block + 1, columns // block + 1))
        texture += np.kron(coarse, np.ones((block, block)))[:rows, :columns]
    image[breast] = 1500 + 180 * texture[breast] + 500 * np.exp(-from_wall[breast]
                                                                 / (0.4 * columns))
    if view == "MLO":  # the pectoral muscle, a triangle in the upper chest-wall corner
        muscle = breast & (from_wall / (0.3 * columns) + r / (0.45 * rows) <= 1)
        image[muscle] = 2700 + 60 * texture[muscle]
    truth: list[dict[str, Any]] = []
    for lesion in found:
        if lesion.side != side:
            continue
        column, row = _centre(lesion, view, rows, columns)
        entry: dict[str, Any] = {"kind": lesion.kind, "centre": [column, row],
                                 "radius": lesion.radius}
        if lesion.kind == "mass":
            distance = np.hypot(c - column, r - row)
            image += 700 / (1 + np.exp((distance - lesion.radius) / 1.2))
        else:
            specks = [[round(column + dx, 2), round(row + dy, 2)] for dx, dy in lesion.specks]
            for x, y in specks:
                image[np.hypot(c - x, r - y) <= 1.5] += 1800
            entry["specks"] = specks
        truth.append(entry)
    image += rng.normal(0.0, 20.0, image.shape)
    return np.clip(image, 0, 4095).round().astype(np.uint16), truth


def views(base: DatasetBase, found: list[Lesion], rows: int, columns: int, seed: int,
          patient: int) -> tuple[list[DatasetBase], list[dict[str, Any]]]:
    """The four views as Digital Mammography X-Ray Images For Presentation of one series:
    laterality, view code, patient orientation and positioner angle per view; and per view
    the lesions on it."""
    from authoring.pixels.native import pixel_attributes

    out: list[DatasetBase] = []
    truths: list[dict[str, Any]] = []
    for number, (side, view) in enumerate(VIEWS, start=1):
        pixels, on_view = render(side, view, rows, columns, found, seed)
        image = base.copy()
        code = CRANIO_CAUDAL if view == "CC" else MEDIO_LATERAL_OBLIQUE
        for keyword, value in (
                ("SOPInstanceUID", stable_uid(seed, "mammography", patient, side, view)),
                ("InstanceNumber", str(number)), ("ImageLaterality", side),
                ("PatientOrientation", ORIENTATION[(side, view)]),
                ("BodyPartExamined", "BREAST"), ("ImageType", ("ORIGINAL", "PRIMARY")),
                ("PresentationIntentType", "FOR PRESENTATION"),
                ("PositionerPrimaryAngle", decimal_string(
                    0 if view == "CC" else (45 if side == "R" else -45))),
                ("BitsStored", 12), ("HighBit", 11), ("PixelRepresentation", 0),
                ("WindowCenter", "1900"), ("WindowWidth", "2400"),
                ("SeriesDescription", "Screening mammography")):
            image.set_value(keyword, value)
        image.set_value("ViewCodeSequence", [sequence_item(
            CodeValue=code.value, CodingSchemeDesignator=code.scheme,
            CodeMeaning=code.meaning)], "SQ")
        image["ViewCodeSequence"].value[0].set_value("ViewModifierCodeSequence", [], "SQ")
        image.set_value("AnatomicRegionSequence", [sequence_item(  # CID 4013
            CodeValue="76752008", CodingSchemeDesignator="SCT", CodeMeaning="Breast")], "SQ")
        image.set_value("AcquisitionContextSequence", [], "SQ")
        if "Laterality" in image:  # the series holds both breasts: laterality per image
            del image["Laterality"]
        data = pixel_attributes(pixels, photometric="MONOCHROME2", bits_stored=12,
                                multi_frame=False)
        for keyword in ("Rows", "Columns"):
            image.set_value(keyword, data[keyword])
        image.replace_value("PixelData", data["PixelData"], "OW")
        out.append(image)
        truths.append({"laterality": side, "view": view,
                       "patient_orientation": list(ORIENTATION[(side, view)]),
                       "lesions": on_view})
    return out, truths


def _code(concept: Code) -> DatasetBase:
    return sequence_item(CodeValue=concept.value, CodingSchemeDesignator=concept.scheme,
                         CodeMeaning=concept.meaning)


def _item(relationship: str, value_type: str, name: Code | None, **values: Any) -> DatasetBase:
    item = sequence_item(RelationshipType=relationship, ValueType=value_type)
    if name is not None:
        item.set_value("ConceptNameCodeSequence", [_code(name)], "SQ")
    for keyword, value in values.items():
        if isinstance(value, Code):
            item.set_value(keyword, [_code(value)], "SQ")
        elif isinstance(value, list):
            item.set_value(keyword, value, "SQ")
        else:
            item.set_value(keyword, value)
    if value_type == "CONTAINER":
        item.set_value("ContinuityOfContent", "SEPARATE")
    return item


def _children(item: DatasetBase, children: list[DatasetBase]) -> DatasetBase:
    item.set_value("ContentSequence", children, "SQ")
    return item


def _num(relationship: str, name: Code, value: float, unit: Code) -> DatasetBase:
    return _item(relationship, "NUM", name, MeasuredValueSequence=[sequence_item(
        NumericValue=decimal_string(value), MeasurementUnitsCodeSequence=[_code(unit)])])


DCM = "DCM"


def _dcm(value: str, meaning: str) -> Code:
    return Code(value, DCM, meaning)


ALGORITHM = ("authoring synthetic CAD", "1.0")


def _algorithm() -> list[DatasetBase]:
    return [_item("HAS PROPERTIES", "TEXT", _dcm("111001", "Algorithm Name"),
                  TextValue=ALGORITHM[0]),
            _item("HAS PROPERTIES", "TEXT", _dcm("111003", "Algorithm Version"),
                  TextValue=ALGORITHM[1])]


def cad_report(document: DatasetBase, images: list[DatasetBase],
               truths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill ``document`` (a Mammography CAD SR) with TID 4000: language (TID 1204); the
    image library of the four views (TID 4020: laterality, view, patient orientation);
    the overall impression (TID 4001) "All algorithms succeeded; with findings" inferred
    from one individual impression (TID 4003) holding a single image finding (TID 4006)
    per lesion per view, its centre a POINT selected from the view's library entry (by
    reference); the summary of detections (TID 4015, every view examined for masses and
    calcifications) and of analyses (not attempted); the evidence listing the four views.
    Returns, per finding, what it says (for the manifest)."""
    from authoring.sr.template import list_evidence
    from authoring.sr.values import Reference

    library: list[DatasetBase] = []
    for image, truth in zip(images, truths, strict=True):
        view = CRANIO_CAUDAL if truth["view"] == "CC" else MEDIO_LATERAL_OBLIQUE
        row, column = truth["patient_orientation"]
        entry = _item("CONTAINS", "IMAGE", None, ReferencedSOPSequence=[sequence_item(
            ReferencedSOPClassUID=str(image.get("SOPClassUID")),
            ReferencedSOPInstanceUID=str(image.get("SOPInstanceUID")))])
        library.append(_children(entry, [
            _item("HAS ACQ CONTEXT", "CODE", _dcm("111027", "Image Laterality"),
                  ConceptCodeSequence=BREAST[truth["laterality"]]),
            _item("HAS ACQ CONTEXT", "CODE", _dcm("111031", "Image View"),
                  ConceptCodeSequence=view),
            _item("HAS ACQ CONTEXT", "TEXT", _dcm("111044", "Patient Orientation Row"),
                  TextValue=row),
            _item("HAS ACQ CONTEXT", "TEXT", _dcm("111043", "Patient Orientation Column"),
                  TextValue=column)]))
    # root's children: 1 language, 2 image library (its entries 2.1 ... 2.4), 3 summary
    findings: list[DatasetBase] = []
    said: list[dict[str, Any]] = []
    presentation = _dcm("111150", "Presentation Required: Rendering device is expected "
                                  "to present")
    for index, truth in enumerate(truths, start=1):
        for lesion in truth["lesions"]:
            kind = DENSITY if lesion["kind"] == "mass" else CALCIFICATION_CLUSTER
            column, row = lesion["centre"]
            centre = _item("HAS PROPERTIES", "SCOORD", _dcm("111010", "Center"),
                           GraphicType="POINT", GraphicData=(float(column), float(row)))
            selected = sequence_item(RelationshipType="SELECTED FROM")
            selected.set_value("ReferencedContentItemIdentifier", (1, 2, index), "UL")
            centre.set_value("ContentSequence", [selected], "SQ")
            body = [_item("HAS CONCEPT MOD", "CODE", _dcm("111056", "Rendering Intent"),
                          ConceptCodeSequence=presentation), *_algorithm(), centre]
            if lesion["kind"] == "mass":
                body += [
                    _item("HAS PROPERTIES", "CODE", _dcm("111035", "Lesion Density"),
                          ConceptCodeSequence=Code("129744006", "SCT",
                                                   "High density lesion")),
                    _item("HAS PROPERTIES", "CODE", Code("107644003", "SCT", "Shape"),
                          ConceptCodeSequence=Code("42700002", "SCT", "Round shape")),
                    _item("HAS PROPERTIES", "CODE", _dcm("111037", "Margins"),
                          ConceptCodeSequence=Code("129738007", "SCT",
                                                   "Circumscribed lesion"))]
            else:
                body += [
                    _item("HAS PROPERTIES", "CODE", _dcm("111009", "Calcification Type"),
                          ConceptCodeSequence=Code("129755006", "SCT",
                                                   "Punctate calcification")),
                    _item("HAS PROPERTIES", "CODE", _dcm("111008",
                                                         "Calcification Distribution"),
                          ConceptCodeSequence=Code("129766004", "SCT",
                                                   "Grouped calcification distribution")),
                    _num("HAS PROPERTIES", _dcm("111038", "Number of calcifications"),
                         len(lesion["specks"]), Code("1", "UCUM", "no units"))]
            findings.append(_children(_item(
                "CONTAINS", "CODE", _dcm("111059", "Single Image Finding"),
                ConceptCodeSequence=kind), body))
            said.append({"view": index, "laterality": truth["laterality"],
                         "image_view": truth["view"], "finding": kind.meaning,
                         "centre": [column, row]})
    impression = _children(_item("INFERRED FROM", "CONTAINER",
                                 _dcm("111034", "Individual Impression/Recommendation")), [
        _item("HAS CONCEPT MOD", "CODE", _dcm("111056", "Rendering Intent"),
              ConceptCodeSequence=presentation), *findings])
    summary = _children(_item("CONTAINS", "CODE",
                              _dcm("111017", "CAD Processing and Findings Summary"),
                              ConceptCodeSequence=_dcm("111242", "All algorithms "
                                                                 "succeeded; with findings")),
                        [impression])
    examined = [_item("HAS PROPERTIES", "IMAGE", None, ReferencedSOPSequence=[sequence_item(
        ReferencedSOPClassUID=str(image.get("SOPClassUID")),
        ReferencedSOPInstanceUID=str(image.get("SOPInstanceUID")))]) for image in images]
    detections = _children(_item("CONTAINS", "CODE", _dcm("111064", "Summary of Detections"),
                                 ConceptCodeSequence=_dcm("111222", "Succeeded")), [
        _children(_item("INFERRED FROM", "CONTAINER", _dcm("111063", "Successful Detections")),
                  [_children(_item("CONTAINS", "CODE", _dcm("111022", "Detection Performed"),
                                   ConceptCodeSequence=kind), [*_algorithm(), *examined])
                   for kind in (DENSITY, CALCIFICATION_CLUSTER)])])
    analyses = _item("CONTAINS", "CODE", _dcm("111065", "Summary of Analyses"),
                     ConceptCodeSequence=_dcm("111225", "Not Attempted"))
    language = _children(_item(
        "HAS CONCEPT MOD", "CODE", _dcm("121049", "Language of Content Item and Descendants"),
        ConceptCodeSequence=Code("en-US", "RFC5646", "English (United States)")), [
        _item("HAS CONCEPT MOD", "CODE", _dcm("121046", "Country of Language"),
              ConceptCodeSequence=Code("US", "ISO3166_1", "United States"))])
    image_library = _children(_item("CONTAINS", "CONTAINER", _dcm("111028", "Image Library")),
                              library)
    for keyword, value in (("ValueType", "CONTAINER"), ("ContinuityOfContent", "SEPARATE"),
                           ("CompletionFlag", "COMPLETE"), ("VerificationFlag", "UNVERIFIED")):
        document.set_value(keyword, value)
    document.set_value("ConceptNameCodeSequence", [_code(_dcm("111036",
                                                              "Mammography CAD Report"))], "SQ")
    document.set_value("ContentTemplateSequence", [sequence_item(
        MappingResource="DCMR", TemplateIdentifier="4000")], "SQ")
    document.set_value("ContentSequence", [language, image_library, summary, detections,
                                           analyses], "SQ")
    document.set_value("PerformedProcedureCodeSequence", [], "SQ")  # Type 2
    list_evidence(document, [Reference.to(image) for image in images])
    return said

