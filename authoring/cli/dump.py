"""``authoring dump``: print data sets as a tree, or as DICOM JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from authoring.cli.errors import reported


def dump(
    files: Annotated[list[Path], typer.Argument(help="DICOM files to show.")],
    as_json: Annotated[bool, typer.Option("--json", help="Write the DICOM JSON model "
                                          "(PS3.18 F.2) instead of the tree.")] = False,
    stop_before: Annotated[str | None, typer.Option(help="Stop reading at this tag or "
                                                    "keyword (e.g. PixelData).")] = None,
    no_meta: Annotated[bool, typer.Option("--no-meta", help="Leave out the file meta.")
                       ] = False,
) -> None:
    """Show each file's elements: tag, VR, length, keyword and value, items indented."""
    from authoring.io.json_model import document_to_json
    from authoring.dataset import read
    from authoring.object.render import dump_lines, dump_text

    documents: list[Any] = []
    failed = False
    for path in files:
        try:
            with reported(str(path)):
                dataset = read(path, stop_before=stop_before)
        except typer.Exit:
            failed = True
            continue
        if as_json:
            documents.append(document_to_json(dataset))
            continue
        if len(files) > 1:
            typer.echo(f"# {path}")
        text = "\n".join(dump_lines(dataset)) if no_meta else dump_text(dataset)
        typer.echo(text)
    if as_json:
        payload = documents[0] if len(files) == 1 and documents else documents
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    if failed:
        raise typer.Exit(1)
