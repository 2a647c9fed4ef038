"""The ``authoring`` command: each subcommand lives in its own module."""

from __future__ import annotations

import sys
import warnings
from typing import Annotated, TextIO

import typer

from authoring._version import __version__
from authoring.cli import dictionary
from authoring.cli.codify import codify
from authoring.cli.convert import convert
from authoring.cli.dicomdir import dicomdir
from authoring.cli.dump import dump
from authoring.cli.show import show
from authoring.cli.synth import synth
from authoring.cli.validate import validate

app = typer.Typer(
    name="authoring",
    help="Author DICOM: read, write, convert, inspect, validate and codify DICOM files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command()(dump)
app.command()(convert)
app.command()(dicomdir)
app.command()(codify)
app.command()(show)
app.command()(synth)
app.command()(validate)
app.add_typer(dictionary.app, name="dictionary")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"authoring {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Author DICOM: read, write, convert, inspect, validate and codify DICOM files."""


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str,
                      lineno: int, file: TextIO | None = None, line: str | None = None
                      ) -> None:
    """Show a Python warning as one line, ``warning: ...``, without the source line."""
    text = " ".join(str(message).split())
    print(f"warning: {text} [{category.__name__}]", file=file or sys.stderr)


def main() -> None:
    """Console-script entry point (Python warnings are printed one per line)."""
    warnings.showwarning = _one_line_warning
    app()
