"""Import PS3.3 from the dicom3tools templates: modules and macros (``module/*.tpl``),
composite IODs (``iodcomp/*.tpl``), conditions (``condn.tpl``) and value sets
(``strval/*.tpl``, ``binval.tpl``, ``tagval.tpl``).

The template language is line oriented. A line holds ``Key="value"`` pairs; ``#`` starts a
comment outside quotes; structure comes from ``Module=``/``DefineMacro=`` ... ``ModuleEnd``/
``MacroEnd``, ``Sequence=`` ... ``SequenceEnd``, ``CompositeIOD=`` ... ``CompositeIODEnd`` with
``InformationEntity=`` ... ``InformationEntityEnd``, and ``Condition=`` ... ``ConditionEnd``
whose lines are terms joined left to right by ``Operator=`` (``Or`` when absent), with
parenthesised groups closed by ``)`` and that group's own ``Operator``/``Modifier``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

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
from authoring.errors import DictionarySourceError, format_tag

_PAIR = re.compile(r'(\w+)="([^"]*)"')
_MISSING_OPEN_QUOTE = re.compile(r'(\w+)=(\w+)"')

#: Lines of the source repaired while reading (file name and line), for the notes.
REPAIRS: list[str] = []


@dataclass
class Line:
    """One meaningful line: its number, its first word and its pairs."""

    number: int
    head: str
    pairs: dict[str, str]
    order: list[str]


def _strip_comment(text: str) -> str:
    inside = False
    for index, ch in enumerate(text):
        if ch == '"':
            inside = not inside
        elif ch == "#" and not inside:
            return text[:index]
    return text


def read_lines(path: Path) -> list[Line]:
    """The non-empty, comment-free lines of a template."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    lines: list[Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        content = _strip_comment(raw).strip()
        if not content:
            continue
        if _MISSING_OPEN_QUOTE.search(content):
            content = _MISSING_OPEN_QUOTE.sub(r'\1="\2"', content)
            REPAIRS.append(f"{path.name} line {number}: missing opening quote added")
        pairs = dict(_PAIR.findall(content))
        order = [key for key, _ in _PAIR.findall(content)]
        head = content.split("=", 1)[0].split()[0] if content else ""
        lines.append(Line(number, head, pairs, order))
    return lines


# -- value sets -------------------------------------------------------------------------------


def read_value_sets(path: Path, kind: str) -> list[ValueSet]:
    """Read ``StringValues=``/``BinaryValues=``/``TagValues=`` blocks of one file."""
    key = {"string": "StringValues", "binary": "BinaryValues", "tag": "TagValues"}[kind]
    text = path.read_text(encoding="utf-8", errors="replace")
    sets: list[ValueSet] = []
    current: str | None = None
    skipping = False
    values: list[str] = []
    meanings: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw).strip()
        if not line:
            continue
        if skipping:
            skipping = not line.startswith("}")
            continue
        if current is None:
            match = re.match(rf'{key}="([^"]+)"\s*\{{', line)
            if match is None:
                if re.match(r'BinaryBitMap="[^"]+"\s*\{', line):
                    skipping = True  # bit maps describe flags, not value sets
                    continue
                raise DictionarySourceError(f"expected {key}=\"...\" {{", path=path, line=number)
            current, values, meanings = match.group(1), [], []
            continue
        if line.startswith("}"):
            sets.append(ValueSet(current, kind, tuple(values), tuple(meanings)))  # type: ignore[arg-type]
            current = None
            continue
        entry = line[:-1] if line.endswith(",") else line
        # "VALUE = meaning"; the source also writes "VALUE= meaning" and "VALUE=meaning"
        # (PET's DecayCorrection START, SecondaryCountsType): a value has no "=" of its own
        parts = re.split(r"\s*=\s*", entry, maxsplit=1)
        value = parts[0].strip()
        meaning = parts[1] if len(parts) > 1 else ""
        if value == "***EMPTYVALUE***":
            value = ""  # the source's mark for "an empty value is allowed"
        if kind == "binary":
            value = str(int(value, 0))
        elif kind == "tag":
            group, element = (int(p, 0) for p in value.split(","))
            value = format_tag(group << 16 | element, parentheses=False)
        values.append(value)
        meanings.append(meaning.strip())
    if current is not None:
        raise DictionarySourceError(f"value set {current!r} is not closed", path=path)
    return sets


