"""Compare two PS3.6 editions field by field, classifying each difference.

A third witness, pydicom's dictionary (generated from a recent edition of the standard),
separates changes the standard made between editions from differences of one source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from authoring.compiler.ir import ElementEntry

FIELDS = ("keyword", "name", "vr", "vm", "retired")


@dataclass(frozen=True)
class Difference:
    """One field of one tag that differs between the old and the new edition."""

    tag: str
    field: str
    old: object
    new: object


def normalized_name(name: str) -> str:
    """A name with case, spacing, punctuation and the micro sign ignored."""
    return re.sub(r"[^0-9a-z]", "", name.lower().replace("µ", "u").replace("(retired)", ""))


def differences(old: dict[str, ElementEntry], new: dict[str, ElementEntry]) -> list[Difference]:
    """Field differences on the tags both editions have."""
    found = []
    for tag in sorted(set(old) & set(new)):
        for field in FIELDS:
            a, b = getattr(old[tag], field), getattr(new[tag], field)
            if a != b:
                found.append(Difference(tag, field, a, b))
    return found


def pydicom_witness(tag: str, field: str) -> object | None:
    """What pydicom's dictionary says for ``field`` of ``tag`` (None when it has no entry)."""
    from pydicom.datadict import DicomDictionary, RepeatersDictionary

    text = tag.strip("()").replace(",", "")
    entry = None
    if "x" in text:
        entry = RepeatersDictionary.get(text.upper().replace("X", "x"))
    else:
        entry = DicomDictionary.get(int(text, 16))
    if entry is None:
        return None
    vr, vm, name, retired, keyword = entry
    return {"vr": "" if vr == "NONE" else vr, "vm": vm, "name": name, "keyword": keyword,
            "retired": retired == "Retired"}[field]
