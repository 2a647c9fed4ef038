"""The base of the builders compiled from PS3.16 templates: a template's rows as data, the
values given for them, and the content tree they make."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from authoring.core.code import Code
from authoring.errors import InvalidValueError
from authoring.sr.content import Value, content_item

if TYPE_CHECKING:
    from typing import Self

    from authoring._generated.items.document_relationship_macro import (
        ContentSequenceItem,
    )
    from authoring.object.dataset import DatasetBase


@dataclass(frozen=True)
class Row:
    """One row of a compiled template: where it sits, what it makes, which argument holds
    its value(s)."""

    label: str  # PS3.16's row label
    nesting: int  # 0 at the template's top
    relationship: str | None  # None: the including row's
    value_type: str | None  # None for an INCLUDE row
    concept: Code | None
    argument: str
    multiple: bool  # VM allows several
    template: type[TemplateBuilder] | None = None  # an INCLUDE row's template
    value_set: int | None = None  # a CODE row's context group, where compiled


@dataclass
class _Node:
    item: ContentSequenceItem
    children: list[_Node]


class TemplateBuilder:
    """A template's values; :meth:`to_content` makes its content items."""

    __slots__ = ("values",)

    #: The template's number and rows (set by each compiled class).
    TID: ClassVar[int] = 0
    ROWS: ClassVar[tuple[Row, ...]] = ()

    def __init__(self, **values: Any) -> None:
        """Keep the values given (None: the row is left out)."""
        self.values: dict[str, Any] = {k: v for k, v in values.items() if v is not None}

    def to_content(self, relationship: str | None = None) -> list[ContentSequenceItem]:
        """The content items of this template, in row order, nested rows in the Content
        Sequence of the row above them; ``relationship`` is used for rows whose template
        leaves it to the including row."""
        return [_finish(node) for node in self._nodes(relationship)]

    @classmethod
    def view(cls, items: Sequence[DatasetBase], relationship: str | None = None) -> Self:
        """This template's values read back from ``items`` (the content items of the level
        the template was included at, for example a document's Content Sequence): each row
        takes the items of its value type, concept name and relationship, nested rows those
        inside its item; codes of a compiled context group come back as its members. Items
        no row matches are left alone."""
        view = cls.__new__(cls)
        view.values = {}
        cls._read(view.values, list[Any](items), 0, 0, relationship)
        return view

    @classmethod
    def _read(cls, values: dict[str, Any], items: list[Any], start: int,
              nesting: int, relationship: str | None) -> None:
        """Fill ``values`` from ``items`` for the rows from ``start`` at ``nesting``."""
        index = start
        while index < len(cls.ROWS):
            row = cls.ROWS[index]
            if row.nesting < nesting:
                return
            if row.nesting > nesting:
                index += 1
                continue
            wanted = row.relationship or relationship
            if row.template is not None:
                found: list[Any] = []
                included = row.template.view(items, wanted)
                if included.values:
                    found.append(included)
            else:
                matches = [i for i in items if _matches(i, row, wanted)]
                found = [_checked_value(i, row, cls.TID) for i in matches]
                if matches and index + 1 < len(cls.ROWS) and \
                        cls.ROWS[index + 1].nesting > row.nesting:
                    children = list[Any](getattr(matches[-1], "ContentSequence", None) or ())
                    cls._read(values, children, index + 1, row.nesting + 1, relationship)
            if found:
                values[row.argument] = found if row.multiple else found[0]
            index += 1

    def _nodes(self, relationship: str | None) -> list[_Node]:
        top: list[_Node] = []
        # the children list of the last item made at each nesting level (None: row absent)
        open_rows: list[tuple[int, list[_Node] | None, str]] = []
        for row in self.ROWS:
            while open_rows and open_rows[-1][0] >= row.nesting:
                open_rows.pop()
            siblings = open_rows[-1][1] if open_rows else top
            value = self.values.get(row.argument)
            if value is None:
                open_rows.append((row.nesting, None, row.label))
                continue
            if siblings is None:
                parent = open_rows[-1][2]
                raise InvalidValueError(f"TID {self.TID} row {row.label} ({row.argument}) is "
                                        f"given but row {parent}, which holds it, is not")
            values: Sequence[Any] = value if row.multiple else [value]
            children: list[_Node] | None = None
            for one in values:
                if row.value_type is None:  # an included template
                    if not isinstance(one, TemplateBuilder):
                        raise InvalidValueError(f"TID {self.TID} row {row.label} takes a "
                                                f"template builder, got {one!r}")
                    siblings.extend(one._nodes(row.relationship or relationship))
                    continue
                node = _Node(content_item(row.relationship or relationship, row.value_type,
                                          row.concept, _value(one)), [])
                siblings.append(node)
                children = node.children
            open_rows.append((row.nesting, children, row.label))
        return top


def _matches(item: Any, row: Row, relationship: str | None) -> bool:
    try:
        concept = item.ConceptNameCodeSequence[0]
        same_concept = row.concept is not None and (
            concept.CodeValue, concept.CodingSchemeDesignator) == (row.concept.value,
                                                                   row.concept.scheme)
        return same_concept and item.ValueType == row.value_type and (
            relationship is None or item.RelationshipType == relationship)
    except (AttributeError, IndexError):
        return False


def _checked_value(item: Any, row: Row, tid: int) -> Any:
    """:func:`_read_value`, a malformed item reported as the row's error."""
    try:
        return _read_value(item, row)
    except (AttributeError, IndexError, TypeError, ValueError) as error:
        raise InvalidValueError(f"TID {tid} row {row.label}: a "
                                f"{row.value_type} content item without its value "
                                f"({error})") from error


def _read_value(item: Any, row: Row) -> Any:
    """The value of a content item, as the row's argument holds it."""
    if row.value_type == "TEXT":
        return item.TextValue
    if row.value_type == "PNAME":
        return str(item.PersonName)
    if row.value_type == "UIDREF":
        return str(item.UID)
    if row.value_type == "CODE":
        entry = item.ConceptCodeSequence[0]
        code = Code(entry.CodeValue, entry.CodingSchemeDesignator, entry.CodeMeaning)
        if row.value_set is not None:
            from authoring.codes import context_group

            member = context_group(row.value_set).lookup(code)
            if member is not None:
                return member
        return code
    if row.value_type == "DATETIME":
        return item.DateTime
    if row.value_type == "DATE":
        return item.Date
    return item.Time


def _value(value: object) -> Value:
    return cast("Value", value)  # checked by content_item, by value type


def _finish(node: _Node) -> ContentSequenceItem:
    if node.children:
        node.item.ContentSequence = [_finish(child) for child in node.children]
    return node.item
