"""The DICOMDIR of a File-set (PS3.10 8, PS3.3 F): a Basic Directory whose records index
the files below a folder, patient > study > series > instance, with the byte offsets that
link them.

The keys each record needs come from the compiled Basic Directory IOD: the records are
built with the keys every reader expects, then every key our validator still finds
missing is copied from the file the record stands for (Type 2 keys the file lacks stay
empty). Offsets are computed from the encoded sizes, so the directory is written once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from authoring.errors import AuthoringError

MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10"
_FILE_ID = re.compile(r"^[A-Z0-9_]{1,8}$")

#: Directory Record Type by SOP Class, where it is not IMAGE (PS3.3 F.5).
_RECORD_BY_SOP_CLASS = {
    "1.2.840.10008.5.1.4.1.1.66": "RAW DATA",
    "1.2.840.10008.5.1.4.1.1.4.2": "SPECTROSCOPY",
    "1.2.840.10008.5.1.4.1.1.66.1": "REGISTRATION",
    "1.2.840.10008.5.1.4.1.1.66.3": "REGISTRATION",
    "1.2.840.10008.5.1.4.1.1.66.2": "FIDUCIAL",
    "1.2.840.10008.5.1.4.1.1.66.5": "SURFACE",
    "1.2.840.10008.5.1.4.1.1.67": "VALUE MAP",
    "1.2.840.10008.5.1.4.1.1.77.1.5.3": "STEREOMETRIC",
    "1.2.840.10008.5.1.4.38.1": "HANGING PROTOCOL",
    "1.2.840.10008.5.1.4.39.1": "PALETTE",
    **{f"1.2.840.10008.5.1.4.1.1.78.{n}": "MEASUREMENT" for n in range(1, 9)},
    "1.2.840.10008.5.1.4.1.1.80.1": "MEASUREMENT",
    **{f"1.2.840.10008.5.1.4.1.1.104.{n}": "ENCAP DOC" for n in range(1, 6)},
    **{f"1.2.840.10008.5.1.4.1.1.481.{n}": "RT TREAT RECORD" for n in (4, 6, 7, 9)},
    "1.2.840.10008.5.1.4.1.1.481.8": "RT PLAN",
}
#: Directory Record Type by Modality, for the other instances without pixel data.
_RECORD_BY_MODALITY = {
    "SR": "SR DOCUMENT", "KO": "KEY OBJECT DOC", "PR": "PRESENTATION", "RTDOSE": "RT DOSE",
    "RTSTRUCT": "RT STRUCTURE SET", "RTPLAN": "RT PLAN", "RTRECORD": "RT TREAT RECORD",
    "DOC": "ENCAP DOC", "ECG": "WAVEFORM", "HD": "WAVEFORM", "EPS": "WAVEFORM",
    "AU": "WAVEFORM", "RESP": "WAVEFORM",
}
_LEVEL_KEYS = {
    "PATIENT": ("PatientName", "PatientID"),
    "STUDY": ("StudyDate", "StudyTime", "StudyDescription", "StudyInstanceUID", "StudyID",
              "AccessionNumber"),
    "SERIES": ("Modality", "SeriesInstanceUID", "SeriesNumber"),
}


class DicomdirError(AuthoringError, ValueError):
    """A folder that cannot be described by a DICOMDIR as asked."""


@dataclass
class _Node:
    record_type: str
    source: Any  # the header of the file the record stands for (or the first of its level)
    path: Path | None = None
    children: dict[str, _Node] = field(default_factory=dict[str, "_Node"])


def file_id(path: Path, root: Path) -> tuple[str, ...]:
    """The Referenced File ID of ``path``: its components below ``root``, each one to eight
    of A-Z, 0-9 and _ (PS3.10 8.2), at most eight deep."""
    parts = path.relative_to(root).parts
    bad = [p for p in parts if not _FILE_ID.match(p)]
    if bad or len(parts) > 8:
        raise DicomdirError(f"{path}: a File ID needs at most 8 components of 1 to 8 "
                            f"upper-case letters, digits or _ (not {bad[0] if bad else parts!r}); "
                            "`authoring dicomdir FOLDER --copy-to NEW` copies the files into a "
                            "File-set with such names")
    return parts


def record_type(header: Any) -> str:
    """The Directory Record Type for an instance: by its Modality where that has its own
    record (RT DOSE, SR DOCUMENT, ...), else IMAGE for anything with pixels."""
    modality = str(header.get("Modality") or "")
    found = _RECORD_BY_SOP_CLASS.get(str(header.get("SOPClassUID") or "")) or \
        _RECORD_BY_MODALITY.get(modality)
    if found is None and any(k in header for k in ("PixelData", "FloatPixelData",
                                                   "DoubleFloatPixelData")):
        return "IMAGE"
    if found is None:
        what = modality or "an instance without Modality"
        raise DicomdirError(f"no directory record type known here for {what} "
                            f"({header.get('SOPClassUID')})")
    return found


def _tree(files: Iterable[Path]) -> dict[str, _Node]:
    from authoring.io.reader import read

    patients: dict[str, _Node] = {}
    for path in sorted(files):
        header = read(path, defer_size="64 KB")  # big values stay in the file
        if header.file_meta is not None and \
                header.file_meta.get("MediaStorageSOPClassUID") == MEDIA_STORAGE_DIRECTORY:
            continue  # another directory is not an instance of the File-set
        patient = patients.setdefault(str(header.get("PatientID") or ""),
                                      _Node("PATIENT", header))
        study = patient.children.setdefault(str(header.get("StudyInstanceUID") or ""),
                                            _Node("STUDY", header))
        series = study.children.setdefault(str(header.get("SeriesInstanceUID") or ""),
                                           _Node("SERIES", header))
        uid = str(header.get("SOPInstanceUID") or path)
        if uid in series.children:
            raise DicomdirError(f"{path}: SOP Instance UID {uid} is already in the File-set")
        series.children[uid] = _Node(record_type(header), header, path)
    return patients


def _record(node: _Node, root: Path) -> Any:
    from authoring.object.dataset import Dataset

    record = Dataset()
    record.set_value("OffsetOfTheNextDirectoryRecord", 0, "UL")
    record.set_value("RecordInUseFlag", 0xFFFF, "US")
    record.set_value("OffsetOfReferencedLowerLevelDirectoryEntity", 0, "UL")
    record.DirectoryRecordType = node.record_type
    source = node.source
    charset = source.get("SpecificCharacterSet")
    if charset:
        record.SpecificCharacterSet = charset
    for keyword in _LEVEL_KEYS.get(node.record_type, ("InstanceNumber",)):
        value = source.get(keyword)
        if keyword == "Modality" and not value:
            value = "OT"  # Type 1 in the series record; Type 3 in some IODs (SC)
        record.set_value(keyword, value if value is not None else "")
    if node.path is not None:
        record.ReferencedFileID = file_id(node.path, root)
        record.ReferencedSOPClassUIDInFile = source.SOPClassUID
        record.ReferencedSOPInstanceUIDInFile = source.SOPInstanceUID
        meta = source.file_meta
        syntax = meta.get("TransferSyntaxUID") if meta is not None else None
        if not syntax:
            raise DicomdirError(f"{node.path}: no File Meta Information (or no Transfer "
                                "Syntax UID in it); a File-set holds Part 10 files only "
                                "(`authoring dicomdir FOLDER --copy-to NEW` copies the files "
                                "into a File-set, adding what they lack)")
        record.ReferencedTransferSyntaxUIDInFile = syntax
    return record


def _flatten(nodes: dict[str, _Node], root: Path, out: list[tuple[Any, _Node, list[int]]]
             ) -> list[int]:
    """Depth-first records; returns the indices of this level's records."""
    level: list[int] = []
    for node in nodes.values():
        index = len(out)
        children: list[int] = []
        out.append((_record(node, root), node, children))
        level.append(index)
        children.extend(_flatten(node.children, root, out))
    return level


