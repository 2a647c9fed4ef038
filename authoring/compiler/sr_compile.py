"""PS3.16 templates (``dictionary/templates``) compiled to typed builder classes
(``authoring/_generated/sr_templates``): one class per template, an argument per row.

The shape of the compiled code:

* a row with a fixed concept name takes its value (a code, text, a
  :class:`~authoring.sr.values.Quantity`, a :class:`~authoring.sr.values.Reference`...);
  a row whose concept name is open (a context group, or a parameter such as TID 300's
  ``$Measurement``) takes a :class:`~authoring.sr.values.Named` value, concept and value;
* a CONTAINER of fixed concept name takes no argument: it is written when mandatory or when
  a row inside it has a value; a CONTAINER of open concept name (a document title) takes
  the concept;
* a row that repeats (VM 1-n) and has rows nested under it becomes a class of its own (a
  *row group*, for example ``ImageLibraryGroup`` of TID 1600), and the row takes a list of
  them, so each repetition carries its own nested values;
* rows of value types not compiled yet (TABLE), by-reference rows (PS3.16's ``R-``
  relationships) and includes of templates not encoded are left out, with their nested
  rows, and listed in the class docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from authoring.compiler.render import format_many, make_environment, render
from authoring.compiler.sr_templates import Template, TemplateRow, read_templates
from authoring.sr.template import NAMELESS

PACKAGE = Path("authoring") / "_generated" / "sr_templates"
#: Value types a compiled argument can hold.
SUPPORTED = frozenset({"TEXT", "PNAME", "UIDREF", "CODE", "DATE", "TIME", "DATETIME", "NUM",
                       "CONTAINER", "IMAGE", "COMPOSITE", "SCOORD", "SCOORD3D", "WAVEFORM",
                       "TCOORD"})
_PYTHON_TYPES = {"TEXT": "str", "PNAME": "str", "UIDREF": "str", "DATE": "_datetime.date",
                 "TIME": "_datetime.time", "DATETIME": "_datetime.datetime",
                 "NUM": "Quantity", "IMAGE": "Reference", "COMPOSITE": "Reference",
                 "SCOORD": "Scoord", "SCOORD3D": "Scoord3D", "WAVEFORM": "Reference",
                 "TCOORD": "Tcoord"}


@dataclass
class ArgumentModel:
    """One constructor argument of a compiled template: a row's value(s)."""

    name: str
    type: str
    required: bool
    doc: str


@dataclass
class RowModel:
    """One row as the compiled class lists it (``authoring.sr.template.Row``)."""

    row: TemplateRow
    argument: str  # "" for a container of fixed concept name
    template_class: str | None  # an included template's (or row group's) class
    value_set: int | None  # a compiled context group constraining a CODE value
    concept_group: int | None  # a compiled context group constraining the concept name
    units_set: int | None = None  # a compiled, defined context group of a NUM's units


@dataclass
class ClassModel:
    """A compiled class: a template, or a row group of one."""

    template: Template
    class_name: str
    title: str  # "TID 1600 Image Library" or "TID 1600 row 2 (Image Library Group)"
    rows: list[RowModel] = field(default_factory=list[RowModel])
    arguments: list[ArgumentModel] = field(default_factory=list[ArgumentModel])
    skipped: list[str] = field(default_factory=list[str])
    names_template: bool = True  # its first CONTAINER carries the Content Template Sequence


@dataclass
class ModuleModel:
    """One generated module: a template's class and its row groups (groups first), or the
    shared row groups."""

    template: Template
    module: str
    classes: list[ClassModel]
    groups: list[int]
    imports: list[tuple[str, str]]  # (module, class) of included templates


