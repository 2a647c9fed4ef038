"""Normalize values assigned by users to the Python types the data model uses for each VR.

``ds.PatientName = "Doe^Jane"`` stores a :class:`PersonName`; ``ds.ImageType =
"ORIGINAL\\PRIMARY"`` stores ``("ORIGINAL", "PRIMARY")``; ``ds.SliceThickness = 1.5`` stores
``DS("1.5")``. Several values become a tuple, one value stays a scalar, matching what the
reader produces, so a value set and a value read compare equal.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from authoring.core.tag import Tag
from authoring.core.uid import UID
from authoring.core.values import DA, DS, DT, IS, TM, PersonName
from authoring.core.vr import SINGLE_VALUED_TEXT_VRS, VR_INFO, Kind
from authoring.encoding.decode import empty_value as _plain_empty_value

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase


def _collapse(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else tuple(values)


def _items(value: Any) -> list[Any] | None:
    """The values of a multi-valued input, or None when ``value`` is a single value."""
    if isinstance(value, (str, bytes, bytearray, memoryview, int, float, Decimal, _dt.date,
                          _dt.time)):
        return None
    if hasattr(value, "tolist"):
        listed: Any = value.tolist()
        return cast("list[Any]", listed) if isinstance(listed, list) else None
    if isinstance(value, Iterable):
        return list(cast("Iterable[Any]", value))
    return None


def _text_item(vr: str) -> Callable[[Any], Any]:
    kinds: dict[str, Callable[[Any], Any]] = {
        "PN": PersonName, "DA": DA, "TM": TM, "DT": DT, "UI": UID,
    }
    kind = kinds.get(vr, str)

    def convert(item: Any) -> Any:
        if item is None or item == "":
            return kind("")
        if vr == "DA" and isinstance(item, _dt.datetime):
            return DA(item.date())
        if isinstance(item, (_dt.date, _dt.time)) and vr in ("DA", "TM", "DT"):
            return kind(item)
        if not isinstance(item, str):
            raise TypeError(f"a {vr} value must be str, not {type(item).__name__} ({item!r})")
        return kind(item)

    return convert


def _number_item(vr: str) -> Callable[[Any], Any]:
    kind = DS if vr == "DS" else IS

    def convert(item: Any) -> Any:
        if item is None or (isinstance(item, str) and not item.strip()):
            return None
        if isinstance(item, bool):
            raise TypeError(f"a {vr} value cannot be a bool")
        if isinstance(item, (str, int, float, Decimal)):
            try:
                return kind(item)
            except ValueError:
                what = "a decimal number" if vr == "DS" else "an integer"
                raise ValueError(f"{item!r} is not {what}") from None
        raise TypeError(f"a {vr} value must be a number or text, not {type(item).__name__}")

    return convert


def _binary_item(vr: str) -> Callable[[Any], Any]:
    floating = vr in ("FL", "FD")

    def convert(item: Any) -> Any:
        if isinstance(item, bool) or item is None:
            raise TypeError(f"a {vr} value must be a number, not {item!r}")
        try:
            if floating:
                return float(item)
            if isinstance(item, float) and not item.is_integer():
                raise ValueError(f"a {vr} value must be an integer, not {item!r}")
            return int(item)
        except (TypeError, ValueError) as exc:
            if "must be" in str(exc):
                raise
            raise ValueError(f"{item!r} is not {'a number' if floating else 'an integer'}"
                             ) from None

    return convert


def empty_value(vr: str) -> Any:
    """The data model's value of an empty element of ``vr`` (an empty :class:`Sequence` for
    SQ, else the decoder's empty value)."""
    if vr == "SQ":
        from authoring.object.sequence import Sequence

        return Sequence["DatasetBase"]()
    return _plain_empty_value(vr)


def coerce_value(vr: str, value: Any) -> Any:
    """Return ``value`` in the data model's form for ``vr`` (raises TypeError or ValueError
    when it cannot be one)."""
    info = VR_INFO.get(vr)
    if value is None:
        return empty_value(vr)
    if info is None:
        return bytes(cast("bytes", value)) if isinstance(value, (bytes, bytearray, memoryview)) \
            else value
    kind = info.kind
    if kind is Kind.TEXT:
        convert = _text_item(vr)
        if isinstance(value, str):
            if vr in SINGLE_VALUED_TEXT_VRS:
                return str(value) if type(value) is not str else value
            if "\\" in value:
                return tuple(convert(part) for part in value.split("\\"))
            return convert(value)
        items = _items(value)
        if items is None:
            return convert(value)
        return _collapse([convert(item) for item in items]) if items else convert("")
    if kind is Kind.NUMBER_TEXT:
        convert = _number_item(vr)
        if isinstance(value, str) and "\\" in value:
            return tuple(convert(part) for part in value.split("\\"))
        items = _items(value)
        if items is None:
            return convert(value)
        return _collapse([convert(item) for item in items]) if items else None
    if kind is Kind.BINARY_NUMBER:
        convert = _binary_item(vr)
        items = _items(value)
        if items is None:
            return convert(value)
        return _collapse([convert(item) for item in items]) if items else None
    if kind is Kind.TAG:
        if isinstance(value, (int, str)):
            return Tag(value)
        pair = cast("tuple[Any, ...]", value) if isinstance(value, tuple) else None
        if (pair is not None and len(pair) == 2
                and all(isinstance(v, int) and not isinstance(v, Tag) for v in pair)):
            return Tag(cast("tuple[int, int]", pair))
        items = _items(value)
        if items is None:
            raise TypeError(f"an AT value must be a tag, not {type(cast(object, value)).__name__}")
        return _collapse([Tag(cast("int | str", item)) for item in items]) if items else None
    if kind is Kind.BYTES:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(cast("bytes", value))
        if hasattr(value, "tobytes"):
            return value
        if hasattr(value, "fragments"):  # encapsulated pixel data
            return value
        if vr == "UN" and isinstance(value, list):  # a UN of undefined length holds items
            from authoring.object.sequence import Sequence

            return cast("Sequence[DatasetBase]", value) if isinstance(value, Sequence) else \
                Sequence(cast("list[DatasetBase]", value))
        raise TypeError(f"a {vr} value must be bytes, not {type(value).__name__}")
    if kind is Kind.SEQUENCE:
        from authoring.object.sequence import Sequence

        if isinstance(value, Sequence):
            return cast("Sequence[DatasetBase]", value)
        return Sequence(cast("Iterable[DatasetBase]", value))
    return value
