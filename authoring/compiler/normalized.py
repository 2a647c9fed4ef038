"""Read and write the normalized dictionary tables committed under ``dictionary/<edition>/``.

Each table is a JSON array with one record per line, so that a new edition shows up in a diff
as the rows that changed. ``edition.json`` records where the tables came from.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, TypeVar

from authoring.compiler.ir import (
    Edition,
    ElementEntry,
    PrivateElementEntry,
    TransferSyntaxEntry,
    UIDEntry,
)

T = TypeVar("T")

TABLES: dict[str, type[Any]] = {
    "elements.json": ElementEntry,
    "uids.json": UIDEntry,
    "transfer_syntaxes.json": TransferSyntaxEntry,
    "private_elements.json": PrivateElementEntry,
}

_FIELDS = {
    "elements.json": "elements",
    "uids.json": "uids",
    "transfer_syntaxes.json": "transfer_syntaxes",
    "private_elements.json": "private_elements",
}


def dump_records(records: list[Any]) -> str:
    """Serialize dataclass records as a JSON array, one compact record per line."""
    lines = [json.dumps(dataclasses.asdict(r), ensure_ascii=False) for r in records]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def load_records(text: str, kind: type[T]) -> list[T]:
    """Parse a table written by :func:`dump_records` back into ``kind`` records."""
    return [kind(**row) for row in json.loads(text)]


def render_edition(edition: Edition) -> dict[str, str]:
    """Return the files (name -> text) that represent ``edition`` on disk."""
    files = {name: dump_records(getattr(edition, field)) for name, field in _FIELDS.items()}
    meta = {
        "edition": edition.edition,
        "source": edition.source,
        "counts": {field: len(getattr(edition, field)) for field in _FIELDS.values()},
        "notes": edition.notes,
    }
    files["edition.json"] = json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
    return files


def write_tables(tables: dict[str, str], directory: Path) -> list[Path]:
    """Write rendered tables (file name -> text) under ``directory``; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in tables.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def write_edition(edition: Edition, directory: Path) -> list[Path]:
    """Write ``edition`` under ``directory``; return the paths written."""
    return write_tables(render_edition(edition), directory)


def read_edition(directory: Path) -> Edition:
    """Load an edition written by :func:`write_edition`."""
    meta = json.loads((directory / "edition.json").read_text(encoding="utf-8"))
    edition = Edition(edition=meta["edition"], source=meta["source"], notes=list(meta["notes"]))
    for name, kind in TABLES.items():
        path = directory / name
        if path.exists():
            setattr(edition, _FIELDS[name], load_records(path.read_text(encoding="utf-8"), kind))
    return edition
