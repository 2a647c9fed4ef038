"""Import PS3.6 from NEMA's DocBook XML (any edition).

Reads Table 6-1 (data elements), 7-1 (file meta elements), 8-1 (directory structuring
elements) and A-1 (UIDs). Columns are found by their header text, so editions that add a
column (A-1 gained "UID Keyword" after 2013) are read the same way.

Some published copies carry a stray non-XML sequence: the 2013 PS3.6 has a zero-width space
written as the literal text ``<200b>`` inside a UID. The importer repairs exactly that form (a
four-hex-digit pseudo element standing for a character) and records a note naming each line
it repaired; any other XML error is reported with its line and column.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from authoring.compiler.ir import (
    Edition,
    ElementEntry,
    UIDEntry,
    normalize_vm,
    normalize_vr,
)
from authoring.errors import DictionarySourceError

DOCBOOK = "{http://docbook.org/ns/docbook}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_PSEUDO_CHARACTER = re.compile(r"<([0-9a-fA-F]{4})>")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_TAG_TEXT = re.compile(r"^\(([0-9A-Fa-fx]{4}),\s*([0-9A-Fa-fx]{4})\)$")

ELEMENT_TABLES = ("table_6-1", "table_7-1", "table_8-1")
UID_TABLE = "table_A-1"


def cell_text(cell: ET.Element) -> str:
    """The text of a table cell (or any element), invisible characters dropped and white
    space collapsed."""
    text = "".join(cell.itertext()).translate(_INVISIBLE)
    return " ".join(text.split())


def parse_docbook(path: Path) -> tuple[ET.Element, list[str]]:
    """Parse a DocBook file, repairing pseudo-character sequences; return root and notes."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DictionarySourceError(f"cannot read: {exc.strerror}", path=path) from exc
    try:
        return ET.fromstring(raw), []
    except ET.ParseError as first:
        line, column = first.position
    text = raw.decode("utf-8", errors="strict")
    lines = text.split("\n")
    notes: list[str] = []
    for number, content in enumerate(lines, start=1):
        if _PSEUDO_CHARACTER.search(content):
            notes.append(
                f"{path.name} line {number}: repaired stray "
                f"{', '.join(sorted(set(_PSEUDO_CHARACTER.findall(content))))} sequence(s)"
            )
    if not notes:
        raise DictionarySourceError(
            f"not well-formed XML at column {column + 1}: {lines[line - 1].strip()[:80]!r}",
            path=path,
            line=line,
        )
    repaired = _PSEUDO_CHARACTER.sub(lambda m: chr(int(m.group(1), 16)), text)
    try:
        return ET.fromstring(repaired), notes
    except ET.ParseError as again:
        line, column = again.position
        raise DictionarySourceError(
            f"not well-formed XML at column {column + 1} (after repairing "
            f"{len(notes)} stray sequence(s)): {repaired.split(chr(10))[line - 1].strip()[:80]!r}",
            path=path,
            line=line,
        ) from None


def _find_table(root: ET.Element, table_id: str) -> ET.Element | None:
    for table in root.iter(f"{DOCBOOK}table"):
        if table.get(XML_ID) == table_id:
            return table
    return None


def _rows(table: ET.Element) -> tuple[list[str], list[list[str]]]:
    header: list[str] = []
    head_row = table.find(f"{DOCBOOK}thead/{DOCBOOK}tr")
    if head_row is not None:
        header = [cell_text(cell) for cell in head_row if cell.tag in (f"{DOCBOOK}th",
                                                                        f"{DOCBOOK}td")]
    rows = [
        [cell_text(cell) for cell in row if cell.tag in (f"{DOCBOOK}td", f"{DOCBOOK}th")]
        for row in table.iter(f"{DOCBOOK}tr")
        if row is not head_row
    ]
    return header, rows


def _column(header: list[str], *names: str) -> int | None:
    lowered = [h.lower() for h in header]
    for name in names:
        if name.lower() in lowered:
            return lowered.index(name.lower())
    return None


def docbook_part(path: Path) -> str:
    """The part a DocBook file holds (``"3"``, ``"6"``...), read from its book label or title
    without parsing the whole file."""
    with open(path, "rb") as stream:
        head = stream.read(4096).decode("utf-8", errors="replace")
    match = re.search(r'label="PS\s?3\.(\d+)"', head) or \
        re.search(r"<subtitle>[^<]*PS\s?3\.(\d+)", head) or \
        re.search(r"<title>[^<]*PS\s?3\.(\d+)", head)
    if match is None:
        raise DictionarySourceError("not a DICOM DocBook part (no PS3.n label or title in its "
                                    "first 4 KiB)", path=path)
    return match.group(1)


