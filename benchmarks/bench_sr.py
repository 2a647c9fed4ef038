"""Structured reporting: build and write a TID 1500 Measurement Report with 10 measurement
groups (two measurements each) with the compiled template builders
(``authoring.sr.templates``) and with highdicom, in the same process, to bytes. The two
reports are the same content tree (``tests/builders/test_sr_templates_vs_highdicom.py``).
Target: at least 5x faster than highdicom."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from common import median_time, report

import authoring

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.sr_reports import highdicom_document, ours_document  # noqa: E402

GROUPS = 10


def ours() -> bytes:
    """Build the document and write it to bytes."""
    buffer = io.BytesIO()
    authoring.write(ours_document(GROUPS), buffer)
    return buffer.getvalue()


def theirs() -> bytes:
    """The same with highdicom (and pydicom's writer)."""
    buffer = io.BytesIO()
    highdicom_document(GROUPS).save_as(buffer)
    return buffer.getvalue()


def main() -> list[dict[str, object]]:
    """Print the ratio (highdicom's time over ours)."""
    try:
        import highdicom  # noqa: F401
    except ImportError:
        print("highdicom is not installed (pip install -e .[test]): SR benchmark skipped")
        return []
    ours()
    theirs()
    rows = [report(f"TID 1500, {GROUPS} groups: build + write (vs highdicom)",
                   median_time(ours), median_time(theirs), target=5.0,
                   peer="highdicom")]
    return rows


if __name__ == "__main__":
    main()
