"""The value rules of PS3.5 6.2 per VR: one accepted and one refused value each, with the
rule that refuses it."""

from __future__ import annotations

import pytest

from authoring.core.charset import character_set
from authoring.core.values import DS, IS
from authoring.validation.value_rules import check_value


@pytest.mark.parametrize(("vr", "value", "rule"), [
    ("CS", "ORIGINAL", None), ("CS", "ct", "characters"), ("CS", "X" * 17, "max-length"),
    ("AE", "STORESCP", None), ("AE", "A\\B", "characters"),
    ("AS", "045Y", None), ("AS", "45", "format"),
    ("UI", "1.2.840.10008.1.2", None), ("UI", "1.02.3", "format"),
    ("DA", "20240229", None), ("DA", "20240101-20240201", None), ("DA", "20230229", "format"),
    ("TM", "235959.123", None), ("TM", "2500", "format"),
    ("DT", "20240101120000.5+0100", None), ("DT", "2024130101", "format"),
    ("DS", DS("1.5"), None), ("DS", "1.5", "format"), ("DS", DS("1" * 17), "max-length,format"),
    ("IS", IS("12"), None), ("IS", "12", "format"),
    ("LO", "text value", None), ("LO", "line\nbreak", "characters"),
    ("LO", "x" * 65, "max-length"), ("SH", "x" * 17, "max-length"),
    ("PN", "Doe^Jane", None), ("PN", "A" * 65, "max-length"),
    ("LT", "line\nbreak\ttab", None), ("LT", "bell\x07", "characters"),
    ("UR", "https://example.org/a", None), ("UR", "https://example.org/a b", "characters"),
    ("US", 65535, None), ("US", 65536, "range"), ("SS", -32769, "range"),
])
def test_one_value(vr: str, value: object, rule: str | None) -> None:
    problems = check_value(vr, value)
    assert [p.rule for p in problems] == (rule.split(",") if rule else [])


def test_several_values_the_vm_and_the_character_set() -> None:
    assert [p.rule for p in check_value("CS", ("ORIGINAL", "bad"), vm="2")] == ["characters"]
    assert [p.rule for p in check_value("CS", ("A", "B", "C"), vm="1-2")] == ["vm"]
    latin = character_set("ISO_IR 100")
    assert check_value("PN", "Müller^Jürgen", charset=latin) == []
    assert [p.rule for p in check_value("PN", "山田^太郎", charset=latin)] == ["charset"]
