"""SR content items (PS3.3 C.17.3) built from typed values: the item classes of the
Document Relationship macro, filled for one value type."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from authoring.core.code import Code, ContextGroup, as_code
from authoring.errors import InvalidValueError
from authoring.sr.values import Quantity, Reference, Scoord, Scoord3D, Tcoord

if TYPE_CHECKING:
    from authoring._generated.items.document_relationship_macro import (
        ContentSequenceItem,
    )
    from authoring._generated.items.image_reference_macro import (
        ReferencedSOPSequenceItem as ImageReference,
    )
    from authoring._generated.parts.code_sequence_macro import CodeSequenceMacro

#: What a content item's value may be, by value type.
Value = (str | Code | ContextGroup | datetime.date | datetime.time | datetime.datetime |
         Quantity | Reference | Scoord | Scoord3D | Tcoord)


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
    elif value_type == "NUM" and isinstance(value, Quantity):
        from authoring._generated.items.numeric_measurement_macro import (
            MeasuredValueSequenceItem,
        )

        item.MeasuredValueSequence = [MeasuredValueSequenceItem(
            NumericValue=value.value, MeasurementUnitsCodeSequence=[code_item(value.unit_code)])]
    elif value_type in ("IMAGE", "COMPOSITE") and isinstance(value, Reference):
        item.ReferencedSOPSequence = [_reference(value, value_type)]
    elif value_type == "WAVEFORM" and isinstance(value, Reference):
        item.ReferencedSOPSequence = [_waveform_reference(value)]
    elif value_type == "TCOORD" and isinstance(value, Tcoord):
        item.set_value("TemporalRangeType", value.range_type)
        if value.sample_positions:
            item.set_value("ReferencedSamplePositions", list(value.sample_positions))
        elif value.time_offsets:
            item.set_value("ReferencedTimeOffsets", list(value.time_offsets))
        else:
            item.set_value("ReferencedDateTime", list(value.datetimes))
    elif value_type == "SCOORD" and isinstance(value, Scoord):
        item.GraphicType = value.graphic_type
        item.GraphicData = list(value.points)
    elif value_type == "SCOORD3D" and isinstance(value, Scoord3D):
        item.GraphicType = value.graphic_type
        item.GraphicData = list(value.points)
        item.ReferencedFrameOfReferenceUID = value.frame_of_reference_uid
    elif value_type == "DATETIME" and isinstance(value, datetime.datetime):
        item.DateTime = value
    elif value_type == "DATE" and isinstance(value, datetime.date):
        item.Date = value
    elif value_type == "TIME" and isinstance(value, datetime.time):
        item.Time = value
    else:
        raise InvalidValueError(f"no {value_type} content item from {value!r}")
    return item


def _reference(value: Reference, value_type: str) -> ImageReference:
    """A Referenced SOP Sequence item: the instance, and for an IMAGE its frames or
    segments (a COMPOSITE item references the whole instance)."""
    from authoring._generated.items.image_reference_macro import (
        ReferencedSOPSequenceItem,
    )

    entry = ReferencedSOPSequenceItem(ReferencedSOPClassUID=value.sop_class_uid,
                                      ReferencedSOPInstanceUID=value.sop_instance_uid)
    if value.channels:
        raise InvalidValueError("waveform channels belong to a WAVEFORM item")
    if value_type == "COMPOSITE" and (value.frames or value.segments):
        raise InvalidValueError("a COMPOSITE item references a whole instance: no frames or "
                                "segments (use an IMAGE item)")
    if value.frames:
        entry.ReferencedFrameNumber = list(value.frames)
    if value.segments:
        entry.ReferencedSegmentNumber = list(value.segments)
    return entry


def _waveform_reference(value: Reference) -> ImageReference:
    """A Referenced SOP Sequence item of a WAVEFORM item (PS3.3 C.18.5): the waveform and
    the channels it selects (all of them when none are given)."""
    from authoring._generated.items.image_reference_macro import (
        ReferencedSOPSequenceItem,
    )

    if value.frames or value.segments:
        raise InvalidValueError("a WAVEFORM item references channels, not frames or segments")
    entry = ReferencedSOPSequenceItem(ReferencedSOPClassUID=value.sop_class_uid,
                                      ReferencedSOPInstanceUID=value.sop_instance_uid)
    if value.channels:
        entry.set_value("ReferencedWaveformChannels", list(value.channels))
    return entry
