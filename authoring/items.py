"""Typed classes of the items of every sequence the standard defines, one module per module
or macro: ``from authoring.items import general_series_module`` then
``general_series_module.RelatedSeriesSequenceItem(StudyInstanceUID=..., ...)``.

An item class is named after its sequence, scoped by the module or macro that defines the
sequence (where two sequences of one module share a keyword, the parent's keyword is
prefixed). A sequence whose items are exactly one macro uses the macro's class from
:mod:`authoring.parts`. All are generated (``authoring/_generated/items``) and imported on
first use.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: keep this module light
if TYPE_CHECKING:
    from authoring._generated.items import *
    from authoring.builders.base import Builder

from authoring._generated.items import MODULES as MODULES
from authoring._generated.items import __all__ as __all__
from authoring._generated.items import __dir__ as __dir__
from authoring._generated.items import __getattr__ as __getattr__


def item_class(name: str) -> type[Builder]:
    """The class an ``ITEMS`` entry of a builder names: ``module.ClassName`` of this package,
    or a macro class of :mod:`authoring.parts` (``CodeSequenceMacro``)."""
    module, _, class_name = name.rpartition(".")
    if module:
        if module not in MODULES:
            raise LookupError(f"no item class {name!r}: {module!r} is not a module of "
                              "authoring.items")
        found: type[Builder] = getattr(importlib.import_module(
            f"authoring._generated.items.{module}"), class_name)
        return found
    import authoring.parts

    macro: type[Builder] = getattr(authoring.parts, class_name)
    return macro
