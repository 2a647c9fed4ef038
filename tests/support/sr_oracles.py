"""SR findings of PixelMed's DicomSRValidator, reduced to (content item position, kind),
and ours reduced the same way, for tests that compare the two."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.support.pixelmed_templates import JAR

#: PixelMed message -> our rule.
_KINDS = (
    ("Content Item not in template", "sr-template-unmatched"),
    ("illegal relationship", "sr-relationship"),
    ("Incorrect relationship", "sr-relationship"),
    ("Missing required content item", "sr-template-missing"),
    ("Missing conditional content item", "sr-template-condition"),
    ("not in Context Group", "sr-template-value-set"),
    ("Code not in", "sr-template-value-set"),
)
_POSITION = re.compile(r"(?:^|\s)(\d+(?:\.\d+)*):")


def pixelmed_findings(path: Path) -> set[tuple[str, str, str]]:
    """(severity, position, our rule name for the kind) of each Error/Warning PixelMed
    reports about the content tree of ``path``."""
    result = subprocess.run(
        ["java", "-Djdk.xml.xpathExprOpLimit=0", "-Djdk.xml.xpathExprGrpLimit=0",
         "-Djdk.xml.xpathTotalOpLimit=0", "-cp", str(JAR),
         "com.pixelmed.validate.DicomSRValidator", str(path)],
        check=False, capture_output=True, text=True, timeout=300)
    found: set[tuple[str, str, str]] = set()
    for line in (result.stdout + result.stderr).splitlines():
        if not line.startswith(("Error", "Warning")):
            continue
        severity = "error" if line.startswith("Error") else "warning"
        kind = next((rule for text, rule in _KINDS if text in line), "other")
        match = _POSITION.search(line)
        found.add((severity, match.group(1) if match else "", kind))
    return found
