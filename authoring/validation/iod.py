"""Validate a data set against its IOD (PS3.3): modules, attribute Types, conditions,
enumerated values and defined terms, VM, and the value rules of each VR, inside sequence
items too.

The IOD is chosen from SOP Class UID (0008,0016) unless given. For each module of the IOD:
Usage M is checked; Usage C when its condition holds; Usage U (and C whose condition does
not hold) when the module is present (one of its attributes is). Within a checked module:

- Type 1: present with a value; Type 2: present (may be empty);
- Type 1C / 2C: as 1 / 2 when the condition holds; when it does not, presence is an
  error unless the standard allows it ("may be present otherwise"), as dciodvfy has it;
- conditions the source cannot express are not enforced;
- values: enumerated values (errors), defined terms (warnings), VM, VR formats, not zero.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, cast

from authoring.core.tag import Tag
from authoring.core.vm import members, vm_allows
from authoring.dictionary.elements import element_info, tag_for_keyword
from authoring.errors import format_tag
from authoring.object.dataset import DatasetBase
from authoring.object.sequence import items_of
from authoring.validation import spec
from authoring.validation.conditions import Scope, applicable_value_set, describe, holds
from authoring.validation.value_rules import check_value

Severity = Literal["error", "warning"]

#: Checks of SR content that live above this layer, by name ("module:function", each
#: taking the document and returning :class:`~authoring.validation.sr_content.SRFinding`
#: values): the conformance to the compiled PS3.16 templates, which are builders.
SR_CONTENT_CHECKS: tuple[str, ...] = ("authoring.sr.conformance:check_templates",)

#: Media Storage Directory Storage: the SOP class of a DICOMDIR (PS3.10 7.2).
DIRECTORY_SOP_CLASS = "1.2.840.10008.1.3.10"


@dataclass(frozen=True)
class Finding:
    """One problem: where (``path`` of keywords, ``tag``), how bad, what, and from which
    module of the IOD."""

    severity: Severity
    rule: str
    message: str
    path: str
    tag: int | None = None
    keyword: str = ""
    module: str | None = None

    def __str__(self) -> str:
        where = self.path or "(data set)"
        module = f" [{self.module}]" if self.module else ""
        return f"{self.severity}: {where}: {self.message}{module}"


@dataclass
class Report:
    """All findings for one data set and the IOD it was checked against."""

    iod: str | None
    findings: list[Finding] = field(default_factory=list[Finding])

    @property
    def errors(self) -> list[Finding]:
        """Findings of severity error."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings of severity warning."""
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {"iod": self.iod, "errors": len(self.errors), "warnings": len(self.warnings),
                "findings": [{**asdict(f), "tag": None if f.tag is None else str(Tag(f.tag))}
                             for f in self.findings]}

    def __str__(self) -> str:
        head = f"{self.iod or 'unknown IOD'}: {len(self.errors)} errors, " \
               f"{len(self.warnings)} warnings"
        return "\n".join([head, *(str(f) for f in self.findings)])


