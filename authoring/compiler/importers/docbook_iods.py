"""Import PS3.3 from NEMA's DocBook XML (any edition, complete or an excerpt).

Reads the tables the way the published text lays them out:

- IOD module tables ("<IOD> IOD Modules": IE, Module, Reference, Usage): the IE cell spans
  several rows; a module is found through the section its Reference points to (the first
  attribute table of that section), or by its name when the excerpt lacks that section.
- Module and macro attribute tables ("... Module Attributes", "... Macro Attributes"):
  Attribute Name, Tag, Type, Attribute Description. Leading ``>`` marks nesting in a
  sequence item; an "Include" row includes the macro table its cross-reference names,
  under the condition its text states ("Include ... if and only if ...").
- From each description: the condition of a Type 1C/2C attribute ("Required if ..."),
  whether it "may be present otherwise", and the enumerated values and defined terms listed
  in a titled variable list ("Enumerated Values:", "Defined Terms for Value 3:").

Keywords come from the tags through a PS3.6 dictionary the caller passes. Conditions are
kept as text (an ``unknown`` test carrying the sentence), since DocBook states them in
prose; the dicom3tools importer is the one whose conditions the validator evaluates.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from authoring.compiler.importers.dicom3tools_iods import pascal_case
from authoring.compiler.importers.docbook import (
    DOCBOOK,
    XML_ID,
    edition_of,
    parse_docbook,
)
from authoring.compiler.ir_iods import (
    IOD,
    Attribute,
    Condition,
    InformationEntity,
    IODEdition,
    MacroUse,
    Module,
    ModuleUse,
    Row,
    Test,
    ValueRule,
    ValueSet,
)
from authoring.errors import DictionarySourceError

KeywordForTag = Callable[[str], "str | None"]

_TAG = re.compile(r"^\(([0-9A-Fa-fx]{4}),\s*([0-9A-Fa-fx]{4})\)$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"), None)
_REQUIRED = re.compile(r"\b(Required if|Required only if|Shall be present if)\b.*", re.S)
_OTHERWISE = re.compile(r"\bmay be present otherwise\b", re.I)
_LIST_TITLE = re.compile(r"^(Enumerated Values?|Defined Terms?)(?: for Value (\d+))?:?$", re.I)
_ATTRIBUTE_TABLE = re.compile(r"^(?P<name>.+?) (?P<kind>Module|Macro)"
                              r"(?: Attributes(?: Description)?| Table)$")
_IOD_TABLE = re.compile(r"^(?P<name>.+?) IOD Modules$")


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).translate(_INVISIBLE).split())


def _cells(row: ET.Element) -> list[ET.Element]:
    return [c for c in row if c.tag in (f"{DOCBOOK}td", f"{DOCBOOK}th")]


@dataclass
class _Table:
    id: str
    caption: str
    section: str | None
    element: ET.Element


@dataclass
class _Builder:
    """Collects conditions and value sets as rows are read."""

    keyword_for_tag: KeywordForTag
    conditions: dict[str, Condition] = field(default_factory=dict[str, Condition])
    value_sets: dict[str, ValueSet] = field(default_factory=dict[str, ValueSet])
    notes: list[str] = field(default_factory=list[str])

    def condition(self, name: str, text: str) -> str:
        self.conditions[name] = Condition(name, Test("", "unknown"), text)
        return name

    def value_set(self, name: str, values: list[tuple[str, str]]) -> str:
        self.value_sets[name] = ValueSet(name, "string", tuple(v for v, _ in values),
                                         tuple(m for _, m in values))
        return name


def _tables(root: ET.Element) -> list[_Table]:
    """Every captioned table with the id of the section that holds it."""
    found: list[_Table] = []

    def walk(node: ET.Element, section: str | None) -> None:
        for child in node:
            if child.tag == f"{DOCBOOK}section":
                walk(child, child.get(XML_ID))
            elif child.tag == f"{DOCBOOK}table":
                caption = child.find(f"{DOCBOOK}caption")
                if caption is not None and child.get(XML_ID):
                    found.append(_Table(child.get(XML_ID, ""), _text(caption), section, child))
            else:
                walk(child, section)

    walk(root, None)
    return found


def _header_and_rows(table: ET.Element) -> tuple[list[str], list[ET.Element]]:
    rows = list(table.iter(f"{DOCBOOK}tr"))
    head = table.find(f"{DOCBOOK}thead/{DOCBOOK}tr")
    if head is None and rows:
        head = rows[0]
    header = [_text(c) for c in _cells(head)] if head is not None else []
    return header, [r for r in rows if r is not head]


def module_name(caption: str) -> tuple[str, Literal["module", "macro"]] | None:
    """``"General Study Module Attributes"`` -> ``("GeneralStudy", "module")``;
    ``"Code Sequence Macro Attributes"`` -> ``("CodeSequenceMacro", "macro")``."""
    match = _ATTRIBUTE_TABLE.match(caption)
    if match is None:
        return None
    name = pascal_case(match.group("name").replace("/", " "))
    if match.group("kind") == "Macro":
        return name + "Macro", "macro"
    return name, "module"


def _condition_text(cell: ET.Element) -> str | None:
    """The paragraph's text from "Required if" on, in the first paragraph that has it."""
    for paragraph in cell.iter(f"{DOCBOOK}para"):
        match = _REQUIRED.search(_text(paragraph))
        if match is not None:
            return match.group(0).strip()
    return None


