"""Pixel data: arrays in and out, codecs, colour spaces and the display pipeline.

- :func:`pixel_array`, :func:`frame`, :func:`iter_frames`: decode (frames one at a time);
- :func:`set_pixel_data`: an array to Pixel Data and consistent Image Pixel attributes,
  optionally encoded;
- :func:`transcoded`, :func:`encode_pixels`, :func:`decode_pixels`: change the encoding
  (``authoring.write(..., transfer_syntax=...)`` does this by itself);
- :mod:`authoring.pixels.codecs`: the codec registry; :mod:`authoring.pixels.color`:
  YBR and RGB; :mod:`authoring.pixels.display`: Modality LUT, VOI LUT, palettes, PNG.
"""

from __future__ import annotations

from authoring.pixels.api import (
    decode_pixels,
    encode_pixels,
    frame,
    iter_frames,
    pixel_array,
    pixel_encoding,
    set_pixel_data,
    transcoded,
)
from authoring.pixels.codecs import EncodeOptions, MissingCodecError, supported
from authoring.pixels.info import PixelDataError, PixelInfo, pixel_info

__all__ = [
    "EncodeOptions",
    "MissingCodecError",
    "PixelDataError",
    "PixelInfo",
    "decode_pixels",
    "encode_pixels",
    "frame",
    "iter_frames",
    "pixel_array",
    "pixel_encoding",
    "pixel_info",
    "set_pixel_data",
    "supported",
    "transcoded",
]
