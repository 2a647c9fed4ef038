"""PS3.16 context groups from the tables pydicom's wheel ships.

pydicom generates ``pydicom/sr/_cid_dict.py`` (CID -> scheme -> concept keywords) and
``pydicom/sr/_concepts_dict.py`` (scheme -> keyword -> code value -> (meaning, CIDs)) from
the PS3.16 DocBook. They are read here as data, with :func:`ast.literal_eval`: pydicom is
never imported (it is a test-time dependency, not a runtime one).
"""

from __future__ import annotations

import ast
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from authoring.errors import DictionarySourceError


@dataclass(frozen=True)
class Concept:
    """One code of a context group, with pydicom's keyword for it."""

    scheme: str
    value: str
    meaning: str
    keyword: str


@dataclass
class ContextGroupEntry:
    """One context group: its number, pydicom's name for it and its concepts."""

    cid: int
    keyword: str
    concepts: list[Concept] = field(default_factory=list[Concept])


@dataclass
class ContextGroupSource:
    """The groups read, and where from."""

    groups: list[ContextGroupEntry]
    source: str  # "pydicom 3.0.2 (PS3.16 2024c)"
    folder: Path


def pydicom_sr_folder() -> Path:
    """``pydicom/sr`` of the installed pydicom, found without importing it."""
    found = importlib.util.find_spec("pydicom")
    if found is None or found.origin is None:
        raise DictionarySourceError("the PS3.16 context groups are read from pydicom's wheel: "
                                    "install the test extras (pydicom is never imported)",
                                    path=Path("pydicom/sr"))
    return Path(found.origin).parent / "sr"


def _assignments(path: Path) -> dict[str, Any]:
    """The module-level ``name = literal`` and ``name[key] = literal`` statements of a file."""
    namespace: dict[str, Any] = {}
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError) as error:
        raise DictionarySourceError(f"cannot read {path.name}: {error}", path=path) from error
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        value = ast.literal_eval(node.value)
        if isinstance(target, ast.Name):
            namespace[target.id] = value
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            namespace.setdefault(target.value.id, {})[ast.literal_eval(target.slice)] = value
    return namespace


def _version(folder: Path) -> str:
    """``pydicom 3.0.2 (PS3.16 2024c)``: the package's version (from its metadata, without
    importing it) and the edition its concept tables were generated from."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("pydicom")
    except PackageNotFoundError:
        package = "unknown"
    text = (folder.parent / "_version.py").read_text(encoding="utf-8")
    match = re.search(r"__concepts_version__\s*(?::\s*str\s*)?=\s*[\"']([^\"']+)[\"']", text)
    edition = f" (PS3.16 {match.group(1)})" if match else ""
    return f"{package}{edition}"


def import_context_groups(folder: Path | None = None) -> ContextGroupSource:
    """Every context group of pydicom's tables, in CID order, each group's concepts in the
    tables' order."""
    folder = folder or pydicom_sr_folder()
    groups_table = _assignments(folder / "_cid_dict.py")
    concepts_table = _assignments(folder / "_concepts_dict.py")
    names: dict[int, str] = groups_table.get("name_for_cid", {})
    members: dict[int, dict[str, list[str]]] = groups_table.get("cid_concepts", {})
    concepts: dict[str, dict[str, dict[str, tuple[str, list[int]]]]] = concepts_table.get(
        "concepts", {})
    if not names or not concepts:
        raise DictionarySourceError("no context groups found", path=folder)
    groups: list[ContextGroupEntry] = []
    for cid in sorted(names):
        group = ContextGroupEntry(cid, names[cid])
        for scheme, keywords in members.get(cid, {}).items():
            for keyword in keywords:
                codes = concepts.get(scheme, {}).get(keyword, {})
                for value, (meaning, cids) in codes.items():
                    if cid in cids:
                        group.concepts.append(Concept(scheme, value, meaning, keyword))
        groups.append(group)
    return ContextGroupSource(groups, f"pydicom {_version(folder)}", folder)
