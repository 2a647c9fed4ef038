"""Pixel data: arrays in and out (native data now; codecs come with the pixel-data work)."""
