"""Encode Python values into value bytes, per VR (PS3.5 6.2), padded to an even length.

The inverse of :mod:`authoring.encoding.decode`: a value decoded from bytes encodes back to
the same bytes (DS, IS, DA, TM, DT, PN and UI keep their text for that). Byte data given for
OW, OF, OL, OD and OV is taken to be little endian and swapped for big-endian syntaxes.
"""

from __future__ import annotations

import datetime as _dt
import struct
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from authoring.core.tag import Tag, as_tag_int
from authoring.core.values import DA, DS, DT, IS, TM
from authoring.core.vr import CHARSET_VRS, SWAPPED_BYTES_VRS, VR_INFO, Kind
from authoring.encoding.context import Context
from authoring.encoding.decode import swap_bytes
from authoring.errors import CharacterSetError, ValueEncodingError


def _values(value: Any) -> list[Any]:
    """A value as the list of its values (a str is one value, a tuple or list several)."""
    if value is None:
        return []
    if isinstance(value, (str, bytes, int, float, Decimal, _dt.date, _dt.time)):
        return [value]
    if isinstance(value, Iterable):
        return list(cast("Iterable[Any]", value))
    return [value]


def _text_of(vr: str, item: Any) -> str:
    if item is None:
        return ""
    if isinstance(item, str):
        return str.__str__(item) if type(item) is not str else item
    if vr == "DA" and isinstance(item, _dt.date):
        return str.__str__(DA(item))
    if vr == "TM" and isinstance(item, _dt.time):
        return str.__str__(TM(item))
    if vr == "DT" and isinstance(item, _dt.datetime):
        return str.__str__(DT(item))
    if vr == "DS":
        if isinstance(item, DS):
            return item.original
        if isinstance(item, (int, float, Decimal)) and not isinstance(item, bool):
            return DS(item).original
    if vr == "IS":
        if isinstance(item, IS):
            return item.original
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            return IS(item).original
    raise ValueEncodingError(f"a {vr} value cannot be made from {type(item).__name__} {item!r}")


def join_text(vr: str, value: Any) -> str:
    """The whole text of a text-like value: its values joined by backslashes."""
    if isinstance(value, str):
        if vr == "DS" and isinstance(value, DS):
            return value.original
        return value
    return "\\".join(_text_of(vr, item) for item in _values(value))


def _pad(data: bytes, padding: bytes) -> bytes:
    if len(data) % 2:
        return data + padding
    return data


def encode_text(vr: str, value: Any, ctx: Context, *, strict: bool = True) -> bytes:
    """Encode a text-like value (every VR of kind text or number text)."""
    text = join_text(vr, value)
    if vr in CHARSET_VRS:
        data = ctx.charset.encode(text, vr, strict=strict)
    else:
        try:
            data = text.encode("ascii" if strict else "latin_1")
        except UnicodeEncodeError as exc:
            raise CharacterSetError(
                f"{vr} values use the default repertoire; {text[exc.start]!r} "
                f"(U+{ord(text[exc.start]):04X}) is not in it"
            ) from None
    return _pad(data, VR_INFO[vr].padding)


def encode_binary(vr: str, value: Any, ctx: Context) -> bytes:
    """Encode numbers as fixed-size binary values (US, SS, UL, SL, UV, SV, FL, FD)."""
    info = VR_INFO[vr]
    items = _values(value)
    if hasattr(value, "tolist") and not isinstance(value, (int, float)):
        items = list(value.tolist()) if getattr(value, "ndim", 1) else [value.tolist()]
    if any(item is None for item in items):
        raise ValueEncodingError(f"a {vr} value cannot contain None")
    order = "<" if ctx.little_endian else ">"
    try:
        return struct.pack(f"{order}{len(items)}{info.struct_code}", *items)
    except struct.error as exc:
        raise ValueEncodingError(f"cannot encode {value!r} as {vr}: {exc}") from None


def encode_at(value: Any, ctx: Context) -> bytes:
    """Encode tags as AT values."""
    pair = cast("tuple[Any, ...]", value) if isinstance(value, tuple) else None
    if pair is not None and len(pair) == 2 and all(
        isinstance(v, int) and not isinstance(v, Tag) for v in pair
    ) and pair[0] <= 0xFFFF and pair[1] <= 0xFFFF and not isinstance(pair[0], bool):
        items: list[Any] = [value]  # a single (group, element) pair
    else:
        items = _values(value)
    numbers: list[int] = []
    for item in items:
        tag = as_tag_int(item)
        numbers.extend((tag >> 16, tag & 0xFFFF))
    order = "<" if ctx.little_endian else ">"
    return struct.pack(f"{order}{len(numbers)}H", *numbers)


def _as_bytes(vr: str, value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(cast("bytes", value))
    tobytes = getattr(value, "tobytes", None)
    if tobytes is not None:
        dtype = getattr(value, "dtype", None)
        if dtype is not None and dtype.byteorder == ">":
            value = value.astype(dtype.newbyteorder("<"))
        data: bytes = value.tobytes()
        return data
    raise ValueEncodingError(f"a {vr} value must be bytes, not {type(value).__name__}")


def encode_bytes(vr: str, value: Any, ctx: Context) -> bytes:
    """Encode byte data (OB, OW, OF, OL, OD, OV, UN); word data is swapped for big endian."""
    data = _as_bytes(vr, value)
    width = SWAPPED_BYTES_VRS.get(vr, 1)
    if width > 1 and not ctx.little_endian:
        data = swap_bytes(data, width)
    return _pad(data, b"\x00")


def encode_value(vr: str, value: Any, ctx: Context, *, strict: bool = True) -> bytes:
    """Encode ``value`` as ``vr`` in context ``ctx``; the result has an even length.

    ``strict`` refuses text that does not fit the declared character set; without it,
    characters that came from undecodable bytes are written back as those bytes.
    """
    info = VR_INFO.get(vr)
    if info is None:
        return _pad(_as_bytes(vr, value), b"\x00")
    kind = info.kind
    if kind is Kind.TEXT or kind is Kind.NUMBER_TEXT:
        return encode_text(vr, value, ctx, strict=strict)
    if kind is Kind.BINARY_NUMBER:
        if value is None or (isinstance(value, (tuple, list)) and not value):
            return b""
        return encode_binary(vr, value, ctx)
    if kind is Kind.TAG:
        if value is None:
            return b""
        return encode_at(value, ctx)
    if kind is Kind.BYTES:
        return encode_bytes(vr, value, ctx)
    raise ValueEncodingError(f"{vr} values are not encoded by encode_value")
