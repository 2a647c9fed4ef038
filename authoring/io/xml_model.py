"""The Native DICOM Model (PS3.19 Annex A): a data set as XML, both ways.

Written from the DICOM JSON model of :mod:`authoring.io.json_model` (same BulkDataURI and
Transfer Syntax rules), read into it and then through :mod:`authoring.io.json_reader`, so
that both encodings share one set of value rules:

- ``<NativeDicomModel>`` holds ``<DicomAttribute tag= vr= keyword=>`` elements;
- ``<Value number=>`` per value; ``<PersonName number=>`` with ``<Alphabetic>``,
  ``<Ideographic>``, ``<Phonetic>`` groups of ``<FamilyName>``, ``<GivenName>``,
  ``<MiddleName>``, ``<NamePrefix>``, ``<NameSuffix>``; ``<Item number=>`` per sequence
  item; ``<InlineBinary>`` (base64) or ``<BulkData uri=>`` for byte data.

A document with a DTD is refused (no entity expansion on untrusted input).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from xml.etree import ElementTree

from authoring.errors import ReadError

if TYPE_CHECKING:
    from authoring.object.dataset import Dataset
    from authoring.io.json_model import BulkDataWriter
    from authoring.io.json_reader import BulkDataReader
    from authoring.object.dataset import DatasetBase

COMPONENTS = ("FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix")
GROUPS = ("Alphabetic", "Ideographic", "Phonetic")


def _keyword(tag: int) -> str:
    from authoring.dictionary.elements import element_info

    info = element_info(tag)
    return info.keyword if info is not None else ""


#: a carriage return stands in text as this private-use character until serialised,
#: then as the character reference XML keeps (a literal one is read as a line feed)
_CARRIAGE_RETURN = "\ue00d"
_FORBIDDEN = {chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}


def _xml_text(text: str, tag: int) -> str:
    """``text`` ready for an XML 1.0 text node; characters XML cannot carry at all (C0
    controls but tab, line feed and carriage return) are a WriteError naming the tag."""
    from authoring.errors import WriteError

    if _CARRIAGE_RETURN in text or any(c in _FORBIDDEN for c in text):
        raise WriteError("the value holds a character XML 1.0 cannot represent", tag=tag)
    return text.replace("\r", _CARRIAGE_RETURN)


def _creators(body: dict[str, Any]) -> dict[tuple[int, int], str]:
    """(group, block) -> private creator, of the creator elements (gggg,0010-00FF)."""
    found: dict[tuple[int, int], str] = {}
    for key, element in body.items():
        tag = int(key, 16)
        group, number = tag >> 16, tag & 0xFFFF
        values: list[Any] = list(cast("dict[str, Any]", element).get("Value") or [])
        if group % 2 and 0x10 <= number <= 0xFF and values and isinstance(values[0], str):
            found[(group, number)] = str(values[0]).strip()
    return found


def _person_name(node: ElementTree.Element, number: int, value: Any, tag: int) -> None:
    name = ElementTree.SubElement(node, "PersonName", {"number": str(number)})
    groups = cast("dict[str, Any]", value or {})
    for group_name in GROUPS:
        text = groups.get(group_name)
        if text is None or text == "":
            continue
        holder = ElementTree.SubElement(name, group_name)
        # every component up to the last one written, empty ones too, so that "Doe^^^^"
        # comes back as it was
        for component, part in zip(COMPONENTS, str(text).split("^"), strict=False):
            ElementTree.SubElement(holder, component).text = _xml_text(part, tag) or None


def _attributes(parent: ElementTree.Element, body: dict[str, Any]) -> None:
    creators = _creators(body)
    for key, value_of in body.items():
        element = cast("dict[str, Any]", value_of)
        vr = str(element["vr"])
        tag = int(key, 16)
        group, number = tag >> 16, tag & 0xFFFF
        creator = creators.get((group, number >> 8)) if group % 2 and number > 0xFF \
            else None
        if creator is not None:  # PS3.19 A.1: gggg00ee and the creator, not the block
            node = ElementTree.SubElement(parent, "DicomAttribute", {
                "tag": f"{group:04X}00{number & 0xFF:02X}", "vr": vr,
                "privateCreator": creator})
        else:
            node = ElementTree.SubElement(parent, "DicomAttribute", {"tag": key, "vr": vr})
            keyword = _keyword(tag)
            if keyword:
                node.set("keyword", keyword)
        if "InlineBinary" in element:
            ElementTree.SubElement(node, "InlineBinary").text = str(element["InlineBinary"])
            continue
        if "BulkDataURI" in element:
            ElementTree.SubElement(node, "BulkData", {"uri": str(element["BulkDataURI"])})
            continue
        values: list[Any] = list(element.get("Value") or [])
        for position, value in enumerate(values, start=1):
            if vr == "SQ":
                item = ElementTree.SubElement(node, "Item", {"number": str(position)})
                _attributes(item, cast("dict[str, Any]", value))
            elif vr == "PN":
                _person_name(node, position, value, tag)
            else:
                child = ElementTree.SubElement(node, "Value", {"number": str(position)})
                if value is not None:
                    child.text = _xml_text(value, tag) if isinstance(value, str) else \
                        repr(value) if isinstance(value, float) else str(value)


def dataset_to_xml(dataset: DatasetBase, bulk_data: BulkDataWriter | None = None) -> bytes:
    """The Native DICOM Model document of ``dataset`` (UTF-8)."""
    from authoring.io.json_model import document_to_json

    root = ElementTree.Element("NativeDicomModel")
    root.set("xml:space", "preserve")
    _attributes(root, document_to_json(dataset, bulk_data))
    ElementTree.indent(root, space=" ")
    text: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return (text + b"\n").replace(_CARRIAGE_RETURN.encode("utf-8"), b"&#13;")


def write_xml(dataset: DatasetBase, target: str | os.PathLike[str], *,
              bulk_data_min_bytes: int | None = None) -> None:
    """Write ``dataset`` as a Native DICOM Model document (atomically); byte values of at
    least ``bulk_data_min_bytes`` go to files beside it, as :func:`~authoring.io.
    json_model.write_json` does."""
    from authoring.io.json_model import bulk_files
    from authoring.io.output import write_bytes

    path = Path(target)
    write_bytes(path, dataset_to_xml(dataset, bulk_files(path, bulk_data_min_bytes)))


def _text(node: ElementTree.Element) -> str:
    return node.text or ""


def _to_json(parent: ElementTree.Element, path: str | None) -> dict[str, Any]:
    """The JSON model of the attributes under ``parent``."""
    body: dict[str, Any] = {}
    for node in parent:
        if node.tag != "DicomAttribute":
            raise ReadError(f"unexpected <{node.tag}> where attributes are", path=path)
        key = node.get("tag", "")
        vr = node.get("vr", "")
        if len(key) != 8 or not vr:
            raise ReadError(f"a DicomAttribute needs tag= and vr= (got {key!r}, {vr!r})",
                            path=path)
        entry: dict[str, Any] = {"vr": vr}
        values: list[tuple[int, Any]] = []
        for child in node:
            number = int(child.get("number", "0") or 0) if child.tag != "InlineBinary" \
                and child.tag != "BulkData" else 0
            if child.tag == "Value":
                values.append((number, _text(child) if child.text is not None else None))
            elif child.tag == "PersonName":
                groups: dict[str, str] = {}
                for group in child:
                    parts = {part.tag: _text(part) for part in group}
                    last = max((COMPONENTS.index(name) for name in parts
                                if name in COMPONENTS), default=-1)
                    groups[group.tag] = "^".join(parts.get(name, "")
                                                 for name in COMPONENTS[:last + 1])
                values.append((number, groups))
            elif child.tag == "Item":
                values.append((number, _to_json(child, path)))
            elif child.tag == "InlineBinary":
                entry["InlineBinary"] = "".join(_text(child).split())
            elif child.tag == "BulkData":
                uri = child.get("uri") or (f"uuid:{child.get('uuid')}"
                                           if child.get("uuid") else "")
                entry["BulkDataURI"] = uri
            else:
                raise ReadError(f"unexpected <{child.tag}> in attribute {key}", path=path)
        if values:
            entry["Value"] = [value for _, value in sorted(values, key=lambda pair: pair[0])]
        creator = node.get("privateCreator")
        if creator is not None:
            key = _private_key(body, key, creator.strip(), path)
        body[key] = entry
    return body


def _private_key(body: dict[str, Any], key: str, creator: str, path: str | None) -> str:
    """The real tag of a private attribute written as gggg00ee with its creator: the
    block the creator holds in this data set (reserving the first free one if none)."""
    group, element = int(key[:4], 16), int(key[4:], 16) & 0xFF
    if group % 2 == 0:
        raise ReadError(f"privateCreator on a standard tag {key}", path=path)
    free = None
    for block in range(0x10, 0x100):
        holder = body.get(f"{group:04X}{block:04X}")
        if holder is None:
            free = block if free is None else free
            continue
        values: list[Any] = list(cast("dict[str, Any]", holder).get("Value") or [])
        if values and str(values[0]).strip() == creator:
            return f"{group:04X}{block:02X}{element:02X}"
    if free is None:
        raise ReadError(f"no private block left in group {group:04X}", path=path)
    body[f"{group:04X}{free:04X}"] = {"vr": "LO", "Value": [creator]}
    return f"{group:04X}{free:02X}{element:02X}"


def read_xml(source: str | os.PathLike[str] | bytes, *,
             bulk_data: BulkDataReader | None = None,
             transfer_syntax: str | None = None,
             dataset_class: type[Dataset] | None = None) -> Dataset:
    """The data set of a Native DICOM Model document (a path, or its bytes); bulk data
    and transfer syntax as :func:`~authoring.io.json_reader.read_json` takes them."""
    import json

    from authoring.io.json_reader import read_json

    path: str | None = None
    if isinstance(source, bytes):
        data = source
    else:
        path = os.fspath(source)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ReadError(exc.strerror or str(exc), path=path) from None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ReadError("a document type declaration is refused (no entities in untrusted "
                        "input)", path=path)
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError, RecursionError) as exc:
        raise ReadError(f"not XML: {exc}", path=path) from None
    if root.tag.rsplit("}", 1)[-1] != "NativeDicomModel":
        raise ReadError(f"the root is <{root.tag}>, not <NativeDicomModel>", path=path)
    for node in root.iter():  # a namespace (+Xn of dcm2xml) is dropped
        node.tag = node.tag.rsplit("}", 1)[-1]
    try:
        body = _to_json(root, path)
    except RecursionError:
        raise ReadError("nested too deeply", path=path) from None
    except ValueError as exc:
        raise ReadError(f"malformed: {exc}", path=path) from None
    document = json.dumps(body).encode()
    if path is not None:
        folder = Path(path).parent
        if bulk_data is None:
            def from_folder(uri: str) -> bytes:
                from authoring.io.json_reader import read_relative

                return read_relative(uri, folder, path)

            bulk_data = from_folder
    try:
        [dataset] = read_json(document, bulk_data=bulk_data, transfer_syntax=transfer_syntax,
                              dataset_class=dataset_class)
    except ReadError as exc:
        raise ReadError(exc.reason, path=path, tag=exc.tag) from None
    return dataset
