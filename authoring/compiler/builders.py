"""From the PS3.3 representation to the models the builder templates render.

Three kinds of generated classes:

- a *part* per module and macro (``PatientModule``, ``CodeSequenceMacro``), with its
  attributes (macros it includes flattened in) and the item classes of the sequences it
  defines itself; a sequence whose items are exactly one macro uses that macro's class;
- an *item class* per other sequence (``GeneralSeriesRelatedSeriesSequenceItem``), defined in
  the part that holds the sequence;
- an *IOD builder* per IOD (``CTImage``), with every attribute of every module flattened in,
  the SOP class(es), the modules, and a constructor that takes the Type 1 attributes nobody
  can fill in for you.

Attributes are typed from PS3.6 VR and VM (:mod:`authoring.compiler.python_types`);
enumerated values the standard fixes unconditionally become ``Literal`` types.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from authoring.compiler.ir import Edition
from authoring.compiler.ir_iods import (
    IOD,
    Attribute,
    Condition,
    Expression,
    IODEdition,
    MacroUse,
    Module,
    Row,
    Test,
)
from authoring.compiler.python_types import allows_several, attribute_types

#: Image Pixel attributes the builders derive from a pixel array.
PIXEL_ATTRIBUTES = (
    "Rows",
    "Columns",
    "SamplesPerPixel",
    "PhotometricInterpretation",
    "BitsAllocated",
    "BitsStored",
    "HighBit",
    "PixelRepresentation",
    "PlanarConfiguration",
    "PixelData",
    "NumberOfFrames",
)

#: Type 1 UIDs a builder generates when not given.
GENERATED_UIDS = ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "FrameOfReferenceUID")

MAX_LITERAL_VALUES = 40
MAX_DOC_CONDITION = 160


#: The words of a class name: a digit run with one capital (``3D``), a capitalised acronym
#: with its version (``HL7v2``, ``WG26``), an acronym (``CT``, ``X`` of ``XRay``), a word,
#: a number.
_WORDS = re.compile(
    r"[0-9]+[A-Z](?![a-z])"
    r"|[A-Z]{2,}[0-9]+(?:[a-z][0-9]+)?(?=[A-Z]|$)"
    r"|[A-Z]+(?=[A-Z][a-z]|[0-9]|$)"
    r"|[A-Z]?[a-z]+"
    r"|[0-9]+"
    r"|[A-Z]+"
)


def snake_case(name: str) -> str:
    """The module name of a class: ``CTImage`` -> ``ct_image``, ``XRay3DAngiographicImage``
    -> ``x_ray_3d_angiographic_image``, ``HL7v2HierarchicDesignatorMacro`` ->
    ``hl7v2_hierarchic_designator_macro``, ``OphthalmicPhotography8BitImage`` ->
    ``ophthalmic_photography_8_bit_image``."""
    return "_".join(word.lower() for word in _WORDS.findall(name))


def part_class_name(module: Module) -> str:
    """``Patient`` -> ``PatientModule``; macros keep their name (``CodeSequenceMacro``)."""
    if module.kind == "macro":
        return module.name if module.name.endswith("Macro") else module.name + "Macro"
    return module.name + "Module"


@dataclass
class AttributeModel:
    """One attribute of a generated class."""

    keyword: str
    tag_hex: str
    vr: str
    vm: str
    read_type: str
    accepted_type: str
    multiple: bool
    doc: str
    type: str
    item_classes: list[str] = field(default_factory=list[str])
    literal: tuple[str, ...] = ()
    gated: bool = False  # only through a macro invoked on a condition

    @property
    def constructor_required(self) -> bool:
        """A keyword argument of the class's constructor without a default."""
        return self.type == "1" and not self.gated


@dataclass
class ClassModel:
    """A generated class: its name, file (module name), docstring and attributes."""

    name: str
    file: str
    doc: str
    attributes: list[AttributeModel]
    kind: str  # "module", "macro", "item" or "iod"