def argument_name(text: str) -> str:
    """``Person Observer's Organization Name`` -> ``person_observers_organization_name``."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("(s)", "s"))
    name = "_".join(words) or "value"
    return name if name[0].isalpha() else f"v_{name}"


def class_name(text: str) -> str:
    """``image_library_group`` or ``Image Library Group`` -> ``ImageLibraryGroup``."""
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", text))


def _row_name(row: TemplateRow, templates: dict[int, Template]) -> str:
    if row.include is not None and not row.argument:
        return argument_name(templates[row.include].name)
    if row.argument:
        return row.argument
    assert row.concept is not None and row.concept.code is not None
    return argument_name(row.concept.code[2])


def _subtree(rows: tuple[TemplateRow, ...], index: int) -> list[TemplateRow]:
    """Row ``index`` and the rows nested under it."""
    out = [rows[index]]
    for row in rows[index + 1:]:
        if row.nesting <= rows[index].nesting:
            break
        out.append(row)
    return out


@dataclass
class _Sink:
    """What a generated module collects while its classes are compiled."""

    module: str
    classes: list[ClassModel] = field(default_factory=list[ClassModel])
    groups: set[int] = field(default_factory=set[int])
    imports: set[tuple[str, str]] = field(default_factory=set[tuple[str, str]])


#: The module of row groups several templates share (a finding site with its laterality).
SHARED_MODULE = "row_groups"


class _Compiler:
    """Builds the module models of every encoded template. Row groups of the same rows in
    more than one place compile once, to :data:`SHARED_MODULE`."""

    def __init__(self, templates: dict[int, Template], known_groups: frozenset[int]) -> None:
        self.templates = templates
        self.known_groups = known_groups
        self.taken = {t.keyword for t in templates.values()}
        self.shared = _Sink(SHARED_MODULE)
        self.group_uses: dict[str, int] = {}
        self.shared_names: dict[str, str] = {}
        #: (TID, parameter) an including row somewhere binds to one code
        self.bound = {(r.include, name) for t in templates.values() for r in t.rows
                      if r.include is not None for name, _ in r.bindings}
        self.counting = True
        for template in templates.values():  # count the row groups first
            self._class(template, template.keyword, "", template.rows,
                        _Sink(""), names_template=True)
        self.counting = False
        self.taken = {t.keyword for t in templates.values()}

    def module(self, template: Template) -> ModuleModel:
        """The module of ``template``: its class and row groups."""
        sink = _Sink(f"tid{template.tid}")
        self._class(template, template.keyword, f"TID {template.tid} {template.name}",
                    template.rows, sink, names_template=True)
        return ModuleModel(template, sink.module, sink.classes, sorted(sink.groups),
                           sorted(sink.imports))

    def shared_module(self) -> ModuleModel | None:
        """The module of the shared row groups (None if there are none)."""
        if not self.shared.classes:
            return None
        first = self.shared.classes[0].template
        return ModuleModel(first, SHARED_MODULE, self.shared.classes,
                           sorted(self.shared.groups), sorted(self.shared.imports))

    def _supported(self, row: TemplateRow) -> bool:
        if row.by_reference:
            return False
        if row.include is not None:
            return row.include in self.templates
        return row.value_type in SUPPORTED

    def _group(self, template: Template, row: TemplateRow, base: str,
               subtree: list[TemplateRow], sink: _Sink) -> str:
        """The class of a repeating row and its nested rows; compiled here, or once to the
        shared module when the same rows repeat elsewhere."""
        # each group is one item of the row (VM 1, mandatory in the group)
        shifted = (replace(row, nesting=0, vm="1", requirement="M", condition=None,
                           row=row.row),
                   *(replace(r, nesting=r.nesting - row.nesting) for r in subtree[1:]))
        key = repr(tuple(replace(r, row="", condition=None) for r in shifted))
        if self.counting:
            self.group_uses[key] = self.group_uses.get(key, 0) + 1
        shared = not self.counting and self.group_uses.get(key, 0) > 1
        if shared and key in self.shared_names:
            name = self.shared_names[key]
            sink.imports.add((SHARED_MODULE, name))
            return name
        name = class_name(base)
        if name in self.taken:
            name = f"{template.keyword}{name}"
        self.taken.add(name)
        title = (f"{base.replace('_', ' ').capitalize()}: a row group of PS3.16 templates "
                 f"(first: TID {template.tid} row {row.row})" if shared else
                 f"TID {template.tid} row {row.row} ({base.replace('_', ' ')})")
        target = self.shared if shared else sink
        self._class(template, name, title, shifted, target, names_template=False)
        if shared:
            self.shared_names[key] = name
            sink.imports.add((SHARED_MODULE, name))
        return name

    def _class(self, template: Template, name: str, title: str,
               rows: tuple[TemplateRow, ...], sink: _Sink, names_template: bool) -> None:
        model = ClassModel(template, name, title, names_template=names_template)
        used: set[str] = set()
        repeated = self._repeated_names(rows)
        parents: dict[int, str] = {}
        # rows whose ancestors are all mandatory: a mandatory one is a required argument
        mandatory_path: dict[int, bool] = {}
        index = 0
        while index < len(rows):
            row = rows[index]
            subtree = _subtree(rows, index)
            if not self._supported(row):
                what = (f"{row.relationship or ''} {row.value_type} by reference (not "
                        "compiled)".lstrip() if row.by_reference else
                        f"INCLUDE TID {row.include} (not encoded)" if row.include is not None
                        else f"{row.value_type} (value type not compiled)")
                model.skipped.append(f"row {row.row}: {what}" + (
                    f", with rows {', '.join(r.row for r in subtree[1:])}"
                    if len(subtree) > 1 else ""))
                index += len(subtree)
                continue
            mandatory = row.requirement == "M" and all(
                v for level, v in mandatory_path.items() if level < row.nesting)
            mandatory_path = {k: v for k, v in mandatory_path.items() if k < row.nesting}
            mandatory_path[row.nesting] = mandatory
            base = _row_name(row, self.templates)
            argument_base = base
            if base in repeated and row.nesting > 0:  # "placer_number_issuer_of_identifier"
                argument_base = f"{parents.get(row.nesting - 1, 'item')}_{base}"
            argument = argument_base
            if argument in used and row.value_type is not None:  # "algorithm_name_code"
                argument = f"{argument}_{row.value_type.lower()}"
            counter = 2
            while argument in used:
                argument = f"{argument_base}_{counter}"
                counter += 1
            if row.include is None and row.vm != "1" and any(
                    self._supported(r) for r in subtree[1:]):
                # a repeating row with nested rows: a row group class of its own
                group_name = self._group(template, row, base, subtree, sink)
                used.add(argument)
                parents[row.nesting] = argument
                model.rows.append(RowModel(row, argument, group_name, None, None))
                doc = (f"Row {row.row}: {row.relationship or ''} {row.value_type} "
                       f"{_concept_text(row)}, with its nested rows").replace("  ", " ")
                model.arguments.append(self._argument(argument, group_name, row, doc,
                                                      mandatory))
                index += len(subtree)
                continue
            value_set = concept_group = None
            if row.include is not None:
                included = self.templates[row.include]
                sink.imports.add((f"tid{included.tid}", included.keyword))
                python = included.keyword
                doc = f"Row {row.row}: INCLUDE TID {included.tid} {included.name}"
                if row.parameters:
                    doc += " (" + ", ".join(f"{k} = {v}" for k, v in
                                            row.parameters.items()) + ")"
                template_class: str | None = included.keyword
            else:
                template_class = None
                python = _PYTHON_TYPES.get(row.value_type or "", "")
                if row.value_type == "CODE":
                    python = "Code | ContextGroup"
                    if row.value_set is not None and row.value_set.cid in self.known_groups:
                        value_set = row.value_set.cid
                        sink.groups.add(value_set)
                        python = f"CID{value_set}" + ("" if row.value_set.defined
                                                      else " | Code")
                concept = row.concept
                if concept is not None and concept.cid in self.known_groups:
                    concept_group = concept.cid
                if concept is None and row.value_type in NAMELESS:
                    pass  # an item without a concept name
                elif concept is None or concept.code is None:  # an open concept name
                    concept_type = "Code | ContextGroup"
                    if concept_group is not None:
                        sink.groups.add(concept_group)
                        concept_type = f"CID{concept_group}" + (
                            "" if concept is not None and concept.defined else " | Code")
                    named = f"Named[{concept_type}, {python}]"
                    if concept is not None and (template.tid, concept.parameter) in self.bound:
                        named = f"{python} | {named}"  # the concept bound by the includer
                    python = concept_type if row.value_type == "CONTAINER" else named
                elif row.value_type == "CONTAINER":
                    python = ""  # no argument: written when needed
                elif row.value_type == "NUM" and row.units is not None and row.units.code:
                    python = "Quantity | float"  # a number: in the row's fixed units
                doc = (f"Row {row.row}: {row.relationship or ''} {row.value_type} "
                       f"{_concept_text(row)}{_value_set_text(row)}").replace("  ", " ")
            if not python:
                model.rows.append(RowModel(row, "", None, None, None))
                parents[row.nesting] = argument
                index += 1
                continue
            used.add(argument)
            parents[row.nesting] = argument
            units = row.units
            units_set = (units.cid if units is not None and units.cid in self.known_groups
                         and units.defined and row.value_type == "NUM" else None)
            model.rows.append(RowModel(row, argument, template_class, value_set,
                                       concept_group, units_set))
            model.arguments.append(self._argument(argument, python, row, doc, mandatory))
            index += 1
        sink.classes.append(model)

    @staticmethod
    def _argument(name: str, python: str, row: TemplateRow, doc: str,
                  mandatory: bool) -> ArgumentModel:
        if row.vm != "1":
            python = f"_Sequence[{python}]"
        doc += f"; VM {row.vm}, {row.requirement}" + (f" ({row.condition})" if row.condition
                                                        else "")
        return ArgumentModel(name, python if mandatory else f"{python} | None", mandatory,
                             doc)

    def _repeated_names(self, rows: tuple[TemplateRow, ...]) -> set[str]:
        """Argument names more than one of ``rows`` would take (rows that go into a row
        group's own class are that class's)."""
        names: list[str] = []
        index = 0
        while index < len(rows):
            row = rows[index]
            subtree = _subtree(rows, index)
            if row.include in self.templates or (row.include is None and (
                    row.argument or (row.concept and row.concept.code))):
                names.append(_row_name(row, self.templates))
            grouped = row.include is None and row.vm != "1" and any(
                self._supported(r) for r in subtree[1:])
            index += len(subtree) if grouped else 1
        return {n for n in names if names.count(n) > 1}


def _concept_text(row: TemplateRow) -> str:
    concept = row.concept
    if concept is None:
        return "(any concept name)"
    if concept.code is not None:
        return f"({', '.join(concept.code)})"
    if concept.parameter is not None:
        return f"(concept name {concept.parameter})"
    return f"(concept name {'DCID' if concept.defined else 'BCID'} {concept.cid})"


def _value_set_text(row: TemplateRow) -> str:
    value_set = row.value_set
    if value_set is None:
        return ""
    if value_set.cid is not None:
        return f" {'DCID' if value_set.defined else 'BCID'} {value_set.cid}"
    if value_set.parameter is not None:
        return f" {value_set.parameter}"
    assert value_set.code is not None
    return f" ({', '.join(value_set.code)})"


def template_modules(folder: Path, known_groups: frozenset[int]) -> dict[str, str]:
    """The compiled template modules, their index and its stub."""
    templates = read_templates(folder)
    compiler = _Compiler(templates, known_groups)
    models = [compiler.module(t) for t in templates.values()]
    shared = compiler.shared_module()
    if shared is not None:
        models.append(shared)
    env = make_environment()
    out: dict[str, str] = {}
    for model in models:
        out[str(PACKAGE / f"{model.module}.py")] = render(
            env, "sr_template.py.j2", formatted=False, m=model, table="templates")
    entries = sorted((c.class_name, m.module) for m in models for c in m.classes)
    out[str(PACKAGE / "__init__.py")] = render(
        env, "sr_templates_index.py.j2", formatted=False, entries=entries, table="templates")
    out[str(PACKAGE / "__init__.pyi")] = render(
        env, "sr_templates_index.pyi.j2", formatted=False, entries=entries, table="templates")
    return format_many(out)
