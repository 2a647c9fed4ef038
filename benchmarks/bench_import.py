"""`python -c "import authoring"` against `python -c "import pydicom"`: median wall time of
fresh interpreters (the interpreter's own start-up included in both).

Bytecode caching is allowed (PYTHONDONTWRITEBYTECODE is removed for the children) and each
command is run a few times first, so both packages load from .pyc files, as they do once
installed."""

from __future__ import annotations

from common import fresh_interpreter_time, report


def start_time(code: str, repeat: int = 21) -> float:
    """Median seconds for a fresh interpreter to run ``code``."""
    return fresh_interpreter_time(code, repeat)


def main() -> list[dict[str, object]]:
    """Run the comparison; return the result."""
    start_time("pass", 3)  # warm the file cache
    baseline = start_time("pass")
    ours = start_time("import authoring")
    theirs = start_time("import pydicom")
    print(f"(bare interpreter start-up: {baseline * 1e3:.1f} ms)")
    results = [report("python -c 'import authoring' vs 'import pydicom'", ours, theirs, 1.0)]
    ours_first = start_time("import authoring; authoring.read")
    results.append(report("  ... and first use of authoring.read", ours_first, theirs))
    return results


if __name__ == "__main__":
    main()
