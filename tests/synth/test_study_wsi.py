"""The ``wsi`` recipe: a pyramid of VL Whole Slide Microscopy levels and the Microscopy Bulk
Simple Annotations of the slide's nuclei and tumour, read by highdicom and pydicom and
checked against the slide's ground truth; and the tiling rule our validator now checks."""

from __future__ import annotations

import io
import math
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest

import authoring
from tests.conftest import require_tool
from tests.synth.test_study import _objects, _references_resolve

WSI_OPTIONS = {"seed": 3, "rows": 64, "columns": 64}


@pytest.fixture(scope="module")
def made_wsi(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """One wsi study (tiles of 64 pixels: a base level of 512 x 384)."""
    folder = tmp_path_factory.mktemp("wsi")
    manifest = authoring.synth.study("wsi", folder, workers=1, **WSI_OPTIONS)
    return folder, manifest


def _levels(made: tuple[Path, dict[str, Any]]) -> list[tuple[Path, dict[str, Any]]]:
    return sorted(_objects(made, "SM"), key=lambda pair: pair[1]["truth"]["level"])


def test_the_pyramid(made_wsi: tuple[Path, dict[str, Any]]) -> None:
    """highdicom assembles each level's Total Pixel Matrix from its TILED_FULL tiles; each
    level is the 2 x 2 mean of the one below (within rounding) and half its size; the
    pixel spacing doubles and the Imaged Volume is the matrix times the spacing; pydicom
    reads every level's tiles; all levels share a series, Frame of Reference and
    dimension organization."""
    highdicom = pytest.importorskip("highdicom")
    levels = _levels(made_wsi)
    assert len(levels) == 4  # 512 -> 256 -> 128 -> 64: one tile
    matrices = [np.asarray(highdicom.imread(path).get_total_pixel_matrix(
        apply_icc_profile=False)) for path, _ in levels]
    datasets = [pydicom.dcmread(path) for path, _ in levels]
    assert matrices[0].shape == (384, 512, 3)
    for below, above, ds, (_, entry) in zip(matrices[:-1], matrices[1:], datasets[1:],
                                            levels[1:], strict=True):
        height, width = math.ceil(below.shape[0] / 2), math.ceil(below.shape[1] / 2)
        assert above.shape == (height, width, 3)
        padded = np.pad(below, ((0, below.shape[0] % 2), (0, below.shape[1] % 2), (0, 0)),
                        mode="edge")
        mean = (padded[0::2, 0::2] + padded[1::2, 0::2] + padded[0::2, 1::2]
                + padded[1::2, 1::2]) / 4
        assert np.abs(mean - above).max() <= 0.5 + 1e-9
        assert [int(ds.TotalPixelMatrixColumns), int(ds.TotalPixelMatrixRows)] == \
            [width, height] == [entry["truth"]["total_pixel_matrix_columns"],
                                entry["truth"]["total_pixel_matrix_rows"]]
    spacings = [float(ds.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0]
                      .PixelSpacing[0]) for ds in datasets]
    assert spacings == [spacings[0] * 2 ** i for i in range(len(spacings))]
    for ds, spacing in zip(datasets, spacings, strict=True):
        assert math.isclose(float(ds.ImagedVolumeWidth),
                            int(ds.TotalPixelMatrixColumns) * spacing, rel_tol=1e-6)
        tiles = ds.pixel_array.reshape(-1, int(ds.Rows), int(ds.Columns), 3)
        assert len(tiles) == int(ds.NumberOfFrames) == \
            math.ceil(int(ds.TotalPixelMatrixColumns) / int(ds.Columns)) * \
            math.ceil(int(ds.TotalPixelMatrixRows) / int(ds.Rows))
    for keyword in ("SeriesInstanceUID", "FrameOfReferenceUID", "ContainerIdentifier"):
        assert len({str(ds[keyword].value) for ds in datasets}) == 1
    assert len({str(ds.DimensionOrganizationSequence[0].DimensionOrganizationUID)
                for ds in datasets}) == 1
    assert [list(ds.ImageType) for ds in datasets][0][0] == "ORIGINAL"
    assert all(list(ds.ImageType)[3] == "RESAMPLED" for ds in datasets[1:])