Strength = Literal["enumerated", "defined"]


def _value_lists(cell: ET.Element) -> list[tuple[Strength, int | None, list[tuple[str, str]]]]:
    """(strength, selector, [(value, meaning)]) for each titled variable list in a cell."""
    lists: list[tuple[Strength, int | None, list[tuple[str, str]]]] = []
    for variable_list in cell.iter(f"{DOCBOOK}variablelist"):
        title = variable_list.find(f"{DOCBOOK}title")
        match = _LIST_TITLE.match(_text(title)) if title is not None else None
        if match is None:
            continue
        strength: Strength = "enumerated" if match.group(1).lower().startswith("enum") \
            else "defined"
        selector = int(match.group(2)) - 1 if match.group(2) else None
        values: list[tuple[str, str]] = []
        for entry in variable_list.findall(f"{DOCBOOK}varlistentry"):
            term = entry.find(f"{DOCBOOK}term")
            item = entry.find(f"{DOCBOOK}listitem")
            if term is not None and _text(term):
                values.append((_text(term), _text(item) if item is not None else ""))
        if values:
            lists.append((strength, selector, values))
    return lists


@dataclass
class _Node:
    depth: int
    row: Attribute | MacroUse
    children: list[_Node] = field(default_factory=list["_Node"])


def _freeze(nodes: list[_Node]) -> tuple[Row, ...]:
    rows: list[Row] = []
    for node in nodes:
        row = node.row
        if isinstance(row, Attribute) and (node.children or row.children is not None):
            row = Attribute(row.keyword, row.type, row.condition, row.condition_unknown,
                            row.may_be_present_otherwise, row.vm, row.value_rules,
                            row.not_zero, _freeze(node.children))
        rows.append(row)
    return tuple(rows)


def _read_attribute_table(table: _Table, name: str, names_by_table: dict[str, str],
                          builder: _Builder, path: Path) -> tuple[Row, ...]:
    header, rows = _header_and_rows(table.element)
    lowered = [h.lower() for h in header]
    if lowered[:3] != ["attribute name", "tag", "type"]:
        raise DictionarySourceError(f"{table.id} ({table.caption}): unexpected columns "
                                    f"{header}", path=path)
    top: list[_Node] = []
    stack: list[_Node] = []  # the open sequence at each depth
    for number, row in enumerate(rows, start=1):
        cells = _cells(row)
        if not cells:
            continue
        first = _text(cells[0])
        depth = len(first) - len(first.lstrip(">"))
        node: _Node | None = None
        if first.lstrip(">").startswith("Include"):
            reference = cells[0].find(f".//{DOCBOOK}xref")
            target = reference.get("linkend", "") if reference is not None else ""
            macro = names_by_table.get(target)
            if macro is None:
                builder.notes.append(f"{table.id} row {number}: includes {target or '?'}, "
                                     "which this file does not hold")
                continue
            condition = None
            text = " ".join(_text(c) for c in cells)
            if " if " in f" {text} ":
                condition = builder.condition(f"{name}:include:{macro}:{number}",
                                              text[text.index("if"):].strip())
            node = _Node(depth, MacroUse(macro, condition))
        elif len(cells) >= 3 and _TAG.match(_text(cells[1])):
            tag = _text(cells[1]).upper().replace("X", "x")
            keyword = builder.keyword_for_tag(tag)
            if keyword is None:
                builder.notes.append(f"{table.id} row {number}: {tag} is not in the PS3.6 "
                                     "dictionary given")
                continue
            type_ = _text(cells[2]).upper()
            description = _text(cells[3]) if len(cells) > 3 else ""
            condition = None
            if type_.endswith("C"):
                sentence = _condition_text(cells[3]) if len(cells) > 3 else None
                condition = builder.condition(f"{name}:{'>' * depth}{keyword}",
                                              sentence or "(no condition stated)")
            rules: list[ValueRule] = []
            if len(cells) > 3:
                for index, (strength, selector, values) in enumerate(_value_lists(cells[3])):
                    set_name = f"{name}:{keyword}:{index + 1}"
                    builder.value_set(set_name, values)
                    rules.append(ValueRule(set_name, strength, selector))
            node = _Node(depth, Attribute(
                keyword, type_, condition, condition is not None,
                bool(_OTHERWISE.search(description)), None, tuple(rules)))
        if node is None:
            continue
        while stack and stack[-1].depth >= depth:
            stack.pop()
        if depth == 0 or not stack:
            if depth > 0:
                builder.notes.append(f"{table.id} row {number}: nested row without a "
                                     "sequence above it")
            top.append(node)
        else:
            stack[-1].children.append(node)
        if isinstance(node.row, Attribute):
            stack.append(node)
    return _freeze(top)


