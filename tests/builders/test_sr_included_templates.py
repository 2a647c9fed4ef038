"""The templates TID 1500 and TID 2000 include further down: measurement properties (TID
310-312), waveform and temporal references (TID 321, WAVEFORM and TCOORD items), image
library descriptors by modality (TID 1603-1607), and the observations a report narrative is
inferred from (TID 2001 with its linear, area and volume measurements, TID 1400-1402).
Each document is valid in ours and in PixelMed's DicomSRValidator (no error, nothing
outside the templates), and reads back into the same values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import authoring
from authoring.codes import (
    CID29,
    CID220,
    CID221,
    CID222,
    CID7000,
    CID7002,
    CID7021,
    CID7460,
    CID7470,
    CID10013,
    CID10033,
    Code,
)
from authoring.errors import InvalidValueError
from authoring.sr.templates import (
    BasicDiagnosticImagingReport,
    BasicDiagnosticImagingReportObservations,
    Heading,
    ImageLibrary,
    ImageLibraryEntry,
    ImageLibraryEntryDescriptors,
    ImageLibraryEntryDescriptorsForCrossSectionalModalities,
    ImageLibraryEntryDescriptorsForCT,
    ImageLibraryGroup,
    Length,
    LinearMeasurement,
    Measurement,
    MeasurementAndQualitativeEvaluationGroup,
    MeasurementProperties,
    MeasurementReport,
    MeasurementStatisticalProperties,
    ReportNarrative,
    TextObservation,
    WaveformOrTemporalCoordinatesReference,
)
from authoring.sr.values import Named, Quantity, Reference, Scoord, Tcoord, ucum
from tests.builders.test_sr_example import pixelmed_sr_findings
from tests.conftest import missing
from tests.support.pixelmed_templates import JAR
from tests.support.sr_reports import (
    CT_INSTANCE,
    CT_SERIES,
    CT_STORAGE,
    STUDY_UID,
    english,
    reader,
    sr_document,
)

ECG_STORAGE = "1.2.840.10008.5.1.4.1.1.9.1.2"  # General ECG Waveform Storage
CT = Reference(CT_STORAGE, CT_INSTANCE, study_uid=STUDY_UID, series_uid=CT_SERIES)
ECG = Reference(ECG_STORAGE, "1.2.826.0.1.3680043.8.498.40", channels=(1, 2),
                study_uid=STUDY_UID, series_uid="1.2.826.0.1.3680043.8.498.41")


def measurement_report() -> MeasurementReport:
    """TID 1500 with CT image library descriptors and a measurement that has statistical
    properties and a gated ECG interval it was taken in."""
    return MeasurementReport(
        document_title=CID7021.ImagingMeasurementReport,
        language_of_content_item_and_descendants=english(),
        observation_context=reader(),
        image_library=ImageLibrary(image_library_group=[ImageLibraryGroup(
            image_library_entry_descriptors=ImageLibraryEntryDescriptors(
                modality=CID29.ComputedTomography,
                image_library_entry_descriptors_for_cross_sectional_modalities=(
                    ImageLibraryEntryDescriptorsForCrossSectionalModalities(
                        slice_thickness=1.25, spacing_between_slices=1.25,
                        image_position_patient_z=-120.5)),
                image_library_entry_descriptors_for_ct=ImageLibraryEntryDescriptorsForCT(
                    ct_acquisition_type=CID10013.SpiralAcquisition,
                    reconstruction_algorithm=CID10033.FilteredBackProjection)),
            image_library_entry=[ImageLibraryEntry(image=CT)])]),
        measurement_and_qualitative_evaluation_group=[MeasurementAndQualitativeEvaluationGroup(
            tracking_identifier="Lesion 1",
            tracking_unique_identifier="1.2.826.0.1.3680043.8.498.100",
            measurement=[Measurement(
                measurement=Named(Code("81827009", "SCT", "Diameter"),
                                  Quantity("7.5", ucum("mm"))),
                measurement_properties=MeasurementProperties(
                    normality=CID222.Abnormal,
                    measurement_statistical_properties=MeasurementStatisticalProperties(
                        statistical_descriptor=[Named(CID221.ZScoreOfMeasurement,
                                                      Quantity("2.1", ucum("1", "no units")))],
                        population_description="Adult solid lung nodules"),
                    level_of_significance=CID220.Significant),
                waveform_or_temporal_coordinates_reference=[
                    WaveformOrTemporalCoordinatesReference(
                        temporal_coordinates=Tcoord("SEGMENT", sample_positions=(1, 500)),
                        selected_waveform=ECG)])])])


def basic_report(history: Any, findings: Any) -> BasicDiagnosticImagingReport:
    """TID 2000 whose impression is inferred from a linear measurement on an image (TID
    2001, 1400)."""
    diameter = Length(length=Named(CID7470.Diameter, Quantity("7", CID7460.Millimeter)),
                      path=Scoord("POLYLINE", (10.0, 10.0, 17.0, 10.0)), image=CT)
    return BasicDiagnosticImagingReport(
        document_title=CID7000.RadiologyReport,
        language_of_content_item_and_descendants=english(),
        observation_context=reader(),
        heading=[
            Heading(heading=history, report_narrative=ReportNarrative(text_observation=[
                TextObservation(text_observation=Named(CID7002.Finding, "Cough."))])),
            Heading(heading=findings, report_narrative=ReportNarrative(text_observation=[
                TextObservation(
                    text_observation=Named(CID7002.Impression, "A 7 mm nodule."),
                    inferred_from=[BasicDiagnosticImagingReportObservations(
                        linear_measurement=LinearMeasurement(length=[diameter]))])]))])


def document(iod: str, report: Any) -> Any:
    """``report`` as an SR document of ``iod``."""
    return sr_document(iod, report, "1.2.826.0.1.3680043.8.498.42",
                       "1.2.826.0.1.3680043.8.498.43", series_number=100)


def current_headings() -> tuple[Any, Any]:
    from authoring.codes import CID7001

    return CID7001.History, CID7001.Findings


def pixelmed_headings() -> tuple[Any, Any]:
    """The heading codes of PixelMed's 2022 CID 7001 (see test_sr_basic_report)."""
    return Code("121060", "DCM", "History"), Code("121070", "DCM", "Findings")