# -- conditions -----------------------------------------------------------------------------

_WHERE_KEYS = {
    "ElementPresentWithin": "within:",
    "ElementPresentInPathFromRoot": "path:",
    "ElementPresentInPathFromRootFirstItem": "path-first:",
    "SequencePresentInPathFromRootHasItems": "path:",
    "SequencePresentInPathFromRootFirstItemHasItems": "path-first:",
}


class ConditionReader:
    """Turns condition lines into expressions, resolving UID constants by SOP class name."""

    def __init__(self, uid_constants: dict[str, str], path: Path) -> None:
        """``uid_constants`` maps names like ``CTImageStorageSOPClassUID`` to UIDs."""
        self.uid_constants = uid_constants
        self.path = path
        self.unresolved: set[str] = set()
        self.stray_lines: list[int] = []

    def term(self, line: Line) -> Expression:
        """One ``Element=...`` line as a test (negated by ``Modifier="Not"``)."""
        pairs = line.pairs
        element = pairs.get("Element", "")
        where = "here"
        for key, prefix in _WHERE_KEYS.items():
            if key in pairs:
                where = prefix + pairs[key]
        raw_selector = pairs.get("ValueSelector")
        selector: int | str | None = None
        if raw_selector is not None:
            selector = "*" if raw_selector == "*" else int(raw_selector)
        test: Test
        if "StringValue" in pairs:
            test = Test(element, "string", where, pairs["StringValue"], selector)
        elif "StringValueFromRootAttribute" in pairs or "StringValueFromRoot" in pairs:
            value = pairs.get("StringValueFromRootAttribute", pairs.get("StringValueFromRoot"))
            test = Test(element, "string", "root", value, selector)
        elif "StringValueAbove" in pairs:
            test = Test(element, "string", "above", pairs["StringValueAbove"], selector)
        elif "StringConstantFromRootAttribute" in pairs or "StringConstant" in pairs:
            name = pairs.get("StringConstantFromRootAttribute", pairs.get("StringConstant", ""))
            uid = self.uid_constants.get(name)
            if uid is None:
                self.unresolved.add(name)
                uid = name
            root = "StringConstantFromRootAttribute" in pairs
            test = Test(element, "string", "root" if root else where, uid, selector)
        elif "BinaryValue" in pairs or "BinaryValueFromRootAttribute" in pairs:
            value = pairs.get("BinaryValue", pairs.get("BinaryValueFromRootAttribute"))
            test = Test(element, "binary", "root" if "BinaryValue" not in pairs else where,
                        " ".join((value or "").split()), selector)
        elif "TagValue" in pairs:
            group, number = (int(p, 0) for p in pairs["TagValue"].split(","))
            test = Test(element, "tag", where,
                        format_tag(group << 16 | number, parentheses=False), selector)
        elif "ValuePresent" in pairs:
            test = Test(element, "value-present", where, None, selector)
        elif "SequenceHasItems" in pairs or "SequencePresentInPathFromRootHasItems" in pairs \
                or "SequencePresentInPathFromRootFirstItemHasItems" in pairs:
            test = Test(element, "has-items", where)
        elif "SequenceHasOneItem" in pairs:
            test = Test(element, "has-one-item", where)
        elif "SequenceHasTwoItems" in pairs:
            test = Test(element, "has-two-items", where)
        elif "SequenceHasMultipleItems" in pairs:
            test = Test(element, "has-multiple-items", where)
        elif "GroupPresent" in pairs:
            test = Test(element, "group-present", where)
        elif "ElementPresentInRoot" in pairs:
            test = Test(element, "present", "root")
        elif "ElementPresentAbove" in pairs:
            test = Test(element, "present", "above")
        elif any(key in pairs for key in ("ElementPresent", *_WHERE_KEYS)):
            test = Test(element, "present", where)
        else:
            raise DictionarySourceError(f"condition term with no test: {pairs}",
                                        path=self.path, line=line.number)
        if pairs.get("Modifier") == "Not":
            return Operation("not", (test,))
        return test

    @staticmethod
    def combine(left: Expression | None, operator: str, right: Expression) -> Expression:
        """``left <operator> right``, flattening chains of the same operator."""
        if left is None:
            return right
        op: Literal["and", "or"] = "and" if operator == "And" else "or"
        if isinstance(left, Operation) and left.op == op:
            return Operation(op, (*left.args, right))
        return Operation(op, (left, right))

    def read(self, lines: list[Line]) -> list[Condition]:
        """Every ``Condition=`` block."""
        conditions: list[Condition] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.head != "Condition":
                raise DictionarySourceError(f"expected Condition=, found {line.head!r}",
                                            path=self.path, line=line.number)
            name = line.pairs["Condition"]
            index += 1
            stack: list[Expression | None] = [None]
            while index < len(lines) and lines[index].head != "ConditionEnd":
                current = lines[index]
                if current.head == "(":
                    stack.append(None)
                elif current.head.startswith(")"):
                    group = stack.pop()
                    if group is None:
                        raise DictionarySourceError("empty group", path=self.path,
                                                    line=current.number)
                    if current.pairs.get("Modifier") == "Not":
                        group = Operation("not", (group,))
                    stack[-1] = self.combine(stack[-1], current.pairs.get("Operator", "Or"),
                                             group)
                elif current.head == "Element":
                    stack[-1] = self.combine(stack[-1], current.pairs.get("Operator", "Or"),
                                             self.term(current))
                elif current.head == "}" and not current.pairs:
                    # a stray brace in some conditions of the source; it means nothing
                    self.stray_lines.append(current.number)
                else:
                    raise DictionarySourceError(f"unexpected {current.head!r} in condition "
                                                f"{name}", path=self.path, line=current.number)
                index += 1
            if index >= len(lines):
                raise DictionarySourceError(f"condition {name} is not closed", path=self.path)
            index += 1
            if len(stack) != 1:
                raise DictionarySourceError(f"condition {name} has unbalanced parentheses",
                                            path=self.path, line=line.number)
            # An empty condition is one the source cannot express ("too difficult to check")
            expression = stack[0] if stack[0] is not None else Test("", "unknown")
            conditions.append(Condition(name, expression))
        return conditions


