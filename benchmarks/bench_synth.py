"""Synthetic series: files per second for a series of 512 x 512 CT images written by
``authoring synth`` against the same series written by a straightforward pydicom loop (the
same phantom pixels and attributes a user would set), in one process; and ours with two
workers (target: at least 3x, both ways)."""

from __future__ import annotations

import os
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from common import report

from authoring import synth
from authoring.synth.content import PixelPlan, frame_values

COUNT = 300  # slices: a thin-slice chest CT series


def ours(folder: Path, workers: int, seed: int) -> float:
    """Seconds for our generator to write the series (a new seed each time: nothing cached
    from an earlier run)."""
    options = synth.SynthOptions(iod="CTImage", instances=COUNT, rows=512, columns=512,
                                 seed=seed)
    started = time.perf_counter()
    summary = synth.generate(options, folder, workers=workers)
    assert len(summary.written) == COUNT and not summary.failed
    return time.perf_counter() - started


def pydicom_loop(folder: Path) -> float:
    """Seconds for a plain pydicom loop writing the same series (pixels from the same
    phantom function, so that only the DICOM work differs)."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

    plan = PixelPlan(512, 512, 1, 1, 16, 12, False, "MONOCHROME2", "CT")
    started = time.perf_counter()
    study, series, frame = generate_uid(), generate_uid(), generate_uid()
    for index in range(COUNT):
        pixels = frame_values(plan, 0, -2.5 * index, 1)
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
        ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SOPClassUID = CTImageStorage
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
        ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = \
            "Doe^Jane", "SYN-1", "19700101", "F"
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = \
            study, series, frame
        ds.StudyDate, ds.StudyTime, ds.StudyID, ds.AccessionNumber = \
            "20240101", "101010", "1", "ACC1"
        ds.ReferringPhysicianName = ""
        ds.Modality, ds.SeriesNumber, ds.InstanceNumber = "CT", 1, index + 1
        ds.Manufacturer = "synthetic"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.ImagePositionPatient = [-175, -175, -2.5 * index]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing = [0.6836, 0.6836]
        ds.SliceThickness, ds.SliceLocation = 2.5, -2.5 * index
        ds.PositionReferenceIndicator = ""
        ds.KVP, ds.AcquisitionNumber = 120, 1
        ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = -1024, 1, "HU"
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.Rows, ds.Columns = 512, 512
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.PixelData = np.ascontiguousarray(pixels).tobytes()
        ds.save_as(folder / f"{index:04d}.dcm", enforce_file_format=True)
    return time.perf_counter() - started


def _scratch() -> str | None:
    """A RAM-backed folder when the machine has one: the files are the same, and the
    measure is the work of making them rather than the disk's write-back."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def main() -> list[dict[str, object]]:
    """Run the comparison (rounds interleaved, best of each); return the results."""
    theirs, one, two = [], [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for round_number in range(3):
            for runs, run in ((theirs, lambda f: pydicom_loop(f)),
                              (one, lambda f: ours(f, 1, 100 + round_number)),
                              (two, lambda f: ours(f, 2, 200 + round_number))):
                with tempfile.TemporaryDirectory(dir=_scratch()) as work:
                    runs.append(run(Path(work)))
    per_file = 1 / COUNT
    where = "RAM-backed folder" if _scratch() else "temporary folder"
    print(f"{COUNT} files of 512x512 CT per run, written to a {where}")
    return [report("synthetic 512x512 CT series, files/s, 1 worker (per file)",
                   min(one) * per_file, min(theirs) * per_file, 3.0),
            report("  ... 2 workers", min(two) * per_file, min(theirs) * per_file, 3.0)]


_PEAK = """
import resource, sys, tempfile, warnings
from pathlib import Path
from authoring import synth
warnings.simplefilter("ignore")
count, workers = int(sys.argv[1]), int(sys.argv[2])
with tempfile.TemporaryDirectory(dir=sys.argv[3] or None) as work:
    synth.generate(synth.SynthOptions(iod="CTImage", instances=count, rows=256, columns=256),
                   Path(work), workers=workers)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(max(own, children))
"""


def peak_memory() -> None:
    """Peak RSS (KiB, the largest process) generating 100 and 2,000 files: flat in the
    number of files, for one worker and for two."""
    import subprocess
    import sys

    for workers in (1, 2):
        peaks = []
        for count in (100, 2000):
            run = subprocess.run([sys.executable, "-c", _PEAK, str(count), str(workers),
                                  _scratch() or ""], capture_output=True, text=True,
                                 check=True)
            peaks.append(int(run.stdout.strip()))
        print(f"peak RSS, {workers} worker(s): 100 files {peaks[0] / 1024:.0f} MiB, 2,000 "
              f"files {peaks[1] / 1024:.0f} MiB (ratio {peaks[1] / peaks[0]:.2f})")


if __name__ == "__main__":
    peak_memory()
    main()