def test_measurement_properties_and_temporal_references_are_valid_and_read_back(
        tmp_path: Path) -> None:
    sr = document("ComprehensiveSR", measurement_report())
    report = sr.validate()
    assert report.ok and not report.warnings, str(report)
    path = tmp_path / "report.dcm"
    authoring.write(sr, path)
    back = authoring.read(path)
    assert MeasurementReport.view(back) == measurement_report()
    # the TCOORD item and the WAVEFORM it selects from, as PS3.3 C.18.7 and C.18.5 write them
    items = [back]
    found: dict[str, Any] = {}
    while items:
        item = items.pop()
        if item.get("ValueType") in ("TCOORD", "WAVEFORM"):
            found[str(item.ValueType)] = item
        items.extend(item.get("ContentSequence") or ())
    assert found["TCOORD"].get("TemporalRangeType") == "SEGMENT"
    assert list(found["TCOORD"].get("ReferencedSamplePositions")) == [1, 500]
    waveform = found["WAVEFORM"].ReferencedSOPSequence[0]
    assert list(waveform.get("ReferencedWaveformChannels")) == [1, 2]
    # the waveform is evidence of the report (PS3.3 C.17.2.3)
    evidence = [s.ReferencedSOPInstanceUID for study in
                back.CurrentRequestedProcedureEvidenceSequence
                for series in study.ReferencedSeriesSequence
                for s in series.ReferencedSOPSequence]
    assert ECG.sop_instance_uid in evidence


def test_report_narrative_inferred_from_a_linear_measurement(tmp_path: Path) -> None:
    sr = document("EnhancedSR", basic_report(*current_headings()))
    report = sr.validate()
    assert report.ok and not report.warnings, str(report)
    path = tmp_path / "report.dcm"
    authoring.write(sr, path)
    assert BasicDiagnosticImagingReport.view(authoring.read(path)) == basic_report(
        *current_headings())


def test_at_most_one_of_rows_is_checked() -> None:
    """TID 1400 rows 2 and 5 (a path, or its vertices) are exclusive: both is an error."""
    from authoring.sr.templates import PathVertex

    both = Length(length=Named(CID7470.Diameter, Quantity("7", CID7460.Millimeter)),
                  path=Scoord("POLYLINE", (10.0, 10.0, 17.0, 10.0)), image=CT,
                  path_vertex=[PathVertex(path_vertex=Scoord("POINT", (10.0, 10.0)),
                                          vertex_image=CT),
                               PathVertex(path_vertex=Scoord("POINT", (17.0, 10.0)),
                                          vertex_image=CT)])
    report = basic_report(*current_headings())
    narrative = report.values["heading"][1].values["report_narrative"]
    observation = narrative.values["text_observation"][0]
    observation.values["inferred_from"] = [BasicDiagnosticImagingReportObservations(
        linear_measurement=LinearMeasurement(length=[both]))]
    findings = document("EnhancedSR", report).validate().findings
    assert [(f.rule, f.message) for f in findings if f.rule == "sr-template-condition"] == [
        ("sr-template-condition", "TID 1400 row 2: at most one of rows 2 and 5 is present: "
         "found 2 and 5")]


