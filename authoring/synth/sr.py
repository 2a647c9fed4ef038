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
             "Comprehensive3DSR": 1500, "XRayRadiationDoseSR": 10011,
             "RadiopharmaceuticalRadiationDoseSR": 10021,
             "KeyObjectSelectionDocument": 2010}
#: What a synthetic Key Object Selection selects: the first instance of its evidence, made a
#: CT image (the generic filler gives the evidence a made-up SOP class).
SELECTED_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.2"


def templated_report(tid: int, seed: str) -> Any:
    """The synthetic report of template ``tid`` (2000 or 1500); ``seed`` makes its UIDs
    and numbers."""
    import hashlib

    from authoring.codes import (
        CID100,
        CID244,
        CID270,
        CID7000,
        CID7001,
        CID7002,
        CID7021,
    )
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
    if tid == 10011:
        return _ct_radiation_dose(seed, number, observation, language)
    if tid == 10021:
        return _radiopharmaceutical_dose(seed, number, language)
    if tid == 2000:
        return templates.BasicDiagnosticImagingReport(
            document_title=CID7000.RadiologyReport,
            language_of_content_item_and_descendants=language,
            observation_context=observation,
            procedure_reported=[CID100.CTUnspecifiedBodyRegion],
            heading=[templates.Heading(heading=CID7001.Findings,
                                       report_narrative=templates.ReportNarrative(
                text_observation=[templates.TextObservation(text_observation=Named(
                    CID7002.Finding, f"A {diameter:.1f} mm nodule (synthetic)."))]))])
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
        if TEMPLATED[iod] == 2010:
            _key_object_selection(dataset).fill(dataset)
        else:
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


def _ct_radiation_dose(seed: str, number: int, observation: Any, language: Any) -> Any:
    """TID 10011: one helical CT irradiation event of a chest scan, its accumulated dose,
    values from ``number`` (CTDIvol 5-15 mGy, scan length 250-400 mm)."""
    import datetime

    from authoring.codes import (
        CID230,
        CID3629,
        CID4030,
        CID4052,
        CID10000,
        CID10001,
        CID10013,
        CID10021,
    )
    from authoring.core.code import Code
    from authoring.core.uid import generate_uid
    from authoring.sr import templates
    from authoring.sr.values import Named

    ctdi = 5 + number % 100 / 10
    length = 250 + number % 150
    dlp = round(ctdi * length / 10, 1)
    start = datetime.datetime(2026, 1, 1, 9, 0, 0) + datetime.timedelta(minutes=number % 600)
    study = generate_uid(seed=f"{seed} study")
    event = templates.CTIrradiationEventData(
        target_region=CID4030.ChestAbdomenAndPelvis,
        ct_acquisition_type=CID10013.SpiralAcquisition,
        irradiation_event_uid=generate_uid(seed=f"{seed} event 1"),
        exposure_time=round(length / 40, 2),
        scanning_length=templates.ScanningLength(scanning_length=length),
        nominal_single_collimation_width=0.625,
        nominal_total_collimation_width=40,
        number_of_x_ray_sources=1,
        ct_x_ray_source_parameters=[templates.CtXRaySourceParameters(
            identification_of_the_x_ray_source="A", kvp=120,
            maximum_x_ray_tube_current=300 + number % 200, x_ray_tube_current=200,
            exposure_time_per_rotation=0.5)],
        pitch_factor=1.0, mean_ctdivol=ctdi, dlp=dlp,
        ctdiw_phantom_type=CID4052.IECBodyDosimetryPhantom,
        ct_dose_check_details=templates.CTDoseCheckDetails(
            dlp_alert_value_configured=CID230.No, ctdivol_alert_value_configured=CID230.No,
            dlp_notification_value_configured=CID230.No,
            ctdivol_notification_value_configured=CID230.No))
    return templates.CTRadiationDose(
        language_of_content_item_and_descendants=language,
        procedure_reported=Code("77477000", "SCT", "Computed Tomography X-Ray"),
        has_intent=CID3629.DiagnosticIntent,
        observer_context=observation.values["observer_context"],
        start_of_x_ray_irradiation=start,
        end_of_x_ray_irradiation=start + datetime.timedelta(minutes=5),
        scope_of_accumulation=CID10000.Study,
        scope_uid=Named(CID10001.StudyInstanceUID, study),
        ct_accumulated_dose_data=templates.CTAccumulatedDoseData(
            total_number_of_irradiation_events=1, ct_dose_length_product_total=dlp),
        ct_irradiation_event_data=[event],
        source_of_dose_information=[CID10021.AutomatedDataCollection])


