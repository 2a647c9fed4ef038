"""The encoding context a value was read in (or is written in): byte order and character set."""

from __future__ import annotations

from authoring.core.charset import DEFAULT, CharacterSet


class Context:
    """Byte order and character set shared by the elements of one data set.

    Elements read from a file keep a reference to the context they were read in, so a value
    is decoded only when asked for, with the character set in force where it was found.
    """

    __slots__ = ("little_endian", "charset")

    def __init__(self, little_endian: bool = True, charset: CharacterSet = DEFAULT) -> None:
        self.little_endian = little_endian
        self.charset = charset

    def with_charset(self, charset: CharacterSet) -> Context:
        """The same byte order with another character set."""
        if charset is self.charset:
            return self
        return Context(self.little_endian, charset)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Context)
            and other.little_endian == self.little_endian
            and other.charset is self.charset
        )

    def __hash__(self) -> int:
        return hash((self.little_endian, id(self.charset)))

    def __repr__(self) -> str:
        order = "little" if self.little_endian else "big"
        return f"Context({order} endian, {self.charset!r})"


LITTLE_DEFAULT = Context(True, DEFAULT)
