"""The ``mr-neuro`` recipe: a head phantom imaged by T1, T2, FLAIR and diffusion sequences
in one Frame of Reference, the diffusion acquisition as an Enhanced MR multi-frame and the
ADC map computed from it, and a Segmentation of the tumour and oedema; checked with pydicom,
highdicom, dciodvfy and PixelMed against the tissues' physics and the phantom's labels."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest

import authoring
from authoring.synth.phantom import make_head_phantom
from tests.conftest import missing, require_tool
from tests.support.pixelmed_templates import JAR
from tests.synth.test_study import OPTIONS, _objects, _references_resolve

#: labels of the head phantom
SCALP, SKULL, CSF, GREY, WHITE, VENTRICLE, OEDEMA, TUMOUR = 1, 2, 3, 4, 5, 6, 8, 9


@pytest.fixture(scope="module")
def made_mr(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """One mr-neuro study."""
    folder = tmp_path_factory.mktemp("mrneuro")
    manifest = authoring.synth.study("mr-neuro", folder, workers=1, **OPTIONS)
    return folder, manifest


@pytest.fixture(scope="module")
def labels() -> np.ndarray:
    """The head phantom's labels, made again from the seed."""
    return make_head_phantom(seed=OPTIONS["seed"] * 1009, rows=OPTIONS["rows"],
                             columns=OPTIONS["columns"], slices=OPTIONS["slices"]).labels


def _series(made: tuple[Path, dict[str, Any]], sequence: str) -> np.ndarray:
    """The stored values of a classic series, slice by slice, as pydicom reads them."""
    pairs = sorted(((p, o) for p, o in _objects(made, "MR")
                    if o["truth"]["sequence"] == sequence),
                   key=lambda pair: pair[1]["truth"]["slice"])
    return np.stack([pydicom.dcmread(p).pixel_array for p, _ in pairs]).astype(float)


def _expected(made: tuple[Path, dict[str, Any]], sequence: str) -> dict[int, float]:
    first = next(o for _, o in _objects(made, "MR") if o["truth"]["sequence"] == sequence
                 and o["truth"]["slice"] == 0)
    return {int(k): v for k, v in first["truth"]["expected_signal"].items()}


def test_one_frame_of_reference_and_references(made_mr: tuple[Path, dict[str, Any]]) -> None:
    kinds = [o["kind"] for _, o in _objects(made_mr)]
    assert kinds.count("MR") == 4 * OPTIONS["slices"]
    assert kinds.count("MR-ADC") == OPTIONS["slices"]
    assert {"MR-ENHANCED", "SEG"} <= set(kinds)
    _references_resolve(made_mr)
    datasets = [pydicom.dcmread(p, stop_before_pixels=True) for p, _ in _objects(made_mr)]
    assert len({str(ds.FrameOfReferenceUID) for ds in datasets}) == 1
    assert len({str(ds.SeriesInstanceUID) for ds in datasets}) == 7
    [(path, _)] = _objects(made_mr, "MR-ENHANCED")
    frames = int(pydicom.dcmread(path, stop_before_pixels=True).NumberOfFrames)
    for path, _ in _objects(made_mr, "MR-ADC"):
        [source] = pydicom.dcmread(path, stop_before_pixels=True).SourceImageSequence
        assert all(1 <= int(n) <= frames for n in source.ReferencedFrameNumber)


def test_each_tissue_has_the_signal_of_its_physics(
        made_mr: tuple[Path, dict[str, Any]], labels: np.ndarray) -> None:
    """Each tissue's mean stored value equals the signal equation's (within 3% or the
    noise's bias on dark tissue), and the contrasts a radiologist expects hold: T1 white
    matter over grey over fluid; T2 fluid over grey over white; FLAIR fluid dark, oedema
    over grey matter; diffusion b1000 tumour (restricted) over white matter over fluid."""
    means = {}
    for sequence in ("T1", "T2", "FLAIR", "DWI"):
        values = _series(made_mr, sequence)
        expected = _expected(made_mr, sequence)
        means[sequence] = {label: float(values[labels == label].mean())
                           for label in expected if (labels == label).any()}
        for label, mean in means[sequence].items():
            assert abs(mean - expected[label]) <= max(0.03 * expected[label], 3 * 12.0), \
                (sequence, label, mean, expected[label])
    t1, t2, flair, dwi = (means[s] for s in ("T1", "T2", "FLAIR", "DWI"))
    assert t1[WHITE] > t1[GREY] > t1[CSF]
    assert t2[CSF] > t2[GREY] > t2[WHITE]
    assert flair[CSF] < flair[WHITE] and flair[VENTRICLE] < flair[WHITE]
    assert flair[OEDEMA] > flair[GREY]
    assert dwi[TUMOUR] > dwi[WHITE] > dwi[CSF]


