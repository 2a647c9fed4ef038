"""The two sources of the well-known palettes (PS3.6 DocBook tables, Annex B instances)
agree, and the build refuses them when they do not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from authoring.compiler.build import PALETTE_SOURCE, merge_palettes, palette_instance_folder
from authoring.compiler.importers.docbook_palettes import import_palettes
from authoring.compiler.importers.palette_instances import import_palette_instances
from authoring.errors import DictionarySourceError

STANDARD = Path(__file__).resolve().parents[2].parent / "shared" / "standard"


@pytest.fixture(scope="module")
def sources() -> tuple[list, list]:
    if not (STANDARD / PALETTE_SOURCE).exists():
        pytest.skip("../shared/standard is not beside the project")
    _, tables = import_palettes(STANDARD / PALETTE_SOURCE)
    return tables, import_palette_instances(palette_instance_folder(STANDARD))


def test_every_palette_both_sources_define_is_identical(sources: tuple[list, list]) -> None:
    tables, instances = sources
    by_uid = {p.uid: p for p in instances}
    assert [p.label for p in tables] == ["HOT_IRON", "PET", "HOT_METAL_BLUE", "PET_20_STEP"]
    for table in tables:
        assert by_uid[table.uid] == replace(table, name=by_uid[table.uid].name)
    merged = merge_palettes(tables, instances)
    assert [p.label for p in merged] == ["HOT_IRON", "PET", "HOT_METAL_BLUE", "PET_20_STEP",
                                         "SPRING", "SUMMER", "FALL", "WINTER"]
    assert [p.uid for p in merged] == [f"1.2.840.10008.1.5.{n}" for n in range(1, 9)]


def test_a_disagreement_between_the_sources_stops_the_build(
        sources: tuple[list, list]) -> None:
    tables, instances = sources
    changed = [replace(p, red=(1,) + p.red[1:]) if p.label == "PET" else p for p in instances]
    with pytest.raises(DictionarySourceError, match="PET: the DocBook table and the Color"):
        merge_palettes(tables, changed)