@dataclass
class IODModel:
    """An IOD builder: its class, SOP classes, modules and constructor facts."""

    cls: ClassModel
    iod: IOD
    modules: Sequence[tuple[str, str]]
    required: list[AttributeModel]
    fixed: list[tuple[str, str]]  # keyword, the Python literal the builder sets
    generated_uids: list[str]
    type2: list[str]
    type2c: list[tuple[str, str]]
    has_pixels: bool
    multi_frame: bool
    base_class: str | None
    base_file: str | None = None
    part_bases: list[str] = field(default_factory=list[str])  # module classes inherited
    part_files: dict[str, str] = field(default_factory=dict[str, str])
    inherited_parts: list[str] = field(default_factory=list[str])  # through the base IOD
    own: list[AttributeModel] = field(default_factory=list[AttributeModel])  # declared here


@dataclass
class BuilderModels:
    """Everything the builder templates need."""

    parts: list[tuple[ClassModel, list[ClassModel]]]  # part class, its item classes
    iods: list[IODModel]
    item_homes: dict[str, str]  # module or macro class name -> part file


class _Context:
    def __init__(self, iods: IODEdition, edition: Edition) -> None:
        self.modules = {m.name: m for m in iods.modules}
        self.conditions = {c.name: c for c in iods.conditions}
        self.value_sets = {v.name: v for v in iods.value_sets}
        self.elements = {e.keyword: e for e in edition.elements if e.keyword}
        # class name of the item of each sequence row, by the row's identity
        self.item_class_of: dict[int, str] = {}
        self.home_of: dict[str, str] = {}
        self.item_models: dict[str, ClassModel] = {}

    # -- types --------------------------------------------------------------------------

    def literal_values(self, row: Attribute) -> tuple[str, ...]:
        allowed: set[str] | None = None
        for rule in row.value_rules:
            if rule.strength != "enumerated" or rule.selector is not None or rule.condition:
                continue
            value_set = self.value_sets.get(rule.value_set)
            if value_set is None or value_set.kind != "string":
                return ()
            values = {v for v in value_set.values if v}
            allowed = values if allowed is None else allowed & values
        if not allowed or len(allowed) > MAX_LITERAL_VALUES:
            return ()
        return tuple(sorted(allowed))

    def fixed_binary(self, row: Attribute) -> str | None:
        for rule in row.value_rules:
            if rule.strength != "enumerated" or rule.selector is not None or rule.condition:
                continue
            value_set = self.value_sets.get(rule.value_set)
            if value_set is not None and len(value_set.values) == 1 and value_set.values[0]:
                value = value_set.values[0]
                return value if value_set.kind == "binary" else repr(value)
        return None

    def condition_words(self, name: str | None) -> str:
        if name is None:
            return ""
        condition = self.conditions.get(name)
        if condition is None:
            return name
        text = words(condition.expression)
        if len(text) > MAX_DOC_CONDITION:
            text = text[:MAX_DOC_CONDITION].rsplit(" ", 1)[0] + " ..."
        return text


def words(expression: Expression) -> str:
    """A short phrase for a condition (for docstrings)."""
    if isinstance(expression, Test):
        value = f" {expression.value!r}" if expression.value is not None else ""
        verb = {
            "present": "is present",
            "string": "is",
            "binary": "",
            "tag": "is",
            "value-present": "has a value",
            "has-items": "has items",
        }.get(expression.test, expression.test)
        return f"{expression.element} {verb}{value}".replace("  ", " ").strip()
    if expression.op == "not":
        return f"not {words(expression.args[0])}"
    joined = f" {expression.op} ".join(words(a) for a in expression.args)
    return joined


def _doc(element_name: str, tag: str, vr: str, vm: str, entries: list[str]) -> str:
    return f"{element_name} {tag} {vr}, VM {vm}. " + " ".join(entries)


