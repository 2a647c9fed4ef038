"""The same TID 1500 measurement report built with our compiled template builders and with
highdicom (a test-time peer), and a comparison of SR content trees that does not depend on
either library: the tests check both build equal trees, and the benchmark times both."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

STUDY_UID = "1.2.826.0.1.3680043.8.498.10"
SERIES_UID = "1.2.826.0.1.3680043.8.498.11"
CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
CT_INSTANCE = "1.2.826.0.1.3680043.8.498.12"
CT_SERIES = "1.2.826.0.1.3680043.8.498.14"
SEG_SERIES = "1.2.826.0.1.3680043.8.498.21"
WHEN = datetime.datetime(2026, 11, 25, 11, 0, 0)


def lesion(index: int) -> dict[str, Any]:
    """The facts of measurement group ``index``: one nodule, its site and diameters."""
    return {"tracking_id": f"Lesion {index + 1}",
            "tracking_uid": f"1.2.826.0.1.3680043.8.498.{100 + index}",
            "diameter": 7.5 + index, "volume": 120.0 + 10 * index}


# -- ours ---------------------------------------------------------------------------------

def english() -> Any:
    """TID 1204: the content is in English (United States)."""
    from authoring.codes import Code
    from authoring.sr.templates import LanguageOfContentItemAndDescendants

    return LanguageOfContentItemAndDescendants(
        language_of_content_item_and_descendants=Code("en-US", "RFC5646",
                                                      "English (United States)"))


def reader() -> Any:
    """TID 1001: one person observer, Reader^One."""
    from authoring.codes import CID270
    from authoring.sr.templates import (
        ObservationContext,
        ObserverContext,
        PersonObserverIdentifyingAttributes,
    )

    return ObservationContext(observer_context=[ObserverContext(
        observer_type=CID270.Person,
        person_observer_identifying_attributes=PersonObserverIdentifyingAttributes(
            person_observer_name="Reader^One"))])


def ours_report(groups: int) -> Any:
    """The report's root template, built with ``authoring.sr.templates``."""
    from authoring.codes import CID100, CID244, CID7021, Code
    from authoring.sr.templates import (
        FindingSite,
        Measurement,
        MeasurementAndQualitativeEvaluationGroup,
        MeasurementReport,
    )
    from authoring.sr.values import Named, Quantity, ucum

    def group(facts: dict[str, Any]) -> MeasurementAndQualitativeEvaluationGroup:
        return MeasurementAndQualitativeEvaluationGroup(
            tracking_identifier=facts["tracking_id"],
            tracking_unique_identifier=facts["tracking_uid"],
            finding=Code("27925004", "SCT", "Nodule"),
            finding_site=[FindingSite(finding_site=Code("45653009", "SCT",
                                                        "Upper lobe of right lung"),
                                      laterality=CID244.Right)],
            measurement=[
                Measurement(measurement=Named(Code("81827009", "SCT", "Diameter"),
                                              Quantity(facts["diameter"], ucum("mm")))),
                Measurement(measurement=Named(Code("118565006", "SCT", "Volume"),
                                              Quantity(facts["volume"], ucum("mm3"))))])

    return MeasurementReport(
        document_title=CID7021.ImagingMeasurementReport,
        language_of_content_item_and_descendants=english(),
        observation_context=reader(),
        procedure_reported=[CID100.CTUnspecifiedBodyRegion],
        measurement_and_qualitative_evaluation_group=[group(lesion(i))
                                                      for i in range(groups)])


def ours_document(groups: int) -> Any:
    """The Comprehensive SR document of :func:`ours_report`."""
    from authoring.iods import ComprehensiveSR

    sr = ComprehensiveSR(
        SeriesNumber=100, InstanceNumber=1, CompletionFlag="COMPLETE",
        VerificationFlag="UNVERIFIED", ContentDate=WHEN.date(), ContentTime=WHEN.time(),
        ValueType="CONTAINER")
    for keyword, value in (("PatientName", "Phantom^Water"), ("PatientID", "PHANTOM-001"),
                           ("StudyDate", WHEN.date()), ("StudyTime", WHEN.time()),
                           ("StudyID", "1"), ("Manufacturer", "authoring tests"),
                           ("StudyInstanceUID", STUDY_UID),
                           ("SeriesInstanceUID", SERIES_UID),
                           ("SOPInstanceUID", "1.2.826.0.1.3680043.8.498.13")):
        setattr(sr, keyword, value)
    ours_report(groups).fill(sr)
    return sr


# -- highdicom ----------------------------------------------------------------------------

