"""``authoring validate``: check files against their IODs (PS3.3)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from authoring.cli.errors import fail, reported

if TYPE_CHECKING:
    from authoring.validation.iod import Report

#: Exit status when a file cannot be read or the IOD asked for does not exist (errors found
#: in readable files give 1).
UNREADABLE = 2


def validate(
    files: Annotated[list[Path], typer.Argument(help="DICOM files, or folders of them "
                                                "(recursive; hidden files skipped).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")
                       ] = False,
    iod: Annotated[str | None, typer.Option(help="Check against this IOD (e.g. CTImage) "
                                            "instead of the one the SOP Class UID names.")
                   ] = None,
    errors_only: Annotated[bool, typer.Option("--errors-only", help="Leave warnings out.")
                           ] = False,
) -> None:
    """Check each file against its IOD: modules, attribute Types and conditions, enumerated
    values, VM and value formats, inside sequence items too. Exit status: 0 when no file has
    an error, 1 when one has, 2 when a file cannot be read or --iod names no IOD."""
    from authoring.dataset import read
    from authoring.validation.iod import report_json
    from authoring.validation.iod import validate as validate_dataset

    if iod is not None:
        from authoring.errors import UnknownIODError
        from authoring.validation.spec import iod_named

        try:
            iod = iod_named(iod).name
        except UnknownIODError as exc:
            raise fail(str(exc), UNREADABLE) from None
    from authoring.io.output import visible_files

    reports: dict[str, Report] = {}
    unreadable = False
    chosen = [found for path in files
              for found in (visible_files(path) if path.is_dir() else [path])]
    for path in chosen:
        try:
            with reported(str(path)):
                reports[str(path)] = validate_dataset(read(path), iod)
        except typer.Exit:
            unreadable = True
    if errors_only:
        for report in reports.values():
            report.findings = report.errors
    if as_json:
        typer.echo(report_json(reports))
    else:
        for name, report in reports.items():
            typer.echo(f"{name}: {report}")
    if unreadable:
        raise typer.Exit(UNREADABLE)
    if any(not report.ok for report in reports.values()):
        raise typer.Exit(1)
