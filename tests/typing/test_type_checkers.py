"""The typing the generated builders promise, proved with the type checkers people use:
pyright (strict) and mypy (strict) accept the examples, report every deliberate mistake in
``mistakes.py`` on its line and nothing else, and jedi completes only the IOD's attributes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, missing

MISTAKES = Path(__file__).with_name("mistakes.py")
EXAMPLES = REPO / "examples"


def mistake_lines() -> dict[int, str]:
    """Line number -> the mistake described on it."""
    lines = MISTAKES.read_text(encoding="utf-8").splitlines()
    return {number: line.split("# mistake:", 1)[1].strip()
            for number, line in enumerate(lines, start=1) if "# mistake:" in line}


def pyright(*targets: Path) -> list[tuple[str, int, str]]:
    """pyright's errors (file, 1-based line, message) with the repository's strict config."""
    try:
        import pyright as _  # noqa: F401
    except ImportError:
        missing("pyright is not installed (test extra)")
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable,
         *map(str, targets)], cwd=REPO, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright did not run: {result.stdout[-2000:]} {result.stderr[-2000:]}")
    return [(d["file"], d["range"]["start"]["line"] + 1, d["message"])
            for d in report["generalDiagnostics"] if d["severity"] == "error"]


def mypy(*targets: Path) -> list[tuple[str, int, str]]:
    """mypy's errors (file, line, message), strict."""
    try:
        import mypy as _  # noqa: F401
    except ImportError:
        missing("mypy is not installed (test extra)")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context",
         *map(str, targets)], cwd=REPO, capture_output=True, text=True, timeout=900)
    found = []
    for line in result.stdout.splitlines():
        match = re.match(r"^(.+?):(\d+): error: (.*)$", line)
        if match:
            found.append((str(REPO / match.group(1)), int(match.group(2)), match.group(3)))
    assert result.returncode in (0, 1), result.stdout[-3000:] + result.stderr[-3000:]
    return found


@pytest.mark.slow
def test_pyright_strict_accepts_the_package() -> None:
    """The hand-written package passes pyright strict, private-usage checks included
    (``pyright-package.json``; the generated code is checked by mypy and by its typing
    proofs)."""
    try:
        import pyright as _  # noqa: F401
    except ImportError:
        missing("pyright is not installed (test extra)")
    result = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable,
         "-p", str(REPO / "pyright-package.json")], cwd=REPO, capture_output=True, text=True,
        timeout=900)
    report = json.loads(result.stdout)
    errors = [f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}"
              for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert not errors, "\n".join(errors[:20])
    assert report["summary"]["filesAnalyzed"] > 100


@pytest.mark.slow
def test_pyright_strict_accepts_the_examples() -> None:
    assert pyright(EXAMPLES) == []


@pytest.mark.slow
def test_mypy_strict_accepts_the_examples() -> None:
    assert mypy(EXAMPLES) == []


def _check_reported(errors: list[tuple[str, int, str]], tool: str) -> None:
    expected = mistake_lines()
    reported = {line for file, line, _ in errors if Path(file) == MISTAKES}
    unreported = {line: what for line, what in expected.items() if line not in reported}
    unexpected = [(line, message) for file, line, message in errors
                  if Path(file) != MISTAKES or line not in expected]
    print(f"{tool}: {len(expected) - len(unreported)} of {len(expected)} mistakes reported "
          f"on their line, {len(unexpected)} other errors")
    assert not unreported, f"{tool} missed: {unreported}"
    assert not unexpected, f"{tool} reported lines without a mistake: {unexpected}"


@pytest.mark.slow
def test_pyright_reports_each_mistake_on_its_line() -> None:
    _check_reported(pyright(MISTAKES), "pyright")


@pytest.mark.slow
def test_mypy_reports_each_mistake_on_its_line() -> None:
    _check_reported(mypy(MISTAKES), "mypy")


def test_the_fixture_covers_every_kind_of_mistake() -> None:
    kinds = " ".join(mistake_lines().values())
    for kind in ("misspelled keyword", "outside the enumeration", "missing required",
                 "wrong item class", "text for a US value", "an int for a date"):
        assert kind in kinds


def test_jedi_completes_only_the_iods_attributes() -> None:
    try:
        import jedi
    except ImportError:
        missing("jedi is not installed (test extra)")
        return
    source = ("from authoring.iods import CTImage\n"
              "def f(ct: CTImage) -> None:\n"
              "    ct.")
    script = jedi.Script(source, path=str(REPO / "completion_probe.py"),
                         project=jedi.Project(str(REPO)))
    names = {c.name for c in script.complete(3, len("    ct."))}
    assert {"KVP", "SliceThickness", "PatientName", "RescaleSlope", "validate"} <= names
    # attributes of other IODs' modules, which no CT Image module has
    assert not {"FrameType", "EchoTime", "DoseGridScaling", "ContentSequence"} & names
    # and the plain data set's keyword catalogue is not mixed in
    assert "PatientsName" not in names and len(names) < 1500
