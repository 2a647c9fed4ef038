"""A Comprehensive SR document following TID 1500 (Measurement Report), built with the
builders compiled from the PS3.16 templates (``authoring.sr.templates``) and the context
groups (``authoring.codes``), validated and written. PixelMed's DicomSRValidator finds it
conformant to TID 1500 (``tests/builders/test_sr_example.py``), and
``MeasurementReport.view`` reads it back into the same values.

The tree (TID 1500 with one TID 1501 measurement group and a TID 300 measurement)::

    CONTAINER  Imaging Measurement Report                      (TID 1500 row 1, CID 7021)
      HAS CONCEPT MOD  CODE  Language of Content Item ...: English   (TID 1204)
      HAS OBS CONTEXT  CODE  Observer Type: Person                  (TID 1001, 1002)
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

import authoring
from authoring.codes import CID100, CID270, CID7021, Code
from authoring.core.uid import generate_uid
from authoring.iods import ComprehensiveSR
from authoring.sr.templates import (
    FindingSite,
    LanguageOfContentItemAndDescendants,
    Measurement,
    MeasurementAndQualitativeEvaluationGroup,
    MeasurementReport,
    ObservationContext,
    ObserverContext,
    PersonObserverIdentifyingAttributes,
)
from authoring.sr.values import Named, Quantity, ucum


def measurement_report() -> MeasurementReport:
    """TID 1500: the report's content, one argument per template row (required rows
    required, context groups as types)."""
    nodule = MeasurementAndQualitativeEvaluationGroup(  # TID 1501
        tracking_identifier="Nodule 1",
        tracking_unique_identifier=generate_uid(seed="example nodule 1"),
        finding=Code("27925004", "SCT", "Nodule"),
        finding_site=[FindingSite(finding_site=Code("45653009", "SCT",
                                                    "Upper lobe of right lung"))],
        measurement=[Measurement(  # TID 300: the concept name is the measurement's
            measurement=Named(Code("81827009", "SCT", "Diameter"), Quantity(7.5, ucum("mm"))))],
    )
    return MeasurementReport(
        document_title=CID7021.ImagingMeasurementReport,
        language_of_content_item_and_descendants=LanguageOfContentItemAndDescendants(
            language_of_content_item_and_descendants=Code("en-US", "RFC5646",
                                                          "English (United States)")),
        observation_context=ObservationContext(observer_context=[ObserverContext(
            observer_type=CID270.Person,
            person_observer_identifying_attributes=PersonObserverIdentifyingAttributes(
                person_observer_name="Reader^One"))]),
        procedure_reported=[CID100.CTUnspecifiedBodyRegion],
        measurement_and_qualitative_evaluation_group=[nodule],
    )


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
    # the root container: concept name, Content Template Sequence (DCMR 1500), content
    measurement_report().fill(sr)
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
