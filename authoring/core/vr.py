"""Value Representations (PS3.5 6.2, Table 6.2-1) and what the codec needs to know of each."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class VR(enum.StrEnum):
    """The value representations of the current standard. Members compare equal to their
    two-letter string (``VR.PN == "PN"``)."""

    AE = "AE"
    AS = "AS"
    AT = "AT"
    CS = "CS"
    DA = "DA"
    DS = "DS"
    DT = "DT"
    FD = "FD"
    FL = "FL"
    IS = "IS"
    LO = "LO"
    LT = "LT"
    OB = "OB"
    OD = "OD"
    OF = "OF"
    OL = "OL"
    OV = "OV"
    OW = "OW"
    PN = "PN"
    SH = "SH"
    SL = "SL"
    SQ = "SQ"
    SS = "SS"
    ST = "ST"
    SV = "SV"
    TM = "TM"
    UC = "UC"
    UI = "UI"
    UL = "UL"
    UN = "UN"
    UR = "UR"
    US = "US"
    UT = "UT"
    UV = "UV"

    @property
    def info(self) -> VRInfo:
        """The registry entry of this VR."""
        return VR_INFO[self.value]


class Kind(enum.Enum):
    """How a VR's value is stored, which decides how it is encoded."""

    TEXT = "text"  #: character string, possibly multi-valued (backslash separated)
    NUMBER_TEXT = "number text"  #: DS, IS: numbers written as text
    BINARY_NUMBER = "binary number"  #: fixed-size numbers (US, SL, FD ...)
    TAG = "tag"  #: AT: pairs of 16-bit numbers
    BYTES = "bytes"  #: OB, OW ... and UN: a byte string
    SEQUENCE = "sequence"  #: SQ


@dataclass(frozen=True)
class VRInfo:
    """Facts about one VR.

    ``max_length`` counts characters for text VRs that take a character set (``charset``),
    bytes otherwise; for PN it applies to each component group. ``width`` is the size of one
    value for binary numbers and AT. ``long_length`` tells that explicit VR encodings use a
    32-bit length field with two reserved bytes (PS3.5 7.1.2).
    """

    name: str
    description: str
    kind: Kind
    python_type: str
    max_length: int | None
    padding: bytes
    charset: bool
    long_length: bool
    multi_valued: bool
    width: int = 0
    struct_code: str = ""


def _text(name: str, description: str, max_length: int | None, *, charset: bool,
          long_length: bool = False, multi_valued: bool = True, padding: bytes = b" ",
          python_type: str = "str") -> VRInfo:
    return VRInfo(name, description, Kind.TEXT, python_type, max_length, padding, charset,
                  long_length, multi_valued)


def _binary(name: str, description: str, width: int, code: str, python_type: str) -> VRInfo:
    return VRInfo(name, description, Kind.BINARY_NUMBER, python_type, None, b"", False,
                  name in ("SV", "UV"), True, width, code)


def _bytes(name: str, description: str, width: int) -> VRInfo:
    return VRInfo(name, description, Kind.BYTES, "bytes", None, b"\x00", False, True, False,
                  width)


VR_INFO: dict[str, VRInfo] = {
    info.name: info
    for info in (
        _text("AE", "Application Entity", 16, charset=False),
        _text("AS", "Age String", 4, charset=False),
        VRInfo("AT", "Attribute Tag", Kind.TAG, "Tag", None, b"", False, False, True, 4),
        _text("CS", "Code String", 16, charset=False),
        _text("DA", "Date", 8, charset=False, python_type="DA"),
        VRInfo("DS", "Decimal String", Kind.NUMBER_TEXT, "DS", 16, b" ", False, False, True),
        _text("DT", "Date Time", 26, charset=False, python_type="DT"),
        _binary("FD", "Floating Point Double", 8, "d", "float"),
        _binary("FL", "Floating Point Single", 4, "f", "float"),
        VRInfo("IS", "Integer String", Kind.NUMBER_TEXT, "IS", 12, b" ", False, False, True),
        _text("LO", "Long String", 64, charset=True),
        _text("LT", "Long Text", 10240, charset=True, multi_valued=False),
        _bytes("OB", "Other Byte", 1),
        _bytes("OD", "Other Double", 8),
        _bytes("OF", "Other Float", 4),
        _bytes("OL", "Other Long", 4),
        _bytes("OV", "Other 64-bit Very Long", 8),
        _bytes("OW", "Other Word", 2),
        _text("PN", "Person Name", 64, charset=True, python_type="PersonName"),
        _text("SH", "Short String", 16, charset=True),
        _binary("SL", "Signed Long", 4, "l", "int"),
        VRInfo("SQ", "Sequence of Items", Kind.SEQUENCE, "Sequence", None, b"", False, True,
               False),
        _binary("SS", "Signed Short", 2, "h", "int"),
        _text("ST", "Short Text", 1024, charset=True, multi_valued=False),
        _binary("SV", "Signed 64-bit Very Long", 8, "q", "int"),
        _text("TM", "Time", 14, charset=False, python_type="TM"),
        _text("UC", "Unlimited Characters", 0xFFFFFFFE, charset=True, long_length=True),
        _text("UI", "Unique Identifier", 64, charset=False, padding=b"\x00", python_type="UID"),
        _binary("UL", "Unsigned Long", 4, "L", "int"),
        _bytes("UN", "Unknown", 1),
        _text("UR", "Universal Resource Identifier", 0xFFFFFFFE, charset=False,
              long_length=True, multi_valued=False),
        _binary("US", "Unsigned Short", 2, "H", "int"),
        _text("UT", "Unlimited Text", 0xFFFFFFFE, charset=True, long_length=True,
              multi_valued=False),
        _binary("UV", "Unsigned 64-bit Very Long", 8, "Q", "int"),
    )
}

#: VRs whose explicit-VR header has a 32-bit length (and two reserved bytes).
LONG_LENGTH_VRS = frozenset(name for name, info in VR_INFO.items() if info.long_length)

#: VRs whose text is decoded with the Specific Character Set.
CHARSET_VRS = frozenset(name for name, info in VR_INFO.items() if info.charset)

#: Text VRs whose value is never split at backslashes (VM is always 1).
SINGLE_VALUED_TEXT_VRS = frozenset({"LT", "ST", "UT", "UR"})

#: VRs of byte data whose byte order follows the transfer syntax, with their word size.
SWAPPED_BYTES_VRS: dict[str, int] = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}


def is_vr(text: str) -> bool:
    """True when ``text`` is one of the VRs of the current standard."""
    return text in VR_INFO
