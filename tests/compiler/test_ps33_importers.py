"""The PS3.3 importers: DocBook tables on a small fixture and on the 2016c excerpt, and the
DocBook import compared with the dicom3tools import on the modules both hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from authoring.compiler.importers.docbook_iods import import_docbook_ps33, module_name
from authoring.compiler.ir_iods import Attribute, IODEdition, MacroUse
from authoring.compiler.normalized import read_edition
from authoring.compiler.normalized_iods import read_iod_edition
from tests.conftest import REPO, load_expectations
from tests.support.ps33_compare import compare_modules, their_name

DICTIONARY = REPO / "dictionary" / "dicom3tools-20260320"
EXPECTED_TYPES = load_expectations("ps33_docbook_vs_dicom3tools.json")
KEYWORDS = {"(0010,0010)": "PatientName", "(0010,0040)": "PatientSex",
            "(0008,1110)": "ReferencedStudySequence", "(0008,1150)": "ReferencedSOPClassUID",
            "(0040,A040)": "ValueType", "(0040,A160)": "TextValue",
            "(0008,0100)": "CodeValue", "(0008,0104)": "CodeMeaning"}

NS = ('xmlns="http://docbook.org/ns/docbook" '
      'xmlns:xml="http://www.w3.org/XML/1998/namespace"')


def _row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _attribute_table(table_id: str, caption: str, rows: str) -> str:
    head = "<thead>" + _row(*(f"<para>{h}</para>" for h in (
        "Attribute Name", "Tag", "Type", "Attribute Description"))) + "</thead>"
    return (f'<table xml:id="{table_id}"><caption>{caption}</caption>{head}'
            f"<tbody>{rows}</tbody></table>")


FIXTURE = f"""<?xml version="1.0" encoding="utf-8"?>
<book {NS}><subtitle>DICOM PS3.3 2099a - Information Object Definitions</subtitle>
<section xml:id="sect_X.1">
{_attribute_table("table_X-1", "Example Module Attributes",
    _row("<para>Patient's Name</para>", "<para>(0010,0010)</para>", "<para>2</para>",
         "<para>Name.</para>")
    + _row("<para>Patient's Sex</para>", "<para>(0010,0040)</para>", "<para>1C</para>",
           "<para>Sex. Required if the name is known. May be present otherwise.</para>"
           "<variablelist><title>Enumerated Values:</title>"
           "<varlistentry><term>M</term><listitem><para>male</para></listitem></varlistentry>"
           "<varlistentry><term>F</term><listitem><para>female</para></listitem></varlistentry>"
           "</variablelist>")
    + _row("<para>Referenced Study Sequence</para>", "<para>(0008,1110)</para>",
           "<para>3</para>", "<para>Studies.</para>")
    + _row("<para>&gt;Referenced SOP Class UID</para>", "<para>(0008,1150)</para>",
           "<para>1</para>", "<para>Class.</para>")
    + "<tr><td colspan='3'><para>&gt;Include <xref linkend='table_X-2'/></para></td>"
      "<td><para/></td></tr>"
    + "<tr><td colspan='3'><para>Include <xref linkend='table_X-2'/> if and only if "
      "Value Type (0040,A040) is TEXT.</para></td><td><para/></td></tr>")}
</section>
<section xml:id="sect_X.2">
{_attribute_table("table_X-2", "Small Code Macro Attributes",
    _row("<para>Code Value</para>", "<para>(0008,0100)</para>", "<para>1</para>",
         "<para>Code.</para>")
    + _row("<para>Code Meaning</para>", "<para>(0008,0104)</para>", "<para>1</para>",
           "<para>Meaning.</para>"))}
</section>
<table xml:id="table_A-1"><caption>Example IOD Modules</caption>
<thead>{_row("<para>IE</para>", "<para>Module</para>", "<para>Reference</para>",
             "<para>Usage</para>")}</thead><tbody>
