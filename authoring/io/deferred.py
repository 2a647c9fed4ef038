"""Values left in their file until accessed (``read(..., defer_size=...)``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO

from authoring.errors import DeferredValueError


class FileSignature:
    """Identity of a file at read time, to refuse reading deferred values from a file that
    was replaced or modified since (which would silently give wrong data)."""

    __slots__ = ("path", "size", "mtime_ns", "inode")

    def __init__(self, path: str) -> None:
        """Record the current state of ``path``."""
        status = os.stat(path)
        self.path = path
        self.size = status.st_size
        self.mtime_ns = status.st_mtime_ns
        self.inode = status.st_ino

    def check(self) -> None:
        """Raise :class:`DeferredValueError` unless the file is unchanged."""
        try:
            status = os.stat(self.path)
        except OSError as exc:
            raise DeferredValueError(f"deferred value cannot be read: {exc.strerror}",
                                     path=self.path) from None
        if (status.st_size, status.st_mtime_ns, status.st_ino) != (self.size, self.mtime_ns,
                                                                   self.inode):
            raise DeferredValueError(
                "the file changed since it was read; deferred values can no longer be "
                "loaded from it (read it again, or read without defer_size)",
                path=self.path,
            )


class DeferredValue:
    """``length`` value bytes at ``offset`` in a file (by path) or an open binary stream."""

    __slots__ = ("source", "offset", "length")

    def __init__(self, source: FileSignature | IO[bytes], offset: int, length: int) -> None:
        """Point at ``length`` bytes at absolute ``offset`` of ``source``."""
        self.source = source
        self.offset = offset
        self.length = length

    def load(self) -> bytes:
        """Read the bytes (opening the file again when the source is a path)."""
        if isinstance(self.source, FileSignature):
            self.source.check()
            with open(self.source.path, "rb") as stream:
                stream.seek(self.offset)
                data = stream.read(self.length)
            path: str | None = self.source.path
        else:
            position = self.source.tell()
            self.source.seek(self.offset)
            data = self.source.read(self.length)
            self.source.seek(position)
            path = getattr(self.source, "name", None)
            path = path if isinstance(path, str) else None
        if len(data) != self.length:
            raise DeferredValueError(
                f"deferred value of {self.length} bytes at byte {self.offset} is truncated "
                f"({len(data)} bytes available)", path=path,
            )
        return data

    def iter_blocks(self, block_size: int = 16 * 1024 * 1024) -> Iterator[bytes]:
        """Yield the bytes in blocks (for copying large values without holding them)."""
        if not isinstance(self.source, FileSignature):
            yield self.load()
            return
        self.source.check()
        remaining = self.length
        with open(self.source.path, "rb") as stream:
            stream.seek(self.offset)
            while remaining > 0:
                block = stream.read(min(block_size, remaining))
                if not block:
                    raise DeferredValueError(
                        f"deferred value at byte {self.offset} is truncated",
                        path=self.source.path)
                remaining -= len(block)
                yield block

    def __repr__(self) -> str:
        return f"<deferred {self.length} bytes at {self.offset}>"
