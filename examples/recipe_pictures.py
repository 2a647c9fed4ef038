"""The README's picture of each recipe: a study made with the recipe, the slice through its
first lesion rendered by ``authoring show`` with the Segmentation (and, for ct-oncology,
the RT contours) derived from it drawn over it; for rt-plan, the slice through the PTV
with the dose in isodose bands and the contours; for wsi, the base level's Total Pixel
Matrix with the nuclei and the tumour outline of its annotations. ``make pictures`` runs it.

    python examples/recipe_pictures.py docs/recipes
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from authoring import synth
from authoring.cli.app import app

#: recipe -> (kind of the image shown, window CENTER,WIDTH, overlay kinds)
PICTURES = {"ct-oncology": ("CT", "-300,1400", ("SEG", "RTSTRUCT")),
            "pet-ct": ("PT", None, ("SEG",)),
            "rt-plan": ("CT", "40,400", ("RTDOSE", "RTSTRUCT")),
            "mr-neuro": ("MR", None, ("SEG",)),
            "wsi": ("SM", None, ("ANN",))}
#: recipe -> the sequence of the MR series shown
SEQUENCE = {"mr-neuro": "FLAIR"}
OPTION = {"SEG": "--seg", "RTSTRUCT": "--rtstruct", "RTDOSE": "--dose",
          "ANN": "--annotations"}


def picture(recipe: str, folder: Path, target: Path) -> Path:
    """Make the recipe's study in ``folder`` and render its picture to ``target``."""
    size = 64 if recipe == "wsi" else 256  # wsi: 64-pixel tiles, a 512 x 384 base level
    manifest = synth.study(recipe, folder, seed=7, slices=48, rows=size, columns=size)
    objects = manifest["patients"][0]["objects"]
    kind, window, overlays = PICTURES[recipe]
    if recipe == "wsi":  # the base level
        middle = 0
    elif recipe == "rt-plan":  # the slice through the PTV's centre
        isocentre = next(o for o in objects if o["kind"] == "RTPLAN")["truth"]["isocentre_mm"]
        ct = [o for o in objects if o["kind"] == "CT"]
        middle = min((abs(o["truth"]["image_position"][2] - isocentre[2]), o["truth"]["slice"])
                     for o in ct)[1]
    else:
        seg = next(o for o in objects if o["kind"] == "SEG")
        index = seg["truth"]["segments"][7 if recipe == "ct-oncology" else -1]["slices"]
        middle = index[len(index) // 2]
    image = next(o for o in objects if o["kind"] == kind
                 and o["truth"].get("slice", o["truth"].get("level")) == middle
                 and o["truth"].get("sequence") == SEQUENCE.get(recipe))
    arguments = ["show", str(folder / image["path"]), "--png", str(target)]
    if window is not None:
        arguments.append(f"--window={window}")
    for overlay in overlays:
        found = next(o for o in objects if o["kind"] == overlay)
        arguments += [OPTION[overlay], str(folder / found["path"])]
    result = CliRunner().invoke(app, arguments)
    if result.exit_code:
        raise SystemExit(result.output)
    return target


def hanging(folder: Path, target: Path) -> Path:
    """mammo-cad's picture: the four views as a radiologist hangs them (right views on
    the left, CC above MLO), each with the CAD SR's findings drawn (``authoring show
    --sr`` draws one view at a time; here the views are put side by side)."""
    from authoring import read
    from authoring.io.output import write_bytes
    from authoring.pixels.display import display_frame, montage, png_bytes
    from authoring.pixels.overlay import as_rgb, draw_sr_regions

    manifest = synth.study("mammo-cad", folder, seed=7, rows=256, columns=256)
    objects = manifest["patients"][0]["objects"]
    report = read(folder / next(o for o in objects if o["kind"] == "CAD-SR")["path"])
    order = {("R", "CC"): 0, ("L", "CC"): 1, ("R", "MLO"): 2, ("L", "MLO"): 3}
    views = sorted((o for o in objects if o["kind"] == "MG"),
                   key=lambda o: order[(o["truth"]["laterality"], o["truth"]["view"])])
    frames: list[Any] = []
    for view in views:
        image = read(folder / view["path"])
        frames.append(draw_sr_regions(as_rgb(display_frame(image, 0)), report, image)[0])
    write_bytes(target, png_bytes(montage(frames, 2)))
    return target


def main(out: Path) -> None:
    """Write ``out/<recipe>.png`` for each recipe."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for recipe in PICTURES:
            print(picture(recipe, Path(work) / recipe, out / f"{recipe}.png"))
        print(hanging(Path(work) / "mammo-cad", out / "mammo-cad.png"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/recipes"))
