"""``authoring dictionary``: rebuild or check the compiled data dictionary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from authoring.cli.errors import fail, reported

app = typer.Typer(help="Import the standard into dictionary/ and compile it to Python.",
                  no_args_is_help=True)


def _layout(root: Path | None) -> object:
    from authoring.compiler.build import ProjectLayout, default_project_root

    return ProjectLayout((root or default_project_root()).resolve())


@app.command()
def build(
    standard: Annotated[Path | None, typer.Option(help="The standard sources (default: "
                                                  "../shared/standard beside the project).")
                        ] = None,
    root: Annotated[Path | None, typer.Option(help="Project checkout to write into.")] = None,
    check: Annotated[bool, typer.Option(help="Only compare a fresh build with the committed "
                                        "files; exit 1 if they differ.")] = False,
) -> None:
    """Import the dicom3tools snapshot, write dictionary/, compile authoring/_generated/."""
    from authoring.compiler.build import (
        ProjectLayout,
        build_all,
        default_standard_root,
        write_files,
    )

    layout = _layout(root)
    assert isinstance(layout, ProjectLayout)
    source = standard or default_standard_root(layout.root)
    if not source.is_dir():
        raise fail(f"{source}: no standard sources here (pass --standard)")
    with reported(str(source)):
        files = build_all(source, layout)
    if check:
        stale = [name for name, text in sorted(files.items())
                 if not (layout.root / name).exists()
                 or (layout.root / name).read_text(encoding="utf-8") != text]
        for name in stale:
            typer.echo(f"differs: {name}")
        if stale:
            raise typer.Exit(1)
        typer.echo(f"up to date: {len(files)} files")
        return
    changed = write_files(files, layout.root)
    typer.echo(f"{len(files)} files built, {len(changed)} changed")


@app.command("compile")
def compile_only(
    root: Annotated[Path | None, typer.Option(help="Project checkout.")] = None,
) -> None:
    """Compile the committed dictionary/ tables into authoring/_generated/ (no sources)."""
    from authoring.compiler.build import ProjectLayout, current_edition, generated_files, \
        write_files

    layout = _layout(root)
    assert isinstance(layout, ProjectLayout)
    with reported():
        edition, iods, notice = current_edition(layout)
        files = generated_files(edition, iods, layout, notice)
    changed = write_files(files, layout.root)
    typer.echo(f"{len(files)} modules compiled, {len(changed)} changed")


@app.command("import-docbook")
def import_docbook(
    part06: Annotated[Path, typer.Argument(help="A PS3.6 DocBook XML file (any edition).")],
    out: Annotated[Path, typer.Option(help="Directory for the normalized tables.")],
) -> None:
    """Import a PS3.6 DocBook edition into normalized tables (elements.json, uids.json)."""
    from authoring.compiler.importers.docbook import import_docbook_ps36
    from authoring.compiler.normalized import write_edition

    with reported(str(part06)):
        edition = import_docbook_ps36(part06)
        write_edition(edition, out / edition.edition)
    for note in edition.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"{edition.edition}: {len(edition.elements)} elements, {len(edition.uids)} "
               f"UIDs -> {out / edition.edition}")
