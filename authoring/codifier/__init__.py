"""Codify: turn a DICOM file into a readable Python script that rebuilds it byte for byte.

    import authoring
    text = authoring.codify("CT_small.dcm")          # the script, every value inline
    authoring.codify_to("CT_small.dcm", "ct.py")     # the script and its sidecar files
    # python ct.py rebuilt.dcm                       -> the same bytes as CT_small.dcm

The engine: a data set -> a plan of statements (:mod:`authoring.codifier.planner`, checked
element by element against the file's bytes) -> the template ``templates/codify`` ->
black. Values reach the script only as literals (:mod:`authoring.codifier.literal`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from authoring.codifier.model import BulkFile
    from authoring.object.dataset import DatasetBase

__all__ = ["CodifyResult", "codify", "codify_to", "generate"]


@dataclass
class CodifyResult:
    """A generated script and the sidecar files it reads (paths relative to the script)."""

    script: str
    bulk: list[BulkFile] = field(default_factory=list["BulkFile"])
    raw_elements: int = 0  # elements kept as their original bytes

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the script to ``path`` and its sidecar files beside it (each atomically);
        return the script's path."""
        from authoring.codifier.files import write_atomically

        target = Path(path)
        for sidecar in self.bulk:
            write_atomically(target.parent / sidecar.relative, sidecar.data)
        write_atomically(target, self.script.encode("utf-8"))
        return target


def _bulk_folder(name: str) -> str:
    stem = re.sub(r"[^0-9A-Za-z_.-]+", "_", Path(name.replace("\\", "/")).stem).strip("._")
    return f"{stem or 'dataset'}_bulk"


def codify(source: DatasetBase | str | os.PathLike[str], *,
           style: Literal["core", "typed"] = "core", formatted: bool = True) -> str:
    """The script that rebuilds ``source`` (a path, or a data set read from a file), every
    value inline: one self-contained text. ``style`` ``"core"`` uses the plain data set API;
    ``"typed"`` the IOD's builder class where the IOD is known."""
    return generate(source, style=style, inline=True, formatted=formatted).script


def codify_to(source: DatasetBase | str | os.PathLike[str], script: str | os.PathLike[str],
              *, style: Literal["core", "typed"] = "core", bulk_threshold: int = 256,
              inline: bool = False, formatted: bool = True) -> CodifyResult:
    """Write the script that rebuilds ``source`` to ``script``, values over
    ``bulk_threshold`` bytes in sidecar files beside it (under ``<script stem>_bulk/``)
    unless ``inline``; return what was written."""
    target = Path(script)
    result = generate(source, style=style, bulk_threshold=bulk_threshold, inline=inline,
                      formatted=formatted, script_name=target.name)
    result.save(target)
    return result


def generate(source: DatasetBase | str | os.PathLike[str], *,
             style: Literal["core", "typed"] = "core", bulk_threshold: int = 256,
             inline: bool = False, formatted: bool = True, script_name: str | None = None
             ) -> CodifyResult:
    """The script that rebuilds ``source`` and its sidecar files, in memory.

    ``style`` ``"core"`` uses the plain data set API; ``"typed"`` the IOD's builder class
    where the IOD is known. Values longer than ``bulk_threshold`` bytes go to sidecar files
    (native pixel data as ``.npy``) unless ``inline``. ``script_name`` names the sidecar
    folder (``<stem>_bulk``); by default the source's name does.
    """
    from authoring.codifier.planner import Options, plan
    from authoring.codifier.render import render_script
    from authoring.io.reader import read

    dataset: DatasetBase
    if isinstance(source, (str, os.PathLike)):
        dataset = read(source)
        source_name = os.fspath(source)
    else:
        dataset = source
        source_name = dataset.filename or "dataset.dcm"
    folder = _bulk_folder(script_name or source_name)
    options = Options(style=style, bulk_threshold=bulk_threshold, inline=inline,
                      bulk_folder=folder)
    planned = plan(dataset, source_name=Path(str(source_name).replace("\\", "/")).name,
                   options=options)
    text = render_script(planned, style=style, threshold=bulk_threshold, bulk_folder=folder,
                         formatted=formatted)
    raw_count = sum(1 for s in planned.statements if s.kind == "add" and s.value is not None
                    and getattr(s.value, "function", "") == "raw")
    return CodifyResult(text, planned.bulk, raw_count)
