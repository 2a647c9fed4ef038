"""Codify many files: a folder tree into a folder of scripts, in parallel processes, one
failure reported without stopping the rest."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Job:
    """One file to codify and where its script goes."""

    source: Path
    script: Path


@dataclass(frozen=True)
class Outcome:
    """What happened to one job: the error message, or None."""

    job: Job
    error: str | None
    raw_elements: int = 0
    bulk_files: int = 0


def _script_name(relative: Path) -> str:
    stem = re.sub(r"[^0-9A-Za-z_.-]+", "_", relative.name)
    stem = stem[: -len(relative.suffix)] if relative.suffix and stem.endswith(
        re.sub(r"[^0-9A-Za-z_.-]+", "_", relative.suffix)) else stem
    stem = stem.strip("._") or "dataset"
    return f"{stem}.py"


def plan_jobs(folder: Path, output: Path) -> list[Job]:
    """Every regular file under ``folder`` (recursively, in sorted order, hidden files and
    folders skipped), each to a script at the same relative place under ``output``; names
    made unique."""
    from authoring.io.output import visible_files

    jobs: list[Job] = []
    taken: set[Path] = set()
    for path in visible_files(folder):
        relative = path.relative_to(folder)
        target = output / relative.parent / _script_name(relative)
        number = 1
        while target in taken:
            number += 1
            target = target.with_name(f"{target.stem.rsplit('__', 1)[0]}__{number}.py")
        taken.add(target)
        jobs.append(Job(path, target))
    return jobs


def run_job(job: Job, options: dict[str, Any]) -> Outcome:
    """Codify one file and save its script (errors become the outcome's message)."""
    import warnings

    from authoring.codifier import generate
    from authoring.errors import AuthoringError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = generate(job.source, script_name=job.script.name, **options)
        result.save(job.script)
    except (AuthoringError, OSError, ValueError, TypeError) as exc:
        return Outcome(job, str(exc) or type(exc).__name__)
    return Outcome(job, None, result.raw_elements, len(result.bulk))


def run_jobs(jobs: list[Job], options: dict[str, Any], workers: int | None = None,
             progress: Callable[[Outcome], None] | None = None) -> Iterator[Outcome]:
    """Run the jobs in ``workers`` processes (default: one per core); yield each outcome as
    it completes."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            outcome = run_job(job, options)
            if progress is not None:
                progress(outcome)
            yield outcome
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_job, job, options) for job in jobs]
        for future in as_completed(futures):
            outcome = future.result()
            if progress is not None:
                progress(outcome)
            yield outcome