def _radiopharmaceutical_dose(seed: str, number: int, language: Any) -> Any:
    """TID 10021: one intravenous FDG administration for a tumour PET study, the activity
    from ``number`` (150-449 MBq), the technologist who gave it, the bladder wall dose."""
    import datetime

    from authoring.codes import (
        CID11,
        CID244,
        CID3108,
        CID3629,
        CID3746,
        CID7453,
        CID10040,
        CID10044,
    )
    from authoring.core.code import Code
    from authoring.core.uid import generate_uid
    from authoring.sr import templates

    activity = 150 + number % 300
    start = datetime.datetime(2026, 1, 1, 8, 0, 0) + datetime.timedelta(minutes=number % 600)
    return templates.RadiopharmaceuticalRadiationDose(
        language_of_content_item_and_descendants=language,
        associated_procedure_attribute=CID3108.PETStudyForLocalizationOfTumor,
        has_intent_attribute=CID3629.DiagnosticIntent,
        radiopharmaceutical_administration=templates.RadiopharmaceuticalAdministration(
            radiopharmaceutical_agent=Code("35321007", "SCT", "Fluorodeoxyglucose F^18^"),
            radioactive_isotope_substance=Code("77004003", "SCT", "^18^Fluorine"),
            half_life_of_radiopharmaceutical_qualifier_value=6586.2,  # s, PS3.16 CID 4020
            radiopharmaceutical_administration_event_uid=generate_uid(
                seed=f"{seed} administration"),
            radiopharmaceutical_start_datetime=start,
            radiopharmaceutical_stop_datetime=start + datetime.timedelta(minutes=1),
            administered_activity=activity,
            route_of_administration_attribute=CID11.IntravenousRoute,
            site_of_attribute=CID3746.ViaArmVein,
            laterality=CID244.Left,
            organ_dose=[templates.OrganDose(
                finding_site=CID10044.Bladder,
                organ_dose=round(activity * 0.13, 2),  # ICRP 106, FDG: 0.13 mGy/MBq
                organ_dose_reference_authority=CID10040.ICRPPublication106)],
            person_participant=[templates.PersonParticipant(
                person_name="Synthetic^Technologist",
                person_role_in_procedure=CID7453.IrradiationAdministering)]))


def _key_object_selection(dataset: DatasetBase) -> Any:
    """TID 2010: the document selects the first instance its Current Requested Procedure
    Evidence Sequence lists (made a CT image), "Of Interest", with a description; without
    evidence yet, one is made."""
    from authoring.codes import CID7010
    from authoring.object.dataset import Dataset
    from authoring.sr import templates
    from authoring.sr.values import Reference

    evidence = list(dataset.get("CurrentRequestedProcedureEvidenceSequence") or ())
    if not evidence:
        instance = Dataset()
        instance.ReferencedSOPClassUID = SELECTED_SOP_CLASS
        instance.ReferencedSOPInstanceUID = f"{dataset.get('SOPInstanceUID')}.1"
        series = Dataset()
        series.SeriesInstanceUID = f"{dataset.get('SOPInstanceUID')}.2"
        series.set_value("ReferencedSOPSequence", [instance], "SQ")
        study = Dataset()
        study.StudyInstanceUID = str(dataset.get("StudyInstanceUID") or "")
        study.set_value("ReferencedSeriesSequence", [series], "SQ")
        dataset.set_value("CurrentRequestedProcedureEvidenceSequence", [study], "SQ")
        evidence = [study]
    study = evidence[0]
    series = study.ReferencedSeriesSequence[0]
    selected = series.ReferencedSOPSequence[0]
    selected.ReferencedSOPClassUID = SELECTED_SOP_CLASS
    return templates.KeyObjectSelection(
        document_title=CID7010.OfInterest,
        key_object_description="Key images (synthetic).",
        image=[Reference(SELECTED_SOP_CLASS, str(selected.ReferencedSOPInstanceUID),
                         study_uid=str(study.StudyInstanceUID),
                         series_uid=str(series.SeriesInstanceUID))])
