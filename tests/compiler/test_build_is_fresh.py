"""The committed dictionary/ tables and authoring/_generated modules are exactly what a
fresh build from the standard sources produces (generated code is never edited by hand)."""

from __future__ import annotations

from pathlib import Path

from authoring.compiler.build import ProjectLayout, build_all
from tests.conftest import REPO


def test_committed_output_equals_fresh_build(standard_root: Path) -> None:
    layout = ProjectLayout(REPO)
    stages: list[str] = []
    files = build_all(standard_root, layout, progress=stages.append)
    assert "authoring/_generated/ps36_elements.py" in files
    assert len(stages) >= 4 and stages[0].startswith("importing")  # a minutes-long build talks
    stale = []
    for relative, text in sorted(files.items()):
        committed = REPO / relative
        if not committed.exists() or committed.read_text(encoding="utf-8") != text:
            stale.append(relative)
    assert not stale, f"run `authoring dictionary build`: {stale}"
    from authoring.compiler.build import stale_generated

    assert not stale_generated(files, REPO), "files in authoring/_generated no build makes"


def test_render_of_a_tiny_edition(tmp_path: Path) -> None:
    """A hand-built edition of two elements compiles into a module that works."""
    import importlib.util

    from authoring.compiler.build import generated_files
    from authoring.compiler.ir import Edition, ElementEntry

    edition = Edition("tiny", "hand-built", elements=[
        ElementEntry("(0010,0010)", "PatientName", "Patient's Name", "PN", "1", False),
        ElementEntry("(60xx,3000)", "OverlayData", "Overlay Data", "OB or OW", "1", False),
    ])
    from authoring.compiler.ir_iods import IODEdition

    files = generated_files(edition, IODEdition("tiny", "hand-built"), ProjectLayout(REPO),
                            "test notice")
    module_path = tmp_path / "ps36_elements.py"
    module_path.write_text(files["authoring/_generated/ps36_elements.py"], encoding="utf-8")
    assert "# test notice" in module_path.read_text()
    spec = importlib.util.spec_from_file_location("tiny_elements", module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from authoring.dictionary.elements import fixed_elements, repeating_elements

    assert fixed_elements(module.ELEMENTS) == {
        0x00100010: ("PN", "1", "Patient's Name", "PatientName", False)}
    assert repeating_elements(module.REPEATING) == (
        (0xFF00FFFF, 0x60003000, ("OB or OW", "1", "Overlay Data", "OverlayData", False)),)


def test_a_table_field_that_would_break_the_text_table_is_refused() -> None:
    import pytest

    from authoring.compiler.render import text_field

    assert text_field("Patient's Name") == "Patient's Name"
    for bad in ("a\tb", "a\nb", 'say "x"', "back\\slash"):
        with pytest.raises(ValueError):
            text_field(bad)
