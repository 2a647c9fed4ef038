"""Build a data set in code, write it in every uncompressed transfer syntax, read each file
back, check it survived, and dump one.

Run with ``make demo`` (or ``python examples/foundation_demo.py [OUTPUT_DIR]``).
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import numpy as np

import authoring
from authoring import Dataset, PersonName, Sequence, generate_uid
from authoring.core.transfer_syntax import UNCOMPRESSED
from authoring.object.render import dump_text


def build_dataset() -> Dataset:
    """A small CT-like image: patient, study, series, a referenced-image sequence, a private
    block and 64 x 64 16-bit pixels."""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"  # UTF-8, so the names below can be written
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"  # CT Image Storage
    ds.SOPInstanceUID = generate_uid()
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.FrameOfReferenceUID = generate_uid()
    ds.Modality = "CT"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.PatientName = PersonName.from_parts("Müller", "Jürgen", ideographic="ミュラー^ユルゲン")
    ds.PatientID = "DEMO-0001"
    ds.PatientBirthDate = datetime.date(1970, 5, 17)
    ds.StudyDate = datetime.date.today()
    ds.StudyTime = datetime.time(9, 30, 15)
    ds.SliceThickness = 1.25
    ds.PixelSpacing = [0.5, 0.5]
    ds.ImagePositionPatient = [-16.0, -16.0, 42.5]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.InstanceNumber = 1
    ds.KVP = 120
    ds.ReferencedImageSequence = Sequence([
        Dataset(ReferencedSOPClassUID="1.2.840.10008.5.1.4.1.1.2",
                ReferencedSOPInstanceUID=generate_uid()),
    ])
    block = ds.private_block(0x0029, "AUTHORING DEMO", create=True)
    block.add(0x01, "LO", "a private note")
    pixels = (np.arange(64 * 64, dtype=np.uint16).reshape(64, 64) * 16)
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = pixels.shape
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    ds.RescaleIntercept = -1024
    ds.RescaleSlope = 1
    ds.PixelData = pixels.tobytes()
    return ds


def same_content(read_back: Dataset, original: Dataset) -> bool:
    """True when every element survived. Implicit VR files do not record VRs, so a private
    element unknown to the private dictionary comes back as UN: compare its bytes instead."""
    if read_back.keys() != original.keys():
        return False
    for element in original:
        other = read_back[element.tag]
        if other == element:
            continue
        if other.vr == "UN" and element.tag.is_private:
            if other.value.rstrip(b" ") == str(element.value).encode():
                continue
        return False
    return True


def main(output: Path) -> int:
    """Write, read back, compare, dump; return a process exit code."""
    output.mkdir(parents=True, exist_ok=True)
    original = build_dataset()
    failures = 0
    for syntax in UNCOMPRESSED:
        path = output / f"demo_{syntax.keyword}.dcm"
        authoring.write(original, path, transfer_syntax=syntax)
        back = authoring.read(path)
        same = same_content(back, original)
        failures += not same
        print(f"{'ok  ' if same else 'FAIL'} {syntax.name:<36} {path.stat().st_size:>6} bytes "
              f"-> {path}")
    shown = output / "demo_ExplicitVRBigEndian.dcm"
    print(f"\n--- {shown.name} ---")
    print(dump_text(authoring.read(shown)))
    print(f"\nFiles are in {output.resolve()}")
    return 1 if failures else 0


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "output"
    sys.exit(main(target))
