"""Date (DA), Time (TM) and Date Time (DT) values (PS3.5 6.2) with partial precision.

Each is the ``str`` of its DICOM form, so an unchanged value writes back byte for byte, and
converts to and from :mod:`datetime` objects. Precision is kept: ``DA("202003")`` is a month,
``TM("1012")`` is a minute, and a :class:`datetime.time` with no microseconds writes without a
fraction.
"""

from __future__ import annotations

import datetime as _dt
import re

from authoring.errors import InvalidValueError

_DA = re.compile(r"^(\d{4})(\d{2})?(\d{2})?$")
_DA_LEGACY = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})$")  # ACR-NEMA form, PS3.5 6.2 note
_TM = re.compile(r"^(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,6}))?$")
_TM_LEGACY = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$")
_DT = re.compile(
    r"^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,6}))?([+-]\d{4})?$"
)

DATE_PRECISIONS = ("year", "month", "day")
TIME_PRECISIONS = ("hour", "minute", "second", "fraction")


def _fraction_microseconds(fraction: str | None) -> int:
    return int(fraction.ljust(6, "0")) if fraction else 0


def _format_time(value: _dt.time) -> str:
    text = value.strftime("%H%M%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text


def _format_offset(offset: _dt.timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


class DA(str):
    """A date, ``YYYYMMDD`` (or ``YYYY``, ``YYYYMM`` in some contexts, or a query range).

    >>> DA(_dt.date(2024, 2, 29)), DA("20240229").date
    (DA('20240229'), datetime.date(2024, 2, 29))
    """

    __slots__ = ()

    def __new__(cls, value: str | _dt.date) -> DA:
        """From DICOM text (kept as given) or from a :class:`datetime.date`."""
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return super().__new__(cls, value.strftime("%Y%m%d"))
        return super().__new__(cls, value)

    def _match(self) -> re.Match[str] | None:
        text = self.strip()
        return _DA.match(text) or _DA_LEGACY.match(text)

    @property
    def precision(self) -> str | None:
        """``"year"``, ``"month"`` or ``"day"``; None when the text is not a single date."""
        match = self._match()
        if match is None:
            return None
        present = sum(1 for group in match.groups() if group)
        return DATE_PRECISIONS[present - 1]

    @property
    def is_valid(self) -> bool:
        """True when the text is a full date that exists in the calendar (PS3.5 Table 6.2-1)."""
        text = self.strip()
        if not re.fullmatch(r"\d{8}", text):
            return False
        try:
            self.date
        except ValueError:
            return False
        return True

    @property
    def date(self) -> _dt.date:
        """The :class:`datetime.date`; a partial date gives its first day."""
        match = self._match()
        if match is None:
            raise InvalidValueError(f"{str(self)!r} is not a DICOM date")
        year, month, day = match.groups()
        return _dt.date(int(year), int(month or 1), int(day or 1))

    def __repr__(self) -> str:
        return f"DA({str.__repr__(self)})"


class TM(str):
    """A time, ``HHMMSS.FFFFFF`` with any trailing part left out.

    >>> TM("1012").precision, TM(_dt.time(10, 12, 30, 500)).strip()
    ('minute', '101230.000500')
    """

    __slots__ = ()

    def __new__(cls, value: str | _dt.time) -> TM:
        """From DICOM text (kept as given) or from a :class:`datetime.time`."""
        if isinstance(value, _dt.time):
            return super().__new__(cls, _format_time(value))
        return super().__new__(cls, value)

    def _match(self) -> re.Match[str] | None:
        text = self.strip()
        return _TM.match(text) or _TM_LEGACY.match(text)

    @property
    def precision(self) -> str | None:
        """``"hour"``, ``"minute"``, ``"second"`` or ``"fraction"``; None if not a time."""
        match = self._match()
        if match is None:
            return None
        present = sum(1 for group in match.groups() if group)
        return TIME_PRECISIONS[present - 1]

    @property
    def is_valid(self) -> bool:
        """True when the text is a time in PS3.5 form with valid hour, minute and second."""
        if _TM.match(self.strip()) is None:
            return False
        try:
            self.time
        except ValueError:
            return False
        return True

    @property
    def time(self) -> _dt.time:
        """The :class:`datetime.time`; left-out parts are zero. A leap second 60 becomes 59."""
        match = self._match()
        if match is None:
            raise InvalidValueError(f"{str(self)!r} is not a DICOM time")
        hour, minute, second, fraction = match.groups()
        seconds = min(int(second or 0), 59)
        return _dt.time(int(hour), int(minute or 0), seconds, _fraction_microseconds(fraction))

    def __repr__(self) -> str:
        return f"TM({str.__repr__(self)})"


class DT(str):
    """A date-time, ``YYYYMMDDHHMMSS.FFFFFF&ZZXX`` with any trailing part left out.

    >>> DT("20240229101230+0100").datetime.utcoffset()
    datetime.timedelta(seconds=3600)
    """

    __slots__ = ()

    def __new__(cls, value: str | _dt.datetime) -> DT:
        """From DICOM text (kept as given) or from a :class:`datetime.datetime` (its UTC
        offset, if any, is written as ``&ZZXX``)."""
        if isinstance(value, _dt.datetime):
            text = value.strftime("%Y%m%d%H%M%S")
            if value.microsecond:
                text += f".{value.microsecond:06d}"
            offset = value.utcoffset()
            if offset is not None:
                text += _format_offset(offset)
            return super().__new__(cls, text)
        return super().__new__(cls, value)

    @property
    def precision(self) -> str | None:
        """The finest part present, from ``"year"`` to ``"fraction"``; None if not a DT."""
        match = _DT.match(self.strip())
        if match is None:
            return None
        names = ("year", "month", "day", "hour", "minute", "second", "fraction")
        present = sum(1 for group in match.groups()[:7] if group)
        return names[present - 1]

    @property
    def is_valid(self) -> bool:
        """True when the text is a DT in PS3.5 form with valid parts."""
        try:
            self.datetime
        except ValueError:
            return False
        return True

    @property
    def datetime(self) -> _dt.datetime:
        """The :class:`datetime.datetime`; aware when the text carries an offset."""
        match = _DT.match(self.strip())
        if match is None:
            raise InvalidValueError(f"{str(self)!r} is not a DICOM date-time")
        year, month, day, hour, minute, second, fraction, offset = match.groups()
        tz: _dt.tzinfo | None = None
        if offset:
            sign = -1 if offset[0] == "-" else 1
            delta = _dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
            tz = _dt.timezone(sign * delta)
        return _dt.datetime(
            int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
            min(int(second or 0), 59), _fraction_microseconds(fraction), tzinfo=tz,
        )

    def __repr__(self) -> str:
        return f"DT({str.__repr__(self)})"
