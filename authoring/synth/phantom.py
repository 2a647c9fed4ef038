"""A labelled 3-D phantom with known anatomy: the ground truth synthetic studies are derived
from.

The phantom is a volume of labels in the patient coordinate system (LPS, millimetres): a
body outline, two lungs, the liver, two kidneys, the spine and sternum, and lesions whose centre and
size the seed chooses (nodules in the lungs, a lesion in the liver). Every structure is an
ellipsoid (the body and spine elliptic cylinders), so its truth is known in closed form as
well as voxel by voxel; each voxel holds one label, lesions over organs over the body.
Modalities render it (:meth:`Phantom.hounsfield` for CT); derived objects (segmentations,
contours, measurements) are computed from :attr:`Phantom.labels`, never invented.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from authoring.core.code import Code

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

#: Segmentation category codes (PS3.16 CID 7150).
TISSUE = Code("85756007", "SCT", "Tissue")
ANATOMICAL = Code("91723000", "SCT", "Anatomical Structure")
MORPHOLOGICALLY_ABNORMAL = Code("49755003", "SCT", "Morphologically Abnormal Structure")


@dataclass(frozen=True)
class Structure:
    """One labelled structure: its label value, name, codes (PS3.16 CID 7150 category,
    CID 7151/7152 type), the HU it renders with, and its shape (an ellipsoid: centre and
    semi-axes in mm, a semi-axis of None along z for a cylinder)."""

    label: int
    name: str
    category: Code
    type: Code
    hounsfield: int
    center: tuple[float, float, float]
    semi_axes: tuple[float, float, float | None]
    lesion: bool = False
    site: Code | None = None  # a lesion's organ
    site_name: str = ""

    def contains(self, x: Array, y: Array, z: Array) -> Array:
        """Whether each point (LPS mm) is inside the structure."""
        cx, cy, cz = self.center
        ax, ay, az = self.semi_axes
        inside = ((x - cx) / ax) ** 2 + ((y - cy) / ay) ** 2
        if az is not None:
            inside = inside + ((z - cz) / az) ** 2
        return inside <= 1.0


@dataclass(frozen=True)
class Geometry:
    """Where the voxels are: axial slices, rows along +y (posterior), columns along +x
    (patient left), slices from inferior to superior."""

    rows: int
    columns: int
    slices: int
    pixel_spacing: float  # mm, rows and columns alike
    slice_spacing: float  # mm, also the slice thickness

    @property
    def origin(self) -> tuple[float, float, float]:
        """The centre of the first voxel (LPS mm): the volume is centred on 0, 0, 0."""
        return (-(self.columns - 1) / 2 * self.pixel_spacing,
                -(self.rows - 1) / 2 * self.pixel_spacing,
                -(self.slices - 1) / 2 * self.slice_spacing)

    def position(self, index: int) -> tuple[float, float, float]:
        """Image Position (Patient) of slice ``index``."""
        x, y, z = self.origin
        return (x, y, z + index * self.slice_spacing)

    @property
    def voxel_volume(self) -> float:
        """mm3 per voxel."""
        return self.pixel_spacing * self.pixel_spacing * self.slice_spacing


@dataclass
class Phantom:
    """The labelled volume and what it holds."""

    geometry: Geometry
    structures: tuple[Structure, ...]
    seed: int
    _labels: Array | None = field(default=None, repr=False)

    @property
    def labels(self) -> Array:
        """The label of each voxel, ``[slice, row, column]`` (0: air)."""
        if self._labels is None:
            self._labels = _rasterise(self.geometry, self.structures)
        return self._labels

    @property
    def lesions(self) -> tuple[Structure, ...]:
        """The lesions, in label order."""
        return tuple(s for s in self.structures if s.lesion)

    def mask(self, label: int) -> Array:
        """The voxels of ``label``."""
        import numpy as np

        return np.equal(self.labels, label)

    def box(self, label: int) -> tuple[slice, slice, slice]:
        """The (slice, row, column) ranges that hold every voxel of ``label``: its
        structure's extent plus a voxel each side (the whole volume for an unknown label);
        masks of small structures are computed there, not over the volume."""
        import math

        geometry = self.geometry
        structure = next((s for s in self.structures if s.label == label), None)
        whole = (slice(0, geometry.slices), slice(0, geometry.rows),
                 slice(0, geometry.columns))
        if structure is None:
            return whole
        ox, oy, oz = geometry.origin
        ranges: list[slice] = []
        for centre, semi, origin, step, count in (
                (structure.center[2], structure.semi_axes[2], oz, geometry.slice_spacing,
                 geometry.slices),
                (structure.center[1], structure.semi_axes[1], oy, geometry.pixel_spacing,
                 geometry.rows),
                (structure.center[0], structure.semi_axes[0], ox, geometry.pixel_spacing,
                 geometry.columns)):
            if semi is None:
                ranges.append(slice(0, count))
                continue
            low = max(math.floor((centre - semi - origin) / step) - 1, 0)
            high = min(math.ceil((centre + semi - origin) / step) + 2, count)
            ranges.append(slice(low, max(high, low)))
        return ranges[0], ranges[1], ranges[2]

    def cropped_mask(self, label: int) -> tuple[tuple[slice, slice, slice], Array]:
        """``label``'s voxels within :meth:`box` (the box, and the mask there)."""
        import numpy as np

        box = self.box(label)
        return box, np.equal(self.labels[box], label)

    def hounsfield(self) -> Array:
        """The CT rendering, HU per voxel (int16): each structure's value plus seeded noise
        (standard deviation 8 HU)."""
        import numpy as np

        table = np.full(max(s.label for s in self.structures) + 1, -1000, dtype=np.int16)
        for structure in self.structures:
            table[structure.label] = structure.hounsfield
        rng = np.random.default_rng(self.seed)
        noise = rng.normal(0.0, 8.0, self.labels.shape).round().astype(np.int16)
        return table[self.labels] + noise

    @cached_property
    def _ct(self) -> Array:
        return self.hounsfield()

    def ct(self) -> Array:
        """:meth:`hounsfield`, computed once."""
        return self._ct

    def truth(self, structure: Structure) -> dict[str, Any]:
        """What a correct measurement of ``structure`` finds, from its voxels: volume
        (mm3), the longest in-plane extent (mm, on the slice where it is largest), mean HU
        of the CT rendering, the slices it is on and its centre of mass (LPS mm)."""
        import numpy as np

        geometry = self.geometry
        box, mask = self.cropped_mask(structure.label)
        offset = np.asarray([box[0].start, box[1].start, box[2].start], dtype=np.float64)
        slices = [int(i) + box[0].start for i in np.flatnonzero(mask.any(axis=(1, 2)))]
        index = np.argwhere(mask)
        centre = index.mean(axis=0) + offset if len(index) else np.zeros(3)
        ox, oy, oz = geometry.origin
        return {
            "label": structure.label,
            "name": structure.name,
            "voxels": int(mask.sum()),
            "volume_mm3": round(float(mask.sum()) * geometry.voxel_volume, 3),
            "long_axis_mm": round(_long_axis(mask, geometry.pixel_spacing), 3),
            "mean_hu": round(float(self.ct()[box][mask].mean()), 3) if mask.any() else None,
            "slices": slices,
            "centre_mm": [round(ox + float(centre[2]) * geometry.pixel_spacing, 3),
                          round(oy + float(centre[1]) * geometry.pixel_spacing, 3),
                          round(oz + float(centre[0]) * geometry.slice_spacing, 3)],
        }


