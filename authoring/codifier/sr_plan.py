"""Codify an SR document with the compiled template builders: when the document's root names
a template we compile (TID 1500, TID 2000) and the template's view of the document, filled
into a copy, encodes to exactly the original bytes, the typed script builds the content tree
as ``MeasurementReport(...)`` and ``report.fill(ds)`` instead of item by item."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from authoring.codifier.model import Call, Expression, Items, Member, Value
from authoring.object.dataset import DatasetBase

_CID = re.compile(r"^CID\d+$")


@dataclass(frozen=True)
class TemplatePlan:
    """The content tree as one template builder expression, and the root elements it
    makes (which the script does not assign itself)."""

    class_name: str
    tid: int
    expression: Expression
    tags: frozenset[int]


def template_plan(dataset: DatasetBase, write_options: dict[str, Any]) -> TemplatePlan | None:
    """The plan for ``dataset``'s content tree, or None: no compiled root template, a tree
    the template does not read back whole, or values without an exact expression."""
    from authoring.io.writer import to_bytes
    from authoring.sr.conformance import compiled_template, declared_template

    tid = declared_template(dataset)
    template = compiled_template(tid) if tid else None
    if template is None or not template.ROOT:
        return None
    try:
        view = template.view(dataset)
        made = view.to_content()
        if len(made) != 1:
            return None
        tags = frozenset(e.tag_number for e in made[0] if e.keyword != "RelationshipType")
        twin = dataset.copy()
        for tag in (*tags, *(e.tag_number for e in dataset
                             if e.keyword in ("ContentSequence", "ContentTemplateSequence"))):
            if tag in twin:
                del twin[tag]
        view.fill(twin)
        if to_bytes(twin, **write_options) != to_bytes(dataset, **write_options):
            return None
        expression = _expression(view)
    except Exception:  # noqa: BLE001 - any failure means: codify item by item instead
        return None
    return TemplatePlan(type(view).__name__, template.TID, expression, tags)


def declared_compiled(dataset: DatasetBase) -> int | None:
    """The TID of the compiled root template ``dataset`` names, or None."""
    from authoring.sr.conformance import compiled_template, declared_template

    tid = declared_template(dataset)
    template = compiled_template(tid) if tid else None
    return int(template.TID) if template is not None and template.ROOT else None


def _expression(value: object) -> Expression:
    """The source expression that makes ``value`` (a view's value) again."""
    from authoring.core.code import Code, ContextGroup
    from authoring.sr.template import TemplateBuilder
    from authoring.sr.values import Named, Quantity, Reference, Scoord, Scoord3D, Tcoord

    if isinstance(value, TemplateBuilder):
        order = [row.argument for row in type(value).ROWS if row.argument]
        keywords = tuple((name, _expression(value.values[name])) for name in order
                         if name in value.values)
        return Call(type(value).__name__, (), keywords)
    if isinstance(value, ContextGroup):
        group = type(value).__name__
        if not _CID.match(group) or not value.name.isidentifier():
            raise ValueError(f"no expression for {value!r}")
        return Member(group, value.name)
    if isinstance(value, Code):
        args: list[Expression] = [Value(value.value), Value(value.scheme), Value(value.meaning)]
        if value.scheme_version:
            args.append(Value(value.scheme_version))
        return Call("Code", tuple(args))
    if isinstance(value, Named):
        named = cast("Named[Any, Any]", value)
        return Call("Named", (_expression(named.concept), _expression(named.value)))
    if isinstance(value, Quantity):
        return Call("Quantity", (Value(str(value.value)), _expression(value.unit_code)))
    if isinstance(value, Reference):
        selection: list[tuple[str, Expression]] = []
        if value.frames:
            selection.append(("frames", Value(tuple(value.frames))))
        if value.segments:
            selection.append(("segments", Value(tuple(value.segments))))
        if value.channels:
            selection.append(("channels", Value(tuple(value.channels))))
        return Call("Reference", (Value(value.sop_class_uid), Value(value.sop_instance_uid)),
                    tuple(selection))
    if isinstance(value, Scoord):
        return Call("Scoord", (Value(value.graphic_type), Value(tuple(value.points))))
    if isinstance(value, Scoord3D):
        return Call("Scoord3D", (Value(value.graphic_type), Value(tuple(value.points)),
                                 Value(value.frame_of_reference_uid)))
    if isinstance(value, Tcoord):
        times = (("sample_positions", value.sample_positions) if value.sample_positions else
                 ("time_offsets", value.time_offsets) if value.time_offsets else
                 ("datetimes", value.datetimes))
        return Call("Tcoord", (Value(value.range_type),),
                    ((times[0], Value(tuple(times[1]))),))
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None or value.microsecond:
            raise ValueError("offsets and fractions are codified item by item")
        return Call("datetime", tuple(Value(v) for v in (
            value.year, value.month, value.day, value.hour, value.minute, value.second)))
    if isinstance(value, datetime.date):
        return Call("date", (Value(value.year), Value(value.month), Value(value.day)))
    if isinstance(value, datetime.time):
        if value.microsecond:
            raise ValueError("fractional times are codified item by item")
        return Call("time", (Value(value.hour), Value(value.minute), Value(value.second)))
    if isinstance(value, str) and type(value) is str:
        return Value(value)
    if isinstance(value, (list, tuple)):
        return Items(tuple(_expression(v) for v in cast("Sequence[object]", value)))
    raise ValueError(f"no expression for {value!r}")
