"""The ``mammo-cad`` recipe: the four screening views with laterality, view and patient
orientation as the IHE Mammography Image profile hangs them, and a Mammography CAD SR
(TID 4000) whose findings point at the lesions, read with pydicom and checked by PixelMed's
SR validator (which knows TID 4000), dciodvfy and dsrdump."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest

import authoring
from tests.builders.test_sr_example import pixelmed_sr_findings
from tests.conftest import missing, require_tool
from tests.support.pixelmed_templates import JAR
from tests.synth.test_study import _objects, _references_resolve

#: laterality, view -> (SNOMED view code, Patient Orientation) from the IHE Mammography
#: Image profile (and PS3.16 CID 4014), written here independently of the generator
EXPECTED = {("R", "CC"): ("399162004", ["P", "L"]), ("L", "CC"): ("399162004", ["A", "R"]),
            ("R", "MLO"): ("399368009", ["P", "FL"]), ("L", "MLO"): ("399368009", ["A", "FR"])}


@pytest.fixture(scope="module")
def made_mg(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """One mammo-cad study."""
    folder = tmp_path_factory.mktemp("mammo")
    manifest = authoring.synth.study("mammo-cad", folder, workers=1, seed=2, rows=96,
                                     columns=96)
    return folder, manifest


def test_the_four_views(made_mg: tuple[Path, dict[str, Any]]) -> None:
    """Each view's laterality, view code and orientation are the profile's; the breast
    lies against the chest wall on the side the orientation says (A: the chest wall on the
    left of the image, P: on the right)."""
    views = _objects(made_mg, "MG")
    assert len(views) == 4
    seen = set()
    for path, _ in views:
        ds = pydicom.dcmread(path)
        side = str(ds.ImageLaterality)
        view = "CC" if ds.ViewCodeSequence[0].CodeValue == "399162004" else "MLO"
        seen.add((side, view))
        code, orientation = EXPECTED[(side, view)]
        assert ds.ViewCodeSequence[0].CodeValue == code
        assert list(ds.PatientOrientation) == orientation
        assert "Laterality" not in ds and ds.BodyPartExamined == "BREAST"
        pixels = ds.pixel_array.astype(float)
        left, right = pixels[:, :5].mean(), pixels[:, -5:].mean()
        assert (left > right) == (orientation[0] == "A")
    assert seen == set(EXPECTED)


def _tree(ds: pydicom.Dataset) -> dict[tuple[int, ...], pydicom.Dataset]:
    found: dict[tuple[int, ...], pydicom.Dataset] = {}

    def walk(items: Any, prefix: tuple[int, ...]) -> None:
        for number, item in enumerate(items or [], start=1):
            found[(*prefix, number)] = item
            walk(item.get("ContentSequence"), (*prefix, number))

    walk(ds.ContentSequence, ())
    return found


def test_the_findings_point_at_the_lesions(made_mg: tuple[Path, dict[str, Any]]) -> None:
    """Each Single Image Finding's centre, resolved through its by-reference SELECTED FROM
    to an image library entry and so to a view, lies on its lesion in that view's pixels
    (a mass brighter than the tissue around it, a calcification brighter still) and
    equals the manifest's truth; every lesion of every view has its finding."""
    [(path, entry)] = _objects(made_mg, "CAD-SR")
    report = pydicom.dcmread(path)
    assert report.ContentTemplateSequence[0].TemplateIdentifier == "4000"
    tree = _tree(report)
    views = {o["sop_instance_uid"]: (p, o) for p, o in _objects(made_mg, "MG")}
    found = []
    for item in tree.values():
        if item.get("ConceptNameCodeSequence") and \
                item.ConceptNameCodeSequence[0].CodeValue == "111059":
            kind = item.ConceptCodeSequence[0].CodeMeaning
            [centre] = [c for c in item.ContentSequence if c.ValueType == "SCOORD"]
            [selected] = centre.ContentSequence
            target = tree[tuple(int(v) for v in selected.ReferencedContentItemIdentifier)[1:]]
            uid = target.ReferencedSOPSequence[0].ReferencedSOPInstanceUID
            image_path, view = views[uid]
            column, row = (float(v) for v in centre.GraphicData)
            pixels = pydicom.dcmread(image_path).pixel_array.astype(float)
            at = pixels[int(row) - 2:int(row) + 3, int(column) - 2:int(column) + 3].max()
            around = pixels[int(row) - 25:int(row) + 26, int(column) - 25:int(column) + 26]
            assert at > np.median(around) + 300, kind
            lesion = {"Mammography breast density": "mass",
                      "Calcification Cluster": "calcifications"}[kind]
            [truth] = [x for x in view["truth"]["lesions"] if x["kind"] == lesion]
            assert np.allclose([column, row], truth["centre"], atol=1e-3)
            found.append((uid, lesion))
    expected = [(o["sop_instance_uid"], lesion["kind"]) for _, o in _objects(made_mg, "MG")
                for lesion in o["truth"]["lesions"]]
    assert sorted(found) == sorted(expected) and len(found) == 4
    assert len(entry["truth"]["findings"]) == 4


@pytest.mark.external
def test_valid_in_ours_dciodvfy_pixelmed_and_dsrdump(
        made_mg: tuple[Path, dict[str, Any]]) -> None:
    """Every reference resolves; ours and dciodvfy find no error in the views or the
    report; PixelMed's SR validator checks the report against TID 4000 and finds nothing;
    dsrdump reads it."""
    _references_resolve(made_mg, minimum=4, frame_of_reference=False)  # projections
    dciodvfy = require_tool("dciodvfy")
    for path, entry in _objects(made_mg):
        report = authoring.read(path).validate()
        assert report.ok and not report.warnings, (entry["kind"], str(report))
        result = subprocess.run([dciodvfy, str(path)], capture_output=True, text=True,
                                check=False, timeout=120)
        output = result.stdout + result.stderr
        assert not [line for line in output.splitlines() if line.startswith("Error")], output
    if not JAR.exists():
        missing("PixelMed is not installed (apt-get install libpixelmed-java)")
    [(path, _)] = _objects(made_mg, "CAD-SR")
    assert pixelmed_sr_findings(path) == []
    dumped = subprocess.run([require_tool("dsrdump"), str(path)], capture_output=True,
                            text=True, check=False, timeout=60)
    assert dumped.returncode == 0 and "Mammography CAD Report" in dumped.stdout


def test_show_draws_the_findings_of_a_view(made_mg: tuple[Path, dict[str, Any]],
                                           tmp_path: Path) -> None:
    """``authoring show --sr`` marks each finding's centre on its view in yellow (read
    back by matplotlib) and refuses an image the report selects nothing from."""
    from matplotlib.image import imread
    from typer.testing import CliRunner

    from authoring.cli.app import app

    [(report, _)] = _objects(made_mg, "CAD-SR")
    path, view = _objects(made_mg, "MG")[0]
    png = tmp_path / "view.png"
    result = CliRunner().invoke(app, ["show", str(path), "--png", str(png), "--sr",
                                      str(report)])
    assert result.exit_code == 0, result.output
    image = (imread(png)[..., :3] * 255).round().astype(int)
    for lesion in view["truth"]["lesions"]:
        column, row = lesion["centre"]
        assert tuple(image[int(row), int(column)]) == (255, 230, 0)
    unrelated = tmp_path / "other.dcm"
    authoring.write(authoring.synth.dataset("CTImage", seed=9), unrelated)
    other = CliRunner().invoke(app, ["show", str(unrelated), "--png", str(png), "--sr",
                                     str(report)])
    assert other.exit_code == 1 and "nothing in --sr" in other.output
