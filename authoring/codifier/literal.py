"""The only way a value reaches a generated script: Python literals built by ``repr`` of
plain types, identifiers and comments built from a safe alphabet.

Nothing from a file is ever pasted into source text by hand. A string becomes a literal
through ``repr`` (which escapes quotes, backslashes, newlines, NULs, U+2028 and every other
character that is not printable), bytes likewise; numbers are checked to be finite or written
as ``float("nan")``-free literals; identifiers and comments keep only characters that cannot
end a comment or form code.
"""

from __future__ import annotations

import math
import re
from typing import Any, cast

from authoring.errors import AuthoringError

_IDENTIFIER_JUNK = re.compile(r"[^0-9a-zA-Z_]+")
_COMMENT_SAFE = re.compile(r"[^0-9A-Za-z _.,:;()/&+'\-\[\]]+")


class UnsafeValueError(AuthoringError, TypeError):
    """A value of a type the literal renderer does not know."""


def literal(value: Any) -> str:
    """Python source for ``value``: None, bool, int, finite float, str, bytes, or a tuple or
    list of those. Anything else is refused."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnsafeValueError(f"no literal for the float {value!r}")
        return repr(float(value))
    if isinstance(value, str):
        return prefer_double_quotes(repr(str(value)))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return prefer_double_quotes(repr(bytes(cast("bytes", value))))
    if isinstance(value, tuple):
        several = cast("tuple[Any, ...]", value)
        inner = ", ".join(literal(v) for v in several)
        return f"({inner},)" if len(several) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in cast("list[Any]", value)) + "]"
    raise UnsafeValueError(f"no literal for a value of type {type(value).__name__}")


_ESCAPED_SINGLE = re.compile(r"([^\\]|^)\\((?:\\\\)*)'")
_UNESCAPED_DOUBLE = re.compile(r'(([^\\]|^)(\\\\)*)"')


def prefer_double_quotes(text: str) -> str:
    """A ``repr`` of str or bytes in double quotes where that needs no more backslashes
    (black's rule, so that formatting leaves the literal as it is)."""
    prefix = "b" if text.startswith("b") else ""
    body = text[len(prefix):]
    if not body.startswith("'"):
        return text
    inner = body[1:-1]
    if "'" not in inner and '"' not in inner:
        return f'{prefix}"{inner}"'  # the common case: nothing to escape either way
    converted = inner
    for _ in range(2):  # overlapping matches need a second pass
        converted = _ESCAPED_SINGLE.sub(r"\1\2'", converted)
    for _ in range(2):
        converted = _UNESCAPED_DOUBLE.sub(r'\1\\"', converted)
    if converted.count("\\") > inner.count("\\"):
        return text
    return f'{prefix}"{converted}"'


def identifier(text: str, fallback: str = "item") -> str:
    """A Python identifier made of ``text``'s letters, digits and underscores (snake case of
    a keyword: ``ReferencedImageSequence`` -> ``referenced_image_sequence``)."""
    text = re.sub(r"([A-Z]{2,})s(?=[A-Z0-9_]|$)", lambda m: m.group(1).capitalize() + "s", text)
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", text)
    name = _IDENTIFIER_JUNK.sub("_", words).strip("_").lower()
    if not name or name[0].isdigit():
        name = f"{fallback}_{name}" if name else fallback
    return name


def comment(text: str) -> str:
    """Comment text with every character outside a small safe alphabet removed (no line
    breaks, no quotes that matter, nothing a reader could mistake for code on another line)."""
    return " ".join(_COMMENT_SAFE.sub(" ", text).split())[:120]
