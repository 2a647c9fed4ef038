"""Run-time support of the generated typed builders (:mod:`authoring.iods`,
:mod:`authoring.parts`)."""

from authoring.builders.base import UNSET, Builder, IODBuilder

__all__ = ["UNSET", "Builder", "IODBuilder"]
