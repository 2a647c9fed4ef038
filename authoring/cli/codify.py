"""``authoring codify``: DICOM files to Python scripts that rebuild them byte for byte."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from authoring.cli.errors import fail, reported


def codify(
    source: Annotated[Path, typer.Argument(help="A DICOM file, or a folder of them "
                                           "(recursive).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="The script to write "
                                                "(for a folder: the folder of scripts). "
                                                "Without it, a file's script is printed, "
                                                "every value inline.")] = None,
    style: Annotated[str, typer.Option(help="core (the data set API) or typed (the IOD's "
                                       "builder class).")] = "core",
    inline: Annotated[bool, typer.Option("--inline", help="Put every value in the script, "
                                         "however large (no sidecar files).")] = False,
    bulk_threshold: Annotated[int, typer.Option(help="Values over this many bytes go to "
                                                "sidecar files beside the script.")] = 256,
    no_format: Annotated[bool, typer.Option("--no-format", help="Skip black (faster).")
                         ] = False,
    workers: Annotated[int | None, typer.Option(help="Processes for a folder (default: one "
                                                "per core).")] = None,
) -> None:
    """Write a Python script that rebuilds each file exactly: run it as ``python SCRIPT
    [OUTPUT]``. Values reach the script only as literals; sidecar files are checked by
    SHA-256. Exit status 1 when any file failed."""
    if style not in ("core", "typed"):
        raise fail(f"--style must be core or typed, not {style!r}", 2)
    chosen: Literal["core", "typed"] = "typed" if style == "typed" else "core"
    options: dict[str, Any] = {"style": chosen, "inline": inline,
                               "bulk_threshold": bulk_threshold, "formatted": not no_format}
    if source.is_dir():
        if output is None:
            raise fail("codifying a folder needs -o OUTPUT_FOLDER", 2)
        _codify_folder(source, output, options, workers)
        return
    from authoring.codifier import codify_to, generate

    with reported(str(source)):
        if output is None:
            inline_options: dict[str, Any] = {**options, "inline": True}
            result = generate(source, **inline_options)
            typer.echo(result.script, nl=False)
            return
        result = codify_to(source, output, **options)
    extra = f" and {len(result.bulk)} sidecar files" if result.bulk else ""
    typer.echo(f"wrote {output}{extra}", err=True)


def _codify_folder(source: Path, output: Path, options: dict[str, Any],
                   workers: int | None) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from authoring.codifier.batch import Outcome, plan_jobs, run_jobs

    jobs = plan_jobs(source, output)
    console = Console(stderr=True)
    failures: list[Outcome] = []
    done = 0
    with Progress(TextColumn("codify"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[name]}"), console=console,
                  transient=True) as progress:
        task = progress.add_task("codify", total=len(jobs), name="")
        for outcome in run_jobs(jobs, options, workers):
            progress.update(task, advance=1, name=outcome.job.source.name[:40])
            if outcome.error is not None:
                failures.append(outcome)
                message = outcome.error
                if str(outcome.job.source) not in message:
                    message = f"{outcome.job.source}: {message}"
                console.print(f"failed: {message}", markup=False, highlight=False,
                              soft_wrap=True)
            else:
                done += 1
    console.print(f"{done} of {len(jobs)} files codified into {output}"
                  + (f"; {len(failures)} failed" if failures else ""),
                  markup=False, highlight=False, soft_wrap=True)
    if failures:
        raise typer.Exit(1)
