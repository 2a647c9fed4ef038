"""Filter pydicom comparisons by the hand-written expectation file."""

from __future__ import annotations

from typing import Any

from tests.conftest import load_expectations

VALUE_EXPECTATIONS: dict[str, Any] = load_expectations("pydicom_values.json")


def unexpected(name: str, problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The differences of ``name`` that the expectation file does not explain."""
    listed = VALUE_EXPECTATIONS.get(name, {})
    return [(path, text) for path, text in problems if path not in listed]
