"""Which IODs and storage SOP classes of the standard an edition's PS3.3 tables cover.

The standard's list of storage SOP classes is PS3.6's UID table (its "SOP Class" entries
named "... Storage ...", Storage Commitment excepted); an SOP class is covered when an IOD
of the PS3.3 tables names it.
"""

from __future__ import annotations

from dataclasses import dataclass

from authoring.compiler.ir import Edition, UIDEntry
from authoring.compiler.ir_iods import IODEdition


@dataclass(frozen=True)
class Coverage:
    """Storage SOP classes with and without an IOD, and the IODs by SOP class."""

    covered: list[tuple[UIDEntry, str]]  # SOP class, the IOD builder name
    missing: list[UIDEntry]
    iods_without_storage_class: list[str]


def storage_sop_classes(edition: Edition) -> list[UIDEntry]:
    """PS3.6's storage SOP classes, in UID order."""
    return [u for u in edition.uids
            if u.type == "SOP Class" and "Storage" in u.name
            and not u.name.startswith("Storage Commitment")]


def coverage(edition: Edition, iods: IODEdition) -> Coverage:
    """Compare the storage SOP classes with the IODs' SOP classes."""
    iod_of = {uid: iod.name for iod in iods.iods if iod.base is None for uid in iod.sop_classes}
    storage = storage_sop_classes(edition)
    covered = [(u, iod_of[u.uid]) for u in storage if u.uid in iod_of]
    missing = [u for u in storage if u.uid not in iod_of]
    storage_uids = {u.uid for u in storage}
    without = sorted(iod.name for iod in iods.iods
                     if iod.base is None and not set(iod.sop_classes) & storage_uids)
    return Coverage(covered, missing, without)
