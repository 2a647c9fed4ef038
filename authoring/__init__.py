"""authoring: construct, generate, codify and write DICOM.

The public names are imported on first use, so ``import authoring`` costs almost nothing::

    import authoring
    ds = authoring.read("CT_small.dcm")
    ds.PatientName = "Doe^Jane"
    authoring.write(ds, "out.dcm", transfer_syntax="ExplicitVRBigEndian")
"""

from __future__ import annotations

import importlib

from authoring._version import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

    from authoring.codifier import CodifyResult as CodifyResult
    from authoring.codifier import codify as codify
    from authoring.codifier import codify_to as codify_to
    from authoring.core.charset import CharacterSet as CharacterSet
    from authoring.core.charset import character_set as character_set
    from authoring.core.tag import Tag as Tag
    from authoring.core.transfer_syntax import (
        TransferSyntax as TransferSyntax,
    )
    from authoring.core.transfer_syntax import (
        transfer_syntax as transfer_syntax,
    )
    from authoring.core.uid import UID as UID
    from authoring.core.uid import generate_uid as generate_uid
    from authoring.core.values import (
        DA as DA,
    )
    from authoring.core.values import (
        DS as DS,
    )
    from authoring.core.values import (
        DT as DT,
    )
    from authoring.core.values import (
        IS as IS,
    )
    from authoring.core.values import (
        TM as TM,
    )
    from authoring.core.values import (
        PersonName as PersonName,
    )
    from authoring.core.vr import VR as VR
    from authoring.dataset import Dataset as Dataset
    from authoring.dataset import read as read
    from authoring.encoding.encapsulated import (
        EncapsulatedPixelData as EncapsulatedPixelData,
    )
    from authoring.io.writer import to_bytes as to_bytes
    from authoring.io.writer import write as write
    from authoring.object.element import DataElement as DataElement
    from authoring.object.private import PrivateBlock as PrivateBlock
    from authoring.object.sequence import Sequence as Sequence
    from authoring.validation.iod import Report as Report
    from authoring.validation.iod import validate as validate

_EXPORTS = {
    "read": "authoring.dataset",
    "write": "authoring.io.writer",
    "to_bytes": "authoring.io.writer",
    "Dataset": "authoring.dataset",
    "DataElement": "authoring.object.element",
    "Sequence": "authoring.object.sequence",
    "PrivateBlock": "authoring.object.private",
    "Tag": "authoring.core.tag",
    "VR": "authoring.core.vr",
    "UID": "authoring.core.uid",
    "generate_uid": "authoring.core.uid",
    "PersonName": "authoring.core.values",
    "DA": "authoring.core.values",
    "TM": "authoring.core.values",
    "DT": "authoring.core.values",
    "DS": "authoring.core.values",
    "IS": "authoring.core.values",
    "CharacterSet": "authoring.core.charset",
    "character_set": "authoring.core.charset",
    "TransferSyntax": "authoring.core.transfer_syntax",
    "transfer_syntax": "authoring.core.transfer_syntax",
    "EncapsulatedPixelData": "authoring.encoding.encapsulated",
    "validate": "authoring.validation.iod",
    "codify": "authoring.codifier",
    "codify_to": "authoring.codifier",
    "CodifyResult": "authoring.codifier",
    "Report": "authoring.validation.iod",
}

__all__ = [  # every name of _EXPORTS (a test checks the two agree)
    "__version__", "CharacterSet", "CodifyResult", "DA", "DS", "DT", "DataElement", "Dataset",
    "EncapsulatedPixelData", "IS", "PersonName", "PrivateBlock", "Report", "Sequence", "TM",
    "Tag", "TransferSyntax", "UID", "VR", "character_set", "codify", "codify_to",
    "generate_uid", "read", "to_bytes", "transfer_syntax", "validate", "write",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'authoring' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
