"""Our SR content findings agree with PixelMed's DicomSRValidator on pydicom's SR test
files and on SR documents written by highdicom, by dcmtk and by us, except the differences
listed, each with its reason, in ``tests/expectations/sr_findings_vs_pixelmed.json``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import authoring
from tests.conftest import load_expectations, missing, pydicom_data, require_tool
from tests.support.pixelmed_templates import JAR
from tests.support.sr_oracles import pixelmed_findings
from tests.support.sr_reports import (
    highdicom_document,
    ours_basic_document,
    ours_document,
    ours_full_report,
)

NAMES = ["reportsi.dcm", "test-SR.dcm", "highdicom", "ours-group", "ours-mixed", "dcmtk",
         "ours-tid2000", "ours-tid2000-2022", "synth-dose"]


def document(name: str, folder: Path) -> Path:
    """The file ``name`` stands for (written into ``folder`` when it is made here)."""
    if name.endswith(".dcm"):
        return pydicom_data() / "test_files" / name
    path = folder / f"{name}.dcm"
    if name == "highdicom":
        pytest.importorskip("highdicom")
        highdicom_document(2).save_as(path)
        return path
    if name == "synth-dose":
        from authoring import synth

        authoring.write(synth.dataset("XRayRadiationDoseSR", seed=3), path)
        return path
    if name.startswith("ours-tid2000"):
        authoring.write(ours_basic_document("BasicTextSR", "2022" if name.endswith("2022")
                                            else "2024c"), path)
        return path
    sr = ours_document(0)
    ours_full_report(("group",) if name == "ours-group" else
                     ("group", "planar", "volumetric")).fill(sr)
    authoring.write(sr, path)
    if name == "dcmtk":  # the same document read and written again by dcmtk
        xml = folder / "dcmtk.xml"
        with xml.open("w") as stream:
            subprocess.run([require_tool("dsr2xml"), "+Wt", str(path)], stdout=stream,
                           check=True)  # +Wt: keep the Content Template Sequences
        path = folder / "dcmtk-written.dcm"
        subprocess.run([require_tool("xml2dsr"), str(xml), str(path)], check=True)
    return path


@pytest.mark.external
@pytest.mark.parametrize("name", NAMES)
def test_sr_findings_agree_with_pixelmed(tmp_path: Path, name: str) -> None:
    if not JAR.exists():
        missing("PixelMed is not installed (apt-get install libpixelmed-java)")
    path = document(name, tmp_path)
    dataset = authoring.read(path)
    ours = {(f.severity, f.path, f.rule) for f in dataset.validate().findings
            if f.rule.startswith("sr-")}
    theirs = pixelmed_findings(path)
    if "ContentTemplateSequence" not in dataset:  # no root template: see "_ignored"
        theirs = {f for f in theirs if f[2] != "sr-template-unmatched"}
    expected = load_expectations("sr_findings_vs_pixelmed.json")[name]
    assert sorted(map(list, ours - theirs)) == sorted(expected["only ours"])
    assert sorted(map(list, theirs - ours)) == sorted(expected["only PixelMed"])