def highdicom_report(groups: int) -> Any:
    """The same report with highdicom's TID 1500 classes."""
    import highdicom as hd
    from pydicom.sr.codedict import codes
    from pydicom.sr.coding import Code as PyCode

    def group(facts: dict[str, Any]) -> Any:
        site = hd.sr.FindingSite(
            anatomic_location=PyCode("45653009", "SCT", "Upper lobe of right lung"),
            laterality=PyCode("24028007", "SCT", "Right"))
        return hd.sr.MeasurementsAndQualitativeEvaluations(
            tracking_identifier=hd.sr.TrackingIdentifier(uid=facts["tracking_uid"],
                                                         identifier=facts["tracking_id"]),
            finding_type=PyCode("27925004", "SCT", "Nodule"),
            finding_sites=[site],
            measurements=[
                hd.sr.Measurement(name=PyCode("81827009", "SCT", "Diameter"),
                                  value=facts["diameter"], unit=PyCode("mm", "UCUM", "mm")),
                hd.sr.Measurement(name=PyCode("118565006", "SCT", "Volume"),
                                  value=facts["volume"], unit=PyCode("mm3", "UCUM", "mm3"))])

    observer = hd.sr.ObserverContext(
        observer_type=codes.DCM.Person,
        observer_identifying_attributes=hd.sr.PersonObserverIdentifyingAttributes(
            name="Reader^One"))
    return hd.sr.MeasurementReport(
        observation_context=hd.sr.ObservationContext(observer_person_context=observer),
        procedure_reported=PyCode("25045-6", "LN", "CT unspecified body region"),
        imaging_measurements=[group(lesion(i)) for i in range(groups)],
        title=codes.DCM.ImagingMeasurementReport,
        language_of_content_item_and_descendants=hd.sr.LanguageOfContentItemAndDescendants(
            language=PyCode("en-US", "RFC5646", "English (United States)")))


def highdicom_document(groups: int) -> Any:
    """The Comprehensive SR document of :func:`highdicom_report`."""
    import highdicom as hd
    from pydicom.dataset import Dataset
    from pydicom.uid import CTImageStorage

    evidence = Dataset()  # highdicom wants one evidence instance for the header
    evidence.SOPClassUID = CTImageStorage
    evidence.SOPInstanceUID = CT_INSTANCE
    evidence.StudyInstanceUID = STUDY_UID
    evidence.SeriesInstanceUID = "1.2.826.0.1.3680043.8.498.14"
    evidence.PatientName = "Phantom^Water"
    evidence.PatientID = "PHANTOM-001"
    evidence.PatientBirthDate = ""
    evidence.PatientSex = ""
    evidence.StudyDate = WHEN.strftime("%Y%m%d")
    evidence.StudyTime = WHEN.strftime("%H%M%S")
    evidence.StudyID = "1"
    evidence.AccessionNumber = ""
    evidence.ReferringPhysicianName = ""
    return hd.sr.ComprehensiveSR(
        evidence=[evidence], content=highdicom_report(groups), series_number=100,
        series_instance_uid=SERIES_UID, sop_instance_uid="1.2.826.0.1.3680043.8.498.13",
        instance_number=1, manufacturer="authoring tests", is_complete=True,
        is_final=False, is_verified=False, content_date=WHEN.date(),
        content_time=WHEN.time())


# -- comparison ---------------------------------------------------------------------------

def content_tree(item: Any, ordered: bool = False) -> tuple[Any, ...]:
    """A content item and its descendants as plain values, read with pydicom: relationship,
    value type, concept name (value, scheme), the value, the template named, and the
    children (a sorted tuple unless ``ordered``: TID 1500's order is not significant).
    Code meanings are left out (the two libraries' meanings may differ in case); numbers
    compare as decimals."""
    def code(sequence: Any) -> tuple[str, str] | None:
        return (str(sequence[0].CodeValue), str(sequence[0].CodingSchemeDesignator)) \
            if sequence else None

    value_type = str(item.get("ValueType", ""))
    value: Any = None
    if value_type == "TEXT":
        value = str(item.TextValue)
    elif value_type == "CODE":
        value = code(item.ConceptCodeSequence)
    elif value_type == "NUM":
        measured = item.MeasuredValueSequence[0]
        value = (Decimal(str(measured.NumericValue)),
                 code(measured.MeasurementUnitsCodeSequence))
    elif value_type == "UIDREF":
        value = str(item.UID)
    elif value_type == "PNAME":
        value = str(item.PersonName)
    elif value_type in ("IMAGE", "COMPOSITE"):
        reference = item.ReferencedSOPSequence[0]
        value = (str(reference.ReferencedSOPClassUID),
                 str(reference.ReferencedSOPInstanceUID))
    elif value_type in ("SCOORD", "SCOORD3D"):
        value = (str(item.GraphicType), tuple(float(v) for v in item.GraphicData))
    template = tuple(str(t.TemplateIdentifier) for t in
                     item.get("ContentTemplateSequence", []) or [])
    children = [content_tree(child, ordered) for child in item.get("ContentSequence", [])]
    return (str(item.get("RelationshipType", "")), value_type,
            code(item.get("ConceptNameCodeSequence")), value, template,
            tuple(children if ordered else sorted(children, key=repr)))


