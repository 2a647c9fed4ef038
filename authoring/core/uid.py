"""Unique identifiers (PS3.5 9): the UI value type, validity rules and UID generation."""

from __future__ import annotations

import re

from authoring.errors import InvalidValueError

_UID = re.compile(r"^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$")

#: Root for UIDs derived from UUIDs (PS3.5 B.2), which need no registered organisation root.
UUID_ROOT = "2.25."

#: This implementation's Implementation Class UID (PS3.7 D.3.3.2): a UUID-derived UID (PS3.5
#: B.2), ``uuid5(NAMESPACE_URL, "https://pypi.org/project/authoring/implementation-class")``.
IMPLEMENTATION_CLASS_UID = "2.25.250834034008142581271136109036048297715"


class UID(str):
    """A UID value. A ``str`` that knows what the registry says about it.

    >>> UID("1.2.840.10008.5.1.4.1.1.2").name
    'CT Image Storage'
    """

    __slots__ = ()

    @property
    def is_valid(self) -> bool:
        """True when the UID follows PS3.5 9.1: digits and dots, no leading zeros, <= 64."""
        return is_valid_uid(self)

    @property
    def name(self) -> str:
        """The registered name, or the UID itself when it is not registered."""
        from authoring.dictionary.uids import uid_info

        info = uid_info(self)
        return info.name if info is not None else str(self)

    @property
    def keyword(self) -> str:
        """The registered keyword, or ``""``."""
        from authoring.dictionary.uids import uid_info

        info = uid_info(self)
        return info.keyword if info is not None else ""

    @property
    def type(self) -> str:
        """The registered UID type (``"SOP Class"``, ``"Transfer Syntax"`` ...), or ``""``."""
        from authoring.dictionary.uids import uid_info

        info = uid_info(self)
        return info.type if info is not None else ""

    @property
    def is_transfer_syntax(self) -> bool:
        """True when the UID is a transfer syntax the dictionary knows."""
        from authoring.core.transfer_syntax import is_known

        return is_known(self)


def is_valid_uid(text: str) -> bool:
    """True when ``text`` is a syntactically valid UID (PS3.5 9.1)."""
    return len(text) <= 64 and _UID.match(text) is not None


def generate_uid(*, seed: str | bytes | None = None, prefix: str = UUID_ROOT) -> UID:
    """A new UID. Random (a UUID4 under ``2.25.``) unless ``seed`` is given, in which case the
    same seed always yields the same UID (for reproducible synthetic data).

    A custom ``prefix`` (your organisation's root, ending in ``.``) is followed by decimal
    digits from the same source, cut so the UID fits in 64 characters.
    """
    if seed is None:
        import uuid  # here, not at the top: it loads platform modules builders rarely need

        number = uuid.uuid4().int
    else:
        import hashlib

        data = seed.encode("utf-8") if isinstance(seed, str) else seed
        number = int.from_bytes(hashlib.sha256(data).digest()[:16], "big")
    if prefix == UUID_ROOT:
        return UID(f"{UUID_ROOT}{number}")
    if not prefix.endswith(".") or not is_valid_uid(prefix[:-1]):
        raise InvalidValueError(f"UID prefix must be a valid UID followed by '.', got {prefix!r}")
    room = 64 - len(prefix)
    if room < 1:
        raise InvalidValueError(f"UID prefix {prefix!r} leaves no room for a suffix")
    return UID(prefix + str(number)[:room])