def test_the_annotations_are_the_truth(made_wsi: tuple[Path, dict[str, Any]]) -> None:
    """highdicom reads the annotations: a point per nucleus at its centre, its area (um2)
    as a measurement, the tumour outline as one polygon; every nucleus the truth puts in
    the tumour lies inside that polygon (matplotlib's test) and no other; at each nucleus
    centre the base level is stained with hematoxylin (blue over red), and the tumour holds
    nuclei more densely than the rest of the tissue."""
    highdicom = pytest.importorskip("highdicom")
    from matplotlib.path import Path as Polygon

    folder, manifest = made_wsi
    truth = manifest["patients"][0]["phantom"]["slide"]
    nuclei = np.asarray([n[:3] for n in truth["nuclei"]], dtype=float)
    in_tumour = np.asarray([bool(n[3]) for n in truth["nuclei"]])
    [(path, _)] = _objects(made_wsi, "ANN")
    read = highdicom.ann.annread(path)
    groups = {g.label: g for g in read.get_annotation_groups()}
    assert set(groups) == {"Nuclei", "Tumour"}
    points = np.asarray(groups["Nuclei"].get_graphic_data(
        coordinate_type=read.annotation_coordinate_type), dtype=float).reshape(-1, 2)
    assert np.allclose(points, nuclei[:, :2], atol=1e-3)
    _, values, _ = groups["Nuclei"].get_measurements()
    areas = np.pi * (nuclei[:, 2] * truth["base_pixel_spacing_mm"] * 1000) ** 2
    assert np.allclose(np.asarray(values)[:, 0], areas, rtol=1e-5)
    [outline] = groups["Tumour"].get_graphic_data(
        coordinate_type=read.annotation_coordinate_type)
    assert np.allclose(outline, truth["tumour_outline"], atol=1e-3)
    inside = Polygon(np.asarray(outline)).contains_points(points)
    assert np.array_equal(inside, in_tumour)
    base = np.asarray(highdicom.imread(_levels(made_wsi)[0][0]).get_total_pixel_matrix(
        apply_icc_profile=False))
    centres = base[nuclei[:, 1].astype(int), nuclei[:, 0].astype(int)]
    assert (centres[:, 2] > centres[:, 0]).all()  # purple nuclei on pink eosin
    tumour_area = Polygon(np.asarray(outline)).contains_points(
        np.stack(np.meshgrid(np.arange(base.shape[1]) + 0.5, np.arange(base.shape[0]) + 0.5),
                 axis=-1).reshape(-1, 2)).sum()
    tissue_area = truth["tissue_fraction"] * base.shape[0] * base.shape[1]
    assert in_tumour.sum() / tumour_area > 2 * (~in_tumour).sum() / (tissue_area - tumour_area)


