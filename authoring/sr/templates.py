"""Typed builders compiled from PS3.16 templates: ``from authoring.sr.templates import
ObserverContext, PersonObserverIdentifyingAttributes``.

One class per template encoded in ``dictionary/templates`` whose rows the compiler supports
so far (TID 1002, 1003, 1004, 1005, 1204, 4019); each takes one argument per row (required
rows required, context groups as types) and ``to_content()`` makes its content items. Each
is imported on first use.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: keep this module light
if TYPE_CHECKING:
    from authoring._generated.sr_templates import *

from authoring._generated.sr_templates import INDEX as INDEX
from authoring._generated.sr_templates import __all__ as __all__
from authoring._generated.sr_templates import __dir__ as __dir__
from authoring._generated.sr_templates import __getattr__ as __getattr__