<tr><td rowspan="2"><para>Patient</para></td><td><para>Example</para></td>
<td><para><xref linkend="sect_X.1"/></para></td><td><para>M</para></td></tr>
<tr><td><para>Other</para></td><td><para><xref linkend="sect_Z.9"/></para></td>
<td><para>C - Required if something holds</para></td></tr>
</tbody></table></book>"""


def test_module_names_from_captions() -> None:
    assert module_name("General Study Module Attributes") == ("GeneralStudy", "module")
    assert module_name("Code Sequence Macro Attributes") == ("CodeSequenceMacro", "macro")
    assert module_name("Contrast/Bolus Module Attributes") == ("ContrastBolus", "module")
    assert module_name("Enhanced XA/XRF Image Module Table") == ("EnhancedXAXRFImage",
                                                                 "module")
    assert module_name("Person Identification Macro Attributes Description") == (
        "PersonIdentificationMacro", "macro")
    assert module_name("Segment Types") is None


def test_fixture_tables(tmp_path: Path) -> None:
    path = tmp_path / "part03.xml"
    path.write_text(FIXTURE, encoding="utf-8")
    edition = import_docbook_ps33(path, KEYWORDS.get)
    assert edition.edition == "docbook-2099a"
    modules = {m.name: m for m in edition.modules}
    assert set(modules) == {"Example", "SmallCodeMacro"}
    assert modules["SmallCodeMacro"].kind == "macro"
    name, sex, study, include = modules["Example"].rows
    assert isinstance(name, Attribute) and (name.keyword, name.type) == ("PatientName", "2")
    assert isinstance(sex, Attribute) and sex.type == "1C" and sex.may_be_present_otherwise
    conditions = {c.name: c for c in edition.conditions}
    assert sex.condition is not None
    assert conditions[sex.condition].text == ("Required if the name is known. May be present "
                                              "otherwise.")
    (rule,) = sex.value_rules
    values = {v.name: v for v in edition.value_sets}[rule.value_set]
    assert (rule.strength, values.values, values.meanings) == ("enumerated", ("M", "F"),
                                                              ("male", "female"))
    assert isinstance(study, Attribute) and study.children is not None
    uid, nested = study.children
    assert isinstance(uid, Attribute) and uid.keyword == "ReferencedSOPClassUID"
    assert nested == MacroUse("SmallCodeMacro")
    assert isinstance(include, MacroUse) and include.macro == "SmallCodeMacro"
    assert include.condition is not None
    assert "Value Type (0040,A040) is TEXT" in conditions[include.condition].text
    (iod,) = edition.iods
    assert iod.name == "Example"
    (entity,) = iod.entities
    assert entity.name == "Patient"
    assert [(u.module, u.usage) for u in entity.modules] == [("Example", "M"), ("Other", "C")]
    other = entity.modules[1].condition
    assert other is not None and conditions[other].text == "Required if something holds"


@pytest.fixture(scope="module")
def both(standard_root: Path) -> tuple[IODEdition, IODEdition, str]:
    elements = read_edition(DICTIONARY)
    keywords = {e.tag.upper().replace("X", "x"): e.keyword for e in elements.elements}
    source = standard_root / "docbook" / "part03_2016c_excerpt.xml"
    text = import_docbook_ps33(source, keywords.get)
    return text, read_iod_edition(DICTIONARY), source.read_text(encoding="utf-8")


def test_the_2016c_excerpt(both: tuple[IODEdition, IODEdition, str]) -> None:
    text, _, _ = both
    assert {i.name for i in text.iods} == {"CTImage", "RTDose", "EnhancedCTImage",
                                           "EnhancedXRayAngiographicImage"}
    assert len(text.modules) >= 150
    ct = {m.name: m for m in text.modules}["CTImage"]
    keywords = {r.keyword for r in ct.rows if isinstance(r, Attribute)}
    assert {"KVP", "RescaleIntercept", "ImageType", "AcquisitionNumber"} <= keywords


def test_iods_agree_on_modules(both: tuple[IODEdition, IODEdition, str]) -> None:
    text, templates, _ = both
    theirs = {i.name: i for i in templates.iods}
    for iod in text.iods:
        ours = {(their_name(u.module), u.usage) for u in iod.module_uses()}
        current = {(u.module, u.usage) for u in theirs[iod.name].module_uses()}
        print(f"{iod.name}: {len(ours & current)} of {len(ours)} module uses of the 2016c "
              f"text as in dicom3tools; text only {sorted(ours - current)}; dicom3tools only "
              f"{sorted(current - ours)}")
        mandatory = {m for m, usage in ours if usage == "M"}
        assert mandatory <= {m for m, _ in current}, iod.name


def test_modules_agree_on_attributes_and_types(
        both: tuple[IODEdition, IODEdition, str]) -> None:
    text, templates, raw = both
    elements = read_edition(DICTIONARY).elements
    tags = set(re.findall(r"\([0-9A-Fx]{4},[0-9A-Fx]{4}\)", raw.upper().replace("X", "x")))
    result = compare_modules(
        text, templates, retired={e.keyword for e in elements if e.retired},
        text_tags=tags, tag_of={e.keyword: e.tag.upper().replace("X", "x") for e in elements})
    agreement = result.same_type / result.shared
    print(f"\n{len(result.modules)} modules in both; {result.shared} attribute paths in both, "
          f"{result.same_type} with the same Type ({agreement:.1%})")
    for category, count in result.presence.most_common():
        print(f"  {count:5d}  {category}")
    assert len(result.modules) >= 140 and result.shared > 8000
    assert agreement >= 0.99
    unexplained = [d for d in result.type_differences
                   if f"{d[0]} :: {d[1]}" not in EXPECTED_TYPES]
    assert not unexplained, unexplained
