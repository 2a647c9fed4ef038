"""Registered UID lookups (transfer syntaxes: :mod:`authoring.core.transfer_syntax`)."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from authoring._generated import uids as _uids


class UIDInfo(NamedTuple):
    """A registered UID's keyword, name, type and status (PS3.6 Table A-1)."""

    keyword: str
    name: str
    type: str
    retired: bool


def registered_uids(text: str) -> dict[str, UIDInfo]:
    """The table of a generated ``uids`` module, as uid -> entry."""
    return {uid: UIDInfo(keyword, name, type_, retired == "R")
            for uid, keyword, name, type_, retired in (line.split("\t")
                                                       for line in text.splitlines())}


@cache
def _table() -> dict[str, UIDInfo]:
    return registered_uids(_uids.UIDS)


def uid_info(uid: str) -> UIDInfo | None:
    """The registry entry for ``uid``, or None when the dictionary does not list it."""
    return _table().get(uid)


def uid_for_keyword(keyword: str) -> str | None:
    """The UID with the given keyword (``"CTImageStorage"``), or None."""
    for uid, row in _table().items():
        if row.keyword == keyword:
            return uid
    return None


def all_uids() -> dict[str, UIDInfo]:
    """Every registered UID with its entry."""
    return dict(_table())
