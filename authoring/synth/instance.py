"""One valid instance of any IOD: every mandatory module, and the conditional ones whose
condition holds, with their Type 1 and Type 2 attributes filled by values that satisfy the
VR, the VM and the value sets, conditional attributes filled whenever their condition holds,
and pixel data made to match the Image Pixel attributes.

The generator walks the specification the validator checks against, then asks the
validator and mends what it reports (a condition that became true once other attributes
were set, an attribute present against its condition, a value outside a value set), a few
rounds at most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from authoring.core.vm import members
from authoring.dictionary.elements import element_info, tag_for_keyword
from authoring.object.sequence import items_of
from authoring.synth.values import (
    IOD_VALUES,
    KEYWORD_VALUES,
    MODALITY_VALUES,
    Draw,
    binary_value,
    count_for_vm,
    lut_value,
    person_name,
    stable_uid,
    text_value,
)
from authoring.validation import spec
from authoring.validation.conditions import Scope, applicable_value_set, holds

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase

MAX_PASSES = 6
MAX_REPAIRS = 4
#: Attributes the pixel plan sets (never drawn as generic values).
PIXEL_KEYWORDS = {"Rows", "Columns", "SamplesPerPixel", "PhotometricInterpretation",
                  "BitsAllocated", "BitsStored", "HighBit", "PixelRepresentation",
                  "PlanarConfiguration", "NumberOfFrames", "PixelData", "FloatPixelData",
                  "DoubleFloatPixelData"}

#: Equipment identification every instance gets (realistic, and required by the Enhanced
#: General Equipment module that some SR IODs include, PS3.3 C.7.5.2).
EQUIPMENT = ("ManufacturerModelName", "DeviceSerialNumber", "SoftwareVersions")

#: Modality by the start of the IOD's name, where the value sets leave it open.
MODALITY_BY_IOD = (
    ("EnhancedCT", "CT"), ("LegacyConvertedEnhancedCT", "CT"), ("CT", "CT"),
    ("EnhancedMR", "MR"), ("LegacyConvertedEnhancedMR", "MR"), ("MR", "MR"),
    ("EnhancedPET", "PT"), ("LegacyConvertedEnhancedPET", "PT"), ("PositronEmission", "PT"),
    ("NuclearMedicine", "NM"), ("Ultrasound", "US"), ("EnhancedUS", "US"),
    ("ComputedRadiography", "CR"), ("DigitalMammography", "MG"), ("BreastTomosynthesis", "MG"),
    ("BreastProjection", "MG"), ("DigitalIntraOral", "IO"), ("DigitalXRay", "DX"),
    ("XRayAngiographic", "XA"), ("EnhancedXRayAngiographic", "XA"), ("XRay3DAngiographic", "XA"),
    ("XRayRadioFluoroscopic", "RF"), ("EnhancedXRayRF", "RF"), ("XRay3DCraniofacial", "DX"),
    ("RTImage", "RTIMAGE"), ("RTDose", "RTDOSE"), ("RTStructureSet", "RTSTRUCT"),
    ("RTPlan", "RTPLAN"), ("RTIonPlan", "RTPLAN"), ("RTBeamsTreatmentRecord", "RTRECORD"),
    ("RTBrachyTreatmentRecord", "RTRECORD"), ("RTIonBeamsTreatmentRecord", "RTRECORD"),
    ("RTTreatmentSummaryRecord", "RTRECORD"),
    ("Segmentation", "SEG"), ("VLEndoscopic", "ES"), ("VideoEndoscopic", "ES"),
    ("VLMicroscopic", "GM"), ("VideoMicroscopic", "GM"), ("VLSlideCoordinates", "SM"),
    ("VLWholeSlide", "SM"), ("VLPhotographic", "XC"), ("VideoPhotographic", "XC"),
    ("OphthalmicPhotography", "OP"), ("OphthalmicTomography", "OPT"), ("IntravascularOCT",
                                                                      "IVOCT"),
    ("TwelveLeadECG", "ECG"), ("GeneralECG", "ECG"), ("AmbulatoryECG", "ECG"),
    ("Hemodynamic", "HD"), ("CardiacElectrophysiology", "EPS"), ("BasicVoice", "AU"),
    ("KeyObjectSelection", "KO"), ("GrayscaleSoftcopy", "PR"), ("ColorSoftcopy", "PR"),
    ("PseudoColorSoftcopy", "PR"), ("BlendingSoftcopy", "PR"), ("EncapsulatedPDF", "DOC"),
    ("EncapsulatedCDA", "DOC"), ("RawData", "OT"), ("SecondaryCapture", "OT"),
    ("MultiFrame", "OT"), ("DermoscopicPhotography", "DMS"),
)


@dataclass
class InstanceOptions:
    """How an instance looks: pixel size and frames, character set, values to impose."""

    rows: int = 64
    columns: int = 64
    frames: int = 1
    charset: str = ""
    overrides: dict[str, Any] = field(default_factory=dict[str, Any])
    first_position: float = 0.0
    spacing: float = 1.0
    #: the transfer syntax the instance will be written in (pixels are planned to fit it)
    transfer_syntax: str | None = None


def _fits(value: Any, enumerated: dict[int, list[str]], vm: str) -> bool:
    """True when ``value`` (one value or a tuple) has a count the VM allows and is in
    every enumerated set that constrains it (-1: every value; n: value n+1)."""
    values = [str(v) for v in members(value)]
    most = _vm_maximum(vm)
    if len(values) < count_for_vm(vm) or (most is not None and len(values) > most):
        return False
    for index, allowed in enumerated.items():
        if index == -1:
            if any(v not in allowed for v in values):
                return False
        elif index >= len(values) or values[index] not in allowed:
            return False
    return True


def _vm_maximum(vm: str | None) -> int | None:
    """The most values a VM allows (None when unbounded)."""
    if not vm or vm.endswith("n"):
        return None
    last = re.findall(r"\d+", vm)
    return int(last[-1]) if last else None


def modality_of(iod_name: str) -> str:
    """A Modality value for an IOD whose value sets do not fix one."""
    for prefix, modality in MODALITY_BY_IOD:
        if iod_name.startswith(prefix):
            return modality
    return "OT"


class Generator:
    """Builds one instance of one IOD."""

    def __init__(self, iod: spec.IODSpec, draw: Draw, options: InstanceOptions) -> None:
        self.iod = iod
        self.draw = draw
        self.options = options
        self.rules = self._merged_rules()
        self.pixels_planned = False

    # -- the rules of every top-level attribute, merged over the IOD's modules ----------

    def _merged_rules(self) -> dict[str, tuple[tuple[Any, ...], str | None]]:
        merged: dict[str, tuple[tuple[Any, ...], str | None]] = {}
        for use in self.iod.modules:
            try:
                rows = spec.module_rows(use.module)
            except KeyError:
                continue
            for row in rows:
                rules, vm = merged.get(row.keyword, ((), None))
                merged[row.keyword] = (rules + row.value_rules, vm or row.vm)
        return merged

    # -- values --------------------------------------------------------------------------

    def value(self, row: spec.Row, dataset: DatasetBase, scope: Scope, where: str,
              top: bool) -> Any:
        """A value for ``row`` that its VR, VM and value sets accept."""
        keyword = row.keyword
        if keyword in self.options.overrides:
            return self.options.overrides[keyword]
        if keyword in ("ReferencedSOPClassUID", "ReferencedClassUID"):
            from authoring.synth.values import referenced_sop_class

            return referenced_sop_class(where, self.iod.name)  # a real SOP class
        tag = tag_for_keyword(keyword)
        info = element_info(tag) if tag is not None else None
        vr = dataset.resolve_vr(tag) if tag is not None else "UN"
        rules, vm = self.rules.get(keyword, ((), None)) if top else (row.value_rules, row.vm)
        if not top:
            rules = row.value_rules
            vm = row.vm
        vm = vm or (info.vm if info is not None else "1")
        draw = self.draw.child(where)
        if keyword == "Modality" and not any(r[1] == "enumerated" for r in rules):
            return modality_of(self.iod.name)
        for prefix, values in IOD_VALUES.items():
            if self.iod.name.startswith(prefix) and keyword in values:
                return values[keyword]
        if "LookupTable" in keyword or keyword in ("LUTDescriptor", "LUTData"):
            lut = lut_value(keyword, vr, self._lut_bits(keyword, dataset, rules, scope))
            if lut is not None:
                return lut
        preset = KEYWORD_VALUES.get(keyword)
        count = count_for_vm(vm)
        # per position (-1: every value): the enumerated options (all must allow the value)
        # and the defined terms (preferred among them)
        enumerated: dict[int, list[str]] = {}
        defined: dict[int, list[str]] = {}
        kinds: dict[int, str] = {}
        for rule in rules:
            _, strength, selector, _ = rule
            applicable = applicable_value_set(rule, scope)
            if applicable is None:
                continue
            kind, allowed = applicable
            options = [v for v in allowed if v != ""] or list(allowed)
            if not options:
                continue
            index = -1 if selector is None or selector == "*" else int(selector)
            kinds[index] = kind
            if strength == "enumerated":
                known = enumerated.get(index)
                enumerated[index] = options if known is None else \
                    [v for v in known if v in options] or known
            else:
                defined.setdefault(index, options)
        if keyword == "Modality" and _fits(modality_of(self.iod.name), enumerated, vm):
            return modality_of(self.iod.name)  # RT Dose: RTDOSE, not the first RT modality
        typical = MODALITY_VALUES.get(self.modality(dataset), {}).get(keyword)
        if typical is not None and _fits(typical, enumerated, vm):
            return typical
        positions: dict[int, Any] = {}
        whole: Any = None
        for index in set(enumerated) | set(defined):
            options = enumerated.get(index) or defined[index]
            preferred = [v for v in options if v in defined.get(index, [])] or options
            chosen = self._pick(keyword, preferred, "enumerated", kinds[index])
            if index == -1:
                whole = chosen
            else:
                positions[index] = chosen
        if vr == "SQ":
            return None
        if whole is None and not positions and preset is not None:
            return preset
        if positions:
            count = max(count, max(positions) + 1)
        limit = _vm_maximum(vm)
        if limit is not None:
            count = min(count, limit)
        made: list[Any] = []
        for index in range(count):
            if index in positions:
                made.append(positions[index])
            elif whole is not None:
                made.append(whole)
            else:
                made.append(self._generic(vr, keyword, draw.child(index),
                                          str(dataset.get("PatientName") or "") or None))
        if vr in ("US", "UL", "SS", "SL", "SV", "UV", "FL", "FD", "AT"):
            made = [int(v) if vr not in ("FL", "FD") else float(v) for v in made]
        return made[0] if len(made) == 1 else tuple(made)

    @staticmethod
    def _lut_bits(keyword: str, dataset: DatasetBase, rules: tuple[Any, ...],
                  scope: Scope) -> int:
        """The bits of a LUT: an enumerated third descriptor value, else the descriptor
        already in the data set (for its data), else 16."""
        common: list[int] | None = None
        for name, strength, selector, condition in rules:
            if strength == "enumerated" and selector == 2 and (
                    condition is None or holds(condition, scope) is True):
                found = spec.value_set(name)
                numbers = [int(v) for v in found[1] if str(v).isdigit()] if found else []
                if numbers:  # every module's set must allow it; else the last module decides
                    common = numbers if common is None else \
                        [n for n in common if n in numbers] or numbers
        if common:
            return 16 if 16 in common else common[0]
        descriptor_keyword = keyword.replace("Data", "Descriptor")
        descriptor = dataset.get(descriptor_keyword) if descriptor_keyword != keyword and \
            tag_for_keyword(descriptor_keyword) is not None else None
        described = members(descriptor)
        if len(described) == 3:
            return int(described[2])
        return 16

    @staticmethod
    def _pick(keyword: str, options: list[str], strength: str, kind: str) -> Any:
        if kind == "binary":
            numbers = [int(v, 0) for v in options]
            return numbers[0]
        if kind == "tag":
            group, element = options[0].split(",")
            return int(group, 16) << 16 | int(element, 16)
        for favourite in ("ORIGINAL", "PRIMARY", "NO", "MONOCHROME2", "COMPLETE",
                          "UNVERIFIED", "RESEARCH", "HFS"):
            if favourite in options:
                return favourite
        return options[0]

    def _generic(self, vr: str, keyword: str, draw: Draw, patient: str | None = None) -> Any:
        if vr in ("US", "UL", "SS", "SL", "SV", "UV", "FL", "FD", "AT", "OB", "OW", "OD",
                  "OF", "OL", "OV", "UN"):
            return binary_value(vr)
        if vr == "PN":  # physicians, operators ...: never the patient
            return person_name(draw, self.options.charset, avoid=patient)
        return text_value(vr, keyword, draw, self.options.charset)

    def modality(self, dataset: DatasetBase) -> str:
        """The instance's modality: its Modality, or the one its IOD implies."""
        value = dataset.get("Modality")
        return str(value) if value else modality_of(self.iod.name)

    # -- filling ----------------------------------------------------------------------------

    def needed_modules(self, dataset: DatasetBase) -> list[spec.ModuleUse]:
        """The modules to fill: M, and C whose condition holds now."""
        scope = Scope(dataset, (), dataset.file_meta)
        found: list[spec.ModuleUse] = []
        for use in self.iod.modules:
            if use.module == "FileMetaInformation":
                continue
            if use.usage == "M" or (use.usage == "U" and use.condition is None) or (
                    use.condition is not None and holds(use.condition, scope) is True):
                found.append(use)  # a U module without a condition is checked like M
        return found

    def fill(self, rows: tuple[spec.Row, ...], dataset: DatasetBase, scope: Scope,
             where: str, top: bool) -> bool:
        """Add what ``rows`` require and is missing; True when anything was added."""
        from authoring.object.dataset import Dataset

        changed = False
        for row in rows:
            if row.type == "verify" or (row.keyword in PIXEL_KEYWORDS and top
                                        and self.pixels_planned):
                continue
            if row.gates and any(holds(gate, scope) is not True for gate in row.gates):
                continue
            tag = tag_for_keyword(row.keyword)
            if tag is None:
                continue
            path = f"{where}{row.keyword}"
            element = dataset.get_element(tag)
            required = row.type in ("1", "2") or (
                row.type in ("1C", "2C") and row.condition is not None
                and not row.condition_unknown and holds(row.condition, scope) is True)
            if element is not None and row.children is not None and required and \
                    row.type.startswith("1") and element.vr == "SQ" and \
                    not items_of(element.value):
                item = Dataset()  # a Type 2 use elsewhere made it empty; Type 1 needs an item
                self.fill(row.children, item, scope.inside(item), f"{path}[0].", False)
                element.value = [item]
                changed = True
                continue
            if element is not None:
                if row.children is not None:
                    for index, each in enumerate(items_of(element.value)):
                        changed |= self.fill(row.children, each, scope.inside(each),
                                             f"{path}[{index}].", False)
                continue
            if not required:
                continue
            if row.children is not None:
                items: list[Any] = []
                if row.type.startswith(("1", "2")):  # Type 2 too: a realistic item
                    count = self.options.frames if row.keyword == \
                        "PerFrameFunctionalGroupsSequence" else count_for_vm(row.vm)
                    for index in range(count):
                        item = Dataset()
                        self.fill(row.children, item, scope.inside(item),
                                  f"{path}[{index}].", False)
                        items.append(item)
                dataset.set_value(tag, items, "SQ")
            else:
                value = self.value(row, dataset, scope, path, top)
                dataset.set_value(tag, value)
            changed = True
        return changed

    def fill_all(self, dataset: DatasetBase) -> None:
        """Fill the needed modules until nothing more is needed (conditions settle)."""
        for _ in range(MAX_PASSES):
            scope = Scope(dataset, (), dataset.file_meta)
            changed = False
            for use in self.needed_modules(dataset):
                changed |= self.fill(spec.module_rows(use.module), dataset, scope, "", True)
            if not changed:
                return

    # -- mending what the validator reports --------------------------------------------------

    def repair(self, dataset: DatasetBase) -> int:
        """Mend the validator's errors; return how many remain."""
        from authoring.validation.iod import validate

        report = validate(dataset, self.iod.name)
        for _ in range(MAX_REPAIRS):
            errors = report.errors
            if not errors:
                return 0
            mended = False
            for finding in errors:
                mended |= self._mend(dataset, finding)
            if not mended:
                break
            self.fill_all(dataset)
            report = validate(dataset, self.iod.name)
        return len(report.errors)

    def _locate(self, dataset: DatasetBase, path: str
                ) -> tuple[DatasetBase, str, tuple[DatasetBase, ...]] | None:
        parts = path.split(".")
        current = dataset
        above: list[DatasetBase] = []
        for part in parts[:-1]:
            match = re.fullmatch(r"(\w+)\[(\d+)\]", part)
            if match is None:
                return None
            value = current.get(match.group(1))
            items = items_of(value)
            if not isinstance(value, list) or int(match.group(2)) >= len(items):
                return None
            above.append(current)
            current = items[int(match.group(2))]
        return current, parts[-1], tuple(above)

    def _mend(self, dataset: DatasetBase, finding: Any) -> bool:
        located = self._locate(dataset, finding.path) if finding.path else None
        if located is None:
            return False
        holder, keyword, above = located
        tag = tag_for_keyword(keyword)
        if tag is None or keyword in PIXEL_KEYWORDS:
            return False
        scope = Scope(holder, above, dataset.file_meta)
        if finding.rule == "condition-false" and tag in holder:
            row = self._row_at(finding.path)
            if not above and self._required_elsewhere(keyword) and row is not None and \
                    row.condition is not None and self._make_hold(row.condition, holder):
                return True  # Type 1 elsewhere: make the condition true instead
            del holder[tag]
            return True
        if finding.rule in ("enumerated", "vm") or finding.rule.endswith("-empty") or (
                finding.rule not in ("type1-missing", "type2-missing", "type1c-missing",
                                     "type2c-missing", "missing-module")):
            if tag in holder and holder[tag].vr != "SQ":
                row = self._row_at(finding.path)
                if row is None:
                    return False
                value = self.value(row, holder, scope, finding.path + "#mend", False)
                if value is None or value == holder.get(tag):
                    return False
                holder.set_value(tag, value)
                return True
        return False

    def _required_elsewhere(self, keyword: str) -> bool:
        """True when some module of the IOD makes ``keyword`` Type 1 without a condition."""
        for use in self.iod.modules:
            try:
                rows = spec.module_rows(use.module)
            except KeyError:
                continue
            if any(r.keyword == keyword and r.type == "1" and not r.gates for r in rows):
                return True
        return False

    def _make_hold(self, name: str, dataset: DatasetBase) -> bool:
        """Add the attributes a condition of the form "A is present and B is present"
        tests for; True when anything was added."""
        expression = spec.condition(name)
        tests = [expression] if expression and expression[0] == "test" else \
            list(expression[1:]) if expression and expression[0] == "and" else []
        added = False
        for test in tests:
            if test[0] != "test" or test[2] != "present" or test[3] != "here":
                continue
            keyword = test[1]
            tag = tag_for_keyword(keyword)
            row = self._row_for(keyword)
            if tag is None or row is None or tag in dataset:
                continue
            scope = Scope(dataset, (), dataset.file_meta)
            dataset.set_value(tag, self.value(row, dataset, scope, f"{keyword}#hold", True))
            added = True
        return added

    def _row_at(self, path: str) -> spec.Row | None:
        """The specification's row at a finding's path (``A[0].B[1].C``), its value rules
        merged over every module and macro that defines it there."""
        keywords = [re.sub(r"\[\d+\]$", "", part) for part in path.split(".")]
        candidates: list[spec.Row] = []
        for use in self.iod.modules:
            try:
                level: tuple[spec.Row, ...] = spec.module_rows(use.module)
            except KeyError:
                continue
            layers = [level]
            for keyword in keywords[:-1]:
                layers = [row.children for rows in layers for row in rows
                          if row.keyword == keyword and row.children is not None]
            candidates.extend(row for rows in layers for row in rows
                              if row.keyword == keywords[-1] and row.type != "verify")
        if not candidates:
            return None
        first = candidates[0]
        rules = tuple(rule for row in candidates for rule in row.value_rules)
        return spec.Row(first.keyword, first.type, first.condition, first.condition_unknown,
                        first.may_be_present_otherwise, first.vm, rules, first.not_zero,
                        first.raw_children, first.gates, first.macro)

    def _row_for(self, keyword: str) -> spec.Row | None:
        for use in self.iod.modules:
            try:
                rows = spec.module_rows(use.module)
            except KeyError:
                continue
            for row in rows:
                if row.keyword == keyword and row.type != "verify":
                    return row
        return None


