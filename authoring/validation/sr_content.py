"""SR content rules (PS3.3 C.17, C.18, A.35) that no attribute table carries: what a content
item may hold under what relationship in each SR IOD, references by position, SCOORD
sources, frame numbers, the evidence lists, graphic data. Each finding names the content
item by its position in the tree (``1.2.3``: the root is 1, its second child 1.2, ...)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from authoring.object.dataset import DatasetBase

#: Graphic Type -> (minimum, maximum) number of points (None: no maximum); PS3.3 C.18.6.1.2
#: and C.18.9.1.2.
POINTS = {"POINT": (1, 1), "MULTIPOINT": (1, None), "POLYLINE": (1, None),
          "CIRCLE": (2, 2), "ELLIPSE": (4, 4), "ELLIPSOID": (6, 6), "POLYGON": (1, None)}


@dataclass(frozen=True)
class SRFinding:
    """One SR content problem: the item's position, the rule, what is wrong."""

    severity: str  # "error" | "warning"
    rule: str
    position: str  # "1.2.3"
    message: str


@dataclass(frozen=True)
class _Node:
    item: Any
    position: str
    parent: _Node | None


@cache
def _constraints() -> dict[str, frozenset[tuple[str, str, str, str]]]:
    """SOP Class UID -> permitted (parent type, relationship, child type, mode)."""
    from authoring._generated.sr_constraints import IODS

    out: dict[str, frozenset[tuple[str, str, str, str]]] = {}
    for sop_classes, permitted in IODS.values():
        for uid in sop_classes:
            out[uid] = frozenset(permitted)
    return out


def constrained_sop_classes() -> frozenset[str]:
    """The SOP classes whose relationship constraints are checked."""
    return frozenset(_constraints())


def _as_list(value: Any) -> list[Any]:
    """A multi-valued element's values (one value as a list of one; none as [])."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return list(cast("Sequence[Any]", value))
    return [value]


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def positions(document: DatasetBase) -> dict[int, str]:
    """``id(item)`` -> the content item's position (``1.2.3``; the root is 1)."""
    return {id(node.item): node.position for node in _walk(document, "1", None)}


def _walk(item: Any, position: str, parent: _Node | None) -> Iterator[_Node]:
    node = _Node(item, position, parent)
    yield node
    for index, child in enumerate(item.get("ContentSequence") or (), start=1):
        yield from _walk(child, f"{position}.{index}", node)


def _at(root: Any, identifier: Any) -> Any | None:
    """The item a Referenced Content Item Identifier (1\\2\\3) names, or None."""
    try:
        numbers = [int(n) for n in _as_list(identifier)]
    except (TypeError, ValueError):
        return None
    if not numbers or numbers[0] != 1:
        return None
    item = root
    for number in numbers[1:]:
        children = list(item.get("ContentSequence") or ())
        if not 1 <= number <= len(children):
            return None
        item = children[number - 1]
    return item


def _references(item: Any) -> list[tuple[str, str, list[int]]]:
    """(SOP Class, SOP Instance, frames) of an IMAGE/COMPOSITE/WAVEFORM item."""
    out: list[tuple[str, str, list[int]]] = []
    for entry in item.get("ReferencedSOPSequence") or ():
        frames = entry.get("ReferencedFrameNumber")
        listed: list[int] = []
        for value in _as_list(frames):
            try:
                listed.append(int(value))
            except (TypeError, ValueError):
                continue  # not a number: the value rules report it
        out.append((_text(entry.get("ReferencedSOPClassUID")),
                    _text(entry.get("ReferencedSOPInstanceUID")), listed))
    return out


def _evidence(dataset: DatasetBase) -> set[str]:
    """SOP Instance UIDs listed in the Current Requested Procedure Evidence and Pertinent
    Other Evidence Sequences (Hierarchical SOP Instance Reference macro)."""
    listed: set[str] = set()
    for keyword in ("CurrentRequestedProcedureEvidenceSequence",
                    "PertinentOtherEvidenceSequence"):
        for study in dataset.get(keyword) or ():
            for series in study.get("ReferencedSeriesSequence") or ():
                for instance in series.get("ReferencedSOPSequence") or ():
                    listed.add(_text(instance.get("ReferencedSOPInstanceUID")))
    return listed