def test_the_enhanced_diffusion_and_its_adc_map(made_mr: tuple[Path, dict[str, Any]],
                                                labels: np.ndarray) -> None:
    """pydicom reads the Enhanced MR: frames b = 0 then b = 1000 (MR Diffusion per frame),
    frame i and i + N at slice i's position, equal to the classic series' positions; its
    b = 1000 frames carry the classic DWI's tissue signals; the ADC recomputed from its
    frames equals the ADC map stored, and each tissue's ADC is the truth within 5%."""
    [(path, entry)] = _objects(made_mr, "MR-ENHANCED")
    enhanced = pydicom.dcmread(path)
    count = OPTIONS["slices"]
    assert int(enhanced.NumberOfFrames) == 2 * count
    per_frame = enhanced.PerFrameFunctionalGroupsSequence
    b_values = [float(item.MRDiffusionSequence[0].DiffusionBValue) for item in per_frame]
    assert b_values == [0.0] * count + [1000.0] * count
    positions = [[float(v) for v in item.PlanePositionSequence[0].ImagePositionPatient]
                 for item in per_frame]
    classic = sorted(((p, o) for p, o in _objects(made_mr, "MR")
                      if o["truth"]["sequence"] == "DWI"), key=lambda x: x[1]["truth"]["slice"])
    for index, (image, _) in enumerate(classic):
        expected_position = [float(v) for v in pydicom.dcmread(
            image, stop_before_pixels=True).ImagePositionPatient]
        assert positions[index] == positions[count + index] == expected_position
    assert [str(d.DimensionIndexPointer) for d in enhanced.DimensionIndexSequence][-1] == \
        "(0018,9087)"
    frames = enhanced.pixel_array.astype(float)
    signal = {int(k): v for k, v in entry["truth"]["expected_signal"]["1000.0"].items()}
    for label in (GREY, WHITE, TUMOUR):
        mean = float(frames[count:][labels == label].mean())
        assert math.isclose(mean, signal[label], rel_tol=0.03)
    maps = sorted(_objects(made_mr, "MR-ADC"), key=lambda x: x[1]["truth"]["slice"])
    stored = np.stack([pydicom.dcmread(p).pixel_array for p, _ in maps]).astype(float)
    low, high = frames[:count], np.maximum(frames[count:], 1.0)
    body = low > 60
    recomputed = np.log(np.maximum(low, 1.0) / high) / 1000.0 / 1e-6
    assert np.abs(np.clip(recomputed, 0, 4095) - stored)[body].max() <= 0.5 + 1e-6
    truth = {int(k): v for k, v in maps[0][1]["truth"]["expected_adc"].items()}
    for label in (GREY, WHITE, TUMOUR, OEDEMA):
        mean = float(stored[(labels == label) & body].mean()) * 1e-6
        assert math.isclose(mean, truth[label], rel_tol=0.05), (label, mean, truth[label])


def test_the_segmentation_is_the_tumour_and_oedema(made_mr: tuple[Path, dict[str, Any]],
                                                  labels: np.ndarray) -> None:
    """highdicom reads the Segmentation by its source FLAIR instances equal to the
    phantom's oedema and tumour labels."""
    highdicom = pytest.importorskip("highdicom")
    [(path, entry)] = _objects(made_mr, "SEG")
    flair = sorted(((p, o) for p, o in _objects(made_mr, "MR")
                    if o["truth"]["sequence"] == "FLAIR"), key=lambda x: x[1]["truth"]["slice"])
    volume = highdicom.seg.segread(path).get_pixels_by_source_instance(
        source_sop_instance_uids=[o["sop_instance_uid"] for _, o in flair],
        combine_segments=True, skip_overlap_checks=True, assert_missing_frames_are_empty=True)
    number_of = {s["label"]: s["number"] for s in entry["truth"]["segments"]}
    expected = np.vectorize(lambda label: number_of.get(int(label), 0))(labels)
    assert np.array_equal(volume, expected)
    assert set(number_of) == {OEDEMA, TUMOUR}


def test_valid_in_ours_dciodvfy_and_pixelmed(made_mr: tuple[Path, dict[str, Any]]) -> None:
    """No error in ours or dciodvfy for any series; PixelMed's instance validator finds
    none in the Enhanced MR (it does not know the classic MR IOD) and, in the
    Segmentation, only its General Series Laterality finding (see tests/synth/
    test_study.py)."""
    dciodvfy = require_tool("dciodvfy")
    firsts = [(p, o) for p, o in _objects(made_mr) if o["truth"].get("slice", 0) == 0]
    assert len(firsts) == 7
    for path, entry in firsts:
        report = authoring.read(path).validate()
        assert report.ok and not report.warnings, (entry["kind"], str(report))
        result = subprocess.run([dciodvfy, str(path)], capture_output=True, text=True,
                                check=False, timeout=120)
        output = result.stdout + result.stderr
        assert not [line for line in output.splitlines() if line.startswith("Error")], \
            (entry["kind"], output)
    if not JAR.exists():
        missing("PixelMed is not installed (apt-get install libpixelmed-java)")
    for kind, allowed in (("MR-ENHANCED", []), ("SEG", [
            "Error: GeneralSeriesModule/Laterality/: : Missing conditional attribute"])):
        [(path, _)] = _objects(made_mr, kind)
        result = subprocess.run(
            ["java", "-Djdk.xml.xpathExprOpLimit=0", "-Djdk.xml.xpathExprGrpLimit=0",
             "-Djdk.xml.xpathTotalOpLimit=0", "-cp", str(JAR),
             "com.pixelmed.validate.DicomInstanceValidator", str(path)],
            capture_output=True, text=True, check=False, timeout=300)
        lines = (result.stdout + result.stderr).splitlines()
        assert "IOD validation complete" in lines, lines[:5]
        assert [line for line in lines if line.startswith("Error")] == allowed, lines


@pytest.mark.parametrize("recipe", ["mr-neuro", "rt-plan"])
def test_the_same_seed_gives_the_same_bytes(recipe: str, dicom_study: Any) -> None:
    small = {"slices": 8, "rows": 32, "columns": 32}
    one, two = dicom_study(recipe, seed=4, **small), dicom_study(recipe, seed=4, **small)
    other = dicom_study(recipe, seed=5, **small)
    paths = [o["path"] for p in one["patients"] for o in p["objects"]]
    for path in paths:
        assert (Path(one["folder"]) / path).read_bytes() == \
            (Path(two["folder"]) / path).read_bytes()
    assert (Path(one["folder"]) / paths[-1]).read_bytes() != \
        (Path(other["folder"]) / paths[-1]).read_bytes()