def instance(iod_name: str, *, seed: object = 0, options: InstanceOptions | None = None,
             where: tuple[object, ...] = ()) -> Any:
    """One valid instance of the IOD named (a ``Dataset``)."""
    from authoring.dataset import Dataset
    from authoring.synth.enhanced import realistic_functional_groups, tile_total_pixel_matrix
    from authoring.synth.pixels import add_pixels
    from authoring.synth.sr import document_tree

    options = options or InstanceOptions()
    iod = spec.iod_named(iod_name)
    draw = Draw(seed, iod.name, *where)
    dataset = Dataset()
    if options.charset:
        dataset.SpecificCharacterSet = options.charset
    dataset.SOPClassUID = iod.sop_classes[0] if iod.sop_classes else "1.2.840.10008.5.1.4.1.1.7"
    dataset.SOPInstanceUID = options.overrides.get("SOPInstanceUID",
                                                    stable_uid(seed, iod.name, *where, "sop"))
    generator = Generator(iod, draw, options)
    for prefix, values in IOD_VALUES.items():  # choices an IOD's own rules depend on
        if iod.name.startswith(prefix):
            for keyword, value in values.items():
                if keyword in generator.rules:
                    dataset.set_value(keyword, value)
    for keyword, value in options.overrides.items():
        if tag_for_keyword(keyword) is not None and value is not None:
            dataset.set_value(keyword, value)
    generator.pixels_planned = True  # the pixel attributes wait for the rest (conditions)
    generator.fill_all(dataset)
    generator.pixels_planned = add_pixels(generator, dataset)
    generator.fill_all(dataset)
    realistic_functional_groups(dataset, first_position=options.first_position,
                                spacing=options.spacing,
                                organization_uid=stable_uid(seed, iod.name, *where,
                                                            "dimension organization"))
    tile_total_pixel_matrix(dataset)
    if document_tree(dataset, iod.name, str(stable_uid(seed, iod.name, *where, "sr"))):
        generator.fill_all(dataset)
    for keyword in EQUIPMENT:  # Type 3 in General Equipment, 1 where Enhanced applies
        if "Manufacturer" in dataset and keyword not in dataset and keyword in generator.rules:
            dataset.set_value(keyword, KEYWORD_VALUES[keyword])
    generator.repair(dataset)
    return dataset
