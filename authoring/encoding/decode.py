"""Decode encoded value bytes into Python values, per VR (PS3.5 6.2).

Rules applied here:

- text values are split at backslashes except for LT, ST, UT and UR; padding is removed from
  the end of each value (spaces and NULs), and AE values also lose leading spaces, which
  PS3.5 calls non-significant for AE;
- a single value is returned as such, several as a tuple, none as ``""`` (text), ``None``
  (numbers, AT) or ``b""`` (byte data);
- OW, OF, OL, OD and OV values are returned in little-endian byte order whatever the transfer
  syntax, so that a value means the same thing in every transfer syntax;
- DS and IS keep their text (see :mod:`authoring.core.values.numbers`); text that is not a
  number is returned as ``str`` so that reading never fails (validation reports it).
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Callable
from typing import Any

from authoring.core.charset import DEFAULT, CharacterSet
from authoring.core.tag import Tag
from authoring.core.uid import UID
from authoring.core.values import DA, DS, DT, IS, TM, PersonName
from authoring.core.vr import SWAPPED_BYTES_VRS, VR_INFO
from authoring.encoding.context import Context

Decoder = Callable[[bytes, Context], Any]

_LITTLE_HOST = sys.byteorder == "little"


def _collapse(values: list[Any]) -> Any:
    if len(values) == 1:
        return values[0]
    return tuple(values)


def _ascii_text(raw: bytes) -> str:
    # Values of these VRs use the default repertoire; latin-1 keeps any stray byte.
    return raw.decode("latin_1")


def _charset_text(raw: bytes, ctx: Context) -> str:
    charset: CharacterSet = ctx.charset
    if charset is DEFAULT:
        return raw.decode("latin_1")
    return charset.decode(raw)


def _split_rstrip(text: str) -> list[str]:
    if "\\" not in text:
        return [text.rstrip(" \x00")]
    return [v.rstrip(" \x00") for v in text.split("\\")]


def decode_plain_text(raw: bytes, ctx: Context) -> Any:
    """CS, AS and other default-repertoire multi-valued text."""
    return _collapse(_split_rstrip(_ascii_text(raw)))


def decode_ae(raw: bytes, ctx: Context) -> Any:
    """AE: leading and trailing spaces are not significant."""
    text = _ascii_text(raw)
    return _collapse([v.strip(" \x00") for v in text.split("\\")])


def decode_charset_text(raw: bytes, ctx: Context) -> Any:
    """LO, SH, UC: multi-valued text in the Specific Character Set."""
    return _collapse(_split_rstrip(_charset_text(raw, ctx)))


def decode_single_text(raw: bytes, ctx: Context) -> Any:
    """LT, ST, UT: one value; backslashes are ordinary characters."""
    return _charset_text(raw, ctx).rstrip(" \x00")


def decode_ur(raw: bytes, ctx: Context) -> Any:
    """UR: one value, default repertoire."""
    return _ascii_text(raw).rstrip(" \x00")


def decode_pn(raw: bytes, ctx: Context) -> Any:
    """PN: person names, each group decoded in the Specific Character Set."""
    text = _charset_text(raw, ctx)
    return _collapse([PersonName(v) for v in _split_rstrip(text)])


def _typed_text(kind: type[str]) -> Decoder:
    def decode(raw: bytes, ctx: Context) -> Any:
        values = _split_rstrip(_ascii_text(raw))
        if len(values) == 1:
            return kind(values[0])
        return tuple(kind(v) for v in values)

    return decode


def decode_ui(raw: bytes, ctx: Context) -> Any:
    """UI: trailing NUL padding removed."""
    text = _ascii_text(raw).rstrip("\x00 ")
    if "\\" not in text:
        return UID(text)
    return tuple(UID(v.rstrip("\x00 ")) for v in text.split("\\"))


def _number_text(kind: type[DS] | type[IS]) -> Decoder:
    """DS and IS keep each value's exact text (padding included) so they encode back
    unchanged; a blank value is None and text that is not a number stays a ``str``."""

    def convert(text: str) -> Any:
        if not text.strip(" \x00"):
            return None
        try:
            return kind(text)
        except ValueError:
            return text

    def decode(raw: bytes, ctx: Context) -> Any:
        text = _ascii_text(raw)
        if "\\" not in text:
            return convert(text)
        return tuple(convert(p) for p in text.split("\\"))

    return decode


_STRUCTS: dict[tuple[bool, str, int], struct.Struct] = {}


def _struct(little: bool, code: str, count: int) -> struct.Struct:
    key = (little, code, count)
    compiled = _STRUCTS.get(key)
    if compiled is None:
        compiled = struct.Struct(("<" if little else ">") + (f"{count}{code}" if count != 1
                                                             else code))
        if count <= 16:
            _STRUCTS[key] = compiled
    return compiled


def _binary(code: str, width: int) -> Decoder:
    def decode(raw: bytes, ctx: Context) -> Any:
        count = len(raw) // width
        if count == 1:
            return _struct(ctx.little_endian, code, 1).unpack_from(raw)[0]
        if count == 0:
            return None
        return _struct(ctx.little_endian, code, count).unpack_from(raw)

    return decode


def decode_at(raw: bytes, ctx: Context) -> Any:
    """AT: pairs of unsigned 16-bit numbers (group, element)."""
    count = len(raw) // 4
    if count == 0:
        return None
    numbers = _struct(ctx.little_endian, "H", count * 2).unpack_from(raw)
    tags = [Tag(numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]
    return _collapse(tags)


def swap_bytes(data: bytes, width: int) -> bytes:
    """Reverse the byte order of each ``width``-byte word of ``data`` (a trailing partial
    word is left as is)."""
    if width <= 1 or not data:
        return bytes(data)
    usable = len(data) - len(data) % width
    out = bytearray(data)
    view = memoryview(data)
    for i in range(width):
        out[i:usable:width] = view[width - 1 - i:usable:width]
    return bytes(out)


def _bytes_decoder(vr: str) -> Decoder:
    width = SWAPPED_BYTES_VRS.get(vr, 1)

    def decode(raw: bytes, ctx: Context) -> Any:
        data = bytes(raw)
        if width > 1 and not ctx.little_endian:
            return swap_bytes(data, width)
        return data

    return decode


DECODERS: dict[str, Decoder] = {
    "AE": decode_ae,
    "AS": decode_plain_text,
    "CS": decode_plain_text,
    "DA": _typed_text(DA),
    "DT": _typed_text(DT),
    "TM": _typed_text(TM),
    "DS": _number_text(DS),
    "IS": _number_text(IS),
    "LO": decode_charset_text,
    "SH": decode_charset_text,
    "UC": decode_charset_text,
    "LT": decode_single_text,
    "ST": decode_single_text,
    "UT": decode_single_text,
    "UR": decode_ur,
    "PN": decode_pn,
    "UI": decode_ui,
    "AT": decode_at,
}
for _vr, _info in VR_INFO.items():
    if _info.struct_code:
        DECODERS[_vr] = _binary(_info.struct_code, _info.width)
for _vr in ("OB", "OD", "OF", "OL", "OV", "OW", "UN"):
    DECODERS[_vr] = _bytes_decoder(_vr)


def decode_value(vr: str, raw: bytes, ctx: Context) -> Any:
    """Decode ``raw`` (one element's value bytes) as ``vr`` in context ``ctx``.

    Unknown VRs decode as bytes.
    """
    if not raw:
        return empty_value(vr)
    decoder = DECODERS.get(vr)
    if decoder is None:
        return bytes(raw)
    return decoder(raw, ctx)


_EMPTY_TEXT: dict[str, Any] = {"PN": PersonName(""), "DA": DA(""), "TM": TM(""), "DT": DT(""),
                               "UI": UID("")}


def empty_value(vr: str) -> Any:
    """The value of an element with zero length: ``""`` (of the VR's text type), ``b""`` for
    byte data, an empty list for SQ (plain values: the data model makes it a Sequence),
    None for numbers and tags."""
    info = VR_INFO.get(vr)
    if info is None:
        return b""
    kind = info.kind.value
    if kind == "sequence":
        return []  # no items; the data model wraps it (authoring.object.coerce.empty_value)
    if kind in ("text",):
        return _EMPTY_TEXT.get(vr, "")
    if kind == "bytes":
        return b""
    return None
