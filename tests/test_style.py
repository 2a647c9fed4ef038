"""House style that tools do not check for us: a docstring on every public function, class
and method of the hand-written code."""

from __future__ import annotations

import ast

from tests.conftest import REPO


def _public_definitions_without_docstring() -> list[str]:
    missing = []
    for path in sorted((REPO / "authoring").rglob("*.py")):
        if "_generated" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if ast.get_docstring(tree) is None:
            missing.append(f"{path.relative_to(REPO)}: module")
        scopes: list[tuple[ast.AST, str]] = [(tree, "")]
        while scopes:
            scope, prefix = scopes.pop()
            for node in ast.iter_child_nodes(scope):
                if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue
                name = node.name
                if name.startswith("_"):
                    continue
                if isinstance(node, ast.FunctionDef) and any(
                        isinstance(d, ast.Name) and d.id == "overload" or
                        isinstance(d, ast.Attribute) and d.attr == "setter"
                        for d in node.decorator_list):
                    continue
                if ast.get_docstring(node) is None:
                    missing.append(f"{path.relative_to(REPO)}:{node.lineno} {prefix}{name}")
                if isinstance(node, ast.ClassDef):
                    scopes.append((node, f"{name}."))
    return missing


def test_every_public_definition_has_a_docstring() -> None:
    missing = _public_definitions_without_docstring()
    assert not missing, "\n".join(missing)
