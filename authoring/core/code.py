"""Coded concepts (PS3.3 8.8 Code Sequence Macro; PS3.16 context groups).

A :class:`Code` is a code value, its coding scheme designator and its meaning. Two codes are
equal when value, scheme and scheme version are (the meaning is a label: PS3.16 lists the
same concept under slightly different meanings in different groups). Each context group of
PS3.16 is compiled to a :class:`ContextGroup` enumeration whose members' values are codes
(``authoring.codes.CID7151``): a parameter typed with one group accepts only its members, so
a code from another group is a type error.
"""

from __future__ import annotations

from enum import Enum


class Code:
    """One coded concept: ``Code("10200004", "SCT", "Liver")``."""

    __slots__ = ("meaning", "scheme", "scheme_version", "value")

    value: str
    scheme: str
    meaning: str
    scheme_version: str | None

    def __init__(self, value: str, scheme: str, meaning: str,
                 scheme_version: str | None = None) -> None:
        """A code: Code Value (or Long Code Value / URN Code Value), Coding Scheme
        Designator, Code Meaning and, where the scheme needs it, Coding Scheme Version."""
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "scheme", scheme)
        object.__setattr__(self, "meaning", meaning)
        object.__setattr__(self, "scheme_version", scheme_version)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Code is immutable (setting {name})")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ContextGroup):
            other = other.value
        if not isinstance(other, Code):
            return NotImplemented
        return (self.value, self.scheme, self.scheme_version or "") == (
            other.value, other.scheme, other.scheme_version or "")

    def __hash__(self) -> int:
        return hash((self.value, self.scheme, self.scheme_version or ""))

    def __repr__(self) -> str:
        version = f", scheme_version={self.scheme_version!r}" if self.scheme_version else ""
        return f"Code({self.value!r}, {self.scheme!r}, {self.meaning!r}{version})"


class ContextGroup(Enum):
    """Base of the generated context groups: each member's value is its :class:`Code`."""

    _value_: Code

    @property
    def code(self) -> Code:
        """The member's code."""
        return self._value_

    @property
    def meaning(self) -> str:
        """The code's meaning."""
        return self._value_.meaning

    @property
    def scheme(self) -> str:
        """The code's coding scheme designator."""
        return self._value_.scheme

    @classmethod
    def cid(cls) -> int:
        """The context group's number (``CID7151`` -> 7151)."""
        return int(cls.__name__.removeprefix("CID"))

    @classmethod
    def lookup(cls, code: Code) -> ContextGroup | None:
        """The member whose code equals ``code``, or None when the group lacks it."""
        try:
            return cls(code)
        except ValueError:
            return None


def as_code(concept: Code | ContextGroup) -> Code:
    """The code of a context group member, or ``concept`` itself."""
    return concept.value if isinstance(concept, ContextGroup) else concept
