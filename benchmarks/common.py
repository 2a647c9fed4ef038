"""Helpers shared by the benchmark scripts: timing, the corpus, a synthetic data set."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import authoring
from authoring import Dataset, Sequence


def pydicom_file(name: str) -> Path:
    """A file of pydicom's bundled test data."""
    import pydicom

    return Path(pydicom.__file__).parent / "data" / "test_files" / name


def median_time(function: Callable[[], object], *, repeat: int = 15, number: int = 0) -> float:
    """Median seconds per call over ``repeat`` rounds (``number`` calls each; 0 = auto)."""
    if number == 0:
        started = time.perf_counter()
        function()
        once = time.perf_counter() - started
        number = max(1, int(0.05 / max(once, 1e-6)))
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(number):
            function()
        samples.append((time.perf_counter() - started) / number)
    return statistics.median(samples)


#: The environment of fresh interpreters, with bytecode caching allowed (as once installed).
WITH_BYTECODE = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def fresh_interpreter_time(code: str, repeat: int = 21, warm: int = 3,
                           environment: dict[str, str] | None = None) -> float:
    """Median seconds for a fresh interpreter to run ``code`` (after ``warm`` runs)."""
    command = [sys.executable, "-c", code]
    environment = WITH_BYTECODE if environment is None else environment
    for _ in range(warm):
        subprocess.run(command, check=True, env=environment)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, env=environment)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def report(name: str, ours: float, theirs: float, target: float | None = None,
           peer: str = "pydicom") -> dict[str, object]:
    """Print and return one comparison: the ratio is the peer's (pydicom's) time over
    ours."""
    ratio = theirs / ours
    verdict = "" if target is None else ("  (target >= %.1fx: %s)" % (
        target, "met" if ratio >= target else "NOT met"))
    print(f"{name:<58} ours {ours * 1e3:9.3f} ms  {peer} {theirs * 1e3:9.3f} ms  "
          f"ratio {ratio:5.2f}x{verdict}")
    return {"name": name, "ours_ms": ours * 1e3, "pydicom_ms": theirs * 1e3, "ratio": ratio,
            "target": target}


def synthetic_dataset(total: int = 2000) -> Dataset:
    """A data set of ``total`` elements, nested ones included, of the common VRs: text,
    names, dates, numbers as text and binary, UIDs and sequences three levels deep."""
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.2.1125.77"
    count = 3

    def fill(target: Dataset, group: int, n: int, seed: int) -> int:
        added = 0
        for i in range(n):
            tag = group << 16 | (0x1000 + i)
            kind = (seed + i) % 8
            if kind == 0:
                target.add_new(tag, "LO", f"text value {seed}-{i}")
            elif kind == 1:
                target.add_new(tag, "PN", f"Family{i}^Given{seed}")
            elif kind == 2:
                target.add_new(tag, "DS", [f"{i}.25", f"-{seed}.5", "1e3"])
            elif kind == 3:
                target.add_new(tag, "IS", str(i * seed))
            elif kind == 4:
                target.add_new(tag, "DA", "20240229")
            elif kind == 5:
                target.add_new(tag, "US", [i % 65536, seed % 65536])
            elif kind == 6:
                target.add_new(tag, "FD", [i / 7, seed / 3])
            else:
                target.add_new(tag, "UI", f"1.2.826.0.1.{seed}.{i}")
            added += 1
        return added

    # 20 sequences of 4 items; each item has 12 elements and a nested sequence of 2 items
    for s in range(20):
        items = []
        for k in range(4):
            item = Dataset()
            count += fill(item, 0x0011, 12, s * 10 + k)
            inner = []
            for m in range(2):
                leaf = Dataset()
                count += fill(leaf, 0x0013, 6, s * 100 + k * 10 + m)
                inner.append(leaf)
            item.add_new(0x00131100, "SQ", Sequence(inner))
            count += 1
            items.append(item)
        ds.add_new(0x0009_2000 + s, "SQ", Sequence(items))
        count += 1
    remaining = total - count
    per_group = 200
    group = 0x0019
    while remaining > 0:
        count_here = min(per_group, remaining)
        fill(ds, group, count_here, group)
        remaining -= count_here
        group += 2
    return ds


def count_elements(ds: Dataset) -> int:
    """Elements, nested ones included."""
    return sum(1 for _ in ds.walk())


def synthetic_file(directory: Path) -> Path:
    """The synthetic data set written (explicit VR little endian) into ``directory``."""
    path = directory / "synthetic_2000.dcm"
    if not path.exists():
        authoring.write(synthetic_dataset(), path, validation="ignore")
    return path
