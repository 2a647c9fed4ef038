"""TID 2000 Basic Diagnostic Imaging Report compiled from the encoded templates: built,
written as Basic Text, Enhanced and Comprehensive SR, read back, and checked by PixelMed
and dcmtk."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import authoring
from authoring.codes import CID7001, CID7002, CID7003
from authoring.sr.templates import (
    BasicDiagnosticImagingReport,
    Heading,
    ReportNarrative,
)
from tests.builders.test_sr_example import pixelmed_sr_findings
from tests.conftest import missing, require_tool
from tests.support.pixelmed_templates import JAR
from tests.support.sr_reports import CT_INSTANCE, ours_basic_document, ours_basic_report


@pytest.mark.parametrize("iod", ["BasicTextSR", "EnhancedSR", "ComprehensiveSR"])
def test_the_report_is_valid_and_reads_back(tmp_path: Path, iod: str) -> None:
    sr = ours_basic_document(iod)
    report = sr.validate()
    assert report.ok and not report.warnings, str(report)
    assert [t.TemplateIdentifier for t in sr.ContentTemplateSequence] == ["2000"]
    path = tmp_path / "report.dcm"
    authoring.write(sr, path)
    back = BasicDiagnosticImagingReport.view(authoring.read(path))
    assert back == ours_basic_report()
    headings = back.values["heading"]
    assert [h.values["heading"] for h in headings] == [CID7001.History, CID7001.Findings]
    narrative = headings[1].values["report_narrative"]
    assert isinstance(narrative, ReportNarrative)
    observation = narrative.values["text_observation"][0]
    assert observation.values["text_observation"].concept is CID7002.Impression
    image = observation.values["inferred_from"][0].values["image"]
    assert image.concept is CID7003.BestIllustrationOfFinding
    assert image.value.sop_instance_uid == CT_INSTANCE


def test_a_heading_without_its_narrative_is_a_type_and_template_error() -> None:
    with pytest.raises(TypeError):
        Heading(heading=CID7001.Findings)  # type: ignore[call-arg]
    sr = ours_basic_document()
    findings = sr.ContentSequence[-1]
    del findings.ContentSequence  # TID 2000 row 8 (INCLUDE TID 2002) is M
    messages = [f.message for f in sr.validate().findings if f.rule == "sr-template-missing"]
    assert messages == ["TID 2000 row 8 (INCLUDE ReportNarrative) is mandatory and absent"]


@pytest.mark.external
def test_the_report_is_conformant_in_pixelmed(tmp_path: Path) -> None:
    """With CID 7001's codes of PixelMed's edition (2022: DCM 121060, 121070; PS3.16
    2024c moved the headings to LOINC codes PixelMed does not know), PixelMed reports no
    error and no item outside TID 2000."""
    if not JAR.exists():
        missing("PixelMed is not installed (apt-get install libpixelmed-java)")
    path = tmp_path / "tid2000.dcm"
    authoring.write(ours_basic_document("BasicTextSR", "2022"), path)
    assert pixelmed_sr_findings(path) == []


@pytest.mark.external
def test_dsrdump_reads_the_report(tmp_path: Path) -> None:
    path = tmp_path / "tid2000.dcm"
    authoring.write(ours_basic_document(), path)
    result = subprocess.run([require_tool("dsrdump"), str(path)], capture_output=True,
                            text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert '"Radiology Report"' in result.stdout and '"Findings"' in result.stdout
    assert "A 7 mm nodule in the right ..." in result.stdout  # dsrdump shortens text
