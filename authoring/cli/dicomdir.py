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
) -> None:
    """Write FOLDER/DICOMDIR: patient, study, series and instance records with the offsets
    that link them. File names must be valid File IDs (up to 8 components of 1 to 8
    upper-case letters, digits or _); exit status 1 with the reason otherwise."""
    import authoring
    from authoring.io.dicomdir import write_dicomdir

    with reported(str(folder)):
        target = write_dicomdir(folder, fileset_id=fileset_id, strict=strict)
        records = len(authoring.read(target).DirectoryRecordSequence)
    typer.echo(f"{target}: {records} records")
