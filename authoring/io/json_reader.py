"""Read the DICOM JSON Model (PS3.18 Annex F.2): one data set (a JSON object) or the array
of them a DICOMweb service returns, into data sets (of ``dataset_class``: the data model's
``Dataset`` here; ``authoring.read`` asks for :class:`authoring.Dataset`).

- attributes are keyed by eight hex digits; ``"vr"`` gives the VR;
- ``"Value"`` holds the values (PN as ``Alphabetic`` / ``Ideographic`` / ``Phonetic``
  groups, AT as eight hex digits, SQ as item objects; ``null`` is an empty value);
- byte data comes ``"InlineBinary"`` (base64) or as a ``"BulkDataURI"``, which a
  ``bulk_data`` callback resolves, or which names a file (``file:`` URI, or a path relative
  to the JSON document's folder);
- File Meta Information attributes (group 0002), where present, go to ``file_meta``.

Malformed input raises :class:`~authoring.errors.ReadError` naming the file and the tag.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urlparse

from authoring.core.vr import VR_INFO, Kind
from authoring.errors import ReadError

if TYPE_CHECKING:
    from authoring.object.dataset import Dataset

#: What resolves a BulkDataURI to its bytes.
BulkDataReader = Callable[[str], bytes]
_NUMBERS = {"US", "SS", "UL", "SL", "UV", "SV", "FL", "FD"}
#: deeper than any real data set nests; a hostile document stops here
MAX_DEPTH = 64


class _Context:
    def __init__(self, path: str | None, folder: Path | None,
                 bulk_data: BulkDataReader | None, transfer_syntax: str | None = None,
                 dataset_class: type[Dataset] | None = None) -> None:
        from authoring.object.dataset import Dataset as ModelDataset

        self.path = path
        self.folder = folder
        self.bulk_data = bulk_data
        self.transfer_syntax = transfer_syntax
        self.dataset_class: type[Dataset] = dataset_class or ModelDataset

    def error(self, message: str, tag: int | None = None) -> ReadError:
        return ReadError(message, path=self.path, tag=tag)


def _decimal(value: Any) -> str:
    """A DS value from a JSON number (or the text a producer sent)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(value)
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    if not math.isfinite(value):
        raise ValueError(value)
    text = repr(value)
    return text if len(text) <= 16 else f"{value:.10g}"


