"""Specific Character Set (0008,0005): decoding and encoding text (PS3.3 C.12.1.1.2, PS3.5 6.1).

Two families of terms:

- single sets without code extensions (``ISO_IR 100``, ``ISO_IR 192`` (UTF-8), ``GB18030``,
  ``GBK`` ...): the whole value is one Python codec;
- ISO 2022 code extensions (``ISO 2022 IR 6``, ``ISO 2022 IR 87`` ...): the value switches
  between graphic sets with escape sequences. Decoding follows the ISO 2022 model exactly:
  bytes below 0x80 go through the set designated to G0, bytes from 0x80 through G1.

The encoder for code extensions writes what PS3.5 6.1.2.5.3 asks: value 1's sets are active at
the start of a value; a character not in the active sets switches to the first declared set
that has it; G0 returns to value 1's set before each delimiter (``\\``; ``^`` and ``=`` in
person names; CR, LF, TAB, FF) and at the end of the value, and a G1 set other than value 1's
is designated again after a delimiter. This matches the examples of PS3.5 Annexes H, I and J.

Bytes that are not valid in the declared sets decode with ``surrogateescape``, so reading never
fails and an unchanged value encodes back to the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from authoring.errors import CharacterSetError

ESC = 0x1B

Encoder = Callable[[str], "bytes | None"]
Decoder = Callable[[bytes], str]


def _single_byte_encoder(codec: str, *, high_only: bool) -> Encoder:
    def encode(ch: str) -> bytes | None:
        try:
            data = ch.encode(codec)
        except UnicodeEncodeError:
            return None
        if len(data) != 1:
            return None
        if high_only and data[0] < 0xA0:
            return None
        if not high_only and data[0] >= 0x80:
            return None
        return data

    return encode


def _double_byte_g1_encoder(codec: str) -> Encoder:
    def encode(ch: str) -> bytes | None:
        try:
            data = ch.encode(codec)
        except UnicodeEncodeError:
            return None
        if len(data) == 2 and data[0] >= 0xA1 and data[1] >= 0xA1:
            return data
        return None

    return encode


def _jis_x0208_encode(ch: str) -> bytes | None:
    try:
        data = ch.encode("euc_jp")
    except UnicodeEncodeError:
        return None
    if len(data) == 2 and data[0] >= 0xA1 and data[1] >= 0xA1:
        return bytes((data[0] & 0x7F, data[1] & 0x7F))
    return None


def _jis_x0212_encode(ch: str) -> bytes | None:
    try:
        data = ch.encode("euc_jp")
    except UnicodeEncodeError:
        return None
    if len(data) == 3 and data[0] == 0x8F:
        return bytes((data[1] & 0x7F, data[2] & 0x7F))
    return None


def _katakana_encode(ch: str) -> bytes | None:
    try:
        data = ch.encode("shift_jis")
    except UnicodeEncodeError:
        return None
    if len(data) == 1 and 0xA1 <= data[0] <= 0xDF:
        return data
    return None


def _ascii_encode(ch: str) -> bytes | None:
    code = ord(ch)
    if code < 0x80:
        return bytes((code,))
    return None


def _decode_with(codec: str) -> Decoder:
    def decode(data: bytes) -> str:
        return data.decode(codec, errors="surrogateescape")

    return decode


def _decode_jis_x0208(data: bytes) -> str:
    return bytes(b | 0x80 for b in data).decode("euc_jp", errors="surrogateescape")


def _decode_jis_x0212(data: bytes) -> str:
    out = bytearray()
    for i in range(0, len(data) - 1, 2):
        out += bytes((0x8F, data[i] | 0x80, data[i + 1] | 0x80))
    text = bytes(out).decode("euc_jp", errors="surrogateescape")
    if len(data) % 2:
        text += data[-1:].decode("latin_1")
    return text


@dataclass(frozen=True)
class GraphicSet:
    """A graphic character set designated to G0 or G1 by an escape sequence."""

    name: str
    escape: bytes
    g1: bool
    encode_char: Encoder
    decode: Decoder


ASCII = GraphicSet("ISO-IR 6", b"\x1b(B", False, _ascii_encode, _decode_with("latin_1"))
ROMAJI = GraphicSet("ISO-IR 14", b"\x1b(J", False, _ascii_encode, _decode_with("shift_jis"))
KATAKANA = GraphicSet("ISO-IR 13", b"\x1b)I", True, _katakana_encode, _decode_with("shift_jis"))
JIS_X0208 = GraphicSet("ISO-IR 87", b"\x1b$B", False, _jis_x0208_encode, _decode_jis_x0208)
JIS_X0212 = GraphicSet("ISO-IR 159", b"\x1b$(D", False, _jis_x0212_encode, _decode_jis_x0212)
KS_X1001 = GraphicSet("ISO-IR 149", b"\x1b$)C", True, _double_byte_g1_encoder("euc_kr"),
                      _decode_with("euc_kr"))
GB2312 = GraphicSet("ISO-IR 58", b"\x1b$)A", True, _double_byte_g1_encoder("gb2312"),
                    _decode_with("gb2312"))


def _latin(name: str, final: str, codec: str) -> GraphicSet:
    return GraphicSet(name, b"\x1b-" + final.encode(), True,
                      _single_byte_encoder(codec, high_only=True), _decode_with(codec))


#: The 94/96-character sets of the ISO 8859 family and TIS 620, by ISO-IR number.
LATIN_G1 = {
    "100": _latin("ISO-IR 100", "A", "latin_1"),
    "101": _latin("ISO-IR 101", "B", "iso8859_2"),
    "109": _latin("ISO-IR 109", "C", "iso8859_3"),
    "110": _latin("ISO-IR 110", "D", "iso8859_4"),
    "144": _latin("ISO-IR 144", "L", "iso8859_5"),
    "127": _latin("ISO-IR 127", "G", "iso8859_6"),
    "126": _latin("ISO-IR 126", "F", "iso8859_7"),
    "138": _latin("ISO-IR 138", "H", "iso8859_8"),
    "148": _latin("ISO-IR 148", "M", "iso8859_9"),
    "203": _latin("ISO-IR 203", "b", "iso8859_15"),
    "166": _latin("ISO-IR 166", "T", "tis_620"),
}

#: Terms without code extensions and their Python codecs.
SINGLE_CODECS: dict[str, str] = {
    "": "latin_1",  # default repertoire; read leniently, checked as ASCII when written
    "ISO_IR 6": "latin_1",
    "ISO_IR 100": "latin_1",
    "ISO_IR 101": "iso8859_2",
    "ISO_IR 109": "iso8859_3",
    "ISO_IR 110": "iso8859_4",
    "ISO_IR 144": "iso8859_5",
    "ISO_IR 127": "iso8859_6",
    "ISO_IR 126": "iso8859_7",
    "ISO_IR 138": "iso8859_8",
    "ISO_IR 148": "iso8859_9",
    "ISO_IR 203": "iso8859_15",
    "ISO_IR 13": "shift_jis",
    "ISO_IR 166": "tis_620",
    "ISO_IR 192": "utf_8",
    "GB18030": "gb18030",
    "GBK": "gbk",
}

#: Terms with code extensions: (G0 set, G1 set) each may be None.
EXTENSION_SETS: dict[str, tuple[GraphicSet | None, GraphicSet | None]] = {
    "ISO 2022 IR 6": (ASCII, None),
    "ISO 2022 IR 13": (ROMAJI, KATAKANA),
    "ISO 2022 IR 87": (JIS_X0208, None),
    "ISO 2022 IR 159": (JIS_X0212, None),
    "ISO 2022 IR 149": (None, KS_X1001),
    "ISO 2022 IR 58": (None, GB2312),
    **{f"ISO 2022 IR {number}": (ASCII, g1) for number, g1 in LATIN_G1.items()},
}

_ESCAPES: dict[bytes, GraphicSet] = {}
for _g0, _g1 in EXTENSION_SETS.values():
    for _set in (_g0, _g1):
        if _set is not None:
            _ESCAPES[_set.escape] = _set

_ESCAPE_SEQUENCE = re.compile(rb"\x1b[\x20-\x2f]+[\x30-\x7e]")
_TERM_SPELLING = re.compile(r"^ISO[ _-]?IR[ _-]?(\d+)$")
_CONTROL_DELIMITERS = "\r\n\t\f"

#: Characters after which the encoder returns to the initial sets, by VR.
PN_DELIMITERS = "\\^=" + _CONTROL_DELIMITERS
TEXT_DELIMITERS = "\\" + _CONTROL_DELIMITERS
SINGLE_TEXT_DELIMITERS = _CONTROL_DELIMITERS


def normalize_term(term: str) -> str:
    """Repair common misspellings of a defined term (``ISO IR 100`` -> ``ISO_IR 100``)."""
    stripped = term.strip()
    if stripped in SINGLE_CODECS or stripped in EXTENSION_SETS:
        return stripped
    match = _TERM_SPELLING.match(stripped.upper())
    if match is not None:
        candidate = f"ISO_IR {match.group(1)}"
        if candidate in SINGLE_CODECS:
            return candidate
    upper = stripped.upper()
    if upper in SINGLE_CODECS or upper in EXTENSION_SETS:
        return upper
    return stripped


def delimiters_for(vr: str) -> str:
    """Delimiters after which ISO 2022 state resets, for a VR."""
    if vr == "PN":
        return PN_DELIMITERS
    if vr in ("LT", "ST", "UT"):
        return SINGLE_TEXT_DELIMITERS
    return TEXT_DELIMITERS


class CharacterSet:
    """The decoder and encoder for one value of Specific Character Set.

    Get instances with :func:`character_set`, which caches them.
    """

    __slots__ = ("terms", "codec", "initial_g0", "initial_g1", "declared", "is_default")

    def __init__(self, terms: tuple[str, ...]) -> None:
        self.terms = terms
        self.is_default = terms in ((), ("",), ("ISO_IR 6",))
        normalized = [normalize_term(t) for t in terms] or [""]
        first = normalized[0]
        uses_extensions = len(normalized) > 1 or first in EXTENSION_SETS
        self.codec: str | None = None
        self.initial_g0: GraphicSet | None = None
        self.initial_g1: GraphicSet | None = None
        self.declared: list[GraphicSet] = []
        if not uses_extensions:
            if first not in SINGLE_CODECS:
                raise CharacterSetError(f"unknown Specific Character Set term {terms[0]!r}")
            self.codec = SINGLE_CODECS[first]
            return
        for index, term in enumerate(normalized):
            sets = self._extension_sets(term, index)
            g0, g1 = sets
            if index == 0:
                self.initial_g0 = g0 or ASCII
                self.initial_g1 = g1
            for graphic in (g0, g1):
                if graphic is not None and graphic not in self.declared:
                    self.declared.append(graphic)
        if ASCII not in self.declared and self.initial_g0 is ASCII:
            self.declared.insert(0, ASCII)

    @staticmethod
    def _extension_sets(term: str, index: int) -> tuple[GraphicSet | None, GraphicSet | None]:
        if term in EXTENSION_SETS:
            return EXTENSION_SETS[term]
        if term in ("", "ISO_IR 6") and index == 0:
            return (ASCII, None)
        # A single-set term among code extensions (a common mistake): use its ISO 2022 twin.
        twin = term.replace("ISO_IR", "ISO 2022 IR")
        if twin in EXTENSION_SETS:
            return EXTENSION_SETS[twin]
        raise CharacterSetError(f"unknown Specific Character Set term {term!r}")

    # -- decoding -------------------------------------------------------------------------

    def decode(self, data: bytes) -> str:
        """Decode one whole value (all its values, backslashes included)."""
        if self.codec is not None:
            try:
                return data.decode(self.codec)
            except UnicodeDecodeError:
                return data.decode(self.codec, errors="surrogateescape")
        if ESC not in data and (self.initial_g1 is None or max(data, default=0) < 0x80):
            assert self.initial_g0 is not None
            return self.initial_g0.decode(data)
        return self._decode_extensions(data)

    def _decode_extensions(self, data: bytes) -> str:
        g0 = self.initial_g0 or ASCII
        g1 = self.initial_g1
        parts: list[str] = []
        position = 0
        for match in _ESCAPE_SEQUENCE.finditer(data):
            parts.append(self._decode_run(data[position:match.start()], g0, g1))
            designated = _ESCAPES.get(match.group())
            if designated is None:
                parts.append(match.group().decode("latin_1"))  # unknown escape: keep it
            elif designated.g1:
                g1 = designated
            else:
                g0 = designated
            position = match.end()
        parts.append(self._decode_run(data[position:], g0, g1))
        return "".join(parts)

    @staticmethod
    def _decode_run(data: bytes, g0: GraphicSet, g1: GraphicSet | None) -> str:
        if not data:
            return ""
        if g1 is None or max(data) < 0x80:
            return g0.decode(data)
        out: list[str] = []
        start = 0
        high = data[0] >= 0x80
        for index in range(1, len(data) + 1):
            if index == len(data) or (data[index] >= 0x80) != high:
                chunk = data[start:index]
                out.append(g1.decode(chunk) if high else g0.decode(chunk))
                if index < len(data):
                    start = index
                    high = data[index] >= 0x80
        return "".join(out)

    # -- encoding -------------------------------------------------------------------------

    def can_encode(self, text: str) -> bool:
        """True when ``text`` can be written in these character sets."""
        try:
            self.encode(text, "LO", strict=True)
        except CharacterSetError:
            return False
        return True

    def encode(self, text: str, vr: str, *, strict: bool = False) -> bytes:
        """Encode one whole value of a text VR.

        With ``strict``, the default repertoire accepts only ASCII and characters read from
        invalid bytes (surrogate escapes) are refused; otherwise those bytes are restored.
        """
        if self.codec is not None:
            codec = "ascii" if self.is_default and strict else self.codec
            try:
                return text.encode(codec)
            except UnicodeEncodeError as exc:
                if not strict:
                    try:
                        return text.encode(codec, errors="surrogateescape")
                    except UnicodeEncodeError:
                        pass
                raise self._encode_error(text, exc.start) from None
        if text.isascii() and self.initial_g0 in (ASCII, ROMAJI):
            return text.encode("ascii")
        return self._encode_extensions(text, delimiters_for(vr), strict)

    def _encode_error(self, text: str, index: int) -> CharacterSetError:
        terms = "\\".join(self.terms) or "the default repertoire (ISO_IR 6)"
        return CharacterSetError(
            f"character {text[index]!r} (U+{ord(text[index]):04X}) at index {index} of "
            f"{text!r} cannot be encoded in {terms}"
        )

    def _encode_extensions(self, text: str, delimiters: str, strict: bool) -> bytes:
        initial_g0 = self.initial_g0 or ASCII
        g0: GraphicSet = initial_g0
        g1 = self.initial_g1
        out = bytearray()
        for index, ch in enumerate(text):
            if ch in delimiters:
                if g0 is not initial_g0:
                    out += initial_g0.escape
                    g0 = initial_g0
                g1 = self.initial_g1
                out.append(ord(ch))
                continue
            code = ord(ch)
            if 0xDC80 <= code <= 0xDCFF and not strict:
                out.append(code - 0xDC00)
                continue
            encoded = g0.encode_char(ch)
            if encoded is None and g1 is not None:
                encoded = g1.encode_char(ch)
            if encoded is None:
                for graphic in self.declared:
                    encoded = graphic.encode_char(ch)
                    if encoded is not None:
                        out += graphic.escape
                        if graphic.g1:
                            g1 = graphic
                        else:
                            g0 = graphic
                        break
            if encoded is None:
                raise self._encode_error(text, index)
            out += encoded
        if g0 is not initial_g0:
            out += initial_g0.escape
        return bytes(out)

    def __repr__(self) -> str:
        return f"CharacterSet({self.terms!r})"


@cache
def _character_set(terms: tuple[str, ...]) -> CharacterSet:
    return CharacterSet(terms)


def character_set(value: str | Sequence[str] | None) -> CharacterSet:
    """The :class:`CharacterSet` for a value of Specific Character Set (None: the default)."""
    if value is None:
        terms: tuple[str, ...] = ()
    elif isinstance(value, str):
        terms = tuple(value.split("\\")) if value else ()
    else:
        terms = tuple(str(v) for v in value)
    terms = tuple(t.strip() for t in terms)
    if terms and all(t == "" for t in terms):
        terms = ()
    return _character_set(terms)


DEFAULT = character_set(None)
