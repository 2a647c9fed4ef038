"""Registered UID lookups (transfer syntaxes: :mod:`authoring.core.transfer_syntax`)."""

from __future__ import annotations

from typing import NamedTuple

from authoring._generated import uids as _uids


class UIDInfo(NamedTuple):
    """A registered UID's keyword, name, type and status (PS3.6 Table A-1)."""

    keyword: str
    name: str
    type: str
    retired: bool


def uid_info(uid: str) -> UIDInfo | None:
    """The registry entry for ``uid``, or None when the dictionary does not list it."""
    row = _uids.UIDS.get(uid)
    return UIDInfo(*row) if row is not None else None


def uid_for_keyword(keyword: str) -> str | None:
    """The UID with the given keyword (``"CTImageStorage"``), or None."""
    for uid, row in _uids.UIDS.items():
        if row[0] == keyword:
            return uid
    return None


def all_uids() -> dict[str, UIDInfo]:
    """Every registered UID with its entry."""
    return {uid: UIDInfo(*row) for uid, row in _uids.UIDS.items()}
