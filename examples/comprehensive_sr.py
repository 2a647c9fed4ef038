"""A Comprehensive SR document following TID 1500 (Measurement Report), built with the typed
``ComprehensiveSR`` builder, the generated item classes and the PS3.16 context groups,
validated and written. PixelMed's DicomSRValidator finds it conformant to TID 1500
(``tests/builders/test_sr_example.py``).

The tree (TID 1500 with one TID 1501 measurement group and a TID 300 measurement)::

    CONTAINER  Imaging Measurement Report                      (TID 1500 row 1, CID 7021)
      HAS CONCEPT MOD  CODE  Language of Content Item ...: English   (TID 1204)
      HAS OBS CONTEXT  CODE  Observer Type: Person                  (TID 1002)
      HAS OBS CONTEXT  PNAME Person Observer Name: Reader^One        (TID 1003)
      HAS CONCEPT MOD  CODE  Procedure reported: CT unspecified body region (CID 100)
      CONTAINS  CONTAINER  Imaging Measurements                      (row 6)
        CONTAINS  CONTAINER  Measurement Group                       (TID 1501)
          HAS OBS CONTEXT  TEXT    Tracking Identifier: "Nodule 1"
          HAS OBS CONTEXT  UIDREF  Tracking Unique Identifier
          CONTAINS         CODE    Finding: Nodule
          HAS CONCEPT MOD  CODE    Finding Site: Upper lobe of right lung
          CONTAINS         NUM     Diameter: 7.5 mm                  (TID 300)

Run: ``python examples/comprehensive_sr.py [OUTPUT_DIR]``
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Literal

import authoring
from authoring.codes import CID100, CID270, CID7021, Code, ContextGroup, as_code
from authoring.core.uid import generate_uid
from authoring.iods import ComprehensiveSR
from authoring.items import (
    container_macro,
    document_relationship_macro,
    numeric_measurement_macro,
)
from authoring.parts import CodeSequenceMacro
from authoring.sr.templates import (
    LanguageOfContentItemAndDescendants,
    ObserverContext,
    PersonObserverIdentifyingAttributes,
)

# item classes are scoped by the macro that defines their sequence
ContentItem = document_relationship_macro.ContentSequenceItem


def code(concept: Code | ContextGroup) -> CodeSequenceMacro:
    """A Code Sequence Macro item for a code or a context group member."""
    value = as_code(concept)
    return CodeSequenceMacro(CodeValue=value.value, CodingSchemeDesignator=value.scheme,
                             CodeMeaning=value.meaning)


ValueType = Literal["CODE", "CONTAINER", "NUM", "PNAME", "TEXT", "UIDREF"]


def item(relationship: str, value_type: ValueType, concept: Code, **values: object) -> ContentItem:
    """One content item: relationship, value type, concept name and its value."""
    entry = ContentItem(RelationshipType=relationship, ValueType=value_type,
                        ConceptNameCodeSequence=[code(concept)])
    for keyword, value in values.items():
        setattr(entry, keyword, value)
    return entry


def measurement_group() -> ContentItem:
    """TID 1501: one lesion, tracked, with a finding, its site and its diameter."""
    diameter = item("CONTAINS", "NUM", Code("81827009", "SCT", "Diameter"), MeasuredValueSequence=[
        numeric_measurement_macro.MeasuredValueSequenceItem(
            NumericValue=7.5, MeasurementUnitsCodeSequence=[code(Code("mm", "UCUM", "mm"))])])
    return item("CONTAINS", "CONTAINER", Code("125007", "DCM", "Measurement Group"),
                ContinuityOfContent="SEPARATE", ContentSequence=[
                    item("HAS OBS CONTEXT", "TEXT", Code("112039", "DCM", "Tracking Identifier"),
                         TextValue="Nodule 1"),
                    item("HAS OBS CONTEXT", "UIDREF",
                         Code("112040", "DCM", "Tracking Unique Identifier"),
                         UID=generate_uid(seed="example nodule 1")),
                    item("CONTAINS", "CODE", Code("121071", "DCM", "Finding"),
                         ConceptCodeSequence=[code(Code("27925004", "SCT", "Nodule"))]),
                    item("HAS CONCEPT MOD", "CODE", Code("363698007", "SCT", "Finding Site"),
                         ConceptCodeSequence=[code(Code("45653009", "SCT",
                                                        "Upper lobe of right lung"))]),
                    diameter,
                ])


def content_tree() -> list[ContentItem]:
    """The children of the root container."""
    language = LanguageOfContentItemAndDescendants(  # TID 1204, compiled from PS3.16
        language_of_content_item_and_descendants=Code("en-US", "RFC5646",
                                                      "English (United States)"))
    observer = ObserverContext(  # TID 1002 and 1003, compiled from PS3.16
        observer_type=CID270.Person,
        person_observer_identifying_attributes=PersonObserverIdentifyingAttributes(
            person_observer_name="Reader^One"))
    return [
        *language.to_content(),
        *observer.to_content(),
        item("HAS CONCEPT MOD", "CODE", Code("121058", "DCM", "Procedure reported"),
             ConceptCodeSequence=[code(CID100.CTUnspecifiedBodyRegion)]),
        item("CONTAINS", "CONTAINER", Code("126010", "DCM", "Imaging Measurements"),
             ContinuityOfContent="SEPARATE", ContentSequence=[measurement_group()]),
    ]


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
    sr.ConceptNameCodeSequence = [code(CID7021.ImagingMeasurementReport)]
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
