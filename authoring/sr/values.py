"""Typed values of SR content items (PS3.3 C.18): a number with its units, a reference to
an instance, spatial coordinates, and a value paired with a concept name where a template
row leaves the concept name open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Generic, TypeVar

from authoring.core.code import Code, ContextGroup, as_code
from authoring.errors import InvalidValueError

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase

C = TypeVar("C", bound="Code | ContextGroup", covariant=True)  # a Named value's concept
V = TypeVar("V", covariant=True)  # a Named value's value

#: Graphic Type (0070,0023) of a SCOORD item, and of a SCOORD3D item (PS3.3 C.18.6, C.18.9).
SCOORD_TYPES = frozenset({"POINT", "MULTIPOINT", "POLYLINE", "CIRCLE", "ELLIPSE"})
SCOORD3D_TYPES = frozenset({"POINT", "MULTIPOINT", "POLYLINE", "POLYGON", "ELLIPSE",
                            "ELLIPSOID"})
_POINTS = {"POINT": (1, 1), "CIRCLE": (2, 2), "ELLIPSE": (4, 4), "ELLIPSOID": (6, 6)}


def ucum(unit: str, meaning: str | None = None) -> Code:
    """A UCUM unit as a code: ``ucum("mm")``, ``ucum("[hnsf'U]", "Hounsfield unit")``."""
    return Code(unit, "UCUM", meaning or unit)


@dataclass(frozen=True)
class Quantity:
    """A NUM item's value: a number and its units (a code, or a UCUM unit as text)."""

    value: Decimal | int | float | str
    units: Code | ContextGroup | str

    @property
    def unit_code(self) -> Code:
        """The units as a code (text is a UCUM unit)."""
        return ucum(self.units) if isinstance(self.units, str) else as_code(self.units)

    @property
    def number(self) -> Decimal | str:
        """The value as a decimal (as text if it is not a number)."""
        try:
            return Decimal(str(self.value).strip())
        except ArithmeticError:
            return str(self.value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Quantity):
            return NotImplemented
        return self.number == other.number and self.unit_code == other.unit_code

    def __hash__(self) -> int:
        return hash((self.number, self.unit_code))


@dataclass(frozen=True)
class Reference:
    """An IMAGE or COMPOSITE item's value: the instance it references (SOP Class and
    Instance UIDs), with the frames or segments it selects."""

    sop_class_uid: str
    sop_instance_uid: str
    frames: Sequence[int] = ()
    segments: Sequence[int] = ()
    #: a WAVEFORM item's channels: (multiplex group number, channel number) pairs
    #: flattened, as Referenced Waveform Channels (0040,A0B0) holds them
    channels: Sequence[int] = ()
    #: the instance's study and series: where given, a template's ``fill`` lists the
    #: instance in the document's evidence (PS3.3 C.17.2.3); not part of the content item
    study_uid: str | None = field(default=None, compare=False)
    series_uid: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if len(self.channels) % 2:
            raise InvalidValueError("waveform channels are (multiplex group, channel) pairs: "
                                    f"got {len(self.channels)} numbers")

    @classmethod
    def to(cls, dataset: DatasetBase, *, frames: Sequence[int] = (),
           segments: Sequence[int] = (), channels: Sequence[int] = ()) -> Reference:
        """A reference to ``dataset`` (its SOP Class and Instance UIDs, and its study and
        series for the evidence lists)."""
        sop_class, sop_instance = dataset.get("SOPClassUID"), dataset.get("SOPInstanceUID")
        if not sop_class or not sop_instance:
            raise InvalidValueError("the dataset has no SOP Class or SOP Instance UID: "
                                    "nothing to reference")
        study, series = dataset.get("StudyInstanceUID"), dataset.get("SeriesInstanceUID")
        return cls(str(sop_class), str(sop_instance), tuple(frames), tuple(segments),
                   tuple(channels), str(study) if study else None,
                   str(series) if series else None)


@dataclass(frozen=True)
class Scoord:
    """A SCOORD item's value: a Graphic Type and its (column, row) image coordinates."""

    graphic_type: str
    points: Sequence[float]

    def __post_init__(self) -> None:
        _check_points(self.graphic_type, self.points, SCOORD_TYPES, 2)


@dataclass(frozen=True)
class Scoord3D:
    """A SCOORD3D item's value: a Graphic Type, its (x, y, z) patient coordinates in mm,
    and the Frame of Reference they are in."""

    graphic_type: str
    points: Sequence[float]
    frame_of_reference_uid: str

    def __post_init__(self) -> None:
        _check_points(self.graphic_type, self.points, SCOORD3D_TYPES, 3)


#: Temporal Range Type (0040,A130) of a TCOORD item (PS3.3 C.18.7).
TCOORD_TYPES = frozenset({"POINT", "MULTIPOINT", "SEGMENT", "MULTISEGMENT", "BEGIN", "END"})


@dataclass(frozen=True)
class Tcoord:
    """A TCOORD item's value: a Temporal Range Type and the times it selects, given in
    exactly one way: sample positions (1-based), time offsets in seconds, or datetimes."""

    range_type: str
    sample_positions: Sequence[int] = ()
    time_offsets: Sequence[float] = ()
    datetimes: Sequence[str] = ()  # DT values: "20261203174000.000000"

    def __post_init__(self) -> None:
        if self.range_type not in TCOORD_TYPES:
            raise InvalidValueError(f"Temporal Range Type {self.range_type!r} is not one of "
                                    f"{sorted(TCOORD_TYPES)}")
        given = [bool(self.sample_positions), bool(self.time_offsets), bool(self.datetimes)]
        if sum(given) != 1:
            raise InvalidValueError("a TCOORD selects its times in exactly one way: sample "
                                    "positions, time offsets or datetimes")
        count = len(self.sample_positions or self.time_offsets or self.datetimes)
        if self.range_type in ("POINT", "BEGIN", "END") and count != 1:
            raise InvalidValueError(f"a {self.range_type} takes one time, got {count}")
        if self.range_type == "SEGMENT" and count != 2:
            raise InvalidValueError(f"a SEGMENT takes two times, got {count}")
        if self.range_type == "MULTISEGMENT" and count % 2:
            raise InvalidValueError("a MULTISEGMENT takes pairs of times, got "
                                    f"{count}")


@dataclass(frozen=True)
class Named(Generic[C, V]):
    """A value with its concept name, for a row whose concept name the template leaves
    open (a measurement's name, a qualitative evaluation's question). Where the template
    constrains the concept name to a context group, the row's type says so
    (``Named[CID7002, str]``)."""

    concept: C
    value: V


def _check_points(graphic_type: str, points: Sequence[float], allowed: frozenset[str],
                  dimensions: int) -> None:
    if graphic_type not in allowed:
        raise InvalidValueError(f"Graphic Type {graphic_type!r} is not one of "
                                f"{sorted(allowed)}")
    count, remainder = divmod(len(points), dimensions)
    low, high = _POINTS.get(graphic_type, (1, None))
    if remainder or count < low or (high is not None and count > high):
        raise InvalidValueError(f"a {graphic_type} takes {low}{'' if high == low else '+'} "
                                f"point(s) of {dimensions} coordinates, got {len(points)} "
                                "numbers")
