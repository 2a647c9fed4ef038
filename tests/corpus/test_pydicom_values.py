"""Every value we read from the corpus agrees with pydicom's reading of the same bytes,
except the differences listed (with reasons) in expectations/pydicom_values.json."""

from __future__ import annotations

import warnings
from pathlib import Path

import pydicom
import pytest

import authoring
from tests.conftest import corpus_files, load_expectations
from tests.support.expected_values import VALUE_EXPECTATIONS, unexpected
from tests.support.pydicom_compare import compare

UNREADABLE = {name for name, entry in load_expectations("roundtrip.json").items()
              if not name.startswith("_") and entry["kind"] == "unreadable"}
FILES = [name for name in corpus_files() if name not in UNREADABLE]


@pytest.mark.parametrize("name", FILES)
def test_values_agree_with_pydicom(name: str, corpus_base: Path) -> None:
    path = corpus_base / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = authoring.read(path)  # unreadable files are checked in test_roundtrip.py
        theirs = pydicom.dcmread(path, force=True)
    assert ours.read_transfer_syntax is not None
    problems = compare(ours, theirs, little_endian=ours.read_transfer_syntax.little_endian)
    if ours.file_meta is not None:
        problems += compare(ours.file_meta, theirs.file_meta, little_endian=True, path="meta")
    assert not unexpected(name, problems)
    listed = set(VALUE_EXPECTATIONS.get(name, {}))
    stale = listed - {where for where, _ in problems}
    assert not stale, f"listed differences no longer occur (remove them): {sorted(stale)}"


def test_value_expectations_name_corpus_files() -> None:
    known = set(FILES)
    for name in VALUE_EXPECTATIONS:
        assert name.startswith("_") or name in known, name
