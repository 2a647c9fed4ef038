"""Structured reporting: content items from typed values (:mod:`authoring.sr.values`),
and the base of the builders compiled from PS3.16 templates
(:mod:`authoring.sr.templates`)."""

from authoring.sr.content import code_item, content_item
from authoring.sr.template import Row, TemplateBuilder
from authoring.sr.values import Named, Quantity, Reference, Scoord, Scoord3D, Tcoord, ucum

__all__ = ["Named", "Quantity", "Reference", "Row", "Scoord", "Scoord3D", "Tcoord",
           "TemplateBuilder",
           "code_item", "content_item", "ucum"]
