"""Structured reporting: content items from typed values, and the base of the builders
compiled from PS3.16 templates (:mod:`authoring.sr.templates`)."""

from authoring.sr.content import code_item, content_item
from authoring.sr.template import Row, TemplateBuilder

__all__ = ["Row", "TemplateBuilder", "code_item", "content_item"]
