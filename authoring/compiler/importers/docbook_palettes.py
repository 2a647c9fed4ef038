"""Import the well-known colour palettes of PS3.6 Annex B from NEMA's DocBook XML: for each
palette its Content Label, SOP Instance UID (Table A-1), LUT descriptor and the red, green
and blue tables."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from authoring.compiler.importers.docbook import (
    DOCBOOK,
    cell_text,
    edition_of,
    parse_docbook,
    read_uids,
)
from authoring.errors import DictionarySourceError

_LABEL = re.compile(r'Content Label \(0070,0080\) shall be "([A-Z0-9_]+)"')


@dataclass(frozen=True)
class Palette:
    """One well-known colour palette."""

    name: str  # "Hot Iron"
    label: str  # "HOT_IRON"
    uid: str
    entries: int
    first: int
    bits: int
    red: tuple[int, ...]
    green: tuple[int, ...]
    blue: tuple[int, ...]


def _numbers(table: ET.Element) -> list[list[int]]:
    rows: list[list[int]] = []
    for row in table.iter(f"{DOCBOOK}tr"):
        cells = [cell_text(c) for c in row if c.tag in (f"{DOCBOOK}td", f"{DOCBOOK}th")]
        if cells and all(c.isdigit() for c in cells):
            rows.append([int(c) for c in cells])
    return rows


def import_palettes(path: Path) -> tuple[str, list[Palette]]:
    """The edition and the palettes of a PS3.6 DocBook file."""
    root, _ = parse_docbook(path)
    uids = {u.name: u.uid for u in read_uids(root, path)}
    palettes: list[Palette] = []
    for section in root.iter(f"{DOCBOOK}section"):
        tables: dict[str, ET.Element] = {}
        for table in section.findall(f"{DOCBOOK}table"):
            caption = table.find(f"{DOCBOOK}caption")
            tables[cell_text(caption) if caption is not None else ""] = table
        data = [c for c in tables if c.endswith(" Color Palette Data")]
        if len(data) != 1:
            continue
        name = data[0].removesuffix(" Color Palette Data")
        descriptor_table = tables.get(f"{name} Color Palette Descriptor")
        if descriptor_table is None:
            raise DictionarySourceError(f"{name}: no descriptor table beside its data", path=path)
        descriptor = _numbers(descriptor_table)
        rows = _numbers(tables[data[0]])
        text = " ".join(cell_text(p) for p in section.iter(f"{DOCBOOK}para"))
        label_match = _LABEL.search(text)
        if not descriptor or not rows or label_match is None:
            raise DictionarySourceError(f"{name}: descriptor, data or label not found",
                                        path=path)
        entries, first, bits = descriptor[0]
        uid = uids.get(f"{name} Color Palette SOP Instance", "")
        if len(rows) != entries or any(len(r) != 3 for r in rows):
            raise DictionarySourceError(f"{name}: {len(rows)} rows for {entries} entries",
                                        path=path)
        palettes.append(Palette(name, label_match.group(1), uid, entries, first, bits,
                                tuple(r[0] for r in rows), tuple(r[1] for r in rows),
                                tuple(r[2] for r in rows)))
    if not palettes:
        raise DictionarySourceError("no well-known colour palette in this file", path=path)
    return edition_of(root, path), palettes
