"""``authoring dictionary``: rebuild or check the compiled data dictionary."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from authoring.cli.errors import fail, reported

app = typer.Typer(help="Import the standard into dictionary/ and compile it to Python.",
                  no_args_is_help=True)


def _layout(root: Path | None) -> object:
    from authoring.compiler.build import ProjectLayout, checkout_root

    folder = root or checkout_root()
    if folder is None:
        raise fail("this is an installed package, not a checkout: pass --root FOLDER (the "
                   "build writes FOLDER/dictionary and FOLDER/authoring/_generated)", 2)
    return ProjectLayout(folder.resolve())


def _progress(started: float) -> Callable[[str], None]:
    """Print each build stage on stderr with the time since the start."""

    def say(stage: str) -> None:
        typer.echo(f"[{time.monotonic() - started:5.1f} s] {stage}", err=True)

    return say


@app.command()
def build(
    standard: Annotated[Path | None, typer.Option(help="The standard sources (default: "
                                                  "../shared/standard beside the project).")
                        ] = None,
    root: Annotated[Path | None, typer.Option(
        "--root", "--out", help="Folder to build into: dictionary/ and authoring/_generated/ "
        "are written below it (default: the checkout this package runs from; required for "
        "an installed package).")] = None,
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
        files = build_all(source, layout, progress=_progress(time.monotonic()))
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
    from authoring.compiler.build import (
        ProjectLayout,
        committed_palette_module,
        current_edition,
        generated_files,
        write_files,
    )

    layout = _layout(root)
    assert isinstance(layout, ProjectLayout)
    with reported():
        edition, iods, notice = current_edition(layout)
        files = generated_files(edition, iods, layout, notice)
        files.update(committed_palette_module(layout))
        from authoring.compiler.build import sr_constraint_module, sr_template_modules
        from authoring.compiler.context_groups import TABLE, committed_codes_modules

        files.update(committed_codes_modules(layout.root))
        files.update(sr_template_modules(
            layout, (layout.root / TABLE).read_text(encoding="utf-8")))
        files.update(sr_constraint_module(layout))
    changed = write_files(files, layout.root)
    typer.echo(f"{len(files)} modules compiled, {len(changed)} changed")


@app.command("import-docbook")
def import_docbook(
    files: Annotated[list[Path], typer.Argument(help="PS3.6 and/or PS3.3 DocBook XML files "
                                                "(any edition; the part is read from each "
                                                "file's title).")],
    out: Annotated[Path, typer.Option(help="Directory for the normalized tables.")],
) -> None:
    """Import DocBook editions into normalized tables: PS3.6 gives elements.json and
    uids.json; PS3.3 gives iods.json, modules.json, conditions.json and value_sets.json
    (keywords from the PS3.6 file given with it, else from the current dictionary)."""
    from authoring.compiler.importers.docbook import docbook_part, import_docbook_ps36
    from authoring.compiler.importers.docbook_iods import import_docbook_ps33
    from authoring.compiler.normalized import write_edition
    from authoring.compiler.normalized_iods import write_iod_edition

    parts: dict[str, list[Path]] = {"3": [], "6": []}
    for path in files:
        with reported(str(path)):
            part = docbook_part(path)
        if part not in parts:
            raise fail(f"{path}: PS3.{part} is not a part this importer reads (PS3.3, PS3.6)")
        parts[part].append(path)
    keywords: dict[str, str] = {}
    for path in parts["6"]:
        with reported(str(path)):
            edition = import_docbook_ps36(path)
            write_edition(edition, out / edition.edition)
        keywords.update((_tag_key(e.tag), e.keyword) for e in edition.elements)
        for note in edition.notes:
            typer.echo(f"note: {note}")
        typer.echo(f"{edition.edition}: {len(edition.elements)} elements, "
                   f"{len(edition.uids)} UIDs -> {out / edition.edition}")
    if parts["3"] and not keywords:
        from authoring.compiler.build import ProjectLayout, current_edition

        layout = _layout(None)
        assert isinstance(layout, ProjectLayout)
        with reported("dictionary/"):
            current, _, _ = current_edition(layout)
        keywords.update((_tag_key(e.tag), e.keyword) for e in current.elements)
    for path in parts["3"]:
        with reported(str(path)):
            iods = import_docbook_ps33(path, lambda tag: keywords.get(_tag_key(tag)))
            write_iod_edition(iods, out / iods.edition)
        for note in iods.notes:
            typer.echo(f"note: {note}")
        typer.echo(f"{iods.edition}: {len(iods.iods)} IODs, {len(iods.modules)} modules and "
                   f"macros, {len(iods.conditions)} conditions -> {out / iods.edition}")


def _tag_key(tag: str) -> str:
    return tag.upper().replace("X", "x")
