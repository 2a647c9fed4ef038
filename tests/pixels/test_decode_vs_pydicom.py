"""Decoded arrays equal pydicom's (with its pylibjpeg, openjpeg, RLE and JPEG-LS plugins) on
every pixel file of its test data: lossless exactly; lossy JPEG within the difference two
JPEG decoders' inverse DCTs allow (stated per syntax)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import authoring
from authoring.errors import AuthoringError
from tests.conftest import corpus_files, pydicom_data

#: Largest difference allowed between two conforming decoders of lossy JPEG (libjpeg-turbo
#: here, libjpeg 9 in pylibjpeg): 12-bit Extended 1, 8-bit Baseline colour 3.
LOSSY_TOLERANCE = {"1.2.840.10008.1.2.4.50": 3, "1.2.840.10008.1.2.4.51": 1}

#: Files neither tool decodes (damaged or incomplete): each must fail in both.
BOTH_FAIL = {"test_files/JPEG2000-embedded-sequence-delimiter.dcm", "test_files/badVR.dcm",
             "test_files/meta_missing_tsyntax.dcm", "test_files/nested_priv_SQ.dcm"}


def _pixel_files() -> list[str]:
    found = []
    for name in corpus_files():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ds = authoring.read(pydicom_data() / name, stop_before=0x7FE00011)
        except AuthoringError:
            continue
        if any(tag in ds for tag in (0x7FE00008, 0x7FE00009, 0x7FE00010)):
            found.append(name)
    return found


PIXEL_FILES = _pixel_files()


def _theirs(name: str) -> np.ndarray | None:
    import pydicom

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pydicom.dcmread(pydicom_data() / name).pixel_array
    except Exception:
        return None


@pytest.mark.parametrize("name", PIXEL_FILES)
def test_pixel_array_matches_pydicom(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset = authoring.read(pydicom_data() / name)
    theirs = _theirs(name)
    if name in BOTH_FAIL:
        assert theirs is None
        with pytest.raises(AuthoringError):
            dataset.pixel_array  # noqa: B018
        return
    ours = dataset.pixel_array
    if theirs is None:  # pydicom cannot decode it (12-bit lossy its plugins refuse)
        assert ours.size > 0
        return
    assert ours.shape == theirs.shape
    assert (ours.dtype.kind, ours.dtype.itemsize) == (theirs.dtype.kind, theirs.dtype.itemsize)
    from authoring.pixels import pixel_encoding

    syntax = pixel_encoding(dataset)
    tolerance = LOSSY_TOLERANCE.get(syntax.uid, 0) if syntax is not None else 0
    difference = np.abs(ours.astype(np.float64) - theirs.astype(np.float64)).max()
    assert difference <= tolerance, (name, difference)


def test_the_corpus_has_pixels_of_every_kind() -> None:
    assert len(PIXEL_FILES) > 100


def test_frames_are_decoded_one_at_a_time() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset = authoring.read(pydicom_data() / "test_files" / "SC_rgb_rle_2frame.dcm")
    everything = dataset.pixel_array
    assert everything.shape == (2, 100, 100, 3)
    assert np.array_equal(dataset.frame(1), everything[1])
    assert all(np.array_equal(a, b) for a, b in zip(dataset.iter_frames(), everything,
                                                     strict=True))
