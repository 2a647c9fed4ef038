"""Derived objects drawn over the image they were derived from: a Segmentation's frames
that cite the image (filled, by segment), an RT Structure Set's contours on the image
(outlined in their ROI Display Color). For ``authoring show --seg/--rtstruct``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

    from authoring.object.dataset import DatasetBase

    Array = npt.NDArray[Any]

#: Segment colours by segment number (cycled): distinct, readable over grey.
PALETTE = ((230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
           (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 190))


def as_rgb(image: Array) -> Array:
    """An 8-bit grey image as RGB (an RGB image as it is)."""
    import numpy as np

    return image if image.ndim == 3 else np.repeat(image[:, :, None], 3, axis=2)


def _uid(dataset: Any, keyword: str) -> str:
    value = dataset.get(keyword)
    return "" if value is None else str(value)


def draw_segmentation(image: Array, seg: DatasetBase, instance_uid: str,
                      opacity: float = 0.4) -> tuple[Array, int]:
    """``image`` (RGB) with each SEG frame citing ``instance_uid`` blended in its segment's
    colour; and how many frames were drawn."""
    import numpy as np

    from authoring.pixels.api import frame

    out = image.astype(np.float32)
    drawn = 0
    per_frame: list[Any] = list(seg.get("PerFrameFunctionalGroupsSequence") or ())
    for index, item in enumerate(per_frame):
        derivations: list[Any] = list(item.get("DerivationImageSequence") or ())
        sources: list[Any] = [s for d in derivations
                              for s in list[Any](d.get("SourceImageSequence") or ())]
        if not any(_uid(s, "ReferencedSOPInstanceUID") == instance_uid for s in sources):
            continue
        identification = item.get("SegmentIdentificationSequence") or ()
        number = int(identification[0].ReferencedSegmentNumber) if identification else 1
        mask = np.asarray(frame(seg, index)) > 0
        if mask.shape != out.shape[:2]:
            continue  # a segmentation on another grid: not drawn over this image
        colour = np.asarray(PALETTE[(number - 1) % len(PALETTE)], dtype=np.float32)
        out[mask] = out[mask] * (1 - opacity) + colour * opacity
        drawn += 1
    return out.round().astype(np.uint8), drawn


def draw_contours(image: Array, rtss: DatasetBase, shown: DatasetBase) -> tuple[Array, int]:
    """``image`` (RGB) with the RT Structure Set's contours on ``shown`` (those whose
    Contour Image Sequence cites it) outlined in their ROI Display Color, patient
    coordinates mapped to pixels through ``shown``'s position, orientation and spacing;
    and how many contours were drawn."""
    import numpy as np

    instance = _uid(shown, "SOPInstanceUID")
    origin = np.asarray([float(v) for v in shown.get("ImagePositionPatient") or (0, 0, 0)])
    orientation = [float(v) for v in shown.get("ImageOrientationPatient") or (1, 0, 0, 0, 1, 0)]
    row_direction, column_direction = np.asarray(orientation[:3]), np.asarray(orientation[3:])
    spacing = [float(v) for v in shown.get("PixelSpacing") or (1, 1)]
    out = image.copy()
    height, width = out.shape[:2]
    drawn = 0
    for roi in rtss.get("ROIContourSequence") or ():
        colour = [int(v) for v in roi.get("ROIDisplayColor") or (255, 255, 0)]
        for contour in roi.get("ContourSequence") or ():
            images = contour.get("ContourImageSequence") or ()
            if not any(_uid(i, "ReferencedSOPInstanceUID") == instance for i in images):
                continue
            points = np.asarray([float(v) for v in contour.ContourData]).reshape(-1, 3)
            relative = points - origin
            columns = relative @ row_direction / spacing[1]
            rows = relative @ column_direction / spacing[0]
            closed = contour.get("ContourGeometricType") != "OPEN_PLANAR"
            count = len(points) if closed else len(points) - 1
            for start in range(count):
                end = (start + 1) % len(points)
                steps = int(max(abs(columns[end] - columns[start]),
                                abs(rows[end] - rows[start])) * 2) + 2
                for t in np.linspace(0.0, 1.0, steps):
                    r = int(round(rows[start] + t * (rows[end] - rows[start])))
                    c = int(round(columns[start] + t * (columns[end] - columns[start])))
                    if 0 <= r < height and 0 <= c < width:
                        out[r, c] = colour
            drawn += 1
    return out, drawn
