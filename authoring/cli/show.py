"""``authoring show``: render a file's pixels through the display pipeline to PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from authoring.cli.errors import fail, reported


def show(
    file: Annotated[Path, typer.Argument(help="A DICOM file with pixel data.")],
    png: Annotated[Path, typer.Option("--png", help="The PNG file to write.")],
    frame: Annotated[int | None, typer.Option(help="The frame to show (0-based); by default "
                                              "every frame, as a montage.")] = None,
    window: Annotated[str | None, typer.Option(help="CENTER,WIDTH instead of the file's "
                                               "window.")] = None,
) -> None:
    """Render through Modality LUT, VOI LUT (window or LUT), Presentation LUT Shape,
    palette colour and YBR conversion; a multi-frame file becomes a montage."""
    from authoring.io.output import write_bytes
    from authoring.io.reader import read
    from authoring.pixels.display import display_frame, montage, png_bytes
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
            image = montage([display_frame(dataset, i, center=center, width=width)
                             for i in range(frames)])
        write_bytes(png, png_bytes(image))
    typer.echo(f"wrote {png} ({image.shape[1]} x {image.shape[0]})", err=True)
