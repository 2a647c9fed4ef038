"""DICOM JSON (PS3.18 F.2) both ways, checked against pydicom on the corpus: our JSON read
by pydicom's ``Dataset.from_json``, pydicom's ``to_json`` read by us, and a file taken
through JSON and back to DICOM, each equal in value to the original as pydicom reads it;
BulkDataURI and hostile documents."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pydicom
import pytest

import authoring
from authoring.errors import AuthoringError, ReadError
from authoring.io.json_model import write_json
from authoring.io.json_reader import read_json
from tests.conftest import corpus_files, load_expectations
from tests.support.expected_values import unexpected
from tests.support.pydicom_compare import compare

UNREADABLE = {name for name, entry in load_expectations("roundtrip.json").items()
              if not name.startswith("_") and entry["kind"] == "unreadable"}
FILES = [name for name in corpus_files() if name not in UNREADABLE]


def _theirs(path: Path) -> pydicom.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pydicom.dcmread(path, force=True)


def _problems(name: str, ours: object, theirs: pydicom.Dataset) -> list[tuple[str, str]]:
    """Value differences of the data set (group 0002, group lengths and Pixel Data aside:
    pixels are compared decoded, after writing) that the differences between our reading
    and pydicom's of the original (expectations/pydicom_values.json) do not explain."""
    found = compare(ours, theirs, little_endian=True)
    return unexpected(name, [(where, why) for where, why in found
                             if not where.startswith(("(0002,", "meta", "(7FE0,0010)"))
                             and where[6:10] != "0000"])


@pytest.mark.parametrize("name", FILES)
def test_through_json_and_back(name: str, corpus_base: Path, tmp_path: Path) -> None:
    """Ours to JSON, read back by us: every value equal to pydicom's reading of the
    original; written again as DICOM, pydicom reads the same values and pixels."""
    path = corpus_base / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = authoring.read(path)
    document = tmp_path / "doc.json"
    write_json(ours, document)
    back = authoring.read(document)
    theirs = _theirs(path)
    assert _problems(name, back, theirs) == []
    target = tmp_path / "back.dcm"
    try:
        authoring.write(back, target, validation="ignore")
    except AuthoringError as exc:  # what we refuse to write, we say why; never corrupt
        pytest.skip(f"not writable as read: {exc}")
    again = _theirs(target)
    for element in theirs:
        if element.tag.group == 0x0002 or element.tag.element == 0 or \
                element.tag == 0x7FE00010:
            continue
        assert element.tag in again, (name, element.tag)
    if "PixelData" in theirs:
        try:
            expected = theirs.pixel_array
        except Exception:  # noqa: BLE001  # pydicom cannot decode it: nothing to compare
            return
        assert np.array_equal(again.pixel_array, expected)


@pytest.mark.parametrize("name", FILES)
def test_pydicom_reads_our_json_and_we_read_theirs(name: str, corpus_base: Path,
                                                   tmp_path: Path) -> None:
    """pydicom's ``from_json`` of our document and our reading of pydicom's ``to_json``
    both equal the original (as pydicom reads it)."""
    path = corpus_base / name
    theirs = _theirs(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = authoring.read(path)
        document = tmp_path / "ours.json"
        write_json(ours, document)
        try:
            from_ours = pydicom.Dataset.from_json(document.read_text())
            their_text = theirs.to_json(bulk_data_threshold=10 ** 9)
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"pydicom's JSON does not handle this file: {exc!r}")
    for element in theirs:
        if element.tag.group == 0x0002 or element.tag.element == 0 or element.VR == "SQ":
            continue
        assert element.tag in from_ours, (name, element.tag)
    (tmp_path / "theirs.json").write_text(their_text)
    syntax = str(theirs.file_meta.get("TransferSyntaxUID", "")) if "file_meta" in dir(
        theirs) else ""
    encapsulated = "PixelData" in theirs and bytes(theirs.PixelData)[:4] == \
        b"\xfe\xff\x00\xe0"
    if encapsulated:  # pydicom's JSON does not say the syntax: refused, unless given
        with pytest.raises(ReadError, match="no Transfer Syntax UID"):
            authoring.read(tmp_path / "theirs.json")
        [read] = read_json(tmp_path / "theirs.json", transfer_syntax=syntax)
    else:
        read = authoring.read(tmp_path / "theirs.json")
    assert _problems(name, read, theirs) == []


