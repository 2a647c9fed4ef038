"""Evaluate the standard's conditions on a data set, with three-valued logic: True, False,
or None when the condition cannot be decided (the source marks it as not expressible)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from authoring.core.vm import members
from authoring.dictionary.elements import tag_for_keyword
from authoring.errors import format_tag
from authoring.object.dataset import DatasetBase
from authoring.object.sequence import items_of
from authoring.validation import spec

Truth = bool | None


@dataclass(frozen=True)
class Scope:
    """Where an evaluation stands: the data set being checked, its enclosing data sets
    (outermost first) and the file meta of the root, if any."""

    here: DatasetBase
    above: tuple[DatasetBase, ...]
    file_meta: DatasetBase | None

    @property
    def root(self) -> DatasetBase:
        """The top-level data set."""
        return self.above[0] if self.above else self.here

    def inside(self, item: DatasetBase) -> Scope:
        """The scope of an item of a sequence of this data set."""
        return Scope(item, (*self.above, self.here), self.file_meta)


def _element(dataset: DatasetBase, keyword: str) -> Any:
    tag = tag_for_keyword(keyword)
    if tag is None:
        return None
    return dataset.get_element(tag)


def _values(element: Any) -> list[Any]:
    try:
        value = element.value
    except Exception:  # an undecodable value counts as absent for a condition
        return []
    if value is None or value == "" or value == b"":
        return []
    items = items_of(value)
    return list(items) if items or isinstance(value, list) else members(value)


def _selected(values: list[Any], selector: int | str | None) -> list[Any]:
    if selector == "*":
        return values
    index = 0 if selector is None else int(selector)
    return [values[index]] if index < len(values) else []


def _compare(value: Any, expression: str) -> bool:
    operator, _, number = expression.partition(" ")
    try:
        left = float(value)
        right = float(int(number, 0)) if number.lower().startswith("0x") else float(number)
    except (TypeError, ValueError):
        return False
    return {"==": left == right, "!=": left != right, "<": left < right, "<=": left <= right,
            ">": left > right, ">=": left >= right}.get(operator, False)


#: Keywords of file meta attributes (looked up in the file meta, not in the data set).
_FILE_META_KEYWORDS = ("TransferSyntaxUID", "MediaStorage", "ImplementationClass",
                       "FileMetaInformation", "SourceApplicationEntityTitle")


def _test_one(dataset: DatasetBase, test: tuple[Any, ...], scope: Scope) -> bool:
    _, keyword, kind, _, value, selector = test
    if kind == "group-present":
        tag = tag_for_keyword(keyword)
        if tag is None:
            return False
        group = tag >> 16
        if group == 0x0002:
            return scope.file_meta is not None and len(scope.file_meta) > 0
        return any(t >> 16 == group for t in dataset.keys())
    if keyword.startswith(_FILE_META_KEYWORDS):
        # file meta attributes live in the file meta, not in the data set
        dataset = scope.file_meta if scope.file_meta is not None else dataset
    element = _element(dataset, keyword)
    if element is None:
        return False
    if kind == "present":
        return True
    if kind in ("has-items", "has-one-item", "has-two-items", "has-multiple-items"):
        count = len(items_of(element.value))
        return {"has-items": count >= 1, "has-one-item": count == 1,
                "has-two-items": count == 2, "has-multiple-items": count > 1}[kind]
    values = _values(element)
    chosen = _selected(values, selector)
    if kind == "value-present":
        return bool(chosen) and chosen[0] not in ("", None)
    if kind == "string":
        wanted = (value or "").strip()
        return any(str(v).strip() == wanted for v in chosen)
    if kind == "binary":
        return any(_compare(v, value or "") for v in chosen)
    if kind == "tag":
        return any(isinstance(v, int) and format_tag(v, parentheses=False) == value
                   for v in chosen)
    return False


def _datasets_for(where: str, scope: Scope) -> list[DatasetBase]:
    if where == "here":
        return [scope.here]
    if where == "root":
        return [scope.root]
    if where == "above":
        return [scope.here, *reversed(scope.above)]
    kind, _, sequence = where.partition(":")
    base = scope.here if kind == "within" else scope.root
    element = _element(base, sequence)
    items = items_of(element.value) if element is not None else []
    if not items:
        return []
    if kind == "path-first":
        items = items[:1]
    if kind == "within":
        return items
    # dicom3tools' "in path from root": the sequence's items and every item nested in them
    found: list[DatasetBase] = []
    pending = list(items)
    while pending:
        item = pending.pop(0)
        found.append(item)
        for nested in item:
            if nested.vr == "SQ":
                pending.extend(items_of(nested.value))
    return found


def evaluate(expression: Any, scope: Scope) -> Truth:
    """The truth of an expression tuple (see :mod:`authoring._generated.iod_spec`)."""
    op = expression[0]
    if op == "test":
        kind = expression[2]
        if kind == "unknown":
            return None
        if kind == "never":
            return False
        return any(_test_one(d, expression, scope) for d in _datasets_for(expression[3], scope))
    if op == "not":
        inner = evaluate(expression[1], scope)
        return None if inner is None else not inner
    decisive = op != "and"  # the value that settles the whole: False for and, True for or
    undecided = False
    for argument in expression[1:]:
        result = evaluate(argument, scope)
        if result is decisive:
            return decisive
        if result is None:
            undecided = True
    return None if undecided else not decisive


Predicate = Callable[[Scope], Truth]


def compile_expression(expression: Any) -> Predicate:
    """An expression tuple as a function of the scope (same results as :func:`evaluate`,
    without re-reading the tuple on every call)."""
    op = expression[0]
    if op == "test":
        kind = expression[2]
        if kind == "unknown":
            return lambda scope: None
        if kind == "never":
            return lambda scope: False
        where = expression[3]
        keyword = expression[1]
        tag = tag_for_keyword(keyword)
        if kind == "present" and where == "here" and tag is not None \
                and not keyword.startswith(_FILE_META_KEYWORDS):
            return lambda scope: scope.here.get_element(tag) is not None  # the common test
        return lambda scope: any(_test_one(d, expression, scope)
                                 for d in _datasets_for(where, scope))
    if op == "not":
        inner = compile_expression(expression[1])

        def negation(scope: Scope) -> Truth:
            truth = inner(scope)
            return None if truth is None else not truth

        return negation
    parts = tuple(compile_expression(argument) for argument in expression[1:])
    decisive = op != "and"

    def combination(scope: Scope) -> Truth:
        undecided = False
        for part in parts:
            truth = part(scope)
            if truth is decisive:
                return decisive
            if truth is None:
                undecided = True
        return None if undecided else not decisive

    return combination


@cache
def _compiled(name: str) -> Predicate | None:
    expression = spec.condition(name)
    return None if expression is None else compile_expression(expression)


def holds(name: str | None, scope: Scope) -> Truth:
    """The truth of a named condition; None for an unknown name. ``Never`` and ``Always``
    are dicom3tools' built-in conditions (condn.tpl does not define them)."""
    if name is None or name == "Always":
        return True
    if name == "Never":
        return False
    predicate = _compiled(name)
    return None if predicate is None else predicate(scope)


