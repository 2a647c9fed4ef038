"""Every corpus file reads and writes back byte for byte, or is a listed exception whose
claim is checked here too."""

from __future__ import annotations

import warnings
from pathlib import Path

import pydicom
import pytest

import authoring
from authoring.core.tag import Tag
from authoring.errors import ReadError
from tests.conftest import corpus_files, load_expectations
from tests.support.expected_values import unexpected
from tests.support.pydicom_compare import compare

EXPECTED = load_expectations("roundtrip.json")
FILES = corpus_files()


def _read(path: Path) -> authoring.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return authoring.read(path)


def _write(dataset: authoring.Dataset) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return authoring.to_bytes(dataset, validation="ignore")


def _pydicom_values_agree(original: Path, written: bytes, tmp_path: Path
                          ) -> list[tuple[str, str]]:
    """pydicom's reading of our output against pydicom's reading of the original."""
    copy = tmp_path / "written.dcm"
    copy.write_bytes(written)
    theirs_before = pydicom.dcmread(original, force=True)
    theirs_after = pydicom.dcmread(copy, force=True)
    ours_after = authoring.read(copy)
    little = ours_after.read_transfer_syntax is None or \
        ours_after.read_transfer_syntax.little_endian
    problems: list[tuple[str, str]] = []
    before = {int(t) for t in theirs_before.keys()}
    after = {int(t) for t in theirs_after.keys()}
    if before != after:
        problems.append(("", f"pydicom sees different tags: {sorted(before ^ after)}"))
    problems += compare(ours_after, theirs_before, little_endian=little)
    return problems


@pytest.mark.parametrize("name", FILES)
def test_read_write_is_byte_identical(name: str, corpus_base: Path, tmp_path: Path) -> None:
    path = corpus_base / name
    original = path.read_bytes()
    expectation = EXPECTED.get(name)
    if expectation is not None and expectation["kind"] == "unreadable":
        with pytest.raises(ReadError) as caught:
            _read(path)
        error = caught.value
        assert type(error).__name__ == expectation["error"]
        assert error.path == str(path), "the error names the file"
        assert error.offset is not None, "the error gives the byte offset"
        if "tag" in expectation:
            assert error.tag == Tag(expectation["tag"])
        return
    dataset = _read(path)
    for _, element in dataset.walk():
        element.value  # every value decodes
    written = _write(dataset)
    if expectation is None:
        assert written == original, f"{name}: not byte-identical"
        return
    assert written != original, f"{name} now round-trips: remove its expectation"
    kinds = expectation["kind"].split("+")
    if "group-length-fixed" in kinds:
        _check_group_length_fix(original, written, expectation["tags"])
    if "meta-completed" in kinds:
        _check_meta_completed(original, written, expectation["tags"],
                              rest_identical="odd-length-padded" not in kinds)
    if kinds == ["odd-length-padded"]:
        assert len(written) == len(original) + 1
    # Whatever the kind, the values pydicom reads from our output are the original's
    # (group lengths aside, which were wrong, and the differences listed for the file).
    listed = set(expectation.get("tags", [])) | set(expectation.get("padded", []))
    problems = [(where, text) for where, text in
                unexpected(name, _pydicom_values_agree(path, written, tmp_path))
                if where not in listed]
    assert not problems, problems[:5]


@pytest.mark.parametrize("name", FILES)
def test_untouched_read_write_is_as_faithful(name: str, corpus_base: Path) -> None:
    """Writing a file whose values were never accessed (what ``authoring convert`` does)
    is byte-identical wherever writing it after decoding every value is: an unparsed
    sequence is written back in its own form (a UN of undefined length too). For the
    listed malformed files it holds the same values as the accessed write (an unparsed item
    stream keeps, for instance, an odd value length inside it that decoding pads)."""
    expectation = EXPECTED.get(name)
    if expectation is not None and expectation["kind"] == "unreadable":
        return
    original = (corpus_base / name).read_bytes()
    untouched = _write(_read(corpus_base / name))
    if expectation is None:
        assert untouched == original, f"{name}: not byte-identical when not accessed"
        return
    dataset = _read(corpus_base / name)
    for _, element in dataset.walk():
        element.value
    accessed = _write(dataset)

    def values(data: bytes) -> list[tuple[int, object]]:
        """Each element's value, padding aside (PS3.5 6.2: a trailing NUL or space pads an
        odd length); sequences by their items, walked one by one."""
        read = _read_bytes(data)
        found: list[tuple[int, object]] = []
        for _, element in read.walk():
            value = element.value
            if isinstance(value, bytes):
                value = value.rstrip(b"\x00 ")
            elif isinstance(value, list):
                value = len(value)
            found.append((element.tag, value))
        return found

    assert untouched == accessed or values(untouched) == values(accessed), name


def _read_bytes(data: bytes) -> authoring.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return authoring.read(data)


def _check_group_length_fix(original: bytes, written: bytes, tags: list[str]) -> None:
    """Only the group length values differ, and ours is the true size of the group."""
    assert len(original) == len(written)
    differing = [i for i, (a, b) in enumerate(zip(original, written)) if a != b]
    dataset = authoring.read(written)
    allowed: set[int] = set()
    for printed in tags:
        tag = Tag(printed)
        group = tag >> 16
        ours = dataset[tag].value
        members = [e for e in dataset if e.tag >> 16 == group and e.tag != tag]
        # independent of our writer: the group spans from the byte after the group length
        # element to the start of the next group in the file
        start = dataset[tag].offset + 4
        following = [e for e in dataset if e.tag >> 16 > group]
        end = following[0].offset - _header_size(following[0].vr) if following else len(written)
        assert ours == end - start, (printed, ours, end - start)
        assert members
        allowed.update(range(dataset[tag].offset, dataset[tag].offset + 4))
    assert differing, "expected a difference"
    assert set(differing) <= allowed, "bytes other than the group lengths differ"


def _header_size(vr: str) -> int:
    return 12 if vr in ("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT",
                        "UV") else 8


def _check_meta_completed(original: bytes, written: bytes, tags: list[str], *,
                          rest_identical: bool) -> None:
    """The listed meta elements were missing and are now present; the data set after the
    meta is byte-identical."""
    before = authoring.read(original).file_meta
    after_dataset = authoring.read(written)
    after = after_dataset.file_meta
    assert before is not None and after is not None
    for printed in tags:
        assert Tag(printed) not in before
        assert Tag(printed) in after
    meta_end_before = 132 + sum(8 + (4 if e.vr in ("OB", "UN") else 0) + e.raw_length
                                for e in before)
    meta_end_after = 132 + sum(8 + (4 if e.vr in ("OB", "UN") else 0) + e.raw_length
                               for e in after)
    if rest_identical:
        assert original[meta_end_before:] == written[meta_end_after:]
