"""The context-group stage of the build: pydicom's PS3.16 tables -> the normalized
``dictionary/context_groups/`` -> ``authoring/_generated/codes`` (one enumeration per CID)."""

from __future__ import annotations

import json
import keyword as python_keywords
from pathlib import Path
from typing import Any

from authoring.compiler.importers.pydicom_cids import (
    ContextGroupSource,
    import_context_groups,
)
from authoring.compiler.render import format_many, make_environment, render

FOLDER = Path("dictionary") / "context_groups"
TABLE = FOLDER / "context_groups.json"
CODES_PACKAGE = Path("authoring") / "_generated" / "codes"

#: Names a member cannot take: the enumeration's own attributes and methods.
RESERVED = frozenset({"name", "value", "code", "meaning", "scheme", "cid", "lookup", "mro"})


def context_group_tables(source: ContextGroupSource | None = None) -> dict[str, str]:
    """The normalized context groups and their provenance (from pydicom's wheel)."""
    source = source or import_context_groups()
    records = [
        {"cid": g.cid, "keyword": g.keyword,
         "concepts": [[c.scheme, c.value, c.meaning, c.keyword] for c in g.concepts]}
        for g in source.groups
    ]
    table = {"source": source.source, "groups": records}
    concepts = sum(len(g.concepts) for g in source.groups)
    provenance = (
        "# PS3.16 context groups (CID)\n\n"
        f"{len(source.groups):,} context groups with {concepts:,} concepts, imported by "
        "`authoring dictionary build` from the tables that "
        f"{source.source} ships (`pydicom/sr/_cid_dict.py` and `_concepts_dict.py`, which "
        "pydicom generates from the PS3.16 DocBook), read as data (pydicom is never "
        "imported). Each concept is [coding scheme designator, code value, code meaning, "
        "pydicom's keyword for it]; a group's concepts are in the order of those tables "
        "(by scheme), not the order of the PS3.16 table. pydicom's tables carry no group "
        "version or title (the keyword is pydicom's name for the group).\n\n"
        "Facts of the DICOM standard (copyright NEMA), kept as data with this provenance. "
        "pydicom is MIT-licensed (Copyright (c) 2008-2020 Darcy Mason and pydicom "
        "contributors); no pydicom code is used.\n")
    return {str(TABLE): json.dumps(table, indent=0, ensure_ascii=False) + "\n",
            str(FOLDER / "PROVENANCE.md"): provenance}


def member_names(concepts: list[list[str]]) -> list[str]:
    """A Python name per concept: pydicom's keyword, made an identifier, unique in the group
    (the scheme appended, then a number, where two concepts share one)."""
    names: list[str] = []
    used: set[str] = set()
    for scheme, _value, _meaning, keyword in concepts:
        name = "".join(c if c.isalnum() or c == "_" else "_" for c in keyword) or "Concept"
        if name[0].isdigit() or name.startswith("_"):
            name = "C" + name.lstrip("_")
        if name in RESERVED or python_keywords.iskeyword(name):
            name += "_"
        if name in used:
            name = f"{name}_{''.join(c for c in scheme if c.isalnum())}"
        base, counter = name, 2
        while name in used:
            name = f"{base}{counter}"
            counter += 1
        used.add(name)
        names.append(name)
    return names


def codes_modules(table_text: str) -> dict[str, str]:
    """``authoring/_generated/codes``: a module per context group, a lazy index and its stub
    (black-formatted)."""
    table: dict[str, Any] = json.loads(table_text)
    env = make_environment()
    common = {"source": table["source"], "table": "context_groups/context_groups.json"}
    out: dict[str, str] = {}
    entries: list[tuple[str, str]] = []
    for group in table["groups"]:
        name = f"CID{group['cid']}"
        module = f"cid{group['cid']}"
        members = list(zip(member_names(group["concepts"]), group["concepts"]))
        out[str(CODES_PACKAGE / f"{module}.py")] = render(
            env, "codes_group.py.j2", formatted=False, name=name, group=group,
            members=members, **common)
        entries.append((name, module))
    out[str(CODES_PACKAGE / "__init__.py")] = render(
        env, "codes_index.py.j2", formatted=False, entries=entries, **common)
    out[str(CODES_PACKAGE / "__init__.pyi")] = render(
        env, "codes_index.pyi.j2", formatted=False, entries=entries, **common)
    return format_many(out)


def committed_codes_modules(root: Path) -> dict[str, str]:
    """The codes package from the committed normalized table (no pydicom needed)."""
    return codes_modules((root / TABLE).read_text(encoding="utf-8"))
