"""The example scripts of ``examples/`` as importable modules (they are not a package)."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tests.conftest import REPO


def example(name: str) -> ModuleType:
    """Import ``examples/<name>.py`` (once) and return it."""
    import sys

    key = f"authoring_example_{name}"
    if key in sys.modules:
        return sys.modules[key]
    spec = importlib.util.spec_from_file_location(key, REPO / "examples" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module
