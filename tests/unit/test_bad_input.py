"""Malformed input: a clear error naming file, tag and offset, or a documented recovery;
never a hang, a crash or an allocation of a declared length."""

from __future__ import annotations

import time
import tracemalloc
import warnings

import pytest

import authoring
from authoring.errors import (
    InvalidLengthError,
    InvalidVRError,
    NestingTooDeepError,
    NotDicomError,
    ReadError,
    TruncatedError,
)
from authoring.io.reader import MAX_NESTING, ReadWarning
from tests.support.build_bytes import SEQUENCE_DELIMITER, explicit, implicit, item, part10

NAME = explicit(0x00100010, "PN", b"Doe^Jane")
HEADER_END = 128 + 4 + 12 + 14 + 28  # preamble, DICM, group length, version, syntax UID


def test_truncated_header(tmp_path: object) -> None:
    data = part10(NAME + explicit(0x00100020, "LO", b"ID01"))[:-9]  # cut inside the header
    with pytest.raises(TruncatedError) as caught:
        authoring.read(data)
    assert caught.value.offset == HEADER_END + 16


def test_length_past_the_end_names_tag_and_offset() -> None:
    data = part10(NAME + explicit(0x00100020, "LO", b"ID", length=100))
    with pytest.raises(InvalidLengthError) as caught:
        authoring.read(data)
    assert caught.value.tag == 0x00100020 and caught.value.offset == HEADER_END + 16
    assert "(0010,0020) at byte" in str(caught.value)


def test_huge_declared_length_allocates_nothing() -> None:
    data = part10(NAME + explicit(0x7FE00010, "OB", b"\x00" * 16, length=0xFFFFFFF0))
    tracemalloc.start()
    try:
        with pytest.raises(InvalidLengthError, match="4294967280"):
            authoring.read(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000


def test_odd_length_is_read_and_padded_on_write() -> None:
    data = part10(explicit(0x00080016, "UI", b"1.2.3") + explicit(0x00080018, "UI", b"4.5")
                  + explicit(0x00100020, "LO", b"ABC"))
    ds = authoring.read(data)
    assert ds.PatientID == "ABC"
    written = authoring.to_bytes(ds)
    assert explicit(0x00100020, "LO", b"ABC ") in written


def test_unknown_vr_is_read_as_un_with_a_warning() -> None:
    data = part10(explicit(0x00100020, "LO", b"ID") + b"\x11\x00\x10\x10ZZ\x00\x00"
                  b"\x04\x00\x00\x00abcd")
    with pytest.warns(ReadWarning, match="unknown VR 'ZZ'"):
        ds = authoring.read(data)
    assert ds[0x00111010].vr == "UN" and ds[0x00111010].value == b"abcd"


def test_invalid_vr_bytes() -> None:
    data = part10(NAME + b"\x10\x00\x20\x00l\x00\x02\x00ID")
    with pytest.raises(InvalidVRError) as caught:
        authoring.read(data)
    assert caught.value.tag == 0x00100020


def test_undefined_length_on_a_text_element() -> None:
    data = part10(explicit(0x00100020, "UT", b"text", length=0xFFFFFFFF))
    with pytest.raises(InvalidLengthError, match="undefined length on a UT"):
        authoring.read(data)


@pytest.mark.parametrize("explicit_vr", [True, False])
def test_ten_thousand_nested_sequences(explicit_vr: bool) -> None:
    tag = 0x00081115  # Referenced Series Sequence
    body = b""
    for _ in range(10_000):
        inner = item(body, undefined=True)
        if explicit_vr:
            body = explicit(tag, "SQ", inner + SEQUENCE_DELIMITER, length=0xFFFFFFFF)
        else:
            body = implicit(tag, inner + SEQUENCE_DELIMITER, length=0xFFFFFFFF)
    syntax = "1.2.840.10008.1.2.1" if explicit_vr else "1.2.840.10008.1.2"
    started = time.perf_counter()
    with pytest.raises(NestingTooDeepError) as caught:
        authoring.read(part10(body, syntax))
    assert time.perf_counter() - started < 5
    assert str(MAX_NESTING) in str(caught.value) and caught.value.tag == tag


def test_nesting_within_the_limit_reads() -> None:
    tag = 0x00081115
    body = b""
    for _ in range(50):
        body = explicit(tag, "SQ", item(body, undefined=True) + SEQUENCE_DELIMITER,
                        length=0xFFFFFFFF)
    ds = authoring.read(part10(body))
    depth = max(len(path) for path, _ in ds.walk())
    assert depth == 2 * 49 + 1


def test_item_without_its_delimiter() -> None:
    sequence = explicit(0x00081115, "SQ", struct_item_start(), length=0xFFFFFFFF)
    with pytest.raises(TruncatedError):
        authoring.read(part10(sequence + NAME))


def struct_item_start() -> bytes:
    return b"\xfe\xff\x00\xe0\xff\xff\xff\xff"


def test_wrong_tag_inside_a_sequence() -> None:
    sequence = explicit(0x00081115, "SQ", NAME)  # an element where an item must be
    ds = authoring.read(part10(sequence))  # sequences of defined length parse on access
    with pytest.raises(ReadError, match="expected an item") as caught:
        ds.ReferencedSeriesSequence
    assert caught.value.tag == 0x00081115 and caught.value.offset == HEADER_END + 12


def test_encapsulated_pixel_data_without_delimiter() -> None:
    fragments = item(b"") + item(b"\xff\xd8\xff\xd9")
    data = part10(explicit(0x7FE00010, "OB", fragments, length=0xFFFFFFFF),
                  "1.2.840.10008.1.2.4.50")
    with pytest.raises(TruncatedError, match="no sequence delimiter"):
        authoring.read(data)


def test_not_dicom() -> None:
    with pytest.raises(NotDicomError):
        authoring.read(b"This is a text file, not DICOM at all.\n" * 4)
    with pytest.raises(NotDicomError):
        authoring.read(b"")


def test_errors_name_the_file(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "bad.dcm"
    path.write_bytes(part10(NAME + explicit(0x00100020, "LO", b"ID", length=100)))
    with pytest.raises(InvalidLengthError) as caught:
        authoring.read(path)
    assert caught.value.path == str(path) and str(path) in str(caught.value)


def test_stray_trailing_delimiter_is_tolerated() -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        ds = authoring.read(part10(NAME + SEQUENCE_DELIMITER))
    assert ds.PatientName == "Doe^Jane"
    assert any("stray sequence delimiter" in str(w.message) for w in seen)