class _Checker:
    def __init__(self, report: Report) -> None:
        self.report = report

    def add(self, severity: Severity, rule: str, message: str, path: str, keyword: str = "",
            module: str | None = None) -> None:
        tag = tag_for_keyword(keyword) if keyword else None
        self.report.findings.append(Finding(severity, rule, message, path, tag, keyword,
                                            module))

    # -- rows -------------------------------------------------------------------------

    def check_rows(self, rows: tuple[spec.Row, ...], scope: Scope, path: str,
                   module: str) -> None:
        for row in rows:
            if row.type == "verify":
                continue
            if row.gates and any(holds(gate, scope) is not True for gate in row.gates):
                continue
            self.check_row(row, scope, path, module)

    def check_row(self, row: spec.Row, scope: Scope, path: str, module: str) -> None:
        dataset = scope.here
        keyword = row.keyword
        tag = tag_for_keyword(keyword)
        where = f"{path}{keyword}"
        element = dataset.get_element(tag) if tag is not None else None
        required = row.type[0] in "12"
        if row.type.endswith("C"):
            if row.condition_unknown or row.condition is None:
                required = False
            else:
                truth = holds(row.condition, scope)
                if truth is None:
                    required = False
                elif not truth:
                    required = False
                    if element is not None and not row.may_be_present_otherwise:
                        self.add("error", "condition-false", f"Type {row.type} attribute is "
                                 f"present but its condition does not hold "
                                 f"({self.condition_text(row.condition)})", where, keyword,
                                 module)
        if element is None:
            if required:
                kind = "Required" if len(row.type) == 1 else "Conditional"
                extra = "" if len(row.type) == 1 else \
                    f" ({self.condition_text(row.condition)})"
                self.add("error", f"type{row.type.lower()}-missing",
                         f"missing attribute, Type {row.type} {kind}{extra}", where, keyword,
                         module)
            return
        empty = self.is_empty(element)
        if empty and row.type[0] == "1":  # when present, Type 1 and 1C need a value
            self.add("error", f"type{row.type.lower()}-empty",
                     f"attribute is empty, Type {row.type} needs a value", where, keyword,
                     module)
        if row.children is not None:
            self.check_sequence(row, element, scope, where, module)
            return
        if not empty:
            self.check_values(row, element, scope, where, module)

    @staticmethod
    def is_empty(element: Any) -> bool:
        try:
            value = element.value
        except Exception:  # undecodable: reported by the value checks
            return False
        if value is None or value == "" or value == b"":
            return True
        if isinstance(value, (list, tuple)):
            return len(cast("list[Any] | tuple[Any, ...]", value)) == 0
        return False

    @staticmethod
    def condition_text(name: str | None) -> str:
        if name is None:
            return "no condition"
        expression = spec.condition(name)
        if expression is None:
            return name
        text = describe(expression)
        if len(text) > 200:
            text = text[:200].rsplit(" ", 1)[0] + " ..."
        return f"{name}: {text}"

    def check_sequence(self, row: spec.Row, element: Any, scope: Scope, where: str,
                       module: str) -> None:
        items = items_of(element.value)
        if row.vm and items and not vm_allows(row.vm, len(items)):
            self.add("error", "vm", f"{len(items)} items; the module allows {row.vm}", where,
                     row.keyword, module)
        assert row.children is not None
        for index, item in enumerate(items):
            self.check_rows(row.children, scope.inside(item), f"{where}[{index}].", module)

    def check_values(self, row: spec.Row, element: Any, scope: Scope, where: str,
                     module: str) -> None:
        try:
            value = element.value
        except Exception as exc:
            self.add("error", "undecodable", f"value cannot be decoded: {exc}", where,
                     row.keyword, module)
            return
        values = members(value)
        vm = row.vm
        info = element_info(element.tag_number)
        if vm is None and info is not None:
            vm = info.vm
        if vm and element.vr not in ("OB", "OW", "OD", "OF", "OL", "OV", "UN", "SQ") and \
                not vm_allows(vm, len(values)):
            count = f"{len(values)} value" + ("" if len(values) == 1 else "s")
            self.add("error", "vm", f"{count}; VM is {vm}", where, row.keyword,
                     module)
        for problem in check_value(element.vr, value, vm=None):
            self.add("error", problem.rule, problem.message, where, row.keyword, module)
        for rule in row.value_rules:
            self.check_value_rule(rule, values, element, scope, where, row.keyword, module)
        if row.not_zero is not None:
            if any(isinstance(v, (int, float)) and v == 0 for v in values):
                self.add("error" if row.not_zero == "error" else "warning", "not-zero",
                         "value is zero", where, row.keyword, module)

    def check_value_rule(self, rule: tuple[str, str, int | str | None, str | None],
                         values: list[Any], element: Any, scope: Scope, where: str,
                         keyword: str, module: str) -> None:
        name, strength, selector, _ = rule
        applicable = applicable_value_set(rule, scope)
        if applicable is None:
            return
        kind, allowed = applicable
        if selector is None or selector == "*":
            chosen = list(enumerate(values))
        else:
            index = int(selector)
            chosen = [(index, values[index])] if index < len(values) else []
        for index, value in chosen:
            if value is None or value == "":
                continue
            if self.allowed(kind, value, allowed):
                continue
            severity: Severity = "error" if strength == "enumerated" else "warning"
            label = "enumerated value" if strength == "enumerated" else "defined term"
            self.add(severity, "enumerated" if strength == "enumerated" else "defined-term",
                     f"value {index + 1} {str(value)!r} is not an allowed {label} "
                     f"({name})", where, keyword, module)

    @staticmethod
    def allowed(kind: str, value: Any, allowed: tuple[str, ...]) -> bool:
        if kind == "binary":
            try:
                return str(int(value)) in allowed
            except (TypeError, ValueError):
                return False
        if kind == "tag":
            return isinstance(value, int) and format_tag(value, parentheses=False) in \
                allowed
        return str(value).strip() in allowed

    # -- modules ------------------------------------------------------------------------

    def module_present(self, rows: tuple[spec.Row, ...], dataset: DatasetBase) -> bool:
        for row in rows:
            tag = tag_for_keyword(row.keyword)
            if tag is not None and tag in dataset and row.type != "verify":
                return True
        return False

    def check_iod(self, iod: spec.IODSpec, dataset: DatasetBase) -> None:
        scope = Scope(dataset, (), dataset.file_meta)
        for use in iod.modules:
            try:
                rows = spec.module_rows(use.module)
            except KeyError:
                self.add("warning", "unknown-module", f"module {use.module} is not in the "
                         "specification", "", module=use.module)
                continue
            if use.module == "FileMetaInformation":
                continue  # the writer builds and checks the file meta
            if use.usage == "M":
                needed = True
            elif use.condition is None:
                needed = use.usage == "U"  # U without a condition: checked (Type 3 rows)
            else:
                needed = holds(use.condition, scope) is True
            if not needed:
                continue
            if use.usage != "U" and not self.module_present(rows, dataset) and any(
                    r.type in ("1", "2") and not r.gates for r in rows):
                self.add("error", "missing-module", f"module {use.module} (Usage {use.usage})"
                         " is missing", "", module=use.module)
            self.check_rows(rows, scope, "", use.module)
            if use.module == "SRDocumentContent":
                self.check_sr_root(dataset)
                self.check_sr_content(dataset)
        self.check_tiling(dataset)

    def check_tiling(self, dataset: DatasetBase) -> None:
        """A TILED_FULL instance's frames against its Total Pixel Matrix."""
        from authoring.validation.multi_frame import check_tiled_full

        for found in check_tiled_full(dataset):
            self.add("error", found.rule, found.message, found.keyword, found.keyword,
                     "MultiFrameDimension")

    def check_sr_content(self, dataset: DatasetBase) -> None:
        """The content tree's rules (relationships, references, SCOORD sources, evidence,
        graphic data) and its conformance to the templates we compile; the path of each
        finding is the content item's position (``1.2.3``)."""
        from authoring.validation.sr_content import check_sr_content

        sop_class = str(dataset.get("SOPClassUID") or "").strip()
        found_all = list(check_sr_content(dataset, sop_class))
        for name in SR_CONTENT_CHECKS:
            module, _, function = name.partition(":")
            found_all.extend(getattr(importlib.import_module(module), function)(dataset))
        for found in found_all:
            severity: Severity = "warning" if found.severity == "warning" else "error"
            self.add(severity, found.rule, found.message, found.position,
                     module="SRDocumentContent")

    def check_sr_root(self, dataset: DatasetBase) -> None:
        """The root content item of an SR document is a CONTAINER (PS3.3 C.17.3), a rule
        of the module's text that its attribute table does not carry."""
        value_type = dataset.get("ValueType")
        if value_type and str(value_type).strip() != "CONTAINER":
            self.add("error", "sr-root", f"the root content item is {value_type}; an SR "
                     "document's root is a CONTAINER", "ValueType", "ValueType",
                     "SRDocumentContent")


def validate(dataset: DatasetBase, iod: str | None = None) -> Report:
    """Check ``dataset`` against its IOD (from SOP Class UID, or the ``iod`` named)."""
    if iod is not None:
        found: spec.IODSpec | None = spec.iod_named(iod)
    else:
        sop_class = dataset.get(0x00080016)
        if sop_class is None and dataset.file_meta is not None and \
                str(dataset.file_meta.get(0x00020002, "")).strip() == DIRECTORY_SOP_CLASS:
            sop_class = DIRECTORY_SOP_CLASS  # a DICOMDIR has no SOP Class UID of its own
        found = spec.iod_for_sop_class(str(sop_class).strip()) if sop_class else None
    report = Report(found.name if found is not None else None)
    checker = _Checker(report)
    if found is None:
        checker.add("error", "unknown-iod", "SOP Class UID (0008,0016) is missing or names no "
                    "IOD this specification has; give the IOD by name", "", "SOPClassUID")
        return report
    checker.check_iod(found, dataset)
    return report


def report_json(reports: dict[str, Report]) -> str:
    """Several reports (by file) as JSON text."""
    return json.dumps({name: report.to_json() for name, report in reports.items()}, indent=2)
