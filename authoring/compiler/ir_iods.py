"""The normalized representation of PS3.3: IODs, modules, macros, attributes, conditions and
value sets, as every PS3.3 importer produces it.

Plain frozen dataclasses that serialize to JSON (``dictionary/<edition>/iods.json`` and
siblings) and that the generated tables of :mod:`authoring._generated` mirror.

Conditions are small expression trees: an :class:`Operation` (``and``, ``or``, ``not``)
over :class:`Test` leaves. A test looks at one attribute, somewhere relative to the data set
being checked (``where``), and asks one question of it (``test``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

Where = str
"""Where a test looks: ``"here"`` (the data set being checked), ``"root"`` (the top-level data
set), ``"above"`` (this data set or any enclosing one), ``"within:<Sequence>"`` (items of a
sequence of this data set), ``"path:<Sequence>"`` (any item of a top-level sequence, or of a sequence nested in one),
``"path-first:<Sequence>"`` (the first item of a top-level sequence, or one nested in it)."""

TestKind = Literal[
    "present", "string", "binary", "tag", "value-present", "has-items", "has-one-item",
    "has-two-items", "has-multiple-items", "group-present", "never", "unknown",
]


@dataclass(frozen=True)
class Test:
    """One question about one attribute.

    ``value`` is the string compared (``string``), ``"<op> <number>"`` (``binary``),
    ``"gggg,eeee"`` (``tag``); ``selector`` picks the value of a multi-valued attribute
    (0-based; ``"*"`` any value; None the first).
    """

    element: str
    test: TestKind
    where: Where = "here"
    value: str | None = None
    selector: int | str | None = None


@dataclass(frozen=True)
class Operation:
    """``and`` or ``or`` of its arguments, or ``not`` of its single argument."""

    op: Literal["and", "or", "not"]
    args: tuple[Expression, ...]


Expression: TypeAlias = "Test | Operation"


@dataclass(frozen=True)
class Condition:
    """A named condition (PS3.3 "Required if ..."), as an expression."""

    name: str
    expression: Expression
    text: str = ""


@dataclass(frozen=True)
class ValueSet:
    """Enumerated values or defined terms of one name: ``kind`` is ``string``, ``binary`` or
    ``tag``; each value has an optional meaning."""

    name: str
    kind: Literal["string", "binary", "tag"]
    values: tuple[str, ...]
    meanings: tuple[str, ...]


@dataclass(frozen=True)
class ValueRule:
    """A constraint on an attribute's values: enumerated values (errors when broken) or
    defined terms (warnings), for every value or the one ``selector`` picks, possibly only
    when ``condition`` holds."""

    value_set: str
    strength: Literal["enumerated", "defined"]
    selector: int | str | None = None
    condition: str | None = None


@dataclass(frozen=True)
class Attribute:
    """One row of a module or macro: an attribute, or a sequence with its own rows.

    ``type`` is ``1``, ``1C``, ``2``, ``2C`` or ``3``. For 1C/2C, ``condition`` names the
    condition (None with ``condition_unknown`` when the source cannot express it);
    ``may_be_present_otherwise`` (PS3.3 "may be present otherwise") allows it when the
    condition is false.
    """

    keyword: str
    type: str
    condition: str | None = None
    condition_unknown: bool = False
    may_be_present_otherwise: bool = False
    vm: str | None = None
    value_rules: tuple[ValueRule, ...] = ()
    not_zero: Literal["error", "warning"] | None = None
    children: tuple[Row, ...] | None = None  # a sequence's item rows; None for attributes


@dataclass(frozen=True)
class MacroUse:
    """An ``Include`` row: the rows of a macro, possibly only when a condition holds."""

    macro: str
    condition: str | None = None


Row: TypeAlias = "Attribute | MacroUse"


@dataclass(frozen=True)
class Module:
    """A module or a macro (``kind``) and its rows."""

    name: str
    kind: Literal["module", "macro"]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class ModuleUse:
    """A module in an IOD: usage ``M``, ``C`` or ``U``, with the condition for ``C`` (and the
    test dicom3tools uses to see whether a ``U`` module is present)."""

    module: str
    usage: Literal["M", "C", "U"]
    condition: str | None = None


@dataclass(frozen=True)
class InformationEntity:
    """An information entity of an IOD and its modules in order."""

    name: str
    modules: tuple[ModuleUse, ...]


@dataclass(frozen=True)
class IOD:
    """A composite IOD: its name as the source gives it, the standard's name, the SOP
    classes that use it, and its information entities."""

    source_name: str
    name: str
    sop_classes: tuple[str, ...]
    entities: tuple[InformationEntity, ...]
    profile: str | None = None
    base: str | None = None  # for a profile variant: the source name of its base IOD
    retired: bool = False
    condition: str | None = None

    def module_uses(self) -> list[ModuleUse]:
        """Every module use, in order."""
        return [use for entity in self.entities for use in entity.modules]


@dataclass
class IODEdition:
    """Everything a PS3.3 importer read from one edition."""

    edition: str
    source: str
    iods: list[IOD] = field(default_factory=list[IOD])
    modules: list[Module] = field(default_factory=list[Module])
    conditions: list[Condition] = field(default_factory=list[Condition])
    value_sets: list[ValueSet] = field(default_factory=list[ValueSet])
    notes: list[str] = field(default_factory=list[str])
