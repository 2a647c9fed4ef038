"""The Python types of attributes, from VR and VM, as they appear in generated code.

Reading gives the data model's type (``PersonName`` for PN, ``DS`` for DS ...); writing
accepts the looser forms the data model converts (``str`` for PN, a ``datetime.date`` for
DA, any number for DS ...). Several values read as a tuple; ``None`` is part of the read
type where the element may be present but empty and its type has no empty form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from authoring.core.vm import parse_vm

#: Generated modules import these names under a leading underscore, so that keywords that
#: are also type names (``PersonName``, ``UID``) cannot shadow them in class bodies.
VALUE_TYPES: dict[str, tuple[str, str]] = {
    "AE": ("str", "str"),
    "AS": ("str", "str"),
    "CS": ("str", "str"),
    "LO": ("str", "str"),
    "LT": ("str", "str"),
    "SH": ("str", "str"),
    "ST": ("str", "str"),
    "UC": ("str", "str"),
    "UR": ("str", "str"),
    "UT": ("str", "str"),
    "PN": ("_PersonName", "_PersonName | str"),
    "DA": ("_DA", "_DA | str | _datetime.date"),
    "TM": ("_TM", "_TM | str | _datetime.time"),
    "DT": ("_DT", "_DT | str | _datetime.datetime"),
    "UI": ("_UID", "_UID | str"),
    "DS": ("_DS", "_DS | float | int | _Decimal | str"),
    "IS": ("_IS", "_IS | int | str"),
    "FL": ("float", "float | int"),
    "FD": ("float", "float | int"),
    "US": ("int", "int"),
    "SS": ("int", "int"),
    "UL": ("int", "int"),
    "SL": ("int", "int"),
    "UV": ("int", "int"),
    "SV": ("int", "int"),
    "AT": ("_Tag", "_Tag | int | tuple[int, int] | str"),
    "OB": ("bytes", "bytes | bytearray | memoryview"),
    "OD": ("bytes", "bytes | bytearray | memoryview"),
    "OF": ("bytes", "bytes | bytearray | memoryview"),
    "OL": ("bytes", "bytes | bytearray | memoryview"),
    "OV": ("bytes", "bytes | bytearray | memoryview"),
    "OW": ("bytes", "bytes | bytearray | memoryview"),
    "UN": ("bytes", "bytes | bytearray | memoryview"),
    "": ("bytes", "bytes"),  # items and delimiters (never attributes)
}

#: Types whose empty value is not an instance of the read type (so None is possible).
_NO_EMPTY_FORM = {"DS", "IS", "FL", "FD", "US", "SS", "UL", "SL", "UV", "SV", "AT"}

#: The imports every generated module that uses these types needs (under TYPE_CHECKING).
TYPE_IMPORTS = """import datetime as _datetime
from collections.abc import Iterable as _Iterable
from decimal import Decimal as _Decimal

from authoring.core.tag import Tag as _Tag
from authoring.core.uid import UID as _UID
from authoring.core.values import DA as _DA
from authoring.core.values import DS as _DS
from authoring.core.values import DT as _DT
from authoring.core.values import IS as _IS
from authoring.core.values import TM as _TM
from authoring.core.values import PersonName as _PersonName
from authoring.encoding.encapsulated import EncapsulatedPixelData as _EncapsulatedPixelData
from authoring.object.dataset import Dataset as _Dataset
from authoring.object.sequence import Sequence as _Sequence"""

_AMBIGUOUS = {
    "US or SS": "US",
    "US or SS or OW": "US",
    "OB or OW": "OB",
    "US or OW": "US",
}


def allows_several(vm: str) -> bool:
    """True when the VM string allows more than one value."""
    return any(m.maximum is None or m.maximum > 1 for m in parse_vm(vm)) if vm else False


def attribute_types(vr: str, vm: str, *, item_class: str | None = None,
                    may_be_empty: bool = True, always_tuple: bool = False) -> tuple[str, str]:
    """(read type, accepted type) of an attribute.

    ``item_class`` types a sequence's items; ``always_tuple`` (builders) reads several values
    as a tuple always, otherwise a single value reads as itself; ``may_be_empty`` adds
    ``None`` for types with no empty form.
    """
    if vr == "SQ":
        item = item_class or "_Dataset"
        return f"_Sequence[{item}]", f"_Iterable[{item}]"
    if vr == "US or OW":
        return "int | tuple[int, ...] | bytes", "int | _Iterable[int] | bytes"
    base_vr = _AMBIGUOUS.get(vr, vr)
    if base_vr == "OB" and vr == "OB or OW":
        return "bytes | _EncapsulatedPixelData", "bytes | bytearray | memoryview | " \
            "_EncapsulatedPixelData"
    read, accepted = VALUE_TYPES.get(base_vr, ("bytes", "bytes"))
    accepted_any = f"{accepted} | None"
    if allows_several(vm) and base_vr not in ("OB", "OD", "OF", "OL", "OV", "OW", "UN"):
        if always_tuple:
            read_type = f"tuple[{read}, ...]"
        else:
            read_type = f"{read} | tuple[{read}, ...]"
        accepted_any = f"{accepted} | _Iterable[{accepted}] | None"
        if may_be_empty and base_vr in _NO_EMPTY_FORM and not always_tuple:
            read_type += " | None"
        return read_type, accepted_any
    if may_be_empty and base_vr in _NO_EMPTY_FORM:
        return f"{read} | None", accepted_any
    return read, accepted_any


def used_type_imports(type_texts: Iterable[str]) -> str:
    """The lines of :data:`TYPE_IMPORTS` whose alias one of ``type_texts`` names."""
    words = set(re.findall(r"\w+", " ".join(type_texts)))
    groups = [
        [line for line in group.splitlines() if line.rsplit(" as ", 1)[-1] in words]
        for group in TYPE_IMPORTS.split("\n\n")
    ]
    return "\n\n".join("\n".join(group) for group in groups if group)
