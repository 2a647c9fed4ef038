"""A small, well-formed content tree for structured report documents: the root a CONTAINER
(PS3.3 C.17.3: the root content item of an SR document is a container) with a concept
name, SEPARATE continuity, and one child it CONTAINS (a TEXT finding; for CAD reports, a
coded processing summary)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def document_tree(dataset: DatasetBase, iod: str) -> bool:
    """Make the document's root a CONTAINER with one TEXT finding; False when the data set
    is not an SR document (no root Value Type)."""
    from authoring.object.dataset import Dataset

    if "ValueType" not in dataset:
        return False
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
