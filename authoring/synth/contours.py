"""Closed planar contours of a labelled slice: the outline of a binary mask traced along
the pixel edges, so that the polygon encloses exactly the mask's pixels (a point-in-polygon
test of each pixel centre, even-odd over a slice's contours, gives the mask back). Holes
(a lung around a nodule) are contours of their own, as RT Structure Sets draw them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

Point = tuple[int, int]  # (row, column) of a pixel corner: pixel (r, c) spans r..r+1


def trace(mask: Array) -> list[list[Point]]:
    """The outlines of ``mask`` (2-D, bool) as loops of pixel corners, each with the mask
    on its left, collinear corners dropped. Pixels touching only at a corner are separate
    loops."""
    import numpy as np

    padded = np.pad(mask.astype(bool), 1)
    edges: dict[Point, list[Point]] = {}
    # an edge between an inside pixel and an outside neighbour, oriented (inside on the
    # left, in row-down / column-right coordinates): top, bottom, left and right sides
    inside = padded[1:-1, 1:-1]
    for (dr, dc), (start, end) in (
            ((-1, 0), ((0, 1), (0, 0))),   # top side: from top-right to top-left
            ((1, 0), ((1, 0), (1, 1))),    # bottom side: from bottom-left to bottom-right
            ((0, -1), ((0, 0), (1, 0))),   # left side: from top-left to bottom-left
            ((0, 1), ((1, 1), (0, 1)))):   # right side: from bottom-right to top-right
        neighbour = padded[1 + dr:padded.shape[0] - 1 + dr, 1 + dc:padded.shape[1] - 1 + dc]
        for r, c in np.argwhere(inside & ~neighbour):
            a = (int(r) + start[0], int(c) + start[1])
            b = (int(r) + end[0], int(c) + end[1])
            edges.setdefault(a, []).append(b)
    loops: list[list[Point]] = []
    while edges:
        first = next(iter(edges))
        loop = [first]
        here, previous = first, None
        while True:
            targets = edges[here]
            target = _next(previous, here, targets) if len(targets) > 1 else targets[0]
            targets.remove(target)
            if not targets:
                del edges[here]
            previous, here = here, target
            if here == first:
                break
            loop.append(here)
        loops.append(_simplified(loop))
    return loops


def _next(previous: Point | None, here: Point, targets: list[Point]) -> Point:
    """At a corner two diagonal pixels share, keep each pixel's outline apart: turn toward
    the inside (left of the incoming direction)."""
    if previous is None:
        return targets[0]
    incoming = (here[0] - previous[0], here[1] - previous[1])
    left = (-incoming[1], incoming[0])  # rows grow downward: this is a left turn on screen
    wanted = (here[0] + left[0], here[1] + left[1])
    return wanted if wanted in targets else targets[0]


def _simplified(loop: list[Point]) -> list[Point]:
    """The corners where the outline turns."""
    out: list[Point] = []
    count = len(loop)
    for index, point in enumerate(loop):
        before, after = loop[index - 1], loop[(index + 1) % count]
        if (point[0] - before[0], point[1] - before[1]) != (after[0] - point[0],
                                                            after[1] - point[1]):
            out.append(point)
    return out


def rasterise(loops: list[list[tuple[float, float]]], rows: int, columns: int) -> Array:
    """The pixels whose centres lie inside an odd number of ``loops`` (each a polygon of
    (row, column) points in pixel-centre coordinates): the even-odd fill readers apply to a
    slice's contours. For tests and the manifest; not an independent check."""
    import numpy as np

    centre_r, centre_c = np.mgrid[:rows, :columns].astype(np.float64)
    filled = np.zeros((rows, columns), dtype=bool)
    for loop in loops:
        inside = np.zeros((rows, columns), dtype=bool)
        count = len(loop)
        for index in range(count):
            r1, c1 = loop[index]
            r2, c2 = loop[(index + 1) % count]
            if r1 == r2:
                continue
            crosses = (centre_r >= min(r1, r2)) & (centre_r < max(r1, r2))
            at = c1 + (centre_r - r1) * (c2 - c1) / (r2 - r1)
            inside ^= crosses & (centre_c < at)
        filled ^= inside
    return filled
