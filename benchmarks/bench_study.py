"""Synthetic studies (``authoring synth --recipe ct-oncology``): the whole study (phantom,
CT series, Segmentation, TID 1500 report, Key Object Selection, manifest) against writing
the CT series alone from the same phantom. Target: the derived objects cost no more than
writing the CT series itself (ratio derived / CT <= 1). ``BENCH_STUDY_SLICES`` and
``BENCH_STUDY_SIZE`` shrink the study (default 200 slices of 512 x 512)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import authoring
from authoring.synth import derived
from authoring.synth.phantom import make_phantom
from authoring.synth.recipes import study
from authoring.synth.series import SynthOptions

SLICES = int(os.environ.get("BENCH_STUDY_SLICES", "200"))
SIZE = int(os.environ.get("BENCH_STUDY_SIZE", "512"))


def ct_only(folder: Path) -> float:
    """Seconds to make the phantom and write its CT series (what the study starts with)."""
    started = time.perf_counter()
    phantom = make_phantom(seed=0, rows=SIZE, columns=SIZE, slices=SLICES)
    options = SynthOptions(iod="CTImage", rows=SIZE, columns=SIZE, seed=0,
                           overrides=derived.geometry_overrides(phantom))
    for index, dataset in enumerate(derived.ct_series(phantom, options, 0)):
        authoring.write(dataset, folder / f"IM{index + 1:04d}.dcm")
    return time.perf_counter() - started


def whole(folder: Path) -> float:
    """Seconds to write the whole study."""
    started = time.perf_counter()
    study("ct-oncology", folder, slices=SLICES, rows=SIZE, columns=SIZE, workers=1)
    return time.perf_counter() - started


def main() -> list[dict[str, object]]:
    """Print the study's time, the CT series' time and the derived objects' share."""
    root = Path(tempfile.mkdtemp(prefix="bench-study-"))
    try:
        ct = ct_only(root / "ct" if (root / "ct").mkdir() is None else root)
        total = whole(root / "study")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    derived_share = (total - ct) / ct
    print(f"ct-oncology, {SLICES} slices of {SIZE} x {SIZE}: whole study {total:.1f} s, CT "
          f"series alone {ct:.1f} s; derived objects / CT = {derived_share:.2f} "
          f"(target <= 1.00) {'ok' if derived_share <= 1.0 else 'MISSED'}")
    return [{"name": "ct-oncology derived objects / CT series", "ratio": derived_share,
             "target": 1.0}]


if __name__ == "__main__":
    main()