class _Flattener:
    """Flattens rows (macros included) into attribute models for one class."""

    def __init__(self, ctx: _Context, always_tuple: bool) -> None:
        self.ctx = ctx
        self.always_tuple = always_tuple

    def flatten(
        self,
        rows: tuple[Row, ...],
        where: str,
        stack: tuple[str, ...] = (),
        gate: str | None = None,
        out: dict[str, AttributeModel] | None = None,
    ) -> dict[str, AttributeModel]:
        out = {} if out is None else out
        for row in rows:
            if isinstance(row, MacroUse):
                macro = self.ctx.modules.get(row.macro)
                if macro is None or row.macro in stack:
                    continue
                self.flatten(
                    macro.rows,
                    row.macro,
                    (*stack, row.macro),
                    row.condition or gate,
                    out,
                )
                continue
            if row.type == "verify":
                continue
            element = self.ctx.elements.get(row.keyword)
            if element is None:
                continue  # a keyword the dictionary does not know (reported by the build)
            entry = (
                f"Type {row.type} in {where}"
                + (f" if {self.ctx.condition_words(row.condition)}" if row.condition else "")
                + (f" (included if {self.ctx.condition_words(gate)})" if gate else "")
                + "."
            )
            literal = self.ctx.literal_values(row)
            if literal:
                entry += " Enumerated: " + ", ".join(literal) + "."
            item = self.ctx.item_class_of.get(id(row)) if row.children is not None else None
            existing = out.get(row.keyword)
            if existing is not None:
                if gate is None and existing.gated:
                    existing.gated = False
                    existing.type = row.type
                if item is not None and item not in existing.item_classes:
                    existing.item_classes.append(item)
                    existing.read_type, existing.accepted_type = self.types(
                        element.vr, element.vm, existing.item_classes, existing.type, ()
                    )
                if len(existing.doc) < 400:
                    existing.doc += " " + entry
                if existing.literal and literal != existing.literal:
                    existing.literal = ()
                    existing.read_type, existing.accepted_type = self.types(
                        element.vr, element.vm, existing.item_classes, existing.type, ()
                    )
                continue
            items = [item] if item else []
            read, accepted = self.types(element.vr, element.vm, items, row.type, literal)
            _, value = element.mask_and_value()
            out[row.keyword] = AttributeModel(
                keyword=row.keyword,
                tag_hex=f"0x{value:08X}",
                vr=element.vr,
                vm=element.vm,
                read_type=read,
                accepted_type=accepted,
                multiple=self.always_tuple
                and allows_several(element.vm)
                and element.vr not in ("SQ", "OB", "OW", "OB or OW", "OD", "OF", "OL", "OV", "UN"),
                doc=_doc(element.name, element.tag, element.vr, element.vm, [entry]),
                type=row.type,
                item_classes=items,
                literal=literal,
                gated=gate is not None,
            )
        return out

    def types(
        self, vr: str, vm: str, items: list[str], type_: str, literal: tuple[str, ...]
    ) -> tuple[str, str]:
        item_type = " | ".join(items) if items else None
        read, accepted = attribute_types(
            vr,
            vm,
            item_class=item_type,
            may_be_empty=type_[0] != "1",
            always_tuple=self.always_tuple,
        )
        if literal and not allows_several(vm):
            accepted = "Literal[" + ", ".join(repr(v) for v in literal) + "] | None"
        return read, accepted


# -- item classes -------------------------------------------------------------------------


def _sequence_rows(rows: tuple[Row, ...]) -> list[tuple[Attribute, list[str]]]:
    """Sequence rows defined directly in ``rows`` (nested ones too), with their paths."""
    found: list[tuple[Attribute, list[str]]] = []

    def walk(current: tuple[Row, ...], path: list[str]) -> None:
        for row in current:
            if isinstance(row, Attribute) and row.children is not None:
                found.append((row, [*path, row.keyword]))
                walk(row.children, [*path, row.keyword])

    walk(rows, [])
    return found


def _only_macro(row: Attribute) -> str | None:
    children = row.children or ()
    if len(children) == 1 and isinstance(children[0], MacroUse) and children[0].condition is None:
        return children[0].macro
    return None


