"""A rich data set built in code for writer checks: character sets, nested sequences,
a private block, every common VR, 16-bit pixels."""

from __future__ import annotations

import datetime

import numpy as np

from authoring import Dataset, PersonName, Sequence


def rich_dataset() -> tuple[Dataset, np.ndarray]:
    """The data set and the pixel array it holds."""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.2.1125.1"
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.2.1125.2"
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.2.1125.3"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.Modality = "CT"
    ds.StudyDate = datetime.date(2024, 2, 29)
    ds.StudyTime = datetime.time(10, 12, 30, 250000)
    ds.AcquisitionDateTime = datetime.datetime(2024, 2, 29, 10, 12, 30)
    ds.PatientName = PersonName.from_parts("Müller", "Jürgen", ideographic="ミュラー^ユルゲン")
    ds.PatientID = "TEST-1"
    ds.PatientAge = "045Y"
    ds.PatientWeight = 72.5
    ds.StudyDescription = "Rich data set for writer checks"
    ds.ImageComments = "A comment with a backslash \\ inside (LT keeps it)"
    ds.SliceThickness = "1.50"
    ds.PixelSpacing = [0.5, 0.5]
    ds.ImagePositionPatient = [-16.0, -16.0, 42.5]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.InstanceNumber = 3
    ds.FrameIncrementPointer = 0x00181063
    ds.ReferencedImageSequence = Sequence([
        Dataset(ReferencedSOPClassUID="1.2.840.10008.5.1.4.1.1.2",
                ReferencedSOPInstanceUID="1.2.826.0.1.3680043.2.1125.9"),
    ])
    ds.AnatomicRegionSequence = [Dataset(CodeValue="T-D1100", CodingSchemeDesignator="SRT",
                                         CodeMeaning="Head")]
    block = ds.private_block(0x0029, "AUTHORING TEST", create=True)
    block.add(0x01, "LO", "private text")
    block.add(0x02, "US", [1, 2, 3])
    ds.WindowCenter = [40, 400]
    ds.WindowWidth = [80, 2000]
    ds.RescaleIntercept = -1024
    ds.RescaleSlope = 1
    pixels = (np.arange(32 * 48, dtype=np.uint16).reshape(32, 48) * 37) % 4096
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = pixels.shape
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = pixels.tobytes()
    return ds, pixels
