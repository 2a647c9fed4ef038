"""PS3.3 A.35 relationship content constraints of the SR IODs, from PixelMed's encoding.

The standard's tables ("Relationship Content Constraints for <IOD>", PS3.3 A.35.x-2) say,
per SR IOD, which child value types each parent value type may have under each
relationship, by value and by reference. The PS3.3 DocBook of a recent edition is not on
these machines; PixelMed (Debian ``libpixelmed-java``, BSD-style license) encodes those
tables in ``com/pixelmed/validate/DicomSRDescriptionsCompiled.xsl``: one named XSLT template
per IOD (``ComprehensiveSRContentItemConstraints``) that, for each parent item
(``for-each select="//container"``), permits a child by relationship and value type
(``@relationship = 'CONTAINS' and name(.) = 'text'``, by reference with
``name(.) = 'reference'`` and the referenced item's type). This module reads those facts
into ``dictionary/sr_constraints/relationships.json``; the validator reads that file. It
runs by hand (``python -m authoring.compiler.importers.pixelmed_sr_constraints``) when the
jar changes; a test checks the committed file is what the jar gives.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from authoring.errors import DictionarySourceError

JAR = Path("/usr/share/java/pixelmed.jar")
XSL = "com/pixelmed/validate/DicomSRDescriptionsCompiled.xsl"
OUTPUT = Path("dictionary") / "sr_constraints" / "relationships.json"
_NS = "{http://www.w3.org/1999/XSL/Transform}"
_SOP_TEST = re.compile(r"SOPClassUID/value = '([0-9.]+)'")
_PERMIT = re.compile(r"@relationship = '([A-Z ]+)' and name\(\.\) = '(\w+)'"
                     r"(?: and name\(key\('idkey',@IDREF\)\) = '(\w+)')?")


def _constraint_templates(root: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {t.get("name", ""): t for t in root.iter(f"{_NS}template")
            if t.get("name", "").endswith("ContentItemConstraints")}


def _sop_classes(root: ElementTree.Element) -> dict[str, list[str]]:
    """Constraint template name -> SOP Class UIDs whose documents it checks."""
    out: dict[str, list[str]] = {}
    for when in root.iter(f"{_NS}when"):
        match = _SOP_TEST.search(when.get("test", ""))
        if not match:
            continue
        for call in when.iter(f"{_NS}call-template"):
            name = call.get("name", "")
            if name.endswith("ContentItemConstraints"):
                out.setdefault(name, []).append(match.group(1))
                break
    return out


def _permitted(template: ElementTree.Element) -> list[list[str]]:
    """[parent value type, relationship, child value type, "value"|"reference"] rows."""
    rows: list[list[str]] = []
    for parent in template.findall(f"{_NS}for-each"):
        parent_type = parent.get("select", "").removeprefix("//").upper()
        for when in parent.iter(f"{_NS}when"):
            match = _PERMIT.search(when.get("test", ""))
            if not match:
                continue
            relationship, node, referenced = match.groups()
            by_reference = node == "reference"
            child = (referenced if by_reference else node).upper()
            rows.append([parent_type, relationship, child,
                         "reference" if by_reference else "value"])
    return sorted({tuple(r): r for r in rows}.values())


def extract(jar: Path = JAR) -> dict[str, Any]:
    """The relationship constraints PixelMed's jar encodes, by SOP Class UID."""
    try:
        with zipfile.ZipFile(jar) as archive:
            root = ElementTree.fromstring(archive.read(XSL))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError) as error:
        raise DictionarySourceError(f"cannot read {XSL}: {error}", path=jar) from error
    templates = _constraint_templates(root)
    classes = _sop_classes(root)
    iods: list[dict[str, Any]] = []
    for name, template in sorted(templates.items()):
        iods.append({"name": name.removesuffix("ContentItemConstraints"),
                     "sop_classes": sorted(classes.get(name, [])),
                     "permitted": _permitted(template)})
    return {"source": "PixelMed DicomSRDescriptionsCompiled.xsl (libpixelmed-java, 2022-06-24 "
                      "build): its encoding of PS3.3 A.35 Relationship Content Constraints",
            "iods": iods}


def main() -> None:
    """Write :data:`OUTPUT` from the installed jar."""
    data = extract(Path(sys.argv[1]) if len(sys.argv) > 1 else JAR)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT}: {len(data['iods'])} IODs, "
          f"{sum(len(i['permitted']) for i in data['iods'])} permitted relationships")


if __name__ == "__main__":
    main()
