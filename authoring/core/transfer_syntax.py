"""Transfer syntaxes (PS3.5 10, Annex A): byte order, VR form, encapsulation, deflate.

The one record of a transfer syntax in the package: the compiler imports the dictionary's
rows into it, the generated table holds its fields, and every layer above looks syntaxes up
here (by UID, keyword, name or alias)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from authoring.core.uid import is_valid_uid
from authoring.errors import UnknownTransferSyntaxError


@dataclass(frozen=True, order=True)
class TransferSyntax:
    """How a data set is encoded: PS3.5 Section 10 and Annex A's facts about one transfer
    syntax."""

    uid: str
    keyword: str
    name: str
    little_endian: bool
    explicit_vr: bool
    encapsulated: bool
    deflated: bool
    retired: bool = False

    @property
    def implicit_vr(self) -> bool:
        """True for Implicit VR Little Endian."""
        return not self.explicit_vr

    def __str__(self) -> str:
        return f"{self.name} ({self.uid})"


IMPLICIT_VR_LITTLE_ENDIAN = TransferSyntax(
    "1.2.840.10008.1.2", "ImplicitVRLittleEndian", "Implicit VR Little Endian",
    True, False, False, False,
)
EXPLICIT_VR_LITTLE_ENDIAN = TransferSyntax(
    "1.2.840.10008.1.2.1", "ExplicitVRLittleEndian", "Explicit VR Little Endian",
    True, True, False, False,
)
DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = TransferSyntax(
    "1.2.840.10008.1.2.1.99", "DeflatedExplicitVRLittleEndian",
    "Deflated Explicit VR Little Endian", True, True, False, True,
)
EXPLICIT_VR_BIG_ENDIAN = TransferSyntax(
    "1.2.840.10008.1.2.2", "ExplicitVRBigEndian", "Explicit VR Big Endian",
    False, True, False, False, True,
)

#: The four transfer syntaxes with native (not encapsulated) pixel data.
UNCOMPRESSED = (
    IMPLICIT_VR_LITTLE_ENDIAN,
    EXPLICIT_VR_LITTLE_ENDIAN,
    EXPLICIT_VR_BIG_ENDIAN,
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
)

#: Short names accepted on the command line.
ALIASES = {
    "implicit": IMPLICIT_VR_LITTLE_ENDIAN.uid,
    "explicit": EXPLICIT_VR_LITTLE_ENDIAN.uid,
    "little": EXPLICIT_VR_LITTLE_ENDIAN.uid,
    "big": EXPLICIT_VR_BIG_ENDIAN.uid,
    "deflated": DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid,
    "rle": "1.2.840.10008.1.2.5",
    "jpeg": "1.2.840.10008.1.2.4.50",
    "jpeg-baseline": "1.2.840.10008.1.2.4.50",
    "jpeg-lossless": "1.2.840.10008.1.2.4.70",
    "jpeg-ls": "1.2.840.10008.1.2.4.80",
    "jpeg-ls-near": "1.2.840.10008.1.2.4.81",
    "j2k": "1.2.840.10008.1.2.4.90",
    "j2k-lossless": "1.2.840.10008.1.2.4.90",
    "j2k-lossy": "1.2.840.10008.1.2.4.91",
    "htj2k-lossless": "1.2.840.10008.1.2.4.201",
}


def _row(uid: str) -> tuple[str, str, bool, bool, bool, bool, bool] | None:
    """The generated table's row for ``uid``: keyword, name, little endian, explicit VR,
    encapsulated, deflated, retired."""
    from authoring._generated.uids import TRANSFER_SYNTAXES

    return TRANSFER_SYNTAXES.get(uid)


@cache
def _by_uid(uid: str) -> TransferSyntax:
    row = _row(uid)
    if row is None:
        # An unknown (private) syntax: PS3.5 10.2 requires explicit VR little endian for
        # anything but the default, with encapsulated pixel data.
        return TransferSyntax(uid, "", f"Unknown transfer syntax {uid}", True, True, True,
                              False)
    return TransferSyntax(uid, *row)


def transfer_syntax(key: str | TransferSyntax) -> TransferSyntax:
    """Look a transfer syntax up by UID, keyword (``ExplicitVRBigEndian``), name or alias
    (``implicit``, ``explicit``, ``big``, ``deflated``, ``rle``, ``jpeg``, ``jpeg-lossless``,
    ``jpeg-ls``, ``jpeg-ls-near``, ``j2k``, ``j2k-lossy``)."""
    if isinstance(key, TransferSyntax):
        return key
    text = key.strip().rstrip("\x00")
    if text.lower() in ALIASES:
        return _by_uid(ALIASES[text.lower()])
    if is_valid_uid(text):
        return _by_uid(text)
    from authoring._generated.uids import TRANSFER_SYNTAXES

    for uid, row in TRANSFER_SYNTAXES.items():
        if text in (row[0], row[1]) or text.lower() == row[1].lower():
            return _by_uid(uid)
    raise UnknownTransferSyntaxError(
        f"unknown transfer syntax {key!r} (give a UID, a keyword such as ExplicitVRBigEndian, "
        f"or one of {', '.join(ALIASES)})")


def is_known(uid: str) -> bool:
    """True when the dictionary knows ``uid`` as a transfer syntax."""
    return _row(uid) is not None
