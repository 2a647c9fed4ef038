"""set_stack: the functional groups of an enhanced multi-frame image as one stack, valid
for our validator and dciodvfy, and read back frame by frame by pydicom."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pydicom import dcmread

import authoring
from authoring import synth
from authoring.builders.functional_groups import FunctionalGroupError, set_stack
from tests.conftest import require_tool


def test_an_oblique_stack_is_valid_and_reads_back(tmp_path: Path) -> None:
    ct = synth.dataset("EnhancedCTImage", frames=5, rows=16, columns=16, seed=2)
    # the orientation's normal is (0, 0.6, 0.8): the frames step 1.5 mm along it
    positions = [(-100.0, -80.5 + 0.9 * n, 10.0 + 1.2 * n) for n in range(5)]
    set_stack(ct, positions=positions, orientation=(1, 0, 0, 0, 0.8, -0.6),
              pixel_spacing=(0.7, 0.7), slice_thickness=1.5,
              organization_uid="1.2.826.0.1.3680043.10.1")
    assert ct.validate("EnhancedCTImage").ok
    path = tmp_path / "stack.dcm"
    authoring.write(ct, path)
    theirs = dcmread(path)
    frames = theirs.PerFrameFunctionalGroupsSequence
    assert [[float(v) for v in f.PlanePositionSequence[0].ImagePositionPatient]
            for f in frames] == [list(p) for p in positions]
    assert [list(f.FrameContentSequence[0].DimensionIndexValues) for f in frames] == \
        [[1, n] for n in range(1, 6)]
    shared = theirs.SharedFunctionalGroupsSequence[0]
    assert [float(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient] \
        == [1, 0, 0, 0, 0.8, -0.6]
    assert float(shared.PixelMeasuresSequence[0].SliceThickness) == 1.5
    assert theirs.DimensionOrganizationSequence[0].DimensionOrganizationUID == \
        "1.2.826.0.1.3680043.10.1"
    result = subprocess.run([require_tool("dciodvfy"), str(path)], capture_output=True,
                            text=True, timeout=120)
    assert not [line for line in (result.stdout + result.stderr).splitlines()
                if line.startswith("Error")], result.stdout + result.stderr


def test_frame_counts_must_agree() -> None:
    mr = synth.dataset("EnhancedMRImage", frames=3, rows=8, columns=8)
    with pytest.raises(FunctionalGroupError, match="2 positions for Number of Frames 3"):
        set_stack(mr, positions=[(0, 0, 0), (0, 0, 1)])
    with pytest.raises(FunctionalGroupError, match="at least one"):
        set_stack(mr, positions=[])
    with pytest.raises(FunctionalGroupError, match=r"\(x, y, z\)"):
        set_stack(mr, positions=[(0, 0), (0, 0), (0, 0)])
