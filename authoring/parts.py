"""Typed classes of every module and macro of the standard:
``from authoring.parts import CodeSequenceMacro, PatientModule``.

Module classes declare one module's attributes (the IOD builders of :mod:`authoring.iods`
are composed of them; ``PatientModule.view(ds)`` is a typed view of any data set); macro
classes one macro's, and serve as the item class of sequences whose items are that macro.
The items of other sequences have classes in :mod:`authoring.items`. All are generated
(``authoring/_generated/parts``) and imported on first use.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: keep this module light
if TYPE_CHECKING:
    from authoring._generated.parts import *  # noqa: F403 - every class, for type checkers

from authoring._generated.parts import INDEX as INDEX
from authoring._generated.parts import __all__ as __all__
from authoring._generated.parts import __dir__ as __dir__
from authoring._generated.parts import __getattr__ as __getattr__
