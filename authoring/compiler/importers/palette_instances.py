"""Import well-known colour palettes from the Color Palette Storage instances that PS3.6
Annex B publishes beside its text (one Part 10 file per palette, well-known SOP Instance UIDs
1.2.840.10008.1.5.x). The palettes added after the 2013 edition (SPRING, SUMMER, FALL,
WINTER) are defined only as segmented tables in those instances.

The label of a palette is its Content Label without the " LUT" the seasonal files append
("SPRING LUT" -> ``SPRING``, the name PS3.6 gives it); the build checks every palette that
the DocBook tables also define against them.
"""

from __future__ import annotations

from pathlib import Path

from authoring.compiler.importers.docbook_palettes import Palette
from authoring.errors import DictionarySourceError

COLOR_PALETTE_STORAGE = "1.2.840.10008.5.1.4.39.1"
WELL_KNOWN_ROOT = "1.2.840.10008.1.5."


def _table(dataset: object, colour: str, bits: int, path: Path) -> tuple[int, ...]:
    from authoring.pixels.display import expand_segmented

    plain = getattr(dataset, f"{colour}PaletteColorLookupTableData", None)
    segmented = getattr(dataset, f"Segmented{colour}PaletteColorLookupTableData", None)
    if plain is not None:
        raw = bytes(plain)
        if bits == 8:  # 8-bit entries are packed two to a word (PS3.3 C.7.6.3.1.6)
            return tuple(raw)
        return tuple(int.from_bytes(raw[i:i + 2], "little") for i in range(0, len(raw), 2))
    if segmented is not None:
        return tuple(expand_segmented(segmented, bits))
    raise DictionarySourceError(f"no {colour.lower()} palette table", path=path)


def read_palette_instance(path: Path) -> Palette:
    """One Color Palette Storage instance as a :class:`Palette`."""
    import warnings

    from authoring.io.reader import read

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # winter.dcm repeats its SOP Instance UID
        dataset = read(path)
    if str(getattr(dataset, "SOPClassUID", "")) != COLOR_PALETTE_STORAGE:
        raise DictionarySourceError("not a Color Palette Storage instance", path=path)
    uid = str(dataset.SOPInstanceUID)
    if not uid.startswith(WELL_KNOWN_ROOT):
        raise DictionarySourceError(f"{uid} is not a well-known colour palette UID", path=path)
    label = str(dataset.ContentLabel).strip().removesuffix(" LUT").replace(" ", "_")
    name = str(getattr(dataset, "ContentDescription", label)).strip().removesuffix(" LUT")
    descriptor = dataset.RedPaletteColorLookupTableDescriptor
    if not isinstance(descriptor, tuple) or len(descriptor) != 3:
        raise DictionarySourceError(f"{label}: the LUT descriptor is not three numbers",
                                    path=path)
    entries, first, bits = (int(v) for v in descriptor)
    entries = entries or 65536
    tables = [_table(dataset, colour, bits, path) for colour in ("Red", "Green", "Blue")]
    for colour, table in zip(("red", "green", "blue"), tables):
        if len(table) != entries:
            raise DictionarySourceError(
                f"{label}: {len(table)} {colour} entries for a descriptor of {entries}",
                path=path)
    return Palette(name, label, uid, entries, first, bits, tables[0], tables[1], tables[2])


def import_palette_instances(folder: Path) -> list[Palette]:
    """Every Color Palette Storage instance in ``folder``, ordered by SOP Instance UID."""
    paths = sorted(folder.glob("*.dcm"))
    if not paths:
        raise DictionarySourceError("no colour palette instances (*.dcm) here", path=folder)
    palettes = [read_palette_instance(path) for path in paths]
    return sorted(palettes, key=lambda p: [int(part) for part in p.uid.split(".")])
