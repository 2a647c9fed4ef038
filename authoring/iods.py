"""Typed builders, one per IOD of the standard: ``from authoring.iods import CTImage``.

Each builder is a data set whose attributes are the IOD's, typed from their VR and VM, and
whose constructor takes the Type 1 attributes nobody can fill in for you. Builders are
generated (``authoring/_generated/iods``) and each is imported only when first used.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: keep this module light
if TYPE_CHECKING:
    from authoring._generated.iods import *  # noqa: F403 - every builder, for type checkers

from authoring._generated.iods import INDEX as INDEX
from authoring._generated.iods import __all__ as __all__
from authoring._generated.iods import __dir__ as __dir__
from authoring._generated.iods import __getattr__ as __getattr__
