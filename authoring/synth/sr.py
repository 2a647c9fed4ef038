"""Content trees for structured report documents. Where the IOD has a template we compile,
the tree follows it: TID 2000 (Basic Diagnostic Imaging Report) for Basic Text SR, TID 1500
(Measurement Report, one measurement group with a tracking identifier, a finding, its
site and two measurements) for Enhanced, Comprehensive and Comprehensive 3D SR, built with
the compiled template builders. Other SR IODs get a small, well-formed tree: the root a
CONTAINER (PS3.3 C.17.3) with a concept name, SEPARATE continuity, and one child it
CONTAINS (a TEXT finding; for CAD reports, a coded processing summary)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase

#: Root concept names by IOD (code value, scheme, meaning); facts of PS3.16.
ROOT_CONCEPTS = {
    "KeyObjectSelectionDocument": ("113000", "DCM", "Of Interest"),
    "XRayRadiationDoseSR": ("113701", "DCM", "X-Ray Radiation Dose Report"),
    "RadiopharmaceuticalRadiationDoseSR": ("113500", "DCM",
                                           "Radiopharmaceutical Radiation Dose Report"),
}
DEFAULT_ROOT = ("18748-4", "LN", "Diagnostic Imaging Report")
#: The child's concept: a key object description for KOS, else a finding.
CHILD_CONCEPTS = {"KeyObjectSelectionDocument": ("113012", "DCM", "Key Object Description")}
DEFAULT_CHILD = ("121071", "DCM", "Finding")
#: CAD reports, whose containers may not contain TEXT: a coded summary instead (PS3.16
#: CID 6047, "CAD Processing and Findings Summary").
CAD_SUMMARY = (("111017", "DCM", "CAD Processing and Findings Summary"),
               ("111242", "DCM", "All algorithms succeeded; without findings"))


def _code(value: str, scheme: str, meaning: str) -> DatasetBase:
    from authoring.object.dataset import Dataset

    code = Dataset()
    code.CodeValue = value
    code.CodingSchemeDesignator = scheme
    code.CodeMeaning = meaning
    return code


def _concept_for(table: dict[str, tuple[str, str, str]], iod: str,
                 default: tuple[str, str, str]) -> tuple[str, str, str]:
    for prefix, concept in table.items():
        if iod.startswith(prefix):
            return concept
    return default


#: IODs whose synthetic content follows a compiled template: IOD -> TID.
TEMPLATED = {"BasicTextSR": 2000, "EnhancedSR": 1500, "ComprehensiveSR": 1500,
             "Comprehensive3DSR": 1500}


def templated_report(tid: int, seed: str) -> Any:
    """The synthetic report of template ``tid`` (2000 or 1500); ``seed`` makes its UIDs
    and numbers."""
    import hashlib

    from authoring.codes import CID100, CID244, CID270, CID7000, CID7001, CID7002, CID7021
    from authoring.core.code import Code
    from authoring.core.uid import generate_uid
    from authoring.sr import templates
    from authoring.sr.values import Named, Quantity, ucum

    number = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:4], "big")
    observation = templates.ObservationContext(observer_context=[templates.ObserverContext(
        observer_type=CID270.Person,
        person_observer_identifying_attributes=templates.PersonObserverIdentifyingAttributes(
            person_observer_name="Synthetic^Reader"))])
    language = templates.LanguageOfContentItemAndDescendants(
        language_of_content_item_and_descendants=Code("en-US", "RFC5646",
                                                      "English (United States)"))
    diameter = 4 + number % 200 / 10  # 4.0 to 23.9 mm
    if tid == 2000:
        return templates.BasicDiagnosticImagingReport(
            document_title=CID7000.RadiologyReport,
            language_of_content_item_and_descendants=language,
            observation_context=observation,
            procedure_reported=[CID100.CTUnspecifiedBodyRegion],
            heading=[templates.Heading(heading=CID7001.Findings,
                                       report_narrative=templates.ReportNarrative(
                text_observation=[Named(CID7002.Finding,
                                        f"A {diameter:.1f} mm nodule (synthetic).")]))])
    return templates.MeasurementReport(
        document_title=CID7021.ImagingMeasurementReport,
        language_of_content_item_and_descendants=language,
        observation_context=observation,
        procedure_reported=[CID100.CTUnspecifiedBodyRegion],
        measurement_and_qualitative_evaluation_group=[
            templates.MeasurementAndQualitativeEvaluationGroup(
                tracking_identifier="Lesion 1",
                tracking_unique_identifier=generate_uid(seed=f"{seed} lesion 1"),
                finding=Code("27925004", "SCT", "Nodule"),
                finding_site=[templates.FindingSite(
                    finding_site=Code("45653009", "SCT", "Upper lobe of right lung"),
                    laterality=CID244.Right)],
                measurement=[
                    templates.Measurement(measurement=Named(
                        Code("81827009", "SCT", "Diameter"),
                        Quantity(f"{diameter:.1f}", ucum("mm")))),
                    templates.Measurement(measurement=Named(
                        Code("118565006", "SCT", "Volume"),
                        Quantity(f"{3.1416 * diameter ** 3 / 6:.1f}", ucum("mm3"))))])])


def document_tree(dataset: DatasetBase, iod: str, seed: str = "") -> bool:
    """Make the document's content tree (a compiled template's where the IOD has one,
    see :data:`TEMPLATED`); False when the data set is not an SR document (no root Value
    Type)."""
    from authoring.object.dataset import Dataset

    if "ValueType" not in dataset:
        return False
    if iod in TEMPLATED:
        for keyword in ("TextValue", "ConceptCodeSequence", "MeasuredValueSequence"):
            if keyword in dataset:
                del dataset[keyword]  # values of the TEXT root the generic filler made
        templated_report(TEMPLATED[iod], seed or iod).fill(dataset)
        return True
    dataset.set_value("ValueType", "CONTAINER")
    dataset.set_value("ContinuityOfContent", "SEPARATE")
    dataset.set_value("ConceptNameCodeSequence",
                      [_code(*_concept_for(ROOT_CONCEPTS, iod, DEFAULT_ROOT))], "SQ")
    for keyword in ("TextValue", "ConceptCodeSequence", "MeasuredValueSequence"):
        if keyword in dataset:
            del dataset[keyword]  # values of the TEXT root the generic filler made
    child = Dataset()
    child.RelationshipType = "CONTAINS"
    if "CADSR" in iod:
        child.ValueType = "CODE"
        child.set_value("ConceptNameCodeSequence", [_code(*CAD_SUMMARY[0])], "SQ")
        child.set_value("ConceptCodeSequence", [_code(*CAD_SUMMARY[1])], "SQ")
    else:
        child.ValueType = "TEXT"
        child.set_value("ConceptNameCodeSequence",
                        [_code(*_concept_for(CHILD_CONCEPTS, iod, DEFAULT_CHILD))], "SQ")
        child.TextValue = "No abnormality (synthetic)."
    dataset.set_value("ContentSequence", [child], "SQ")
    return True
