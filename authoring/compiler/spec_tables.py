"""Turn the PS3.3 representation into the compact nested tuples of the generated
``authoring/_generated/iod_spec.py`` (read by the validator and the builders at run time)."""

from __future__ import annotations

from typing import Any

from authoring.compiler.ir_iods import IOD, Attribute, Expression, IODEdition, Row, Test
from authoring.compiler.render import nested_literal, rows_literal


def expression_tuple(expression: Expression) -> tuple[Any, ...]:
    """``("test", element, test, where, value, selector)`` or ``(op, *arguments)``."""
    if isinstance(expression, Test):
        return ("test", expression.element, expression.test, expression.where,
                expression.value, expression.selector)
    return (expression.op, *(expression_tuple(a) for a in expression.args))


def row_tuple(row: Row) -> tuple[Any, ...]:
    """One module row as a tuple (see the template's description of the layout)."""
    if not isinstance(row, Attribute):
        return ("macro", row.macro, row.condition)
    flags = (1 if row.condition_unknown else 0) | (2 if row.may_be_present_otherwise else 0)
    rules = tuple((r.value_set, r.strength, r.selector, r.condition) for r in row.value_rules)
    children = None if row.children is None else tuple(row_tuple(c) for c in row.children)
    return ("attr", row.keyword, row.type, row.condition, flags, row.vm, rules, row.not_zero,
            children)


def iod_tuple(iod: IOD) -> tuple[Any, ...]:
    """An IOD as a tuple."""
    entities = tuple((e.name, tuple((u.module, u.usage, u.condition) for u in e.modules))
                     for e in iod.entities)
    return (iod.source_name, iod.sop_classes, entities, iod.profile, iod.base, iod.retired,
            iod.condition)


def spec_context(edition: IODEdition) -> dict[str, Any]:
    """The template context of ``iod_spec.py.j2``."""
    return {
        "conditions": [(c.name, nested_literal(expression_tuple(c.expression)))
                       for c in edition.conditions],
        "modules": [(m.name, m.kind, rows_literal(tuple(row_tuple(r) for r in m.rows), 4))
                    for m in edition.modules],
        "iods": [{"name": iod.name, "literal": nested_literal(iod_tuple(iod))}
                 for iod in edition.iods],
        "value_sets": edition.value_sets,
    }
