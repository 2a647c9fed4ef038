"""Packaging promises: a cheap ``import authoring``, typed (py.typed, strict mypy)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO, missing


def test_import_loads_only_the_package_shell() -> None:
    code = ("import sys, json, authoring; "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('authoring'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert json.loads(result.stdout) == ["authoring", "authoring._version"]


def test_first_use_loads_what_it_needs_only() -> None:
    code = ("import sys, json, authoring; authoring.Tag('PatientName'); "
            "print(json.dumps(sorted(m for m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    loaded = set(json.loads(result.stdout))
    assert "authoring._generated.ps36_elements" in loaded
    assert "authoring._generated.private_elements" not in loaded  # 1 MB of vendor tables
    assert not {"numpy", "jinja2", "black", "typer", "rich"} & loaded


def test_package_is_typed() -> None:
    assert (REPO / "authoring" / "py.typed").exists()


@pytest.mark.slow
def test_strict_mypy_is_clean() -> None:
    try:
        import mypy  # noqa: F401
    except ImportError:
        missing("mypy is not installed (test extra)")
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict",
                             "--disable-error-code", "redundant-cast",
                             "authoring"],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:]


def test_public_names_are_all_exported() -> None:
    """``authoring.__all__`` (written out for type checkers) names every lazy export."""
    import authoring

    assert sorted(authoring.__all__) == sorted(["__version__", *authoring._EXPORTS])
