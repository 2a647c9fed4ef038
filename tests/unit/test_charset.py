"""Specific Character Set: pydicom's charset_files decode to pydicom's strings and encode back
to their bytes; every supported set round-trips and agrees with pydicom's codec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydicom.charset import convert_encodings, decode_bytes, encode_string

import authoring
from authoring.core.charset import character_set
from authoring.errors import CharacterSetError
from tests.conftest import load_expectations, pydicom_data

EXPECTED = load_expectations("charset_reencoding.json")
CHARSET_FILES = sorted(p.name for p in (pydicom_data() / "charset_files").glob("*.dcm"))
TEXT_VRS = {"PN", "LO", "SH", "LT", "ST", "UT", "UC"}


def _pairs(ours: Any, theirs: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Text elements of our data set beside pydicom's, walking both in parallel."""
    found = []
    for element in ours:
        where = f"{path}{element.tag}"
        their = theirs[int(element.tag)]
        if element.vr == "SQ":
            for index, (item, their_item) in enumerate(zip(element.value, their.value)):
                found += _pairs(item, their_item, f"{where}[{index}]")
        elif element.vr in TEXT_VRS and element.raw is not None:
            found.append((where, element, their))
    return found


def _joined(value: Any) -> str:
    if isinstance(value, str) or hasattr(value, "family_name"):  # pydicom's PersonName too
        return str(value)
    return "\\".join(str(v) for v in value)


@pytest.mark.parametrize("name", CHARSET_FILES)
def test_charset_file_decodes_like_pydicom_and_reencodes(name: str) -> None:
    import pydicom

    path = pydicom_data() / "charset_files" / name
    ours = authoring.read(path)
    theirs = pydicom.dcmread(path)
    listed = EXPECTED.get(f"charset_files/{name}", {})
    mismatched = set()
    for where, element, their in _pairs(ours, theirs):
        got, expected = _joined(element.value), _joined(their.value)
        if element.vr == "PN":  # pydicom drops trailing empty component groups
            got, expected = got.rstrip("="), expected.rstrip("=")
        assert got == expected, where
        encoded = element.context.charset.encode(_joined(element.value), element.vr,
                                                 strict=True)
        if encoded != element.raw.rstrip(b" "):
            mismatched.add(where)
    assert mismatched == set(listed), sorted(mismatched ^ set(listed))


SAMPLES = [
    ("ISO_IR 100", "Jérôme Müller"),
    ("ISO_IR 101", "Łódź Žluťoučký"),
    ("ISO_IR 109", "Ħal Ġħargħur"),
    ("ISO_IR 110", "Ŗīga ŅŠ"),
    ("ISO_IR 126", "Διονυσιος"),
    ("ISO_IR 127", "قباني^لنزار"),
    ("ISO_IR 138", "שרון^דבורה"),
    ("ISO_IR 144", "Люксембург"),
    ("ISO_IR 148", "İstanbul Şişli"),
    ("ISO_IR 166", "สวัสดี"),
    ("ISO_IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ"),
    ("ISO_IR 192", "Wang^XiaoDong=王^小東"),
    ("GB18030", "Wang^XiaoDong=王^小东"),
    ("GBK", "王^小东"),
    ("\\ISO 2022 IR 87", "Yamada^Tarou=山田^太郎=やまだ^たろう"),
    ("ISO 2022 IR 13\\ISO 2022 IR 87", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
    ("\\ISO 2022 IR 149", "Hong^Gildong=洪^吉洞=홍^길동"),
    ("\\ISO 2022 IR 58", "Zhang^SanFeng=张^三丰"),
    ("\\ISO 2022 IR 159", "Kanji=丂"),  # U+4E02 is in JIS X 0212, not JIS X 0208
    ("ISO 2022 IR 6\\ISO 2022 IR 100\\ISO 2022 IR 144", "Jérôme=Люксембург"),
    ("ISO 2022 IR 6\\ISO 2022 IR 126", "Athens=Αθήνα"),
]


@pytest.mark.parametrize(("terms", "text"), SAMPLES)
def test_round_trip_and_pydicom_agrees(terms: str, text: str) -> None:
    charset = character_set(terms)
    encoded = charset.encode(text, "PN", strict=True)
    assert charset.decode(encoded) == text
    if "IR 58" in terms:
        return  # pydicom 3.0.2 leaves the ESC $ ) A sequences in the text it decodes
    # pydicom's decoder reads our bytes as the same text
    assert decode_bytes(encoded, convert_encodings(terms.split("\\")), {"^", "="}) == text


def test_gb2312_person_name_as_in_ps3_5_annex_k() -> None:
    # GB 2312 codes: 张 D5C5, 小 D0A1, 东 B6AB; KS-style G1 designation ESC $ ) A before
    # each component that needs it (PS3.5 6.1.2.5.3, Annex K)
    expected = (b"Zhang^XiaoDong=\x1b$)A\xd5\xc5^\x1b$)A\xd0\xa1\xb6\xab=")
    charset = character_set("\\ISO 2022 IR 58")
    assert charset.encode("Zhang^XiaoDong=张^小东=", "PN", strict=True) == expected
    assert charset.decode(expected) == "Zhang^XiaoDong=张^小东="


def test_pydicom_encodings_decode_the_same() -> None:
    for terms, text in SAMPLES:
        if "2022" in terms or terms == "ISO_IR 13":
            continue  # pydicom's single-set encoder (which turns half-width katakana to ?)
        theirs = encode_string(text, convert_encodings(terms.split("\\")))
        assert character_set(terms).decode(theirs) == text


def test_default_repertoire_refuses_non_ascii_when_strict() -> None:
    with pytest.raises(CharacterSetError, match="U\\+00E9"):
        character_set(None).encode("é", "LO", strict=True)
    with pytest.raises(CharacterSetError):
        character_set("ISO_IR 100").encode("Люкс", "LO", strict=True)


def test_invalid_bytes_survive_decoding() -> None:
    charset = character_set("ISO_IR 192")
    raw = b"abc\xff\xfedef"
    text = charset.decode(raw)
    assert charset.encode(text, "LO") == raw  # surrogateescape keeps them


def test_misspelled_terms_are_repaired() -> None:
    assert character_set("ISO IR 100").decode(b"J\xe9r\xf4me") == "Jérôme"
    with pytest.raises(CharacterSetError):
        character_set("KLINGON")
