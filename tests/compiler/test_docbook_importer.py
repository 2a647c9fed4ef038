"""The DocBook importer: a small fixture table, the stray-character repair, real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from authoring.compiler.importers.docbook import import_docbook_ps36, keyword_from_name
from authoring.errors import DictionarySourceError

NS = 'xmlns="http://docbook.org/ns/docbook"'


def row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td><para>{c}</para></td>" for c in cells) + "</tr>"


def fixture(body_rows: str, uid_rows: str = "") -> str:
    head = "<thead><tr>" + "".join(
        f"<th><para><emphasis role='bold'>{h}</emphasis></para></th>"
        for h in ("Tag", "Name", "Keyword", "VR", "VM", "")) + "</tr></thead>"
    uid_head = "<thead><tr>" + "".join(
        f"<th><para>{h}</para></th>" for h in ("UID Value", "UID Name", "UID Type", "Part")
    ) + "</tr></thead>"
    return (f'<?xml version="1.0" encoding="utf-8"?><book {NS} '
            'xmlns:xml="http://www.w3.org/XML/1998/namespace">'
            "<subtitle>DICOM PS3.6 2099e - Data Dictionary</subtitle>"
            f'<table xml:id="table_6-1">{head}<tbody>{body_rows}</tbody></table>'
            f'<table xml:id="table_A-1">{uid_head}<tbody>{uid_rows}</tbody></table></book>')


def test_small_table(tmp_path: Path) -> None:
    rows = (row("(0010,0010)", "Patient's Name", "Patient\u200bName", "PN", "1", "")
            + row("(0008,0001)", "Length to End", "LengthToEnd", "UL", "1", "RET")
            + row("(60xx,0010)", "Overlay Rows", "OverlayRows", "US", "1", "")
            + row("(7FE0,0010)", "Pixel Data", "PixelData", "OB or OW", "1", ""))
    uids = row("1.2.840.10008.1.\u200b2", "Implicit VR Little Endian: Default Transfer Syntax "
               "for DICOM", "Transfer Syntax", "PS3.5")
    path = tmp_path / "part06.xml"
    path.write_text(fixture(rows, uids), encoding="utf-8")
    edition = import_docbook_ps36(path)
    assert edition.edition == "docbook-2099e"
    by_tag = edition.element_by_tag()
    assert by_tag["(0010,0010)"].keyword == "PatientName"  # zero-width space removed
    assert by_tag["(0008,0001)"].retired
    assert by_tag["(60xx,0010)"].vr == "US"
    assert edition.uids[0].uid == "1.2.840.10008.1.2" and edition.uids[0].type == \
        "Transfer Syntax"


def test_stray_sequence_is_repaired_and_noted(tmp_path: Path) -> None:
    rows = row("(0010,0010)", "Patient's Name", "PatientName", "PN", "1", "")
    uids = row("1.2.840.10008.<200b>5.1", "Something", "SOP Class", "PS3.4")
    path = tmp_path / "part06.xml"
    path.write_text(fixture(rows, uids), encoding="utf-8")
    edition = import_docbook_ps36(path)
    assert edition.uids[0].uid == "1.2.840.10008.5.1"
    assert any("repaired stray 200b" in note for note in edition.notes)


def test_other_xml_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(f"<book {NS}>\n<table>\n<tr><td>&bogus;</td></tr>\n</table></book>",
                    encoding="utf-8")
    with pytest.raises(DictionarySourceError) as caught:
        import_docbook_ps36(path)
    assert caught.value.line == 3


def test_keyword_from_name() -> None:
    assert keyword_from_name("CT Image Storage") == "CTImageStorage"
    assert keyword_from_name("Explicit VR Big Endian (Retired)") == "ExplicitVRBigEndian"


def test_real_2013_edition(standard_root: Path) -> None:
    edition = import_docbook_ps36(standard_root / "docbook" / "part06_2013.xml")
    assert edition.edition == "docbook-2013"
    assert any("line 84747" in note for note in edition.notes), edition.notes
    by_tag = edition.element_by_tag()
    assert by_tag["(0002,0010)"].keyword == "TransferSyntaxUID"  # Table 7-1
    assert by_tag["(0004,1220)"].vr == "SQ"  # Table 8-1
    assert len(edition.elements) > 3700 and len(edition.uids) > 300


def test_real_2016c_excerpt(standard_root: Path) -> None:
    edition = import_docbook_ps36(standard_root / "docbook" / "part06_2016c_excerpt.xml")
    assert edition.edition == "docbook-2016c"
    assert edition.element_by_tag()["(0008,0005)"].vm == "1-n"
