"""Python value types for DICOM values: person names, dates and times, decimal and integer
strings. Each keeps the text it was made from, so unchanged values write back unchanged."""

from authoring.core.values.datetime import DA, DT, TM
from authoring.core.values.numbers import DS, IS
from authoring.core.values.person_name import PersonName

__all__ = ["DA", "DS", "DT", "IS", "TM", "PersonName"]
