"""Codify speed against pydicom's codify, on pydicom's test files.

1. Batch command line: ``authoring codify FOLDER -o OUT`` (parallel) against
   ``pydicom codify FILE OUT`` run once per file, as its command line offers
   (target: at least 5x the files per second).
2. In process: our engine with black formatting against pydicom's ``code_file`` (which does
   not format) (target: no more than 3x its time), and with formatting off (target: faster).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from common import report

import authoring
from authoring.codifier import generate


def corpus() -> tuple[Path, list[Path]]:
    """pydicom's test_files folder and the files in it both tools codify."""
    import pydicom
    from pydicom.util.codify import code_file

    folder = Path(pydicom.__file__).parent / "data" / "test_files"
    readable = []
    for path in sorted(folder.glob("*.dcm")):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                authoring.read(path)
                pydicom.dcmread(path)
                code_file(str(path), None, True)
        except Exception:
            continue
        readable.append(path)
    return folder, readable


def batch_cli(files: list[Path]) -> tuple[float, float]:
    """Seconds for our batch command over the files, and for pydicom's CLI per file."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "in"
        source.mkdir()
        for path in files:
            (source / path.name).symlink_to(path)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "authoring.cli", "codify", str(source), "-o",
                        str(Path(work) / "ours")], check=False, capture_output=True)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        for path in files:
            subprocess.run([str(Path(sys.executable).parent / "pydicom"), "codify", str(path),
                            str(Path(work) / f"{path.stem}.py")], check=False,
                           capture_output=True)
        theirs = time.perf_counter() - started
    return ours, theirs


def in_process(files: list[Path], formatted: bool, repeat: int = 3) -> tuple[float, float]:
    """Median seconds to codify every file in this process: ours and pydicom's."""
    from pydicom.util.codify import code_file

    def ours() -> None:
        for path in files:
            generate(path, formatted=formatted)  # sidecars kept in memory, not written

    def theirs() -> None:
        for path in files:
            code_file(str(path), None, True)

    times: dict[str, list[float]] = {"ours": [], "theirs": []}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours()
        theirs()
        for _ in range(repeat):
            for name, function in (("ours", ours), ("theirs", theirs)):
                started = time.perf_counter()
                function()
                times[name].append(time.perf_counter() - started)
    return statistics.median(times["ours"]), statistics.median(times["theirs"])


def main() -> list[dict[str, object]]:
    """Run the comparisons; return the results."""
    _, files = corpus()
    print(f"({len(files)} files of pydicom's test_files that both read)")
    ours, theirs = batch_cli([f for f in files if f.stat().st_size < 5_000_000])
    results = [report("batch CLI: files per second, ours vs pydicom per file", ours, theirs,
                      5.0)]
    ours, theirs = in_process(files, formatted=True)
    results.append(report("in process, ours formatted vs pydicom code_file", ours, theirs,
                          1 / 3))
    ours, theirs = in_process(files, formatted=False)
    results.append(report("in process, ours unformatted vs pydicom code_file", ours, theirs,
                          1.0))
    return results


if __name__ == "__main__":
    main()