def describe(expression: Any) -> str:
    """A condition in words, for messages and docstrings."""
    op = expression[0]
    if op == "test":
        _, keyword, kind, where, value, selector = expression
        kind_of_place, _, sequence = str(where).partition(":")
        place = {"here": "", "root": " (top level)", "above": " (here or above)",
                 "within": f" (in {sequence})", "path": f" (in {sequence})",
                 "path-first": f" (in the first item of {sequence})"}.get(kind_of_place, "")
        which = "" if selector is None else (" any value of" if selector == "*" else
                                              f" value {int(selector) + 1} of")
        return {
            "present": f"{keyword} is present{place}",
            "string": f"{which.strip()} {keyword}{place} is {value!r}".strip(),
            "binary": f"{which.strip()} {keyword}{place} {value}".strip(),
            "tag": f"{which.strip()} {keyword}{place} is {value}".strip(),
            "value-present": f"{which.strip()} {keyword}{place} has a value".strip(),
            "has-items": f"{keyword}{place} has items",
            "has-one-item": f"{keyword}{place} has one item",
            "has-two-items": f"{keyword}{place} has two items",
            "has-multiple-items": f"{keyword}{place} has several items",
            "group-present": f"the group of {keyword} is present",
            "never": "never",
            "unknown": "a condition the source cannot express",
        }.get(str(kind), str(kind))
    if op == "not":
        return f"not ({describe(expression[1])})"
    joined = f" {op} ".join(describe(argument) for argument in expression[1:])
    return f"({joined})" if len(expression) > 2 else joined


#: A value rule of the compiled tables: (value set, "enumerated" or "defined", which value
#: (None or "*": every one, else its 0-based index), condition name or None).
ValueRule = tuple[str, str, "int | str | None", "str | None"]


def applicable_value_set(rule: ValueRule, scope: Scope) -> tuple[str, tuple[str, ...]] | None:
    """The (kind, allowed values) of a value rule whose condition holds in ``scope``; None
    when the condition does not hold (or cannot be decided) or the set is unknown."""
    name, _, _, condition = rule
    if condition is not None and holds(condition, scope) is not True:
        return None
    found = spec.value_set(name)
    if found is None:
        return None
    kind, allowed, _ = found
    return kind, allowed
