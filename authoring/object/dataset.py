"""Data sets: data elements ordered by tag, addressed by keyword, tag or tuple."""

from __future__ import annotations

import copy as _copy
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

from authoring.core.tag import SPECIFIC_CHARACTER_SET, Tag, TagLike
from authoring.dictionary.elements import all_keywords, tag_for_keyword, vr_for_tag
from authoring.errors import (
    AuthoringError,
    InvalidTypeError,
    InvalidValueError,
    UnknownKeywordError,
)
from authoring.object.ambiguous import BITS_ALLOCATED, PIXEL_REPRESENTATION, resolve
from authoring.object.element import DataElement
from authoring.object.private import PrivateBlock, find_block, reserve_block

if TYPE_CHECKING:
    from authoring._generated.dataset_keywords import DatasetKeywords
    from authoring.core.transfer_syntax import TransferSyntax
else:
    DatasetKeywords = object

_SLOTS = (
    "elements",
    "_unsorted",
    "_last",
    "file_meta",
    "preamble",
    "item_undefined_length",
    "filename",
    "read_transfer_syntax",
    "is_part10",
    "deflated_source",
    "__weakref__",
)
ATTRIBUTE_NAMES = frozenset(_SLOTS)
#: Attributes beside the elements, None until set (copied by copy() and deepcopy()).
_DETAILS = ("file_meta", "preamble", "item_undefined_length", "filename",
            "read_transfer_syntax", "is_part10", "deflated_source")


@cache
def _keywords_by_lower_case() -> dict[str, str]:
    return {k.lower(): k for k in all_keywords()}


def suggest_keywords(name: str, limit: int = 3, *, fuzzy: bool = True) -> list[str]:
    """Dictionary keywords close to ``name`` (for "did you mean" hints): a keyword differing
    only in case, else (with ``fuzzy``) the closest spellings."""
    exact = _keywords_by_lower_case().get(name.lower())
    if exact is not None and exact != name:
        return [exact]
    if not fuzzy:
        return []
    import difflib

    return difflib.get_close_matches(name, list(all_keywords()), n=limit, cutoff=0.75)


def _unknown_keyword(name: str) -> str:
    hint = suggest_keywords(name)
    message = f"{name!r} is not a DICOM keyword"
    if hint:
        message += "; did you mean " + " or ".join(repr(h) for h in hint) + "?"
    return message


def key_to_tag(key: TagLike) -> int:
    """The tag (plain int) of any key a data set accepts."""
    if type(key) is int or type(key) is Tag:
        return int(key)
    if isinstance(key, str):
        tag = tag_for_keyword(key)
        if tag is not None:
            return tag
    return int(Tag(key))


AnyDataset = TypeVar("AnyDataset", bound="DatasetBase")


