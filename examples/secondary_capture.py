"""A colour Secondary Capture image (a rendered screenshot, say) built with the typed
``SecondaryCaptureImage`` builder, validated and written.

An RGB array of shape (rows, columns, 3) sets Samples per Pixel 3, Photometric
Interpretation RGB and Planar Configuration 0; ``ConversionType`` is the one Type 1
attribute the builder cannot know ("WSD": workstation).

Run: ``python examples/secondary_capture.py [OUTPUT_DIR]``
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import numpy as np

import authoring
from authoring.iods import SecondaryCaptureImage


def colour_bars(
    rows: int = 120, columns: int = 160
) -> np.ndarray[tuple[int, int, int], np.dtype[np.uint8]]:
    """Eight vertical colour bars (white, yellow, cyan, green, magenta, red, blue, black)."""
    bars = np.array(
        [
            [255, 255, 255],
            [255, 255, 0],
            [0, 255, 255],
            [0, 255, 0],
            [255, 0, 255],
            [255, 0, 0],
            [0, 0, 255],
            [0, 0, 0],
        ],
        dtype=np.uint8,
    )
    which = (np.arange(columns) * len(bars)) // columns
    return np.broadcast_to(bars[which], (rows, columns, 3)).copy()


def build_secondary_capture() -> SecondaryCaptureImage:
    """The image with patient, study and series details."""
    sc = SecondaryCaptureImage(ConversionType="WSD", pixel_array=colour_bars())
    sc.PatientName = "Phantom^Water"
    sc.PatientID = "PHANTOM-001"
    sc.StudyDate = datetime.date(2026, 11, 25)
    sc.StudyTime = datetime.time(11, 30)
    sc.StudyID = "1"
    sc.Modality = "OT"
    sc.SeriesNumber = 200
    sc.InstanceNumber = 1
    sc.SeriesDescription = "Colour bars"
    sc.DateOfSecondaryCapture = datetime.date(2026, 11, 25)
    return sc


def main(output: Path) -> Path:
    """Build, validate and write the image; return the file written."""
    sc = build_secondary_capture()
    report = sc.validate()
    print(report)
    if not report.ok:
        raise SystemExit("the Secondary Capture image does not satisfy its IOD")
    output.mkdir(parents=True, exist_ok=True)
    path = output / "secondary_capture.dcm"
    authoring.write(sc, path)
    return path


if __name__ == "__main__":
    print("wrote", main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("examples/output")))