# -- modules and macros ---------------------------------------------------------------------


def _value_rules(pairs: dict[str, str], *, verify: bool) -> tuple[ValueRule, ...]:
    raw_selector = pairs.get("ValueSelector")
    selector: int | str | None = None
    if raw_selector is not None:
        selector = "*" if raw_selector == "*" else int(raw_selector)
    condition = pairs.get("Condition") if verify else None
    rules: list[ValueRule] = []
    for key in ("StringEnumValues", "BinaryEnumValues", "TagEnumValues"):
        if key in pairs:
            rules.append(ValueRule(pairs[key], "enumerated", selector, condition))
    if "StringDefinedTerms" in pairs:
        rules.append(ValueRule(pairs["StringDefinedTerms"], "defined", selector, condition))
    return tuple(rules)


def _attribute(pairs: dict[str, str], keyword: str, children: tuple[Row, ...] | None
               ) -> Attribute:
    not_zero = "error" if "NotZeroError" in pairs else "warning" if "NotZeroWarning" in pairs \
        else None
    return Attribute(
        keyword=keyword,
        type=pairs.get("Type", "3"),
        condition=pairs.get("Condition"),
        condition_unknown="NoCondition" in pairs,
        may_be_present_otherwise=pairs.get("mbpo") == "true",
        vm=pairs.get("VM"),
        value_rules=_value_rules(pairs, verify=False),
        not_zero=not_zero,  # type: ignore[arg-type]
        children=children,
    )