def ours_full_report(kinds: tuple[str, ...] = ("group", "planar", "volumetric")) -> Any:
    """A TID 1500 report using every branch we compile: image library (TID 1600-1602),
    a measurement group (TID 1501) with TID 300 measurements referencing an image (TID 320),
    a planar ROI group (TID 1410, a SCOORD on an image, TID 1419 measurements), a volumetric
    ROI group (TID 1411, a referenced segment and its source series), time point context
    (TID 1502), algorithm identification (TID 4019), subject context (TID 1006, 1007),
    and qualitative evaluations. ``kinds`` chooses the measurement groups: "group" (TID
    1501), "planar" (TID 1410), "volumetric" (TID 1411)."""
    from authoring.codes import CID29, CID100, CID244, CID270, CID7021, CID7455, Code
    from authoring.sr.templates import (
        AlgorithmIdentification,
        FindingSite,
        ImageLibrary,
        ImageLibraryEntry,
        ImageLibraryEntryDescriptors,
        ImageLibraryGroup,
        ImageOrSpatialCoordinates,
        Measurement,
        MeasurementAndQualitativeEvaluationGroup,
        MeasurementReport,
        ObservationContext,
        ObserverContext,
        PersonObserverIdentifyingAttributes,
        PlanarROIMeasurementsAndQualitativeEvaluations,
        QualitativeEvaluation,
        ROIMeasurements,
        ROIMeasurementsMeasurement,
        SubjectContext,
        SubjectContextPatient,
        TimePointContext,
        VolumetricROIMeasurementsAndQualitativeEvaluations,
    )
    from authoring.sr.values import Named, Quantity, Reference, Scoord, ucum

    ct = Reference(CT_STORAGE, CT_INSTANCE, study_uid=STUDY_UID, series_uid=CT_SERIES)
    seg = Reference("1.2.840.10008.5.1.4.1.1.66.4", "1.2.826.0.1.3680043.8.498.20",
                    segments=(1,), study_uid=STUDY_UID, series_uid=SEG_SERIES)
    diameter = Code("81827009", "SCT", "Diameter")
    area = Code("42798000", "SCT", "Area")
    site = FindingSite(finding_site=Code("45653009", "SCT", "Upper lobe of right lung"),
                       laterality=CID244.Right)
    algorithm = AlgorithmIdentification(algorithm_name="lesion-finder",
                                        algorithm_version="1.0")
    return MeasurementReport(
        document_title=CID7021.ImagingMeasurementReport,
        observation_context=ObservationContext(
            observer_context=[ObserverContext(
                observer_type=CID270.Person,
                person_observer_identifying_attributes=PersonObserverIdentifyingAttributes(
                    person_observer_name="Reader^One"))],
            subject_context=SubjectContext(subject_context_patient=SubjectContextPatient(
                subject_id="PHANTOM-001", subject_sex=CID7455.Female))),
        procedure_reported=[CID100.CTUnspecifiedBodyRegion],
        image_library=ImageLibrary(image_library_group=[ImageLibraryGroup(
            image_library_entry_descriptors=ImageLibraryEntryDescriptors(
                modality=CID29.ComputedTomography, study_date=WHEN.date(),
                frame_of_reference_uid="1.2.826.0.1.3680043.8.498.30",
                pixel_data_rows=Quantity(512, ucum("{pixels}", "pixels")),
                pixel_data_columns=Quantity(512, ucum("{pixels}", "pixels"))),
            image_library_entry=[ImageLibraryEntry(image=ct)])]),
        algorithm_identification=algorithm,
        measurement_and_qualitative_evaluation_group=None if "group" not in kinds else [
            MeasurementAndQualitativeEvaluationGroup(
                tracking_identifier="Lesion 1",
                tracking_unique_identifier="1.2.826.0.1.3680043.8.498.100",
                finding=Code("27925004", "SCT", "Nodule"),
                time_point_context=TimePointContext(time_point="baseline"),
                finding_site=[site],
                measurement=[Measurement(
                    measurement=Named(diameter, Quantity("7.5", ucum("mm"))),
                    image_or_spatial_coordinates=[ImageOrSpatialCoordinates(image=ct)])])],
        planar_roi_measurements_and_qualitative_evaluations=None if "planar" not in kinds else [
            PlanarROIMeasurementsAndQualitativeEvaluations(
                tracking_identifier="Lesion 2",
                tracking_unique_identifier="1.2.826.0.1.3680043.8.498.101",
                image_region=Scoord("POLYLINE", (10, 10, 20, 10, 20, 20, 10, 20, 10, 10)),
                source_image=ct,
                roi_measurements=ROIMeasurements(
                    finding_site=[site],
                    measurement=[ROIMeasurementsMeasurement(
                        measurement=Named(area, Quantity(100, ucum("mm2"))))]))],
        volumetric_roi_measurements_and_qualitative_evaluations=None if "volumetric" not in kinds else [
            VolumetricROIMeasurementsAndQualitativeEvaluations(
                tracking_identifier="Lesion 3",
                tracking_unique_identifier="1.2.826.0.1.3680043.8.498.102",
                referenced_segment=seg,
                source_series_for_segmentation=CT_SERIES,
                roi_measurements=ROIMeasurements(measurement=[ROIMeasurementsMeasurement(
                    measurement=Named(Code("118565006", "SCT", "Volume"),
                                      Quantity(1200, ucum("mm3"))))]))],
        qualitative_evaluation=[QualitativeEvaluation(qualitative_evaluation=Named(
            Code("RID50", "RADLEX", "Overall impression"),
            Code("RID5713", "RADLEX", "Spiculated")))])