class DatasetBase:
    """The machinery of a DICOM data set (see :class:`Dataset`): elements ordered by tag and
    addressed by keyword, tag or tuple. Typed builders derive from it; to type checkers it
    has no keyword attributes of its own, so each subclass declares the ones it offers.
    """

    __slots__ = _SLOTS

    elements: dict[int, DataElement]
    _unsorted: bool
    _last: int
    file_meta: DatasetBase | None
    preamble: bytes | None
    item_undefined_length: bool | None
    filename: str | None
    read_transfer_syntax: TransferSyntax | None
    is_part10: bool | None
    #: For a data set read from a deflated file: (SHA-256 of the inflated bytes, the
    #: compressed bytes), so that an unchanged data set is written with the same stream.
    deflated_source: tuple[bytes, bytes] | None

    def __init__(self, elements: Iterable[DataElement] | None = None, /, **values: Any) -> None:
        """An empty data set, or one holding ``elements`` and keyword ``values``:
        ``Dataset(PatientName="Doe^Jane", Modality="CT")``."""
        self._initialize({}, False, -1)
        if elements is not None:
            for element in elements:
                self.add(element)
        for keyword, value in values.items():
            setattr(self, keyword, value)

    @classmethod
    def from_elements(cls: type[AnyDataset], elements: dict[int, DataElement], unsorted: bool,
                       last: int) -> AnyDataset:
        """Wrap an element dict built by the reader (internal)."""
        dataset = cls.__new__(cls)
        dataset._initialize(elements, unsorted, last)
        return dataset

    def _initialize(self, elements: dict[int, DataElement], unsorted: bool, last: int) -> None:
        setter = object.__setattr__
        setter(self, "elements", elements)
        setter(self, "_unsorted", unsorted)
        setter(self, "_last", last)
        for name in _DETAILS:
            setter(self, name, None)

    # -- ordering -----------------------------------------------------------------------

    def ordered(self) -> dict[int, DataElement]:
        """The elements in tag order (sorted now if they were added out of order)."""
        if self._unsorted:
            object.__setattr__(self, "elements", dict(sorted(self.elements.items())))
            object.__setattr__(self, "_unsorted", False)
        return self.elements

    def _insert(self, tag: int, element: DataElement) -> None:
        elements = self.elements
        if tag not in elements:
            if tag < self._last:
                object.__setattr__(self, "_unsorted", True)
            else:
                object.__setattr__(self, "_last", tag)
        elements[tag] = element

    # -- element access -----------------------------------------------------------------

    def __getitem__(self, key: TagLike) -> DataElement:
        tag = key_to_tag(key)
        try:
            element = self.elements[tag]
        except KeyError:
            raise KeyError(f"{Tag(tag)} is not in the data set") from None
        if element.private_creator is None and tag >> 16 & 1 and tag & 0xFF00:
            element.private_creator = self.private_creator_of(tag)
        return element

    def get_element(self, key: TagLike) -> DataElement | None:
        """The element for ``key``, or None when absent."""
        if type(key) is int and key not in self.elements:
            return None  # the common miss, without building an exception
        try:
            return self[key]
        except (KeyError, UnknownKeywordError):
            return None

    def get(self, key: TagLike, default: Any = None) -> Any:
        """The *value* of the element for ``key``, or ``default`` when absent."""
        element = self.get_element(key)
        return default if element is None else element.value

    def __setitem__(self, key: TagLike, item: Any) -> None:
        tag = key_to_tag(key)
        if isinstance(item, DataElement):
            if item.tag_number != tag:
                raise InvalidValueError(f"element {item.tag} stored under a different tag "
                                        f"{Tag(tag)}")
            self._insert(tag, item)
            return
        self.set_value(tag, item)

    def __delitem__(self, key: TagLike) -> None:
        tag = key_to_tag(key)
        try:
            del self.elements[tag]
        except KeyError:
            raise KeyError(f"{Tag(tag)} is not in the data set") from None

    def __contains__(self, key: object) -> bool:
        try:
            tag = key_to_tag(key)  # type: ignore[arg-type]
        except (ValueError, TypeError, UnknownKeywordError):
            return False
        return tag in self.elements

    def __iter__(self) -> Iterator[DataElement]:
        return iter(list(self.ordered().values()))

    def __len__(self) -> int:
        return len(self.elements)

    def __bool__(self) -> bool:
        return True

    def keys(self) -> list[Tag]:
        """The tags present, in order."""
        return [Tag(t) for t in self.ordered()]

    def values(self) -> list[DataElement]:
        """The elements, in tag order."""
        return list(self.ordered().values())

    def items(self) -> list[tuple[Tag, DataElement]]:
        """``(tag, element)`` pairs in tag order."""
        return [(Tag(t), e) for t, e in self.ordered().items()]

    def add(self, element: DataElement) -> DataElement:
        """Add (or replace) an element; return it."""
        if not isinstance(cast(object, element), DataElement):  # only untyped callers fail
            raise InvalidTypeError(f"expected a DataElement, not {type(element).__name__}")
        self._insert(element.tag_number, element)
        return element

    def add_new(self, tag: TagLike, vr: str, value: Any) -> DataElement:
        """Add (or replace) an element built from ``tag``, ``vr`` and ``value``."""
        return self.add(DataElement(tag, vr, value))

    def pop(self, key: TagLike, *default: Any) -> Any:
        """Remove and return the element for ``key`` (or ``default``)."""
        tag = key_to_tag(key)
        if tag in self.elements:
            return self.elements.pop(tag)
        if default:
            return default[0]
        raise KeyError(f"{Tag(tag)} is not in the data set")

    def clear(self) -> None:
        """Remove every element."""
        self.elements.clear()
        object.__setattr__(self, "_last", -1)
        object.__setattr__(self, "_unsorted", False)

    # -- values by keyword ----------------------------------------------------------------

    def resolve_vr(self, tag: int) -> str:
        """The VR a new element ``tag`` gets in this data set (ambiguous VRs resolved)."""
        vr = vr_for_tag(tag)
        if " or " in vr:
            representation = self.get(PIXEL_REPRESENTATION)
            bits = self.get(BITS_ALLOCATED)
            vr = resolve(tag, vr, pixel_representation=representation
                         if isinstance(representation, int) else None,
                         bits_allocated=bits if isinstance(bits, int) else None)
        if vr == "UN" and tag >> 16 & 1 and tag & 0xFF00:
            creator = self.private_creator_of(tag)
            if creator is not None:
                from authoring.dictionary.private import private_element_info

                info = private_element_info(creator, tag)
                if info is not None and info.vr and " " not in info.vr:
                    return info.vr
        return vr

    def set_value(self, key: TagLike, value: Any, vr: str | None = None) -> DataElement:
        """Set the value of ``key`` (creating the element with its dictionary VR, or ``vr``).

        An existing element keeps its VR unless ``vr`` is given.
        """
        tag = key_to_tag(key)
        existing = self.elements.get(tag)
        if existing is not None and (vr is None or vr == existing.vr):
            existing.value = value
            return existing
        if vr is None:
            vr = self.resolve_vr(tag)
            if vr == "UN" and tag >> 16 & 1:
                raise AuthoringError(
                    f"{Tag(tag)} is a private element the dictionary does not know; "
                    "give its VR: ds.add_new(tag, vr, value) or a private block"
                )
        element = DataElement(tag, vr, value)
        self._insert(tag, element)
        return element

    if not TYPE_CHECKING:  # keyword attributes: typed per class (see Dataset, builders)

        def __getattr__(self, name: str) -> Any:
            if name.startswith("_") or not name[:1].isupper():
                message = f"{type(self).__name__!r} object has no attribute {name!r}"
                if not name.startswith("_"):
                    hint = suggest_keywords(name, limit=1, fuzzy=False)
                    if hint:
                        message += f"; did you mean {hint[0]!r}?"
                raise AttributeError(message)
            tag = tag_for_keyword(name)
            if tag is None:
                raise AttributeError(_unknown_keyword(name))
            element = self.elements.get(tag)
            if element is None:
                raise AttributeError(f"{name} {Tag(tag)} is not in the data set")
            return element.value

        def __setattr__(self, name: str, value: Any) -> None:
            if name in ATTRIBUTE_NAMES:
                object.__setattr__(self, name, value)
                return
            tag = tag_for_keyword(name)
            if tag is None:
                raise AttributeError(_unknown_keyword(name))
            self.set_value(tag, value)

        def __delattr__(self, name: str) -> None:
            if name in ATTRIBUTE_NAMES:
                object.__delattr__(self, name)
                return
            tag = tag_for_keyword(name)
            if tag is None:
                raise AttributeError(_unknown_keyword(name))
            if tag not in self.elements:
                raise AttributeError(f"{name} {Tag(tag)} is not in the data set")
            del self.elements[tag]

    def dir(self, *filters: str) -> list[str]:
        """Keywords of the elements present, sorted; with ``filters``, only keywords that
        contain one of them (case-insensitive): ``ds.dir("date", "time")``."""
        from authoring.dictionary.elements import keyword_for_tag

        keywords = [keyword_for_tag(tag) for tag in self.elements]
        present = sorted(k for k in keywords if k)
        if not filters:
            return present
        wanted = [f.lower() for f in filters]
        return [k for k in present if any(f in k.lower() for f in wanted)]

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.dir()))

    # -- character set ----------------------------------------------------------------------

    @property
    def specific_character_set(self) -> tuple[str, ...]:
        """The terms of Specific Character Set (0008,0005) of this data set (may be empty)."""
        value = self.get(SPECIFIC_CHARACTER_SET)
        if not value:
            return ()
        if isinstance(value, str):
            return (value,)
        return tuple(str(v) for v in value)

    # -- private data -------------------------------------------------------------------------

    def private_creator_of(self, tag: int) -> str | None:
        """The creator reserving the block of private element ``tag``, or None."""
        block = (tag & 0xFF00) >> 8
        if not tag >> 16 & 1 or block < 0x10:
            return None
        creator = self.elements.get((tag & 0xFFFF0000) | block)
        if creator is None:
            return None
        value: Any = creator.value
        if isinstance(value, tuple):
            several = cast("tuple[Any, ...]", value)
            value = several[0] if several else ""
        return str(value).strip() if isinstance(value, str) else None

    def private_creators(self, group: int) -> list[str]:
        """The creators that reserved blocks in ``group``, in block order."""
        creators: list[str] = []
        for block in range(0x10, 0x100):
            element = self.elements.get(group << 16 | block)
            if element is not None and isinstance(element.value, str):
                creators.append(element.value.strip())
        return creators

    def private_block(self, group: int, creator: str, *, create: bool = False) -> PrivateBlock:
        """The block ``creator`` reserved in odd ``group``; reserve one when ``create``."""
        if not group & 1 or group in (0x0001, 0x0003, 0x0005, 0x0007, 0xFFFF):
            raise InvalidValueError(f"group {group:04X} is not a private group")
        block = find_block(self, group, creator)
        if block is None:
            if not create:
                raise KeyError(f"no private block of {creator!r} in group {group:04X}")
            block = reserve_block(self, group, creator)
        return PrivateBlock(self, group, creator, block)

    # -- whole-data-set operations --------------------------------------------------------------

    def walk(self) -> Iterator[tuple[tuple[int, ...], DataElement]]:
        """Every element, depth first, with its path of (tag, item index, tag, ...)."""
        stack: list[tuple[tuple[int, ...], DatasetBase]] = [((), self)]
        while stack:
            path, dataset = stack.pop()
            elements = list(dataset)
            pending: list[tuple[tuple[int, ...], DatasetBase]] = []
            for element in elements:
                here = (*path, element.tag_number)
                yield here, element
                if element.vr == "SQ" or (element.vr == "UN" and element.undefined_length):
                    value = element.value
                    if isinstance(value, list):
                        for index, item in enumerate(cast("list[DatasetBase]", value)):
                            pending.append(((*here, index), item))
            stack.extend(reversed(pending))

    def copy(self: AnyDataset) -> AnyDataset:
        """A shallow copy: new elements, shared nested items and values."""
        twin = type(self).from_elements(
            {tag: element.copy() for tag, element in self.elements.items()},
            self._unsorted, self._last,
        )
        for name in _DETAILS:
            object.__setattr__(twin, name, getattr(self, name))
        if self.file_meta is not None:
            object.__setattr__(twin, "file_meta", self.file_meta.copy())
        return twin

    __copy__ = copy

    def copy_shared(self: AnyDataset) -> AnyDataset:
        """A copy holding the very element objects of this data set (nested items and file
        meta shared too): the cheapest copy, for a data set changed only through
        :meth:`replace_value` and then written and dropped. ``set_value`` or attribute
        assignment on it would change this data set as well."""
        twin = type(self).from_elements(dict(self.elements), self._unsorted, self._last)
        for name in _DETAILS:
            object.__setattr__(twin, name, getattr(self, name))
        return twin

    def replace_value(self, key: TagLike, value: Any, vr: str | None = None) -> DataElement:
        """Set ``key``'s value on a new element that takes the place of the old one, which
        is left as it was (for copies made with :meth:`copy_shared`)."""
        tag = key_to_tag(key)
        existing = self.elements.get(tag)
        if existing is None or (vr is not None and vr != existing.vr):
            return self.set_value(tag, value, vr)
        element = existing.copy()
        element.value = value
        self.elements[tag] = element
        return element

    def __deepcopy__(self: AnyDataset, memo: dict[int, Any]) -> AnyDataset:
        twin = type(self).from_elements(
            {tag: _copy.deepcopy(element, memo) for tag, element in self.elements.items()},
            self._unsorted, self._last,
        )
        for name in _DETAILS:
            object.__setattr__(twin, name, getattr(self, name))
        if self.file_meta is not None:
            object.__setattr__(twin, "file_meta", _copy.deepcopy(self.file_meta, memo))
        return twin

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DatasetBase):
            return NotImplemented
        if self.elements.keys() != other.elements.keys():
            return False
        return all(element == other.elements[tag] for tag, element in self.elements.items())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        from authoring.object.render import dump_text

        return dump_text(self)


class Dataset(DatasetBase, DatasetKeywords):
    """A DICOM data set: the data model. (:class:`authoring.Dataset`, what ``authoring.read``
    returns and users build, adds pixel data, validation and writing, from the layers above
    this one.)

    >>> ds = Dataset()
    >>> ds.PatientName = "Doe^Jane"
    >>> ds["PatientName"].vr, ds[0x00100010].value, (0x0010, 0x0010) in ds
    ('PN', PersonName('Doe^Jane'), True)

    Iterating yields the :class:`DataElement` objects in tag order. ``file_meta`` holds the
    File Meta Information (group 0002) of a Part 10 file and ``preamble`` its 128-byte
    preamble; both are None for a data set built in code until it is written.

    Every keyword of the dictionary is an attribute, typed by its VR and VM for type
    checkers (``ds.PatientName`` is a :class:`PersonName`); a name that is not a keyword is
    a type error and, at run time, an ``AttributeError`` with a "did you mean" hint.
    """

    __slots__ = ()
