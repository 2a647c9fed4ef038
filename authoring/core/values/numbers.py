"""Decimal String (DS) and Integer String (IS) values that keep their original text."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from authoring.errors import InvalidTypeError, InvalidValueError

_DS_CHARS = re.compile(r"^ *[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)? *$")
_IS_CHARS = re.compile(r"^ *[+-]?\d+ *$")

DS_MAX_LENGTH = 16
IS_MAX_LENGTH = 12
IS_RANGE = (-(2**31), 2**31 - 1)


def format_ds(value: float | Decimal | int) -> str:
    """The shortest text of at most 16 characters that represents ``value`` as a DS.

    Exact when the shortest round-trip form fits; otherwise the nearest value with the
    most significant digits that fit.
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidValueError(f"DS cannot hold {value}")
        text = str(value)
        if len(text) <= DS_MAX_LENGTH and "E" not in text:
            return text
        value = float(value)
    number = float(value)
    if not math.isfinite(number):
        raise InvalidValueError(f"DS cannot hold {number}")
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    text = repr(number)
    if len(text) <= DS_MAX_LENGTH:
        return text
    for digits in range(16, 0, -1):
        text = f"{number:.{digits}g}"
        if len(text) <= DS_MAX_LENGTH:
            return text
    raise InvalidValueError(f"DS cannot represent {number} in 16 characters")


class DS(float):
    """A Decimal String value: a ``float`` that remembers the text it was read from.

    ``DS("1.50")`` equals ``1.5`` and writes back as ``1.50``; ``DS(0.1)`` writes ``0.1``.
    """

    __slots__ = ("original",)
    original: str

    def __new__(cls, value: str | float | int | Decimal) -> DS:
        """Build from text (kept as is) or from a number (formatted to fit 16 characters)."""
        if isinstance(value, DS):
            return value
        if isinstance(value, str):
            number = float(value.strip(" \x00"))
            self = super().__new__(cls, number)
            self.original = value
            return self
        if isinstance(value, bool):
            raise InvalidTypeError("a DS is a number, not a bool")
        text = format_ds(value)
        self = super().__new__(cls, float(value))
        self.original = text
        return self

    @property
    def text(self) -> str:
        """The value's text without surrounding spaces."""
        return self.original.strip(" \x00")

    @property
    def is_valid_text(self) -> bool:
        """True when the text follows PS3.5 (characters and 16-byte limit)."""
        return len(self.text) <= DS_MAX_LENGTH and bool(_DS_CHARS.match(self.original))

    def as_decimal(self) -> Decimal:
        """The exact decimal value of the text."""
        return Decimal(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"DS({self.text!r})"

    def __reduce__(self) -> tuple[type[DS], tuple[str]]:
        return (DS, (self.original,))


class IS(int):
    """An Integer String value: an ``int`` that remembers the text it was read from."""

    original: str

    def __new__(cls, value: str | int | float | Decimal) -> IS:
        """Build from text (kept as is; ``"12.0"`` is accepted as 12) or from an integer."""
        if isinstance(value, IS):
            return value
        if isinstance(value, str):
            stripped = value.strip(" \x00")
            try:
                number = int(stripped)
            except ValueError:
                as_float = float(stripped)
                if not as_float.is_integer():
                    raise InvalidValueError(f"IS text {value!r} is not an integer") from None
                number = int(as_float)
            self = super().__new__(cls, number)
            self.original = value
            return self
        if isinstance(value, bool):
            raise InvalidTypeError("an IS is a number, not a bool")
        if isinstance(value, (float, Decimal)):
            if value != int(value):
                raise InvalidValueError(f"IS value {value} is not an integer")
            value = int(value)
        self = super().__new__(cls, value)
        self.original = str(value)
        return self

    @property
    def text(self) -> str:
        """The value's text without surrounding spaces."""
        return self.original.strip(" \x00")

    @property
    def is_valid_text(self) -> bool:
        """True when the text follows PS3.5 (characters, 12-byte limit and range)."""
        return (len(self.text) <= IS_MAX_LENGTH and bool(_IS_CHARS.match(self.original))
                and IS_RANGE[0] <= self <= IS_RANGE[1])

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"IS({self.text!r})"

    def __reduce__(self) -> tuple[type[IS], tuple[str]]:
        return (IS, (self.original,))
