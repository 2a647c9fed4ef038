"""PS3.16 templates (``dictionary/templates``) compiled to typed builder classes
(``authoring/_generated/sr_templates``): one class per template, an argument per row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from authoring.compiler.render import format_many, make_environment, render
from authoring.compiler.sr_templates import Template, TemplateRow, read_templates

PACKAGE = Path("authoring") / "_generated" / "sr_templates"
#: Value types a compiled argument can hold so far (containers, numbers with units,
#: coordinates and references come with the templates that need them).
SUPPORTED = frozenset({"TEXT", "PNAME", "UIDREF", "CODE", "DATE", "TIME", "DATETIME"})
_PYTHON_TYPES = {"TEXT": "str", "PNAME": "str", "UIDREF": "str", "DATE": "_datetime.date",
                 "TIME": "_datetime.time", "DATETIME": "_datetime.datetime"}


@dataclass
class ArgumentModel:
    """One constructor argument of a compiled template: a row's value(s)."""

    name: str
    type: str
    required: bool
    doc: str


@dataclass
class TemplateModel:
    """A compiled template: class, rows, arguments, the context groups its types name."""

    template: Template
    class_name: str
    module: str
    rows: list[tuple[TemplateRow, str]]  # row, argument name
    arguments: list[ArgumentModel]
    groups: list[int]
    includes: list[tuple[str, str]]  # (module, class) of included compiled templates
    include_classes: dict[int, str]  # TID -> class name


def argument_name(text: str) -> str:
    """``Person Observer's Organization Name`` -> ``person_observers_organization_name``."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    name = "_".join(words) or "value"
    return name if name[0].isalpha() else f"v_{name}"


def compilable(template: Template, templates: dict[int, Template]) -> bool:
    """Whether every row is a supported value type or an include of an encoded template."""
    return all((r.value_type in SUPPORTED and (r.concept is None or r.concept.code))
               if r.include is None else r.include in templates for r in template.rows)


def _model(template: Template, templates: dict[int, Template],
           known_groups: frozenset[int]) -> TemplateModel:
    rows: list[tuple[TemplateRow, str]] = []
    arguments: list[ArgumentModel] = []
    groups: set[int] = set()
    includes: list[tuple[str, str]] = []
    used: set[str] = set()
    parents: dict[int, str] = {}
    repeated = _repeated_names(template, templates)
    for row in template.rows:
        if row.include is not None:
            included = templates[row.include]
            base = argument_name(included.name)
            python = included.keyword
            includes.append((f"tid{included.tid}", included.keyword))
            doc = f"Row {row.row}: INCLUDE TID {included.tid} {included.name}"
        else:
            assert row.concept is not None and row.concept.code is not None
            base = argument_name(row.concept.code[2])
            python = _PYTHON_TYPES.get(row.value_type or "", "")
            value_set = row.value_set
            if row.value_type == "CODE":
                if value_set is not None and value_set.cid in known_groups:
                    groups.add(value_set.cid or 0)
                    python = f"CID{value_set.cid}" + ("" if value_set.defined else " | Code")
                else:
                    python = "Code"
            where = f"DCID {value_set.cid}" if value_set and value_set.cid and value_set.defined \
                else f"BCID {value_set.cid}" if value_set and value_set.cid else ""
            doc = (f"Row {row.row}: {row.relationship or ''} {row.value_type} "
                   f"({', '.join(row.concept.code)}){' ' + where if where else ''}").replace(
                       "  ", " ")
        name = base
        if base in repeated and row.nesting > 0:  # "placer_number_issuer_of_identifier"
            name = f"{parents.get(row.nesting - 1, 'item')}_{base}"
        if name in used and row.value_type is not None:  # "algorithm_name_code"
            name = f"{name}_{row.value_type.lower()}"
        counter = 2
        while name in used:
            name = f"{base}_{counter}"
            counter += 1
        used.add(name)
        parents[row.nesting] = name
        multiple = row.vm != "1"
        if multiple:
            python = f"_Sequence[{python}]"
        required = row.requirement == "M" and row.nesting == 0
        doc += f"; VM {row.vm}, {row.requirement}" + (f" ({row.condition})" if row.condition
                                                        else "")
        arguments.append(ArgumentModel(name, python if required else f"{python} | None",
                                       required, doc))
        rows.append((row, name))
    include_classes = {r.include: templates[r.include].keyword for r in template.rows
                       if r.include is not None}
    return TemplateModel(template, template.keyword, f"tid{template.tid}", rows, arguments,
                         sorted(groups), sorted(set(includes)), include_classes)


def _repeated_names(template: Template, templates: dict[int, Template]) -> set[str]:
    """Argument names more than one row of ``template`` would take."""
    names = [argument_name(templates[r.include].name) if r.include is not None
             else argument_name(r.concept.code[2]) if r.concept and r.concept.code else ""
             for r in template.rows]
    return {n for n in names if names.count(n) > 1}


def template_modules(folder: Path, known_groups: frozenset[int]) -> dict[str, str]:
    """The compiled template modules, their index and its stub."""
    templates = read_templates(folder)
    models = [_model(t, templates, known_groups) for t in templates.values()
              if compilable(t, templates)]
    env = make_environment()
    out: dict[str, str] = {}
    for model in models:
        out[str(PACKAGE / f"{model.module}.py")] = render(
            env, "sr_template.py.j2", formatted=False, m=model, table="templates")
    entries = sorted((m.class_name, m.module) for m in models)
    out[str(PACKAGE / "__init__.py")] = render(
        env, "sr_templates_index.py.j2", formatted=False, entries=entries, table="templates")
    out[str(PACKAGE / "__init__.pyi")] = render(
        env, "sr_templates_index.pyi.j2", formatted=False, entries=entries, table="templates")
    return format_many(out)
