"""Typed builders compiled from PS3.16 templates: ``from authoring.sr.templates import
MeasurementReport, MeasurementAndQualitativeEvaluationGroup, Measurement``.

One class per template encoded in ``dictionary/templates`` (TID 1500, 2000, 2010, 10011
and everything they include: 300, 310-312, 315, 320, 321, 1000-1010, 1020, 1021, 1201,
1204, 1210, 1400-1402, 1410, 1411, 1419, 1420, 1501, 1502, 1600-1607, 2001, 2002, 4019,
4108, 10012-10015), plus a class per *row group* (a repeating row with rows nested under
it, such as ``FindingSite`` or ``ImageLibraryGroup``). Each takes one argument per row
(required rows required, context groups and value types as types); ``to_content()`` makes
its content items, ``fill(document)`` makes a root template a document's content, and
``view(items_or_document)`` reads the values back. Each class is imported on first use.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: keep this module light
if TYPE_CHECKING:
    from authoring._generated.sr_templates import *

from authoring._generated.sr_templates import INDEX as INDEX
from authoring._generated.sr_templates import __all__ as __all__
from authoring._generated.sr_templates import __dir__ as __dir__
from authoring._generated.sr_templates import __getattr__ as __getattr__
