"""Base classes of the generated builders.

A builder is a data set (:class:`~authoring.object.dataset.DatasetBase`) whose class declares
the attributes it offers as typed descriptors. Assigning or reading any other name fails
with an ``AttributeError`` naming the closest attributes of that class; the full data set
API (``builder[tag]``, private blocks, ``set_value``) stays available for anything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from authoring.core.uid import generate_uid
from authoring.dataset import DatasetActions
from authoring.object.attribute import Attribute
from authoring.object.dataset import ATTRIBUTE_NAMES, DatasetBase

if TYPE_CHECKING:
    from typing import Self

    import numpy.typing as npt

    from authoring.validation.iod import Report


class _Unset:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


#: Default of optional constructor arguments: "leave the attribute out".
UNSET: Any = _Unset()


class Builder(DatasetActions):
    """A data set with typed attributes (generated subclasses declare them), and the pixel,
    validation and writing conveniences of :class:`authoring.Dataset`."""

    __slots__ = ()

    #: Names of the attributes the class declares (filled in for each subclass).
    ATTRIBUTES: ClassVar[frozenset[str]] = frozenset()
    #: Sequence keyword -> its item class, ``module.ClassName`` of :mod:`authoring.items` or a
    #: macro class of :mod:`authoring.parts` (see ``authoring.items.item_class``; a class's
    #: own entries merged with its bases').
    ITEMS: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **options: Any) -> None:
        super().__init_subclass__(**options)
        names: set[str] = set()
        items: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            items.update(vars(klass).get("ITEMS", {}))
            for name, value in vars(klass).items():
                if isinstance(value, Attribute):
                    names.add(name)
        setattr(cls, "ATTRIBUTES", frozenset(names))  # per class, computed once
        setattr(cls, "ITEMS", items)

    @classmethod
    def blank(cls) -> Self:
        """An instance with nothing set: no UIDs generated, no attribute filled in (what
        codify's typed scripts start from; the constructor is the way to build new data)."""
        return cls.from_elements({}, False, -1)

    def _assign(self, **values: Any) -> None:
        """Set every value that is not :data:`UNSET`."""
        for name, value in values.items():
            if value is not UNSET:
                setattr(self, name, value)

    @classmethod
    def view(cls, dataset: DatasetBase) -> Self:
        """This class's typed view of ``dataset``: the same elements (changes show in both),
        the same file meta and preamble."""
        view = cls.from_elements(dataset.elements, dataset._unsorted, dataset._last)
        for name in ("file_meta", "preamble", "filename", "read_transfer_syntax", "is_part10"):
            object.__setattr__(view, name, getattr(dataset, name))
        return view

    def _hint(self, name: str) -> str:
        import difflib  # only for the message of a misspelt name

        close = difflib.get_close_matches(name, sorted(type(self).ATTRIBUTES), n=3, cutoff=0.6)
        lowered = {a.lower(): a for a in type(self).ATTRIBUTES}
        if name.lower() in lowered:
            close = [lowered[name.lower()]]
        message = f"{type(self).__name__} has no attribute {name!r}"
        if close:
            message += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
        return message

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            raise AttributeError(self._hint(name))

        def __setattr__(self, name: str, value: Any) -> None:
            if name in ATTRIBUTE_NAMES or name in type(self).ATTRIBUTES:
                object.__setattr__(self, name, value)
                return
            raise AttributeError(self._hint(name) + " (use builder[keyword] = value for "
                                 "attributes outside it)")

        def __delattr__(self, name: str) -> None:
            if name in ATTRIBUTE_NAMES or name in type(self).ATTRIBUTES:
                object.__delattr__(self, name)
                return
            raise AttributeError(self._hint(name))


class IODBuilder(Builder):
    """A builder for one IOD: knows its SOP class(es) and modules, fills what the standard
    fixes, and checks itself against the IOD (:meth:`validate`)."""

    __slots__ = ()

    IOD: ClassVar[str] = ""
    SOP_CLASS_UIDS: ClassVar[tuple[str, ...]] = ()
    MODULES: ClassVar[tuple[tuple[str, str], ...]] = ()
    TYPE2: ClassVar[tuple[str, ...]] = ()
    TYPE2C: ClassVar[tuple[tuple[str, str], ...]] = ()

    def _start(self, *, sop_class_uid: str, required: dict[str, Any],
               uids: dict[str, Any], fixed: dict[str, Any],
               pixel_array: npt.NDArray[Any] | None = None, photometric: str | None = None,
               multi_frame: bool = False) -> None:
        """The common body of the generated constructors."""
        for keyword in self.TYPE2:
            setattr(self, keyword, None)
        if pixel_array is not None:
            from authoring.pixels.native import pixel_attributes

            values = pixel_attributes(pixel_array, photometric=photometric,
                                      multi_frame=multi_frame or None)
            for keyword, value in values.items():
                if keyword in type(self).ATTRIBUTES or keyword == "PixelData":
                    self.set_value(keyword, value)
        for keyword, value in fixed.items():
            setattr(self, keyword, value)
        setattr(self, "SOPClassUID", sop_class_uid)
        for keyword, value in uids.items():
            setattr(self, keyword, generate_uid() if value is None else value)
        for keyword, value in required.items():
            setattr(self, keyword, value)
        self._add_conditional_type2()

    def _add_conditional_type2(self) -> None:
        """Add empty Type 2C attributes whose condition holds for what is set so far."""
        if not self.TYPE2C:
            return
        from authoring.validation.conditions import Scope, holds

        scope = Scope(self, (), self.file_meta)
        for keyword, condition in self.TYPE2C:
            if keyword not in self and holds(condition, scope) is True:
                setattr(self, keyword, None)

    def validate(self, iod: str | None = None) -> Report:
        """Check this data set against its IOD (this builder's unless ``iod`` is given)."""
        from authoring.validation.iod import validate

        return validate(self, iod or self.IOD)
