"""Functional groups of enhanced multi-frame IODs (PS3.3 C.7.6.16): the frames of an
instance as a stack of parallel planes.

    from authoring.builders.functional_groups import set_stack
    set_stack(ct, positions=[(-175, -175, z) for z in range(0, 100, 2)],
              pixel_spacing=(0.68, 0.68), slice_thickness=2.0, organization_uid=uid)

sets, consistently: Plane Orientation and Pixel Measures in the shared groups; per frame,
Plane Position and Frame Content (Stack ID, In-Stack Position Number, Dimension Index
Values); and the Multi-frame Dimension module's two dimensions (Stack ID, In-Stack
Position Number), PS3.3 C.7.6.17.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from authoring.errors import AuthoringError
from authoring.object.dataset import Dataset, DatasetBase
from authoring.object.sequence import items_of

#: (0020,9056) Stack ID and (0020,9057) In-Stack Position Number, both in (0020,9111) Frame
#: Content Sequence.
STACK_ID = 0x00209056
IN_STACK_POSITION = 0x00209057
FRAME_CONTENT = 0x00209111

Number = float | int | str


class FunctionalGroupError(AuthoringError, ValueError):
    """Functional groups that cannot be made as asked (a frame count that disagrees)."""


def _decimal(value: Number) -> str:
    """A DS text: as given when it is text, else at most 16 characters."""
    if isinstance(value, str):
        return value
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _only_item(group: DatasetBase, keyword: str) -> DatasetBase:
    """The single item of ``keyword`` in ``group``, created if absent."""
    items = group.get(keyword)
    if isinstance(items, list) and items:
        return cast("list[DatasetBase]", items)[0]
    item = Dataset()
    group.set_value(keyword, [item], "SQ")
    return item


def set_stack(dataset: DatasetBase, *, positions: Sequence[Sequence[Number]],
              orientation: Sequence[Number] = (1, 0, 0, 0, 1, 0),
              pixel_spacing: Sequence[Number] | None = None,
              slice_thickness: Number | None = None, stack_id: str = "1",
              organization_uid: str | None = None) -> None:
    """Make the frames of ``dataset`` one stack, frame ``i`` at ``positions[i]`` (Image
    Position (Patient) of its first pixel, mm). Items already in the per-frame groups keep
    their other macros; Number of Frames, if set, must equal ``len(positions)``.
    ``organization_uid`` (default: a new UID) identifies the dimension organization."""
    count = len(positions)
    if count == 0:
        raise FunctionalGroupError("a stack needs at least one frame position")
    frames = dataset.get("NumberOfFrames")
    if frames not in (None, "") and int(str(frames)) != count:
        raise FunctionalGroupError(f"{count} positions for Number of Frames {frames}")
    if any(len(p) != 3 for p in positions) or len(orientation) != 6:
        raise FunctionalGroupError("positions are (x, y, z) and the orientation six numbers")
    shared = _only_item(dataset, "SharedFunctionalGroupsSequence")
    if "PlanePositionSequence" in shared:
        del shared["PlanePositionSequence"]  # a position per frame replaces a shared one
    existing = dataset.get("PerFrameFunctionalGroupsSequence")
    per_frame: list[Any] = list(items_of(existing))
    per_frame += [Dataset() for _ in range(count - len(per_frame))]
    del per_frame[count:]

    def groups(keyword: str) -> list[DatasetBase]:
        """Where a macro goes: per frame if the frames already hold it, else shared."""
        if any(keyword in item for item in per_frame):
            return per_frame
        return [shared]

    for group in groups("PlaneOrientationSequence"):
        _only_item(group, "PlaneOrientationSequence").set_value(
            "ImageOrientationPatient", tuple(_decimal(v) for v in orientation))
    if pixel_spacing is not None or slice_thickness is not None:
        for group in groups("PixelMeasuresSequence"):
            measures = _only_item(group, "PixelMeasuresSequence")
            if pixel_spacing is not None:
                measures.set_value("PixelSpacing", tuple(_decimal(v) for v in pixel_spacing))
            if slice_thickness is not None:
                measures.set_value("SliceThickness", _decimal(slice_thickness))
    for index, (item, position) in enumerate(zip(per_frame, positions, strict=True)):
        plane = Dataset()
        plane.ImagePositionPatient = tuple(_decimal(v) for v in position)
        item.set_value("PlanePositionSequence", [plane], "SQ")
        content = _only_item(item, "FrameContentSequence")
        content.set_value("StackID", stack_id)
        content.set_value("InStackPositionNumber", index + 1)
        content.set_value("DimensionIndexValues", (1, index + 1))
    dataset.set_value("PerFrameFunctionalGroupsSequence", per_frame, "SQ")
    if frames in (None, ""):
        dataset.set_value("NumberOfFrames", str(count))
    declare_stack_dimensions(dataset, organization_uid)


def declare_stack_dimensions(dataset: DatasetBase, organization_uid: str | None = None
                             ) -> None:
    """The Multi-frame Dimension module for a stack: one organization, indexed by Stack ID
    then In-Stack Position Number (replacing any dimensions declared before)."""
    if organization_uid is None:
        from authoring.core.uid import generate_uid

        organization_uid = generate_uid()
    organization = Dataset()
    organization.DimensionOrganizationUID = organization_uid
    dataset.set_value("DimensionOrganizationSequence", [organization], "SQ")
    indices: list[Dataset] = []
    for pointer, label in ((STACK_ID, "Stack ID"), (IN_STACK_POSITION, "In-Stack Position")):
        index = Dataset()
        index.DimensionOrganizationUID = organization_uid
        index.set_value("DimensionIndexPointer", pointer, "AT")
        index.set_value("FunctionalGroupPointer", FRAME_CONTENT, "AT")
        index.DimensionDescriptionLabel = label
        indices.append(index)
    dataset.set_value("DimensionIndexSequence", indices, "SQ")
    if "DimensionOrganizationType" in dataset:
        dataset.set_value("DimensionOrganizationType", "3D")