def read_modules(path: Path) -> list[Module]:
    """Every module and macro of one ``module/*.tpl`` file."""
    modules: list[Module] = []
    stack: list[tuple[str, dict[str, str], list[Row], int]] = []
    for line in read_lines(path):
        head = line.head
        if head in ("Module", "DefineMacro") and not stack:
            stack.append((head, line.pairs, [], line.number))
        elif head in ("ModuleEnd", "MacroEnd"):
            if len(stack) != 1:
                raise DictionarySourceError(f"{head} with open sequences", path=path,
                                            line=line.number)
            kind, pairs, rows, _ = stack.pop()
            name = pairs.get("Module") or pairs.get("DefineMacro") or ""
            modules.append(Module(name, "module" if kind == "Module" else "macro", tuple(rows)))
        elif head == "Sequence":
            if not stack:
                raise DictionarySourceError("Sequence outside a module", path=path,
                                            line=line.number)
            stack.append(("Sequence", line.pairs, [], line.number))
        elif head == "SequenceEnd":
            if len(stack) < 2 or stack[-1][0] != "Sequence":
                raise DictionarySourceError("SequenceEnd without Sequence", path=path,
                                            line=line.number)
            _, pairs, rows, _ = stack.pop()
            stack[-1][2].append(_attribute(pairs, pairs["Sequence"], tuple(rows)))
        elif head == "Name":
            if not stack:
                raise DictionarySourceError("Name outside a module", path=path,
                                            line=line.number)
            stack[-1][2].append(_attribute(line.pairs, line.pairs["Name"], None))
        elif head == "InvokeMacro":
            if not stack:
                raise DictionarySourceError("InvokeMacro outside a module", path=path,
                                            line=line.number)
            stack[-1][2].append(MacroUse(line.pairs["InvokeMacro"],
                                         line.pairs.get("Condition")))
        elif head == "Verify":
            if not stack:
                continue
            rules = _value_rules(line.pairs, verify=True)
            if rules:
                _attach_rules(stack[-1][2], line.pairs["Verify"], rules)
        else:
            raise DictionarySourceError(f"unexpected {head!r}", path=path, line=line.number)
    if stack:
        raise DictionarySourceError(f"{stack[0][0]} opened at line {stack[0][3]} is not closed",
                                    path=path)
    return modules


#: Conditions of the source weaker than the standard's, corrected while importing:
#: (keyword, the source's condition) -> (the standard's condition, may be present
#: otherwise, why). dicom3tools makes the Per-Frame Functional Groups Sequence of the
#: Segmentation, Parametric Map and Whole Slide Microscopy multi-frame modules "required if
#: present" (never missing); PS3.3 C.7.6.16 (2024e) requires it unless Dimension
#: Organization Type is TILED_FULL (highdicom 0.28's module table: Type 1C), and PixelMed
#: reports its absence.
CONDITION_CORRECTIONS: dict[tuple[str, str], tuple[str, bool, str]] = {
    ("PerFrameFunctionalGroupsSequence", "PerFrameFunctionalGroupsSequencePresent"): (
        "DimensionOrganizationTypeIsAbsentOrNotTILED_FULL", True,
        "PS3.3 C.7.6.16: required unless Dimension Organization Type is TILED_FULL"),
}


def _corrected(module: Module, notes: list[str]) -> Module:
    """``module`` with the conditions of :data:`CONDITION_CORRECTIONS` corrected (each
    correction noted)."""
    rows: list[Row] = []
    changed = False
    for row in module.rows:
        correction = (CONDITION_CORRECTIONS.get((row.keyword, row.condition or ""))
                      if isinstance(row, Attribute) else None)
        if correction is not None and isinstance(row, Attribute):
            condition, otherwise, why = correction
            notes.append(f"{module.name}: {row.keyword} condition {row.condition} corrected "
                         f"to {condition} ({why})")
            row = replace(row, condition=condition, may_be_present_otherwise=otherwise)
            changed = True
        rows.append(row)
    return replace(module, rows=tuple(rows)) if changed else module


def _attach_rules(rows: list[Row], keyword: str, rules: tuple[ValueRule, ...]) -> None:
    """Add a ``Verify=`` line's value rules to the last row of that keyword (or keep them
    on a placeholder row when the attribute comes from an included macro)."""
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        if isinstance(row, Attribute) and row.keyword == keyword:
            rows[index] = Attribute(
                row.keyword, row.type, row.condition, row.condition_unknown,
                row.may_be_present_otherwise, row.vm, row.value_rules + rules, row.not_zero,
                row.children,
            )
            return
    rows.append(Attribute(keyword, "verify", value_rules=rules))


