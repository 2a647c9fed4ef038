"""Synthetic DICOM: valid, realistic instances of any IOD, one at a time or as a study.

    from authoring import synth
    ct = synth.dataset("CTImage", PatientName="Test^A")        # one valid CT image
    series = synth.series("MRImage", instances=20, rows=256)    # consistent geometry
    synth.generate(synth.SynthOptions(iod="CTImage", instances=50), Path("out"))
    synth.study("ct-oncology", Path("study"), seed=7)            # objects true together

The same seed gives the same values, and byte-identical files, everywhere.
"""

from __future__ import annotations

from typing import Any

from authoring.synth.instance import InstanceOptions, instance
from authoring.synth.series import (
    Place,
    Summary,
    SynthOptions,
    generate,
    generate_study,
    make,
    resolve_iod,
)

__all__ = ["InstanceOptions", "Place", "Summary", "SynthOptions", "dataset", "generate",
           "generate_study", "instance", "make", "recipes", "series", "study"]


def study(recipe: str = "ct-oncology", out: Any = "study", **options: Any) -> dict[str, Any]:
    """Write a synthetic study of ``recipe`` (see :func:`recipes`) to ``out``: every object
    derived from one phantom's ground truth, every reference resolving, ``manifest.json``
    written last; returns the manifest (:func:`authoring.synth.recipes.study`)."""
    from authoring.synth.recipes import study as write_study

    return write_study(recipe, out, **options)


def recipes() -> dict[str, str]:
    """The recipes :func:`study` knows: name -> what it writes."""
    from authoring.synth.recipes import recipes as known

    return known()


def dataset(iod: str = "CTImage", *, seed: int = 0, rows: int = 64, columns: int = 64,
            frames: int = 1, charset: str = "", **overrides: Any) -> Any:
    """One valid instance of ``iod`` (name or SOP Class UID) as the first instance of a
    synthetic study, with ``overrides`` (keyword = value) imposed."""
    options = SynthOptions(iod=resolve_iod(iod), rows=rows, columns=columns, frames=frames,
                           charset=charset, seed=seed, overrides=tuple(overrides.items()))
    return make(options, Place(0, 0, 0, 0))


def series(iod: str = "CTImage", *, instances: int = 5, seed: int = 0, rows: int = 64,
           columns: int = 64, frames: int = 1, charset: str = "", **overrides: Any
           ) -> list[Any]:
    """The instances of one synthetic series (shared patient, study, series and frame of
    reference; positions stepping along the series)."""
    options = SynthOptions(iod=resolve_iod(iod), instances=instances, rows=rows,
                           columns=columns, frames=frames, charset=charset, seed=seed,
                           overrides=tuple(overrides.items()))
    return [make(options, Place(0, 0, 0, number)) for number in range(instances)]
