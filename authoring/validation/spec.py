"""The PS3.3 specification at run time: IODs, modules with their macros expanded, conditions
and value sets, read from the generated tables on first use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from authoring.errors import UnknownIODError


@dataclass(frozen=True)
class Row:
    """One attribute of a module after macro expansion.

    ``gates`` are the conditions of the macros that brought the row in (all must hold for
    the row to apply); ``children`` are a sequence's rows.
    """

    keyword: str
    type: str
    condition: str | None
    condition_unknown: bool
    may_be_present_otherwise: bool
    vm: str | None
    value_rules: tuple[tuple[str, str, int | str | None, str | None], ...]
    not_zero: str | None
    raw_children: tuple[Any, ...] | None
    gates: tuple[str, ...]
    macro: str | None  # the macro the row came from, if any

    @property
    def children(self) -> tuple[Row, ...] | None:
        """A sequence's item rows, expanded on first use (macros may recurse through
        sequences, as the SR content tree does)."""
        if self.raw_children is None:
            return None
        return _expand_cached(self.raw_children)


@dataclass(frozen=True)
class ModuleUse:
    """A module of an IOD with its usage and condition, in its information entity."""

    entity: str
    module: str
    usage: str
    condition: str | None


@dataclass(frozen=True)
class IODSpec:
    """An IOD: names, SOP classes and modules in order."""

    name: str
    source_name: str
    sop_classes: tuple[str, ...]
    modules: tuple[ModuleUse, ...]
    profile: str | None
    base: str | None
    retired: bool


def _tables() -> Any:
    from authoring._generated import iod_spec

    return iod_spec


def _expand(rows: tuple[Any, ...], gates: tuple[str, ...], macro: str | None,
            seen: tuple[str, ...]) -> tuple[Row, ...]:
    out: list[Row] = []
    modules = _tables().MODULES
    for row in rows:
        if row[0] == "macro":
            name, condition = row[1], row[2]
            if name in seen or name not in modules:
                continue  # a macro that includes itself, or one the source does not define
            inner_gates = gates + ((condition,) if condition else ())
            out.extend(_expand(modules[name][1], inner_gates, name, seen + (name,)))
            continue
        _, keyword, type_, condition, flags, vm, rules, not_zero, children = row
        out.append(Row(
            keyword=keyword, type=type_, condition=condition, condition_unknown=bool(flags & 1),
            may_be_present_otherwise=bool(flags & 2), vm=vm, value_rules=rules,
            not_zero=not_zero,
            raw_children=children, gates=gates, macro=macro,
        ))
    return _merge_verify_rows(tuple(out))


def _merge_verify_rows(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """Rows of type ``verify`` add value rules to an attribute a macro brought in."""
    if not any(r.type == "verify" for r in rows):
        return rows
    merged: list[Row] = []
    for row in rows:
        if row.type != "verify":
            merged.append(row)
            continue
        for index in range(len(merged) - 1, -1, -1):
            target = merged[index]
            if target.keyword == row.keyword:
                merged[index] = Row(
                    target.keyword, target.type, target.condition, target.condition_unknown,
                    target.may_be_present_otherwise, target.vm,
                    target.value_rules + row.value_rules, target.not_zero,
                    target.raw_children, target.gates, target.macro)
                break
    return tuple(merged)


_EXPANDED: dict[int, tuple[Row, ...]] = {}


def _expand_cached(raw: tuple[Any, ...]) -> tuple[Row, ...]:
    found = _EXPANDED.get(id(raw))
    if found is None:
        found = _expand(raw, (), None, ())
        _EXPANDED[id(raw)] = found
    return found


@cache
def module_rows(name: str) -> tuple[Row, ...]:
    """The rows of a module or macro with every macro expanded."""
    modules = _tables().MODULES
    if name not in modules:
        raise KeyError(f"no module or macro {name!r} in the specification")
    return _expand(modules[name][1], (), None, (name,))


@cache
def iods() -> dict[str, IODSpec]:
    """Every IOD by its name."""
    found: dict[str, IODSpec] = {}
    for name, row in _tables().IODS.items():
        source_name, sop_classes, entities, profile, base, retired, _ = row
        uses = tuple(ModuleUse(entity, module, usage, condition)
                     for entity, members in entities for module, usage, condition in members)
        found[name] = IODSpec(name, source_name, tuple(sop_classes), uses, profile, base,
                              retired)
    return found


@cache
def iod_for_sop_class(uid: str) -> IODSpec | None:
    """The IOD of a SOP class (its plain form, not a profile variant)."""
    for spec in iods().values():
        if uid in spec.sop_classes and spec.profile is None:
            return spec
    return None


def iod_named(name: str) -> IODSpec:
    """An IOD by its name (``CTImage``) or its source name (``SCImage``)."""
    table = iods()
    if name in table:
        return table[name]
    for spec in table.values():
        if spec.source_name == name:
            return spec
    import difflib

    names = sorted({*table, *(spec.source_name for spec in table.values())})
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise UnknownIODError(f"no IOD named {name!r}{hint}")


def condition(name: str) -> Any:
    """The expression tuple of a named condition, or None when the source lacks it."""
    return _tables().CONDITIONS.get(name)


def value_set(name: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """(kind, values, meanings) of a value set, or None."""
    found: tuple[str, tuple[str, ...], tuple[str, ...]] | None = _tables().VALUE_SETS.get(name)
    return found
