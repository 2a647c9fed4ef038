"""Read and write the PS3.3 tables under ``dictionary/<edition>/``: ``iods.json``,
``modules.json``, ``conditions.json``, ``value_sets.json``.

Every table is a JSON array with one record per line. Rows of modules and condition
expressions are tagged objects: ``{"macro": ...}`` for an Include row, ``{"keyword": ...}``
for an attribute (with ``"children"`` for a sequence); ``{"op": ...}`` for an operation,
``{"element": ...}`` for a test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from authoring.compiler.ir_iods import (
    IOD,
    Attribute,
    Condition,
    Expression,
    InformationEntity,
    IODEdition,
    MacroUse,
    Module,
    ModuleUse,
    Operation,
    Row,
    Test,
    ValueRule,
    ValueSet,
)


def _drop_defaults(data: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in defaults or defaults[k] != v}


# -- expressions ------------------------------------------------------------------------------


def expression_to_json(expression: Expression) -> dict[str, Any]:
    """A condition expression as a tagged JSON object."""
    if isinstance(expression, Test):
        return _drop_defaults(
            {"element": expression.element, "test": expression.test, "where": expression.where,
             "value": expression.value, "selector": expression.selector},
            {"where": "here", "value": None, "selector": None})
    return {"op": expression.op, "args": [expression_to_json(a) for a in expression.args]}


def expression_from_json(data: dict[str, Any]) -> Expression:
    """The inverse of :func:`expression_to_json`."""
    if "op" in data:
        return Operation(data["op"], tuple(expression_from_json(a) for a in data["args"]))
    return Test(data["element"], data["test"], data.get("where", "here"), data.get("value"),
                data.get("selector"))


# -- rows -------------------------------------------------------------------------------------

_ATTRIBUTE_DEFAULTS: dict[str, Any] = {
    "condition": None, "condition_unknown": False, "may_be_present_otherwise": False,
    "vm": None, "value_rules": [], "not_zero": None, "children": None,
}


def row_to_json(row: Row) -> dict[str, Any]:
    """One module row as a tagged JSON object."""
    if isinstance(row, MacroUse):
        return _drop_defaults({"macro": row.macro, "condition": row.condition},
                              {"condition": None})
    data: dict[str, Any] = {
        "keyword": row.keyword, "type": row.type, "condition": row.condition,
        "condition_unknown": row.condition_unknown,
        "may_be_present_otherwise": row.may_be_present_otherwise, "vm": row.vm,
        "value_rules": [_drop_defaults(
            {"value_set": r.value_set, "strength": r.strength, "selector": r.selector,
             "condition": r.condition}, {"selector": None, "condition": None})
            for r in row.value_rules],
        "not_zero": row.not_zero,
        "children": None if row.children is None else [row_to_json(c) for c in row.children],
    }
    return _drop_defaults(data, _ATTRIBUTE_DEFAULTS)


def row_from_json(data: dict[str, Any]) -> Row:
    """The inverse of :func:`row_to_json`."""
    if "macro" in data:
        return MacroUse(data["macro"], data.get("condition"))
    children = data.get("children")
    return Attribute(
        keyword=data["keyword"], type=data["type"], condition=data.get("condition"),
        condition_unknown=data.get("condition_unknown", False),
        may_be_present_otherwise=data.get("may_be_present_otherwise", False),
        vm=data.get("vm"),
        value_rules=tuple(ValueRule(r["value_set"], r["strength"], r.get("selector"),
                                    r.get("condition")) for r in data.get("value_rules", [])),
        not_zero=data.get("not_zero"),
        children=None if children is None else tuple(row_from_json(c) for c in children),
    )


# -- whole tables -----------------------------------------------------------------------------


def _lines(records: list[dict[str, Any]]) -> str:
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


def render_iod_edition(edition: IODEdition) -> dict[str, str]:
    """The files (name -> text) representing ``edition``'s PS3.3 tables."""
    iods = [_drop_defaults({
        "name": iod.name, "source_name": iod.source_name, "sop_classes": list(iod.sop_classes),
        "profile": iod.profile, "base": iod.base, "retired": iod.retired,
        "condition": iod.condition,
        "entities": [{"name": e.name, "modules": [
            _drop_defaults({"module": u.module, "usage": u.usage, "condition": u.condition},
                           {"condition": None}) for u in e.modules]} for e in iod.entities],
    }, {"profile": None, "base": None, "retired": False, "condition": None})
        for iod in edition.iods]
    modules = [{"name": m.name, "kind": m.kind, "rows": [row_to_json(r) for r in m.rows]}
               for m in edition.modules]
    conditions = [_drop_defaults({"name": c.name, "expression": expression_to_json(c.expression),
                                  "text": c.text}, {"text": ""}) for c in edition.conditions]
    value_sets = [{"name": v.name, "kind": v.kind, "values": list(v.values),
                   "meanings": list(v.meanings)} for v in edition.value_sets]
    return {"iods.json": _lines(iods), "modules.json": _lines(modules),
            "conditions.json": _lines(conditions), "value_sets.json": _lines(value_sets),
            "iods_edition.json": json.dumps({"edition": edition.edition,
                                             "source": edition.source,
                                             "notes": edition.notes}, indent=2,
                                            ensure_ascii=False) + "\n"}


def write_iod_edition(edition: IODEdition, directory: Path) -> list[Path]:
    """Write ``edition``'s PS3.3 tables under ``directory``; return the paths written."""
    from authoring.compiler.normalized import write_tables

    return write_tables(render_iod_edition(edition), directory)


def read_iod_edition(directory: Path) -> IODEdition:
    """Load the PS3.3 tables written by :func:`render_iod_edition`."""
    def load(name: str) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = json.loads((directory / name).read_text(encoding="utf-8"))
        return data

    meta = json.loads((directory / "iods_edition.json").read_text(encoding="utf-8"))
    edition = IODEdition(meta["edition"], meta["source"], notes=list(meta["notes"]))
    edition.iods = [IOD(
        source_name=d["source_name"], name=d["name"], sop_classes=tuple(d["sop_classes"]),
        entities=tuple(InformationEntity(e["name"], tuple(
            ModuleUse(u["module"], u["usage"], u.get("condition")) for u in e["modules"]))
            for e in d["entities"]),
        profile=d.get("profile"), base=d.get("base"), retired=d.get("retired", False),
        condition=d.get("condition"),
    ) for d in load("iods.json")]
    edition.modules = [Module(d["name"], d["kind"], tuple(row_from_json(r) for r in d["rows"]))
                       for d in load("modules.json")]
    edition.conditions = [Condition(d["name"], expression_from_json(d["expression"]),
                                    d.get("text", "")) for d in load("conditions.json")]
    edition.value_sets = [ValueSet(d["name"], d["kind"], tuple(d["values"]),
                                   tuple(d["meanings"])) for d in load("value_sets.json")]
    return edition
