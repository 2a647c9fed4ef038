"""Data elements: a tag, a VR and a value that stays encoded until it is asked for."""

from __future__ import annotations

from collections.abc import Sized
from typing import Any, Protocol, cast, runtime_checkable

from authoring.core.tag import PIXEL_DATA, Tag, TagLike, as_tag_int
from authoring.core.vr import VR_INFO
from authoring.encoding.context import Context
from authoring.encoding.decode import decode_value
from authoring.errors import (
    InvalidValueError,
    LocatedError,
    ValueEncodingError,
    ValueTypeError,
)
from authoring.object.coerce import coerce_value, empty_value


def _coerced(tag: int, vr: str, value: Any) -> Any:
    """``value`` in the data model's form for ``vr``; a value that cannot be one raises an
    ``authoring`` error naming the tag (still a TypeError or ValueError)."""
    try:
        return coerce_value(vr, value)
    except LocatedError:
        raise
    except TypeError as exc:
        raise ValueTypeError(f"{vr}: {exc}", tag=tag) from None
    except ValueError as exc:
        raise ValueEncodingError(f"{vr}: {exc}", tag=tag) from None


@runtime_checkable
class Loadable(Protocol):
    """Raw value bytes that live elsewhere (in a file) until loaded."""

    @property
    def length(self) -> int:
        """Number of bytes."""
        ...

    def load(self) -> bytes:
        """Read and return the bytes."""
        ...


class _Undecoded:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<undecoded>"


UNDECODED: Any = _Undecoded()


