"""Peak memory of reading a 1 GB multi-frame file with deferred pixel data.

A 1 GiB file is made once (sparse where the file system allows: only the header is
written, the pixel bytes are a hole), then read in a fresh process that reports its peak
resident set size; pydicom's dcmread with defer_size is measured the same way.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import authoring
from authoring import Dataset

FRAMES, ROWS, COLUMNS = 2048, 512, 512  # 16-bit: 1 GiB of pixel data
TARGET_MB = 100


def make_file(path: Path) -> None:
    """Write the header with authoring, then the Pixel Data element by hand (its value is
    left as a hole of zeros so making the file costs no memory)."""
    ds = Dataset(SOPClassUID="1.2.840.10008.5.1.4.1.1.7.3", SOPInstanceUID="1.2.826.0.1.42",
                 Modality="OT", PatientName="Large^File", NumberOfFrames=FRAMES, Rows=ROWS,
                 Columns=COLUMNS, SamplesPerPixel=1, PhotometricInterpretation="MONOCHROME2",
                 BitsAllocated=16, BitsStored=16, HighBit=15, PixelRepresentation=0)
    head = io.BytesIO()
    authoring.write(ds, head, transfer_syntax="explicit")
    size = FRAMES * ROWS * COLUMNS * 2
    element = struct.pack("<HH2s2xL", 0x7FE0, 0x0010, b"OW", size)
    with open(path, "wb") as stream:
        stream.write(head.getvalue() + element)
        stream.truncate(len(head.getvalue()) + len(element) + size)


PROBE = """
import resource, sys
which, path = sys.argv[1], sys.argv[2]
if which == "authoring":
    import authoring
    ds = authoring.read(path, defer_size="1 MB")
    assert ds.NumberOfFrames == {frames} and ds["PixelData"].raw_length == {size}
else:
    import pydicom
    ds = pydicom.dcmread(path, defer_size="1 MB")
    assert ds.NumberOfFrames == {frames}
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def peak_rss_mb(which: str, path: Path) -> float:
    """Peak RSS (MB) of a fresh process that reads ``path``."""
    code = PROBE.format(frames=FRAMES, size=FRAMES * ROWS * COLUMNS * 2)
    result = subprocess.run([sys.executable, "-c", code, which, str(path)], check=True,
                            capture_output=True, text=True)
    return float(result.stdout.strip())


def main() -> list[dict[str, object]]:
    """Measure; return the results."""
    with tempfile.TemporaryDirectory(prefix="authoring-large-") as directory:
        path = Path(directory) / "large_multiframe.dcm"
        make_file(path)
        size_gb = path.stat().st_size / 1024**3
        ours = peak_rss_mb("authoring", path)
        theirs = peak_rss_mb("pydicom", path)
    verdict = "met" if ours < TARGET_MB else "NOT met"
    print(f"read a {size_gb:.2f} GiB multi-frame file, deferred pixel data: peak RSS "
          f"ours {ours:.1f} MB, pydicom {theirs:.1f} MB (target < {TARGET_MB} MB: {verdict})")
    return [{"name": "peak RSS reading a 1 GiB file (deferred)", "ours_mb": ours,
             "pydicom_mb": theirs, "target_mb": TARGET_MB}]


if __name__ == "__main__":
    main()
