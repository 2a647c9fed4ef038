"""Import PS3.6 from David Clunie's dicom3tools templates (``libsrc/standard``).

The templates are line oriented: a tag in parentheses (for data elements) followed by
``Key="value"`` pairs. Blank lines and ``#`` comments are ignored. Files read:

- ``elmdict/dicom3.tpl``: the public data dictionary (``VERS="3"`` current, ``"RET"`` retired);
- ``elmdict/<vendor>.tpl``: private dictionaries (rows with ``Owner=``, the private creator);
- ``sopcl.tpl``: SOP classes and well-known instances;
- ``transyn.tpl``: transfer syntaxes with their byte order, VR form and encapsulation.
"""

from __future__ import annotations

import re
from pathlib import Path

from authoring.compiler.ir import (
    Edition,
    ElementEntry,
    PrivateElementEntry,
    TransferSyntaxEntry,
    UIDEntry,
    normalize_vm,
    normalize_vr,
)
from authoring.errors import DictionarySourceError

_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_TAG_AT_START = re.compile(r"^\(([0-9A-Fa-fx]{4}),([0-9A-Fa-fx]{4})\)")

#: Keywords PS3.6 Table A-1 gives transfer syntaxes whose dicom3tools names differ, and the
#: retirement status the current edition records (dicom3tools does not mark either).
#: Facts of the standard: (keyword, retired).
TRANSFER_SYNTAX_FACTS: dict[str, tuple[str, bool]] = {
    "1.2.840.10008.1.2": ("ImplicitVRLittleEndian", False),
    "1.2.840.10008.1.2.1": ("ExplicitVRLittleEndian", False),
    "1.2.840.10008.1.2.1.99": ("DeflatedExplicitVRLittleEndian", False),
    "1.2.840.10008.1.2.2": ("ExplicitVRBigEndian", True),
    "1.2.840.10008.1.2.4.50": ("JPEGBaseline8Bit", False),
    "1.2.840.10008.1.2.4.51": ("JPEGExtended12Bit", False),
    "1.2.840.10008.1.2.4.52": ("JPEGExtended35", True),
    "1.2.840.10008.1.2.4.53": ("JPEGSpectralSelectionNonHierarchical68", True),
    "1.2.840.10008.1.2.4.54": ("JPEGSpectralSelectionNonHierarchical79", True),
    "1.2.840.10008.1.2.4.55": ("JPEGFullProgressionNonHierarchical1012", True),
    "1.2.840.10008.1.2.4.56": ("JPEGFullProgressionNonHierarchical1113", True),
    "1.2.840.10008.1.2.4.57": ("JPEGLossless", False),
    "1.2.840.10008.1.2.4.58": ("JPEGLosslessNonHierarchical15", True),
    "1.2.840.10008.1.2.4.59": ("JPEGExtendedHierarchical1618", True),
    "1.2.840.10008.1.2.4.60": ("JPEGExtendedHierarchical1719", True),
    "1.2.840.10008.1.2.4.61": ("JPEGSpectralSelectionHierarchical2022", True),
    "1.2.840.10008.1.2.4.62": ("JPEGSpectralSelectionHierarchical2123", True),
    "1.2.840.10008.1.2.4.63": ("JPEGFullProgressionHierarchical2426", True),
    "1.2.840.10008.1.2.4.64": ("JPEGFullProgressionHierarchical2527", True),
    "1.2.840.10008.1.2.4.65": ("JPEGLosslessHierarchical28", True),
    "1.2.840.10008.1.2.4.66": ("JPEGLosslessHierarchical29", True),
    "1.2.840.10008.1.2.4.70": ("JPEGLosslessSV1", False),
    "1.2.840.10008.1.2.4.80": ("JPEGLSLossless", False),
    "1.2.840.10008.1.2.4.81": ("JPEGLSNearLossless", False),
    "1.2.840.10008.1.2.4.90": ("JPEG2000Lossless", False),
    "1.2.840.10008.1.2.4.91": ("JPEG2000", False),
    "1.2.840.10008.1.2.4.100": ("MPEG2MPML", False),
    "1.2.840.10008.1.2.4.101": ("MPEG2MPHL", False),
    "1.2.840.10008.1.2.4.102": ("MPEG4HP41", False),
    "1.2.840.10008.1.2.4.103": ("MPEG4HP41BD", False),
    "1.2.840.10008.1.2.4.104": ("MPEG4HP422D", False),
    "1.2.840.10008.1.2.4.105": ("MPEG4HP423D", False),
    "1.2.840.10008.1.2.4.106": ("MPEG4HP42STEREO", False),
    "1.2.840.10008.1.2.4.110": ("JPEGXLLossless", False),
    "1.2.840.10008.1.2.4.111": ("JPEGXLJPEGRecompression", False),
    "1.2.840.10008.1.2.4.112": ("JPEGXL", False),
    "1.2.840.10008.1.2.4.201": ("HTJ2KLossless", False),
    "1.2.840.10008.1.2.4.202": ("HTJ2KLosslessRPCL", False),
    "1.2.840.10008.1.2.4.203": ("HTJ2K", False),
    "1.2.840.10008.1.2.5": ("RLELossless", False),
    "1.2.840.10008.1.20": ("Papyrus3ImplicitVRLittleEndian", True),
}

