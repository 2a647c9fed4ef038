"""``authoring show``: render a file's pixels through the display pipeline to PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from authoring.cli.errors import fail, reported


def show(
    file: Annotated[Path, typer.Argument(help="A DICOM file with pixel data.")],
    png: Annotated[Path, typer.Option("--png", help="The PNG file to write.")],
    frame: Annotated[int | None, typer.Option(help="The frame to show (0-based); by default "
                                              "every frame, as a montage.")] = None,
    window: Annotated[str | None, typer.Option(help="CENTER,WIDTH instead of the file's "
                                               "window.")] = None,
    seg: Annotated[Path | None, typer.Option(
        help="A Segmentation: its frames derived from this image, filled by segment.")
                   ] = None,
    rtstruct: Annotated[Path | None, typer.Option(
        help="An RT Structure Set: its contours on this image, in their colours.")] = None,
    dose: Annotated[Path | None, typer.Option(
        help="An RT Dose: its grid at this image's pixels, in isodose bands.")] = None,
    annotations: Annotated[Path | None, typer.Option(
        help="Microscopy Bulk Simple Annotations of this image: points and outlines.")
                           ] = None,
    sr: Annotated[Path | None, typer.Option(
        help="An SR document: its spatial coordinates selected from this image.")
                  ] = None,
) -> None:
    """Render through Modality LUT, VOI LUT (window or LUT), Presentation LUT Shape,
    palette colour and YBR conversion; a multi-frame file becomes a montage, a TILED_FULL
    one its Total Pixel Matrix. With --seg, --rtstruct and --dose (a single-frame image),
    the segments and contours derived from it and the dose at its pixels are drawn over
    it; with --annotations, the 2D annotations made on it; with --sr, the SR's spatial
    coordinates (SCOORD) selected from it."""
    from authoring.io.output import write_bytes
    from authoring.io.reader import read
    from authoring.pixels.display import display_frame, montage, png_bytes, tiled_full_matrix
    from authoring.pixels.info import pixel_info

    center = width = None
    if window is not None:
        try:
            center, width = (float(part) for part in window.split(","))
        except ValueError:
            raise fail(f"--window needs CENTER,WIDTH, not {window!r}", 2) from None
    with reported(str(file)):
        dataset = read(file)
        frames = pixel_info(dataset).frames
        if frame is not None:
            image = display_frame(dataset, frame, center=center, width=width)
        else:
            shown = [display_frame(dataset, i, center=center, width=width)
                     for i in range(frames)]
            matrix = tiled_full_matrix(dataset, shown)
            image = matrix if matrix is not None else montage(shown)
        if annotations is not None:
            image = _annotations(image, dataset, annotations)
        if sr is not None:
            image = _sr_regions(image, dataset, sr)
        if seg is not None or rtstruct is not None or dose is not None:
            image = _overlays(image, dataset, seg, rtstruct, dose)
        write_bytes(png, png_bytes(image))
    typer.echo(f"wrote {png} ({image.shape[1]} x {image.shape[0]})", err=True)


def _overlays(image: Any, dataset: Any, seg: Path | None, rtstruct: Path | None,
              dose: Path | None = None) -> Any:
    """``image`` with the segmentation and contours derived from ``dataset`` and the dose
    at its pixels drawn on it; an error when none has anything on it."""
    from authoring.io.reader import read
    from authoring.pixels.overlay import as_rgb, draw_contours, draw_dose, draw_segmentation

    if "NumberOfFrames" in dataset and int(dataset.get("NumberOfFrames") or 1) > 1:
        raise fail("--seg, --rtstruct and --dose draw over a single-frame image", 2)
    image = as_rgb(image)
    found = 0
    if dose is not None:  # first: the contours stay visible over the wash
        with reported(str(dose)):
            image, drawn = draw_dose(image, read(dose), dataset)
        found += drawn
    if seg is not None:
        with reported(str(seg)):
            image, drawn = draw_segmentation(image, read(seg),
                                             str(dataset.get("SOPInstanceUID") or ""))
        found += drawn
    if rtstruct is not None:
        with reported(str(rtstruct)):
            image, drawn = draw_contours(image, read(rtstruct), dataset)
        found += drawn
    if not found:
        raise fail("nothing in --seg, --rtstruct or --dose is on this image", 1)
    return image


def _annotations(image: Any, dataset: Any, path: Path) -> Any:
    """``image`` with the annotations in ``path`` made on ``dataset`` drawn on it."""
    from authoring.io.reader import read
    from authoring.pixels.overlay import as_rgb, draw_annotations

    with reported(str(path)):
        drawn_image, drawn = draw_annotations(as_rgb(image), read(path), dataset)
    if not drawn:
        raise fail("nothing in --annotations is on this image", 1)
    return drawn_image


def _sr_regions(image: Any, dataset: Any, path: Path) -> Any:
    """``image`` with the SCOORDs of the SR document in ``path`` selected from it."""
    from authoring.io.reader import read
    from authoring.pixels.overlay import as_rgb, draw_sr_regions

    with reported(str(path)):
        drawn_image, drawn = draw_sr_regions(as_rgb(image), read(path), dataset)
    if not drawn:
        raise fail("nothing in --sr is selected from this image", 1)
    return drawn_image
