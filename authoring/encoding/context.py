"""The encoding context a value was read in (or is written in): byte order and character set."""

from __future__ import annotations

from authoring.core.charset import DEFAULT, CharacterSet


class Context:
    """Byte order and character set shared by the elements of one data set.

    Elements read from a file keep a reference to the context they were read in, so a value
    is decoded only when asked for, with the character set in force where it was found.
    """

    __slots__ = ("little_endian", "charset", "pixel_word")

    def __init__(self, little_endian: bool = True, charset: CharacterSet = DEFAULT,
                 pixel_word: int = 2) -> None:
        self.little_endian = little_endian
        self.charset = charset
        #: Byte size of a pixel value for OW Pixel Data: 2, or 4 and 8 when Bits Allocated is
        #: 32 or 64. Big-endian syntaxes swap native pixel data in units of this size.
        self.pixel_word = pixel_word

    def with_charset(self, charset: CharacterSet) -> Context:
        """The same byte order with another character set."""
        if charset is self.charset:
            return self
        return Context(self.little_endian, charset, self.pixel_word)

    def with_pixel_word(self, size: int) -> Context:
        """The same context for Pixel Data of ``size``-byte values."""
        if size == self.pixel_word:
            return self
        return Context(self.little_endian, self.charset, size)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Context)
            and other.little_endian == self.little_endian
            and other.charset is self.charset
            and other.pixel_word == self.pixel_word
        )

    def __hash__(self) -> int:
        return hash((self.little_endian, id(self.charset), self.pixel_word))

    def __repr__(self) -> str:
        order = "little" if self.little_endian else "big"
        return f"Context({order} endian, {self.charset!r})"


LITTLE_DEFAULT = Context(True, DEFAULT)


def pixel_word_for(bits_allocated: object) -> int:
    """The swap unit of OW Pixel Data for a Bits Allocated value (PS3.5 8.1.1, A.3)."""
    if isinstance(bits_allocated, int) and bits_allocated > 16 and bits_allocated % 8 == 0:
        return bits_allocated // 8
    return 2