def _read_iod_table(table: _Table, iod_name: str, module_for_section: dict[str, str],
                    builder: _Builder) -> IOD:
    _, rows = _header_and_rows(table.element)
    entities: list[tuple[str, list[ModuleUse]]] = []
    for number, row in enumerate(rows, start=1):
        cells = [_text(c) for c in _cells(row)]
        if len(cells) == 4:
            entities.append((cells[0], []))
            cells = cells[1:]
        if len(cells) != 3 or not entities:
            continue
        module_title, _, usage_text = cells
        reference = row.find(f".//{DOCBOOK}xref")
        section = reference.get("linkend", "") if reference is not None else ""
        module = module_for_section.get(section) or pascal_case(module_title.replace("/", " "))
        usage = _USAGES.get(usage_text[:1].upper())
        if usage is None:
            builder.notes.append(f"{table.id} row {number}: usage {usage_text!r}")
            continue
        condition = None
        if usage == "C":
            condition = builder.condition(f"{iod_name}:{module}",
                                          usage_text.lstrip("C -").strip())
        entities[-1][1].append(ModuleUse(module, usage, condition))
    return IOD(iod_name, iod_name, (), tuple(InformationEntity(ie, tuple(uses))
                                             for ie, uses in entities))


_USAGES: dict[str, Literal["M", "C", "U"]] = {"M": "M", "C": "C", "U": "U"}


def import_docbook_ps33(path: Path, keyword_for_tag: KeywordForTag) -> IODEdition:
    """Import the IOD, module and macro tables of a PS3.3 DocBook file.

    ``keyword_for_tag`` maps ``"(0010,0010)"`` to ``"PatientName"`` (None when unknown).
    """
    root, notes = parse_docbook(path)
    edition = edition_of(root, path)
    builder = _Builder(keyword_for_tag, notes=list(notes))
    tables = _tables(root)
    attribute_tables: list[tuple[_Table, str, Literal["module", "macro"]]] = []
    names_by_table: dict[str, str] = {}
    module_for_section: dict[str, str] = {}
    for table in tables:
        named = module_name(table.caption)
        if named is None:
            continue
        header, _ = _header_and_rows(table.element)
        if [h.lower() for h in header[:2]] != ["attribute name", "tag"]:
            continue
        attribute_tables.append((table, *named))
        names_by_table[table.id] = named[0]
        if table.section is not None and named[1] == "module":
            module_for_section.setdefault(table.section, named[0])
    if not attribute_tables:
        raise DictionarySourceError("no PS3.3 module or macro attribute table in this file",
                                    path=path)
    result = IODEdition(edition=f"docbook-{edition}", source=f"NEMA PS3.3 {edition} DocBook")
    seen: set[str] = set()
    for table, name, kind in attribute_tables:
        if name in seen:  # a table repeated in the text (the 2016c excerpt has C.8-40 twice)
            builder.notes.append(f"{table.id}: {name} appears again; the first is kept")
            continue
        seen.add(name)
        rows = _read_attribute_table(table, name, names_by_table, builder, path)
        result.modules.append(Module(name, kind, rows))
    for table in tables:
        match = _IOD_TABLE.match(table.caption)
        if match is None:
            continue
        iod_name = pascal_case(match.group(1))
        result.iods.append(_read_iod_table(table, iod_name, module_for_section, builder))
    result.conditions = list(builder.conditions.values())
    result.value_sets = list(builder.value_sets.values())
    result.notes = builder.notes
    return result
