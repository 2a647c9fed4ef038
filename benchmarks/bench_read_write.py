"""Read, header-only read and write: authoring against pydicom 3, same process, same files.

Prints the median time of each and the ratio (pydicom's time / ours; above 1 is faster).
"""

from __future__ import annotations

import io
import sys
import tempfile
import warnings
from pathlib import Path

import pydicom

import authoring
from common import count_elements, median_time, pydicom_file, report, synthetic_dataset, \
    synthetic_file


def read_all_ours(path: Path) -> None:
    ds = authoring.read(path)
    for _, element in ds.walk():
        element.value


def read_all_pydicom(path: Path) -> None:
    ds = pydicom.dcmread(path)
    for element in ds.iterall():
        element.value


def main() -> list[dict[str, object]]:
    """Run the comparisons; return the results."""
    warnings.simplefilter("ignore")
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="authoring-bench-"))
    ct = pydicom_file("CT_small.dcm")
    synthetic = synthetic_file(workdir)
    print(f"synthetic data set: {count_elements(authoring.read(synthetic))} elements, "
          f"{synthetic.stat().st_size} bytes")
    for label, path in (("CT_small.dcm", ct), ("synthetic 2,000 elements", synthetic)):
        ours = median_time(lambda: read_all_ours(path))
        theirs = median_time(lambda: read_all_pydicom(path))
        results.append(report(f"read + access every value: {label}", ours, theirs, 3.0))
    for label, path in (("CT_small.dcm", ct), ("synthetic 2,000 elements", synthetic)):
        ours = median_time(lambda: authoring.read(path, stop_before="PixelData"))
        theirs = median_time(lambda: pydicom.dcmread(path, stop_before_pixels=True))
        results.append(report(f"header-only read: {label}", ours, theirs, 1.5))
    for label, path in (("CT_small.dcm", ct), ("synthetic 2,000 elements", synthetic)):
        our_ds = authoring.read(path)
        for _, element in our_ds.walk():
            element.value
        their_ds = pydicom.dcmread(path)
        for element in their_ds.iterall():
            element.value
        ours = median_time(lambda: authoring.write(our_ds, io.BytesIO(), validation="ignore"))
        theirs = median_time(lambda: their_ds.save_as(io.BytesIO()))
        results.append(report(f"write a fully parsed data set: {label}", ours, theirs, 2.0))
    # the same data set built in code by each library: every value must be encoded
    built = synthetic_dataset()
    their_built = pydicom.dcmread(synthetic)
    for element in their_built.iterall():
        element.value
    their_copy = pydicom.Dataset(their_built)
    their_copy.file_meta = their_built.file_meta

    def write_theirs() -> None:
        their_copy.save_as(io.BytesIO(), enforce_file_format=True)

    ours = median_time(lambda: authoring.write(built, io.BytesIO(), validation="ignore"))
    theirs = median_time(write_theirs)
    results.append(report("write a data set built in code (all values encoded)", ours, theirs))
    ours = median_time(lambda: authoring.write(built, io.BytesIO()))
    results.append(report("  the same, with authoring's value checks on", ours, theirs))
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
