"""``authoring synth``: synthetic, valid DICOM files for any IOD."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from authoring.cli.errors import fail


def parse_assignments(assignments: list[str]) -> tuple[tuple[str, str], ...]:
    """``KEYWORD=VALUE`` texts as (keyword, value) pairs; an unknown keyword is an error
    that suggests the nearest ones."""
    from authoring.dictionary.elements import tag_for_keyword
    from authoring.errors import UnknownKeywordError
    from authoring.object.dataset import suggest_keywords

    pairs: list[tuple[str, str]] = []
    for text in assignments:
        keyword, equals, value = text.partition("=")
        keyword = keyword.strip()
        if not equals or not keyword:
            raise UnknownKeywordError(f"--set {text!r}: write KEYWORD=VALUE")
        if tag_for_keyword(keyword) is None:
            hint = suggest_keywords(keyword, limit=1)
            raise UnknownKeywordError(f"--set: no attribute {keyword!r}"
                                      + (f"; did you mean {hint[0]!r}?" if hint else ""))
        pairs.append((keyword, value))
    return tuple(pairs)


def synth(
    iod: Annotated[list[str] | None, typer.Option(
        help="IOD name (CTImage, MRImage, ...) or SOP Class UID; repeat it for series of "
        "several IODs in the same studies (default CTImage).")] = None,
    out: Annotated[Path, typer.Option(help="Folder to write the tree into.")] = Path("synth"),
    patients: Annotated[int, typer.Option(min=1)] = 1,
    studies: Annotated[int, typer.Option(min=1, help="Studies per patient.")] = 1,
    series: Annotated[int, typer.Option(min=1, help="Series per study.")] = 1,
    instances: Annotated[int, typer.Option(min=1, help="Instances per series.")] = 1,
    rows: Annotated[int | None, typer.Option(min=1, help="Default 64 (128 for a recipe).")
                    ] = None,
    columns: Annotated[int | None, typer.Option(min=1, help="Default 64 (128 for a recipe).")
                       ] = None,
    frames: Annotated[int, typer.Option(min=1, help="Frames per instance.")] = 1,
    transfer_syntax: Annotated[str | None, typer.Option(help="UID, keyword or alias (rle, "
                                                        "jpeg-ls, j2k, ...).")] = None,
    charset: Annotated[str, typer.Option(help="Specific Character Set for names (e.g. "
                                         "'ISO_IR 192', 'ISO_IR 100', "
                                         "'\\ISO 2022 IR 87').")] = "",
    seed: Annotated[int, typer.Option(help="The same seed gives byte-identical files.")] = 0,
    first_series: Annotated[int, typer.Option(min=1, help="Number of the first series: with "
                                              "the same seed, adds series to the same "
                                              "patients and studies.")] = 1,
    workers: Annotated[int | None, typer.Option(help="Processes (default: one per core).")
                       ] = None,
    dicomdir: Annotated[bool, typer.Option(help="A DICOM File-set: file names that are "
                                           "valid File IDs and a DICOMDIR indexing every "
                                           "file below --out.")] = False,
    set_values: Annotated[list[str] | None, typer.Option(
        "--set", help="KEYWORD=VALUE imposed on every instance (repeatable; several values "
        "separated by backslashes), e.g. --set 'PatientName=Doe^Jane'.")] = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="--out may hold files: files of the same names are replaced.")
                         ] = False,
    append: Annotated[bool, typer.Option(
        "--append", help="--out may hold files: new series are added beside them, numbered "
        "after the highest there; no file is replaced.")] = False,
    psnr: Annotated[float, typer.Option(
        help="Lossy JPEG Baseline and JPEG 2000: the PSNR in dB every frame must reach "
             "(checked by decoding; at least 20).")] = 45.0,
    near: Annotated[int, typer.Option(
        help="JPEG-LS near-lossless: the largest error of any sample (NEAR).")] = 2,
    recipe: Annotated[str | None, typer.Option(
        help="A study whose objects are true together (see --list-recipes): every object "
        "derived from one phantom, with DIR/manifest.json.")] = None,
    slices: Annotated[int, typer.Option(min=8, help="--recipe: CT slices.")] = 48,
    list_recipes: Annotated[bool, typer.Option(
        "--list-recipes", help="List the recipes and what they write.")] = False,
) -> None:
    """Write P0001/ST0001/SE0001/IM0001.dcm ... : every mandatory module filled with values
    the standard allows, a consistent UID hierarchy, dates, names and geometry, and pixel
    data that looks like its modality. A non-empty --out is refused unless --overwrite or
    --append says what to do. Exit status 1 if any file failed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from authoring.errors import AuthoringError
    from authoring.pixels.lossy import EncodeOptions
    from authoring.synth.series import (
        ExistingFiles,
        SynthOptions,
        generate_study,
        resolve_iod,
    )

    if list_recipes:
        from authoring.synth.recipes import recipes

        for name, description in recipes().items():
            typer.echo(f"{name}: {description}")
        return
    if recipe is not None:
        _study(recipe, out, seed=seed, patients=patients, slices=slices, rows=rows or 128,
               columns=columns or 128, transfer_syntax=transfer_syntax, workers=workers,
               overwrite=overwrite, dicomdir=dicomdir)
        return
    rows, columns = rows or 64, columns or 64
    if overwrite and append:
        raise fail("--overwrite and --append exclude each other", 2)
    if_exists: ExistingFiles = "overwrite" if overwrite else "append" if append else "refuse"
    try:
        names = [resolve_iod(one) for one in (iod or ["CTImage"])]
        if transfer_syntax is not None:
            from authoring.core.transfer_syntax import transfer_syntax as resolve

            transfer_syntax = resolve(transfer_syntax).uid
        if charset:
            from authoring.core.charset import character_set

            character_set(charset)
        overrides = parse_assignments(set_values or [])
        options = SynthOptions(iod=names[0], patients=patients, studies=studies,
                               series=series, instances=instances, rows=rows,
                               columns=columns, frames=frames,
                               transfer_syntax=transfer_syntax, charset=charset, seed=seed,
                               first_series=first_series - 1, overrides=overrides,
                               dicomdir=dicomdir,
                               encode_options=EncodeOptions(psnr=psnr, near=near))
    except AuthoringError as exc:
        raise fail(str(exc), 2) from None
    total = patients * studies * series * instances * len(names)
    name = ", ".join(names)
    console = Console(stderr=True)
    with Progress(TextColumn(f"synth {name}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("synth", total=total)
        try:
            summary = generate_study(names, options, out, workers=workers,
                                     progress=lambda done: progress.update(task,
                                                                           completed=done),
                                     if_exists=if_exists)
        except AuthoringError as exc:
            progress.stop()
            raise fail(str(exc), 1) from None
    for outcome in summary.failed:
        console.print(f"failed: {outcome.path}: {outcome.error}", markup=False,
                      highlight=False, soft_wrap=True)
    if summary.dicomdir is not None:
        console.print(f"DICOMDIR: {summary.dicomdir}", markup=False, highlight=False,
                      soft_wrap=True)
    console.print(f"{len(summary.written)} {name} files in {out}"
                  + (f"; {len(summary.failed)} failed" if summary.failed else ""),
                  markup=False, highlight=False, soft_wrap=True)
    if summary.failed:
        raise typer.Exit(1)


def _study(recipe: str, out: Path, *, seed: int, patients: int, slices: int, rows: int,
           columns: int, transfer_syntax: str | None, workers: int | None,
           overwrite: bool, dicomdir: bool) -> None:
    """``synth --recipe``: write the recipe's study for each patient, with a progress bar,
    and say where the manifest is."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from authoring.errors import AuthoringError
    from authoring.synth.recipes import MANIFEST, study

    console = Console(stderr=True)
    with Progress(TextColumn(f"synth --recipe {recipe}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("patients", total=patients)
        try:
            manifest = study(recipe, out, seed=seed, patients=patients, slices=slices,
                             rows=rows, columns=columns, transfer_syntax=transfer_syntax,
                             workers=workers, overwrite=overwrite, dicomdir=dicomdir,
                             progress=lambda done: progress.update(task, completed=done))
        except AuthoringError as exc:
            progress.stop()
            raise fail(str(exc), 2) from None
    count = sum(len(p["objects"]) for p in manifest["patients"])
    console.print(f"{count} files of {patients} {recipe} stud"
                  f"{'y' if patients == 1 else 'ies'} in {out}; truth in {out / MANIFEST}",
                  markup=False, highlight=False, soft_wrap=True)