def test_references_valid_and_icc(made_wsi: tuple[Path, dict[str, Any]]) -> None:
    """The annotations reference the base level (2D, Pixel Origin Interpretation VOLUME);
    every object passes ours and dciodvfy; the ICC profile of the optical path opens in
    LittleCMS (Pillow's ImageCms) and maps colours nearly unchanged to sRGB."""
    from PIL import Image, ImageCms

    _references_resolve(made_wsi, minimum=1)
    [(path, _)] = _objects(made_wsi, "ANN")
    annotation = pydicom.dcmread(path)
    base_uid = _levels(made_wsi)[0][1]["sop_instance_uid"]
    assert annotation.ReferencedImageSequence[0].ReferencedSOPInstanceUID == base_uid
    assert annotation.AnnotationCoordinateType == "2D"
    dciodvfy = require_tool("dciodvfy")
    for path, entry in _objects(made_wsi):
        report = authoring.read(path).validate()
        assert report.ok and not report.warnings, (entry["kind"], str(report))
        result = subprocess.run([dciodvfy, str(path)], capture_output=True, text=True,
                                check=False, timeout=120)
        output = result.stdout + result.stderr
        assert not [line for line in output.splitlines() if line.startswith("Error")], output
    level = pydicom.dcmread(_levels(made_wsi)[0][0], stop_before_pixels=True)
    profile = ImageCms.ImageCmsProfile(io.BytesIO(level.OpticalPathSequence[0].ICCProfile))
    transform = ImageCms.buildTransform(profile, ImageCms.createProfile("sRGB"), "RGB", "RGB")
    colours = [(128, 64, 200), (240, 240, 240), (90, 60, 150)]
    image = Image.new("RGB", (3, 1))
    image.putdata(colours)
    mapped = np.asarray(ImageCms.applyTransform(image, transform), dtype=int)[0]
    assert np.abs(mapped - np.asarray(colours)).max() <= 6


def test_a_tiled_full_instance_has_a_frame_per_tile(tmp_path: Path) -> None:
    """The generic synthetic whole slide image lays its frames out as a grid of tiles
    (4 frames: 2 x 2 tiles), which dciodvfy accepts; our validator reports a TILED_FULL
    instance whose frames do not match its Total Pixel Matrix, as dciodvfy does."""
    dataset = authoring.synth.dataset("VLWholeSlideMicroscopyImage", seed=1, rows=32,
                                      columns=32, frames=4)
    assert (int(dataset.TotalPixelMatrixColumns), int(dataset.TotalPixelMatrixRows)) == \
        (64, 64)
    assert dataset.validate().ok
    path = tmp_path / "wsi.dcm"
    authoring.write(dataset, path)
    dciodvfy = require_tool("dciodvfy")
    result = subprocess.run([dciodvfy, str(path)], capture_output=True, text=True,
                            check=False, timeout=120)
    assert "Error" not in result.stdout + result.stderr
    dataset.TotalPixelMatrixColumns = 32
    findings = [f for f in dataset.validate().errors if f.rule == "tiled-full-frames"]
    assert len(findings) == 1 and "has 2" in findings[0].message
    authoring.write(dataset, path, overwrite=True)
    result = subprocess.run([dciodvfy, str(path)], capture_output=True, text=True,
                            check=False, timeout=120)
    assert "NumberOfFrames does not match" in result.stdout + result.stderr


