"""Data flows one way: every import in the package, function-local and type-checking ones
included, points to its own layer or a lower one (the layer map is in the README)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

#: From the bottom up: each layer may import its own and the ones listed before it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("authoring.errors", "authoring.limits", "authoring._version")),
    ("dictionary", ("authoring._generated", "authoring.dictionary")),
    ("core", ("authoring.core", "authoring._generated.codes", "authoring.codes")),
    ("encoding", ("authoring.encoding",)),
    ("object", ("authoring.object", "authoring._generated.dataset_keywords")),
    ("validation", ("authoring.validation",)),
    ("pixels", ("authoring.pixels",)),
    ("io", ("authoring.io",)),
    ("dataset", ("authoring.dataset",)),
    ("builders", ("authoring.builders", "authoring._generated.iods", "authoring._generated.parts",
                  "authoring._generated.items", "authoring.iods", "authoring.parts",
                  "authoring.items", "authoring.sr", "authoring._generated.sr_templates")),
    ("applications", ("authoring.synth", "authoring.codifier", "authoring.compiler")),
    ("interface", ("authoring.cli", "authoring.pytest_plugin", "authoring.__main__")),
]
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}
TOP = "interface"  # the package itself (``import authoring``, its lazy public names)


def layer_of(module: str) -> str:
    """The layer of a dotted module name (the longest matching prefix wins)."""
    if module == "authoring" or module.count(".") == 1 and module.split(".")[1][:1].isupper():
        return TOP  # the package's own public names (``from authoring import Dataset``)
    best, length = TOP, 0
    for name, prefixes in LAYERS:
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = name, len(prefix)
    return best


def module_name(path: Path) -> str:
    """``authoring/io/reader.py`` -> ``authoring.io.reader``."""
    parts = list(path.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(source: str) -> list[tuple[str, int]]:
    """Every ``authoring`` module a source imports, with the line, at any depth."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names
                      if alias.name == "authoring" or alias.name.startswith("authoring.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                node.module == "authoring" or node.module.startswith("authoring.")):
            if node.module == "authoring":
                found += [(f"authoring.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((node.module, node.lineno))
    return found


def violations(sources: dict[str, str]) -> list[str]:
    """``module: line: imports X (layer) from layer`` for every upward import."""
    found = []
    for module, source in sorted(sources.items()):
        own = layer_of(module)
        for target, line in imports(source):
            theirs = layer_of(target)
            if RANK[theirs] > RANK[own]:
                found.append(f"{module}:{line}: imports {target} ({theirs}) from {own}")
    return found


def package_sources() -> dict[str, str]:
    """Every module of the package, by dotted name."""
    return {module_name(path.relative_to(REPO)): path.read_text(encoding="utf-8")
            for path in sorted((REPO / "authoring").rglob("*.py"))}


def test_every_import_points_down() -> None:
    found = violations(package_sources())
    assert not found, "\n".join(found)


def test_an_upward_import_is_caught() -> None:
    """The check fails on a deliberately added upward import, function-local or not."""
    sources = package_sources()
    sources["authoring.core.tag"] += "\n\ndef _peek():\n    from authoring.io.reader import read\n"
    sources["authoring.encoding.decode"] += "\nimport authoring\n"
    found = violations(sources)
    assert any(v.startswith("authoring.core.tag:") and "authoring.io.reader (io)" in v
               for v in found), found
    assert any(v.startswith("authoring.encoding.decode:") and "(interface)" in v for v in found)


def test_every_module_has_a_layer() -> None:
    """A new top-level module or package must be placed in the map."""
    unplaced = [m for m in package_sources() if layer_of(m) == TOP and m != "authoring" and
                not m.startswith(("authoring.cli", "authoring.pytest_plugin",
                                  "authoring.__main__"))]
    assert not unplaced, unplaced
