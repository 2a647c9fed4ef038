"""Resource limits for reading untrusted files: what a file may make this process do.

Every limit is an attribute of :data:`LIMITS`, settable for the whole process
(``authoring.limits.LIMITS.inflated_bytes = 8 << 30``) or for a block of code::

    with authoring.limits.override(inflated_bytes=8 << 30):
        ds = authoring.read("huge_deflated.dcm")

- ``inflated_bytes``: the most a Deflated Explicit VR Little Endian data set may inflate
  to (default 1 GiB); beyond it the read fails with a located error instead of inflating
  a deflate bomb.
- ``decoded_bytes``: the most one decoding call (a frame, or ``pixel_array``'s stack of
  frames) may allocate (default: half the physical memory); a header that declares more
  is refused before any allocation, with the figure and this limit named.
- ``warnings``: how many reader warnings of one read are issued one by one (default 20);
  the rest are counted in one summary warning, so a hostile file of a million duplicate
  elements prints 21 lines, not a million.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import cache

from authoring.errors import InvalidTypeError


@cache
def _half_the_memory() -> int:
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return 8 << 30
    return max(1 << 30, pages * size // 2)


@dataclass
class Limits:
    """The limits in force (see the module documentation)."""

    inflated_bytes: int = 1 << 30
    decoded_bytes: int = 0  # 0: half the physical memory, computed on first use
    warnings: int = 20

    def decoded_limit(self) -> int:
        """``decoded_bytes``, or half the physical memory when it is 0."""
        return self.decoded_bytes or _half_the_memory()


#: The process-wide limits.
LIMITS = Limits()


@contextmanager
def override(**changes: int) -> Generator[Limits, None, None]:
    """Change some limits for the duration of a ``with`` block (then restore them)."""
    known = {f.name for f in fields(Limits)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise InvalidTypeError(f"no limit named {', '.join(unknown)} (known: "
                               f"{', '.join(sorted(known))})")
    saved = {name: getattr(LIMITS, name) for name in changes}
    for name, value in changes.items():
        setattr(LIMITS, name, value)
    try:
        yield LIMITS
    finally:
        for name, value in saved.items():
            setattr(LIMITS, name, value)


def human(size: int) -> str:
    """``size`` bytes in the largest binary unit that keeps it at or above 1."""
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover
