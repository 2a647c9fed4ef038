"""A Comprehensive SR document with a small content tree, built with the typed
``ComprehensiveSR`` builder and the generated item classes, validated and written.

The tree (after TID 1500, Measurement Report, kept small)::

    CONTAINER  Imaging Measurement Report
      CONTAINS  TEXT  Finding: "Small nodule in the right upper lobe"
      CONTAINS  CODE  Finding site: Upper lobe of right lung
      CONTAINS  NUM   Diameter: 7.5 mm

Run: ``python examples/comprehensive_sr.py [OUTPUT_DIR]``
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import authoring
from authoring.iods import ComprehensiveSR
from authoring.items import container_macro, document_relationship_macro, numeric_measurement_macro
from authoring.parts import CodeSequenceMacro

# item classes are scoped by the macro that defines their sequence
ContentItem = document_relationship_macro.ContentSequenceItem


def code(value: str, scheme: str, meaning: str) -> CodeSequenceMacro:
    """A coded concept (Code Sequence Macro item)."""
    return CodeSequenceMacro(CodeValue=value, CodingSchemeDesignator=scheme, CodeMeaning=meaning)


def content_tree() -> list[ContentItem]:
    """The three children of the root container."""
    finding = ContentItem(
        RelationshipType="CONTAINS",
        ValueType="TEXT",
        ConceptNameCodeSequence=[code("121071", "DCM", "Finding")],
        TextValue="Small nodule in the right upper lobe",
    )
    site = ContentItem(
        RelationshipType="CONTAINS",
        ValueType="CODE",
        ConceptNameCodeSequence=[code("363698007", "SCT", "Finding site")],
        ConceptCodeSequence=[code("45653009", "SCT", "Upper lobe of right lung")],
    )
    diameter = ContentItem(
        RelationshipType="CONTAINS",
        ValueType="NUM",
        ConceptNameCodeSequence=[code("81827009", "SCT", "Diameter")],
        MeasuredValueSequence=[
            numeric_measurement_macro.MeasuredValueSequenceItem(
                NumericValue=7.5,
                MeasurementUnitsCodeSequence=[code("mm", "UCUM", "millimeter")],
            )
        ],
    )
    return [finding, site, diameter]


def build_report() -> ComprehensiveSR:
    """The SR document: patient and study, the document's status and its content tree."""
    now = datetime.datetime(2026, 11, 25, 11, 0, 0)
    sr = ComprehensiveSR(
        SeriesNumber=100,
        InstanceNumber=1,
        CompletionFlag="COMPLETE",
        VerificationFlag="UNVERIFIED",
        ContentDate=now.date(),
        ContentTime=now.time(),
        ValueType="CONTAINER",
    )
    sr.PatientName = "Phantom^Water"
    sr.PatientID = "PHANTOM-001"
    sr.StudyDate = now.date()
    sr.StudyTime = now.time()
    sr.StudyID = "1"
    sr.Manufacturer = "authoring examples"
    sr.ConceptNameCodeSequence = [code("126000", "DCM", "Imaging Measurement Report")]
    sr.ContinuityOfContent = "SEPARATE"
    sr.ContentTemplateSequence = [
        container_macro.ContentTemplateSequenceItem(MappingResource="DCMR", TemplateIdentifier="1500")
    ]
    sr.ContentSequence = content_tree()
    return sr


def main(output: Path) -> Path:
    """Build, validate and write the report; return the file written."""
    sr = build_report()
    report = sr.validate()
    print(report)
    if not report.ok:
        raise SystemExit("the SR document does not satisfy its IOD")
    output.mkdir(parents=True, exist_ok=True)
    path = output / "comprehensive_sr.dcm"
    authoring.write(sr, path)
    return path


if __name__ == "__main__":
    print("wrote", main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("examples/output")))