def ours_basic_report(edition: str = "2024c") -> Any:
    """A TID 2000 Basic Diagnostic Imaging Report: title, language, observer, procedure,
    two headed sections with coded and text observations (CID 7002 concept names).

    ``edition="2022"`` writes the headings with the codes CID 7001 had in PixelMed's 2022
    edition (DCM 121060 History, 121070 Findings; PS3.16 2024c gives them in LOINC), so
    PixelMed can check the sections' content; our types accept only the 2024c codes, hence
    the cast."""
    from authoring.codes import CID100, CID7000, CID7001, CID7002, CID7003, Code
    from authoring.sr.templates import (
        BasicDiagnosticImagingReport,
        BasicDiagnosticImagingReportObservations,
        CodedObservation,
        Heading,
        ReportNarrative,
        TextObservation,
    )
    from authoring.sr.values import Named, Reference

    history: Any = CID7001.History
    findings: Any = CID7001.Findings
    if edition == "2022":
        history = Code("121060", "DCM", "History")
        findings = Code("121070", "DCM", "Findings")
    return BasicDiagnosticImagingReport(
        document_title=CID7000.RadiologyReport,
        language_of_content_item_and_descendants=english(),
        observation_context=reader(),
        procedure_reported=[CID100.CTUnspecifiedBodyRegion],
        heading=[
            Heading(heading=history, report_narrative=ReportNarrative(text_observation=[
                TextObservation(text_observation=Named(CID7002.Finding,
                                                       "Cough for three weeks."))])),
            Heading(heading=findings, report_narrative=ReportNarrative(
                coded_observation=[CodedObservation(coded_observation=Named(
                    CID7002.Impression, Code("27925004", "SCT", "Nodule")))],
                text_observation=[TextObservation(
                    text_observation=Named(CID7002.Impression,
                                           "A 7 mm nodule in the right upper lobe."),
                    # TID 2001: the image the impression is inferred from
                    inferred_from=[BasicDiagnosticImagingReportObservations(image=Named(
                        CID7003.BestIllustrationOfFinding,
                        Reference(CT_STORAGE, CT_INSTANCE, study_uid=STUDY_UID,
                                  series_uid=CT_SERIES)))])])),
        ])


def sr_document(iod: str, report: Any, series_uid: str, instance_uid: str,
                series_number: int = 101) -> Any:
    """``report`` (a root template) filled into an SR document of ``iod`` of the phantom's
    study."""
    from authoring import iods

    sr = getattr(iods, iod)(
        SeriesNumber=series_number, InstanceNumber=1, CompletionFlag="COMPLETE",
        VerificationFlag="UNVERIFIED", ContentDate=WHEN.date(), ContentTime=WHEN.time(),
        ValueType="CONTAINER")
    for keyword, value in (("PatientName", "Phantom^Water"), ("PatientID", "PHANTOM-001"),
                           ("StudyDate", WHEN.date()), ("StudyTime", WHEN.time()),
                           ("StudyID", "1"), ("Manufacturer", "authoring tests"),
                           ("StudyInstanceUID", STUDY_UID),
                           ("SeriesInstanceUID", series_uid),
                           ("SOPInstanceUID", instance_uid)):
        setattr(sr, keyword, value)
    report.fill(sr)
    return sr


def ours_basic_document(iod: str = "BasicTextSR", edition: str = "2024c") -> Any:
    """The TID 2000 report as a Basic Text SR (or ``iod``: EnhancedSR, ComprehensiveSR)."""
    return sr_document(iod, ours_basic_report(edition), "1.2.826.0.1.3680043.8.498.15",
                       "1.2.826.0.1.3680043.8.498.16")