def _multi_frame(sop_class: str) -> bool | None:
    """Whether instances of ``sop_class`` are multi-frame (None: an IOD we do not know)."""
    from authoring.validation import spec

    iod = spec.iod_for_sop_class(sop_class)
    if iod is None:
        return None
    return any(use.module.startswith("MultiFrame") for use in iod.modules)


def check_sr_content(dataset: DatasetBase, sop_class: str) -> list[SRFinding]:
    """The SR content findings of ``dataset``, an SR document of ``sop_class``."""
    findings: list[SRFinding] = []
    permitted = _constraints().get(sop_class)
    evidence = _evidence(dataset)
    unlisted: dict[str, str] = {}
    for node in _walk(dataset, "1", None):
        item = node.item
        value_type = _text(item.get("ValueType"))
        referenced = item.get("ReferencedContentItemIdentifier")
        if node.parent is not None:
            relationship = _text(item.get("RelationshipType"))
            parent_type = _text(node.parent.item.get("ValueType"))
            mode = "value"
            child_type = value_type
            if referenced is not None:
                mode = "reference"
                target = _at(dataset, referenced)
                if target is None:
                    findings.append(SRFinding(
                        "error", "sr-reference-target", node.position,
                        f"Referenced Content Item Identifier {referenced!s} names no content "
                        "item of this document"))
                    continue
                child_type = _text(target.get("ValueType"))
            if permitted is not None and \
                    (parent_type, relationship, child_type, mode) not in permitted:
                findings.append(SRFinding(
                    "error", "sr-relationship", node.position,
                    f"{parent_type} {relationship} {child_type}"
                    f"{' by reference' if mode == 'reference' else ''} is not permitted in "
                    "this IOD (PS3.3 A.35 relationship content constraints)"))
        if referenced is not None:
            continue
        if value_type == "SCOORD":
            sources = [c for c in item.get("ContentSequence") or ()
                       if _text(c.get("RelationshipType")) == "SELECTED FROM"]
            targets = [_at(dataset, c.get("ReferencedContentItemIdentifier"))
                       if c.get("ReferencedContentItemIdentifier") is not None else c
                       for c in sources]
            if len(targets) != 1 or targets[0] is None or \
                    _text(targets[0].get("ValueType")) != "IMAGE":
                findings.append(SRFinding(
                    "error", "sr-scoord-source", node.position,
                    "a SCOORD item selects from exactly one IMAGE (PS3.3 C.18.6.1: one "
                    f"SELECTED FROM child), found {len(sources)}"))
        if value_type in ("SCOORD", "SCOORD3D"):
            findings.extend(_graphic_data(item, value_type, node.position))
        if value_type in ("IMAGE", "COMPOSITE", "WAVEFORM"):
            for sop_class_uid, instance, frames in _references(item):
                if instance and instance not in evidence:
                    unlisted.setdefault(instance, node.position)
                if frames and value_type == "IMAGE" and _multi_frame(sop_class_uid) is False:
                    findings.append(SRFinding(
                        "error", "sr-frame-number", node.position,
                        f"Referenced Frame Number {frames} for an instance of "
                        f"{sop_class_uid}, a single-frame SOP class (PS3.3 C.18.4: frames "
                        "are referenced in multi-frame images only)"))
    for instance, position in unlisted.items():
        findings.append(SRFinding(
            "error", "sr-evidence", position,
            f"the referenced instance {instance} is not listed in the Current Requested "
            "Procedure Evidence or Pertinent Other Evidence Sequence (PS3.3 C.17.2.3)"))
    return findings


def _graphic_data(item: Any, value_type: str, position: str) -> list[SRFinding]:
    graphic_type = _text(item.get("GraphicType"))
    data = item.get("GraphicData")
    values = _as_list(data)
    dimensions = 3 if value_type == "SCOORD3D" else 2
    limits = POINTS.get(graphic_type)
    if limits is None or (value_type == "SCOORD" and graphic_type in ("ELLIPSOID", "POLYGON")):
        return [SRFinding("error", "sr-graphic-type", position,
                          f"Graphic Type {graphic_type!r} is not defined for {value_type}")]
    count, remainder = divmod(len(values), dimensions)
    low, high = limits
    if remainder or count < low or (high is not None and count > high):
        return [SRFinding("error", "sr-graphic-data", position,
                          f"{graphic_type} takes {low}{'' if high == low else ' or more'} "
                          f"point(s) of {dimensions} coordinates; Graphic Data has "
                          f"{len(values)} values")]
    return []