def _assign_item_classes(
    ctx: _Context, parts: list[Module]
) -> dict[str, list[tuple[str, Attribute]]]:
    """Name every item class; return part name -> [(item class name, sequence row)].

    Item classes live in a module of :mod:`authoring.items` named after their part
    (``general_series_module``), so a name needs to be unique only there: the sequence's
    keyword (``RelatedSeriesSequenceItem``), prefixed with its parents' where two sequences
    of one part share a keyword. Types and ``ITEMS`` name them qualified by that module
    (``general_series_module.RelatedSeriesSequenceItem``); a sequence whose items are exactly
    one macro uses the macro's class."""
    owned: dict[str, list[tuple[str, Attribute]]] = {}
    for module in parts:
        file = snake_case(part_class_name(module))
        owned[module.name] = []
        used: set[str] = set()
        rows = sorted(_sequence_rows(module.rows), key=lambda found: len(found[1]))
        for row, path in rows:
            macro = _only_macro(row)
            if macro is not None and macro in ctx.modules:
                ctx.item_class_of[id(row)] = part_class_name(ctx.modules[macro])
                continue
            name = ""
            for depth in range(1, len(path) + 1):
                name = "".join(path[-depth:]) + "Item"
                if name not in used:
                    break
            counter = 2
            base = name
            while name in used:
                name = f"{base}{counter}"
                counter += 1
            used.add(name)
            ctx.item_class_of[id(row)] = f"{file}.{name}"
            owned[module.name].append((name, row))
    return owned


# -- IODs ---------------------------------------------------------------------------------


def static_truth(expression: Expression, sop_classes: tuple[str, ...]) -> bool | None:
    """The truth of a condition that depends only on the SOP class, for an IOD; None when
    other attributes matter."""
    if isinstance(expression, Test):
        if (
            expression.element == "SOPClassUID"
            and expression.test == "string"
            and expression.where in ("root", "here")
            and sop_classes
        ):
            results = {uid == expression.value for uid in sop_classes}
            return results.pop() if len(results) == 1 else None
        if expression.test == "never":
            return False
        return None
    if expression.op == "not":
        inner = static_truth(expression.args[0], sop_classes)
        return None if inner is None else not inner
    outcomes = [static_truth(a, sop_classes) for a in expression.args]
    if expression.op == "and":
        if any(r is False for r in outcomes):
            return False
        return True if all(r is True for r in outcomes) else None
    if any(r is True for r in outcomes):
        return True
    return False if all(r is False for r in outcomes) else None


@dataclass
class Declaration:
    """One module's declaration of an attribute, as an IOD sees it."""

    module: str
    usage: str
    attribute: AttributeModel


def merge_declarations(ctx: _Context, declarations: list[Declaration]) -> AttributeModel:
    """The attribute an IOD offers where several of its modules declare it.

    The rules: item classes unite (in module order; the first is the one read back); the
    enumerations of the mandatory modules intersect (every one of them applies to the IOD;
    a module without an enumeration allows anything), while those of conditional and user
    optional modules, which bind only when the module is present, are not typed; an empty
    intersection (contradicting modules) leaves the value untyped. One declaration is
    returned as it is."""
    first = declarations[0].attribute
    if len(declarations) == 1:
        return first
    items: list[str] = []
    for declaration in declarations:
        items.extend(c for c in declaration.attribute.item_classes if c not in items)
    enumerated: set[str] | None = None
    for declaration in declarations:
        if declaration.usage == "M" and declaration.attribute.literal:
            values = set(declaration.attribute.literal)
            enumerated = values if enumerated is None else enumerated & values
    literal = tuple(sorted(enumerated)) if enumerated else ()
    type_ = min((d.attribute.type for d in declarations), key=_strictness)
    flattener = _Flattener(ctx, always_tuple=True)
    read, accepted = flattener.types(first.vr, first.vm, items, type_, literal)
    if (read, accepted) == (first.read_type, first.accepted_type):
        return first
    typed = "; ".join(f"{d.module} accepts {d.attribute.accepted_type}" for d in declarations)
    doc = (f"{first.doc.split('. ', 1)[0]}. Declared by {len(declarations)} modules of this "
           f"IOD, typed differently ({typed}): item classes unite, enumerations of "
           "mandatory modules intersect.")
    return AttributeModel(
        keyword=first.keyword,
        tag_hex=first.tag_hex,
        vr=first.vr,
        vm=first.vm,
        read_type=read,
        accepted_type=accepted,
        multiple=first.multiple,
        doc=doc,
        type=type_,
        item_classes=items,
        literal=literal,
    )


