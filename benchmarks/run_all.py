"""Run every benchmark and print the ratios (``make bench``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_builders  # noqa: E402
import bench_codify  # noqa: E402
import bench_import  # noqa: E402
import bench_large_file  # noqa: E402
import bench_pixels  # noqa: E402
import bench_read_write  # noqa: E402
import bench_sr  # noqa: E402
import bench_study  # noqa: E402
import bench_synth  # noqa: E402


def main() -> None:
    """Run the benchmark scripts in turn."""
    print("== read and write (median of repeated runs; ratio = pydicom time / ours) ==")
    bench_read_write.main()
    print("\n== import time (fresh interpreters) ==")
    bench_import.main()
    print("\n== memory ==")
    bench_large_file.main()
    print("\n== typed builders ==")
    bench_builders.main()
    print("\n== codify ==")
    bench_codify.main()
    print("\n== pixel data ==")
    bench_pixels.main()
    print("\n== synthetic data ==")
    bench_synth.main()
    print("\n== structured reporting (ratio = highdicom time / ours) ==")
    bench_sr.main()
    print("\n== synthetic studies (derived objects against the CT series they derive from) ==")
    bench_study.main()


if __name__ == "__main__":
    main()
