"""``authoring dicomdir``: the DICOMDIR of a folder of DICOM files (a DICOM File-set)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from authoring.cli.errors import reported


def dicomdir(
    folder: Annotated[Path, typer.Argument(help="The File-set's root: every file below it "
                                           "is indexed.", exists=True, file_okay=False)],
    fileset_id: Annotated[str, typer.Option(help="File-set ID (CS, up to 16 characters).")
                          ] = "",
    strict: Annotated[bool, typer.Option(help="Refuse records the Basic Directory IOD "
                                         "finds incomplete.")] = True,
    copy_to: Annotated[Path | None, typer.Option(
        "--copy-to", help="Copy the files into a new File-set in this folder "
        "(P0001/ST0001/SE0001/IM0001 ..., byte for byte; meta added where missing) and index "
        "that instead.")] = None,
) -> None:
    """Write FOLDER/DICOMDIR: patient, study, series and instance records with the offsets
    that link them. File names must be valid File IDs (up to 8 components of 1 to 8
    upper-case letters, digits or _) and files Part 10 files; exit status 1 with the reason
    otherwise; --copy-to makes a File-set of any folder of DICOM files. Hidden files are
    skipped."""
    import authoring
    from authoring.io.dicomdir import copy_into_fileset, write_dicomdir
    from authoring.io.output import visible_files

    with reported(str(folder)):
        root = folder
        if copy_to is not None:
            sources = [p for p in visible_files(folder) if p.name != "DICOMDIR"]
            copied = copy_into_fileset(sources, copy_to)
            typer.echo(f"copied {len(copied)} files into {copy_to}")
            root = copy_to
        target = write_dicomdir(root, fileset_id=fileset_id, strict=strict)
        records = len(authoring.read(target).DirectoryRecordSequence)
    typer.echo(f"{target}: {records} records")
