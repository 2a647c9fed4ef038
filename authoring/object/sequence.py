"""Sequences of items (SQ values): a list of data sets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Generic, SupportsIndex, TypeVar, cast, overload

from authoring.errors import InvalidTypeError

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase

Item = TypeVar("Item", bound="DatasetBase")


def _check_item(item: object) -> Any:
    from authoring.object.dataset import DatasetBase

    if not isinstance(item, DatasetBase):
        raise InvalidTypeError(f"sequence items must be data sets, not {type(item).__name__}")
    return item


class Sequence(list[Item], Generic[Item]):
    """The value of an SQ element: a ``list`` of data set items.

    ``Sequence[Dataset]`` for plain data sets; typed builders use their item classes
    (``Sequence[ReferencedImageSequenceItem]``). Items are checked to be data sets when
    added. Whether each item is written with defined or undefined length is kept on the item
    (``item_undefined_length``); the sequence's own length form is kept on its element.
    """

    __slots__ = ()

    def __init__(self, items: Iterable[Item] | None = None) -> None:
        """A sequence holding ``items`` (each must be a data set)."""
        if items is None:
            super().__init__()
        else:
            super().__init__(_check_item(item) for item in items)

    def append(self, item: Item) -> None:
        """Add an item at the end."""
        super().append(_check_item(item))

    def insert(self, index: SupportsIndex, item: Item) -> None:
        """Insert an item before ``index``."""
        super().insert(index, _check_item(item))

    def extend(self, items: Iterable[Item]) -> None:
        """Add several items at the end."""
        super().extend(_check_item(item) for item in items)

    def __iadd__(self, items: Iterable[Item]) -> Sequence[Item]:  # type: ignore[override,misc]
        self.extend(items)
        return self

    @overload
    def __setitem__(self, index: SupportsIndex, item: Item) -> None: ...

    @overload
    def __setitem__(self, index: slice, item: Iterable[Item]) -> None: ...

    def __setitem__(self, index: Any, item: Any) -> None:
        if isinstance(index, slice):
            super().__setitem__(cast("slice[Any, Any, Any]", index),
                                [_check_item(i) for i in cast("Iterable[Item]", item)])
        else:
            super().__setitem__(index, _check_item(item))

    def __deepcopy__(self, memo: dict[int, Any]) -> Sequence[Item]:
        import copy

        return Sequence(copy.deepcopy(item, memo) for item in self)

    def __repr__(self) -> str:
        return f"<Sequence of {len(self)} item{'s' if len(self) != 1 else ''}>"


def items_of(value: object) -> list[DatasetBase]:
    """The items of a sequence value (none for a value that is not a sequence)."""
    return cast("list[DatasetBase]", value) if isinstance(value, list) else []
