"""Codify over pydicom's corpus: every file we read gets a script that runs; the rebuild is
byte-identical wherever ``authoring convert`` reproduces the file; the figures of both
tools (ours and pydicom's codify) are printed and ours must win on every count."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import pytest

import authoring
from authoring.errors import ReadError
from tests.conftest import corpus_files, pydicom_data
from tests.support.codify_runs import ours, theirs


def _readable() -> list[tuple[str, bool]]:
    """Corpus files we read, with whether convert reproduces them byte for byte."""
    found = []
    for name in corpus_files():
        path = pydicom_data() / name
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                written = authoring.to_bytes(authoring.read(path), validation="ignore")
        except (ReadError, authoring.errors.AuthoringError):  # type: ignore[attr-defined]
            continue
        found.append((name, written == path.read_bytes()))
    return found


FILES = _readable()


@pytest.mark.slow
@pytest.mark.parametrize("style", ["core", "typed"])
def test_every_script_runs_and_rebuilds_exactly(style: str, tmp_path: Path) -> None:
    outcomes: Counter[str] = Counter()
    problems = []
    for index, (name, convert_exact) in enumerate(FILES):
        folder = tmp_path / str(index)
        folder.mkdir()
        outcome = ours(pydicom_data() / name, folder, style)
        outcomes[outcome] += 1
        if outcome in ("codify error", "script error"):
            problems.append(f"{name}: {outcome}")
        elif convert_exact and outcome != "byte-identical":
            problems.append(f"{name}: {outcome} although convert reproduces it")
    reproduced = sum(1 for _, exact in FILES if exact)
    print(f"\n{style}: {len(FILES)} files, {dict(outcomes)}; convert reproduces {reproduced}")
    assert not problems, problems
    assert outcomes["byte-identical"] >= reproduced


@pytest.mark.slow
def test_against_pydicom_codify(tmp_path: Path) -> None:
    counts = {"ours": Counter[str](), "pydicom": Counter[str]()}
    for index, (name, _) in enumerate(FILES):
        folder = tmp_path / str(index)
        folder.mkdir()
        counts["ours"][ours(pydicom_data() / name, folder)] += 1
        counts["pydicom"][theirs(pydicom_data() / name, folder)] += 1
    print(f"\n{'outcome':<16} {'ours':>6} {'pydicom':>8}   ({len(FILES)} corpus files)")
    for outcome in ("codify error", "script error", "differs", "dataset-equal",
                    "byte-identical"):
        print(f"{outcome:<16} {counts['ours'][outcome]:>6} {counts['pydicom'][outcome]:>8}")
    assert counts["ours"]["codify error"] == counts["ours"]["script error"] == 0
    assert counts["ours"]["byte-identical"] > counts["pydicom"]["byte-identical"]
    ours_equal = counts["ours"]["byte-identical"] + counts["ours"]["dataset-equal"]
    theirs_equal = counts["pydicom"]["byte-identical"] + counts["pydicom"]["dataset-equal"]
    assert ours_equal >= theirs_equal
