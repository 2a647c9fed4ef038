"""Conformance of SR content to the PS3.16 templates we compile: a document whose root
Content Template Sequence names one (DCMR, TID 1500...) is checked row by row by the
template's builder class (:meth:`authoring.sr.template.TemplateBuilder.conformance`).

The validator (a lower layer) reaches this through its named extension point
(:data:`authoring.validation.iod.SR_CONTENT_CHECKS`), as the compiled templates live with
the builders."""

from __future__ import annotations

from typing import Any

from authoring.object.dataset import DatasetBase
from authoring.validation.sr_content import SRFinding, positions


def compiled_template(tid: str) -> Any | None:
    """The builder class of template ``tid`` (a root template's class), or None."""
    import authoring._generated.sr_templates as package
    from authoring._generated.sr_templates import INDEX

    for name in INDEX:
        cls = getattr(package, name)
        if str(cls.TID) == tid and cls.NAMES_TEMPLATE:
            return cls
    return None


def declared_template(dataset: DatasetBase) -> str | None:
    """The TID the root's Content Template Sequence names (DCMR only), or None."""
    for entry in dataset.get("ContentTemplateSequence") or ():
        if str(entry.get("MappingResource") or "").strip() == "DCMR":
            return str(entry.get("TemplateIdentifier") or "").strip() or None
    return None


def check_templates(dataset: DatasetBase) -> list[SRFinding]:
    """The template findings of an SR document (none if its root names no template we
    compile)."""
    tid = declared_template(dataset)
    template = compiled_template(tid) if tid else None
    if template is None:
        return []
    where = positions(dataset)
    return [SRFinding(issue.severity, issue.rule, issue.position, issue.message)
            for issue in template.conformance(dataset, where)]
