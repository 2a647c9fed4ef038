"""The generated builders at run time: constructors, typed attributes, hints, what they fill
in, writing, views of read data sets, lazy loading, and one builder per IOD of the source."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest

import authoring
from authoring.builders.base import IODBuilder
from authoring.core.uid import UID
from authoring.object.dataset import DatasetBase
from tests.conftest import REPO, pydicom_data
from tests.support.examples import example

ct_example = example("ct_image")


def _ct(**changes: Any) -> Any:
    from authoring.iods import CTImage

    arguments: dict[str, Any] = dict(
        Modality="CT", ImageType=["ORIGINAL", "PRIMARY", "AXIAL"], PixelSpacing=[1, 1],
        ImageOrientationPatient=[1, 0, 0, 0, 1, 0], ImagePositionPatient=[0, 0, 0],
        RescaleIntercept=-1024, RescaleSlope=1, pixel_array=np.zeros((8, 6), np.uint16))
    arguments.update(changes)
    return CTImage(**arguments)


def test_constructor_fills_what_the_standard_fixes_or_implies() -> None:
    ct = _ct()
    assert ct.SOPClassUID == "1.2.840.10008.5.1.4.1.1.2"  # CT Image Storage
    uids = {ct.SOPInstanceUID, ct.StudyInstanceUID, ct.SeriesInstanceUID,
            ct.FrameOfReferenceUID}
    assert len(uids) == 4 and all(isinstance(uid, UID) and uid.is_valid for uid in uids)
    assert (ct.Rows, ct.Columns, ct.SamplesPerPixel, ct.BitsAllocated, ct.BitsStored,
            ct.HighBit, ct.PixelRepresentation, ct.PhotometricInterpretation) == (
        8, 6, 1, 16, 16, 15, 0, "MONOCHROME2")
    assert ct["PixelData"].vr == "OW" and len(ct.PixelData) == 8 * 6 * 2
    # Type 2 attributes are present and empty, ready to fill
    assert ct.PatientName == "" and "PatientID" in ct and "KVP" in ct
    assert ct.ImageType == ("ORIGINAL", "PRIMARY", "AXIAL")
    assert ct.validate().ok


def test_values_the_standard_fixes_are_set() -> None:
    assert example("comprehensive_sr").build_report().Modality == "SR"
    import inspect

    from authoring.iods import Segmentation

    assert '"Modality": "SEG"' in inspect.getsource(Segmentation.__init__)


def test_given_uids_are_kept() -> None:
    ct = _ct(StudyInstanceUID="1.2.3.4")
    assert ct.StudyInstanceUID == "1.2.3.4"


def test_required_arguments_are_required_at_run_time_too() -> None:
    from authoring.iods import CTImage

    with pytest.raises(TypeError, match="RescaleSlope"):
        CTImage(Modality="CT", ImageType="ORIGINAL", PixelSpacing=[1, 1],  # type: ignore[call-arg]
                ImageOrientationPatient=[1, 0, 0, 0, 1, 0], ImagePositionPatient=[0, 0, 0],
                RescaleIntercept=0, pixel_array=np.zeros((2, 2), np.uint16))


def test_misspelled_attribute_gets_a_hint() -> None:
    ct = _ct()
    with pytest.raises(AttributeError, match="did you mean 'PatientName'"):
        ct.PatientNmae = "Doe^John"
    with pytest.raises(AttributeError, match="did you mean 'KVP'"):
        ct.kvp  # noqa: B018
    with pytest.raises(AttributeError, match="CTImage has no attribute 'FrameType'"):
        ct.FrameType = ["ORIGINAL"]
    ct["FrameType"] = ["ORIGINAL"]  # the data set API still reaches any attribute
    assert ct["FrameType"].value == "ORIGINAL"


def test_values_are_coerced_by_vr_and_vm() -> None:
    ct = _ct()
    ct.PatientName = "Doe^Jane"
    ct.SliceThickness = 1.25
    ct.StudyDate = "20261125"
    assert isinstance(ct.PatientName, authoring.PersonName)
    assert ct.PatientName.family_name == "Doe"
    assert float(ct.SliceThickness) == 1.25
    assert ct.PixelSpacing == (1, 1)  # VM 2: always a tuple
    assert str(ct.StudyDate) == "20261125"


def test_a_builder_is_a_dataset_and_writes_as_is(tmp_path: Path) -> None:
    ct = ct_example.build_ct()
    assert isinstance(ct, DatasetBase) and isinstance(ct, IODBuilder)
    path = tmp_path / "ct.dcm"
    authoring.write(ct, path)
    theirs = pydicom.dcmread(path)
    assert theirs.SOPClassUID == "1.2.840.10008.5.1.4.1.1.2"
    assert theirs.file_meta.MediaStorageSOPInstanceUID == ct.SOPInstanceUID
    assert str(theirs.PatientName) == "Phantom^Water" and theirs.KVP == 120
    assert np.array_equal(theirs.pixel_array, ct_example.phantom())
    ours = authoring.read(path)
    assert ours == ct


def test_view_types_a_read_dataset_in_place() -> None:
    from authoring.iods import CTImage

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset = authoring.read(pydicom_data() / "test_files" / "CT_small.dcm")
    ct = CTImage.view(dataset)
    assert ct.PatientName == dataset.PatientName and ct.KVP == dataset.KVP
    ct.PatientID = "CHANGED"
    assert dataset.PatientID == "CHANGED"  # one set of elements, two views
    assert ct.file_meta is dataset.file_meta
    assert ct.validate().iod == "CTImage"


def test_sequences_hold_item_classes() -> None:
    sr = example("comprehensive_sr").build_report()
    from authoring.items import document_relationship_macro
    from authoring.parts import CodeSequenceMacro

    assert all(isinstance(item, document_relationship_macro.ContentSequenceItem)
               for item in sr.ContentSequence)
    concept = sr.ContentSequence[0].ConceptNameCodeSequence[0]
    assert isinstance(concept, CodeSequenceMacro) and concept.CodeValue == "121049"
    with pytest.raises(TypeError, match="CodeMeaning"):
        CodeSequenceMacro(CodeValue="x")  # type: ignore[call-arg]


def test_profile_variants_subclass_their_base() -> None:
    from authoring.iods import (
        DigitalMammographyXRayImageForPresentation,
        DigitalMammographyXRayImageForPresentationIHEMammo,
    )

    variant = DigitalMammographyXRayImageForPresentationIHEMammo
    assert issubclass(variant, DigitalMammographyXRayImageForPresentation)
    assert variant.SOP_CLASS_UIDS == DigitalMammographyXRayImageForPresentation.SOP_CLASS_UIDS


def test_every_iod_of_the_source_has_a_builder() -> None:
    import authoring.iods as iods

    source = json.loads((REPO / "dictionary" / "dicom3tools-20260320" / "iods.json")
                        .read_text(encoding="utf-8"))
    names = {entry["name"] for entry in source}
    assert names == set(iods.__all__)
    for name in ("CTImage", "MRImage", "EnhancedCTImage", "SecondaryCaptureImage", "RTDose",
                 "RTStructureSet", "ComprehensiveSR", "Segmentation", "TwelveLeadECG"):
        builder = getattr(iods, name)
        assert builder.IOD == name and builder.SOP_CLASS_UIDS and builder.MODULES


def test_each_builder_loads_only_itself() -> None:
    code = ("import sys, json\nfrom authoring.iods import CTImage\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('authoring.'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=REPO)
    loaded = json.loads(result.stdout)
    builders = [m for m in loaded if m.startswith(("authoring._generated.iods",
                                                   "authoring._generated.parts",
                                                   "authoring._generated.items"))]
    from authoring.iods import CTImage

    # the builder and the classes of its modules, which it is composed of; no item class
    modules = {f"authoring._generated.parts.{c.__module__.rsplit('.', 1)[1]}"
               for c in CTImage.__mro__ if c.__module__.startswith("authoring._generated.parts")}
    assert len(modules) == len(CTImage.MODULES)
    assert set(builders) == {"authoring._generated.iods", "authoring._generated.iods.ct_image",
                             "authoring._generated.parts", *modules}
    # besides it, only the data set machinery and the PS3.6 tables it needs
    assert "authoring._generated.iod_spec" not in loaded
    assert "numpy" not in result.stdout
