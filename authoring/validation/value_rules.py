"""Rules a single value must follow for its VR and VM (PS3.5 6.2, 6.4).

Each check returns :class:`Problem` records rather than raising, so the writer can raise,
warn or ignore, and the IOD validator can report them with their place in the data set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from authoring.core.charset import CharacterSet
from authoring.core.uid import is_valid_uid
from authoring.core.values import DA, DS, DT, IS, TM
from authoring.core.vm import members, vm_allows
from authoring.core.vr import CHARSET_VRS, VR_INFO, Kind
from authoring.errors import CharacterSetError


@dataclass(frozen=True)
class Problem:
    """One broken rule: ``rule`` is a short identifier, ``message`` says what is wrong."""

    rule: str
    message: str


_CS = re.compile(r"^[A-Z0-9 _]*$")
_AS = re.compile(r"^\d{3}[DWMY]$")
_DA_RANGE = re.compile(r"^(\d{8})?-(\d{8})?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TEXT_CONTROL_ALLOWED = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")  # LF FF CR ESC TAB ok
_STRING_CONTROL = re.compile(r"[\x00-\x1a\x1c-\x1f\x7f]")  # only ESC allowed

_LIMIT_IN_CHARACTERS = CHARSET_VRS | {"PN"}


def _items(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return members(value)


def _text_of(item: Any) -> str:
    if isinstance(item, DS):
        return item.original
    if isinstance(item, IS):
        return item.original
    return str(item) if item is not None else ""


def check_length(vr: str, item: Any) -> Problem | None:
    """The maximum length of one value (characters for character-set text, else bytes)."""
    info = VR_INFO[vr]
    if info.max_length is None:
        return None
    return _length_problem(vr, info.max_length, _text_of(item))


def _length_problem(vr: str, limit: int, text: str) -> Problem | None:
    if vr == "PN":
        for group in text.split("="):
            if len(group) > 64:
                return Problem("max-length", f"person name component group {group!r} is "
                               f"{len(group)} characters long; PN allows 64")
        return None
    if len(text) <= limit and vr not in ("DS", "IS"):  # the common case, quickly
        return None
    if vr in ("DS", "IS"):
        text = text.strip(" ")  # surrounding spaces (padding) are not part of the number
    if vr == "DA" and "-" in text:
        limit = 18
    if vr == "TM" and "-" in text:
        limit = 28
    if vr == "DT" and "-" in text.lstrip("-")[4:] and text.count("-") > 0:
        limit = 54
    if len(text) > limit:
        unit = "characters" if vr in _LIMIT_IN_CHARACTERS else "bytes"
        return Problem("max-length", f"{text[:40]!r}{'...' if len(text) > 40 else ''} is "
                       f"{len(text)} {unit} long; {vr} allows {limit}")
    return None


def _cs(text: str, item: Any) -> Problem | None:
    if not _CS.match(text):
        return Problem("characters", f"{text!r}: CS allows upper-case letters, digits, space "
                       "and underscore")
    return None


def _ae(text: str, item: Any) -> Problem | None:
    if _CONTROL.search(text) or "\\" in text:
        return Problem("characters", f"{text!r}: AE allows no backslash or control character")
    return None


def _as(text: str, item: Any) -> Problem | None:
    if not _AS.match(text):
        return Problem("format", f"{text!r}: AS is nnnD, nnnW, nnnM or nnnY")
    return None


def _ui(text: str, item: Any) -> Problem | None:
    if not is_valid_uid(text):
        return Problem("format", f"{text!r} is not a valid UID (digits and dots, no leading "
                       "zeros, at most 64 characters)")
    return None


def _da(text: str, item: Any) -> Problem | None:
    if not (DA(text).is_valid or _DA_RANGE.match(text.strip())):
        return Problem("format", f"{text!r} is not a date YYYYMMDD")
    return None


def _tm(text: str, item: Any) -> Problem | None:
    if not TM(text).is_valid and "-" not in text:
        return Problem("format", f"{text!r} is not a time HHMMSS.FFFFFF")
    return None


def _dt(text: str, item: Any) -> Problem | None:
    if not DT(text).is_valid and "-" not in text[1:]:
        return Problem("format", f"{text!r} is not a date-time YYYYMMDDHHMMSS.FFFFFF&ZZXX")
    return None


def _ds(text: str, item: Any) -> Problem | None:
    if isinstance(item, str) and not isinstance(item, DS):
        return Problem("format", f"{text!r} is not a decimal number")
    if isinstance(item, DS) and not item.is_valid_text:
        return Problem("format", f"{text!r} is not a DS (at most 16 characters of "
                       "0-9 + - . E e and spaces)")
    return None


def _is(text: str, item: Any) -> Problem | None:
    if isinstance(item, str):
        return Problem("format", f"{text!r} is not an integer")
    if isinstance(item, IS) and not item.is_valid_text:
        return Problem("format", f"{text!r} is not an IS (at most 12 characters, "
                       "-2^31 .. 2^31-1)")
    return None


def _string(vr: str) -> Any:
    def check(text: str, item: Any) -> Problem | None:
        if _STRING_CONTROL.search(text):
            return Problem("characters", f"{text!r}: {vr} allows no control character but "
                           "ESC")
        return None
    return check


_PN_STRING = _string("PN")


def _pn(text: str, item: Any) -> Problem | None:
    """PS3.5 6.2.1: at most three component groups (alphabetic, ideographic, phonetic) of
    at most five components each."""
    groups = text.split("=")
    if len(groups) > 3:
        return Problem("format", f"{text!r} has {len(groups)} component groups; PN allows 3 "
                       "(alphabetic=ideographic=phonetic)")
    for group in groups:
        if group.count("^") > 4:
            return Problem("format", f"{group!r} has {group.count('^') + 1} components; PN "
                           "allows 5 (family^given^middle^prefix^suffix)")
    problem: Problem | None = _PN_STRING(text, item)
    return problem


def _text(vr: str) -> Any:
    def check(text: str, item: Any) -> Problem | None:
        if _TEXT_CONTROL_ALLOWED.search(text):
            return Problem("characters", f"{text[:40]!r}: {vr} allows only the control "
                           "characters LF, FF, CR, ESC and TAB")
        return None
    return check


def _ur(text: str, item: Any) -> Problem | None:
    if " " in text.strip(" ") or _CONTROL.search(text):
        return Problem("characters", f"{text!r}: UR allows no embedded space or control "
                       "character")
    return None


#: The character and format rule of each text VR: (text, value) -> Problem or None.
_CHARACTER_CHECKS: dict[str, Any] = {
    "CS": _cs, "AE": _ae, "AS": _as, "UI": _ui, "DA": _da, "TM": _tm, "DT": _dt, "DS": _ds,
    "IS": _is, "LO": _string("LO"), "SH": _string("SH"), "PN": _pn,
    "UC": _string("UC"), "LT": _text("LT"), "ST": _text("ST"), "UT": _text("UT"), "UR": _ur,
}


def check_characters(vr: str, item: Any) -> Problem | None:
    """The characters a value of ``vr`` may hold."""
    text = _text_of(item)
    check = _CHARACTER_CHECKS.get(vr)
    if not text or check is None:
        return None
    problem: Problem | None = check(text, item)
    return problem


def check_binary_range(vr: str, item: Any) -> Problem | None:
    """The range of binary integers."""
    ranges = {"US": (0, 0xFFFF), "SS": (-0x8000, 0x7FFF), "UL": (0, 0xFFFFFFFF),
              "SL": (-(2**31), 2**31 - 1), "UV": (0, 2**64 - 1), "SV": (-(2**63), 2**63 - 1)}
    bounds = ranges.get(vr)
    if bounds is None or not isinstance(item, int):
        return None
    if not bounds[0] <= item <= bounds[1]:
        return Problem("range", f"{item} is outside the {vr} range {bounds[0]} .. {bounds[1]}")
    return None


def check_value(vr: str, value: Any, *, vm: str | None = None,
                charset: CharacterSet | None = None) -> list[Problem]:
    """Every rule for one element's value: length, characters, range, VM, character set."""
    info = VR_INFO.get(vr)
    if info is None or info.kind is Kind.SEQUENCE or info.kind is Kind.BYTES:
        return []
    problems: list[Problem] = []
    items = _items(value)
    if info.kind in (Kind.TEXT, Kind.NUMBER_TEXT):
        limit = info.max_length
        characters = _CHARACTER_CHECKS.get(vr)
        for item in items:
            text = _text_of(item)
            if limit is not None:
                problem = _length_problem(vr, limit, text)
                if problem is not None:
                    problems.append(problem)
            if text and characters is not None:
                problem = characters(text, item)
                if problem is not None:
                    problems.append(problem)
    elif info.kind is Kind.BINARY_NUMBER:
        for item in items:
            problem = check_binary_range(vr, item)
            if problem is not None:
                problems.append(problem)
    if vm and items and not vm_allows(vm, len(items)):
        problems.append(Problem("vm", f"{len(items)} values; the dictionary gives VM {vm}"))
    if charset is not None and vr in CHARSET_VRS and items:
        text = _text_of(items[0]) if len(items) == 1 else \
            "\\".join(_text_of(i) for i in items)
        try:
            charset.encode(text, vr, strict=True)
        except CharacterSetError as exc:
            problems.append(Problem("charset", exc.reason))
    return problems
