"""PS3.16 SR templates (TID) as normalized data: ``dictionary/templates/tidNNNN.json``.

The standard's PS3.16 DocBook is not available to the build, so the template tables are
encoded by hand from the standard, one file per template, each row citing its row of the
PS3.16 table. This module reads and checks them (value types, relationships, requirement
types, VM, value sets against the compiled context groups, included templates); tests
compare the rows with PixelMed's independent encoding.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from authoring.errors import DictionarySourceError

FOLDER = Path("dictionary") / "templates"

#: PS3.3 C.17.3.2.1 value types.
VALUE_TYPES = frozenset({"TEXT", "CODE", "NUM", "DATETIME", "DATE", "TIME", "UIDREF", "PNAME",
                         "COMPOSITE", "IMAGE", "WAVEFORM", "SCOORD", "SCOORD3D", "TCOORD",
                         "CONTAINER", "TABLE"})
#: PS3.3 C.17.3.2.4 relationship types.
RELATIONSHIPS = frozenset({"CONTAINS", "HAS PROPERTIES", "HAS CONCEPT MOD", "HAS OBS CONTEXT",
                           "HAS ACQ CONTEXT", "INFERRED FROM", "SELECTED FROM"})
#: PS3.16 requirement types: mandatory, mandatory conditional, user option, user conditional.
REQUIREMENTS = frozenset({"M", "MC", "U", "UC"})
_VM = re.compile(r"^(\d+)(-(\d+|n))?$")


@dataclass(frozen=True)
class ConceptName:
    """A row's concept name: a fixed code (EV), a context group (DCID/BCID), or a parameter
    of the template (``$Measurement``) the including row binds."""

    code: tuple[str, str, str] | None = None  # value, scheme, meaning
    cid: int | None = None
    defined: bool = True  # DCID (True) or BCID (baseline, False)
    parameter: str | None = None


@dataclass(frozen=True)
class ValueSet:
    """A row's value constraint: a context group (DCID/BCID), a fixed code (EV), or a
    parameter of the template."""

    cid: int | None = None
    defined: bool = True
    code: tuple[str, str, str] | None = None
    parameter: str | None = None


@dataclass(frozen=True)
class TemplateRow:
    """One row of a PS3.16 template table."""

    row: str  # the PS3.16 row label ("1", "13b")
    nesting: int  # 0 for the template's top level; PS3.16's ">" count
    relationship: str | None  # None where the parent's template says
    value_type: str | None  # None for an INCLUDE row
    concept: ConceptName | None
    vm: str
    requirement: str
    condition: str | None = None
    value_set: ValueSet | None = None
    units: ValueSet | None = None
    include: int | None = None  # the TID this row includes
    parameters: dict[str, str] = field(default_factory=dict[str, str])  # in words
    #: parameters an INCLUDE row binds to one code (``$Purpose = EV (121112, DCM, ...)``)
    bindings: tuple[tuple[str, tuple[str, str, str]], ...] = ()
    #: the argument's name where the concept name does not give one (no fixed concept)
    argument: str | None = None
    #: the row is a by-reference relationship (PS3.16 "R-" relationships): the item is a
    #: reference to another content item of the document, not a content item
    by_reference: bool = False


@dataclass(frozen=True)
class Template:
    """A PS3.16 template: its number, names, and rows in table order."""

    tid: int
    name: str
    keyword: str
    root: bool
    extensible: bool
    significant_order: bool
    rows: tuple[TemplateRow, ...]
    source: str  # "PS3.16 2024c TID 1500"

    @property
    def includes(self) -> tuple[int, ...]:
        """The templates its rows include, in order."""
        return tuple(r.include for r in self.rows if r.include is not None)


def _code(value: Any, where: str) -> tuple[str, str, str]:
    if isinstance(value, list):
        parts = [str(v) for v in cast("list[object]", value)]
        if len(parts) == 3:
            return (parts[0], parts[1], parts[2])
    raise DictionarySourceError(f"{where}: a code is [value, scheme, meaning]")


def _value_set(entry: Any, where: str) -> ValueSet | None:
    if entry is None:
        return None
    if "cid" in entry:
        return ValueSet(cid=int(entry["cid"]), defined=entry.get("kind", "DCID") == "DCID")
    if "parameter" in entry:
        return ValueSet(parameter=str(entry["parameter"]))
    return ValueSet(code=_code(entry.get("code"), where))


def _row(entry: dict[str, Any], where: str) -> TemplateRow:
    vm = str(entry["vm"])
    if not _VM.match(vm):
        raise DictionarySourceError(f"{where}: VM {vm!r}")
    requirement = entry["requirement"]
    if requirement not in REQUIREMENTS:
        raise DictionarySourceError(f"{where}: requirement {requirement!r}")
    if requirement in ("MC", "UC") and not entry.get("condition"):
        raise DictionarySourceError(f"{where}: a {requirement} row states its condition")
    relationship = entry.get("relationship")
    if relationship is not None and relationship not in RELATIONSHIPS:
        raise DictionarySourceError(f"{where}: relationship {relationship!r}")
    include = entry.get("include")
    value_type = entry.get("value_type")
    if (include is None) == (value_type is None):
        raise DictionarySourceError(f"{where}: a row has a value type or includes a template")
    if value_type is not None and value_type not in VALUE_TYPES:
        raise DictionarySourceError(f"{where}: value type {value_type!r}")
    concept = None
    if "concept" in entry:
        c = entry["concept"]
        concept = (ConceptName(cid=int(c["cid"]), defined=c.get("kind", "DCID") == "DCID")
                   if "cid" in c else ConceptName(parameter=str(c["parameter"]))
                   if "parameter" in c else ConceptName(code=_code(c.get("code"), where)))
    argument = entry.get("argument")
    if value_type is not None and (concept is None or concept.code is None) and not argument:
        raise DictionarySourceError(f"{where}: a row without a fixed concept name names its "
                                    "argument")
    return TemplateRow(
        row=str(entry["row"]), nesting=int(entry["nesting"]), relationship=relationship,
        value_type=value_type, concept=concept, vm=vm, requirement=requirement,
        condition=entry.get("condition"), value_set=_value_set(entry.get("value_set"), where),
        units=_value_set(entry.get("units"), where),
        include=int(include) if include is not None else None,
        parameters={str(k): v if isinstance(v, str) else
                    "EV ({})".format(", ".join(_code(v.get("code"), where)))
                    for k, v in entry.get("parameters", {}).items()},
        bindings=tuple((str(k), _code(cast("dict[str, Any]", v).get("code"), where))
                       for k, v in entry.get("parameters", {}).items()
                       if isinstance(v, dict)),
        argument=str(argument) if argument else None,
        by_reference=bool(entry.get("by_reference", False)))


def read_template(path: Path) -> Template:
    """One template file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = tuple(_row(r, f"{path.name} row {r.get('row')}") for r in data["rows"])
        template = Template(int(data["tid"]), data["name"], data["keyword"],
                            bool(data.get("root", False)), bool(data["extensible"]),
                            bool(data["significant_order"]), rows, data["source"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DictionarySourceError(f"cannot read the template: {error}", path=path) from error
    previous = -1
    for row in template.rows:
        if row.nesting > previous + 1:
            raise DictionarySourceError(f"row {row.row} nests deeper than its parent",
                                        path=path)
        previous = row.nesting
    return template


def read_templates(folder: Path) -> dict[int, Template]:
    """Every template of ``folder``, by number."""
    templates = {t.tid: t for t in map(read_template, sorted(folder.glob("tid*.json")))}
    return templates
