"""Files built to attack a code generator: text that closes string literals, starts
comments or new lines, looks like code, holds NULs and line separators; names of private
creators and files that do the same. Each is a valid-enough DICOM file our reader reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import authoring
from authoring import Dataset
from authoring.object.element import DataElement

PAYLOADS = [
    "'; import os; os.system('echo owned') #",
    '"); __import__("os").system("echo owned"); ("',
    "'''",
    '"""',
    "\\",
    "a\\b",
    "line one\nline two\r\nline three",
    "nul\x00inside",
    "line\u2028separator\u2029paragraph",
    "${{ jinja }} {% raw %} {# comment #}",
    "# not a comment",
    "__import__('os')",
    "\t\x0b\x0c",
]


def _base(charset: str = "ISO_IR 192") -> Dataset:
    ds = Dataset()
    ds.SpecificCharacterSet = charset
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.SOPInstanceUID = "1.2.3.4.5.6.7.8"
    ds.StudyInstanceUID = "1.2.3.4"
    ds.SeriesInstanceUID = "1.2.3.4.5"
    ds.Modality = "OT"
    return ds


def _text_values(ds: Dataset) -> None:
    ds.StudyDescription = PAYLOADS[0]
    ds.SeriesDescription = PAYLOADS[1]
    ds.add_new(0x00204000, "LT", "\n".join(PAYLOADS))  # Image Comments: LT allows controls
    ds.add_new(0x00324000, "LT", PAYLOADS[6])
    ds.add_new(0x0040A160, "UT", "".join(PAYLOADS))  # Text Value
    ds.add_new(0x00181030, "LO", PAYLOADS[7])  # Protocol Name with a NUL
    ds.add_new(0x00100010, "PN", "Doe^John'); evil()#\\Smith^\"\"\"^x")  # two PN values
    ds.add_new(0x00101001, "PN", ("a'b", 'c"d', "e\\f"))  # Other Patient Names, odd parts
    ds.add_new(0x00101000, "LO", (PAYLOADS[2], PAYLOADS[3], PAYLOADS[10]))


def _numbers(ds: Dataset) -> None:
    ds.add_new(0x00180050, "DS", " 1.50 ")  # Slice Thickness with spaces
    ds.add_new(0x00280030, "DS", ("+1e3", "-0.0"))
    ds.add_new(0x00200013, "IS", " 007")
    ds.add_new(0x00181310, "US", (1, 2, 3, 4))
    ds.add(DataElement(0x00189219, "FD", 1.5))


def _privates(ds: Dataset) -> None:
    ds.add_new(0x00290010, "LO", "ACME'); import os #")
    ds.add_new(0x00291001, "LO", PAYLOADS[1])
    ds.add_new(0x00290011, "LO", '"""\nimport os\n"""')
    ds.add_new(0x00291101, "UN", b"\x00\xff'\"\\\n" * 3)
    item = Dataset()
    item.add_new(0x00290010, "LO", "NESTED'CREATOR")
    item.add_new(0x00291002, "LT", PAYLOADS[4])
    ds.add_new(0x00291102, "SQ", [item])


def _nan_float(ds: Dataset) -> None:
    ds.add(DataElement(0x00189219, "FD", float("nan")))
    ds.add(DataElement(0x00189220, "FL", float("inf")))


def _undefined_lengths(ds: Dataset) -> None:
    inner = Dataset()
    inner.CodeValue = PAYLOADS[11]
    inner.CodingSchemeDesignator = "99'X"
    inner.CodeMeaning = PAYLOADS[9]
    inner.item_undefined_length = True
    ds.ConceptNameCodeSequence = [inner]
    ds["ConceptNameCodeSequence"].undefined_length = True


BUILDERS: dict[str, Callable[[Dataset], None]] = {
    "text": _text_values,
    "numbers": _numbers,
    "privates": _privates,
    "nan": _nan_float,
    "lengths": _undefined_lengths,
}

#: File names a user could be handed (each a single path component).
FILE_NAMES = ["plain.dcm", "quote'name.dcm", 'double"quote.dcm', "new\nline.dcm",
              "back\\slash.dcm", "..dotdot.dcm", "'''.dcm", "space name .dcm"]


def write_hostile(folder: Path) -> list[Path]:
    """Write every hostile file into ``folder``; return their paths."""
    paths = []
    for (kind, build), name in zip(BUILDERS.items(), FILE_NAMES, strict=False):
        ds = _base()
        build(ds)
        path = folder / f"{kind}-{name}"
        authoring.write(ds, path, validation="ignore")
        paths.append(path)
    for name in FILE_NAMES:
        ds = _base("ISO_IR 100")
        _numbers(ds)
        ds.StudyDescription = PAYLOADS[0]
        path = folder / name
        authoring.write(ds, path, validation="ignore")
        paths.append(path)
    return paths
