"""The compiled dictionary against two independent references: the 2013 DocBook edition of
PS3.6 (through our second importer) and pydicom's dictionary. Every difference is either a
class the test recognizes (with a witness) or listed with its reason."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from authoring._generated import ps36_elements
from authoring.dictionary.elements import fixed_elements, repeating_elements
from authoring.compiler.importers.dicom3tools import import_dicom3tools
from authoring.compiler.importers.docbook import import_docbook_ps36
from authoring.compiler.ir import Edition
from tests.conftest import load_expectations
from tests.support.dictionary_diff import differences, normalized_name, pydicom_witness


@pytest.fixture(scope="module")
def snapshot(standard_root: Path) -> Edition:
    return import_dicom3tools(standard_root / "dicom3tools")


@pytest.fixture(scope="module")
def docbook_2013(standard_root: Path) -> Edition:
    return import_docbook_ps36(standard_root / "docbook" / "part06_2013.xml")


def test_importers_agree_up_to_explained_differences(snapshot: Edition,
                                                     docbook_2013: Edition) -> None:
    listed = load_expectations("importers_ps36.json")
    new = snapshot.element_by_tag()
    old = docbook_2013.element_by_tag()
    classes: Counter[str] = Counter()
    unexplained = []
    seen = set()
    for tag in sorted(set(old) - set(new)):
        key = f"{tag} only-2013"
        seen.add(key)
        if key not in listed:
            unexplained.append(key)
    for tag in sorted(set(new) - set(old)):
        classes["added since 2013"] += 1
    for diff in differences(old, new):
        if diff.field == "name" and normalized_name(str(diff.old)) == \
                normalized_name(str(diff.new)):
            classes["typography of a name"] += 1
            continue
        if diff.field == "retired" and diff.new and not diff.old:
            classes["retired since 2013"] += 1
            continue
        if pydicom_witness(diff.tag, diff.field) == diff.new:
            classes["changed by a later edition (pydicom agrees)"] += 1
            continue
        key = f"{diff.tag} {diff.field}"
        seen.add(key)
        if key not in listed:
            unexplained.append(f"{key}: 2013 {diff.old!r}, snapshot {diff.new!r}")
    classes["listed with a reason"] = len(seen)
    agreeing = len(set(old) & set(new)) - len({d.tag for d in differences(old, new)})
    print(f"\n2013 DocBook vs dicom3tools snapshot: {agreeing} of {len(set(old) & set(new))} "
          f"shared tags agree in every field; differences: {dict(classes)}")
    assert not unexplained, unexplained
    stale = {k for k in listed if not k.startswith("_")} - seen
    assert not stale, f"listed but no longer different: {sorted(stale)}"


def _ours() -> dict[str, tuple[str, str, str, str, bool]]:
    table = {f"({t >> 16:04X},{t & 0xFFFF:04X})": row for t, row in
             fixed_elements(ps36_elements.ELEMENTS).items()}
    return table


def test_compiled_table_against_pydicom(docbook_2013: Edition) -> None:
    from pydicom.datadict import DicomDictionary

    expectations = load_expectations("pydicom_dictionary.json")["classes"]
    covered: dict[tuple[str, str], str] = {}
    for name, entry in expectations.items():
        assert entry["reason"]
        for tag in entry["tags"]:
            for field in entry["fields"]:
                covered[(tag, field)] = name
    ours = _ours()
    theirs = {f"({t >> 16:04X},{t & 0xFFFF:04X})": row for t, row in DicomDictionary.items()}
    found: set[tuple[str, str]] = set()
    for tag in set(ours) ^ set(theirs):
        found.add((tag, "missing"))
    for tag in set(ours) & set(theirs):
        vr, vm, name, keyword, retired = ours[tag]
        pvr, pvm, pname, pretired, pkeyword = theirs[tag]
        pairs = {"vr": (vr, "" if pvr == "NONE" else pvr), "vm": (vm, pvm),
                 "name": (name, pname), "keyword": (keyword, pkeyword),
                 "retired": (retired, pretired == "Retired")}
        for field, (a, b) in pairs.items():
            if field == "vr" and a == "" and b == "":
                continue
            if a != b:
                found.add((tag, field))
    unexplained = sorted(found - set(covered))
    assert not unexplained, unexplained[:20]
    # A class may name fields some of its tags do not differ in (several fields per class);
    # every tag of a class must still differ somewhere, or the entry is stale.
    for name, entry in expectations.items():
        for tag in entry["tags"]:
            assert any((tag, field) in found for field in entry["fields"]), (name, tag)
    agreeing = len(set(ours) & set(theirs)) - len({t for t, f in found if f != "missing"})
    print(f"\ncompiled table vs pydicom: {agreeing} of {len(set(ours) & set(theirs))} shared "
          f"tags agree in every field; {len(found)} disagreements in "
          f"{len(expectations)} explained classes")
    # the tags the snapshot has and pydicom lacks are new: the 2013 edition lacks them too
    old = docbook_2013.element_by_tag()
    newer = expectations["newer-than-pydicom"]["tags"]
    assert not [t for t in newer if t in old]


def test_repeating_groups_match_pydicom() -> None:
    from pydicom.datadict import RepeatersDictionary

    ours = {}
    for mask, value, row in repeating_elements(ps36_elements.REPEATING):
        digits = f"{value:08X}"
        pattern = "".join("x" if (mask >> (28 - 4 * i)) & 0xF == 0 else d
                          for i, d in enumerate(digits))
        ours[pattern] = row[3]
    theirs = {k: v[4] for k, v in RepeatersDictionary.items()}
    differing = {k for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k)}
    # dicom3tools prints the (1000,xxxN) elements as (1000,00xN): see importers_ps36.json
    expected = {f"1000xxx{i}" for i in range(6)} | {f"100000x{i}" for i in range(6)}
    assert differing == expected


def test_uid_table_against_pydicom() -> None:
    from pydicom._uid_dict import UID_dictionary

    from authoring.dictionary.uids import all_uids

    expectations = load_expectations("pydicom_uids.json")["classes"]
    covered = {(uid, field) for entry in expectations.values()
               for uid in entry["uids"] for field in entry["fields"]}
    found: set[tuple[str, str]] = set()
    UIDS = all_uids()  # noqa: N806 - the table
    for uid, (keyword, _name, kind, retired) in UIDS.items():
        theirs = UID_dictionary.get(uid)
        if theirs is None:
            found.add((uid, "missing"))
            continue
        _pname, ptype, _info, pretired, pkeyword = theirs
        if keyword != pkeyword:
            found.add((uid, "keyword"))
        if kind != ptype:
            found.add((uid, "type"))
        if retired != (pretired == "Retired"):
            found.add((uid, "retired"))
    assert not sorted(found - covered)
    for name, entry in expectations.items():
        for uid in entry["uids"]:
            assert any((uid, field) in found for field in entry["fields"]), (name, uid)
    print(f"\nUID table vs pydicom: {len(UIDS) - len({u for u, _ in found})} of {len(UIDS)} "
          f"UIDs agree in keyword, type and status; {len(found)} disagreements explained")
