"""The dicom3tools importer on small hand-written templates (each row explained inline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from authoring.compiler.importers.dicom3tools import (
    read_private_elements,
    read_public_elements,
    read_sop_classes,
    read_transfer_syntaxes,
)
from authoring.compiler.ir import ElementEntry, tag_mask_and_value
from authoring.errors import DictionarySourceError

PUBLIC = """\
# a comment line, then a blank line

(0010,0010) VERS="3"	VR="PN"   VM="1"	Keyword="PatientName"	Name="Patient's Name"
(0008,0001) VERS="RET"	VR="UL"   VM="1"	Keyword="LengthToEnd"	Name="Length to End"
(60xx,3000) VERS="3"	VR="OW/OB"   VM="1"	Keyword="OverlayData"	Name="Overlay Data"
(0028,0106) VERS="3"	VR="US or SS"   VM="1"	Keyword="SmallestImagePixelValue"	Name="Smallest  Image Pixel Value"
(0014,0023) VERS="DICONDE"	VR="ST"   VM="1"	Keyword="CADFileFormat"	Name="CAD File Format (Retired)"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_public_rows(tmp_path: Path) -> None:
    entries = read_public_elements(write(tmp_path, "dicom3.tpl", PUBLIC))
    assert entries[0] == ElementEntry("(0010,0010)", "PatientName", "Patient's Name", "PN", "1",
                                      False)
    assert entries[1].retired  # VERS="RET"
    assert entries[2].tag == "(60xx,3000)" and entries[2].vr == "OB or OW"  # PS3.6 spelling
    assert entries[3].name == "Smallest Image Pixel Value"  # whitespace collapsed
    assert entries[4].retired and entries[4].name == "CAD File Format"


def test_repeating_tag_mask() -> None:
    assert tag_mask_and_value("(60xx,3000)") == (0xFF00FFFF, 0x60003000)
    assert tag_mask_and_value("(0028,04x0)") == (0xFFFFFF0F, 0x00280400)
    assert tag_mask_and_value("(0010,0010)") == (0xFFFFFFFF, 0x00100010)


def test_bad_row_names_its_line(tmp_path: Path) -> None:
    text = PUBLIC + '(0010,0020) VERS="7" VR="LO" VM="1" Keyword="PatientID" Name="Patient ID"\n'
    with pytest.raises(DictionarySourceError) as caught:
        read_public_elements(write(tmp_path, "dicom3.tpl", text))
    assert caught.value.line == 8
    assert "line 8" in str(caught.value) and "VERS" in str(caught.value)


def test_private_rows(tmp_path: Path) -> None:
    text = (
        '(0019,0010) VERS="GEM" VR="LO" VM="1" Owner="GEMS_ACQU_01" Keyword="?" Name="?"\n'
        '(0019,1002) VERS="GEM" VR="SL" VM="1" Owner="GEMS_ACQU_01" '
        'Keyword="NumberOfCellsInDetector" Name="Number of Cells In Detector"\n'
        '(0014,0030) VERS="DICONDE" VR="DS" VM="1-n" Keyword="MaterialThickness" '
        'Name="Material Thickness"\n'
    )
    entries, skipped = read_private_elements(write(tmp_path, "gems.tpl", text))
    assert skipped == 1  # the row without Owner= is a public extension
    assert entries[0].keyword == "" and entries[0].name == ""  # "?" means unknown
    assert (entries[1].creator, entries[1].group, entries[1].offset) == ("GEMS_ACQU_01",
                                                                         "0019", 0x02)
    assert entries[1].source == "gems"


def test_sop_classes_and_transfer_syntaxes(tmp_path: Path) -> None:
    sop = write(tmp_path, "sopcl.tpl",
                '\tName="CTImageStorage"\tDesc="CT Image Storage"\tUid="1.2.840.10008.5.1.4.1.1.2"\n'
                '\tName="ReferencedImageBoxRetired"\tDesc="Referenced Image Box - Retired"\t'
                'Uid="1.2.840.10008.5.1.1.4.2"\n'
                '\tName="Printer"\tDesc="Printer"\tType="Instance"\tUid="1.2.840.10008.5.1.1.17"\n')
    uids = read_sop_classes(sop)
    assert [u.type for u in uids] == ["SOP Class", "SOP Class", "Well-known SOP Instance"]
    assert uids[1].retired and uids[1].name == "Referenced Image Box"
    syntaxes = read_transfer_syntaxes(write(
        tmp_path, "transyn.tpl",
        'Name="ExplicitVRBigEndian" Desc="Explicit VR Big Endian" Uid="1.2.840.10008.1.2.2" '
        'Endian="big" VR="explicit" Encap="no"\n'
        'Name="JPEGProcess1" Desc="JPEG Baseline" Uid="1.2.840.10008.1.2.4.50" Endian="little" '
        'VR="explicit" Encap="yes"\n'))
    big, jpeg = syntaxes
    assert not big.little_endian and big.explicit_vr and big.retired  # retired in PS3.5
    assert jpeg.encapsulated and jpeg.keyword == "JPEGBaseline8Bit"  # the standard's keyword


def test_real_snapshot(standard_root: Path) -> None:
    from authoring.compiler.importers.dicom3tools import import_dicom3tools

    edition = import_dicom3tools(standard_root / "dicom3tools")
    assert edition.edition == "dicom3tools-20260320"
    by_tag = edition.element_by_tag()
    assert by_tag["(7FE0,0010)"].vr == "OB or OW"
    assert by_tag["(0010,0010)"].keyword == "PatientName"
    assert len(edition.elements) > 5000 and len(edition.private_elements) > 10000
    assert {t.uid for t in edition.transfer_syntaxes} >= {
        "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2",
        "1.2.840.10008.1.2.1.99"}
