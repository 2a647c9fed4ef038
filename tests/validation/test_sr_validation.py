"""SR content validation: relationship constraints per IOD (PS3.3 A.35), references by
position, SCOORD sources, frame numbers, evidence lists, graphic data, and conformance to
the compiled templates row by row (mandatory rows, VM, defined value sets, conditions, items
outside the template). Each finding names the content item's position (``1.2.3``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import authoring
from authoring.codes import Code
from authoring.sr.content import content_item
from authoring.sr.values import Reference
from authoring.validation.iod import Finding
from authoring.validation.sr_content import constrained_sop_classes
from tests.conftest import REPO
from tests.support.sr_reports import (
    CT_INSTANCE,
    CT_STORAGE,
    ours_document,
    ours_full_report,
)


def document() -> Any:
    """A conformant TID 1500 report using every branch we compile."""
    sr = ours_document(0)
    ours_full_report().fill(sr)
    return sr


def findings(sr: Any) -> list[Finding]:
    """The SR content and template findings of ``sr``."""
    return [f for f in sr.validate().findings if f.rule.startswith("sr-")]


def child(item: Any, code_value: str) -> Any:
    """The child of ``item`` whose concept name has ``code_value``."""
    return next(c for c in item.ContentSequence if c.get("ConceptNameCodeSequence")
                and c.ConceptNameCodeSequence[0].CodeValue == code_value)


def group(sr: Any, tid: str) -> Any:
    """The measurement group of ``sr`` that names TID ``tid``."""
    return next(g for g in child(sr, "126010").ContentSequence
                if g.get("ContentTemplateSequence")
                and g.ContentTemplateSequence[0].TemplateIdentifier == tid)


def test_a_conformant_report_has_no_sr_finding() -> None:
    report = document().validate()
    assert report.ok and not report.warnings, str(report)


def test_relationships_the_iod_does_not_permit_are_errors() -> None:
    sr = document()
    image = next(i for i in child(child(sr, "111028"), "126200").ContentSequence
                 if i.ValueType == "IMAGE")
    image.ContentSequence = [content_item("CONTAINS", "TEXT", Code("121071", "DCM", "Finding"),
                                          "an image holds no text")]
    [found] = [f for f in findings(sr) if f.rule == "sr-relationship"]
    assert found.path == "1.6.1.6.1"  # the IMAGE is the group's 6th item
    assert "IMAGE CONTAINS TEXT is not permitted" in found.message


def test_the_constraint_tables_cover_the_sr_iods_pixelmed_knows() -> None:
    assert {"1.2.840.10008.5.1.4.1.1.88.11", "1.2.840.10008.5.1.4.1.1.88.22",
            "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.88.34",
            "1.2.840.10008.5.1.4.1.1.88.59", "1.2.840.10008.5.1.4.1.1.88.67"} <= \
        constrained_sop_classes()


def test_by_reference_items_must_name_an_item_and_a_permitted_pairing() -> None:
    sr = document()
    finding_item = child(group(sr, "1501"), "121071")
    by_reference = authoring.Dataset()
    by_reference.RelationshipType = "INFERRED FROM"
    by_reference.ReferencedContentItemIdentifier = [1, 99]
    finding_item.ContentSequence = [by_reference]
    [found] = findings(sr)
    assert (found.rule, found.path) == ("sr-reference-target", "1.7.3.3.1")
    by_reference.ReferencedContentItemIdentifier = [1, 6]  # the Image Library container
    assert [f for f in findings(sr) if f.rule != "sr-template-unmatched"] == []
    by_reference.RelationshipType = "HAS CONCEPT MOD"  # by value only (A.35.3-2)
    [found] = [f for f in findings(sr) if f.rule != "sr-template-unmatched"]
    assert found.rule == "sr-relationship"
    assert "CODE HAS CONCEPT MOD CONTAINER by reference" in found.message


def test_scoord_frames_graphic_data_and_evidence() -> None:
    sr = document()
    planar = group(sr, "1410")
    scoord = next(i for i in planar.ContentSequence if i.ValueType == "SCOORD")
    scoord.GraphicData = [1.0, 2.0, 3.0]
    source = scoord.ContentSequence[0]
    source.ReferencedSOPSequence[0].ReferencedFrameNumber = [2]
    source.ReferencedSOPSequence[0].ReferencedSOPInstanceUID = "1.2.826.0.1.3680043.8.498.99"
    rules = {(f.rule, f.path) for f in findings(sr)}
    assert ("sr-graphic-data", "1.7.4.3") in rules
    assert ("sr-frame-number", "1.7.4.3.1") in rules
    assert ("sr-evidence", "1.7.4.3.1") in rules
    del scoord.ContentSequence
    assert ("sr-scoord-source", "1.7.4.3") in {(f.rule, f.path) for f in findings(sr)}


def test_template_rows_value_sets_and_conditions() -> None:
    sr = document()
    planar = group(sr, "1410")
    planar.ContentSequence = [*planar.ContentSequence, content_item(
        "CONTAINS", "IMAGE", Code("121214", "DCM", "Referenced Segmentation Frame"),
        Reference(CT_STORAGE, CT_INSTANCE))]
    laterality = next(c for g in child(sr, "126010").ContentSequence
                      for site in g.get("ContentSequence") or ()
                      for c in site.get("ContentSequence") or ()
                      if c.get("ConceptNameCodeSequence")
                      and c.ConceptNameCodeSequence[0].CodeValue == "272741003")
    laterality.ConceptCodeSequence[0].CodeValue = "999"  # not in DCID 244
    sr.ContentSequence = [*sr.ContentSequence,
                          content_item("CONTAINS", "TEXT", Code("1", "99X", "Odd"), "x")]
    found = {(f.rule, f.path, f.severity, f.message) for f in findings(sr)}
    assert ("sr-template-condition", "1.7.4", "error",
            "TID 1410 row 5: exactly one of rows 5 and 7 is present: found 5 and 7") in found
    assert ("sr-template-condition", "1.7.4", "error",
            "TID 1410 row 8: required (condition: Row 7 is present) and absent") in found
    assert any(rule == "sr-template-value-set" and "DCID 244" in message
               for rule, _, _, message in found)
    assert ("sr-template-unmatched", "1.9", "warning",
            "content item not in TID 1500 (CONTAINS TEXT Odd)") in found


def _items(sr: Any) -> list[Any]:
    """Every content item of ``sr``, depth first."""
    out: list[Any] = []
    stack = list(sr.ContentSequence)
    while stack:
        item = stack.pop(0)
        out.append(item)
        stack[:0] = list(item.get("ContentSequence") or ())
    return out


def _without(sr: Any, concept: str) -> None:
    """Remove every content item named ``concept`` (a code value) from ``sr``."""
    for item in [sr, *_items(sr)]:
        kept = [c for c in item.get("ContentSequence") or ()
                if not (c.get("ConceptNameCodeSequence")
                        and c.ConceptNameCodeSequence[0].CodeValue == concept)]
        if "ContentSequence" in item and len(kept) != len(item.ContentSequence):
            item.ContentSequence = kept


def test_conditions_on_the_values_of_other_rows() -> None:
    """TID 10013 row 12: Pitch Factor is required when the CT Acquisition Type (row 4,
    one level up) is Spiral or Sequenced; TID 2010 row 3: a Document Title Modifier is
    required when the title (row 1) is Rejected for Quality Reasons."""
    from authoring import synth

    dose = synth.dataset("XRayRadiationDoseSR", seed=3)
    assert not [f for f in findings(dose) if f.rule == "sr-template-condition"]
    _without(dose, "113828")  # Pitch Factor, of a spiral acquisition
    assert [(f.rule, f.message) for f in findings(dose) if f.severity == "error"] == [
        ("sr-template-condition", "TID 10013 row 12: required (condition: Row 4 has value "
         "(116152004, SCT) or (113804, DCM)) and absent")]
    kos = synth.dataset("KeyObjectSelectionDocument", seed=3)
    assert not [f for f in findings(kos) if f.severity == "error"]
    kos.ConceptNameCodeSequence[0].CodeValue = "113001"  # Rejected for Quality Reasons
    kos.ConceptNameCodeSequence[0].CodeMeaning = "Rejected for Quality Reasons"
    assert ("sr-template-condition", "TID 2010 row 3: required (condition: Row 1 has value "
            "(113001, DCM) or (113010, DCM)) and absent") in {
        (f.rule, f.message) for f in findings(kos)}


def test_mandatory_rows_and_vm() -> None:
    sr = document()
    for keyword in ("ContentSequence",):
        delattr(sr, keyword)
    found = {f.message for f in findings(sr) if f.rule == "sr-template-missing"}
    assert "TID 1500 row 3 (INCLUDE ObservationContext) is mandatory and absent" in found
    assert any("at least one of rows 6, 10 and 12 is present" in f.message
               for f in findings(sr))
    sr = document()
    sr.ContentSequence = [*sr.ContentSequence, child(sr, "126010")]  # row 6 twice
    assert any(f.rule == "sr-template-vm" and "row 6" in f.message for f in findings(sr))


def test_a_malformed_tree_is_reported_not_raised() -> None:
    sr = document()
    scoord = next(i for i in group(sr, "1410").ContentSequence if i.ValueType == "SCOORD")
    scoord.GraphicData = [1.0]
    del child(group(sr, "1501"), "121071").ConceptCodeSequence
    report = sr.validate()  # never raises
    assert not report.ok


def test_the_cli_reports_positions(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from authoring.cli.app import app

    sr = document()
    del group(sr, "1410").ContentSequence[2].ContentSequence  # SCOORD without its image
    path = tmp_path / "sr.dcm"
    authoring.write(sr, path)
    result = CliRunner().invoke(app, ["validate", str(path), "--json"])
    report = json.loads(result.output)
    entries = next(iter(report.values()))["findings"]
    assert {"rule": "sr-scoord-source", "path": "1.7.4.3"}.items() <= next(
        e for e in entries if e["rule"] == "sr-scoord-source").items()


@pytest.mark.parametrize("name", ["relationships.json"])
def test_the_committed_constraints_are_what_pixelmed_encodes(name: str) -> None:
    from authoring.compiler.importers.pixelmed_sr_constraints import JAR, extract

    if not JAR.exists():
        pytest.skip("PixelMed is not installed")
    committed = json.loads((REPO / "dictionary" / "sr_constraints" / name).read_text())
    assert committed == json.loads(json.dumps(extract()))