DEFLATED_TRANSFER_SYNTAXES = frozenset({"1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.4.95"})

STANDARD_UID_ROOT = "1.2.840.10008."


def records(path: Path) -> list[tuple[int, str | None, dict[str, str]]]:
    """Return ``(line number, printed tag or None, attributes)`` for each non-blank line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    except OSError as exc:
        raise DictionarySourceError(f"cannot read: {exc.strerror}", path=path) from exc
    out: list[tuple[int, str | None, dict[str, str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _TAG_AT_START.match(stripped)
        tag = None
        if match is not None:
            tag = f"({match.group(1).upper()},{match.group(2).upper()})".replace("X", "x")
        attributes = dict(_ATTRIBUTE.findall(stripped))
        if not attributes:
            raise DictionarySourceError(f"no Key=\"value\" pairs in {stripped[:60]!r}",
                                        path=path, line=number)
        out.append((number, tag, attributes))
    return out


def _require(attributes: dict[str, str], key: str, path: Path, line: int) -> str:
    try:
        return attributes[key]
    except KeyError:
        raise DictionarySourceError(f"missing {key}=", path=path, line=line) from None


#: VERS values of public rows: "3" current, "RET" retired; DICONDE and DICOS rows are listed
#: in PS3.6 Table 6-1 too (retired ones carry "(Retired)" in their name).
PUBLIC_VERSIONS = frozenset({"3", "RET", "DICONDE", "DICOS"})

#: Vendor-directory files whose rows are public PS3.6 elements, not private ones.
PUBLIC_EXTENSION_FILES = ("diconde.tpl", "dicos.tpl")


def read_public_elements(path: Path) -> list[ElementEntry]:
    """Read a public dictionary template (``dicom3.tpl``, ``diconde.tpl``, ``dicos.tpl``)."""
    entries: list[ElementEntry] = []
    for line, tag, attrs in records(path):
        if tag is None:
            raise DictionarySourceError("row without a tag", path=path, line=line)
        vers = _require(attrs, "VERS", path, line)
        if vers not in PUBLIC_VERSIONS:
            raise DictionarySourceError(f"unexpected VERS={vers!r}", path=path, line=line)
        name = " ".join(_require(attrs, "Name", path, line).split())
        retired = vers == "RET" or name.endswith("(Retired)")
        entries.append(
            ElementEntry(
                tag=tag,
                keyword=_require(attrs, "Keyword", path, line),
                name=name.removesuffix("(Retired)").strip(),
                vr=normalize_vr(_require(attrs, "VR", path, line)),
                vm=normalize_vm(_require(attrs, "VM", path, line)).lstrip("\\"),
                retired=retired,
            )
        )
    return entries


def read_private_elements(path: Path) -> tuple[list[PrivateElementEntry], int]:
    """Read a vendor ``elmdict`` file; return its private entries and how many rows had no
    ``Owner`` (public extensions such as DICONDE, which are not private data elements)."""
    entries: list[PrivateElementEntry] = []
    skipped = 0
    for line, tag, attrs in records(path):
        if tag is None:
            raise DictionarySourceError("row without a tag", path=path, line=line)
        owner = attrs.get("Owner")
        if owner is None:
            skipped += 1
            continue
        group = tag[1:5]
        element = int(tag[6:10].replace("x", "0"), 16)
        keyword = attrs.get("Keyword", "")
        name = attrs.get("Name", "")
        entries.append(
            PrivateElementEntry(
                creator=owner,
                group=group,
                offset=element & 0xFF,
                vr=normalize_vr(_require(attrs, "VR", path, line)),
                vm=normalize_vm(attrs.get("VM", "1")).lstrip("\\"),
                keyword="" if keyword == "?" else keyword,
                name="" if name == "?" else name,
                source=path.stem,
            )
        )
    return entries, skipped


def _uid_type(attrs: dict[str, str]) -> str:
    if attrs.get("Type") == "Instance":
        return "Well-known SOP Instance"
    if attrs["Name"].endswith("Meta") or attrs["Name"].endswith("MetaRetired"):
        return "Meta SOP Class"
    return "SOP Class"


def read_sop_classes(path: Path) -> list[UIDEntry]:
    """Read ``sopcl.tpl``: SOP classes, meta SOP classes and well-known SOP instances."""
    entries: dict[str, UIDEntry] = {}
    for line, _tag, attrs in records(path):
        uid = _require(attrs, "Uid", path, line)
        desc = _require(attrs, "Desc", path, line)
        keyword = _require(attrs, "Name", path, line)
        retired = desc.endswith("- Retired") or keyword.endswith("Retired")
        name = desc.removesuffix(" - Retired").strip()
        if uid not in entries:
            entries[uid] = UIDEntry(uid=uid, keyword=keyword, name=name,
                                    type=_uid_type(attrs), retired=retired)
    return list(entries.values())


def read_transfer_syntaxes(path: Path) -> list[TransferSyntaxEntry]:
    """Read ``transyn.tpl``; aliases sharing a UID (``Default``, ``MetaInformation``) merge."""
    entries: dict[str, TransferSyntaxEntry] = {}
    for line, _tag, attrs in records(path):
        uid = _require(attrs, "Uid", path, line)
        if uid in entries:
            continue
        keyword, retired = TRANSFER_SYNTAX_FACTS.get(uid, (attrs["Name"], False))
        entries[uid] = TransferSyntaxEntry(
            uid=uid,
            keyword=keyword,
            name=_require(attrs, "Desc", path, line),
            little_endian=_require(attrs, "Endian", path, line) == "little",
            explicit_vr=_require(attrs, "VR", path, line) == "explicit",
            encapsulated=_require(attrs, "Encap", path, line) == "yes",
            deflated=uid in DEFLATED_TRANSFER_SYNTAXES,
            retired=retired,
        )
    return list(entries.values())


def import_dicom3tools(root: Path) -> Edition:
    """Import a dicom3tools checkout (the directory holding ``VERSION`` and ``libsrc``)."""
    standard = root / "libsrc" / "standard"
    if not standard.is_dir():
        raise DictionarySourceError("no libsrc/standard directory", path=root)
    version_file = root / "VERSION"
    version = version_file.read_text().strip() if version_file.exists() else "unknown"
    snapshot = re.search(r"snapshot\.(\d{8})", version)
    edition = f"dicom3tools-{snapshot.group(1)}" if snapshot else f"dicom3tools-{version}"

    result = Edition(edition=edition, source=f"dicom3tools {version}")
    public = read_public_elements(standard / "elmdict" / "dicom3.tpl")
    for extension in PUBLIC_EXTENSION_FILES:
        public.extend(read_public_elements(standard / "elmdict" / extension))
    result.elements = sorted(public)
    private: list[PrivateElementEntry] = []
    for vendor in sorted((standard / "elmdict").glob("*.tpl")):
        if vendor.name == "dicom3.tpl" or vendor.name in PUBLIC_EXTENSION_FILES:
            continue
        entries, skipped = read_private_elements(vendor)
        private.extend(entries)
        if skipped:
            result.notes.append(
                f"{vendor.name}: {skipped} rows without Owner= (public extension, not private)"
            )
    # One creator may list the same offset twice (an older and a newer meaning); keep the first
    # in file order, which dicom3tools itself uses when it looks a private tag up.
    seen: set[tuple[str, str, int]] = set()
    unique: list[PrivateElementEntry] = []
    for entry in private:
        key = (entry.creator, entry.group, entry.offset)
        if key in seen:
            continue
        seen.add(key)
        unique.append(entry)
    result.private_elements = sorted(unique)
    result.uids = sorted(
        [u for u in read_sop_classes(standard / "sopcl.tpl") if u.uid.startswith(STANDARD_UID_ROOT)]
    )
    syntaxes = read_transfer_syntaxes(standard / "transyn.tpl")
    result.transfer_syntaxes = sorted(t for t in syntaxes if t.uid.startswith(STANDARD_UID_ROOT))
    result.uids = sorted(
        result.uids
        + [
            UIDEntry(uid=t.uid, keyword=t.keyword, name=t.name, type="Transfer Syntax",
                     retired=t.retired)
            for t in result.transfer_syntaxes
        ]
    )
    return result