def _person_name(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    groups = cast("dict[str, Any]", value)
    parts = [str(groups.get(name) or "") for name in ("Alphabetic", "Ideographic",
                                                       "Phonetic")]
    while parts and not parts[-1]:
        parts.pop()
    return "=".join(parts)


def read_relative(uri: str, folder: Path | None, path: str | None = None) -> bytes:
    """The bytes a ``file:`` URI or a path (relative to ``folder``, the document's) names;
    a ReadError for any other scheme or an unreadable file."""
    parsed = urlparse(uri)
    if parsed.scheme not in ("", "file"):
        raise ReadError(f"BulkDataURI {uri!r}: no bulk_data reader for {parsed.scheme}: "
                        "URIs (pass bulk_data=)", path=path)
    location = Path(unquote(parsed.path))
    if not location.is_absolute():
        if folder is None:
            raise ReadError(f"BulkDataURI {uri!r} is relative and the document has no "
                            "folder", path=path)
        location = folder / location
    try:
        return location.read_bytes()
    except OSError as exc:
        raise ReadError(f"BulkDataURI {uri!r}: {exc.strerror or exc}", path=path) from None


def _bulk(uri: str, context: _Context, tag: int) -> bytes:
    if context.bulk_data is not None:
        return context.bulk_data(uri)
    try:
        return read_relative(uri, context.folder, context.path)
    except ReadError as exc:
        raise context.error(exc.reason, tag) from None


def _element(tag: int, body: Any, context: _Context, depth: int) -> tuple[str, Any]:
    """(VR, value) of one attribute's JSON object."""
    if not isinstance(body, dict):
        raise context.error("an attribute is an object with a \"vr\"", tag)
    fields = cast("dict[str, Any]", body)
    if not isinstance(fields.get("vr"), str):
        raise context.error("an attribute is an object with a \"vr\"", tag)
    vr = str(fields["vr"])
    info = VR_INFO.get(vr)
    if info is None:
        raise context.error(f"unknown VR {vr!r}", tag)
    if "InlineBinary" in fields or "BulkDataURI" in fields:
        if "InlineBinary" in fields:
            try:
                data = base64.b64decode(str(fields["InlineBinary"]), validate=True)
            except (binascii.Error, ValueError):
                raise context.error("InlineBinary is not base64", tag) from None
        else:
            data = _bulk(str(fields["BulkDataURI"]), context, tag)
        return vr, data
    values = fields.get("Value")
    if values is None:
        if vr == "SQ":
            return vr, []
        if info.kind is Kind.BYTES:
            return vr, b""
        return vr, None if vr in _NUMBERS or vr == "AT" else ""
    if not isinstance(values, list):
        raise context.error("\"Value\" is an array", tag)
    items = cast("list[Any]", values)
    try:
        if vr == "SQ":
            if depth >= MAX_DEPTH:
                raise context.error(f"sequences nest deeper than {MAX_DEPTH}", tag)
            return vr, [_dataset(item, context, depth + 1) for item in items]
        if vr == "PN":
            converted: list[Any] = [_person_name(v) for v in items]
        elif vr == "AT":
            from authoring.core.tag import Tag

            converted = [Tag(int(str(v), 16)) for v in items]
        elif vr == "DS":
            converted = [_decimal(v) if v is not None else "" for v in items]
        elif vr == "IS":
            converted = [str(int(v)) if isinstance(v, (int, float)) and not isinstance(
                v, bool) else str(v) if v is not None else "" for v in items]
        elif vr == "FL":  # 32-bit: the value a reader of the binary form sees
            converted = [struct.unpack("<f", struct.pack("<f", float(v)))[0] for v in items]
        elif vr in _NUMBERS:
            converted = [float(v) if vr == "FD" else int(v) for v in items]
        elif info.kind is Kind.BYTES:
            raise context.error(f"a {vr} value comes as InlineBinary or BulkDataURI", tag)
        else:
            converted = ["" if v is None else str(v) for v in items]
    except (TypeError, ValueError):
        raise context.error(f"a value does not fit VR {vr}", tag) from None
    return vr, converted[0] if len(converted) == 1 else tuple(converted)


def _set(dataset: Dataset, tag: int, vr: str, value: Any) -> None:
    """Set the element; text a VR's rules reject (an IS of "1A") is kept as it came, as
    the binary reader keeps it, for the writer's validation to report."""
    from authoring.errors import ValueEncodingError, ValueTypeError
    from authoring.object.element import DataElement

    try:
        dataset.set_value(tag, value, vr)
    except (ValueEncodingError, ValueTypeError) as exc:
        texts: tuple[Any, ...] = cast("tuple[Any, ...]", value) \
            if isinstance(value, tuple) else (value,)
        if not all(isinstance(text, str) for text in texts):
            raise ReadError(f"a value does not fit VR {vr}: {exc.reason}", tag=tag) from None
        dataset.add(DataElement.from_value(tag, vr, value))
    except (TypeError, ValueError) as exc:
        raise ReadError(f"a value does not fit VR {vr}: {exc}", tag=tag) from None


def _dataset(body: Any, context: _Context, depth: int = 0) -> Dataset:
    Dataset = context.dataset_class  # noqa: N806  # the class asked for

    if not isinstance(body, dict):
        raise context.error("a data set is a JSON object keyed by tags")
    dataset = Dataset()
    meta: list[tuple[int, str, Any]] = []
    for key, element in cast("dict[str, Any]", body).items():  # set in the order given
        try:
            tag = int(key, 16)
            if len(key) != 8:
                raise ValueError(key)
        except ValueError:
            raise context.error(f"{key!r} is not a tag of eight hex digits") from None
        vr, value = _element(tag, element, context, depth)
        if tag >> 16 == 0x0002 and depth == 0:
            meta.append((tag, vr, value))
            continue
        try:
            _set(dataset, tag, vr, value)
        except ReadError as exc:
            raise context.error(exc.reason, tag) from None
    if meta:
        file_meta = Dataset()
        for tag, vr, value in meta:
            file_meta.set_value(tag, value, vr)
        dataset.file_meta = file_meta
    if depth == 0:
        _encapsulate(dataset, context)
    return dataset


def _encapsulate(dataset: Dataset, context: _Context) -> None:
    """Pixel Data in an encapsulated syntax (named by (0002,0010)) becomes its items; an
    item stream with no syntax named is refused, never written as native pixels."""
    from authoring.core.transfer_syntax import transfer_syntax
    from authoring.encoding.encapsulated import parse_items

    element = dataset.get_element(0x7FE00010)
    if element is None or not isinstance(element.value, (bytes, bytearray)):
        return
    data = bytes(element.value)
    uid = str(dataset.file_meta.get(0x00020010) or "") if dataset.file_meta is not None \
        else ""
    if not uid and context.transfer_syntax:
        uid = context.transfer_syntax
        if dataset.file_meta is None:
            dataset.file_meta = context.dataset_class()
        dataset.file_meta.set_value(0x00020010, uid, "UI")
    looks_encapsulated = data[:4] == b"\xfe\xff\x00\xe0"
    if not uid:
        if looks_encapsulated:
            raise context.error("Pixel Data is encapsulated (an item stream) but the "
                                "document names no Transfer Syntax UID (0002,0010) to "
                                "decode it with", 0x7FE00010)
        return
    try:
        syntax = transfer_syntax(uid)
    except (KeyError, ValueError):
        raise context.error(f"unknown Transfer Syntax UID {uid}", 0x00020010) from None
    dataset.read_transfer_syntax = syntax  # the pixels are encoded as it says
    if syntax.encapsulated:
        from authoring.object.element import DataElement

        dataset.add(DataElement(0x7FE00010, "OB", parse_items(data), undefined_length=True))


def read_json(source: str | os.PathLike[str] | bytes, *,
              bulk_data: BulkDataReader | None = None,
              transfer_syntax: str | None = None,
              dataset_class: type[Dataset] | None = None) -> list[Dataset]:
    """The data sets of a DICOM JSON document (a path, or its bytes): one for an object,
    each of an array. ``bulk_data`` resolves BulkDataURIs (else ``file:`` URIs and paths
    relative to the document's folder are read). ``transfer_syntax`` names the encoding of
    encapsulated Pixel Data where the document does not (DICOMweb metadata leaves it to
    the bulk data's media type). ``dataset_class``: the class of the data sets made."""
    path: str | None = None
    folder: Path | None = None
    if isinstance(source, bytes):
        text = source
    else:
        path = os.fspath(source)
        folder = Path(path).parent
        try:
            text = Path(path).read_bytes()
        except OSError as exc:
            raise ReadError(exc.strerror or str(exc), path=path) from None
    if transfer_syntax is not None:
        from authoring.core.transfer_syntax import transfer_syntax as resolve

        transfer_syntax = resolve(transfer_syntax).uid
    context = _Context(path, folder, bulk_data, transfer_syntax, dataset_class)
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ReadError(f"not JSON: {exc}", path=path) from None
    bodies = cast("list[Any]", document) if isinstance(document, list) else [document]
    try:
        return [_dataset(body, context) for body in bodies]
    except RecursionError:
        raise ReadError("nested too deeply", path=path) from None


def is_json_path(source: object) -> bool:
    """Whether ``source`` is a path whose name ends in ``.json``."""
    return isinstance(source, (str, os.PathLike)) and \
        os.fspath(cast("str", source)).lower().endswith(".json")


def is_xml_path(source: object) -> bool:
    """Whether ``source`` is a path whose name ends in ``.xml``."""
    return isinstance(source, (str, os.PathLike)) and \
        os.fspath(cast("str", source)).lower().endswith(".xml")