def _long_axis(mask: Array, spacing: float) -> float:
    """The largest distance between two voxel centres of the mask on one slice (mm): the
    long-axis diameter as a reader measures it on the slice where the lesion is largest."""
    import numpy as np

    areas = mask.sum(axis=(1, 2))
    if not areas.any():
        return 0.0
    points = np.argwhere(mask[int(areas.argmax())]).astype(np.float64) * spacing
    if len(points) > 2000:  # the extent is on the boundary: keep the extreme points
        keep = np.unique(np.concatenate([points[:, 0].argsort()[[0, -1]],
                                         points[:, 1].argsort()[[0, -1]]]))
        points = np.concatenate([points[keep], points[:: len(points) // 500]])
    deltas = points[:, None, :] - points[None, :, :]
    return float(np.sqrt((deltas ** 2).sum(axis=-1)).max())


def _rasterise(geometry: Geometry, structures: tuple[Structure, ...]) -> Array:
    import numpy as np

    ox, oy, oz = geometry.origin
    z = oz + np.arange(geometry.slices, dtype=np.float64)[:, None, None] * geometry.slice_spacing
    y = oy + np.arange(geometry.rows, dtype=np.float64)[None, :, None] * geometry.pixel_spacing
    x = ox + np.arange(geometry.columns, dtype=np.float64)[None, None, :] * geometry.pixel_spacing
    shape = (geometry.slices, geometry.rows, geometry.columns)
    labels = np.zeros(shape, dtype=np.uint8)
    # drawn in order: body, organs, lesions (later ones over earlier ones)
    for structure in sorted(structures, key=lambda s: (s.lesion, s.label)):
        inside = np.broadcast_to(structure.contains(x, y, z), shape)
        if structure.label != 1:  # everything but the body lies inside the body
            inside = inside & (labels > 0)
        labels[inside] = structure.label
    return labels


def seeded_unit(seed: int, *parts: object) -> float:
    """A number in [0, 1) from the seed and ``parts``, the same everywhere."""
    digest = hashlib.sha256(repr((seed, *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def make_phantom(*, seed: int = 0, rows: int = 128, columns: int = 128, slices: int = 48,
                 field_of_view: float = 400.0, slice_spacing: float | None = None
                 ) -> Phantom:
    """The phantom for ``seed``: a chest and upper abdomen of ``field_of_view`` mm across,
    ``slices`` axial slices covering 240 mm (or ``slice_spacing`` apart): body, lungs,
    liver, kidneys, spine and sternum, two lung nodules (6-20 mm) and a liver lesion
    (12-30 mm) at places the seed chooses."""
    spacing = field_of_view / max(rows, columns)
    thickness = slice_spacing if slice_spacing is not None else 240.0 / slices
    geometry = Geometry(rows, columns, slices, round(spacing, 6), round(thickness, 6))
    half = (slices - 1) / 2 * thickness
    lung = Code("39607008", "SCT", "Lung")
    liver = Code("10200004", "SCT", "Liver")
    structures = [
        Structure(1, "Body", TISSUE, Code("123037004", "SCT", "Body structure"), 40,
                  (0.0, 0.0, 0.0), (170.0, 120.0, None)),
        Structure(2, "Right lung", ANATOMICAL, lung, -850,
                  (-75.0, 0.0, 0.45 * half), (55.0, 75.0, 0.6 * half)),
        Structure(3, "Left lung", ANATOMICAL, lung, -850,
                  (75.0, 0.0, 0.45 * half), (50.0, 75.0, 0.6 * half)),
        Structure(4, "Liver", ANATOMICAL, liver, 60,
                  (-55.0, 10.0, -0.55 * half), (90.0, 70.0, 0.45 * half)),
        Structure(5, "Right kidney", ANATOMICAL, Code("9846003", "SCT", "Right kidney"), 30,
                  (-70.0, 60.0, -0.7 * half), (25.0, 30.0, 0.25 * half)),
        Structure(6, "Left kidney", ANATOMICAL, Code("18639004", "SCT", "Left kidney"), 30,
                  (70.0, 60.0, -0.7 * half), (25.0, 30.0, 0.25 * half)),
        Structure(7, "Spine", ANATOMICAL, Code("421060004", "SCT", "Spine"), 700,
                  (0.0, 85.0, 0.0), (18.0, 18.0, None)),
    ]
    lesion = Code("4147007", "SCT", "Mass")
    nodule = Code("27925004", "SCT", "Nodule")
    places = [(2, "Right lung", nodule, lung), (3, "Left lung", nodule, lung),
              (4, "Liver", lesion, liver)]
    for number, (organ_label, organ_name, kind, site) in enumerate(places, start=1):
        organ = structures[organ_label - 1]
        radius = (3 + 7 * seeded_unit(seed, "size", number) if site is lung
                  else 6 + 9 * seeded_unit(seed, "size", number))
        radius = max(radius, 1.5 * geometry.pixel_spacing, 1.5 * geometry.slice_spacing)
        ax, ay, az = organ.semi_axes
        assert az is not None
        # inside the organ, at most half its semi-axes from its centre
        offset = [(seeded_unit(seed, "where", number, axis) - 0.5) for axis in range(3)]
        centre = (organ.center[0] + offset[0] * ax * 0.8,
                  organ.center[1] + offset[1] * ay * 0.8,
                  organ.center[2] + offset[2] * az * 0.8)
        structures.append(Structure(
            7 + number, f"Lesion {number}", MORPHOLOGICALLY_ABNORMAL, kind,
            30 if site is lung else 100, centre, (radius, radius, radius), lesion=True,
            site=site, site_name=organ_name))
    # other bone: the sternum, an elliptic cylinder behind the anterior chest wall (label
    # 11, after the lesions, so that their labels stay 8-10)
    structures.append(Structure(11, "Sternum", ANATOMICAL, Code("56873002", "SCT", "Sternum"),
                                700, (0.0, -104.0, 0.0), (14.0, 8.0, None)))
    return Phantom(geometry, tuple(structures), seed)


def make_head_phantom(*, seed: int = 0, rows: int = 128, columns: int = 128,
                      slices: int = 48, field_of_view: float = 240.0) -> Phantom:
    """A head for MR: scalp, skull, cerebrospinal fluid around the brain, grey matter,
    white matter, two lateral ventricles, and a tumour (8-16 mm) with a rim of oedema 6 mm
    thick in the white matter of a hemisphere the seed chooses; ``slices`` axial slices
    over 180 mm."""
    spacing = field_of_view / max(rows, columns)
    geometry = Geometry(rows, columns, slices, round(spacing, 6), round(180.0 / slices, 6))
    # codes of PS3.16 CID 7151 (Segmentation Property Type)
    brain = Code("12738006", "SCT", "Brain")
    fluid = Code("65216001", "SCT", "Cerebrospinal Fluid")
    ventricle = Code("66720007", "SCT", "Lateral Ventricle")
    structures = [
        Structure(1, "Scalp", TISSUE, Code("41695006", "SCT", "Scalp"), 40, (0.0, 0.0, 0.0),
                  (78.0, 98.0, 95.0)),
        Structure(2, "Skull", ANATOMICAL, Code("89546000", "SCT", "Skull"), 1000,
                  (0.0, 0.0, 0.0), (72.0, 92.0, 89.0)),
        Structure(3, "Cerebrospinal fluid", ANATOMICAL, fluid, 5,
                  (0.0, 0.0, 0.0), (65.0, 85.0, 82.0)),
        Structure(4, "Grey matter", ANATOMICAL, Code("389081007", "SCT", "Gray Matter"), 40,
                  (0.0, 0.0, 0.0),
                  (62.0, 82.0, 78.0)),
        Structure(5, "White matter", ANATOMICAL, Code("389080008", "SCT", "White Matter"),
                  30, (0.0, 0.0, 6.0),
                  (50.0, 70.0, 60.0)),
        Structure(6, "Right lateral ventricle", ANATOMICAL, ventricle, 5,
                  (-11.0, -4.0, 14.0), (6.0, 26.0, 12.0)),
        Structure(7, "Left lateral ventricle", ANATOMICAL, ventricle, 5,
                  (11.0, -4.0, 14.0), (6.0, 26.0, 12.0)),
    ]
    radius = max(8 + 8 * seeded_unit(seed, "tumour size"), 1.5 * geometry.pixel_spacing,
                 1.5 * geometry.slice_spacing)
    side = -1.0 if seeded_unit(seed, "tumour side") < 0.5 else 1.0
    centre = (side * (28.0 + 8 * seeded_unit(seed, "tumour x")),
              -30.0 + 60 * seeded_unit(seed, "tumour y"),
              -10.0 + 30 * seeded_unit(seed, "tumour z"))
    structures.append(Structure(8, "Oedema", MORPHOLOGICALLY_ABNORMAL,
                                Code("79654002", "SCT", "Edema"), 25, centre,
                                (radius + 6, radius + 6, radius + 6)))
    structures.append(Structure(9, "Tumour", MORPHOLOGICALLY_ABNORMAL,
                                Code("108369006", "SCT", "Neoplasm"), 35, centre,
                                (radius, radius, radius), lesion=True, site=brain,
                                site_name="White matter"))
    return Phantom(geometry, tuple(structures), seed)