def test_bulk_data_uris(corpus_base: Path, tmp_path: Path) -> None:
    """Byte values at least N long go to files beside the document, referenced relatively;
    they read back equal, through a callback too; a missing file is a ReadError naming the
    tag."""
    source = authoring.read(corpus_base / "test_files/CT_small.dcm")
    document = tmp_path / "ct.json"
    write_json(source, document, bulk_data_min_bytes=1024)
    body = json.loads(document.read_text())
    uri = body["7FE00010"]["BulkDataURI"]
    assert uri.startswith("ct.bulk/") and uri.endswith(".bin")  # relative to the document
    assert (tmp_path / uri).read_bytes() == bytes(source.PixelData)
    back = authoring.read(document)
    assert bytes(back.PixelData) == bytes(source.PixelData)
    asked: list[str] = []

    def fetch(uri: str) -> bytes:
        asked.append(uri)
        return (tmp_path / uri).read_bytes()

    [again] = read_json(document, bulk_data=fetch)
    assert uri in asked and bytes(again.PixelData) == bytes(source.PixelData)
    (tmp_path / uri).unlink()
    with pytest.raises(ReadError, match="BulkDataURI") as caught:
        authoring.read(document)
    assert caught.value.tag == 0x7FE00010


def test_an_array_and_encapsulated_pixels(corpus_base: Path, tmp_path: Path) -> None:
    """A DICOMweb array reads as its data sets (``read`` asks for one); encapsulated Pixel
    Data keeps its Transfer Syntax UID in the document and decodes equal after the trip;
    an item stream without one is refused, never written as native pixels."""
    jpeg = authoring.read(corpus_base / "test_files/JPEG2000.dcm")
    ct = authoring.read(corpus_base / "test_files/CT_small.dcm")
    from authoring.io.json_model import document_to_json

    array = tmp_path / "two.json"
    array.write_text(json.dumps([document_to_json(ct), document_to_json(jpeg)]))
    first, second = read_json(array)
    assert str(first.SOPInstanceUID) == str(ct.SOPInstanceUID)
    with pytest.raises(ReadError, match="2 data sets"):
        authoring.read(array)
    target = tmp_path / "jpeg.dcm"
    authoring.write(second, target)
    assert np.array_equal(pydicom.dcmread(target).pixel_array,
                          pydicom.dcmread(corpus_base / "test_files/JPEG2000.dcm").pixel_array)
    body = document_to_json(jpeg)
    del body["00020010"]
    stripped = tmp_path / "stripped.json"
    stripped.write_text(json.dumps(body))
    with pytest.raises(ReadError, match="no Transfer Syntax UID"):
        authoring.read(stripped)


@pytest.mark.parametrize("text", [
    b"not json", b"[1, 2]", b'{"0010": {"vr": "PN"}}', b'{"00100010": {"vr": "XX"}}',
    b'{"00100010": {"Value": ["x"]}}', b'{"00280010": {"vr": "US", "Value": ["a"]}}',
    b'{"7FE00010": {"vr": "OB", "InlineBinary": "***"}}',
    b'{"7FE00010": {"vr": "OB", "Value": [1]}}',
    b'{"00081115": {"vr": "SQ", "Value": [5]}}',
    b'{"00081115": {"vr": "SQ", "Value": "x"}}',
    b'{"7FE00010": {"vr": "OB", "BulkDataURI": "http://example.org/x"}}',
    b"[" * 100000 + b"]" * 100000,
    ('{"00081115": {"vr": "SQ", "Value": [' * 200 + "{}" + "]}}" * 200).encode(),
])
def test_hostile_json_is_a_read_error(text: bytes) -> None:
    with pytest.raises(ReadError):
        read_json(text)
