"""Tags: every accepted form, printing and the predicates of PS3.5 7.1 and 7.8."""

from __future__ import annotations

import pytest

from authoring import Tag
from authoring.errors import UnknownKeywordError


def test_every_form_gives_the_same_tag() -> None:
    forms = [0x00100010, (0x0010, 0x0010), "(0010,0010)", "0010,0010", "00100010",
             "PatientName", Tag(0x0010, 0x0010)]
    assert {Tag(form) for form in forms} == {0x00100010}


def test_printing_and_parts() -> None:
    tag = Tag("PixelData")
    assert str(tag) == repr(tag) == "(7FE0,0010)"
    assert (tag.group, tag.element) == (0x7FE0, 0x0010)
    assert tag.keyword == "PixelData" and tag.name == "Pixel Data"
    assert f"{tag:08X}" == "7FE00010"


def test_private_predicates() -> None:
    assert Tag(0x00090010).is_private and Tag(0x00090010).is_private_creator
    assert Tag(0x00091001).is_private and not Tag(0x00091001).is_private_creator
    assert Tag(0x00091001).private_block == 0x10
    assert Tag(0x0009_10FF).private_block == 0x10
    # odd groups 0001, 0003, 0005, 0007 and FFFF are not private (PS3.5 7.8.1)
    assert not any(Tag(g, 0x0010).is_private for g in (0x0001, 0x0003, 0x0005, 0x0007, 0xFFFF))
    assert not Tag("PatientName").is_private


def test_group_length_and_repeating_groups() -> None:
    assert Tag(0x00080000).is_group_length and not Tag(0x00080005).is_group_length
    assert Tag(0x60003000).is_repeating_group and Tag(0x601E3000).is_repeating_group
    assert Tag(0x50100010).is_repeating_group  # curve group (50xx,0010)
    assert not Tag(0x60013000).is_repeating_group  # odd: a private group
    assert not Tag("PatientName").is_repeating_group
    assert Tag(0x60023000).keyword == "OverlayData"


def test_bad_input() -> None:
    with pytest.raises(UnknownKeywordError, match="PatientNam"):
        Tag("PatientNam")
    with pytest.raises(ValueError):
        Tag(0x1_0000_0000)
    with pytest.raises(ValueError):
        Tag((0x10000, 0))
    with pytest.raises(TypeError):
        Tag(1.5)  # type: ignore[arg-type]
