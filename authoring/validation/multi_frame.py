"""Rules of tiled multi-frame images that their attribute tables do not carry: a TILED_FULL
instance holds exactly one frame per tile of its Total Pixel Matrix, per focal plane and
per optical path (PS3.3 C.7.6.17.3)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase


class MultiFrameFinding(NamedTuple):
    """One finding: its rule, message and the attribute it names."""

    rule: str
    message: str
    keyword: str


def _count(dataset: DatasetBase, keyword: str, default: int | None = None) -> int | None:
    value = dataset.get(keyword)
    try:
        return int(str(value)) if value not in (None, "") else default
    except ValueError:
        return None


def check_tiled_full(dataset: DatasetBase) -> Iterator[MultiFrameFinding]:
    """Number of Frames of a TILED_FULL instance against its tiling."""
    if str(dataset.get("DimensionOrganizationType") or "").strip() != "TILED_FULL":
        return
    sizes = {keyword: _count(dataset, keyword) for keyword in (
        "Rows", "Columns", "TotalPixelMatrixRows", "TotalPixelMatrixColumns",
        "NumberOfFrames")}
    if any(value is None or value <= 0 for value in sizes.values()):
        return  # missing or malformed values are reported by the attribute rules
    planes = _count(dataset, "TotalPixelMatrixFocalPlanes", 1) or 1
    paths = _count(dataset, "NumberOfOpticalPaths", 1) or 1
    across = math.ceil((sizes["TotalPixelMatrixColumns"] or 1) / (sizes["Columns"] or 1))
    down = math.ceil((sizes["TotalPixelMatrixRows"] or 1) / (sizes["Rows"] or 1))
    expected = across * down * planes * paths
    if sizes["NumberOfFrames"] != expected:
        yield MultiFrameFinding(
            "tiled-full-frames",
            f"Number of Frames is {sizes['NumberOfFrames']}; a TILED_FULL Total Pixel Matrix "
            f"of {sizes['TotalPixelMatrixColumns']} x {sizes['TotalPixelMatrixRows']} in "
            f"{sizes['Columns']} x {sizes['Rows']} tiles ({across} x {down}), {planes} focal "
            f"plane(s) and {paths} optical path(s) has {expected} (PS3.3 C.7.6.17.3)",
            "NumberOfFrames")
