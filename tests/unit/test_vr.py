"""The VR registry against PS3.5 Table 6.2-1 and 7.1.2, and against pydicom's list."""

from __future__ import annotations

from authoring.core.vr import CHARSET_VRS, LONG_LENGTH_VRS, VR, VR_INFO, Kind

# PS3.5 Table 6.2-1 (2026): every VR of the current standard.
STANDARD_VRS = {
    "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF",
    "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN",
    "UR", "US", "UT", "UV",
}


def test_registry_covers_the_standard() -> None:
    assert set(VR_INFO) == STANDARD_VRS == {v.value for v in VR}


def test_registry_matches_pydicom() -> None:
    from pydicom.valuerep import VR as PydicomVR

    theirs = {v.value for v in PydicomVR if len(v.value) == 2}
    assert STANDARD_VRS == theirs


def test_32_bit_length_vrs() -> None:
    # PS3.5 7.1.2: these have a reserved field and a 32-bit length in explicit VR
    assert LONG_LENGTH_VRS == {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
                               "UR", "UT", "UV"}


def test_character_set_vrs() -> None:
    # PS3.5 6.1.2.3: values affected by Specific Character Set
    assert CHARSET_VRS == {"SH", "LO", "ST", "LT", "PN", "UC", "UT"}


def test_lengths_and_padding() -> None:
    expected = {"AE": 16, "AS": 4, "CS": 16, "DA": 8, "DS": 16, "DT": 26, "IS": 12, "LO": 64,
                "LT": 10240, "PN": 64, "SH": 16, "ST": 1024, "TM": 14, "UI": 64}
    for name, limit in expected.items():
        assert VR_INFO[name].max_length == limit, name
    assert VR_INFO["UI"].padding == b"\x00"
    assert VR_INFO["OB"].padding == b"\x00"
    assert VR_INFO["LO"].padding == b" "
    assert VR.PN.info.python_type == "PersonName"
    assert VR.US.info.kind is Kind.BINARY_NUMBER and VR.US.info.width == 2
    assert VR.SV.info.width == 8 and VR.UV.info.struct_code == "Q"