def _complete(directory: Any, sources: list[Any]) -> None:
    """Copy from each record's file the keys the validator still finds missing."""
    from authoring.validation.iod import validate

    for _ in range(3):
        report = validate(directory, "BasicDirectory")
        changed = False
        for finding in report.errors:
            match = re.fullmatch(r"DirectoryRecordSequence\[(\d+)\]\.(\w+)", finding.path or "")
            if match is None or finding.rule not in ("type1-missing", "type2-missing",
                                                     "type1c-missing", "type2c-missing"):
                continue
            index, keyword = int(match.group(1)), match.group(2)
            record = directory.DirectoryRecordSequence[index]
            value = sources[index].get(keyword)
            if value is None and finding.rule.startswith("type2"):
                value = ""
            if value is not None and keyword not in record:
                record.set_value(keyword, value)
                changed = True
        if not changed:
            return


def build_dicomdir(root: Path, files: Iterable[Path] | None = None,
                   fileset_id: str = "", *, strict: bool = True) -> Any:
    """The DICOMDIR data set for ``files`` (default: every file below ``root`` but a
    DICOMDIR), offsets included. ``strict``: a record the Basic Directory IOD still finds
    fault with, once completed from its file, is an error rather than written."""
    from authoring.io.output import visible_files
    from authoring.io.reader import read
    from authoring.io.writer import chunk_size, encode_dataset, to_bytes
    from authoring.object.dataset import Dataset

    chosen = [p for p in (files if files is not None else visible_files(root))
              if p.is_file() and p.name != "DICOMDIR"]
    if not chosen:
        raise DicomdirError(f"{root}: no files to index")
    flat: list[tuple[Any, _Node, list[int]]] = []
    top = _flatten(_tree(chosen), root, flat)
    if not top:
        raise DicomdirError(f"{root}: no instances to index (only directories)")
    directory = Dataset()
    directory.FileSetID = fileset_id
    directory.set_value("OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity", 0, "UL")
    directory.set_value("OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity", 0, "UL")
    directory.set_value("FileSetConsistencyFlag", 0, "US")
    directory.DirectoryRecordSequence = [record for record, _, _ in flat]
    directory.file_meta = Dataset()
    directory.file_meta.MediaStorageSOPClassUID = MEDIA_STORAGE_DIRECTORY
    directory.file_meta.MediaStorageSOPInstanceUID = _uid(flat)
    directory.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    _complete(directory, [node.source for _, node, _ in flat])
    if strict:
        from authoring.validation.iod import validate

        errors = validate(directory, "BasicDirectory").errors
        if errors:
            raise DicomdirError("the directory records cannot be completed from their "
                                f"files: {'; '.join(str(e) for e in errors[:3])}")
    records = directory.DirectoryRecordSequence
    # where the records start: encode once (offsets are UL: their values change no size)
    start = read(to_bytes(directory, validation="ignore")
                           )["DirectoryRecordSequence"].offset or 0
    offsets: list[int] = []
    position = start
    for record in records:
        offsets.append(position)
        size = sum(chunk_size(c) for c in encode_dataset(record, validation="ignore"))
        position += 8 + size  # item header and the record
    for record, _, children in flat:
        record.set_value("OffsetOfReferencedLowerLevelDirectoryEntity",
                         offsets[children[0]] if children else 0, "UL")
    for level in [top] + [children for _, _, children in flat]:
        for here, after in zip(level, level[1:], strict=False):
            records[here].set_value("OffsetOfTheNextDirectoryRecord", offsets[after], "UL")
    directory.set_value("OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity",
                        offsets[top[0]], "UL")
    directory.set_value("OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity",
                        offsets[top[-1]], "UL")
    return directory


