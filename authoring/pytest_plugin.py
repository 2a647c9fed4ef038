"""pytest fixtures for synthetic DICOM (registered through the ``pytest11`` entry point).

- ``dicom_factory(iod="CTImage", seed=0, **overrides) -> Dataset``
- ``dicom_file(iod="CTImage", transfer_syntax=None, **overrides) -> Path`` (in tmp_path)
- ``dicom_series(iod="CTImage", instances=5, **overrides) -> list[Path]`` (in tmp_path)
- ``dicom_fileset("CTImage", "MRImage", instances=3) -> Path``: a folder with a DICOMDIR

    def test_my_reader(dicom_file):
        path = dicom_file("MRImage", PatientName="Test^A")
        assert my_reader(path).patient_name == "Test^A"
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from authoring.errors import SynthError


@pytest.fixture
def dicom_factory() -> Callable[..., Any]:
    """Make a valid synthetic data set of any IOD, with attributes overridden."""
    from authoring import synth

    def make(iod: str = "CTImage", *, seed: int = 0, rows: int = 64, columns: int = 64,
             frames: int = 1, charset: str = "", **overrides: Any) -> Any:
        return synth.dataset(iod, seed=seed, rows=rows, columns=columns, frames=frames,
                             charset=charset, **overrides)

    return make


@pytest.fixture
def dicom_file(tmp_path: Path, dicom_factory: Callable[..., Any]) -> Callable[..., Path]:
    """Write a synthetic instance to a file in the test's temporary folder."""
    import authoring

    counter = iter(range(1, 1_000_000))

    def write(iod: str = "CTImage", *, transfer_syntax: str | None = None,
              **options: Any) -> Path:
        path = tmp_path / f"synthetic-{next(counter):04d}.dcm"
        authoring.write(dicom_factory(iod, **options), path, transfer_syntax=transfer_syntax)
        return path

    return write


@pytest.fixture
def dicom_series(tmp_path: Path) -> Callable[..., list[Path]]:
    """Write a synthetic series (shared UIDs, stepping geometry) to the test's folder."""
    from authoring.synth import SynthOptions, generate

    counter = iter(range(1, 1_000_000))

    def write(iod: str = "CTImage", *, instances: int = 5, seed: int = 0, rows: int = 64,
              columns: int = 64, transfer_syntax: str | None = None, **overrides: Any
              ) -> list[Path]:
        folder = tmp_path / f"series-{next(counter):04d}"
        options = SynthOptions(iod=iod, instances=instances, seed=seed, rows=rows,
                               columns=columns, transfer_syntax=transfer_syntax,
                               overrides=tuple(overrides.items()))
        summary = generate(options, folder, workers=1)
        if summary.failed:
            raise SynthError(f"synthetic series failed: {summary.failed[0].error}")
        return summary.written

    return write


@pytest.fixture
def dicom_fileset(tmp_path: Path) -> Callable[..., Path]:
    """Write a DICOM File-set (one study, a series per IOD, a DICOMDIR) to the test's
    folder; returns the folder that holds the DICOMDIR."""
    from authoring.synth import SynthOptions, generate_study

    counter = iter(range(1, 1_000_000))

    def write(*iods: str, instances: int = 3, seed: int = 0, rows: int = 64,
              columns: int = 64, **overrides: Any) -> Path:
        folder = tmp_path / f"fileset-{next(counter):04d}"
        options = SynthOptions(instances=instances, seed=seed, rows=rows, columns=columns,
                               overrides=tuple(overrides.items()), dicomdir=True)
        summary = generate_study(list(iods or ("CTImage",)), options, folder, workers=1)
        if summary.failed:
            raise SynthError(f"synthetic file-set failed: {summary.failed[0].error}")
        return folder

    return write


@pytest.fixture
def dicom_study(tmp_path: Path) -> Callable[..., dict[str, Any]]:
    """Write a synthetic study of a recipe (``ct-oncology``: CT, Segmentation, TID 1500
    report, Key Object Selection of one phantom) to the test's folder; returns its manifest
    (``manifest["folder"]`` is where the files are)."""
    from authoring.synth.recipes import study

    counter = iter(range(1, 1_000_000))

    def write(recipe: str = "ct-oncology", **options: Any) -> dict[str, Any]:
        folder = tmp_path / f"study-{next(counter):04d}"
        manifest = study(recipe, folder, workers=1, **options)
        manifest["folder"] = str(folder)
        return manifest

    return write
