"""The typed builders: cold import of one builder (target: ``from authoring.iods import
CTImage`` under 150 ms in a fresh interpreter), building and serializing a CT image with the
builder against the same data set built with pydicom, and the size of the generated tree.

Fresh-interpreter times include the interpreter's own start-up; they are measured with
bytecode caching allowed (as once installed) and, for the first run after a checkout or
upgrade, without it."""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import WITH_BYTECODE, fresh_interpreter_time, median_time, report

import numpy as np

REPO = Path(__file__).resolve().parents[1]
WITHOUT_BYTECODE = {**WITH_BYTECODE, "PYTHONDONTWRITEBYTECODE": "1"}


def fresh(code: str, repeat: int = 15) -> float:
    """Median seconds for a fresh interpreter to run ``code``, bytecode caches allowed."""
    return fresh_interpreter_time(code, repeat, warm=2)


def no_bytecode(code: str, repeat: int = 7) -> float:
    """Median seconds with no .pyc of the package to use (compiled from source each run)."""
    samples = []
    for _ in range(repeat):
        for cache in (REPO / "authoring").rglob("__pycache__"):
            for pyc in cache.glob("*.pyc"):
                pyc.unlink()
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=WITHOUT_BYTECODE)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def ct_pixels() -> np.ndarray[tuple[int, int], np.dtype[np.int16]]:
    """A 256 x 256 slice."""
    return (np.arange(256 * 256, dtype=np.int16) % 2048).reshape(256, 256)


def build_ours() -> bytes:
    """CT image with the typed builder, written to bytes."""
    import authoring
    from authoring.iods import CTImage

    ct = CTImage(Modality="CT", ImageType=["ORIGINAL", "PRIMARY", "AXIAL"],
                 PixelSpacing=[0.7, 0.7], ImageOrientationPatient=[1, 0, 0, 0, 1, 0],
                 ImagePositionPatient=[0, 0, 0], RescaleIntercept=-1024, RescaleSlope=1,
                 pixel_array=PIXELS)
    ct.PatientName = "Doe^Jane"
    ct.PatientID = "123"
    ct.KVP = 120
    ct.SliceThickness = 1.0
    return authoring.to_bytes(ct)


def build_pydicom() -> bytes:
    """The same image, attributes set one by one with pydicom (what its users write)."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    for keyword in ("SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID",
                    "FrameOfReferenceUID"):
        setattr(ds, keyword, generate_uid())
    for keyword in ("StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID",
                    "AccessionNumber", "SeriesNumber", "InstanceNumber", "PatientOrientation",
                    "PatientBirthDate", "PatientSex", "AcquisitionNumber",
                    "PositionReferenceIndicator", "Laterality", "PatientPosition"):
        setattr(ds, keyword, None)
    ds.Modality = "CT"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.PixelSpacing = [0.7, 0.7]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.ImagePositionPatient = [0, 0, 0]
    ds.RescaleIntercept = -1024
    ds.RescaleSlope = 1
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = PIXELS.shape
    ds.BitsAllocated = ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1
    ds.PixelData = PIXELS.tobytes()
    ds.PatientName = "Doe^Jane"
    ds.PatientID = "123"
    ds.KVP = 120
    ds.SliceThickness = 1.0
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


PIXELS = ct_pixels()


def tree_size() -> None:
    """Print the size of the generated package."""
    root = REPO / "authoring" / "_generated"
    for part in ("", "iods", "parts"):
        folder = root / part if part else root
        files = list(folder.rglob("*.py")) if part else list(folder.glob("*.py"))
        size = sum(f.stat().st_size for f in files)
        print(f"generated {part or '(tables)':<10} {len(files):4d} files {size / 2**20:6.1f} MiB")
    everything = list(root.rglob("*.py"))
    print(f"generated total      {len(everything):4d} files "
          f"{sum(f.stat().st_size for f in everything) / 2**20:6.1f} MiB")


def main() -> list[dict[str, object]]:
    """Run the comparisons; return the results."""
    fresh("pass", 3)
    baseline = fresh("pass")
    ours = fresh("from authoring.iods import CTImage")
    theirs = fresh("import pydicom")
    print(f"(bare interpreter start-up: {baseline * 1e3:.1f} ms)")
    results = [report("'from authoring.iods import CTImage' vs 'import pydicom'", ours, theirs)]
    verdict = "met" if ours < 0.150 else "NOT met"
    print(f"  cold import of CTImage: {ours * 1e3:.0f} ms with bytecode (target < 150 ms: "
          f"{verdict})")
    first = no_bytecode("from authoring.iods import CTImage")
    print(f"  ... without bytecode (first run after install): {first * 1e3:.0f} ms")
    build_ours()
    build_pydicom()
    results.append(report("build + serialize a 256x256 CT (builder vs pydicom)",
                          median_time(build_ours), median_time(build_pydicom)))
    tree_size()
    return results


if __name__ == "__main__":
    main()
