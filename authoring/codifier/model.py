"""The intermediate model of a codify script: statements over expressions.

The planner (:mod:`authoring.codifier.planner`) turns a data set into a :class:`Script`; the
template ``templates/codify/script.py.j2`` lays the statements out; black formats the
result. Every expression renders through :mod:`authoring.codifier.literal`, so the model is
the only path from file content to source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TypeAlias
from typing import Literal as LiteralType

from authoring.codifier.literal import comment, literal


@dataclass(frozen=True)
class Value:
    """A literal: None, numbers, text, bytes, or tuples and lists of those; ``hex`` writes an
    int as eight hexadecimal digits (tags)."""

    value: Any
    hex: bool = False


@dataclass(frozen=True)
class Name:
    """A name the script defines or imports (an identifier built by the planner)."""

    name: str


@dataclass(frozen=True)
class Call:
    """``function(*args, **keywords)``; ``function`` is one of :data:`CALLABLES`."""

    function: str
    args: tuple[Expression, ...] = ()
    keywords: tuple[tuple[str, Expression], ...] = ()


@dataclass(frozen=True)
class Member:
    """A context group member: ``CID7021.ImagingMeasurementReport``."""

    group: str
    name: str


@dataclass(frozen=True)
class Items:
    """A list display of expressions (a sequence's items)."""

    items: tuple[Expression, ...]


@dataclass(frozen=True)
class Several:
    """A tuple display of expressions (several typed values)."""

    items: tuple[Expression, ...]


Expression: TypeAlias = "Value | Name | Call | Items | Several | Member"

#: What a script may call, and where each name comes from.
CALLABLES = {
    "Dataset": "authoring",
    "DataElement": "authoring",
    "Sequence": "authoring",
    "PersonName": "authoring",
    "DA": "authoring",
    "TM": "authoring",
    "DT": "authoring",
    "DS": "authoring",
    "IS": "authoring",
    "EncapsulatedPixelData": "authoring",
    "write": "authoring",
    "bulk": "authoring.codifier.runtime",
    "bulk_array": "authoring.codifier.runtime",
    "output_path": "authoring.codifier.runtime",
    "raw": "authoring.codifier.runtime",
    "raw_sequence": "authoring.codifier.runtime",
    "script_folder": "authoring.codifier.runtime",
    "Code": "authoring.codes",
    "Named": "authoring.sr.values",
    "Quantity": "authoring.sr.values",
    "Reference": "authoring.sr.values",
    "Scoord": "authoring.sr.values",
    "Scoord3D": "authoring.sr.values",
    "Tcoord": "authoring.sr.values",
    "date": "datetime",
    "datetime": "datetime",
    "time": "datetime",
}


def callable_module(name: str) -> str | None:
    """Where a script imports ``name`` from: :data:`CALLABLES`, a context group
    (``authoring.codes``) or a compiled template class (``authoring.sr.templates``); None
    for anything else (a script may not call it)."""
    if name in CALLABLES:
        return CALLABLES[name]
    if re.fullmatch(r"CID\d+", name):
        return "authoring.codes"
    from authoring._generated.sr_templates import INDEX

    return "authoring.sr.templates" if name in INDEX else None


def render(expression: Expression) -> str:
    """Python source for an expression."""
    if isinstance(expression, Value):
        if expression.hex and type(expression.value) is int and 0 <= expression.value < 2**32:
            return f"0x{expression.value:08X}"
        return literal(expression.value)
    if isinstance(expression, Name):
        if not expression.name.isidentifier():
            raise ValueError(f"not an identifier: {expression.name!r}")
        return expression.name
    if isinstance(expression, Member):
        if callable_module(expression.group) != "authoring.codes" or \
                not expression.name.isidentifier():
            raise ValueError(f"not a context group member: {expression!r}")
        return f"{expression.group}.{expression.name}"
    if isinstance(expression, Call):
        if callable_module(expression.function) is None:
            raise ValueError(f"a script may not call {expression.function!r}")
        parts = [render(a) for a in expression.args]
        for key, argument in expression.keywords:
            if not key.isidentifier():
                raise ValueError(f"not a keyword argument name: {key!r}")
            parts.append(f"{key}={render(argument)}")
        return f"{expression.function}({', '.join(parts)})"
    if isinstance(expression, Items):
        return "[" + ", ".join(render(i) for i in expression.items) + "]"
    inner = ", ".join(render(i) for i in expression.items)
    return f"({inner},)" if len(expression.items) == 1 else f"({inner})"


def names_called(expression: Expression) -> set[str]:
    """The callables (and context groups) an expression uses (for the script's
    imports)."""
    if isinstance(expression, Member):
        return {expression.group}
    if isinstance(expression, Call):
        found = {expression.function}
        for argument in (*expression.args, *(k[1] for k in expression.keywords)):
            found |= names_called(argument)
        return found
    if isinstance(expression, (Items, Several)):
        found_in_items: set[str] = set()
        for item in expression.items:
            found_in_items |= names_called(item)
        return found_in_items
    return set()


StatementKind = LiteralType["new", "keyword", "element", "add", "attribute", "flag", "comment",
                            "blank", "assign", "fill"]


@dataclass
class Statement:
    """One line of the script.

    - ``new``: ``target = Dataset()``
    - ``keyword``: ``target.<name> = value``
    - ``element``: ``target.add_new(<tag>, <vr>, value)``
    - ``add``: ``target.add(value)`` (a prepared element: raw bytes, undefined length)
    - ``attribute``: ``target.<name> = value`` for data set attributes (preamble, file_meta,
      item_undefined_length)
    - ``flag``: ``target[<name>].undefined_length = True``
    - ``assign``: ``target = value`` (an SR template builder)
    - ``fill``: ``target.fill(<name>)`` (the builder makes data set <name>'s content tree)
    - ``comment`` / ``blank``: layout
    """

    kind: StatementKind
    target: str = ""
    name: str = ""
    tag: int = 0
    vr: str = ""
    value: Expression | None = None
    note: str = ""

    def source(self) -> str:
        """The statement as Python source (without its trailing comment)."""
        if self.target and not self.target.isidentifier():
            raise ValueError(f"not an identifier: {self.target!r}")
        if self.kind == "new":
            if self.name:  # a builder or item class of the typed style
                if not all(part.isidentifier() for part in self.name.split(".")):
                    raise ValueError(f"not a class name: {self.name!r}")
                return f"{self.target} = {self.name}.blank()"
            return f"{self.target} = Dataset()"
        if self.kind in ("keyword", "attribute"):
            assert self.value is not None and self.name.isidentifier()
            return f"{self.target}.{self.name} = {render(self.value)}"
        if self.kind == "element":
            assert self.value is not None
            return (f"{self.target}.add_new(0x{self.tag:08X}, {literal(self.vr)}, "
                    f"{render(self.value)})")
        if self.kind == "add":
            assert self.value is not None
            return f"{self.target}.add({render(self.value)})"
        if self.kind == "flag":
            key = literal(self.name) if self.name else f"0x{self.tag:08X}"
            return f"{self.target}[{key}].undefined_length = True"
        if self.kind == "assign":
            assert self.value is not None
            return f"{self.target} = {render(self.value)}"
        if self.kind == "fill":
            if not self.name.isidentifier():
                raise ValueError(f"not an identifier: {self.name!r}")
            return f"{self.target}.fill({self.name})"
        return ""

    @property
    def comment(self) -> str:
        """The safe trailing (or standalone) comment text."""
        return comment(self.note)

    def line(self) -> str:
        """The statement's line(s) of the script: code and a trailing comment, a standalone
        comment (after a blank line), or an empty line."""
        if self.kind == "blank":
            return ""
        if self.kind == "comment":
            return f"\n# {self.comment}"
        text = self.comment
        return f"{self.source()}  # {text}" if text else self.source()


@dataclass
class BulkFile:
    """A value written beside the script: its path relative to the script, the bytes, and
    their SHA-256."""

    relative: str
    data: bytes
    sha256: str


@dataclass
class Script:
    """Everything the script template needs."""

    source_name: str  # the original file's name (a literal in the script, never pasted)
    output_name: str  # the default output file name (basename only)
    statements: list[Statement] = field(default_factory=list[Statement])
    write_options: tuple[tuple[str, Expression], ...] = ()
    bulk: list[BulkFile] = field(default_factory=list[BulkFile])
    typed_class: str | None = None  # the builder class (typed style)
    typed_module: str | None = None
    notes: list[str] = field(default_factory=list[str])  # for the script's docstring (safe text)

    def imports(self) -> dict[str, list[str]]:
        """Module -> names the script imports."""
        used = {"write", "output_path", "script_folder"}
        if any(s.kind == "new" and not s.name for s in self.statements):
            used.add("Dataset")
        for statement in self.statements:
            if statement.value is not None:
                used |= names_called(statement.value)
        for _, expression in self.write_options:
            used |= names_called(expression)
        modules: dict[str, list[str]] = {}
        for name in sorted(used):
            module = callable_module(name)
            if module is None:
                raise ValueError(f"a script may not use {name!r}")
            modules.setdefault(module, []).append(name)
        if self.typed_class and self.typed_module:
            modules.setdefault(self.typed_module, []).append(self.typed_class)
        item_classes = sorted({s.name for s in self.statements if s.kind == "new" and s.name
                               and s.name != self.typed_class})
        for name in item_classes:
            module, _, class_name = name.rpartition(".")
            if module:  # an item class, reached through its module of authoring.items
                modules.setdefault("authoring.items", []).append(module)
            else:  # a macro class
                modules.setdefault("authoring.parts", []).append(class_name)
        for module in ("authoring.items", "authoring.parts"):
            if module in modules:
                modules[module] = sorted(set(modules[module]))
        return {module: sorted(names, key=_import_order) for module, names in
                sorted(modules.items())}


def _import_order(name: str) -> tuple[int, tuple[tuple[int, str], ...], str]:
    """isort's order by type: CONSTANTS, then Classes, then functions, each ignoring case,
    numbers in natural order (``CID29`` before ``CID100``)."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    parts = tuple((int(p), "") if p.isdigit() else (-1, p)
                  for p in re.split(r"(\d+)", name.lower()) if p)
    return kind, parts, name
