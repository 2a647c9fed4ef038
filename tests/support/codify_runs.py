"""Run codify scripts (ours in-process, as ``python SCRIPT OUTPUT`` would) and pydicom's
codify as a new user would, and classify the outcomes."""

from __future__ import annotations

import contextlib
import io
import os
import runpy
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Outcome = Literal["codify error", "script error", "differs", "dataset-equal", "byte-identical"]


def run_script(script: Path, output: Path) -> None:
    """Run a generated script with ``output`` as its argument, in this process."""
    saved = sys.argv
    sys.argv = [str(script), str(output)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runpy.run_path(str(script), run_name="__main__")
    finally:
        sys.argv = saved


def pydicom_equal(first: Path, second: Path) -> bool:
    """pydicom reads both files as equal data sets (file meta included)."""
    import pydicom

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = pydicom.dcmread(first, force=True)
        b = pydicom.dcmread(second, force=True)
        meta_a = getattr(a, "file_meta", None)
        meta_b = getattr(b, "file_meta", None)
        return bool(a == b) and (meta_a or {}) == (meta_b or {})


def classify(original: Path, rebuilt: Path) -> Outcome:
    """How close a rebuilt file is to its original."""
    if rebuilt.read_bytes() == original.read_bytes():
        return "byte-identical"
    try:
        return "dataset-equal" if pydicom_equal(original, rebuilt) else "differs"
    except Exception:
        return "differs"


@dataclass
class Comparison:
    """One file through both tools."""

    ours: Outcome
    theirs: Outcome


def ours(source: Path, folder: Path, style: str = "core") -> Outcome:
    """Our codify, script run, result classified."""
    from authoring.codifier import codify_to

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            script = folder / "ours.py"
            codify_to(source, script, style=style)  # type: ignore[arg-type]
    except Exception:
        return "codify error"
    rebuilt = folder / "ours.dcm"
    try:
        run_script(script, rebuilt)
    except Exception:
        return "script error"
    return classify(source, rebuilt)


def theirs(source: Path, folder: Path) -> Outcome:
    """pydicom's codify as its command line offers it (``pydicom codify FILE``: private
    elements left out, values over 100 bytes replaced), with the save line it adds."""
    from pydicom.util.codify import code_file_from_dataset

    import pydicom

    rebuilt = folder / "theirs.dcm"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dataset = pydicom.dcmread(source, force=True)
            code = code_file_from_dataset(dataset, 100, False)
    except Exception:
        return "codify error"
    code += f"\nds.save_as(r'{rebuilt}', enforce_file_format=True)"
    here = os.getcwd()
    try:
        os.chdir(folder)
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            exec(compile(code, "theirs.py", "exec"), {"__name__": "__main__"})  # noqa: S102
    except BaseException:
        return "script error"
    finally:
        os.chdir(here)
    if not rebuilt.exists():
        return "script error"
    return classify(source, rebuilt)
