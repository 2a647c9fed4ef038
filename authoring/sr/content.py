"""SR content items (PS3.3 C.17.3) built from typed values: the item classes of the
Document Relationship macro, filled for one value type."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from authoring.core.code import Code, ContextGroup, as_code
from authoring.errors import InvalidValueError

if TYPE_CHECKING:
    from authoring._generated.items.document_relationship_macro import (
        ContentSequenceItem,
    )
    from authoring._generated.parts.code_sequence_macro import CodeSequenceMacro

#: What a content item's value may be, by value type.
Value = str | Code | ContextGroup | datetime.date | datetime.time | datetime.datetime


def code_item(concept: Code | ContextGroup) -> CodeSequenceMacro:
    """A Code Sequence Macro item (Code Value, Coding Scheme Designator, Code Meaning)."""
    from authoring._generated.parts.code_sequence_macro import CodeSequenceMacro

    code = as_code(concept)
    item = CodeSequenceMacro(CodeValue=code.value, CodingSchemeDesignator=code.scheme,
                             CodeMeaning=code.meaning)
    if code.scheme_version:
        item.CodingSchemeVersion = code.scheme_version
    return item


def content_item(relationship: str | None, value_type: str, concept: Code | None,
                 value: Value | None = None) -> ContentSequenceItem:
    """One content item. ``value`` is the item's value for its type: text for TEXT, a name
    for PNAME, a UID for UIDREF, a code for CODE, a date, time or datetime; a CONTAINER takes
    none (its children are added to its Content Sequence), and is SEPARATE."""
    from authoring._generated.items.document_relationship_macro import (
        ContentSequenceItem,
    )

    item = ContentSequenceItem(RelationshipType=relationship or "CONTAINS")
    item.ValueType = value_type  # type: ignore[assignment]  # checked below, by type
    if concept is not None:
        item.ConceptNameCodeSequence = [code_item(concept)]
    if value_type == "CONTAINER":
        item.ContinuityOfContent = "SEPARATE"
        return item
    if value is None:
        raise InvalidValueError(f"a {value_type} content item needs a value")
    if value_type in ("TEXT", "PNAME", "UIDREF"):
        if not isinstance(value, str):
            raise InvalidValueError(f"a {value_type} value is text, got {value!r}")
        if value_type == "TEXT":
            item.TextValue = value
        elif value_type == "PNAME":
            item.PersonName = value
        else:
            item.UID = value
    elif value_type == "CODE":
        if not isinstance(value, (Code, ContextGroup)):
            raise InvalidValueError(f"a CODE value is a code, got {value!r}")
        item.ConceptCodeSequence = [code_item(value)]
    elif value_type == "DATETIME" and isinstance(value, datetime.datetime):
        item.DateTime = value
    elif value_type == "DATE" and isinstance(value, datetime.date):
        item.Date = value
    elif value_type == "TIME" and isinstance(value, datetime.time):
        item.Time = value
    else:
        raise InvalidValueError(f"no {value_type} content item from {value!r}")
    return item