def _uid(flat: list[tuple[Any, _Node, list[int]]]) -> str:
    """A UID for the DICOMDIR from the instances it indexes (the same File-set, the same
    UID)."""
    import hashlib

    text = "\x1f".join(str(record.get("ReferencedSOPInstanceUIDInFile") or "")
                       for record, _, _ in flat)
    return f"2.25.{int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], 'big')}"


def write_dicomdir(root: Path, files: Iterable[Path] | None = None,
                   fileset_id: str = "", *, strict: bool = True) -> Path:
    """Write ``root/DICOMDIR`` for the files below ``root`` (atomically); return its path.
    See :func:`build_dicomdir` for ``strict``.

    Safe against concurrent writers: each takes the folder's lock, lists the files and
    writes the directory while holding it, and files being written are hidden temporary
    files until complete; so the last writer indexes every file finished before it."""
    from authoring.io.output import folder_lock
    from authoring.io.writer import write

    if not root.is_dir():
        raise DicomdirError(f"{root}: no files to index (not a folder)")
    with folder_lock(root):
        directory = build_dicomdir(root, files, fileset_id, strict=strict)
        target = root / "DICOMDIR"
        write(directory, target, validation="ignore")
    return target


def copy_into_fileset(files: Iterable[Path], destination: Path) -> list[Path]:
    """Copy DICOM files into a new File-set tree under ``destination`` whose names are valid
    File IDs: ``P0001/ST0001/SE0001/IM0001``, numbered by patient, study and series in the
    order of their IDs and UIDs, instances by Instance Number. A file with File Meta
    Information is copied byte for byte; one without is written with the meta it lacks.
    Returns the new paths (the folder must not hold files yet)."""
    from authoring.io.output import visible_files, write_bytes
    from authoring.io.reader import read
    from authoring.io.writer import write

    if destination.exists() and any(visible_files(destination)):
        raise DicomdirError(f"{destination}: not empty; copy into a new folder")
    entries: list[tuple[tuple[str, str, str], int, str, Path, Any]] = []
    for path in sorted(files):
        header = read(path, stop_before="PixelData")
        number = header.get("InstanceNumber")
        entries.append(((str(header.get("PatientID") or ""),
                         str(header.get("StudyInstanceUID") or ""),
                         str(header.get("SeriesInstanceUID") or "")),
                        int(number) if isinstance(number, int) else 0,
                        str(header.get("SOPInstanceUID") or ""), path, header))
    if not entries:
        raise DicomdirError("no files to copy")
    places: dict[tuple[str, ...], int] = {}

    def index(key: tuple[str, ...]) -> int:
        if key not in places:
            places[key] = 1 + sum(1 for k in places if len(k) == len(key) and k[:-1] == key[:-1])
        return places[key]

    written: list[Path] = []
    for (patient, study, series), _, _, path, header in sorted(entries, key=lambda e: e[:3]):
        folder = destination / f"P{index((patient,)):04d}" / \
            f"ST{index((patient, study)):04d}" / f"SE{index((patient, study, series)):04d}"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"IM{index((patient, study, series, str(path))):04d}"
        if header.file_meta is not None and header.file_meta.get("TransferSyntaxUID"):
            write_bytes(target, path.read_bytes(), durable=False, overwrite=False)
        else:
            write(read(path), target, validation="ignore", part10=True, durable=False,
                  overwrite=False)
        written.append(target)
    return written
