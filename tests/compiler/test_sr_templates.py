"""PS3.16 templates encoded as normalized data (``dictionary/templates``): every file reads
and is consistent with the compiled context groups, and every row agrees with PixelMed's
independent encoding of the same template (``DicomSRDescriptionsCompiled.xsl``, 2022),
except the differences listed with their reason in
``tests/expectations/sr_templates_vs_pixelmed.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from authoring.codes import context_group
from authoring.compiler.sr_templates import (
    Template,
    TemplateRow,
    read_template,
    read_templates,
)
from authoring.errors import DictionarySourceError
from tests.conftest import REPO, load_expectations, missing
from tests.support.pixelmed_templates import JAR, oracle_template

FOLDER = REPO / "dictionary" / "templates"


def templates() -> dict[int, Template]:
    """The committed templates."""
    return read_templates(FOLDER)


def test_the_templates_read_and_name_real_context_groups() -> None:
    found = templates()
    assert {1500, 1204, 1001, 1002, 1003, 1004, 1005, 4019} <= set(found)
    absent: set[int] = set()
    for template in found.values():
        for row in template.rows:
            for constraint in (row.concept, row.value_set, row.units):
                if constraint is not None and constraint.cid is not None:
                    try:
                        assert len(context_group(constraint.cid)) > 0, (template.tid, row.row)
                    except LookupError:
                        absent.add(constraint.cid)
    # CID 5000 Languages and 5001 Countries: PS3.16 draws them from external standards
    # (RFC 5646 language tags, ISO 3166 country codes), and pydicom's tables omit them
    assert absent <= {5000, 5001}, absent
    rows = sum(len(t.rows) for t in found.values())
    missing_includes = sorted({i for t in found.values() for i in t.includes} - set(found))
    print(f"\n{len(found)} templates, {rows} rows encoded; included but not yet encoded: "
          f"{missing_includes}")


def test_a_malformed_row_is_refused(tmp_path: Path) -> None:
    good = json.loads((FOLDER / "tid1204.json").read_text(encoding="utf-8"))
    for change in ({"requirement": "X"}, {"vm": "one"}, {"value_type": "NUMBER"},
                   {"requirement": "MC"}, {"relationship": "OWNS"}, {"include": 1005}):
        bad = json.loads(json.dumps(good))
        bad["rows"][0].update(change)
        path = tmp_path / "tid1204.json"
        path.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(DictionarySourceError):
            read_template(path)


def _ours(row: TemplateRow) -> dict[str, str]:
    concept = ""
    if row.concept is not None:
        concept = (f"({row.concept.code[0]},{row.concept.code[1]})" if row.concept.code
                   else f"CID {row.concept.cid}" if row.concept.cid else "")  # a parameter: ""
    value_set = str(row.value_set.cid) if row.value_set and row.value_set.cid else ""
    return {"nesting": str(row.nesting + 1), "relationship": row.relationship or "",
            "value_type": row.value_type or "", "concept": concept, "vm": row.vm,
            "requirement": row.requirement, "value_set": value_set}


def test_rows_agree_with_pixelmed() -> None:
    if not JAR.exists():
        missing("PixelMed is not installed (apt-get install libpixelmed-java)")
    expected = {k: v for k, v in load_expectations("sr_templates_vs_pixelmed.json").items()
                if not k.startswith("_")}
    found: dict[str, str] = {}
    compared = 0
    for tid, template in sorted(templates().items()):
        rows, includes = oracle_template(tid)
        theirs = {r.row: {"nesting": str(r.nesting), "relationship": r.relationship,
                          "value_type": r.value_type, "concept": r.concept,
                          "vm": r.vm[0] if r.vm[0] == r.vm[1] else f"{r.vm[0]}-{r.vm[1]}",
                          "requirement": r.requirement, "value_set": r.value_set_cid}
                  for r in rows}
        mine = {r.row: _ours(r) for r in template.rows if r.include is None}
        for label in sorted(set(mine) | set(theirs)):
            if label not in theirs:
                found[f"TID {tid} row {label}"] = "only ours"
                continue
            if label not in mine:
                found[f"TID {tid} row {label}"] = "only PixelMed's"
                continue
            compared += 1
            for name, value in mine[label].items():
                if value != theirs[label][name]:
                    found[f"TID {tid} row {label} {name}"] = f"{value} vs {theirs[label][name]}"
        our_includes = {(r.include, r.vm, r.requirement) for r in template.rows
                        if r.include is not None}
        their_includes = {(i.template, i.vm[0] if i.vm[0] == i.vm[1] else
                           f"{i.vm[0]}-{i.vm[1]}", i.requirement) for i in includes}
        for include in sorted(our_includes ^ their_includes, key=str):
            side = "ours" if include in our_includes else "PixelMed's"
            found[f"TID {tid} include {include[0]} {side}"] = f"VM {include[1]}, {include[2]}"
    print(f"\n{compared} rows compared with PixelMed; {len(found)} differences, each "
          "explained in the expectations")
    unexplained = {k: v for k, v in found.items() if k not in expected}
    assert not unexplained, json.dumps(unexplained, indent=1)
    stale = set(expected) - set(found)
    assert not stale, f"listed but no longer different: {sorted(stale)}"
    for key, entry in expected.items():
        assert entry["found"] == found[key], key
