"""Typed keyword attributes: a descriptor that reads and writes one data element.

Generated classes declare one per attribute, for example::

    PatientName: Attribute[PersonName, PersonName | str | None] = Attribute(0x00100010)

Type checkers read the first type argument as what reading gives and the second as what
writing accepts; at run time the descriptor reads the element's value (raising
``AttributeError`` when the element is absent) and writes through ``set_value``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

from authoring.errors import format_tag

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase

Get = TypeVar("Get")
Set = TypeVar("Set")


class Attribute(Generic[Get, Set]):
    """One keyword attribute of a data set class.

    ``multiple`` makes reading always give a tuple (the attribute's VM allows several
    values, so one value is returned as a 1-tuple and an empty value as ``()``); ``vr`` fixes
    the VR used when the element is created (defaults to the dictionary's, resolved for the
    data set).
    """

    __slots__ = ("tag", "keyword", "multiple", "vr")

    def __init__(self, tag: int, keyword: str = "", *, multiple: bool = False,
                 vr: str | None = None) -> None:
        """Describe the attribute of ``tag``."""
        self.tag = tag
        self.keyword = keyword
        self.multiple = multiple
        self.vr = vr

    def __set_name__(self, owner: type[Any], name: str) -> None:
        if not self.keyword:
            self.keyword = name

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Attribute[Get, Set]: ...

    @overload
    def __get__(self, instance: DatasetBase, owner: type[Any]) -> Get: ...

    def __get__(self, instance: DatasetBase | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        element = instance.elements.get(self.tag)
        if element is None:
            raise AttributeError(f"{self.keyword} {format_tag(self.tag)}"
                                 f" is not set in this {type(instance).__name__}")
        value: Any = element.value
        if self.multiple and not isinstance(value, tuple):
            return () if value is None or value == "" else (value,)
        return cast("Get", value)

    def __set__(self, instance: DatasetBase, value: Set) -> None:
        instance.set_value(self.tag, value, self.vr)

    def __delete__(self, instance: DatasetBase) -> None:
        if self.tag not in instance.elements:
            raise AttributeError(f"{self.keyword} is not set")
        del instance.elements[self.tag]

    def __repr__(self) -> str:
        return f"Attribute({self.keyword}, {format_tag(self.tag)})"