def _strictness(type_: str) -> int:
    """Order of attribute types, strictest first (the one that decides emptiness)."""
    order = ("1", "1C", "2", "2C", "3")
    return order.index(type_) if type_ in order else len(order)


def _iod_model(
    ctx: _Context, iod: IOD, iod_names: dict[str, str], parts: dict[str, ClassModel]
) -> IODModel:
    declarations: dict[str, list[Declaration]] = {}
    modules: list[tuple[str, str]] = []
    required_rows: dict[str, Attribute] = {}
    type2: list[str] = []
    type2c: list[tuple[str, str]] = []
    for use in iod.module_uses():
        module = ctx.modules.get(use.module)
        if module is None or use.module == "FileMetaInformation":
            continue
        modules.append((use.module, use.usage))
        for attribute in parts[use.module].attributes:
            declarations.setdefault(attribute.keyword, []).append(
                Declaration(use.module, use.usage, attribute)
            )
        if use.usage != "M":
            continue
        for row in _top_rows(ctx, module.rows):
            if row.type == "1" or (
                row.type == "1C" and row.condition and _static(ctx, row.condition, iod) is True
            ):
                known = required_rows.get(row.keyword)
                if known is None or (
                    ctx.fixed_binary(known) is None and ctx.fixed_binary(row) is not None
                ):
                    required_rows[row.keyword] = row  # a row that fixes the value wins
            elif row.type == "2" or (
                row.type == "2C" and row.condition and _static(ctx, row.condition, iod) is True
            ):
                if row.keyword not in type2:
                    type2.append(row.keyword)
            elif (
                row.type == "2C"
                and row.condition
                and not row.condition_unknown
                and _static(ctx, row.condition, iod) is None
            ):
                if all(row.keyword != k for k, _ in type2c):
                    type2c.append((row.keyword, row.condition))
    attributes = {k: merge_declarations(ctx, d) for k, d in declarations.items()}
    has_pixels = any(m == "ImagePixel" and u == "M" for m, u in modules)
    multi_frame = "NumberOfFrames" in required_rows
    required: list[AttributeModel] = []
    fixed: list[tuple[str, str]] = []
    generated: list[str] = []
    for keyword, row in required_rows.items():
        model = attributes.get(keyword)
        if model is None:
            continue
        if keyword == "SOPClassUID":
            continue
        if keyword in GENERATED_UIDS:
            generated.append(keyword)
            continue
        if has_pixels and keyword in PIXEL_ATTRIBUTES:
            continue
        value = ctx.fixed_binary(row) if model.vr not in ("SQ",) else None
        if value is not None and model.vr in ("US", "UL", "SS", "SL", "CS", "LO", "SH"):
            fixed.append((keyword, value))
            continue
        required.append(model)
    cls = ClassModel(
        iod.name, snake_case(iod.name), _iod_doc(iod), list(attributes.values()), "iod"
    )
    base = iod_names.get(iod.base) if iod.base else None
    return IODModel(
        cls,
        iod,
        modules,
        required,
        fixed,
        generated,
        [k for k in type2 if k in attributes and k not in required_rows],
        [(k, c) for k, c in type2c if k in attributes and k not in type2],
        has_pixels,
        multi_frame,
        base,
        part_bases=[parts[m].name for m, _ in modules],
        part_files={parts[m].name: parts[m].file for m, _ in modules},
    )


def compose(model: IODModel, parts: dict[str, ClassModel], base: IODModel | None) -> None:
    """Decide the bases of an IOD builder and the attributes it declares itself.

    The builder inherits the classes of its modules (a profile: its base IOD's builder and
    the classes of the modules the base lacks); it declares an attribute itself only where
    what it inherits first differs from the IOD's merged declaration, which is always the
    case where two bases type the attribute differently."""
    by_name = {cls.name: cls for cls in parts.values()}
    bases = model.part_bases
    if base is not None:
        base_parts = set(base.part_bases) | set(base.inherited_parts)
        bases = [name for name in bases if name not in base_parts]
        model.inherited_parts = sorted(base_parts)
    # every declaration the bases bring (each class of their method resolution order)
    inherited: dict[str, list[AttributeModel]] = {}
    for name in bases:
        for attribute in by_name[name].attributes:
            inherited.setdefault(attribute.keyword, []).append(attribute)
    if base is not None:
        for attribute in base.own:
            inherited.setdefault(attribute.keyword, []).append(attribute)
        for name in [*base.part_bases, *base.inherited_parts]:
            for attribute in by_name[name].attributes:
                inherited.setdefault(attribute.keyword, []).append(attribute)
    model.part_bases = bases
    model.base_file = base.cls.file if base is not None else None
    if base is None:
        model.base_class = None
    own: list[AttributeModel] = []
    for attribute in model.cls.attributes:
        candidates = inherited.get(attribute.keyword, [])
        differs = any(
            (c.read_type, c.accepted_type) != (attribute.read_type, attribute.accepted_type)
            for c in candidates
        )
        if differs or not candidates:
            own.append(attribute)
    model.own = own


