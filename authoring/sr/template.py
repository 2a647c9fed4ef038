"""The base of the builders compiled from PS3.16 templates: a template's rows as data, the
values given for them, the content tree they make, and the values read back from one."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, cast

from authoring.core.code import Code, ContextGroup, as_code
from authoring.errors import InvalidValueError
from authoring.sr.content import Value, content_item
from authoring.sr.values import Named, Quantity, Reference, Scoord, Scoord3D, Tcoord

if TYPE_CHECKING:
    from typing import Self

    from authoring._generated.items.document_relationship_macro import (
        ContentSequenceItem,
    )
    from authoring.object.dataset import DatasetBase

#: Content Template Sequence's Mapping Resource for PS3.16 templates.
DCMR = "DCMR"
#: Value types whose items need no concept name (PS3.3 C.17.3): a template row of one of
#: them with no concept name makes an item without one.
NAMELESS = frozenset({"IMAGE", "COMPOSITE", "WAVEFORM", "SCOORD", "SCOORD3D", "TCOORD"})


@dataclass(frozen=True)
class Row:
    """One row of a compiled template: where it sits, what it makes, which argument holds
    its value(s)."""

    label: str  # PS3.16's row label
    nesting: int  # 0 at the template's top
    relationship: str | None  # None: the including row's
    value_type: str | None  # None for an INCLUDE row (or a row group)
    concept: Code | None  # None: the value names it (Named), or an include
    argument: str  # "" for a CONTAINER of fixed concept name
    multiple: bool  # VM allows several
    template: type[TemplateBuilder] | None = None  # an INCLUDE row's template, a row group
    value_set: int | None = None  # a CODE row's context group, where compiled
    concept_group: int | None = None  # the context group of an open concept name
    requirement: str = "U"  # M, MC, U, UC
    parameter: str | None = None  # the template parameter naming the concept ($Purpose)
    #: an INCLUDE row's parameters bound to one code: the included rows' concept name
    bindings: tuple[tuple[str, Code], ...] = ()
    defined: bool = False  # the value set is defined (DCID): a code outside it is an error
    condition: str | None = None  # an MC/UC row's condition, in PS3.16's words
    units: Code | None = None  # a NUM row's fixed units: a plain number is in them
    units_set: int | None = None  # a NUM row's defined (DCID) units context group


@dataclass(frozen=True)
class TemplateIssue:
    """One departure of content from a template: where (``1.2.3``), the rule, what."""

    severity: str  # "error" | "warning"
    rule: str
    position: str
    message: str


@dataclass
class _Node:
    item: ContentSequenceItem
    children: list[_Node]


class TemplateBuilder:
    """A template's values; :meth:`to_content` makes its content items, :meth:`view`
    reads them back."""

    __slots__ = ("values",)

    #: The template's number and rows (set by each compiled class).
    TID: ClassVar[int] = 0
    ROWS: ClassVar[tuple[Row, ...]] = ()
    #: Whether the first CONTAINER names this template in its Content Template Sequence
    #: (a template's class; a row group's does not).
    NAMES_TEMPLATE: ClassVar[bool] = False
    #: Whether this is a document's root template (TID 1500, 2000...): see :meth:`fill`.
    ROOT: ClassVar[bool] = False
    #: Whether every row of the template is compiled (else items of the rows left out
    #: cannot be told from items outside the template).
    COMPLETE: ClassVar[bool] = True
    #: Whether PS3.16 lets content be added beyond the template's rows.
    EXTENSIBLE: ClassVar[bool] = True

    def __init__(self, **values: Any) -> None:
        """Keep the values given (None: the row is left out); a plain number for a NUM row
        of fixed units becomes a :class:`~authoring.sr.values.Quantity` in those units."""
        self.values: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
        for row in self.ROWS:
            if row.units is not None and row.argument in self.values:
                given: Any = self.values[row.argument]
                if row.multiple and isinstance(given, (list, tuple)):
                    several = cast("Sequence[object]", given)
                    self.values[row.argument] = [_in_units(v, row.units) for v in several]
                else:
                    self.values[row.argument] = _in_units(given, row.units)

    def __repr__(self) -> str:
        values = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{type(self).__name__}({values})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TemplateBuilder):
            return NotImplemented
        return type(self) is type(other) and self.values == other.values

    __hash__ = None  # type: ignore[assignment]  # mutable values

    def to_content(self, relationship: str | None = None) -> list[ContentSequenceItem]:
        """The content items of this template, in row order, nested rows in the Content
        Sequence of the row above them; ``relationship`` is used for rows whose template
        leaves it to the including row."""
        return [_finish(node) for node in self._nodes(relationship, {})]

    def fill(self, document: DatasetBase) -> DatasetBase:
        """Make ``document`` (an SR document: Comprehensive SR, Enhanced SR...) this
        template's root: its Value Type, Concept Name, Continuity of Content, Content
        Template Sequence and Content Sequence come from the template's root CONTAINER;
        every referenced instance whose study and series the reference carries
        (:meth:`Reference.to <authoring.sr.values.Reference.to>` takes them from the
        instance) is listed in the Current Requested Procedure Evidence Sequence (same
        study as the document) or the Pertinent Other Evidence Sequence (PS3.3 C.17.2.3).
        A reference without them is not listed, and the validator says so."""
        items = self.to_content()
        if len(items) != 1 or items[0].get("ValueType") != "CONTAINER":
            raise InvalidValueError(f"TID {self.TID} does not make one root CONTAINER; it "
                                    "cannot be a document's content")
        root = items[0]
        for element in root:
            if element.keyword != "RelationshipType":
                document[element.tag] = element
        _list_evidence(document, list(self.references()))
        return document

    def references(self) -> Iterator[Reference]:
        """Every instance reference among this template's values (nested ones too)."""
        for value in self.values.values():
            values: list[Any] = list(cast("Sequence[Any]", value)) \
                if isinstance(value, (list, tuple)) else [value]
            for one in values:
                if isinstance(one, TemplateBuilder):
                    yield from one.references()
                elif isinstance(one, Named):
                    named = cast("Named[Any, Any]", one)
                    if isinstance(named.value, Reference):
                        yield named.value
                elif isinstance(one, Reference):
                    yield one

    @classmethod
    def view(cls, items: Sequence[DatasetBase] | DatasetBase,
             relationship: str | None = None) -> Self:
        """This template's values read back from ``items``: the content items of the level
        the template was included at (a Content Sequence), or an SR document whose root
        the template is (``MeasurementReport.view(ds)``). Each row takes the items of its
        value type, concept name and relationship, nested rows those inside its item;
        codes of a compiled context group come back as its members, included templates and
        row groups as their classes. Items no row matches are left alone."""
        found = list[Any]([items] if _is_dataset(items) else items)
        if _is_dataset(items):
            relationship = None  # a document's root has no relationship
        return cls._view(found, relationship, {})

    @classmethod
    def _view(cls, items: list[Any], relationship: str | None,
              bindings: dict[str, Code]) -> Self:
        view = cls.__new__(cls)
        view.values = {}
        cls._read(view.values, items, 0, 0, relationship, bindings)
        return view

    @classmethod
    def view_each(cls, items: Sequence[DatasetBase],
                  relationship: str | None = None) -> list[Self]:
        """One view per instance of this template among ``items``: per item of its first
        row where every other row nests under it (a measurement group, a row group), else
        one view of all of them (none when nothing matched)."""
        return [view for _, view in cls._instances(list[Any](items), relationship, {})
                if view is not None]

    @classmethod
    def _rooted(cls) -> bool:
        return len(cls.ROWS) > 0 and cls.ROWS[0].value_type is not None and all(
            r.nesting > 0 for r in cls.ROWS[1:])

    @classmethod
    def _instances(cls, items: list[Any], relationship: str | None,
                   bindings: dict[str, Code], views: bool = True
                   ) -> list[tuple[Any | None, Self | None]]:
        """(root item or None, view) of each instance of this template among ``items``;
        without ``views`` the instances are found but not read (a malformed item is then no
        error: the conformance check reports what it finds instead)."""
        if not cls._rooted():
            if not views:
                return [(None, None)] if any(cls._takes(i) for i in items) else []
            one = cls._view(items, relationship, bindings)
            return [(None, one)] if one.values or cls._matched_container(
                items, relationship) else []
        first = cls.ROWS[0]
        wanted = first.relationship or relationship
        return [(item, cls._view([item], relationship, bindings) if views else None)
                for item in items if _matches(item, first, wanted, frozenset())]

    @classmethod
    def _matched_container(cls, items: Sequence[Any], relationship: str | None) -> bool:
        first = cls.ROWS[0] if cls.ROWS else None
        return first is not None and first.value_type == "CONTAINER" and any(
            _matches(i, first, first.relationship or relationship, frozenset())
            for i in items)

    @classmethod
    def _fit(cls, item: Any) -> tuple[int, int]:
        """How well ``item`` (a root item this template's first row matches) fits it:
        whether its Content Template Sequence names this template (1), another (-1) or
        none (0), then how many of its children the template's rows take."""
        named = 0
        identifiers: set[str] = set()
        try:
            identifiers = {str(t.TemplateIdentifier) for t in
                           list[Any](item.get("ContentTemplateSequence") or ())}
        except AttributeError:
            pass
        if identifiers and cls.NAMES_TEMPLATE:
            named = 1 if str(cls.TID) in identifiers else -1
        children = list[Any](item.get("ContentSequence") or ())
        rows = [r for r in cls.ROWS if r.nesting == 1]
        taken = sum(1 for child in children if any(
            _matches(child, r, r.relationship, frozenset()) if r.template is None
            else r.template._takes(child) for r in rows))
        return named, taken

    @classmethod
    def _parts(cls, items: list[Any]) -> list[list[Any]]:
        """``items`` cut before each repetition of this (flat) template's first row, when
        that row has a fixed concept name: one part per instance (observer after
        observer)."""
        first = cls.ROWS[0] if cls.ROWS else None
        if first is None or first.concept is None or first.value_type is None:
            return [items]
        parts: list[list[Any]] = [[]]
        seen = False
        for item in items:
            if _matches(item, first, first.relationship, frozenset()):
                if seen:
                    parts.append([])
                seen = True
            parts[-1].append(item)
        return parts

    @classmethod
    def _takes(cls, item: Any) -> bool:
        """Whether a top-level row of this template matches ``item``."""
        return any(_matches(item, r, r.relationship, frozenset()) if r.template is None
                   else r.template._takes(item) for r in cls.ROWS if r.nesting == 0)

    @classmethod
    def _level(cls, start: int, nesting: int,
               bindings: dict[str, Code] | None = None) -> Iterator[tuple[int, Row]]:
        """(index, row) of the rows at ``nesting`` from ``start`` to the end of their
        parent (rows nested deeper skipped), with parameters bound."""
        for index in range(start, len(cls.ROWS)):
            row = cls.ROWS[index]
            if row.nesting < nesting:
                return
            if row.nesting == nesting:
                yield index, _bound(row, bindings) if bindings else row

    @classmethod
    def _claimed(cls, start: int, nesting: int) -> frozenset[tuple[str, str, str]]:
        """(value type, code value, scheme) of the fixed-concept rows at ``nesting`` from
        ``start`` (and at the top of the templates they include): items an open-concept row
        of the same level does not take."""
        out: set[tuple[str, str, str]] = set()
        for _, row in cls._level(start, nesting):
            if row.concept is not None and row.value_type is not None:
                out.add((row.value_type, row.concept.value, row.concept.scheme))
            elif row.template is not None:
                out |= row.template._claimed(0, 0)
        return frozenset(out)

    @classmethod
    def _read(cls, values: dict[str, Any], items: list[Any], start: int,
              nesting: int, relationship: str | None, bindings: dict[str, Code]) -> None:
        """Fill ``values`` from ``items`` for the rows from ``start`` at ``nesting``."""
        claimed = cls._claimed(start, nesting)
        taken: set[int] = set()  # items an earlier row of this level took
        included = cls._included(items, start, nesting, relationship)
        for index, row in cls._level(start, nesting, bindings):
            wanted = row.relationship or relationship
            found: list[Any] = []
            if row.template is not None:
                found = included.get(index, [])
            else:
                matches = _take(items, row, wanted, claimed, taken)
                if row.argument:
                    found = [_checked_value(i, row, cls.TID) for i in matches]
                if matches and index + 1 < len(cls.ROWS) and \
                        cls.ROWS[index + 1].nesting > row.nesting:
                    children = list[Any](getattr(matches[-1], "ContentSequence", None) or ())
                    cls._read(values, children, index + 1, row.nesting + 1, relationship,
                              bindings)
            if found:
                values[row.argument] = found if row.multiple else found[0]

    @classmethod
    def _included(cls, items: list[Any], start: int, nesting: int,
                  relationship: str | None) -> dict[int, list[Any]]:
        """The views of the included templates (and row groups) at ``nesting`` from
        ``start``, by row index (see :meth:`_included_instances`)."""
        return {index: [view for _, view in found] for index, found in
                cls._included_instances(items, start, nesting, relationship).items()}

    @classmethod
    def _included_instances(cls, items: list[Any], start: int, nesting: int,
                            relationship: str | None, views: bool = True
                            ) -> dict[int, list[tuple[list[Any], Any]]]:
        """(items of the instance, view) of each included template (and row group) at
        ``nesting`` from ``start``, by row index. A root item several of them could read
        (TID 1501, 1410 and 1411 all start with a Measurement Group) goes to the one it fits
        best: the template its Content Template Sequence names, else the one whose rows take
        most of its children, else the first."""
        candidates: dict[int, list[tuple[Any | None, list[Any], Any]]] = {}
        used: set[int] = set()
        best: dict[int, tuple[tuple[int, int, int], int]] = {}  # item -> (fit, row index)
        for index, row in cls._level(start, nesting):
            if row.template is None:
                continue
            template = row.template
            wanted = row.relationship or relationship
            found: list[tuple[Any | None, list[Any], Any]] = []
            if template._rooted():
                found = [(item, [item], view) for item, view in
                         template._instances(items, wanted, dict(row.bindings), views)]
            else:  # flat templates: items an earlier one took are not offered again
                available = [i for i in items if id(i) not in used]
                for part in template._parts(available):
                    members = [i for i in part if template._takes(i)]
                    found.extend((None, members, view) for _, view in
                                 template._instances(part, wanted, dict(row.bindings),
                                                     views))
                if found:
                    used.update(id(i) for i in available if template._takes(i))
            candidates[index] = found
            for item, _, _ in found:
                if item is None:
                    continue
                named, taken = template._fit(item)
                fit = (named, taken, -index)
                if id(item) not in best or fit > best[id(item)][0]:
                    best[id(item)] = (fit, index)
        return {index: [(members, view) for item, members, view in found
                        if item is None or best[id(item)][1] == index]
                for index, found in candidates.items()}

    @classmethod
    def conformance(cls, items: Sequence[DatasetBase] | DatasetBase,
                    positions: dict[int, str], relationship: str | None = None
                    ) -> list[TemplateIssue]:
        """How ``items`` (a document whose root this template is, or the content items of
        the level it is included at) depart from the template, row by row: mandatory rows
        missing, rows repeated beyond their VM, codes outside a defined (DCID) value set,
        conditions of the forms PS3.16 tables use ("Exactly one of rows 5 and 7 is
        present", "Row 7 is present", ...) broken, and content items no row takes (a
        warning, as PixelMed reports them). ``positions`` maps ``id(item)`` to the item's
        position in the document (``1.2.3``)."""
        found = list[Any]([items] if _is_dataset(items) else items)
        issues: list[TemplateIssue] = []
        parent = positions.get(id(found[0]), "1").rpartition(".")[0] if found else ""
        cls._conform(found, 0, 0, None if _is_dataset(items) else relationship, {}, issues,
                     positions, parent or "1")
        return issues

    @classmethod
    def _conform(cls, items: list[Any], start: int, nesting: int, relationship: str | None,
                 bindings: dict[str, Code], issues: list[TemplateIssue],
                 positions: dict[int, str], parent: str,
                 context: dict[str, list[Any]] | None = None) -> None:
        """Check the rows from ``start`` at ``nesting`` against ``items`` (the children of
        the item at ``parent``). ``context`` holds the items the rows of the enclosing
        levels matched (the parent's row: the parent item only), for conditions on their
        values."""
        claimed = cls._claimed(start, nesting)
        taken: set[int] = set()
        matched: set[int] = set()
        counts: dict[str, int] = {}
        found: dict[str, list[Any]] = dict(context or {})
        conditions: list[tuple[Row, int]] = []
        included = cls._included_instances(items, start, nesting, relationship, views=False)
        for index, row in cls._level(start, nesting, bindings):
            wanted = row.relationship or relationship
            name = f"TID {cls.TID} row {row.label}"
            if row.template is not None:
                instances = included.get(index, [])
                count = len(instances)
                for members, _ in instances:
                    matched.update(id(m) for m in members)
                    row.template._conform(members, 0, 0, wanted, dict(row.bindings), issues,
                                          positions, parent)
            else:
                matches = _take(items, row, wanted, claimed, taken)
                matched.update(id(i) for i in matches)
                count = len(matches)
                found[row.label] = matches
                for item in matches:
                    cls._check_value_set(item, row, name, positions, issues)
                    if index + 1 < len(cls.ROWS) and cls.ROWS[index + 1].nesting > row.nesting:
                        children = list[Any](item.get("ContentSequence") or ())
                        cls._conform(children, index + 1, row.nesting + 1, relationship,
                                     bindings, issues, positions,
                                     positions.get(id(item), parent),
                                     {**found, row.label: [item]})
            counts[row.label] = count
            if count == 0 and row.requirement == "M":
                issues.append(TemplateIssue("error", "sr-template-missing", parent,
                                            f"{name} ({_row_text(row)}) is mandatory and "
                                            "absent"))
            if count > 1 and not row.multiple:
                issues.append(TemplateIssue("error", "sr-template-vm", parent,
                                            f"{name} ({_row_text(row)}) has VM 1; found "
                                            f"{count}"))
            if row.condition is not None:
                conditions.append((row, count))
        seen: set[str] = set()
        for row, count in conditions:
            problem = _broken_condition(row, count, counts, found)
            if problem is not None and problem not in seen:
                seen.add(problem)
                issues.append(TemplateIssue("error", "sr-template-condition", parent,
                                            f"TID {cls.TID} row {row.label}: {problem}"))
        if cls.COMPLETE:
            for item in items:
                if id(item) not in matched and item.get("ValueType") is not None:
                    issues.append(TemplateIssue(
                        "warning", "sr-template-unmatched", positions.get(id(item), parent),
                        f"content item not in TID {cls.TID} ({_item_text(item)})"))

    @classmethod
    def _check_value_set(cls, item: Any, row: Row, name: str, positions: dict[int, str],
                         issues: list[TemplateIssue]) -> None:
        """A CODE item's value outside the row's defined value set, a NUM item's units
        outside its defined units (a context group, or the fixed units): errors."""
        from authoring.codes import context_group

        group: int | None
        try:
            if row.value_type == "CODE" and row.value_set is not None and row.defined:
                group, what = row.value_set, ""
                entry = item.ConceptCodeSequence[0]
            elif row.value_type == "NUM" and (row.units_set is not None or
                                              row.units is not None):
                group, what = row.units_set, "units "
                entry = item.MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0]
            else:
                return
            code = Code(entry.CodeValue, entry.CodingSchemeDesignator, entry.CodeMeaning)
        except (AttributeError, IndexError, TypeError):
            return  # an item without its code or units: the IOD check reports it
        if group is None:  # fixed units
            assert row.units is not None
            if (code.value, code.scheme) != (row.units.value, row.units.scheme):
                issues.append(TemplateIssue(
                    "error", "sr-template-units", positions.get(id(item), ""),
                    f"{name}: units ({code.value}, {code.scheme}) where the row fixes "
                    f"({row.units.value}, {row.units.scheme}, {row.units.meaning!r})"))
        elif context_group(group).lookup(code) is None:
            issues.append(TemplateIssue(
                "error", "sr-template-units" if what else "sr-template-value-set",
                positions.get(id(item), ""),
                f"{name}: {what}({code.value}, {code.scheme}, {code.meaning!r}) is not in "
                f"DCID {group}"))

    def _given_under(self, index: int) -> bool:
        """Whether a row nested under row ``index`` has a value."""
        nesting = self.ROWS[index].nesting
        for row in self.ROWS[index + 1:]:
            if row.nesting <= nesting:
                return False
            if row.argument and self.values.get(row.argument) is not None:
                return True
        return False

    def _nodes(self, relationship: str | None, bindings: dict[str, Code]) -> list[_Node]:
        top: list[_Node] = []
        # the children list of the last item made at each nesting level (None: row absent)
        open_rows: list[tuple[int, list[_Node] | None, str]] = []
        for index, row in enumerate(self.ROWS):
            while open_rows and open_rows[-1][0] >= row.nesting:
                open_rows.pop()
            siblings = open_rows[-1][1] if open_rows else top
            if not row.argument:  # a CONTAINER of fixed concept name
                given = self._given_under(index)
                if (siblings is None and not given) or (not given and row.requirement != "M"):
                    open_rows.append((row.nesting, None, row.label))
                    continue
                if siblings is None:
                    self._absent_parent(row, open_rows[-1][2])
                node = self._node(row, relationship, None, bindings)
                cast("list[_Node]", siblings).append(node)
                open_rows.append((row.nesting, node.children, row.label))
                continue
            value = self.values.get(row.argument)
            if value is None:
                open_rows.append((row.nesting, None, row.label))
                continue
            if siblings is None:
                self._absent_parent(row, open_rows[-1][2])
            assert siblings is not None
            values: Sequence[Any] = value if row.multiple else [value]
            if row.multiple and isinstance(value, (str, bytes)):
                raise InvalidValueError(f"TID {self.TID} row {row.label} ({row.argument}) "
                                        "takes a list of values")
            children: list[_Node] | None = None
            for one in values:
                if row.template is not None:  # an included template, a row group
                    if not isinstance(one, row.template):
                        raise InvalidValueError(
                            f"TID {self.TID} row {row.label} ({row.argument}) takes "
                            f"{row.template.__name__}, got {one!r}")
                    siblings.extend(one._nodes(row.relationship or relationship,
                                               dict(row.bindings)))
                    continue
                node = self._node(row, relationship, one, bindings)
                siblings.append(node)
                children = node.children
            open_rows.append((row.nesting, children, row.label))
        return top

    def _absent_parent(self, row: Row, parent: str) -> None:
        what = row.argument or "its nested rows"
        raise InvalidValueError(f"TID {self.TID} row {row.label} ({what}) is given but row "
                                f"{parent}, which holds it, is not")

    def _node(self, row: Row, relationship: str | None, value: Any,
              bindings: dict[str, Code]) -> _Node:
        """The item of ``row`` holding ``value`` (with its concept name, if open: from
        the value, or the code the including row binds the row's parameter to)."""
        concept: Code | None = row.concept
        bound = bindings.get(row.parameter) if row.parameter is not None else None
        if bound is not None and not isinstance(value, Named):
            concept = bound
        elif row.concept is None and not (row.value_type in NAMELESS and
                                          not isinstance(value, Named)):
            if row.value_type == "CONTAINER":
                concept, value = _concept(cast(object, value), row, self.TID), None
            elif isinstance(value, Named):
                named = cast("Named[Any, Any]", value)
                concept, value = _concept(named.concept, row, self.TID), named.value
            else:
                raise InvalidValueError(f"TID {self.TID} row {row.label} ({row.argument}) "
                                        "leaves the concept name open: give "
                                        f"Named(concept, value), got {value!r}")
        item = content_item(row.relationship or relationship, cast(str, row.value_type),
                            concept, cast("Value | None", value))
        if row is self.ROWS[0] and row.value_type == "CONTAINER" and self.NAMES_TEMPLATE:
            from authoring._generated.items.container_macro import (
                ContentTemplateSequenceItem,
            )

            item.ContentTemplateSequence = [ContentTemplateSequenceItem(
                MappingResource=DCMR, TemplateIdentifier=str(self.TID))]
        if self.ROOT and row is self.ROWS[0]:
            del item["RelationshipType"]
        return _Node(item, [])