def test_units_outside_the_rows_units_are_errors() -> None:
    """TID 1400 row 1 takes its units from DCID 7460 (mm, cm, um); TID 10013's CTDIvol is
    fixed to mGy."""
    from authoring import synth

    report = basic_report(*current_headings())
    observation = report.values["heading"][1].values["report_narrative"].values[
        "text_observation"][0]
    observation.values["inferred_from"] = [BasicDiagnosticImagingReportObservations(
        linear_measurement=LinearMeasurement(length=[Length(
            length=Named(CID7470.Diameter, Quantity("7", ucum("mm2"))),
            path=Scoord("POLYLINE", (10.0, 10.0, 17.0, 10.0)), image=CT)]))]
    found = [(f.rule, f.message) for f in document("EnhancedSR", report).validate().findings
             if f.severity == "error"]
    assert found == [("sr-template-units", "TID 1400 row 1: units (mm2, UCUM, 'mm2') is not "
                      "in DCID 7460")]
    dose = synth.dataset("XRayRadiationDoseSR", seed=3)
    assert not [f for f in dose.validate().findings if f.rule == "sr-template-units"]
    stack = [dose]
    while stack:
        item = stack.pop()
        names = item.get("ConceptNameCodeSequence")
        if names and names[0].CodeValue == "113830":  # Mean CTDIvol
            item.MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodeValue = "Gy"
        stack.extend(item.get("ContentSequence") or ())
    assert [f.message for f in dose.validate().findings if f.rule == "sr-template-units"] == [
        "TID 10013 row 22: units (Gy, UCUM) where the row fixes (mGy, UCUM, 'mGy')"]


def test_tcoord_and_waveform_values_are_checked() -> None:
    with pytest.raises(InvalidValueError):
        Tcoord("SEGMENT", sample_positions=(1,))  # a segment has two ends
    with pytest.raises(InvalidValueError):
        Tcoord("POINT", sample_positions=(1,), time_offsets=(0.5,))  # one way only
    with pytest.raises(InvalidValueError):
        Tcoord("RANGE", time_offsets=(0.5,))  # not a Temporal Range Type
    with pytest.raises(InvalidValueError):
        Reference(ECG_STORAGE, "1.2.3", channels=(1,))  # (group, channel) pairs


#: What PixelMed (2022) reports on these documents, each for a reason outside our encoding:
#: (document, text the line contains, reason).
PIXELMED_EXPECTED = [
    ("tid1500", "[Row 2] CODE *: 1.5.1.3.1: ", "PixelMed compiles TID 300 row 2 with its "
     "concept parameter ($Method) unbound as 'any concept': the row takes every CODE child of "
     "the measurement, including TID 310's Normality (HAS PROPERTIES, TID 300 row 8), and "
     "reports its relationship as wrong"),
    ("tid1500", "[Row 2] CODE *: 1.5.1.3.4: ", "the same, for TID 310's Level of "
     "Significance"),
    ("tid1500", "[Row 9] NUM *: 1.5.1.3.2: ", "the same wildcard in TID 300 row 9 (a "
     "measurement the value is inferred from) takes TID 311's statistical descriptor"),
    ("tid1500", "[Row 10] NUM *: 1.5.1.3.2: ", "the same, TID 300 row 10"),
    ("tid2000", "Code (mm,UCUM,\"mm\") has different code meaning", "an edition difference: "
     "PS3.16 2024c gives CID 7460's mm the meaning 'mm', PixelMed's 2022 edition "
     "'millimeter' (a warning)"),
]


@pytest.mark.external
@pytest.mark.parametrize("which", ["tid1500", "tid2000"])
def test_pixelmed_finds_nothing_else(tmp_path: Path, which: str) -> None:
    """PixelMed finds no error and nothing outside the templates, beyond the findings
    :data:`PIXELMED_EXPECTED` explains."""
    if not JAR.exists():
        missing("PixelMed is not installed (apt-get install libpixelmed-java)")
    sr = (document("ComprehensiveSR", measurement_report()) if which == "tid1500" else
          document("EnhancedSR", basic_report(*pixelmed_headings())))
    path = tmp_path / f"{which}.dcm"
    authoring.write(sr, path)
    found = pixelmed_sr_findings(path)
    expected = [text for name, text, _ in PIXELMED_EXPECTED if name == which]
    assert not [line for line in found if not any(text in line for text in expected)]
    assert all(any(text in line for line in found) for text in expected)  # still found
