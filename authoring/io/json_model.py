"""The DICOM JSON Model (PS3.18 Annex F.2): a data set as JSON-ready Python objects.

- each attribute is keyed by its tag as eight upper-case hex digits, in tag order;
- ``"vr"`` always, ``"Value"`` (a list) unless the element is empty;
- PN values are objects with ``Alphabetic``, ``Ideographic`` and ``Phonetic`` groups;
- AT values are eight-hex-digit strings; DS, IS and binary numbers are JSON numbers;
- byte data (OB, OD, OF, OL, OV, OW, UN) is ``InlineBinary`` base64 (little endian);
- sequences hold item objects; group length elements are left out (F.2.2).
"""

from __future__ import annotations

import base64
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from authoring.core.vr import VR_INFO, Kind
from authoring.object.dataset import DatasetBase
from authoring.object.element import DataElement


def _number(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)  # JSON has no NaN or infinity
        return float(value)
    if isinstance(value, int):
        return int(value)
    return value


def _person_name(value: str) -> dict[str, str]:
    groups = str(value).split("=")
    names = ("Alphabetic", "Ideographic", "Phonetic")
    return {name: group for name, group in zip(names, groups) if group}


def _values(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, tuple):
        return list(cast("tuple[Any, ...]", value))
    return [value]


#: Where byte data goes instead of InlineBinary: given the element and its bytes, a
#: BulkDataURI, or None to keep the bytes inline.
BulkDataWriter = Callable[[DataElement, bytes], "str | None"]


def element_to_json(element: DataElement, bulk_data: BulkDataWriter | None = None
                    ) -> dict[str, Any]:
    """One attribute's JSON object (byte data as a BulkDataURI where ``bulk_data`` gives
    one)."""
    vr = element.vr
    out: dict[str, Any] = {"vr": vr}
    value = element.value
    if vr == "SQ" or isinstance(value, list):
        out["vr"] = "SQ"
        if value:
            out["Value"] = [dataset_to_json(item, bulk_data)
                            for item in cast("list[DatasetBase]", value)]
        return out
    info = VR_INFO.get(vr)
    if info is None or info.kind is Kind.BYTES:
        data = element.raw if hasattr(value, "fragments") else value
        if isinstance(data, (bytes, bytearray)) and data:
            uri = bulk_data(element, bytes(data)) if bulk_data is not None else None
            if uri is not None:
                out["BulkDataURI"] = uri
            else:
                out["InlineBinary"] = base64.b64encode(bytes(data)).decode("ascii")
        return out
    items = _values(value)
    if not items:
        return out
    if vr == "PN":
        out["Value"] = [_person_name(v) if v else None for v in items]
    elif vr == "AT":
        out["Value"] = [f"{int(v):08X}" for v in items]
    elif info.kind in (Kind.NUMBER_TEXT, Kind.BINARY_NUMBER):
        out["Value"] = [_number(v) if not isinstance(v, str) else v for v in items]
    else:
        out["Value"] = [str.__str__(v) if isinstance(v, str) and v != "" else None
                        for v in items]
    return out


def dataset_to_json(dataset: DatasetBase, bulk_data: BulkDataWriter | None = None
                    ) -> dict[str, Any]:
    """The JSON object of a data set (file meta not included)."""
    out: dict[str, Any] = {}
    for element in dataset:
        if element.tag_number & 0xFFFF == 0:
            continue
        out[f"{element.tag_number:08X}"] = element_to_json(element, bulk_data)
    return out


def document_to_json(dataset: DatasetBase, bulk_data: BulkDataWriter | None = None
                     ) -> dict[str, Any]:
    """The JSON object of a data set as a document on its own: :func:`dataset_to_json`
    and, when its Pixel Data is encapsulated, the Transfer Syntax UID (0002,0010) that
    says how to decode it (without it a reader cannot tell the codec)."""
    out = dataset_to_json(dataset, bulk_data)
    pixels = dataset.get_element(0x7FE00010)
    if pixels is not None and hasattr(pixels.value, "fragments"):
        from authoring.io.encoder import target_syntax

        syntax = target_syntax(dataset, None)
        out = {"00020010": {"vr": "UI", "Value": [syntax.uid]}} | out
    return out


def bulk_files(path: Path, min_bytes: int | None) -> BulkDataWriter | None:
    """A BulkDataWriter putting byte values of at least ``min_bytes`` into files beside the
    document ``path`` (``NAME.bulk/1.bin`` ...), named by URIs relative to it; None (all
    inline) without ``min_bytes``."""
    from authoring.io.output import write_bytes

    if min_bytes is None:
        return None
    folder = path.with_name(path.name + ".bulk") if path.suffix == "" else \
        path.with_suffix(".bulk")
    count = 0

    def to_file(element: DataElement, data: bytes) -> str | None:
        nonlocal count
        if len(data) < min_bytes:
            return None
        count += 1
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes(folder / f"{count}.bin", data)
        return f"{folder.name}/{count}.bin"

    return to_file


def write_json(dataset: DatasetBase, target: str | os.PathLike[str], *,
               bulk_data_min_bytes: int | None = None) -> None:
    """Write ``dataset`` as a DICOM JSON document (atomically). With
    ``bulk_data_min_bytes``, byte values at least that long go to files beside it
    (``NAME.bulk/1.bin`` ...) referenced by BulkDataURIs relative to the document."""
    from authoring.io.output import write_bytes

    path = Path(target)
    document = document_to_json(dataset, bulk_files(path, bulk_data_min_bytes))
    write_bytes(path, (json.dumps(document, indent=1) + "\n").encode("utf-8"))