# -- IODs -------------------------------------------------------------------------------------


def read_iods(path: Path) -> list[tuple[dict[str, str], list[InformationEntity]]]:
    """``CompositeIOD=`` blocks of one ``iodcomp/*.tpl`` file with their entities."""
    found: list[tuple[dict[str, str], list[InformationEntity]]] = []
    current: tuple[dict[str, str], list[InformationEntity]] | None = None
    entity: tuple[str, list[ModuleUse]] | None = None
    for line in read_lines(path):
        if line.head == "CompositeIOD":
            current = (line.pairs, [])
        elif line.head == "InformationEntity":
            entity = (line.pairs["InformationEntity"], [])
        elif line.head == "Module":
            if entity is None:
                raise DictionarySourceError("Module outside an entity", path=path,
                                            line=line.number)
            usage = line.pairs.get("Usage", "M")
            entity[1].append(ModuleUse(line.pairs["Module"], usage,  # type: ignore[arg-type]
                                       line.pairs.get("Condition")))
        elif line.head == "InformationEntityEnd":
            if current is not None and entity is None:
                REPAIRS.append(f"{path.name} line {line.number}: repeated "
                               "InformationEntityEnd ignored")
                continue
            if current is None or entity is None:
                raise DictionarySourceError("unbalanced InformationEntityEnd", path=path,
                                            line=line.number)
            current[1].append(InformationEntity(entity[0], tuple(entity[1])))
            entity = None
        elif line.head == "CompositeIODEnd":
            if current is None:
                raise DictionarySourceError("unbalanced CompositeIODEnd", path=path,
                                            line=line.number)
            found.append(current)
            current = None
        else:
            raise DictionarySourceError(f"unexpected {line.head!r}", path=path,
                                        line=line.number)
    return found


# -- names ------------------------------------------------------------------------------------

_NUMBER_WORDS = {"12": "Twelve", "3D": "ThreeD"}


