"""Deliberate mistakes: each line whose comment starts "mistake:" must be reported by pyright
(strict) and by mypy (strict) on that very line, and no other line may be reported.

This file is never run, only type-checked (tests/typing/test_type_checkers.py).
"""

from __future__ import annotations

import numpy as np

from authoring import Dataset
from authoring.iods import CTImage, ComprehensiveSR
from authoring.codes import CID4, CID7001, CID7002, CID7021, CID7151, CID7453, Code
from authoring.sr.templates import (
    Heading,
    Measurement,
    MeasurementReport,
    ObservationContext,
    ObserverContext,
    PersonObserverIdentifyingAttributes,
    ReportNarrative,
    TextObservation,
)
from authoring.sr.values import Named, Quantity
from authoring.items import document_relationship_macro
from authoring.parts import CodeSequenceMacro

pixels = np.zeros((4, 4), dtype=np.uint16)

ct = CTImage(
    Modality="CT",
    ImageType=["ORIGINAL", "PRIMARY", "AXIAL"],
    PixelSpacing=[1, 1],
    ImageOrientationPatient=[1, 0, 0, 0, 1, 0],
    ImagePositionPatient=[0, 0, 0],
    RescaleIntercept=0,
    RescaleSlope=1,
    pixel_array=pixels,
)
ct.PatientName = "Doe^Jane"
ct.SliceThickness = 1.5
ct.KVP = 120

ct.SliceThickness = [1.0, 2.0]  # mistake: a list for a VM 1 decimal string
ct.Rows = "512"  # mistake: text for a US value
ct.StudyDate = 20260101  # mistake: an int for a date
ct.PatientNmae = "Doe^John"  # mistake: misspelled keyword
ct.RotationDirection = "CLOCKWISE"  # mistake: outside the enumeration CW, CC
ct.FrameType = ["ORIGINAL"]  # mistake: an attribute no CT Image module has
ct.PhotometricInterpretation = "RGB"  # mistake: outside the enumeration of a mandatory module

incomplete = CTImage(  # mistake: missing required constructor arguments
    Modality="CT",
    pixel_array=pixels,
)

sr = ComprehensiveSR(
    SeriesNumber=1,
    InstanceNumber=1,
    CompletionFlag="COMPLETE",
    VerificationFlag="UNVERIFIED",
    ContentDate="20260101",
    ContentTime="120000",
    ValueType="CONTAINER",
)
sr.CompletionFlag = "DONE"  # mistake: outside the enumeration COMPLETE, PARTIAL
sr.ConceptNameCodeSequence = [document_relationship_macro.ContentSequenceItem(RelationshipType="CONTAINS")]  # mistake: wrong item class
sr.ContentSequence = [CodeSequenceMacro(CodeMeaning="x")]  # mistake: wrong item class

plain = Dataset()
plain.PatientName = "Doe^Jane"
plain.PatientsName = "Doe^Jane"  # mistake: misspelled keyword on a plain Dataset
plain.Columns = "wide"  # mistake: text for a US value on a plain Dataset
name_length: int = plain.PatientID  # mistake: a LO value is text, not an int


def segment_property(category: CID7151) -> str:
    """A parameter that takes one context group's members only."""
    return category.value.meaning


segment_property(CID7151.Liver)
segment_property(CID4.Abdomen)  # mistake: a code of another context group
ObserverContext(observer_type=CID7453.Standby)  # mistake: a code of another context group
PersonObserverIdentifyingAttributes()  # mistake: missing required template row
MeasurementReport(observation_context=ObservationContext())  # mistake: missing the required document title
MeasurementReport(document_title=CID7151.Liver, observation_context=ObservationContext())  # mistake: a title outside CID 7021
MeasurementReport(document_title=CID7021.ImagingMeasurementReport, observation_context=ObserverContext())  # mistake: another template where TID 1001 is included
Measurement(measurement=Quantity(4, "mm"))  # mistake: a measurement without its concept name
Measurement(measurement=Named(Code("81827009", "SCT", "Diameter"), "4 mm"))  # mistake: text where a NUM takes a quantity
Heading(heading=CID7001.Findings, report_narrative=ReportNarrative(text_observation=[TextObservation(text_observation=Named(CID7002.Impression, "ok"))]))
Heading(heading=CID7001.Findings, report_narrative=ReportNarrative(text_observation=[TextObservation(text_observation=Named(CID4.Abdomen, "x"))]))  # mistake: a concept name outside DCID 7002
