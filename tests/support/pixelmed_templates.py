"""PixelMed's reading of PS3.16 templates, as an independent oracle for ours.

PixelMed's ``DicomSRValidator`` checks documents with an XSLT compiled from its own template
source (``com/pixelmed/validate/DicomSRDescriptionsCompiled.xsl`` in its jar, 2022 edition).
Each template is an ``xsl:template name="TID_N"``; each row a call of ``CheckContentItem``
whose parameters are the row's facts, and each included template a call of ``TID_M`` with
its VM and requirement. This module reads those facts back, for tests to compare with the
rows we encoded from the standard.
"""

from __future__ import annotations

import itertools
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

JAR = Path("/usr/share/java/pixelmed.jar")
XSL = "{http://www.w3.org/1999/XSL/Transform}"


@dataclass(frozen=True)
class OracleRow:
    """One row as PixelMed checks it."""

    row: str  # PS3.16's row label: "4", "13b"
    nesting: int  # 1 for the template's first row
    relationship: str
    value_type: str  # upper case, as PS3.16 writes it
    concept: str  # "(cv,csd)" or "CID n" or ""
    vm: tuple[str, str]
    requirement: str
    value_set_cid: str


@dataclass(frozen=True)
class OracleInclude:
    """One included template as PixelMed invokes it."""

    template: int
    vm: tuple[str, str]
    requirement: str


def _literal(select: str) -> str:
    return select[1:-1] if len(select) >= 2 and select[0] == select[-1] == "'" else select


@cache
def _templates() -> dict[str, ElementTree.Element]:
    with zipfile.ZipFile(JAR) as jar:
        root = ElementTree.fromstring(jar.read(
            "com/pixelmed/validate/DicomSRDescriptionsCompiled.xsl"))
    return {t.get("name", ""): t for t in root.iter(f"{XSL}template") if t.get("name")}


#: Templates PixelMed compiles once per relationship their including row gives them
#: (``TID_1400IF``: included INFERRED FROM); we encode one template whose top rows take
#: the including row's relationship, and compare it with the INFERRED FROM variant.
VARIANTS = {1400: "1400IF", 1401: "1401IF", 1402: "1402IF", 2001: "2001IF"}


def oracle_template(tid: int) -> tuple[list[OracleRow], list[OracleInclude]]:
    """PixelMed's rows (one per row number) and includes of template ``tid``."""
    template = _templates().get(f"TID_{VARIANTS.get(tid, tid)}")
    if template is None:
        raise KeyError(f"PixelMed has no TID {tid}")
    rows: dict[str, OracleRow] = {}
    includes: list[OracleInclude] = []
    for call in template.iter(f"{XSL}call-template"):
        params = {p.get("name", ""): _literal(p.get("select", ""))
                  for p in call.findall(f"{XSL}with-param")}
        name = call.get("name", "")
        if name == "CheckContentItem":
            number = params.get("row", "")
            if number in rows:
                continue  # the same row checked under each outcome of its condition
            concept = ""
            if params.get("cvConceptName"):
                concept = f"({params['cvConceptName']},{params.get('csdConceptName', '')})"
            elif params.get("conceptNameCID"):
                concept = f"CID {params['conceptNameCID']}"
            nesting = params.get("nestingLevel", "")
            rows[number] = OracleRow(
                number, int(nesting) if nesting.isdigit() else 1,
                params.get("relationship", ""), params.get("valueType", "").upper(),
                concept, (params.get("vmmin", ""), params.get("vmmax", "")),
                params.get("requiredType", ""), params.get("valueSetCID", ""))
        elif name.startswith("TID_") and name[4:5].isdigit():
            number = int("".join(itertools.takewhile(str.isdigit, name[4:])))
            include = OracleInclude(number, (params.get("templatevmmin", ""),
                                                     params.get("templatevmmax", "")),
                                    params.get("templateRequiredType", ""))
            if include not in includes:
                includes.append(include)
    return [rows[n] for n in sorted(rows, key=_row_order)], includes


def _row_order(label: str) -> tuple[int, str]:
    digits = "".join(c for c in label if c.isdigit())
    return int(digits or 0), label
