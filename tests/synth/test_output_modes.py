"""synth never overwrites silently: a non-empty --out is refused unless --overwrite or
--append says what to do, concurrent runs never replace each other's files, and the
DICOMDIR of concurrent --dicomdir runs indexes every file they made."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.fileset import FileSet
from typer.testing import CliRunner

import authoring
from authoring import synth
from authoring.cli.app import app
from authoring.errors import SynthError
from tests.conftest import REPO


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "DICOMDIR")


def test_a_non_empty_folder_is_refused_unless_told(tmp_path: Path) -> None:
    options = synth.SynthOptions(iod="CTImage", instances=2, rows=8, columns=8, seed=1)
    synth.generate(options, tmp_path, workers=1)
    before = {p: p.read_bytes() for p in _files(tmp_path)}
    with pytest.raises(SynthError, match="--overwrite .* --append"):
        synth.generate(options, tmp_path, workers=1)
    assert {p: p.read_bytes() for p in _files(tmp_path)} == before
    runner = CliRunner()
    refused = runner.invoke(app, ["synth", "--out", str(tmp_path), "--rows", "8",
                                  "--columns", "8"])
    assert refused.exit_code == 1 and "already holds files" in refused.output
    assert "Traceback" not in refused.output
    both = runner.invoke(app, ["synth", "--out", str(tmp_path), "--overwrite", "--append"])
    assert both.exit_code == 2


def test_overwrite_replaces_and_append_adds_series(tmp_path: Path) -> None:
    options = synth.SynthOptions(iod="CTImage", instances=2, rows=8, columns=8, seed=1)
    first = synth.generate(options, tmp_path, workers=1).written
    again = synth.generate(options, tmp_path, workers=1, if_exists="overwrite").written
    assert again == first
    added = synth.generate(options, tmp_path, workers=1, if_exists="append").written
    assert not set(added) & set(first)
    assert {p.parent.name for p in added} == {"SE0002"}
    numbers = {int(authoring.read(p).SeriesNumber) for p in added}
    assert numbers == {2}
    studies = {authoring.read(p).StudyInstanceUID for p in [*first, *added]}
    assert len(studies) == 1  # the same seed: the same patient and study


def test_concurrent_file_set_runs_index_every_file(tmp_path: Path) -> None:
    """Three synth --dicomdir --append runs into one folder at once: no run fails, no file
    is replaced, and the DICOMDIR (rewritten under the folder's lock by each) indexes every
    file of all three."""
    command = [sys.executable, "-m", "authoring", "synth", "--iod", "CTImage", "--out",
               str(tmp_path), "--instances", "20", "--rows", "16", "--columns", "16",
               "--dicomdir", "--append", "--workers", "1"]
    runs = [subprocess.Popen([*command, "--seed", str(seed)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
            for seed in (1, 2, 3)]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, out + err
    files = _files(tmp_path)
    assert len(files) == 60
    instances = list(FileSet(dcmread(tmp_path / "DICOMDIR")))
    assert len(instances) == 60
    assert {Path(i.path) for i in instances} == set(files)
    assert len({authoring.read(p).SOPInstanceUID for p in files}) == 60
