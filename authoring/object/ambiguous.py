"""Resolve the ambiguous VRs of PS3.6 (``US or SS``, ``OB or OW`` ...) for one data set.

Rules (PS3.5 A.1 and the attribute descriptions of PS3.3):

- ``US or SS``: SS when Pixel Representation (0028,0103) is 1, else US;
- ``US or SS or OW`` (Gray LUT Data, retired): as ``US or SS``;
- ``OB or OW``: Pixel Data and Overlay Data are OW in implicit VR (PS3.5 A.1); in explicit VR
  an encoder chooses OB when Bits Allocated is 8 or less, else OW; Waveform Data follows
  Waveform Bits Allocated the same way;
- ``US or OW`` (LUT Data): US, the form PS3.3 C.11.1 describes for LUT Data in a data set.
"""

from __future__ import annotations

PIXEL_REPRESENTATION = 0x00280103
BITS_ALLOCATED = 0x00280100
WAVEFORM_BITS_ALLOCATED = 0x5400100A  # within a Waveform Sequence item
WAVEFORM_DATA = 0x54001010


def resolve(tag: int, dictionary_vr: str, *, pixel_representation: int | None,
            bits_allocated: int | None, implicit: bool = False) -> str:
    """The VR to use for ``tag`` whose dictionary VR is ``dictionary_vr``."""
    if " or " not in dictionary_vr:
        return dictionary_vr
    if dictionary_vr in ("US or SS", "US or SS or OW"):
        return "SS" if pixel_representation == 1 else "US"
    if dictionary_vr == "OB or OW":
        if implicit:
            return "OW"
        if bits_allocated is not None and bits_allocated <= 8:
            return "OB"
        return "OW"
    if dictionary_vr == "US or OW":
        return "US"
    return dictionary_vr.split(" or ")[0]
