"""Functional groups of enhanced multi-frame instances made to describe a real acquisition:
each frame's position along a stack (Plane Position per frame, stepping along the normal of
the orientation, matching the pixel content), frame times that follow the content time, and
a two-dimensional index (Stack ID, In-Stack Position Number) declared in the Multi-frame
Dimension module (PS3.3 C.7.6.17, C.7.6.16.2.2)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase

#: (0020,9056) Stack ID and (0020,9057) In-Stack Position Number, in (0020,9111) Frame
#: Content Sequence: the dimensions of a stack of parallel planes.
STACK_ID = 0x00209056
IN_STACK_POSITION = 0x00209057
FRAME_CONTENT = 0x00209111


def _items(dataset: DatasetBase, keyword: str) -> list[Any]:
    element = dataset.get(keyword)
    return list(element) if isinstance(element, (list, tuple)) else []


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
           spacing: float, pixel_spacing: float, field_of_view: float) -> bool:
    """Plane Position per frame along a stack; False when the instance has no plane
    position to move (not a patient-based enhanced image)."""
    from authoring.object.dataset import Dataset

    holder = shared if shared is not None and "PlanePositionSequence" in shared else None
    if holder is None and not all("PlanePositionSequence" in item for item in per_frame):
        return False
    if holder is not None:
        del holder["PlanePositionSequence"]
    corner = f"{-field_of_view / 2:.2f}"
    for index, item in enumerate(per_frame):
        position = Dataset()
        position.ImagePositionPatient = (corner, corner, f"{first_position + index * spacing:.2f}")
        item.set_value("PlanePositionSequence", [position], "SQ")
        for content in _items(item, "FrameContentSequence"):
            content.set_value("StackID", "1")
            content.set_value("InStackPositionNumber", index + 1)
            content.set_value("DimensionIndexValues", (1, index + 1))
    for group in ([shared] if shared is not None else []) + per_frame:
        for orientation in _items(group, "PlaneOrientationSequence"):
            orientation.ImageOrientationPatient = ("1", "0", "0", "0", "1", "0")
        for measures in _items(group, "PixelMeasuresSequence"):
            measures.PixelSpacing = (f"{pixel_spacing:.4f}", f"{pixel_spacing:.4f}")
            if "SliceThickness" in measures:
                measures.SliceThickness = f"{spacing:.2f}"
    return True


def _dimensions(dataset: DatasetBase, organization: str) -> None:
    """Declare the stack's two dimensions (replacing whatever filled the module)."""
    from authoring.object.dataset import Dataset

    organization_item = Dataset()
    organization_item.DimensionOrganizationUID = organization
    dataset.set_value("DimensionOrganizationSequence", [organization_item], "SQ")
    indices = []
    for pointer, label in ((STACK_ID, "Stack ID"), (IN_STACK_POSITION, "In-Stack Position")):
        index = Dataset()
        index.DimensionOrganizationUID = organization
        index.set_value("DimensionIndexPointer", pointer, "AT")
        index.set_value("FunctionalGroupPointer", FRAME_CONTENT, "AT")
        index.DimensionDescriptionLabel = label
        indices.append(index)
    dataset.set_value("DimensionIndexSequence", indices, "SQ")
    if "DimensionOrganizationType" in dataset:
        dataset.set_value("DimensionOrganizationType", "3D")


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
    if _stack(dataset, per_frame, shared, first_position, spacing,
              field_of_view / max(rows, columns), field_of_view) and \
            "DimensionIndexSequence" in dataset:
        _dimensions(dataset, organization_uid)
    return True