_LABELS = r"([0-9a-z]+(?:(?:, | and )[0-9a-z]+)*)"
_EXACTLY = re.compile(rf"^Exactly one of rows {_LABELS} is present")
_AT_LEAST = re.compile(rf"^At least one of rows {_LABELS} is present")
_AT_MOST = re.compile(rf"^At most one of rows {_LABELS} is present")
_PRESENT = re.compile(r"^Row ([0-9a-z]+) is present(?: and row ([0-9a-z]+) is absent)?$")
_ABSENT = re.compile(r"^Row ([0-9a-z]+) is absent$")
_ANY = re.compile(rf"^Any of rows {_LABELS} is present$")
_CODE = r"\(([^,()]+), ([^,()]+)\)"
_HAS_VALUE = re.compile(rf"^Row ([0-9a-z]+) (has|does not have) value ({_CODE}(?: or {_CODE})*)$")


def _labels(text: str) -> list[str]:
    return re.split(r", | and ", text)


def _listed(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def _item_code(item: Any) -> tuple[str, str] | None:
    """A content item's value as a code: a CODE item's value, a CONTAINER's concept name."""
    try:
        entry = (item.ConceptNameCodeSequence if item.get("ValueType") == "CONTAINER"
                 else item.ConceptCodeSequence)[0]
        return str(entry.CodeValue), str(entry.CodingSchemeDesignator)
    except (AttributeError, IndexError, TypeError):
        return None


def _broken_condition(row: Row, count: int, counts: dict[str, int],
                      found: dict[str, list[Any]]) -> str | None:
    """What breaks ``row``'s condition (a PS3.16 condition in one of the forms the encoded
    tables use) given how many items each row of the level has (``counts``) and the items
    of the rows so far (``found``, the enclosing levels' included); None if it holds or is
    not of a form we evaluate (conditions in other words are not checked). The forms:
    "Exactly one / At least one / At most one of rows 5, 7 and 10 is present" constrain the
    rows together; "Row 7 is present", "Row 3 is absent", "Any of rows 4 and 5 is
    present" and "Row 6 has (does not have) value (113800, DCM) or (113801, DCM)" say when
    an MC row is required."""
    condition = row.condition or ""
    if match := _EXACTLY.match(condition):
        labels = _labels(match.group(1))
        present = [label for label in labels if counts.get(label, 0)]
        if len(present) != 1:
            return (f"exactly one of rows {_listed(labels)} is present: found "
                    f"{_listed(present) if present else 'none'}")
        return None
    if match := _AT_LEAST.match(condition):
        labels = _labels(match.group(1))
        if not any(counts.get(label, 0) for label in labels):
            return f"at least one of rows {_listed(labels)} is present: found none"
        return None
    if match := _AT_MOST.match(condition):
        labels = _labels(match.group(1))
        present = [label for label in labels if counts.get(label, 0)]
        if len(present) > 1:
            return f"at most one of rows {_listed(labels)} is present: found {_listed(present)}"
        return None
    if row.requirement != "MC" or count > 0:
        return None
    required = False
    if match := _PRESENT.match(condition):
        required = counts.get(match.group(1), 0) > 0 and (
            match.group(2) is None or counts.get(match.group(2), 0) == 0)
    elif match := _ABSENT.match(condition):
        required = counts.get(match.group(1), 0) == 0
    elif match := _ANY.match(condition):
        required = any(counts.get(label, 0) for label in _labels(match.group(1)))
    elif match := _HAS_VALUE.match(condition):
        wanted = set(re.findall(_CODE, match.group(3)))
        has = any(_item_code(item) in wanted for item in found.get(match.group(1), ()))
        required = has if match.group(2) == "has" else not has
    return f"required (condition: {condition}) and absent" if required else None


def _row_text(row: Row) -> str:
    if row.template is not None:
        return f"INCLUDE {row.template.__name__}"
    concept = f" {row.concept.meaning}" if row.concept is not None else ""
    return f"{row.value_type}{concept}"


def _item_text(item: Any) -> str:
    try:
        concept = item.ConceptNameCodeSequence[0]
        name = f" {concept.CodeMeaning}"
    except (AttributeError, IndexError, TypeError):
        name = ""
    return f"{item.get('RelationshipType') or ''} {item.get('ValueType')}{name}".strip()


def _in_units(value: object, units: Code) -> object:
    """A plain number as a quantity in ``units``; anything else as it is."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Quantity(value, units)
    return value


def _bound(row: Row, bindings: dict[str, Code]) -> Row:
    """``row`` with the concept name its parameter is bound to, if it is."""
    if row.parameter is None or row.parameter not in bindings:
        return row
    return replace(row, concept=bindings[row.parameter])


def list_evidence(document: DatasetBase, references: list[Reference]) -> None:
    """List ``references`` (those that carry their study and series) in ``document``'s
    Current Requested Procedure Evidence Sequence (same study) or Pertinent Other Evidence
    Sequence (PS3.3 C.17.2.3), for a content tree built without a template class."""
    _list_evidence(document, references)


def _list_evidence(document: DatasetBase, references: list[Reference]) -> None:
    """Add the references that carry their study and series to the document's evidence
    sequences, study by study and series by series, keeping what is listed already."""
    from authoring.items import item_class

    study_of_document = str(document.get("StudyInstanceUID") or "")
    wanted: dict[str, dict[str, dict[str, dict[str, str]]]] = {}  # sequence->study->series
    for reference in references:
        if not reference.study_uid or not reference.series_uid:
            continue
        keyword = ("CurrentRequestedProcedureEvidenceSequence"
                   if reference.study_uid == study_of_document
                   else "PertinentOtherEvidenceSequence")
        wanted.setdefault(keyword, {}).setdefault(reference.study_uid, {}).setdefault(
            reference.series_uid, {})[reference.sop_instance_uid] = reference.sop_class_uid
    study_class = item_class("HierarchicalSOPInstanceReferenceMacro")
    series_class = item_class("HierarchicalSeriesReferenceMacro")
    instance_class = item_class("hierarchical_series_reference_macro.ReferencedSOPSequenceItem")
    for keyword, studies in wanted.items():
        entries = list[Any](document.get(keyword) or [])
        for study_uid, series in studies.items():
            study = next((e for e in entries if str(e.get("StudyInstanceUID")) == study_uid),
                         None)
            if study is None:
                study = study_class(StudyInstanceUID=study_uid, ReferencedSeriesSequence=[])
                entries.append(study)
            listed = list[Any](study.get("ReferencedSeriesSequence") or [])
            for series_uid, instances in series.items():
                entry = next((e for e in listed
                              if str(e.get("SeriesInstanceUID")) == series_uid), None)
                if entry is None:
                    entry = series_class(SeriesInstanceUID=series_uid, ReferencedSOPSequence=[])
                    listed.append(entry)
                sops = list[Any](entry.get("ReferencedSOPSequence") or [])
                known = {str(s.get("ReferencedSOPInstanceUID")) for s in sops}
                sops.extend(instance_class(ReferencedSOPClassUID=sop_class,
                                           ReferencedSOPInstanceUID=instance)
                            for instance, sop_class in instances.items()
                            if instance not in known)
                setattr(entry, "ReferencedSOPSequence", sops)  # noqa: B010  # untyped item
            setattr(study, "ReferencedSeriesSequence", listed)  # noqa: B010
        setattr(document, keyword, entries)


def _concept(value: object, row: Row, tid: int) -> Code:
    if not isinstance(value, (Code, ContextGroup)):
        raise InvalidValueError(f"TID {tid} row {row.label}: a concept name is a code, got "
                                f"{value!r}")
    return as_code(value)


def _is_dataset(value: object) -> bool:
    from authoring.object.dataset import DatasetBase

    return isinstance(value, DatasetBase)


def _matches(item: Any, row: Row, relationship: str | None,
             claimed: frozenset[tuple[str, str, str]]) -> bool:
    try:
        if item.get("ValueType") != row.value_type or (
                relationship is not None and item.get("RelationshipType") != relationship):
            return False
        names = item.get("ConceptNameCodeSequence")
        if not names:
            return row.concept is None and row.value_type in NAMELESS and \
                row.concept_group is None
        concept = names[0]
        key = (concept.CodeValue, concept.CodingSchemeDesignator)
        if row.concept is not None:
            return key == (row.concept.value, row.concept.scheme)
        if row.value_type in NAMELESS and row.parameter is None and row.concept_group is None:
            return False  # the row makes items without a concept name
        if (row.value_type or "", *key) in claimed:
            return False  # a fixed-concept row of this level takes it
        if row.concept_group is not None:
            from authoring.codes import context_group

            return context_group(row.concept_group).lookup(Code(key[0], key[1], "")) \
                is not None
        return True
    except (AttributeError, IndexError, TypeError):
        return False


def _take(items: list[Any], row: Row, relationship: str | None,
          claimed: frozenset[tuple[str, str, str]], taken: set[int]) -> list[Any]:
    """The items ``row`` matches that no earlier row of the level took (now taken)."""
    matches = [i for i in items if id(i) not in taken and _matches(i, row, relationship,
                                                                     claimed)]
    taken.update(id(i) for i in matches)
    return matches


def _checked_value(item: Any, row: Row, tid: int) -> Any:
    """:func:`_read_value`, a malformed item reported as the row's error."""
    try:
        value = _read_value(item, row)
        if row.concept is None and row.value_type != "CONTAINER" and not (
                row.value_type in NAMELESS and not item.get("ConceptNameCodeSequence")):
            return Named(_read_code(item.ConceptNameCodeSequence[0], row.concept_group),
                         value)
        return value
    except (AttributeError, IndexError, TypeError, ValueError, InvalidValueError) as error:
        raise InvalidValueError(f"TID {tid} row {row.label}: a "
                                f"{row.value_type} content item without its value "
                                f"({error})") from error


def _read_code(entry: Any, group: int | None) -> Code | ContextGroup:
    code = Code(entry.CodeValue, entry.CodingSchemeDesignator, entry.CodeMeaning)
    if group is not None:
        from authoring.codes import context_group

        member = context_group(group).lookup(code)
        if member is not None:
            return member
    return code


def _read_value(item: Any, row: Row) -> Any:
    """The value of a content item, as the row's argument holds it."""
    kind = row.value_type
    if kind == "CONTAINER":  # an open concept name: the concept is the value
        return _read_code(item.ConceptNameCodeSequence[0], row.concept_group)
    if kind == "TEXT":
        return item.TextValue
    if kind == "PNAME":
        return str(item.PersonName)
    if kind == "UIDREF":
        return str(item.UID)
    if kind == "CODE":
        return _read_code(item.ConceptCodeSequence[0], row.value_set)
    if kind == "NUM":
        measured = item.MeasuredValueSequence[0]
        units = measured.MeasurementUnitsCodeSequence[0]
        number = measured.NumericValue
        if isinstance(number, (list, tuple)):
            number = cast("Sequence[Any]", number)[0]
        return Quantity(str(number).strip(),
                        Code(units.CodeValue, units.CodingSchemeDesignator,
                             units.CodeMeaning))
    if kind in ("IMAGE", "COMPOSITE"):
        reference = item.ReferencedSOPSequence[0]
        return Reference(str(reference.ReferencedSOPClassUID),
                         str(reference.ReferencedSOPInstanceUID),
                         tuple(_numbers(reference, "ReferencedFrameNumber")),
                         tuple(_numbers(reference, "ReferencedSegmentNumber")))
    if kind == "WAVEFORM":
        reference = item.ReferencedSOPSequence[0]
        return Reference(str(reference.ReferencedSOPClassUID),
                         str(reference.ReferencedSOPInstanceUID),
                         channels=tuple(_numbers(reference, "ReferencedWaveformChannels")))
    if kind == "TCOORD":
        return Tcoord(str(item.get("TemporalRangeType")),
                      tuple(_numbers(item, "ReferencedSamplePositions")),
                      tuple(float(v) for v in _values(item, "ReferencedTimeOffsets")),
                      tuple(str(v) for v in _values(item, "ReferencedDateTime")))
    if kind == "SCOORD":
        return Scoord(str(item.GraphicType), tuple(float(v) for v in item.GraphicData))
    if kind == "SCOORD3D":
        return Scoord3D(str(item.GraphicType), tuple(float(v) for v in item.GraphicData),
                        str(item.ReferencedFrameOfReferenceUID))
    if kind == "DATETIME":  # a full value as Python's type, a partial one as written
        value = item.DateTime
        return value.datetime if value.precision in ("second", "fraction") else value
    if kind == "DATE":
        value = item.Date
        return value.date if value.precision == "day" else value
    value = item.Time
    return value.time if value.precision in ("second", "fraction") else value


def _values(item: Any, keyword: str) -> list[Any]:
    value: Any = item.get(keyword)
    if value is None or value == "":
        return []
    return list(cast("Sequence[Any]", value)) if isinstance(value, (list, tuple)) else [value]


def _numbers(item: Any, keyword: str) -> list[int]:
    return [int(v) for v in _values(item, keyword)]


def _finish(node: _Node) -> ContentSequenceItem:
    if node.children:
        node.item.ContentSequence = [_finish(child) for child in node.children]
    return node.item
