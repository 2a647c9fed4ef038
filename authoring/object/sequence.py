"""Sequences of items (SQ values): a list of data sets."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, SupportsIndex, overload

if TYPE_CHECKING:
    from authoring.object.dataset import Dataset


def _check_item(item: object) -> Dataset:
    from authoring.object.dataset import Dataset

    if not isinstance(item, Dataset):
        raise TypeError(f"sequence items must be Dataset objects, not {type(item).__name__}")
    return item


class Sequence(list["Dataset"]):
    """The value of an SQ element: a ``list`` of :class:`Dataset` items.

    Items are checked to be data sets when they are added. Whether each item is written with
    defined or undefined length is kept on the item (``Dataset.item_undefined_length``);
    the sequence's own length form is kept on its element.
    """

    __slots__ = ()

    def __init__(self, items: Iterable[Dataset] | None = None) -> None:
        """A sequence holding ``items`` (each must be a :class:`Dataset`)."""
        if items is None:
            super().__init__()
        else:
            super().__init__(_check_item(item) for item in items)

    def append(self, item: Dataset) -> None:
        """Add an item at the end."""
        super().append(_check_item(item))

    def insert(self, index: SupportsIndex, item: Dataset) -> None:
        """Insert an item before ``index``."""
        super().insert(index, _check_item(item))

    def extend(self, items: Iterable[Dataset]) -> None:
        """Add several items at the end."""
        super().extend(_check_item(item) for item in items)

    def __iadd__(self, items: Iterable[Dataset]) -> Sequence:  # type: ignore[override,misc]
        self.extend(items)
        return self

    @overload
    def __setitem__(self, index: SupportsIndex, item: Dataset) -> None: ...

    @overload
    def __setitem__(self, index: slice, item: Iterable[Dataset]) -> None: ...

    def __setitem__(self, index: Any, item: Any) -> None:
        if isinstance(index, slice):
            super().__setitem__(index, [_check_item(i) for i in item])
        else:
            super().__setitem__(index, _check_item(item))

    def __deepcopy__(self, memo: dict[int, Any]) -> Sequence:
        import copy

        return Sequence(copy.deepcopy(item, memo) for item in self)

    def __repr__(self) -> str:
        return f"<Sequence of {len(self)} item{'s' if len(self) != 1 else ''}>"
