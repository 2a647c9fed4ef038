"""Human-readable text for elements and data sets (``repr`` and ``authoring dump``).

One line per element: tag, VR, value length (``u/l`` for undefined), keyword or name, value.
Items of sequences are indented under their element. Values are shown with ``repr`` so that
control characters and quotes in a hostile file cannot forge lines of the dump.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from authoring.core.tag import Tag
from authoring.core.uid import UID
from authoring.object.sequence import items_of

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase
    from authoring.object.element import DataElement

MAX_TEXT = 64
MAX_VALUES = 8


def _one(value: Any) -> str:
    if isinstance(value, UID):
        text = repr(str(value))
        name = value.name
        return f"{text} ({name})" if name != value else text
    if isinstance(value, str):
        plain = str.__str__(value)
        if len(plain) > MAX_TEXT:
            return repr(plain[:MAX_TEXT]) + f"... ({len(plain)} characters)"
        return repr(plain)
    if isinstance(value, float):
        return repr(value) if type(value) is float else str(value)
    if value is None:
        return "(empty)"
    return str(value)


def summarize_value(element: DataElement) -> str:
    """A one-line description of an element's value."""
    try:
        value = element.value
    except Exception as exc:  # a dump must show broken values, not stop at them
        return f"<cannot decode: {exc}>"
    items = items_of(value)
    if element.vr == "SQ" or items:
        count = len(items)
        return f"{count} item{'s' if count != 1 else ''}"
    if hasattr(value, "fragments"):
        fragments = len(value.fragments)
        table = len(value.offset_table) // 4
        return f"encapsulated: {fragments} fragment{'s' if fragments != 1 else ''}, " \
               f"offset table of {table}"
    if isinstance(value, (bytes, bytearray)):
        preview = bytes(value[:16]).hex(" ")
        more = " ..." if len(value) > 16 else ""
        return f"<{len(value)} bytes> {preview}{more}".rstrip()
    if hasattr(value, "tobytes"):
        return f"<array {getattr(value, 'shape', '?')} {getattr(value, 'dtype', '')}>"
    if isinstance(value, tuple):
        several = cast("tuple[Any, ...]", value)
        shown = "\\".join(_one(v) for v in several[:MAX_VALUES])
        if len(several) > MAX_VALUES:
            shown += f"\\... ({len(several)} values)"
        return shown
    if value == "" and element.vr != "SQ":
        return "(empty)"
    return _one(value)


def length_text(element: DataElement) -> str:
    """The value length column: bytes as found, ``u/l`` for undefined length, ``-`` when the
    value was set in code and is not encoded yet."""
    if element.undefined_length:
        return "u/l"
    length = element.raw_length
    return "-" if length is None else str(length)


def element_label(element: DataElement) -> str:
    """Keyword, or ``[Private Name]``, or the tag's name."""
    keyword = element.keyword
    if keyword:
        return keyword
    return element.name


def dump_lines(dataset: DatasetBase, indent: int = 0, *, max_depth: int = 64) -> Iterator[str]:
    """Lines describing ``dataset`` (and its items, indented)."""
    pad = "  " * indent
    for element in dataset:
        if element.private_creator is None and element.is_private:
            element.private_creator = dataset.private_creator_of(element.tag_number)
        yield (f"{pad}{Tag(element.tag_number)} {element.vr:<2} {length_text(element):>6}  "
               f"{element_label(element)}: {summarize_value(element)}")
        value = element.value if element.vr in ("SQ", "UN") else None
        items = items_of(value)
        if isinstance(value, list):
            if indent // 2 >= max_depth:
                yield f"{pad}  ... (nesting deeper than {max_depth} not shown)"
                continue
            for number, item in enumerate(items, start=1):
                form = {True: "u/l", False: "defined length", None: ""}[item.item_undefined_length]
                yield f"{pad}  item {number}" + (f" ({form})" if form else "")
                yield from dump_lines(item, indent + 2, max_depth=max_depth)


def dump_text(dataset: DatasetBase) -> str:
    """The whole dump of a data set (file meta first, when present)."""
    lines: list[str] = []
    if dataset.file_meta is not None and len(dataset.file_meta):
        lines.append("# File Meta Information")
        lines.extend(dump_lines(dataset.file_meta))
        lines.append("# Data Set")
    lines.extend(dump_lines(dataset))
    return "\n".join(lines)
