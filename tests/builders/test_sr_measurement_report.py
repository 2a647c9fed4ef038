"""TID 1500 Measurement Report compiled from the encoded templates: built with the typed
builders, written, read back into the same classes, and checked by tools nobody here wrote:
PixelMed's DicomSRValidator (conformance to TID 1500 and everything it includes), dcmtk's
dsrdump (reads the tree), highdicom (reads it with its own TID 1500 API, and builds the
same report to the same content tree)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

import authoring
from authoring.codes import CID7021, Code
from authoring.errors import InvalidValueError
from authoring.sr.templates import (
    ImageOrSpatialCoordinates,
    Measurement,
    MeasurementAndQualitativeEvaluationGroup,
    MeasurementReport,
    ObservationContext,
    PlanarROIMeasurementsAndQualitativeEvaluations,
    VolumetricROIMeasurementsAndQualitativeEvaluations,
)
from authoring.sr.values import Named, Quantity, Reference, Scoord, ucum
from tests.builders.test_sr_example import pixelmed_sr_findings
from tests.conftest import missing, require_tool
from tests.support.pixelmed_templates import JAR
from tests.support.sr_reports import (
    CT_INSTANCE,
    CT_STORAGE,
    content_tree,
    highdicom_document,
    ours_document,
    ours_full_report,
)

KINDS = ("group", "planar", "volumetric")


def written(tmp_path: Path, kinds: tuple[str, ...], name: str = "report") -> Path:
    """The report of ``kinds`` (see ``ours_full_report``) written as a Comprehensive SR."""
    sr = ours_document(0)
    ours_full_report(kinds).fill(sr)
    assert sr.validate().ok
    path = tmp_path / f"{name}.dcm"
    authoring.write(sr, path)
    return path


def test_every_branch_reads_back_into_the_same_values(tmp_path: Path) -> None:
    path = written(tmp_path, KINDS)
    back = MeasurementReport.view(authoring.read(path))
    built = ours_full_report(KINDS)
    assert set(back.values) == set(built.values)
    for name, value in built.values.items():
        assert back.values[name] == value, name
    assert back == built


def test_the_document_root_and_groups_name_their_templates(tmp_path: Path) -> None:
    ds = authoring.read(written(tmp_path, KINDS))
    assert [(t.MappingResource, t.TemplateIdentifier) for t in ds.ContentTemplateSequence] \
        == [("DCMR", "1500")]
    assert "RelationshipType" not in ds
    measurements = next(i for i in ds.ContentSequence
                        if i.ConceptNameCodeSequence[0].CodeValue == "126010")
    groups = [i for i in measurements.ContentSequence if i.ValueType == "CONTAINER"]
    assert [g.ContentTemplateSequence[0].TemplateIdentifier for g in groups] == \
        ["1501", "1410", "1411"]


def test_groups_without_template_identifiers_go_to_the_template_they_fit(
        tmp_path: Path) -> None:
    """TID 1501, 1410 and 1411 all start with a Measurement Group container; without the
    Content Template Sequence a group goes to the template whose rows take its content."""
    ds = authoring.read(written(tmp_path, KINDS))
    measurements = next(i for i in ds.ContentSequence
                        if i.ConceptNameCodeSequence[0].CodeValue == "126010")
    for group in measurements.ContentSequence:
        if "ContentTemplateSequence" in group:
            del group["ContentTemplateSequence"]
    back = MeasurementReport.view(ds)
    assert len(back.values["measurement_and_qualitative_evaluation_group"]) == 1
    planar = back.values["planar_roi_measurements_and_qualitative_evaluations"]
    volumetric = back.values["volumetric_roi_measurements_and_qualitative_evaluations"]
    assert [p.values["tracking_identifier"] for p in planar] == ["Lesion 2"]
    assert [v.values["tracking_identifier"] for v in volumetric] == ["Lesion 3"]


def test_a_bound_parameter_names_the_item_and_reads_back_plain() -> None:
    """TID 300 includes TID 320 with $Purpose = (121112, DCM, Source of Measurement): the
    image gets that concept name, and reads back as the plain reference."""
    ct = Reference(CT_STORAGE, CT_INSTANCE)
    measurement = Measurement(
        measurement=Named(Code("81827009", "SCT", "Diameter"), Quantity(4, ucum("mm"))),
        image_or_spatial_coordinates=[ImageOrSpatialCoordinates(image=ct)])
    [item] = measurement.to_content("CONTAINS")
    [image] = item.ContentSequence
    assert (image.RelationshipType, image.ValueType) == ("INFERRED FROM", "IMAGE")
    assert image.ConceptNameCodeSequence[0].CodeValue == "121112"
    back = Measurement.view([item], "CONTAINS")
    assert back == measurement
    assert back.values["image_or_spatial_coordinates"][0].values["image"] == ct


def test_wrong_values_are_refused_with_the_row_named() -> None:
    with pytest.raises(InvalidValueError, match="row 1 .*Named"):
        Measurement(measurement=Quantity(1, "mm")).to_content()  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="takes Measurement"):
        MeasurementAndQualitativeEvaluationGroup(
            measurement=["7 mm"]).to_content()  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="Graphic Type"):
        Scoord("SQUARE", (1, 2))
    with pytest.raises(InvalidValueError, match="POINT takes 1 point"):
        Scoord("POINT", (1, 2, 3, 4))
    with pytest.raises(InvalidValueError, match="COMPOSITE"):
        PlanarROIMeasurementsAndQualitativeEvaluations(
            real_world_value_map_used_for_measurement=Reference(
                "1.2.840.10008.5.1.4.1.1.67", "1.2.3", frames=(1,))).to_content()


def test_a_report_without_its_root_concept_is_not_a_document() -> None:
    report = MeasurementReport(document_title=CID7021.ImagingMeasurementReport,
                               observation_context=ObservationContext())
    sr = ours_document(0)
    report.fill(sr)
    assert sr.ConceptNameCodeSequence[0].CodeValue == "126000"
    items = VolumetricROIMeasurementsAndQualitativeEvaluations().to_content("CONTAINS")
    assert [i.ValueType for i in items] == ["CONTAINER"]  # mandatory: written, empty
    with pytest.raises(InvalidValueError, match="root CONTAINER"):
        Measurement(measurement=Named(Code("1", "DCM", "x"), Quantity(1, "mm"))).fill(sr)


@pytest.mark.external
@pytest.mark.parametrize("kind", KINDS)
def test_reports_are_conformant_in_pixelmed(tmp_path: Path, kind: str) -> None:
    """One document per kind of measurement group: PixelMed picks the template of *all*
    groups of an Imaging Measurements container from whether *any* group has an image
    region or a segment reference, so a document mixing TID 1501 with TID 1410 or 1411
    groups gets false "missing conditional content item" errors there (a limitation of
    its selection, not of the document; see the README)."""
    if not JAR.exists():
        missing("PixelMed is not installed (apt-get install libpixelmed-java)")
    assert pixelmed_sr_findings(written(tmp_path, (kind,), kind)) == []


@pytest.mark.external
def test_dsrdump_reads_the_report(tmp_path: Path) -> None:
    dsrdump = require_tool("dsrdump")
    path = written(tmp_path, KINDS)
    result = subprocess.run([dsrdump, str(path)], capture_output=True, text=True,
                            check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()
    for text in ('"Imaging Measurement Report"', '"Measurement Group"', '"Image Region"',
                 '"Referenced Segment"', '"Image Library Group"', '="Lesion 3"'):
        assert text in result.stdout, text


def test_highdicom_reads_the_report_with_its_tid_1500_api(tmp_path: Path) -> None:
    hd = pytest.importorskip("highdicom")
    content: Any = hd.sr.srread(written(tmp_path, KINDS)).content
    [group] = content.get_image_measurement_groups()
    [planar] = content.get_planar_roi_measurement_groups()
    [volumetric] = content.get_volumetric_roi_measurement_groups()
    assert group.tracking_identifier == "Lesion 1"
    assert [(m.name.value, m.value, m.unit.value) for m in group.get_measurements()] == \
        [("81827009", 7.5, "mm")]
    assert planar.roi is not None and planar.roi.value.tolist() == \
        [[10.0, 10.0], [20.0, 10.0], [20.0, 20.0], [10.0, 20.0], [10.0, 10.0]]
    assert [(m.name.value, m.value) for m in planar.get_measurements()] == [("42798000", 100)]
    assert volumetric.referenced_segment is not None
    assert str(volumetric.tracking_uid) == "1.2.826.0.1.3680043.8.498.102"
    [observer] = content.get_observer_contexts()
    assert observer.observer_type.value == "121006"


@pytest.mark.parametrize("groups", [1, 10])
def test_the_same_report_built_with_highdicom_is_the_same_tree(tmp_path: Path,
                                                               groups: int) -> None:
    """Built from the same facts, our builders and highdicom's make equal content trees
    (read back with pydicom; TID 1500's order is not significant, code meanings aside)."""
    pytest.importorskip("highdicom")
    import pydicom

    ours = tmp_path / "ours.dcm"
    authoring.write(ours_document(groups), ours)
    theirs = tmp_path / "highdicom.dcm"
    highdicom_document(groups).save_as(theirs)
    assert content_tree(pydicom.dcmread(ours)) == content_tree(pydicom.dcmread(theirs))
    # and the comparison can fail: one value changed is a different tree
    changed = ours_document(groups)
    changed.ContentSequence[-1].ContentSequence[0].ContentSequence[0].TextValue = "other"
    authoring.write(changed, ours)
    assert content_tree(pydicom.dcmread(ours)) != content_tree(pydicom.dcmread(theirs))


def test_the_example_reads_back_into_its_report(tmp_path: Path) -> None:
    from tests.support.examples import example

    module = example("comprehensive_sr")
    path = module.main(tmp_path)
    assert MeasurementReport.view(authoring.read(path)) == module.measurement_report()
