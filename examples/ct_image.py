"""A CT image built with the typed ``CTImage`` builder, checked against the CT Image IOD and
written as a Part 10 file.

The constructor asks for the Type 1 attributes nobody can fill in for you (a type checker
flags any left out); it sets the SOP Class UID, generates the instance UIDs, derives the
Image Pixel attributes from the array and adds the Type 2 attributes empty. Everything else
is an attribute of the builder, completed and type-checked by the IDE.

Run: ``python examples/ct_image.py [OUTPUT_DIR]``
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import numpy as np

import authoring
from authoring.iods import CTImage


def phantom(size: int = 128) -> np.ndarray[tuple[int, int], np.dtype[np.int16]]:
    """A water cylinder (0 HU) with a bone insert (about 1000 HU) in air (-1000 HU), stored
    with rescale intercept -1024."""
    y, x = np.mgrid[:size, :size]
    centre = (size - 1) / 2
    radius = np.hypot(x - centre, y - centre)
    hounsfield = np.full((size, size), -1000, dtype=np.int16)
    hounsfield[radius < size * 0.4] = 0
    hounsfield[np.hypot(x - centre * 1.3, y - centre) < size * 0.08] = 1000
    return (hounsfield + 1024).astype(np.int16)


def build_ct() -> CTImage:
    """One axial slice of a phantom, with patient, study, series and acquisition details."""
    ct = CTImage(
        Modality="CT",
        ImageType=["ORIGINAL", "PRIMARY", "AXIAL"],
        PixelSpacing=[0.7, 0.7],
        ImageOrientationPatient=[1, 0, 0, 0, 1, 0],
        ImagePositionPatient=[-44.45, -44.45, 12.5],
        RescaleIntercept=-1024,
        RescaleSlope=1,
        pixel_array=phantom(),
    )
    ct.PatientName = "Phantom^Water"
    ct.PatientID = "PHANTOM-001"
    ct.PatientBirthDate = datetime.date(2000, 1, 1)
    ct.PatientSex = "O"
    ct.StudyDate = datetime.date(2026, 11, 25)
    ct.StudyTime = datetime.time(10, 15)
    ct.StudyID = "1"
    ct.AccessionNumber = "A0001"
    ct.SeriesNumber = 1
    ct.InstanceNumber = 1
    ct.SliceThickness = 2.5
    ct.KVP = 120
    ct.AcquisitionNumber = 1
    ct.Manufacturer = "authoring examples"
    ct.WindowCenter = 40
    ct.WindowWidth = 400
    ct.PositionReferenceIndicator = ""
    return ct


def main(output: Path) -> Path:
    """Build, validate and write the CT image; return the file written."""
    ct = build_ct()
    report = ct.validate()
    print(report)
    if not report.ok:
        raise SystemExit("the CT image does not satisfy its IOD")
    output.mkdir(parents=True, exist_ok=True)
    path = output / "ct_image.dcm"
    authoring.write(ct, path)
    return path


if __name__ == "__main__":
    print("wrote", main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("examples/output")))
