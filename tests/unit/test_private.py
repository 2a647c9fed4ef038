"""Private blocks: reserve, find, address by offset; names from the private dictionary."""

from __future__ import annotations

import pytest

import authoring
from authoring import Dataset
from authoring.dictionary.private import private_element_info
from authoring.errors import AuthoringError
from authoring.object.render import dump_text


def test_reserve_and_find_blocks() -> None:
    ds = Dataset()
    first = ds.private_block(0x0029, "ACME 1.0", create=True)
    second = ds.private_block(0x0029, "OTHER", create=True)
    assert (first.block, second.block) == (0x10, 0x11)
    assert ds[0x00290010].value == "ACME 1.0" and ds[0x00290011].vr == "LO"
    first.add(0x01, "LO", "hello")
    second.add(0x01, "US", 7)
    assert ds[0x00291001].value == "hello" and ds[0x00291101].value == 7
    again = ds.private_block(0x0029, "ACME 1.0")
    assert again.block == 0x10 and again[0x01].value == "hello" and 0x01 in again
    assert ds.private_creators(0x0029) == ["ACME 1.0", "OTHER"]
    with pytest.raises(KeyError):
        ds.private_block(0x0029, "MISSING")
    with pytest.raises(ValueError):
        ds.private_block(0x0010, "EVEN GROUP", create=True)


def test_private_dictionary_gives_vr_and_name() -> None:
    info = private_element_info("GEMS_ACQU_01", 0x00191002)
    assert info is not None and info.vr == "SL"
    ds = Dataset()
    block = ds.private_block(0x0019, "GEMS_ACQU_01", create=True)
    block[0x02] = 888  # VR taken from the private dictionary
    assert ds[0x00191002].vr == "SL"
    assert ds[0x00191002].name == f"[{info.name}]"
    assert f"[{info.name}]" in dump_text(ds)
    unknown = ds.private_block(0x0019, "NOBODY KNOWS", create=True)
    with pytest.raises(AuthoringError, match="give|pass one"):
        unknown[0x02] = 1


def test_private_blocks_survive_writing_in_every_syntax(tmp_path: object) -> None:
    ds = Dataset(SOPClassUID="1.2.840.10008.5.1.4.1.1.7", SOPInstanceUID="1.2.3.4")
    block = ds.private_block(0x0019, "GEMS_ACQU_01", create=True)
    block[0x02] = 888
    for syntax in ("explicit", "big", "implicit", "deflated"):
        back = authoring.read(authoring.to_bytes(ds, transfer_syntax=syntax))
        # implicit VR: the VR comes back from the private dictionary
        assert back.private_block(0x0019, "GEMS_ACQU_01")[0x02].value == 888, syntax
