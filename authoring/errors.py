"""One exception hierarchy for the whole package.

Every error raised on purpose by :mod:`authoring` derives from :class:`AuthoringError`.
Errors about a particular place in a file carry that place: the file (when known), the tag of
the data element concerned and the byte offset, so that a message reads like
``scan.dcm: (0010,0010) at byte 312: value length 4294967280 runs past the end of the file``.
"""

from __future__ import annotations

import os


def format_tag(tag: int, *, parentheses: bool = True) -> str:
    """Return ``tag`` in the usual DICOM notation, ``(gggg,eeee)`` in upper-case hex (the
    one tag formatter of the package; ``parentheses=False`` gives ``gggg,eeee``)."""
    text = f"{tag >> 16:04X},{tag & 0xFFFF:04X}"
    return f"({text})" if parentheses else text


class AuthoringError(Exception):
    """Root of every exception this package raises deliberately."""


class LocatedError(AuthoringError):
    """An error tied to a place: a file, a data element and a byte offset (each optional)."""

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        tag: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.reason = message
        self.path = os.fspath(path) if path is not None else None
        self.tag = tag
        self.offset = offset
        super().__init__(self._compose())

    def _compose(self) -> str:
        where: list[str] = []
        if self.path is not None:
            where.append(self.path)
        place: list[str] = []
        if self.tag is not None:
            place.append(format_tag(self.tag))
        if self.offset is not None:
            place.append(f"at byte {self.offset}")
        if place:
            where.append(" ".join(place))
        prefix = ": ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason

    def located(
        self,
        *,
        path: str | os.PathLike[str] | None = None,
        tag: int | None = None,
        offset: int | None = None,
    ) -> LocatedError:
        """Fill in whichever of file, tag and offset are still unknown; return ``self``."""
        if self.path is None and path is not None:
            self.path = os.fspath(path)
        if self.tag is None and tag is not None:
            self.tag = tag
        if self.offset is None and offset is not None:
            self.offset = offset
        self.args = (self._compose(),)
        return self


class InvalidValueError(AuthoringError, ValueError):
    """An argument or value this package cannot accept (a tag outside 0 .. 0xFFFFFFFF, an
    unknown option, a malformed date)."""


class InvalidTypeError(AuthoringError, TypeError):
    """An argument of a type this package cannot accept (a list where a tag is expected)."""


class ReadError(LocatedError, ValueError):
    """The bytes being read are not a DICOM data set this reader can accept."""


class NotDicomError(ReadError):
    """The input does not look like DICOM at all (no preamble, no recognisable data set)."""


class TruncatedError(ReadError):
    """The input ends inside a data element header, a value or a sequence."""


class InvalidLengthError(ReadError):
    """A declared value length is impossible (past the end, or undefined where not allowed)."""


class InvalidVRError(ReadError):
    """An explicit VR field holds something that is not a VR of the standard."""


class NestingTooDeepError(ReadError):
    """Sequences are nested deeper than the reader's limit."""


class DeferredValueError(ReadError):
    """A deferred value can no longer be read from its source (file gone or changed)."""


class ValueEncodingError(LocatedError, ValueError):
    """A value cannot be encoded for its VR, character set or transfer syntax."""


class ValueTypeError(LocatedError, TypeError):
    """A value assigned to an element has a type its VR cannot hold (a list for a date, a
    float for an AT)."""


class CharacterSetError(LocatedError, ValueError):
    """A Specific Character Set term is unknown, or text does not fit the declared sets."""


class ValueRuleError(LocatedError, ValueError):
    """A value breaks a rule of its VR or VM (PS3.5 6.2); raised by the writer's checks.

    ``rule`` names the rule that failed, for example ``"max-length"`` or ``"characters"``.
    """

    def __init__(
        self,
        message: str,
        *,
        rule: str,
        path: str | os.PathLike[str] | None = None,
        tag: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.rule = rule
        super().__init__(message, path=path, tag=tag, offset=offset)


class WriteError(LocatedError):
    """Writing failed; the target was left untouched."""


class UnknownTransferSyntaxError(AuthoringError, ValueError):
    """A transfer syntax name, keyword or UID that is not known."""


class UnknownKeywordError(AuthoringError, KeyError):
    """A keyword is not in the data dictionary."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else ""


class UnknownIODError(UnknownKeywordError):
    """An IOD name or SOP Class UID that the compiled PS3.3 tables do not have."""


class SynthError(AuthoringError, ValueError):
    """Synthetic data cannot be made as asked (an IOD whose pixels the transfer syntax
    cannot hold, for instance)."""


class DictionarySourceError(LocatedError):
    """A standard source (dicom3tools template, DocBook XML) cannot be imported.

    ``line`` is the 1-based line in the source where the problem is, when known.
    """

    def __init__(self, message: str, *, path: str | os.PathLike[str] | None = None,
                 line: int | None = None) -> None:
        self.line = line
        if line is not None:
            message = f"line {line}: {message}"
        super().__init__(message, path=path)