def test_show_assembles_the_matrix_and_draws_the_annotations(
        made_wsi: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    """``authoring show`` of a TILED_FULL level is its Total Pixel Matrix, equal to
    highdicom's (read back by matplotlib); ``--annotations`` marks every nucleus centre in
    the first group's colour and refuses an image the annotations are not on."""
    highdicom = pytest.importorskip("highdicom")
    from matplotlib.image import imread
    from typer.testing import CliRunner

    from authoring.cli.app import app
    from authoring.pixels.overlay import PALETTE

    levels = _levels(made_wsi)
    [(annotations, _)] = _objects(made_wsi, "ANN")
    plain, marked = tmp_path / "plain.png", tmp_path / "marked.png"
    runner = CliRunner()
    assert runner.invoke(app, ["show", str(levels[0][0]), "--png", str(plain)]).exit_code == 0
    shown = (imread(plain)[..., :3] * 255).round().astype(int)
    expected = np.asarray(highdicom.imread(levels[0][0]).get_total_pixel_matrix(
        apply_icc_profile=False)).astype(int)
    assert np.array_equal(shown, expected)
    result = runner.invoke(app, ["show", str(levels[0][0]), "--png", str(marked),
                                 "--annotations", str(annotations)])
    assert result.exit_code == 0, result.output
    drawn = (imread(marked)[..., :3] * 255).round().astype(int)
    _, manifest = made_wsi
    nuclei = manifest["patients"][0]["phantom"]["slide"]["nuclei"]
    for column, row, _, _ in nuclei:  # a cross, or the tumour's outline drawn over it
        assert tuple(drawn[int(row), int(column)]) in (PALETTE[0], PALETTE[1])
    assert sum(tuple(drawn[int(r), int(c)]) == PALETTE[0] for c, r, _, _ in nuclei) > \
        0.9 * len(nuclei)
    other = runner.invoke(app, ["show", str(levels[1][0]), "--png", str(marked),
                                "--annotations", str(annotations)])
    assert other.exit_code == 1 and "nothing in --annotations" in other.output


@pytest.mark.parametrize("iod", ["Segmentation", "RTPlan", "RTDose", "KeyObjectSelectionDocument",
                                 "MicroscopyBulkSimpleAnnotations",
                                 "GrayscaleSoftcopyPresentationState",
                                 "RTBeamsTreatmentRecord"])
def test_generic_references_name_real_sop_classes(iod: str) -> None:
    """A generic synthetic instance's every Referenced SOP Class UID is a SOP class of the
    PS3.6 registry (it was an invented UID), by the sequence that holds it."""
    from authoring.dictionary.uids import uid_info

    dataset = authoring.synth.dataset(iod, seed=4)
    found: list[str] = []
    stack = [dataset]
    while stack:
        item = stack.pop()
        for element in item:
            if element.vr == "SQ":
                stack.extend(element.value or ())
            elif element.keyword == "ReferencedSOPClassUID":
                found.append(str(element.value))
    assert found, iod
    for uid in found:
        info = uid_info(uid)
        assert info is not None and "SOP Class" in info.type, (iod, uid, info)


def test_a_jpeg_pyramid(tmp_path: Path) -> None:
    """``--transfer-syntax jpeg``: every level JPEG Baseline in YBR_FULL_422 (the only
    YCbCr the IOD allows), valid in ours and dciodvfy, and near the 38 dB PSNR the encoder
    reached against the lossless pyramid as highdicom decodes both; RLE (colour by plane)
    is refused."""
    highdicom = pytest.importorskip("highdicom")
    from authoring.errors import SynthError

    lossless = authoring.synth.study("wsi", tmp_path / "raw", seed=3, rows=64, columns=64)
    jpeg = authoring.synth.study("wsi", tmp_path / "jpeg", seed=3, rows=64, columns=64,
                                 transfer_syntax="jpeg")
    dciodvfy = require_tool("dciodvfy")
    for raw, lossy in zip(lossless["patients"][0]["objects"], jpeg["patients"][0]["objects"],
                          strict=True):
        if raw["kind"] != "SM":
            continue
        path = tmp_path / "jpeg" / lossy["path"]
        ds = pydicom.dcmread(path)
        assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.50"
        assert ds.PhotometricInterpretation == "YBR_FULL_422"
        assert authoring.read(path).validate().ok
        output = subprocess.run([dciodvfy, str(path)], capture_output=True, text=True,
                                check=False, timeout=120)
        assert "Error" not in output.stdout + output.stderr
        a = np.asarray(highdicom.imread(tmp_path / "raw" / raw["path"]).get_total_pixel_matrix(
            apply_icc_profile=False), dtype=float)
        b = np.asarray(highdicom.imread(path).get_total_pixel_matrix(
            apply_icc_profile=False), dtype=float)
        psnr = 10 * math.log10(255 ** 2 / float(((a - b) ** 2).mean()))
        # the encoder measured 38 dB with libjpeg's decoder; decoders upsample 4:2:2
        # chroma differently (highdicom's, through pylibjpeg, about 1 dB lower here)
        assert psnr >= 38.0 - 1.5, psnr
    with pytest.raises(SynthError, match="Planar Configuration"):
        authoring.synth.study("wsi", tmp_path / "rle", seed=3, rows=64, columns=64,
                              transfer_syntax="rle")