def pascal_case(name: str) -> str:
    """``"12-lead ECG"`` -> ``"TwelveLeadECG"``; ``"X-Ray 3D Angiographic"`` ->
    ``"XRay3DAngiographic"``: words capitalised and joined, a leading number spelled out."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", name) if w]
    if words and words[0] in _NUMBER_WORDS:
        words[0] = _NUMBER_WORDS[words[0]]
    elif words and words[0][:1].isdigit():
        raise ValueError(f"no spelling for the leading number of {name!r}")
    return "".join(w[:1].upper() + w[1:] for w in words)


#: Spellings of dicom3tools' SOP class descriptions that differ from PS3.4's SOP class names.
_SPELLINGS = (("Multiframe", "Multi-frame"), ("Visible Light ", "VL "),
              ("Intraoral", "Intra-oral"))


#: IODs whose PS3.3 title (A.47, A.48) is not the name their PS3.4 SOP class implies.
_PS3_3_TITLES = {"Enhanced XA Image": "Enhanced X-Ray Angiographic Image",
                 "Enhanced XRF Image": "Enhanced X-Ray RF Image"}


def iod_name_from_sop_class(description: str) -> str:
    """The IOD name a SOP class's name implies (PS3.4 names most storage SOP classes
    "<IOD name> Storage"): ``"CT Image Storage"`` -> ``"CT Image"``,
    ``"Digital X-Ray Image Storage - For Presentation"`` ->
    ``"Digital X-Ray Image For Presentation"``, ``"12-lead ECG Waveform Storage"`` ->
    ``"12-lead ECG"``."""
    text = description.replace(" - Retired", "").replace("(Retired)", "").strip()
    for source, standard in _SPELLINGS:
        text = text.replace(source, standard)
    text = re.sub(r" Storage - (.*)$", r" \1", text)
    text = re.sub(r" Storage$", "", text)
    text = re.sub(r" Waveform$", "", text)
    text = re.sub(r" Waveform ", " ", text)
    text = " ".join(text.split())
    return _PS3_3_TITLES.get(text, text)


def _uids_of(expression: Expression) -> list[str]:
    if isinstance(expression, Test):
        if expression.element in ("SOPClassUID", "MediaStorageSOPClassUID") and \
                expression.test == "string" and expression.value:
            return [expression.value]
        return []
    found: list[str] = []
    for argument in expression.args:
        found.extend(_uids_of(argument))
    return found


def import_dicom3tools_iods(root: Path, sop_classes: dict[str, tuple[str, str]]) -> IODEdition:
    """Import the PS3.3 templates of a dicom3tools checkout.

    ``sop_classes`` maps each SOP class name of ``sopcl.tpl`` (``CTImageStorage``) to its
    (UID, description), to resolve the UID constants conditions use and to name IODs.
    """
    standard = root / "libsrc" / "standard"
    version_file = root / "VERSION"
    version = version_file.read_text().strip() if version_file.exists() else "unknown"
    snapshot = re.search(r"snapshot\.(\d{8})", version)
    REPAIRS.clear()
    edition = IODEdition(edition=f"dicom3tools-{snapshot.group(1)}" if snapshot else version,
                         source=f"dicom3tools {version}")
    constants = {f"{name}SOPClassUID": uid for name, (uid, _) in sop_classes.items()}
    description_of = {uid: description for uid, description in sop_classes.values()}

    reader = ConditionReader(constants, standard / "condn.tpl")
    edition.conditions = reader.read(read_lines(standard / "condn.tpl"))
    if reader.stray_lines:
        edition.notes.append(f"condn.tpl: stray '}}' ignored on lines "
                             f"{', '.join(map(str, reader.stray_lines))}")
    for name in sorted(reader.unresolved):
        edition.notes.append(f"condn.tpl: UID constant {name} is not a SOP class of "
                             "sopcl.tpl; kept as text")
    by_condition = {c.name: c for c in edition.conditions}

    for path in sorted((standard / "module").glob("*.tpl")):
        edition.modules.extend(read_modules(path))
    edition.modules = [_corrected(module, edition.notes) for module in edition.modules]

    edition.value_sets = [
        *(s for p in sorted((standard / "strval").glob("*.tpl"))
          for s in read_value_sets(p, "string")),
        *read_value_sets(standard / "binval.tpl", "binary"),
        *read_value_sets(standard / "tagval.tpl", "tag"),
    ]

    skipped: list[str] = []
    names: dict[str, str] = {}
    raw_iods = [iod for p in sorted((standard / "iodcomp").glob("*.tpl")) for iod in read_iods(p)]
    plain_by_condition: dict[str, str] = {}
    for pairs, _ in raw_iods:
        if "Profile" not in pairs:
            plain_by_condition.setdefault(pairs.get("Condition", ""), pairs["CompositeIOD"])
    for pairs, entities in raw_iods:
        source_name = pairs["CompositeIOD"]
        condition = pairs.get("Condition")
        expression = by_condition[condition].expression if condition in by_condition else None
        uids = tuple(dict.fromkeys(_uids_of(expression))) if expression is not None else ()
        standard_uids = tuple(u for u in uids if u.startswith("1.2.840.10008."))
        if source_name.startswith("PrivatePixelMed") or (uids and not standard_uids):
            skipped.append(source_name)
            continue
        profile = pairs.get("Profile")
        if standard_uids and standard_uids[0] in description_of and \
                standard_uids[0] != "1.2.840.10008.1.3.10":  # a DICOMDIR: Basic Directory
            base_name = iod_name_from_sop_class(description_of[standard_uids[0]])
            if len(standard_uids) > 1:  # one IOD for the For Processing/Presentation classes
                base_name = re.sub(r" For (Processing|Presentation)$", "", base_name)
        else:
            base_name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", source_name)
        name = pascal_case(base_name)
        if profile:
            plain = plain_by_condition.get(condition or "")
            name = (names.get(plain, name) if plain else name) + pascal_case(profile)
        else:
            names[source_name] = name
        edition.iods.append(IOD(
            source_name=source_name,
            name=name,
            sop_classes=standard_uids,
            entities=tuple(entities),
            profile=profile,
            base=plain_by_condition.get(condition or "") if profile else None,
            retired=pairs.get("Retired") == "true",
            condition=condition,
        ))
    if skipped:
        edition.notes.append("private IODs of the source left out: " + ", ".join(skipped))
    edition.notes.extend(REPAIRS)
    return edition
