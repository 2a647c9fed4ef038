"""Hostile files of a few hundred bytes, each aimed at one structure a decoder trusts (see
``tests/support/hostile_pixels.py``): each is read, every value accessed, the first frame,
every frame and the pixel array decoded and the data set written, in a child process with
its address space limited. None may crash the interpreter, raise anything outside the
``authoring`` hierarchy, take memory its header does not legitimately declare, or run for
long. The table printed by :func:`test_worst_case_summary` is quoted in the README."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.support.hostile_pixels import CASES

#: each case: the error text its pixel steps must give (None: it must read and decode),
#: and the most resident memory in MiB it may reach (the interpreter and numpy take ~60)
EXPECTED: dict[str, tuple[str | None, int]] = {
    "rle-offset-past-data": ("offset 4294967280 is outside the frame", 150),
    "rle-offsets-backwards": ("comes before segment", 150),
    "rle-unequal-segments": ("decode to 128 at most", 150),
    "rle-corrupt-packbits": ("not valid PackBits data", 150),
    "rle-huge-64bit": ("decoding limit|decode to .* at most", 150),
    "jpeg-lossless-corrupt-marker": ("declares 65520 bytes", 150),
    "jpeg-lossless-sof-mismatch": ("4096 x 4096 pixels; Columns and Rows say 16 x 16", 150),
    "jpeg-truncated-huffman": ("declares 67 bytes", 150),
    "j2k-huge-dimensions": ("60000 x 60000 pixels", 150),
    "jpegls-huge-dimensions": ("50000 x 50000 pixels", 150),
    "frames-2-31": ("cannot be divided into 2147483647 frames", 150),
    "native-frames-2-31": ("need 549755813632", 150),
    "overlapping-offset-table": ("offsets must rise", 150),
    "deflate-bomb": ("inflates to more than", 350),
    "nested-sequences": (None, 300),
    "duplicate-elements": (None, 200),
}
#: the deflate bomb runs with a lower inflate limit, so the test shows the limit working
#: without spending a gigabyte
LIMITS = {"deflate-bomb": 64 << 20}
SECONDS = 20


def _run(name: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "tests.support.hostile_worker", name, "3072"]
    if name in LIMITS:
        command.append(str(LIMITS[name]))
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, (name, result.returncode, result.stderr[-2000:])
    record: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return record


RECORDS: dict[str, dict[str, Any]] = {}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file(name: str) -> None:
    record = _run(name)
    RECORDS[name] = record
    assert record["outcome"] != "foreign", record
    expected, memory = EXPECTED[name]
    steps: dict[str, str] = record["steps"]
    if expected is None:
        assert record["outcome"] == "ok", record
    else:
        import re

        pixel_steps = [text for step, text in steps.items() if step != "write"]
        assert any(re.search(expected, text) for text in pixel_steps), (name, steps)
        assert steps.get("read") == "ok" or "read" not in steps or \
            re.search(expected, steps["read"]), steps
    assert record["peak_rss_mb"] <= memory, record
    assert record["seconds"] <= SECONDS, record
    if name == "duplicate-elements":  # a million duplicates: 20 warnings and a summary
        assert record["warnings"] == 21, record


@pytest.mark.slow
def test_worst_case_summary() -> None:
    """Printed for the README (after the cases, in file order)."""
    if len(RECORDS) != len(CASES):
        pytest.skip("the cases did not all run in this session")
    worst = max(RECORDS.values(), key=lambda r: r["peak_rss_mb"])
    slowest = max(RECORDS.values(), key=lambda r: r["seconds"])
    print(f"\nhostile files: {len(RECORDS)} cases, none crashed or escaped; worst peak RSS "
          f"{worst['peak_rss_mb']} MiB ({worst['case']}), slowest {slowest['seconds']} s "
          f"({slowest['case']})")
    for name, record in RECORDS.items():
        print(f"  {name}: {record['bytes']} bytes, {record['outcome']}, "
              f"{record['peak_rss_mb']} MiB, {record['seconds']} s")


def test_pixel_errors_name_file_tag_and_offset(tmp_path: Path) -> None:
    """A frame that cannot be decoded is reported with the file, (7FE0,0010) and the byte
    offset of the frame's first fragment item (checked on the raw bytes)."""
    import authoring
    from authoring.pixels.info import PixelDataError

    path = tmp_path / "bad.dcm"
    path.write_bytes(CASES["rle-offset-past-data"]())
    with pytest.raises(PixelDataError) as caught:
        authoring.read(path).frame(0)
    error = caught.value
    assert error.path == str(path) and error.tag == 0x7FE00010 and error.offset is not None
    assert path.read_bytes()[error.offset:error.offset + 4] == b"\xfe\xff\x00\xe0"
    assert str(error).startswith(f"{path}: (7FE0,0010) at byte {error.offset}: RLE segment")


def test_worker_help() -> None:
    """The worker refuses an unknown case by name (a typo in this file would otherwise pass)."""
    assert set(EXPECTED) == set(CASES)
    assert Path(REPO / "tests" / "support" / "hostile_worker.py").exists()
