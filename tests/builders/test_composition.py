"""The IOD builders are composed of their modules' classes: each attribute is declared once
in the package, an IOD declares only what its modules type differently (with the stated
merge rule), item classes are scoped by their module, and file names are readable."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from authoring.compiler.builders import snake_case
from tests.conftest import REPO

GENERATED = REPO / "authoring" / "_generated"


def declarations(folder: str) -> Counter[str]:
    """Keyword -> how many classes under ``folder`` declare it."""
    found: Counter[str] = Counter()
    for path in (GENERATED / folder).glob("*.py"):
        found.update(re.findall(r"^    (\w+): Attribute\[", path.read_text(encoding="utf-8"),
                                re.MULTILINE))
    return found


def test_an_iod_builder_inherits_its_modules_classes() -> None:
    from authoring.iods import CTImage
    from authoring.parts import CTImageModule, GeneralImageModule, PatientModule

    assert CTImage.__mro__[1] is PatientModule
    assert issubclass(CTImage, GeneralImageModule) and issubclass(CTImage, CTImageModule)
    parts = [c for c in CTImage.__mro__ if c.__module__.startswith("authoring._generated.parts")]
    assert [c.__name__.removesuffix("Module") for c in parts] == [m for m, _ in CTImage.MODULES]
    # the attributes are those of its modules, each read and written through its tag
    assert "KVP" in CTImage.ATTRIBUTES and "PatientName" in CTImage.ATTRIBUTES
    assert "KVP" not in vars(CTImage) and "PatientName" not in vars(CTImage)
    assert {"FrameType", "EchoTime"}.isdisjoint(CTImage.ATTRIBUTES)


def test_each_attribute_is_declared_once_in_the_builders() -> None:
    in_iods = declarations("iods")
    # PatientName was declared in 118 builder files; now by the Patient module's class only
    assert in_iods["PatientName"] == 0
    assert sum(in_iods.values()) < 600
    in_parts = declarations("parts")
    assert in_parts["PatientName"] >= 1


def test_where_modules_differ_the_iod_states_the_merged_type() -> None:
    source = (GENERATED / "iods" / "ct_image.py").read_text(encoding="utf-8")
    # Image Pixel allows any Photometric Interpretation, the CT Image module two: both are
    # mandatory, so the IOD accepts only their intersection
    assert re.search(r'PhotometricInterpretation: Attribute\[\s*str, Literal\["MONOCHROME1", '
                     r'"MONOCHROME2"\] \| None', source)
    assert "enumerations of mandatory modules intersect" in source
    # the sequence two modules define with different item classes takes either
    assert re.search(r"AnatomicRegionSequence: Attribute\[\s*_Sequence\[\s*"
                     r"general_image_module\.AnatomicRegionSequenceItem\s*\|\s*"
                     r"general_anatomy_optional_macro\.AnatomicRegionSequenceItem", source)


def test_item_classes_are_scoped_by_their_module() -> None:
    from authoring.items import general_series_module, item_class
    from authoring.parts import CodeSequenceMacro, GeneralSeriesModule

    item = general_series_module.RelatedSeriesSequenceItem(
        StudyInstanceUID="1.2.3", SeriesInstanceUID="1.2.3.4")
    assert item.SeriesInstanceUID == "1.2.3.4"
    entry = GeneralSeriesModule.ITEMS["RelatedSeriesSequence"]
    assert entry == "general_series_module.RelatedSeriesSequenceItem"
    assert item_class(entry) is general_series_module.RelatedSeriesSequenceItem
    assert item_class("CodeSequenceMacro") is CodeSequenceMacro
    with pytest.raises(LookupError):
        item_class("no_such_module.Item")
    longest = max((name for path in (GENERATED / "items").glob("*.py")
                   for name in re.findall(r"^class (\w+)", path.read_text(encoding="utf-8"),
                                          re.MULTILINE)), key=len)
    # the longest flat name ran to 192 characters; scoped, two keywords at most remain
    assert len(longest) <= 100, longest


@pytest.mark.parametrize(("name", "expected"), [
    ("CTImage", "ct_image"),
    ("XRay3DAngiographicImage", "x_ray_3d_angiographic_image"),
    ("Comprehensive3DSR", "comprehensive_3d_sr"),
    ("HL7v2HierarchicDesignatorMacro", "hl7v2_hierarchic_designator_macro"),
    ("OphthalmicPhotography8BitImage", "ophthalmic_photography_8_bit_image"),
    ("MicroscopyBulkSimpleAnnotationsWG26SP2025", "microscopy_bulk_simple_annotations_wg26_sp2025"),
    ("DigitalMammographyXRayImageForPresentationIHEMammo",
     "digital_mammography_x_ray_image_for_presentation_ihe_mammo"),
    ("SOPCommonModule", "sop_common_module"),
])
def test_file_names_keep_words_and_acronyms_whole(name: str, expected: str) -> None:
    assert snake_case(name) == expected


def test_no_generated_file_name_splits_a_digit_from_its_letter() -> None:
    names = [p.stem for folder in ("iods", "parts", "items") for p in (GENERATED / folder).glob("*.py")]
    assert not [n for n in names if re.search(r"\d_[a-z]_", n) or re.search(r"[a-z]\d_d_", n)]
