"""PS3.16 context groups, one enumeration per CID: ``from authoring.codes import CID7151``.

Each member's value is a :class:`Code` (``CID7151.Liver.value``, or ``.code``); a parameter
typed ``CID7151`` accepts only that group's members, so a code from another group is a type
error. Compiled from the normalized ``dictionary/context_groups`` (see its PROVENANCE.md);
each group is imported on first use.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: keep this module light
if TYPE_CHECKING:
    from authoring._generated.codes import *

from authoring._generated.codes import __all__ as __all__
from authoring._generated.codes import __dir__ as __dir__
from authoring._generated.codes import __getattr__ as __getattr__
from authoring.core.code import Code as Code
from authoring.core.code import ContextGroup as ContextGroup
from authoring.core.code import as_code as as_code


def context_group(cid: int) -> type[ContextGroup]:
    """The enumeration of context group ``cid`` (``context_group(7151)``)."""
    try:
        module = importlib.import_module(f"authoring._generated.codes.cid{int(cid)}")
    except ModuleNotFoundError:
        raise LookupError(f"no context group CID {cid} in this dictionary") from None
    group: type[ContextGroup] = getattr(module, f"CID{int(cid)}")
    return group
