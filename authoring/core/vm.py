"""Value Multiplicity (PS3.5 6.4): parse PS3.6 VM strings and check value counts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

_RANGE = re.compile(r"^(\d+)(?:-(\d*)(n?))?$")


@dataclass(frozen=True)
class Multiplicity:
    """Allowed value counts: ``minimum`` up to ``maximum`` (None: unbounded) in ``step``s.

    ``"2-2n"`` is ``Multiplicity(2, None, 2)``: 2, 4, 6 ... values.
    """

    minimum: int
    maximum: int | None
    step: int

    def allows(self, count: int) -> bool:
        """True when ``count`` values satisfy this multiplicity."""
        if count < self.minimum:
            return False
        if self.maximum is not None and count > self.maximum:
            return False
        return (count - self.minimum) % self.step == 0 if self.maximum is None else True


@cache
def parse_vm(vm: str) -> tuple[Multiplicity, ...]:
    """Parse a PS3.6 VM string (``"1"``, ``"1-3"``, ``"2-2n"``, ``"1-n or 1"``).

    Returns one :class:`Multiplicity` per alternative; an unreadable string allows anything.
    """
    options: list[Multiplicity] = []
    for part in vm.replace(" ", "").split("or"):
        match = _RANGE.match(part)
        if match is None:
            continue
        low = int(match.group(1))
        high, unbounded = match.group(2), match.group(3)
        if unbounded:
            step = int(high) if high else 1
            options.append(Multiplicity(low, None, step))
        elif high:
            options.append(Multiplicity(low, int(high), 1))
        else:
            options.append(Multiplicity(low, low, 1))
    return tuple(options) or (Multiplicity(0, None, 1),)


def vm_allows(vm: str, count: int) -> bool:
    """True when ``count`` values are allowed by the PS3.6 VM string ``vm``."""
    return any(option.allows(count) for option in parse_vm(vm))


def members(value: object) -> list[Any]:
    """The values of one element's value: a tuple's members (several values), else the
    value alone."""
    return list(cast("tuple[Any, ...]", value)) if isinstance(value, tuple) else [value]
