"""The Comprehensive SR example claims TID 1500 (Content Template Sequence) and is
conformant to it in PixelMed's DicomSRValidator: no error, no content item outside the
template."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import missing
from tests.support.pixelmed_templates import JAR


def pixelmed_sr_findings(path: Path) -> list[str]:
    """The Error and Warning lines of PixelMed's DicomSRValidator for ``path``."""
    result = subprocess.run(
        ["java", "-Djdk.xml.xpathExprOpLimit=0", "-Djdk.xml.xpathExprGrpLimit=0",
         "-Djdk.xml.xpathTotalOpLimit=0", "-cp", str(JAR),
         "com.pixelmed.validate.DicomSRValidator", str(path)],
        check=False, capture_output=True, text=True, timeout=300)
    lines = (result.stdout + result.stderr).splitlines()
    assert any("Root Template Validation Complete" in line for line in lines), lines[-20:]
    return [line for line in lines if line.startswith(("Error", "Warning"))]


@pytest.mark.external
def test_the_tid_1500_example_is_conformant_in_pixelmed(tmp_path: Path) -> None:
    if not JAR.exists():
        missing("PixelMed is not installed (apt-get install libpixelmed-java)")
    from tests.support.examples import example

    path = example("comprehensive_sr").main(tmp_path)
    assert pixelmed_sr_findings(path) == []