def _static(ctx: _Context, name: str, iod: IOD) -> bool | None:
    condition: Condition | None = ctx.conditions.get(name)
    if condition is None:  # dicom3tools' built-in names, which condn.tpl does not define
        return {"Never": False, "Always": True}.get(name)
    return static_truth(condition.expression, iod.sop_classes)


def _top_rows(ctx: _Context, rows: tuple[Row, ...], stack: tuple[str, ...] = ()) -> list[Attribute]:
    """Top-level attribute rows of a module with unconditional macros expanded."""
    found: list[Attribute] = []
    for row in rows:
        if isinstance(row, MacroUse):
            macro = ctx.modules.get(row.macro)
            if macro is None or row.macro in stack or row.condition is not None:
                continue
            found.extend(_top_rows(ctx, macro.rows, (*stack, row.macro)))
        elif row.type != "verify":
            found.append(row)
    return found


def _iod_doc(iod: IOD) -> str:
    sop = ", ".join(iod.sop_classes) or "none"
    extra = f" ({iod.profile} profile of {iod.base})" if iod.profile else ""
    retired = " Retired." if iod.retired else ""
    return f"The {iod.name} IOD{extra}; SOP Class UID {sop}.{retired}"


def build_models(iods: IODEdition, edition: Edition) -> BuilderModels:
    """Models of every part, item class and IOD builder."""
    ctx = _Context(iods, edition)
    owned = _assign_item_classes(ctx, iods.modules)
    parts: list[tuple[ClassModel, list[ClassModel]]] = []
    item_homes: dict[str, str] = {}
    for module in iods.modules:
        file = snake_case(part_class_name(module))
        flattener = _Flattener(ctx, always_tuple=True)
        attributes = flattener.flatten(module.rows, module.name, (module.name,))
        doc = f"The {module.name} {module.kind} ({len(attributes)} attributes)."
        cls = ClassModel(
            part_class_name(module), file, doc, list(attributes.values()), module.kind
        )
        items: list[ClassModel] = []
        for name, row in owned[module.name]:
            item_attributes = _Flattener(ctx, always_tuple=True).flatten(
                row.children or (), f"{module.name} {row.keyword} item"
            )
            items.append(
                ClassModel(
                    name,
                    file,
                    f"An item of {row.keyword} in the " f"{module.name} {module.kind}.",
                    list(item_attributes.values()),
                    "item",
                )
            )
        item_homes[cls.name] = file
        parts.append((cls, items))
    names = {iod.source_name: iod.name for iod in iods.iods}
    part_of = {module.name: cls for module, (cls, _) in zip(iods.modules, parts)}
    iod_models = [_iod_model(ctx, iod, names, part_of) for iod in iods.iods]
    by_name = {m.cls.name: m for m in iod_models}
    done: set[str] = set()

    def composed(model: IODModel) -> None:
        if model.cls.name in done:
            return
        base = by_name.get(model.base_class) if model.base_class else None
        if base is not None:
            composed(base)
        compose(model, part_of, base)
        done.add(model.cls.name)

    for model in iod_models:
        composed(model)
    return BuilderModels(parts, iod_models, item_homes)


def referenced_classes(cls: ClassModel) -> set[str]:
    """Item classes a class's attribute types name."""
    return {name for a in cls.attributes for name in a.item_classes}
