"""The IOD validator on built and read data sets: each kind of rule, with where (path, tag,
keyword), how bad and from which module; the API entry points and the command line."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

import authoring
from authoring.cli.app import app
from authoring.errors import UnknownIODError
from authoring.validation.iod import Finding, Report
from tests.conftest import pydicom_data
from tests.support.examples import example

CORPUS = pydicom_data() / "test_files"


def _read(name: str) -> authoring.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return authoring.read(CORPUS / name)


def _only(report: Report, rule: str) -> Finding:
    found = [f for f in report.findings if f.rule == rule]
    assert len(found) == 1, str(report)
    return found[0]


def test_the_examples_satisfy_their_iods() -> None:
    for name, builder in (("ct_image", "build_ct"), ("secondary_capture",
                                                     "build_secondary_capture"),
                          ("comprehensive_sr", "build_report")):
        report = getattr(example(name), builder)().validate()
        assert report.ok, str(report)


def test_type2_absent_is_an_error_with_its_place() -> None:
    ct = example("ct_image").build_ct()
    del ct.PatientID
    finding = _only(ct.validate(), "type2-missing")
    assert (finding.severity, finding.path, finding.tag, finding.keyword, finding.module) == (
        "error", "PatientID", 0x00100020, "PatientID", "Patient")


def test_type1_empty_and_absent() -> None:
    ct = example("ct_image").build_ct()
    ct.ImageType = None
    ct.Modality = ""  # Type 1C: required unless the SOP class is Secondary Capture
    del ct.Rows
    report = ct.validate()
    assert _only(report, "type1-empty").keyword == "ImageType"
    assert _only(report, "type1c-empty").keyword == "Modality"
    assert _only(report, "type1-missing").keyword == "Rows"


def test_findings_inside_sequence_items_carry_the_item_path() -> None:
    sr = example("comprehensive_sr").build_report()
    del sr.ContentSequence[0].ConceptCodeSequence  # CODE content item without its code
    sr.ContentSequence[1].RelationshipType = "HAS"  # not a defined term
    report = sr.validate()
    missing = _only(report, "type1-missing")
    assert missing.path == "ContentSequence[0].ConceptCodeSequence"
    assert missing.module == "SRDocumentContent"
    term = _only(report, "defined-term")
    assert (term.severity, term.path) == ("warning", "ContentSequence[1].RelationshipType")


def test_enumerated_values_vm_and_formats() -> None:
    ct = example("ct_image").build_ct()
    ct.PatientSex = "X"
    ct.StudyDate = "2026-11-25"
    ct.PixelSpacing = [1]
    report = ct.validate()
    assert _only(report, "enumerated").path == "PatientSex"
    vm = _only(report, "vm")
    assert (vm.path, vm.message) == ("PixelSpacing", "1 value; VM is 2")
    assert any(f.path == "StudyDate" and "YYYYMMDD" in f.message for f in report.errors)


def test_conditions_are_evaluated_in_each_item() -> None:
    sr = example("comprehensive_sr").build_report()
    tracking = sr.ContentSequence[4].ContentSequence[0].ContentSequence[0]
    del tracking.TextValue  # a TEXT item (Tracking Identifier) without its text
    sr.ContentSequence[0].TextValue = "extra"  # text on a CODE item
    report = sr.validate()
    missing = _only(report, "type1c-missing")
    assert missing.path == "ContentSequence[4].ContentSequence[0].ContentSequence[0].TextValue"
    assert "ValueType is 'TEXT'" in missing.message
    assert _only(report, "condition-false").path == "ContentSequence[0].TextValue"


def test_missing_module() -> None:
    ct = example("ct_image").build_ct()
    for keyword in ("FrameOfReferenceUID", "PositionReferenceIndicator"):
        delattr(ct, keyword)
    report = ct.validate()
    assert any(f.rule == "missing-module" and f.module == "FrameOfReference"
               for f in report.errors), str(report)


def test_iod_from_sop_class_and_by_name() -> None:
    assert _read("CT_small.dcm").validate().iod == "CTImage"
    assert authoring.validate(_read("MR_small.dcm")).iod == "MRImage"
    assert authoring.validate(_read("CT_small.dcm"), "SecondaryCaptureImage").iod == \
        "SecondaryCaptureImage"
    unknown = authoring.Dataset(SOPClassUID="1.2.3.4")
    assert _only(unknown.validate(), "unknown-iod").severity == "error"
    with pytest.raises(UnknownIODError, match="did you mean 'CTImage'"):
        authoring.validate(unknown, "CTImag")


def test_report_json() -> None:
    ct = example("ct_image").build_ct()
    ct.PatientSex = "X"
    data = ct.validate().to_json()
    assert data["iod"] == "CTImage" and data["errors"] == 1
    assert data["findings"][0]["tag"] == "(0010,0040)"
    json.dumps(data)


runner = CliRunner()


def test_cli_validate_exit_codes_and_json(tmp_path: Path) -> None:
    good = example("ct_image").main(tmp_path)
    bad_ct = example("ct_image").build_ct()
    bad_ct.PatientSex = "X"
    bad = tmp_path / "bad.dcm"
    authoring.write(bad_ct, bad, validation="ignore")
    ok = runner.invoke(app, ["validate", str(good)])
    assert ok.exit_code == 0 and "CTImage: 0 errors" in ok.stdout
    failed = runner.invoke(app, ["validate", str(good), str(bad), "--json"])
    assert failed.exit_code == 1
    document = json.loads(failed.stdout)
    assert document[str(bad)]["errors"] == 1 and document[str(good)]["errors"] == 0
    assert runner.invoke(app, ["validate", str(tmp_path / "absent.dcm")]).exit_code == 2
    assert runner.invoke(app, ["validate", str(good), "--iod", "CTImag"]).exit_code == 2


def test_an_sr_document_root_must_be_a_container(tmp_path: Path) -> None:
    """PS3.3 C.17.3: checked here as text of the standard (dciodvfy's tables do not carry
    it); dcmtk's dsrdump refuses such a document too."""
    import subprocess

    from authoring import synth
    from tests.conftest import require_tool

    report = synth.dataset("ComprehensiveSR", seed=2)
    assert report.validate().ok
    report.ValueType = "TEXT"
    report.TextValue = "a root that is not a container"
    # the root's children are now under a TEXT item: A.35 permits none of them there, and
    # TID 1500 (which the synthetic report follows) starts with a CONTAINER
    assert {f.rule for f in report.validate().errors} == {"sr-root", "sr-relationship",
                                                         "sr-template-missing"}
    path = tmp_path / "text-root.dcm"
    authoring.write(report, path, validation="ignore")
    run = subprocess.run([require_tool("dsrdump"), str(path)], capture_output=True, text=True)
    assert run.returncode != 0 or "E:" in run.stderr


@pytest.mark.parametrize("iod", ["Segmentation", "ParametricMap"])
def test_a_multi_frame_without_per_frame_functional_groups_is_an_error(iod: str) -> None:
    """PS3.3 C.7.6.16 requires the Per-Frame Functional Groups Sequence unless the
    Dimension Organization Type is TILED_FULL; dicom3tools' tables make it "required if
    present" (never missing), PixelMed reports its absence: we correct the condition while
    importing (dictionary/dicom3tools-*/PROVENANCE.md lists the correction)."""
    from authoring import synth

    dataset = synth.dataset(iod, seed=1, rows=16, columns=16)
    assert "PerFrameFunctionalGroupsSequence" in dataset and dataset.validate().ok
    del dataset.PerFrameFunctionalGroupsSequence
    missing = [f for f in dataset.validate().findings
               if f.keyword == "PerFrameFunctionalGroupsSequence"]
    assert [f.severity for f in missing] == ["error"]
    assert "TILED_FULL" in missing[0].message
