"""File Meta Information (PS3.10 7.1): built for new data sets, checked for read ones.

Rules applied when writing:

- (0002,0001) File Meta Information Version is ``00 01`` unless already present;
- (0002,0002) / (0002,0003) Media Storage SOP Class / Instance UID follow the data set's
  SOP Class UID (0008,0016) and SOP Instance UID (0008,0018);
- (0002,0010) Transfer Syntax UID is the syntax actually written;
- (0002,0012) / (0002,0013): kept when present (they name the implementation that created
  the file), otherwise this package's Implementation Class UID and Version Name;
- (0002,0000) group length is computed by the writer.

Elements already correct keep their original bytes, so a file read and written again keeps
its meta byte for byte. When a file's meta disagrees with its data set (seen in anonymized
files) and neither has been changed since reading, the meta is kept as read with a
:class:`FileMetaWarning`; once the data set's UID is changed, the meta follows it.
"""

from __future__ import annotations

import warnings
from typing import Any, cast

from authoring._version import __version__
from authoring.core.transfer_syntax import TransferSyntax
from authoring.core.uid import IMPLEMENTATION_CLASS_UID
from authoring.errors import WriteError
from authoring.object.dataset import Dataset, DatasetBase

FILE_META_VERSION = 0x00020001
MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002
MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003
TRANSFER_SYNTAX_UID = 0x00020010
IMPLEMENTATION_CLASS_UID_TAG = 0x00020012
IMPLEMENTATION_VERSION_NAME = 0x00020013
SOP_CLASS_UID = 0x00080016
SOP_INSTANCE_UID = 0x00080018

IMPLEMENTATION_VERSION = f"AUTHORING_{__version__}"[:16]


def _set_if_different(meta: DatasetBase, tag: int, vr: str, value: object) -> None:
    element = meta.get_element(tag)
    if element is not None and element.value == value:
        return
    meta.set_value(tag, value, vr)


def _both_as_read(dataset: DatasetBase, source: int, meta: DatasetBase, target: int, value: str
                  ) -> bool:
    """True when the meta and the data set disagree but neither was changed since reading:
    the file is kept as it was (with a warning) rather than silently edited."""
    data_element = dataset.get_element(source)
    meta_element = meta.get_element(target)
    if data_element is None or meta_element is None:
        return False
    if data_element.is_modified or meta_element.is_modified or meta_element.value == value:
        return False
    warnings.warn(
        f"file meta {meta_element.keyword} {meta_element.value!r} differs from the data set's "
        f"{data_element.keyword} {value!r}; both are as read, so the meta is kept as it was",
        FileMetaWarning, stacklevel=5,
    )
    return True


class FileMetaWarning(UserWarning):
    """The file meta disagrees with the data set and was kept as read."""


def build_file_meta(dataset: DatasetBase, syntax: TransferSyntax, *, require_uids: bool
                    ) -> DatasetBase:
    """The File Meta Information to write with ``dataset`` in ``syntax``.

    Starts from ``dataset.file_meta`` (copied, never modified in place). With
    ``require_uids``, a data set without SOP Class and Instance UIDs (and no meta giving
    them) is refused, as PS3.10 requires both.
    """
    meta = dataset.file_meta.copy() if dataset.file_meta is not None else Dataset()
    if FILE_META_VERSION not in meta:
        meta.set_value(FILE_META_VERSION, b"\x00\x01", "OB")
    for source, target in ((SOP_CLASS_UID, MEDIA_STORAGE_SOP_CLASS_UID),
                           (SOP_INSTANCE_UID, MEDIA_STORAGE_SOP_INSTANCE_UID)):
        value: Any = dataset.get(source)
        if isinstance(value, tuple):
            several = cast("tuple[Any, ...]", value)
            value = several[0] if several else None
        if value:
            if _both_as_read(dataset, source, meta, target, str(value)):
                continue
            _set_if_different(meta, target, "UI", str(value))
        elif target not in meta or not meta.get(target):
            if require_uids:
                name = "SOP Class UID (0008,0016)" if source == SOP_CLASS_UID else \
                    "SOP Instance UID (0008,0018)"
                raise WriteError(f"a Part 10 file needs {name} in the data set (or its Media "
                                 "Storage twin in file_meta); set it, or write with "
                                 "validation='ignore'")
            meta.set_value(target, "", "UI")
    _set_if_different(meta, TRANSFER_SYNTAX_UID, "UI", syntax.uid)
    if not meta.get(IMPLEMENTATION_CLASS_UID_TAG):
        meta.set_value(IMPLEMENTATION_CLASS_UID_TAG, IMPLEMENTATION_CLASS_UID, "UI")
        meta.set_value(IMPLEMENTATION_VERSION_NAME, IMPLEMENTATION_VERSION, "SH")
    for tag in [t for t in meta.keys() if t >> 16 != 0x0002]:
        del meta[tag]
    return meta
