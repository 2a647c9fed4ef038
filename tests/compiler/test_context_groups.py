"""PS3.16 context groups: the compiled enumerations equal pydicom's reading of the same
tables concept for concept, and PixelMed's independent context-group source (2022) agrees
with them except in classes of difference that are each counted and explained."""

from __future__ import annotations

import ast
import json
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest

from authoring.codes import CID7151, Code, as_code, context_group
from authoring.compiler.context_groups import member_names
from tests.conftest import REPO, missing

TABLE = REPO / "dictionary" / "context_groups" / "context_groups.json"
PIXELMED_JAR = Path("/usr/share/java/pixelmed.jar")


def ours() -> dict[int, dict[tuple[str, str], str]]:
    """CID -> (scheme, value) -> meaning, from the committed table."""
    groups = json.loads(TABLE.read_text(encoding="utf-8"))["groups"]
    return {g["cid"]: {(c[0], c[1]): c[2] for c in g["concepts"]} for g in groups}


def test_codes_are_values_compared_by_scheme_and_value() -> None:
    liver = Code("10200004", "SCT", "Liver")
    assert liver == Code("10200004", "SCT", "liver (body structure)")  # meaning is a label
    assert liver != Code("10200004", "DCM", "Liver")
    assert CID7151.Liver.value == liver and CID7151.Liver == CID7151(liver)
    assert as_code(CID7151.Liver) is CID7151.Liver.value and as_code(liver) is liver
    assert CID7151.lookup(Code("0", "99X", "none")) is None
    assert context_group(7151) is CID7151 and CID7151.cid() == 7151
    with pytest.raises(LookupError):
        context_group(999999)
    with pytest.raises(AttributeError):
        liver.value = "x"  # type: ignore[misc]


def test_every_group_equals_pydicoms_reading() -> None:
    """Each of our 1,355 groups, member by member, against ``pydicom.sr.codedict`` (which
    reads the same tables with its own code)."""
    from pydicom.sr.codedict import codes

    table = ours()
    compared = 0
    ambiguous: list[str] = []
    for cid, concepts in table.items():
        theirs = getattr(codes, f"cid{cid}")
        group = context_group(cid)
        mine = {(m.value.scheme, m.value.value): m.value.meaning for m in group}
        expected: dict[tuple[str, str], str] = {}
        unresolved: set[str] = set()
        for name in theirs.dir():
            try:
                code = getattr(theirs, name)
            except RuntimeError:  # pydicom: one keyword in two schemes of the group
                unresolved.add(name)
                continue
            expected[(code.scheme_designator, code.value)] = code.meaning
        for name in unresolved:
            # we keep each: the keyword for one scheme, keyword_SCHEME for the other
            both = [m for m in group if m.name.split("_")[0] == name]
            assert len({m.value.scheme for m in both}) >= 2, (cid, name)
            ambiguous.append(f"CID{cid}.{name}")
            for m in both:
                mine.pop((m.value.scheme, m.value.value), None)
                concepts = {k: v for k, v in concepts.items() if k != (m.value.scheme,
                                                                     m.value.value)}
        assert mine == expected == concepts, cid
        compared += len(mine)
    assert len(table) > 1000 and compared > 25_000
    print(f"\n{len(table)} context groups, {compared:,} concepts equal to pydicom's reading; "
          f"{len(ambiguous)} keywords pydicom cannot resolve (in two schemes of one group), "
          f"which we keep as two members: {ambiguous[:5]}")


def test_member_names_are_unique_identifiers() -> None:
    names = member_names([["SCT", "1", "a", "Liver"], ["FMA", "2", "b", "Liver"],
                          ["DCM", "3", "c", "value"], ["DCM", "4", "d", "None"],
                          ["DCM", "5", "e", "3D"], ["SCT", "6", "f", "Liver"]])
    assert names == ["Liver", "Liver_FMA", "value_", "None_", "C3D", "Liver_SCT"]
    assert all(n.isidentifier() for n in names)


def _pixelmed_groups() -> dict[int, dict[tuple[str, str], str]]:
    if not PIXELMED_JAR.exists():
        missing("PixelMed is not installed (apt-get install libpixelmed-java)")
    with zipfile.ZipFile(PIXELMED_JAR) as jar:
        text = jar.read("com/pixelmed/validate/DicomContextGroupsSource.xml")
    root = ElementTree.fromstring(text)
    groups: dict[int, dict[tuple[str, str], str]] = {}
    for group in root.iter("definecontextgroup"):
        cid = group.get("cid", "")
        if cid.isdigit():
            groups[int(cid)] = {(c.get("csd", ""), c.get("cv", "")): c.get("cm", "")
                                for c in group.iter("contextgroupcode")}
    return groups


def _snomed_rt_to_ct() -> dict[str, str]:
    """SNOMED-RT code -> SNOMED CT code, from the mapping table pydicom ships (read as
    data, as the build reads the groups)."""
    import importlib.util

    found = importlib.util.find_spec("pydicom")
    assert found is not None and found.origin is not None
    source = Path(found.origin).parent / "sr" / "_snomed_dict.py"
    mapping: dict[str, dict[str, str]] = {}
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
            mapping[ast.literal_eval(node.targets[0].slice)] = ast.literal_eval(node.value)
    return mapping["SRT"]


def test_pixelmed_context_groups_agree_but_for_explained_classes() -> None:
    """PixelMed (2022 edition, 264 numbered groups) against ours (PS3.16 2024c). Classes:

    - a SNOMED-RT code (scheme SRT) where PS3.16 now gives the SNOMED CT code of the same
      concept (the standard moved to SCT in 2017-2019; PixelMed's source keeps the old
      codes for many groups): explained when the mapping gives a code our group has;
    - a code the later edition added to or removed from a group (edition difference);
    - a code meaning reworded;
    - a group PixelMed defines that the 2024c tables lack.
    """
    pixelmed = _pixelmed_groups()
    table = ours()
    srt = _snomed_rt_to_ct()
    classes: Counter[str] = Counter()
    identical = 0
    for cid, theirs in sorted(pixelmed.items()):
        mine = table.get(cid)
        if mine is None:
            classes["group not in the 2024c tables"] += 1
            continue
        only_theirs = set(theirs) - set(mine)
        only_mine = set(mine) - set(theirs)
        renamed_scheme = {k for k in only_theirs
                          if k[0] == "SRT" and ("SCT", srt.get(k[1], "")) in mine}
        classes["SNOMED-RT code of a concept we have in SNOMED CT"] += len(renamed_scheme)
        mapped = {("SCT", srt[k[1]]) for k in renamed_scheme}
        classes["code only in PixelMed's (earlier) edition"] += len(only_theirs - renamed_scheme)
        classes["code only in the 2024c edition"] += len(only_mine - mapped)
        both = set(theirs) & set(mine)
        classes["code meaning reworded"] += sum(
            1 for k in both if theirs[k].casefold() != mine[k].casefold())
        if not only_theirs and not only_mine:
            identical += 1
    shared = len(set(pixelmed) & set(table))
    print(f"\nPixelMed 2022 vs PS3.16 2024c: {len(pixelmed)} numbered groups, {shared} in "
          f"both, {identical} with the same codes; differences by class: {dict(classes)}")
    # the standard's codes PixelMed and pydicom both read must mostly agree: what differs
    # is explained above, and most shared groups hold the same concepts
    assert shared >= 250
    assert classes["SNOMED-RT code of a concept we have in SNOMED CT"] > 500
    assert classes["group not in the 2024c tables"] <= 5
