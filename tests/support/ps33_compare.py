"""Compare two PS3.3 imports (DocBook text and dicom3tools templates) module by module:
attributes with their nesting paths and Types, macros expanded within each source."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from authoring.compiler.ir_iods import IODEdition, MacroUse, Module, Row

Path = tuple[str, ...]

#: Modules the two sources name differently: the text's name -> dicom3tools' name, and why.
ALIASES = {
    "MultiFrameFunctionalGroups": ("MultiFrameFunctionalGroupsCommon", "dicom3tools splits "
                                   "the module into its common part and one specialisation "
                                   "per IOD (MultiFrameFunctionalGroupsFor<IOD>)"),
    "SupplementalPaletteColorLookupTable": ("SupplementalPaletteColorLUT", "dicom3tools "
                                            "abbreviates Lookup Table"),
}


def their_name(name: str) -> str:
    """The dicom3tools name of a module the text names ``name``."""
    return ALIASES[name][0] if name in ALIASES else name


def flatten(modules: dict[str, Module], rows: tuple[Row, ...], path: Path = (),
            stack: tuple[str, ...] = (), out: dict[Path, set[str]] | None = None
            ) -> dict[Path, set[str]]:
    """Every attribute path of ``rows`` (macros expanded) -> the Types it has there (a path
    reached through two macros may have two)."""
    out = defaultdict(set) if out is None else out
    for row in rows:
        if isinstance(row, MacroUse):
            macro = modules.get(row.macro)
            if macro is not None and row.macro not in stack:
                flatten(modules, macro.rows, path, (*stack, row.macro), out)
            continue
        if row.type == "verify":
            continue
        out[(*path, row.keyword)].add(row.type)
        if row.children:
            flatten(modules, row.children, (*path, row.keyword), stack, out)
    return out


def unexpressed_conditions(modules: dict[str, Module]) -> set[str]:
    """Keywords some row of which has a condition the source says it cannot express."""
    found: set[str] = set()

    def walk(rows: tuple[Row, ...]) -> None:
        for row in rows:
            if isinstance(row, MacroUse):
                continue
            if row.condition_unknown:
                found.add(row.keyword)
            if row.children:
                walk(row.children)

    for module in modules.values():
        walk(module.rows)
    return found


@dataclass
class ModuleComparison:
    """The figures for all modules both sources hold."""

    modules: list[str]
    shared: int = 0
    same_type: int = 0
    type_differences: list[tuple[str, str, str, str]] = field(default_factory=list)
    presence: Counter[str] = field(default_factory=Counter)


def compare_modules(text: IODEdition, templates: IODEdition, retired: set[str],
                    text_tags: set[str], tag_of: dict[str, str]) -> ModuleComparison:
    """Compare every module both hold. ``retired``: keywords the current PS3.6 retires;
    ``text_tags``: tags the text mentions anywhere; ``tag_of``: keyword -> tag."""
    ours = {m.name: m for m in text.modules}
    theirs = {m.name: m for m in templates.modules}
    theirs |= {name: theirs[alias] for name, (alias, _) in ALIASES.items() if alias in theirs}
    everywhere_theirs = {path[-1] for m in templates.modules
                         for path in flatten(theirs, m.rows, stack=(m.name,))}
    common = sorted(set(ours) & set(theirs))
    result = ModuleComparison(common)
    for name in common:
        a = flatten(ours, ours[name].rows, stack=(name,))
        b = flatten(theirs, theirs[name].rows, stack=(name,))
        a_keywords = {p[-1] for p in a}
        b_keywords = {p[-1] for p in b}
        for path in set(a) & set(b):
            result.shared += 1
            if a[path] & b[path]:
                result.same_type += 1
            else:
                result.type_differences.append((name, ".".join(path), "/".join(sorted(a[path])),
                                                "/".join(sorted(b[path]))))
        for path in set(b) - set(a):
            keyword = path[-1]
            if tag_of.get(keyword, "?") not in text_tags:
                result.presence["templates only: the text never mentions it (added after "
                                "the text's edition)"] += 1
            elif keyword in a_keywords:
                result.presence["templates only at this path: the text has it at another "
                                "path (macro layout)"] += 1
            elif any(step not in a_keywords for step in path[:-1]):
                result.presence["templates only: inside a sequence the text's module lacks"] += 1
            else:
                result.presence["templates only: added to this module after the text's "
                                "edition or through a macro the excerpt lacks"] += 1
        for path in set(a) - set(b):
            keyword = path[-1]
            if keyword in retired:
                result.presence["text only: retired since"] += 1
            elif keyword in b_keywords:
                result.presence["text only at this path: the templates have it at another "
                                "path (macro layout)"] += 1
            elif any(step not in b_keywords for step in path[:-1]):
                result.presence["text only: inside a sequence the templates' module lacks"] += 1
            elif keyword in everywhere_theirs:
                result.presence["text only: moved to another module since"] += 1
            else:
                result.presence["text only: not in the templates"] += 1
    return result