class DataElement:
    """One data element.

    Elements read from a file keep their encoded bytes (``raw``) and the context they were
    read in; ``value`` decodes them on first access and caches the result. Assigning a value
    drops the encoded bytes, so the writer encodes the new value; an element never assigned
    is written from its original bytes, which keeps files byte for byte.

    ``undefined_length`` records, for sequences and encapsulated pixel data, whether the
    element was (or is to be) written with undefined length. ``raw_vr`` is the VR found in
    the file's header when it differs from ``vr`` (an explicit ``UN`` for a known tag).

    For the package's own fast paths (reader, encoder, codify), the stored fields are named:
    ``tag_number`` (the tag as a plain int; ``tag`` makes a :class:`Tag`), ``held_value``
    (the decoded value, or ``UNDECODED``), ``source`` (the encoded bytes, or a deferred
    value, or None once the value was set in code) and ``context`` (the byte order and
    character set ``source`` was read in). Users read ``value`` and ``raw``.
    """

    __slots__ = (
        "tag_number",
        "vr",
        "held_value",
        "source",
        "context",
        "undefined_length",
        "raw_vr",
        "private_creator",
        "offset",
    )

    tag_number: int
    vr: str
    held_value: Any
    source: bytes | Loadable | None
    context: Context | None
    undefined_length: bool
    raw_vr: str | None
    private_creator: str | None
    offset: int | None

    def __init__(
        self,
        tag: TagLike,
        vr: str,
        value: Any = None,
        *,
        undefined_length: bool = False,
        private_creator: str | None = None,
    ) -> None:
        """Create an element from a value (converted to the data model's type for ``vr``)."""
        vr = str(vr)
        if vr not in VR_INFO:
            raise InvalidValueError(f"{vr!r} is not a VR of the standard")
        self.tag_number = as_tag_int(tag)
        self.vr = vr
        self.source = None
        self.context = None
        self.undefined_length = undefined_length
        self.raw_vr = None
        self.private_creator = private_creator
        self.offset = None
        self.held_value = _coerced(self.tag_number, vr, value)

    @classmethod
    def from_raw(
        cls,
        tag: int,
        vr: str,
        raw: bytes | Loadable,
        ctx: Context,
        offset: int | None = None,
        undefined_length: bool = False,
    ) -> DataElement:
        """An element whose value is still encoded (used by the reader)."""
        return cls._make(tag, vr, UNDECODED, raw, ctx, undefined_length, offset)

    @classmethod
    def from_value(cls, tag: int, vr: str, value: Any, *, undefined_length: bool = False
                   ) -> DataElement:
        """An element holding an already-normalized value (no conversion; internal use)."""
        return cls._make(tag, vr, value, None, None, undefined_length, None)

    @classmethod
    def _make(cls, tag: int, vr: str, value: Any, raw: bytes | Loadable | None,
              ctx: Context | None, undefined_length: bool, offset: int | None) -> DataElement:
        element = cls.__new__(cls)
        element.tag_number = tag
        element.vr = vr
        element.held_value = value
        element.source = raw
        element.context = ctx
        element.undefined_length = undefined_length
        element.raw_vr = None
        element.private_creator = None
        element.offset = offset
        return element

    # -- identity -----------------------------------------------------------------------

    @property
    def tag(self) -> Tag:
        """The element's tag."""
        return Tag(self.tag_number)

    @property
    def keyword(self) -> str:
        """The dictionary keyword (``""`` for private and unknown elements)."""
        from authoring.dictionary.elements import keyword_for_tag

        return keyword_for_tag(self.tag_number)

    @property
    def name(self) -> str:
        """A readable name: the dictionary name, ``"[Name]"`` for a private element whose
        creator's dictionary knows it, ``"Private Creator"``, or ``"Unknown"``."""
        tag = Tag(self.tag_number)
        if tag.is_private:
            if tag.is_private_creator:
                return "Private Creator"
            if self.private_creator is not None:
                from authoring.dictionary.private import private_element_info

                info = private_element_info(self.private_creator, self.tag_number)
                if info is not None and info.name:
                    return f"[{info.name}]"
            return "Private tag data"
        from authoring.dictionary.elements import name_for_tag

        return name_for_tag(self.tag_number) or "Unknown"

    @property
    def is_private(self) -> bool:
        """True for elements of private groups."""
        return Tag(self.tag_number).is_private

    # -- value --------------------------------------------------------------------------

    @property
    def value(self) -> Any:
        """The decoded value (cached after the first access)."""
        value = self.held_value
        if value is UNDECODED:
            value = self._decode()
            self.held_value = value
        return value

    @value.setter
    def value(self, new: Any) -> None:
        self.held_value = _coerced(self.tag_number, self.vr, new)
        self.source = None
        self.context = None
        self.raw_vr = None

    def _decode(self) -> Any:
        parse_items: Any = getattr(self.source, "parse_items", None)
        if callable(parse_items):  # a sequence read lazily
            return parse_items()
        raw = self.raw
        assert raw is not None and self.context is not None
        try:
            if self.undefined_length and self.tag_number == PIXEL_DATA:
                from authoring.encoding.encapsulated import parse_items

                return parse_items(raw, little_endian=self.context.little_endian,
                                   base_offset=self.offset or 0, tag=self.tag_number)
            if self.tag_number == PIXEL_DATA and self.vr == "OW" and not self.context.little_endian \
                    and self.context.pixel_word != 2:
                from authoring.encoding.decode import swap_bytes

                return swap_bytes(raw, self.context.pixel_word)
            value: Any = decode_value(self.vr, raw, self.context)
            return empty_value(self.vr) if value == [] else value
        except LocatedError as exc:
            raise exc.located(tag=self.tag_number, offset=self.offset) from None

    @property
    def raw(self) -> bytes | None:
        """The value bytes as found in the source, or None when the value was set in code
        (or has been changed). Deferred bytes are read from their file."""
        raw = self.source
        if raw is None or isinstance(raw, bytes):
            return raw
        if isinstance(raw, (bytearray, memoryview)):
            return bytes(raw)
        return raw.load()

    @property
    def is_deferred(self) -> bool:
        """True when the value bytes have not been read from the file yet."""
        return self.source is not None and not isinstance(self.source, (bytes, bytearray,
                                                                    memoryview))

    @property
    def is_modified(self) -> bool:
        """True when the element has no original bytes (created or assigned in code)."""
        return self.source is None

    @property
    def raw_length(self) -> int | None:
        """Length of the original value bytes, without loading deferred values."""
        raw = self.source
        if raw is None:
            return None
        if isinstance(raw, (bytes, bytearray, memoryview)):
            return len(raw)
        return raw.length

    @property
    def is_empty(self) -> bool:
        """True when the element has no value (zero length)."""
        if self.source is not None and self.held_value is UNDECODED:
            return self.raw_length == 0
        value = self.value
        if value is None:
            return True
        if isinstance(value, (str, bytes, tuple, list)):
            return len(cast("Sized", value)) == 0
        return False

    @property
    def vm(self) -> int:
        """The number of values (0 when empty, 1 for a sequence or byte data)."""
        value = self.value
        if value is None or (isinstance(value, (str, bytes)) and not value):
            return 0
        if isinstance(value, tuple):
            return len(cast("tuple[Any, ...]", value))
        return 1

    def copy(self) -> DataElement:
        """A shallow copy (a sequence's items are shared)."""
        twin = DataElement.__new__(DataElement)
        # slot by slot, spelled out: several times faster than a loop over __slots__
        twin.tag_number = self.tag_number
        twin.vr = self.vr
        twin.held_value = self.held_value
        twin.source = self.source
        twin.context = self.context
        twin.undefined_length = self.undefined_length
        twin.raw_vr = self.raw_vr
        twin.private_creator = self.private_creator
        twin.offset = self.offset
        return twin

    def __deepcopy__(self, memo: dict[int, Any]) -> DataElement:
        import copy

        twin = self.copy()
        if self.held_value is not UNDECODED and self.vr == "SQ":
            twin.held_value = copy.deepcopy(self.held_value, memo)
        elif self.held_value is not UNDECODED and hasattr(self.held_value, "fragments"):
            twin.held_value = copy.deepcopy(self.held_value, memo)
        return twin

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataElement):
            return NotImplemented
        if self.tag_number != other.tag_number or self.vr != other.vr:
            return False
        if (self.source is not None and other.source is not None
                and self.held_value is UNDECODED and other.held_value is UNDECODED
                and self.context == other.context and isinstance(self.source, bytes)
                and isinstance(other.source, bytes) and self.source == other.source):
            return True
        return bool(self.value == other.value)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        from authoring.object.render import summarize_value

        return f"{Tag(self.tag_number)} {self.vr} {self.name}: {summarize_value(self)}"


def element_for_value(tag: int, vr: str, value: Any) -> DataElement:
    """A new element of ``vr`` holding ``value`` (``None`` gives an empty element)."""
    if value is None:
        return DataElement.from_value(tag, vr, empty_value(vr))
    return DataElement(tag, vr, value)
