"""Run one hostile case in this (child) process and print what happened as JSON.

Usage: python -m tests.support.hostile_worker CASE [MEMORY_LIMIT_MB [INFLATE_LIMIT_BYTES]]

The file is read, every value accessed (``dump``'s work), the first frame and then every
frame decoded, and the data set written back. The outcome is ``"ok"`` or ``"rejected"``
(an ``authoring`` error, with its class and message), or ``"foreign"`` for any other
exception. A crash shows as the child's exit status; the peak resident memory and the time
taken are printed too. An address-space limit keeps a runaway allocation from taking the
machine (it then shows as a foreign MemoryError).
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
import warnings


def run(name: str) -> dict[str, object]:
    """Exercise case ``name``; return the record printed: the outcome of each step (read,
    every value, frame 0, every frame, pixel_array, write), each tried even when an earlier
    one failed (except after a failed read)."""
    import authoring
    from authoring.errors import AuthoringError
    from tests.support.hostile_pixels import CASES

    data = CASES[name]()
    _preload()
    _reset_peak()
    started = time.monotonic()
    record: dict[str, object] = {"case": name, "bytes": len(data)}
    caught: list[warnings.WarningMessage] = []
    steps: dict[str, str] = {}
    dataset = None

    def values() -> None:
        for _, element in dataset.walk():
            element.value

    def every_frame() -> None:
        for _ in dataset.iter_frames():
            pass

    def read() -> None:
        nonlocal dataset
        dataset = authoring.read(io.BytesIO(data))

    actions = [("read", read), ("values", values),
               ("frame0", lambda: dataset.frame(0)), ("frames", every_frame),
               ("pixel_array", lambda: dataset.pixel_array),
               ("write", lambda: authoring.to_bytes(dataset, validation="ignore"))]
    with warnings.catch_warnings(record=True) as caught:  # type: ignore[assignment]
        warnings.simplefilter("always")
        for step, action in actions:
            if step != "read" and dataset is None:
                break
            if step in ("frame0", "frames", "pixel_array") and "PixelData" not in dataset:
                continue
            try:
                action()
                steps[step] = "ok"
            except AuthoringError as exc:
                steps[step] = f"rejected: {type(exc).__name__}: {str(exc)[:200]}"
            except BaseException as exc:  # noqa: BLE001 - what we look for
                steps[step] = f"foreign: {type(exc).__name__}: {str(exc)[:200]}"
    outcomes = [text.split(":")[0] for text in steps.values()]
    record["outcome"] = "foreign" if "foreign" in outcomes else \
        "rejected" if "rejected" in outcomes else "ok"
    record["steps"] = steps
    record["warnings"] = len(caught)
    record["seconds"] = round(time.monotonic() - started, 2)
    record["peak_rss_mb"] = _peak_mb()
    return record


def _preload() -> None:
    """Import (and compile, if no bytecode is cached) every module a case may use, so that
    the peak measured is the case's, not the interpreter's start."""
    import numpy  # noqa: F401

    import authoring.io.writer  # noqa: F401
    import authoring.pixels.api  # noqa: F401
    import authoring.pixels.codecs  # noqa: F401
    import authoring.validation.value_rules  # noqa: F401
    from authoring.dictionary.elements import vr_for_tag

    vr_for_tag(0x00100010)


def _reset_peak() -> None:
    """Reset the kernel's high-water mark of resident memory (Linux 4.0+), when allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as stream:
            stream.write("5")
    except OSError:
        pass


def _peak_mb() -> int:
    """Peak resident memory since the reset, in MiB (VmHWM; getrusage where absent)."""
    try:
        with open("/proc/self/status") as stream:
            for line in stream:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main(argv: list[str]) -> int:
    """Limit the address space, run the case, print its record."""
    limit_mb = int(argv[1]) if len(argv) > 1 else 4096
    resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
    if len(argv) > 2:  # an inflate limit for the deflate bomb
        from authoring.limits import LIMITS

        LIMITS.inflated_bytes = int(argv[2])
    print(json.dumps(run(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
