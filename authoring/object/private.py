"""Private blocks (PS3.5 7.8.1): a creator reserves elements ``(gggg,xx00-xxFF)`` of an odd
group by writing its name in ``(gggg,00xx)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authoring.core.tag import Tag
from authoring.errors import AuthoringError, InvalidValueError

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase
    from authoring.object.element import DataElement


class PrivateBlock:
    """The elements one private creator owns in one group, addressed by offset (0x00-0xFF).

    >>> block = ds.private_block(0x0029, "ACME 1.0", create=True)   # doctest: +SKIP
    >>> block.add(0x10, "LO", "hello")                              # doctest: +SKIP
    >>> block[0x10].tag                                             # doctest: +SKIP
    (0029,1010)
    """

    __slots__ = ("group", "creator", "block", "dataset")

    def __init__(self, dataset: DatasetBase, group: int, creator: str, block: int) -> None:
        """Wrap block ``block`` (the ``xx`` of ``(gggg,xx00)``) of ``group`` in ``dataset``."""
        self.dataset = dataset
        self.group = group
        self.creator = creator
        self.block = block

    def tag(self, offset: int) -> Tag:
        """The full tag of the element at ``offset`` in this block."""
        if not 0 <= offset <= 0xFF:
            raise InvalidValueError(f"a private block offset is 0x00 .. 0xFF, not {offset:#x}")
        return Tag(self.group, self.block << 8 | offset)

    def __contains__(self, offset: int) -> bool:
        return self.tag(offset) in self.dataset

    def __getitem__(self, offset: int) -> DataElement:
        return self.dataset[self.tag(offset)]

    def __delitem__(self, offset: int) -> None:
        del self.dataset[self.tag(offset)]

    def add(self, offset: int, vr: str | None, value: Any) -> DataElement:
        """Add (or replace) the element at ``offset``; ``vr`` may be None when the private
        dictionary knows this creator's element."""
        from authoring.dictionary.private import private_element_info
        from authoring.object.element import DataElement

        tag = self.tag(offset)
        if vr is None:
            info = private_element_info(self.creator, tag)
            if info is None or " " in info.vr or not info.vr:
                raise AuthoringError(
                    f"{tag}: the private dictionary does not give a VR for offset "
                    f"{offset:#04x} of {self.creator!r}; pass one"
                )
            vr = info.vr
        element = DataElement(tag, vr, value, private_creator=self.creator)
        self.dataset.add(element)
        return element

    def __setitem__(self, offset: int, value: Any) -> None:
        tag = self.tag(offset)
        if tag in self.dataset:
            self.dataset[tag].value = value
        else:
            self.add(offset, None, value)

    def offsets(self) -> list[int]:
        """Offsets of the elements present in this block."""
        low = self.group << 16 | self.block << 8
        return [t & 0xFF for t in self.dataset.keys() if low <= t <= low + 0xFF]

    def __repr__(self) -> str:
        return (f"PrivateBlock(group={self.group:04X}, creator={self.creator!r}, "
                f"block={self.block:02X})")


def find_block(dataset: DatasetBase, group: int, creator: str) -> int | None:
    """The block byte reserved by ``creator`` in ``group``, or None."""
    wanted = creator.strip()
    for block in range(0x10, 0x100):
        element = dataset.get_element(group << 16 | block)
        if element is not None and isinstance(element.value, str) and \
                element.value.strip() == wanted:
            return block
    return None


def reserve_block(dataset: DatasetBase, group: int, creator: str) -> int:
    """Write ``creator`` into the first free ``(gggg,0010-00FF)`` slot; return the block."""
    from authoring.object.element import DataElement

    for block in range(0x10, 0x100):
        tag = group << 16 | block
        if tag not in dataset:
            dataset.add(DataElement(tag, "LO", creator))
            return block
    raise AuthoringError(f"group {group:04X} has no free private creator slot")
