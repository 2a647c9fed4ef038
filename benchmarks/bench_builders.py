"""The typed builders: import of one builder (``from authoring.iods import CTImage``) in a
fresh interpreter, building and serializing a CT image with the builder against the same
data set built with pydicom, and the size of the generated code.

The import is measured as installed: the package copied into a fresh virtual environment
(no editable-install finder), once with no bytecode at all (compiled from source on every
run: a fresh install without a compile step, or a read-only site-packages; target < 120 ms)
and once compiled. Times include the interpreter's own start-up."""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from common import WITH_BYTECODE, fresh_interpreter_time, median_time, report

import numpy as np

REPO = Path(__file__).resolve().parents[1]
WITHOUT_BYTECODE = {**WITH_BYTECODE, "PYTHONDONTWRITEBYTECODE": "1"}


def fresh(code: str, repeat: int = 15) -> float:
    """Median seconds for a fresh interpreter to run ``code``, bytecode caches allowed."""
    return fresh_interpreter_time(code, repeat, warm=2)


def installed_copy(folder: Path) -> Path:
    """A virtual environment in ``folder`` holding a copy of the package and no bytecode;
    return its interpreter."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    interpreter = folder / "bin" / "python"
    site = subprocess.run([str(interpreter), "-c", "import sysconfig; "
                           "print(sysconfig.get_paths()['purelib'])"], check=True,
                          capture_output=True, text=True).stdout.strip()
    shutil.copytree(REPO / "authoring", Path(site) / "authoring",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return interpreter


def import_time(interpreter: Path, code: str, *, bytecode: bool, repeat: int = 11) -> float:
    """Median seconds for ``interpreter`` to run ``code``; without ``bytecode`` nothing is
    cached, so every run compiles the package's modules from source."""
    environment = {k: v for k, v in WITH_BYTECODE.items() if k != "PYTHONPATH"}
    if not bytecode:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        subprocess.run([str(interpreter), "-m", "compileall", "-q",
                        str(interpreter.parent.parent)], check=True, capture_output=True)
    # run outside the checkout: ``-c`` puts the working folder first on the path
    command = [str(interpreter), "-c", code]
    folder = str(interpreter.parent)
    subprocess.run(command, check=True, env=environment, cwd=folder)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, env=environment, cwd=folder)
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
    """Print the size of the generated code and of the package as a wheel would hold it."""
    root = REPO / "authoring" / "_generated"
    for part in ("", "iods", "parts", "items", "codes", "sr_templates"):
        folder = root / part if part else root
        found = folder.rglob("*") if part else folder.glob("*")
        files = [f for f in found if f.suffix in (".py", ".pyi") and f.is_file()]
        size = sum(f.stat().st_size for f in files)
        lines = sum(f.read_text(encoding="utf-8").count("\n") for f in files)
        print(f"generated {part or '(tables)':<10} {len(files):4d} files {size / 2**20:6.1f} MiB "
              f"{lines:8,d} lines")
    declared = sum(f.read_text(encoding="utf-8").count("= Attribute(")
                   for f in (root / "iods").glob("*.py"))
    print(f"attributes declared by the IOD builders themselves: {declared:,d}")
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "package.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted((REPO / "authoring").rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and \
                        path.suffix in (".py", ".pyi", ".j2", ".typed"):
                    zipped.write(path, path.relative_to(REPO))
        generated = sum(i.compress_size for i in zipfile.ZipFile(archive).infolist()
                        if "_generated" in i.filename)
        size = archive.stat().st_size
        print(f"package compressed as in a wheel: {size / 2**20:.1f} MiB, "
              f"{generated / size:.0%} of it generated")


def main() -> list[dict[str, object]]:
    """Run the comparisons; return the results."""
    fresh("pass", 3)
    baseline = fresh("pass")
    ours = fresh("from authoring.iods import CTImage")
    theirs = fresh("import pydicom")
    print(f"(bare interpreter start-up: {baseline * 1e3:.1f} ms)")
    results = [report("'from authoring.iods import CTImage' vs 'import pydicom'", ours, theirs)]
    with tempfile.TemporaryDirectory() as scratch:
        interpreter = installed_copy(Path(scratch) / "venv")
        bare = import_time(interpreter, "pass", bytecode=False)
        cold = import_time(interpreter, "from authoring.iods import CTImage", bytecode=False)
        compiled = import_time(interpreter, "from authoring.iods import CTImage", bytecode=True)
    verdict = "met" if cold < 0.120 else "NOT met"
    print(f"  installed copy, no bytecode: CTImage import {cold * 1e3:.0f} ms (target < 120 ms: "
          f"{verdict}); compiled {compiled * 1e3:.0f} ms; bare interpreter {bare * 1e3:.0f} ms")
    build_ours()
    build_pydicom()
    results.append(report("build + serialize a 256x256 CT (builder vs pydicom)",
                          median_time(build_ours), median_time(build_pydicom)))
    tree_size()
    return results


if __name__ == "__main__":
    main()
