"""What codify scripts call when they run: where to write, and the sidecar files.

Kept small and dependency-free (numpy only for ``.npy`` sidecars) so that a script runs
anywhere ``authoring`` is installed.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from authoring.errors import AuthoringError

if TYPE_CHECKING:
    from authoring.object.element import DataElement


class SidecarError(AuthoringError):
    """A sidecar file is missing, outside the script's folder, or not what the script
    expects (its SHA-256 differs)."""


def script_folder(script: str) -> Path:
    """The folder of the running script (``script_folder(__file__)``)."""
    return Path(script).resolve().parent


def output_path(folder: Path, source_name: str) -> Path:
    """Where the script writes: its first command-line argument, or the original file's
    name (its last component only, never a path) in the script's folder."""
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    name = Path(source_name.replace("\\", "/")).name
    if name in ("", ".", ".."):
        name = "rebuilt.dcm"
    return folder / name


def _read_sidecar(folder: Path, relative: str, sha256: str) -> bytes:
    path = (folder / relative).resolve()
    if folder.resolve() not in path.parents:
        raise SidecarError(f"{relative!r} is outside the script's folder")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SidecarError(f"cannot read the sidecar file {relative!r}: {exc.strerror}") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise SidecarError(f"the sidecar file {relative!r} has SHA-256 {actual}, not {sha256}; "
                           "it was changed or replaced")
    return data


def bulk(folder: Path, relative: str, sha256: str) -> bytes:
    """The bytes of a sidecar file, checked against their SHA-256."""
    return _read_sidecar(folder, relative, sha256)


def bulk_array(folder: Path, relative: str, sha256: str) -> Any:
    """A numpy array from an ``.npy`` sidecar file, checked against its SHA-256 (pickles
    refused)."""
    import io

    import numpy as np

    data = _read_sidecar(folder, relative, sha256)
    return np.load(io.BytesIO(data), allow_pickle=False)


def raw(tag: int, vr: str, data: bytes, *, big_endian: bool = False,
        charset: str | None = None) -> DataElement:
    """An element holding encoded bytes, written back exactly as they are (when the file is
    written with the same byte order and character set)."""
    from authoring.core.charset import character_set
    from authoring.encoding.context import Context
    from authoring.object.element import DataElement

    ctx = Context(not big_endian, character_set(charset))
    return DataElement.from_raw(tag, vr, bytes(data), ctx)


def raw_sequence(tag: int, data: bytes, *, vr: str = "SQ", undefined_length: bool = False,
                 implicit: bool = False, big_endian: bool = False,
                 charset: str | None = None) -> DataElement:
    """A sequence element holding its encoded items (the bytes between its header and its
    end), written back exactly as they are and parsed only if its value is asked for."""
    from authoring.core.charset import character_set
    from authoring.encoding.context import Context
    from authoring.io.reader import ItemEncoding, LazyItems
    from authoring.object.element import DataElement

    ctx = Context(not big_endian, character_set(charset))
    items = LazyItems(bytes(data), None, 0, ItemEncoding(implicit, not big_endian), ctx, 0, tag,
                      None, None, undefined_length)
    element = DataElement.from_raw(tag, vr, items, ctx, undefined_length=undefined_length)
    return element
