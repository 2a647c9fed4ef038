"""Functional groups of enhanced multi-frame instances made to describe a real acquisition:
each frame's position along a stack (Plane Position per frame, stepping along the normal of
the orientation, matching the pixel content), frame times that follow the content time, and
a two-dimensional index (Stack ID, In-Stack Position Number) declared in the Multi-frame
Dimension module (PS3.3 C.7.6.17, C.7.6.16.2.2)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase


def _items(dataset: DatasetBase, keyword: str) -> list[Any]:
    element = dataset.get(keyword)
    if isinstance(element, (list, tuple)):
        return list(cast("list[Any] | tuple[Any, ...]", element))
    return []


def _start(dataset: DatasetBase) -> dt.datetime:
    date = str(dataset.get("ContentDate") or dataset.get("AcquisitionDate") or "20200101")
    time = str(dataset.get("ContentTime") or dataset.get("AcquisitionTime") or "000000")
    return dt.datetime.strptime(date[:8] + time[:6].ljust(6, "0"), "%Y%m%d%H%M%S")


def _frame_times(per_frame: list[Any], start: dt.datetime) -> None:
    for index, item in enumerate(per_frame):
        for content in _items(item, "FrameContentSequence"):
            duration = float(content.get("FrameAcquisitionDuration") or 100.0)
            moment = (start + dt.timedelta(milliseconds=duration * index)).strftime(
                "%Y%m%d%H%M%S.%f")
            for keyword in ("FrameAcquisitionDateTime", "FrameReferenceDateTime"):
                if keyword in content:
                    content.set_value(keyword, moment)


def _stack(dataset: DatasetBase, per_frame: list[Any], shared: Any, first_position: float,
           spacing: float, pixel_spacing: float, field_of_view: float,
           organization_uid: str) -> bool:
    """Plane Position per frame along a stack (:func:`set_stack`); False when the instance
    has no plane position to move (not a patient-based enhanced image)."""
    from authoring.builders.functional_groups import set_stack

    in_shared = shared is not None and "PlanePositionSequence" in shared
    if not in_shared and not all("PlanePositionSequence" in item for item in per_frame):
        return False
    corner = -field_of_view / 2
    thickness = spacing if any("SliceThickness" in measures for group in
                               ([shared] if shared is not None else []) + per_frame
                               for measures in _items(group, "PixelMeasuresSequence")) \
        else None
    set_stack(dataset, positions=[(corner, corner, first_position + index * spacing)
                                  for index in range(len(per_frame))],
              pixel_spacing=(round(pixel_spacing, 4), round(pixel_spacing, 4)),
              slice_thickness=thickness, organization_uid=organization_uid)
    return True


def realistic_functional_groups(dataset: DatasetBase, *, first_position: float,
                                spacing: float, organization_uid: str) -> bool:
    """Make an enhanced multi-frame instance's functional groups describe a stack of
    ``spacing`` mm; False (nothing changed) when it has no per-frame groups."""
    per_frame = _items(dataset, "PerFrameFunctionalGroupsSequence")
    if not per_frame:
        return False
    shared_items = _items(dataset, "SharedFunctionalGroupsSequence")
    shared = shared_items[0] if shared_items else None
    rows = int(dataset.get("Rows") or 64)
    columns = int(dataset.get("Columns") or 64)
    modality = str(dataset.get("Modality") or "")
    field_of_view = 350.0 if modality == "CT" else 240.0
    _frame_times(per_frame, _start(dataset))
    _stack(dataset, per_frame, shared, first_position, spacing,
           field_of_view / max(rows, columns), field_of_view, organization_uid)
    return True



def tile_total_pixel_matrix(dataset: DatasetBase) -> bool:
    """Make a TILED_FULL instance's Total Pixel Matrix hold its frames exactly (PS3.3
    C.7.6.17.3): the frames of each focal plane and optical path laid out as a grid of
    tiles as near square as their number allows, the Imaged Volume to match the pixel
    spacing; False when the instance is not TILED_FULL."""
    import math

    if str(dataset.get("DimensionOrganizationType") or "") != "TILED_FULL" or \
            "TotalPixelMatrixColumns" not in dataset:
        return False
    frames = int(str(dataset.get("NumberOfFrames") or 1))
    planes = int(str(dataset.get("TotalPixelMatrixFocalPlanes") or 1))
    paths = int(str(dataset.get("NumberOfOpticalPaths") or 1))
    if frames % (planes * paths):
        planes = paths = 1
        for keyword in ("TotalPixelMatrixFocalPlanes", "NumberOfOpticalPaths"):
            if keyword in dataset:
                dataset.set_value(keyword, 1)
    tiles = frames // (planes * paths)
    down = max(d for d in range(1, math.isqrt(tiles) + 1) if tiles % d == 0)
    across = tiles // down
    columns = across * int(str(dataset.get("Columns") or 1))
    rows = down * int(str(dataset.get("Rows") or 1))
    dataset.set_value("TotalPixelMatrixColumns", columns)
    dataset.set_value("TotalPixelMatrixRows", rows)
    spacing = 0.0
    for group in _items(dataset, "SharedFunctionalGroupsSequence"):
        for measures in _items(group, "PixelMeasuresSequence"):
            value = measures.get("PixelSpacing")
            if isinstance(value, (list, tuple)) and value:
                spacing = float(str(cast("list[Any]", value)[0]))
    if spacing > 0:
        for keyword, count in (("ImagedVolumeWidth", columns), ("ImagedVolumeHeight", rows)):
            if keyword in dataset:
                dataset.set_value(keyword, count * spacing)
    return True
