"""Derived objects drawn over the image they were derived from: a Segmentation's frames
that cite the image (filled, by segment), an RT Structure Set's contours on the image
(outlined in their ROI Display Color). For ``authoring show --seg/--rtstruct``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

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


#: Isodose bands (fraction of the maximum dose, colour), highest first.
ISODOSE = ((0.95, (255, 0, 0)), (0.8, (255, 140, 0)), (0.5, (255, 255, 0)),
           (0.3, (0, 200, 0)), (0.1, (0, 120, 255)))


def draw_dose(image: Array, dose: DatasetBase, shown: DatasetBase,
              opacity: float = 0.35) -> tuple[Array, int]:
    """``image`` (RGB) with an RT Dose's grid, sampled at each pixel of ``shown`` (nearest
    voxel, through both objects' position, orientation and spacing and the dose's Grid
    Frame Offset Vector), washed in isodose bands (95, 80, 50, 30, 10% of the maximum);
    and how many pixels were coloured (0 when the image lies outside the grid)."""
    import numpy as np

    from authoring.pixels.api import pixel_array

    def geometry(dataset: Any) -> tuple[Array, Array, Array, list[float]]:
        origin = np.asarray([float(v) for v in dataset.get("ImagePositionPatient")
                             or (0, 0, 0)])
        cosines = [float(v) for v in dataset.get("ImageOrientationPatient")
                   or (1, 0, 0, 0, 1, 0)]
        return (origin, np.asarray(cosines[:3]), np.asarray(cosines[3:]),
                [float(v) for v in dataset.get("PixelSpacing") or (1, 1)])

    grid = np.asarray(pixel_array(dose), dtype=np.float64)
    grid = grid.reshape((-1, *grid.shape[-2:])) * float(dose.get("DoseGridScaling") or 1)
    maximum = float(grid.max()) if grid.size else 0.0
    if maximum <= 0:
        return image, 0
    origin, row_direction, column_direction, spacing = geometry(shown)
    height, width = image.shape[:2]
    r, c = np.mgrid[0:height, 0:width].astype(np.float64)
    points = (origin + c[..., None] * spacing[1] * row_direction
              + r[..., None] * spacing[0] * column_direction)
    d_origin, d_row, d_column, d_spacing = geometry(dose)
    relative = points - d_origin
    columns = np.rint(relative @ d_row / d_spacing[1]).astype(np.int64)
    rows = np.rint(relative @ d_column / d_spacing[0]).astype(np.int64)
    offsets = np.asarray([float(v) for v in dose.get("GridFrameOffsetVector") or (0,)])
    along = relative @ np.cross(d_row, d_column)
    step = float(np.min(np.diff(offsets))) if len(offsets) > 1 else 1.0
    nearest = np.abs(along[..., None] - offsets).argmin(axis=-1)
    inside = ((rows >= 0) & (rows < grid.shape[1]) & (columns >= 0)
              & (columns < grid.shape[2])
              & (np.abs(along - offsets[nearest]) <= abs(step) / 2))
    values = np.zeros((height, width))
    values[inside] = grid[nearest[inside], rows[inside], columns[inside]]
    out = image.astype(np.float32)
    coloured = np.zeros((height, width), dtype=bool)
    for fraction, colour in ISODOSE:
        band = (values >= fraction * maximum) & ~coloured
        out[band] = out[band] * (1 - opacity) + np.asarray(colour, np.float32) * opacity
        coloured |= band
    return out.round().astype(np.uint8), int(coloured.sum())



def _coordinates(data: Any, dimensions: int) -> Array:
    import numpy as np

    if isinstance(data, (bytes, bytearray, memoryview)):
        values = np.frombuffer(bytes(cast("bytes", data)), dtype="<f4")
    else:
        values = np.asarray(data, dtype=np.float64)
    return values.astype(np.float64).reshape(-1, dimensions)


def _segment(out: Array, start: tuple[float, float], end: tuple[float, float],
             colour: tuple[int, int, int]) -> None:
    import numpy as np

    height, width = out.shape[:2]
    steps = int(max(abs(end[0] - start[0]), abs(end[1] - start[1])) * 2) + 2
    for t in np.linspace(0.0, 1.0, steps):
        c = int(start[0] + t * (end[0] - start[0]))
        r = int(start[1] + t * (end[1] - start[1]))
        if 0 <= r < height and 0 <= c < width:
            out[r, c] = colour


def draw_annotations(image: Array, annotations: DatasetBase, shown: DatasetBase
                     ) -> tuple[Array, int]:
    """``image`` (RGB, the Total Pixel Matrix or frame of ``shown``) with the 2D
    annotations of a Microscopy Bulk Simple Annotations object that references ``shown``
    drawn on it, each group in its own colour: points as small crosses, polylines,
    polygons and rectangles outlined, ellipses by their axes; and how many annotations
    were drawn (0 when the object references another image or is 3D). Coordinates are
    (column, row) with the top left pixel's centre at (0.5, 0.5) (Pixel Origin
    Interpretation VOLUME or FRAME alike, for a single frame)."""
    import numpy as np

    if str(annotations.get("AnnotationCoordinateType") or "") != "2D":
        return image, 0
    instance = _uid(shown, "SOPInstanceUID")
    referenced = annotations.get("ReferencedImageSequence") or ()
    if not any(_uid(item, "ReferencedSOPInstanceUID") == instance for item in referenced):
        return image, 0
    out = image.copy()
    drawn = 0
    for number, group in enumerate(annotations.get("AnnotationGroupSequence") or ()):
        colour = PALETTE[number % len(PALETTE)]
        data = group.get("PointCoordinatesData")
        if data is None:
            data = group.get("DoublePointCoordinatesData")
        if data is None:
            continue
        points = _coordinates(data, 2)
        kind = str(group.get("GraphicType") or "")
        count = int(str(group.get("NumberOfAnnotations") or 0))
        if kind == "POINT":
            for column, row in points:
                for dc, dr in ((-2, 0), (2, 0), (0, -2), (0, 2)):
                    _segment(out, (column, row), (column + dc, row + dr), colour)
            drawn += len(points)
            continue
        index: Any = group.get("LongPrimitivePointIndexList")
        if isinstance(index, (bytes, bytearray, memoryview)):
            starts = [int(v) for v in np.frombuffer(bytes(cast("bytes", index)), dtype="<u4")]
        elif kind in ("RECTANGLE", "ELLIPSE"):
            starts = [1 + 8 * i for i in range(count)]
        else:
            starts = [1]
        bounds = [(s - 1) // 2 for s in starts] + [len(points)]
        for first, last in zip(bounds[:-1], bounds[1:], strict=True):
            shape = points[first:last]
            if len(shape) < 2:
                continue
            if kind == "ELLIPSE":
                pairs = [(shape[0], shape[1]), (shape[2], shape[3])] if len(shape) >= 4 else []
            else:
                closed = kind in ("POLYGON", "RECTANGLE")
                pairs = [(shape[i], shape[(i + 1) % len(shape)])
                         for i in range(len(shape) if closed else len(shape) - 1)]
            for start, end in pairs:
                _segment(out, (float(start[0]), float(start[1])),
                         (float(end[0]), float(end[1])), colour)
            drawn += 1
    return out, drawn


def _sr_items(items: Any, prefix: tuple[int, ...], found: dict[tuple[int, ...], Any]) -> None:
    for position, item in enumerate(items or (), start=1):
        path = (*prefix, position)
        found[path] = item
        _sr_items(item.get("ContentSequence"), path, found)


def _selected_instances(item: Any, tree: dict[tuple[int, ...], Any]) -> list[str]:
    """The SOP Instance UIDs a SCOORD item is SELECTED FROM (by value or by reference)."""
    uids: list[str] = []
    for child in item.get("ContentSequence") or ():
        if str(child.get("RelationshipType") or "") != "SELECTED FROM":
            continue
        target = child
        reference: Any = child.get("ReferencedContentItemIdentifier")
        if reference is not None:
            numbers: list[Any] = list(cast("list[Any]", reference)) \
                if isinstance(reference, (list, tuple)) else [reference]
            path = tuple(int(str(v)) for v in numbers)
            target = tree.get(path[1:]) if path[:1] == (1,) else None
            if target is None:
                continue
        for sop in target.get("ReferencedSOPSequence") or ():
            uids.append(_uid(sop, "ReferencedSOPInstanceUID"))
    return uids


def draw_sr_regions(image: Array, document: DatasetBase, shown: DatasetBase
                    ) -> tuple[Array, int]:
    """``image`` (RGB) with every SCOORD of an SR document selected from ``shown`` (its
    SELECTED FROM image by value, or by reference to an IMAGE item of the tree) drawn in
    yellow: points and multipoints as crosses, polylines and polygons outlined, a circle by
    its centre and edge point, an ellipse by its axes; and how many were drawn."""
    import numpy as np

    tree: dict[tuple[int, ...], Any] = {}
    _sr_items(document.get("ContentSequence"), (), tree)
    instance = _uid(shown, "SOPInstanceUID")
    out = image.copy()
    colour = (255, 230, 0)
    drawn = 0
    for item in tree.values():
        if str(item.get("ValueType") or "") != "SCOORD" or \
                instance not in _selected_instances(item, tree):
            continue
        points = np.asarray([float(v) for v in item.get("GraphicData") or ()]).reshape(-1, 2)
        kind = str(item.get("GraphicType") or "")
        if kind in ("POINT", "MULTIPOINT"):
            for column, row in points:
                for dc, dr in ((-5, 0), (5, 0), (0, -5), (0, 5)):
                    _segment(out, (column, row), (column + dc, row + dr), colour)
        elif kind == "CIRCLE" and len(points) == 2:
            radius = float(np.hypot(*(points[1] - points[0])))
            angles = np.linspace(0, 2 * np.pi, 64)
            ring = points[0] + radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
            for start, end in zip(ring[:-1], ring[1:], strict=True):
                _segment(out, (start[0], start[1]), (end[0], end[1]), colour)
        elif kind == "ELLIPSE" and len(points) == 4:
            for start, end in ((points[0], points[1]), (points[2], points[3])):
                _segment(out, (start[0], start[1]), (end[0], end[1]), colour)
        elif len(points) >= 2:
            for start, end in zip(points[:-1], points[1:], strict=True):
                _segment(out, (start[0], start[1]), (end[0], end[1]), colour)
        else:
            continue
        drawn += 1
    return out, drawn