def edition_of(root: ET.Element, path: Path) -> str:
    """The edition a DocBook part names in its subtitle ("2016c"), else the file's name."""
    subtitle = root.find(f"{DOCBOOK}subtitle")
    text = cell_text(subtitle) if subtitle is not None else ""
    match = re.search(r"\b(\d{4}[a-e]?)\b", text)
    return match.group(1) if match else path.stem


def read_elements(root: ET.Element, path: Path) -> list[ElementEntry]:
    """Read Tables 6-1, 7-1 and 8-1 (whichever the file holds)."""
    entries: list[ElementEntry] = []
    found = False
    for table_id in ELEMENT_TABLES:
        table = _find_table(root, table_id)
        if table is None:
            continue
        found = True
        header, rows = _rows(table)
        tag_col = _column(header, "Tag") or 0
        name_col = _column(header, "Name")
        keyword_col = _column(header, "Keyword")
        vr_col = _column(header, "VR")
        vm_col = _column(header, "VM")
        if None in (name_col, keyword_col, vr_col, vm_col):
            raise DictionarySourceError(f"{table_id}: unexpected columns {header}", path=path)
        assert name_col is not None and keyword_col is not None
        assert vr_col is not None and vm_col is not None
        for cells in rows:
            if len(cells) <= vm_col:
                continue
            match = _TAG_TEXT.match(cells[tag_col])
            if match is None:
                continue
            tag = f"({match.group(1).upper()},{match.group(2).upper()})".replace("X", "x")
            status = cells[vm_col + 1] if len(cells) > vm_col + 1 else ""
            name = cells[name_col]
            retired = status.startswith("RET") or name.endswith("(Retired)")
            entries.append(
                ElementEntry(
                    tag=tag,
                    keyword=cells[keyword_col].replace(" ", ""),
                    name=name.removesuffix("(Retired)").strip(),
                    vr=normalize_vr(cells[vr_col]),
                    vm=normalize_vm(cells[vm_col]),
                    retired=retired,
                )
            )
    if not found:
        raise DictionarySourceError("no PS3.6 Table 6-1, 7-1 or 8-1 in this file", path=path)
    return entries


def keyword_from_name(name: str) -> str:
    """Derive a keyword from a UID name the way PS3.6 forms them, for editions without a
    keyword column: drop the "(Retired)" mark and punctuation, join capitalised words."""
    name = name.replace("(Retired)", "").replace("&", "and")
    words = re.split(r"[^0-9A-Za-z]+", name)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def read_uids(root: ET.Element, path: Path) -> list[UIDEntry]:
    """Read Table A-1; an edition without it yields no UIDs."""
    table = _find_table(root, UID_TABLE)
    if table is None:
        return []
    header, rows = _rows(table)
    uid_col = _column(header, "UID Value") or 0
    name_col = _column(header, "UID Name")
    keyword_col = _column(header, "UID Keyword", "Keyword")
    type_col = _column(header, "UID Type")
    if name_col is None or type_col is None:
        raise DictionarySourceError(f"{UID_TABLE}: unexpected columns {header}", path=path)
    entries: dict[str, UIDEntry] = {}
    for cells in rows:
        if len(cells) <= max(name_col, type_col):
            continue
        uid = cells[uid_col].replace(" ", "")
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)+", uid):
            continue
        name = cells[name_col]
        retired = "(Retired)" in name
        clean_name = name.replace("(Retired)", "").strip()
        keyword = cells[keyword_col].replace(" ", "") if keyword_col is not None else ""
        entries.setdefault(
            uid,
            UIDEntry(uid=uid, keyword=keyword or keyword_from_name(name), name=clean_name,
                     type=cells[type_col], retired=retired),
        )
    return list(entries.values())


def import_docbook_ps36(path: Path) -> Edition:
    """Import a PS3.6 DocBook file (complete edition or excerpt)."""
    root, notes = parse_docbook(path)
    edition = edition_of(root, path)
    result = Edition(edition=f"docbook-{edition}", source=f"NEMA PS3.6 {edition} DocBook")
    result.notes.extend(notes)
    result.elements = sorted(read_elements(root, path))
    result.uids = sorted(read_uids(root, path))
    return result
