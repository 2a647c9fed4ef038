"""File writes for scripts and sidecars (through :mod:`authoring.io.output`)."""

from __future__ import annotations

from pathlib import Path

from authoring.io.output import write_bytes


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (its folder made if needed), replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, data, durable=False)
