"""Pixel data against pydicom in the same process (ratio = pydicom's time / ours):

- RLE encode (target >= 5x pydicom's default 'pydicom' encoder) and decode (>= 4x its
  default decoder), and the ratio to the fastest peer plugin installed (pylibjpeg-rle);
- JPEG-LS and JPEG 2000 decode: no slower than pydicom's fastest plugin on the same file;
- ``pixel_array`` of native data: no slower than pydicom; YBR to RGB, vectorized.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from common import median_time, report

import authoring
from authoring.pixels import set_pixel_data
from authoring.pixels.codecs import JPEG_2000_LOSSLESS, JPEG_LS_LOSSLESS, RLE_LOSSLESS


def _series(frames: int = 8) -> authoring.Dataset:
    """A synthetic multi-frame CT-like image, 512 x 512 int16 (smooth with noise)."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[:512, :512]
    base = (np.hypot(x - 256, y - 256) < 200) * 1000 - 1000
    stack = np.stack([base + rng.integers(-20, 20, (512, 512)) for _ in range(frames)])
    dataset = authoring.Dataset(SOPClassUID="1.2.840.10008.5.1.4.1.1.2", SOPInstanceUID="1.2.3",
                                StudyInstanceUID="1.2", SeriesInstanceUID="1.2.4",
                                Modality="CT")
    set_pixel_data(dataset, stack.astype(np.int16), multi_frame=True)
    return dataset


def _pydicom(dataset: authoring.Dataset, syntax: str | None = None) -> object:
    import pydicom

    data = authoring.to_bytes(dataset, transfer_syntax=syntax) if syntax else \
        authoring.to_bytes(dataset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pydicom.dcmread(io.BytesIO(data))


def bench_rle(results: list[dict[str, object]]) -> None:
    from pydicom.pixels.encoders import RLELosslessEncoder
    from pydicom.uid import RLELossless

    dataset = _series(4)
    theirs_ds = _pydicom(dataset)
    from authoring.pixels.api import encode_pixels
    from authoring.core.transfer_syntax import transfer_syntax

    def ours_encode() -> None:
        encode_pixels(dataset.copy(), transfer_syntax(RLE_LOSSLESS))

    def pydicom_encode(plugin: str) -> None:
        for index in range(4):
            RLELosslessEncoder.encode(theirs_ds, index=index, encoding_plugin=plugin)

    ours = median_time(ours_encode, repeat=5)
    results.append(report("RLE encode 4 x 512x512 int16 vs pydicom 'pydicom'", ours,
                          median_time(lambda: pydicom_encode("pydicom"), repeat=3), 5.0))
    results.append(report("  ... vs pydicom with pylibjpeg-rle (fastest peer)", ours,
                          median_time(lambda: pydicom_encode("pylibjpeg"), repeat=5)))
    encoded = authoring.read(io.BytesIO(authoring.to_bytes(dataset, transfer_syntax=RLE_LOSSLESS)))
    theirs_rle = _pydicom(dataset, RLE_LOSSLESS)
    assert theirs_rle.file_meta.TransferSyntaxUID == RLELossless  # type: ignore[attr-defined]

    def pydicom_decode(plugin: str) -> None:
        from pydicom.pixels import pixel_array

        pixel_array(theirs_rle, decoding_plugin=plugin)  # type: ignore[arg-type]

    ours = median_time(lambda: encoded.pixel_array, repeat=5)
    results.append(report("RLE decode vs pydicom 'pydicom'", ours,
                          median_time(lambda: pydicom_decode("pydicom"), repeat=3), 4.0))
    results.append(report("  ... vs pydicom with pylibjpeg-rle (fastest peer)", ours,
                          median_time(lambda: pydicom_decode("pylibjpeg"), repeat=5)))


def bench_decoders(results: list[dict[str, object]]) -> None:
    from pydicom.pixels import pixel_array

    dataset = _series(4)
    for name, syntax, plugins in (("JPEG-LS", JPEG_LS_LOSSLESS, ("pyjpegls", "gdcm")),
                                  ("JPEG 2000", JPEG_2000_LOSSLESS, ("pylibjpeg", "gdcm"))):
        data = authoring.to_bytes(dataset, transfer_syntax=syntax)
        ours_ds = authoring.read(io.BytesIO(data))
        theirs_ds = _pydicom(dataset, syntax)
        best = None
        for plugin in plugins:
            try:
                pixel_array(theirs_ds, decoding_plugin=plugin)  # type: ignore[arg-type]
            except Exception:
                continue
            seconds = median_time(lambda p=plugin: pixel_array(  # type: ignore[misc]
                theirs_ds, decoding_plugin=p), repeat=5)
            best = seconds if best is None else min(best, seconds)
        if best is None:
            print(f"{name}: no pydicom plugin installed to compare with")
            continue
        results.append(report(f"{name} decode 4 x 512x512 vs pydicom's fastest plugin",
                              median_time(lambda d=ours_ds: d.pixel_array, repeat=5), best,
                              1.0))


def bench_native(results: list[dict[str, object]]) -> None:
    dataset = _series(16)
    theirs = _pydicom(dataset)
    ours = authoring.read(io.BytesIO(authoring.to_bytes(dataset)))
    results.append(report("pixel_array, native 16 x 512x512 int16",
                          median_time(lambda: ours.pixel_array, repeat=7),
                          median_time(lambda: theirs.pixel_array, repeat=7), 1.0))  # type: ignore[attr-defined]


def bench_color(results: list[dict[str, object]]) -> None:
    from pydicom.pixels import convert_color_space

    from authoring.pixels.color import ybr_full_to_rgb

    ybr = np.random.default_rng(1).integers(0, 256, (1024, 1024, 3)).astype(np.uint8)
    results.append(report("YBR_FULL to RGB, 1024x1024",
                          median_time(lambda: ybr_full_to_rgb(ybr), repeat=5),
                          median_time(lambda: convert_color_space(ybr, "YBR_FULL", "RGB"),
                                      repeat=5)))


def main() -> list[dict[str, object]]:
    """Run the comparisons; return the results."""
    results: list[dict[str, object]] = []
    bench_rle(results)
    bench_decoders(results)
    bench_native(results)
    bench_color(results)
    return results


if __name__ == "__main__":
    main()
