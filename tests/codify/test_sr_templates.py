"""Codify ``--style typed`` writes an SR document that names a compiled template with the
template builders (``report = MeasurementReport(...)``, ``report.fill(ds)``) when they
rebuild it byte for byte, and item by item otherwise; either way the script rebuilds the
file exactly, and black and ruff leave it as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import authoring
from authoring.codifier import codify_to
from tests.support.codify_runs import run_script
from tests.support.sr_reports import (
    highdicom_document,
    ours_basic_document,
    ours_document,
    ours_full_report,
)


def _full() -> authoring.Dataset:
    sr = ours_document(0)
    ours_full_report().fill(sr)
    return sr


def _codified(dataset: object, folder: Path) -> tuple[Path, str]:
    source = folder / "source.dcm"
    if hasattr(dataset, "save_as"):
        dataset.save_as(source)  # type: ignore[attr-defined]  # a highdicom document
    else:
        authoring.write(dataset, source)  # type: ignore[arg-type]
    script = folder / "script.py"
    codify_to(source, script, style="typed")
    rebuilt = folder / "rebuilt.dcm"
    run_script(script, rebuilt)
    assert rebuilt.read_bytes() == source.read_bytes()
    return script, script.read_text(encoding="utf-8")


def _dose() -> authoring.Dataset:
    from authoring import synth

    return synth.dataset("XRayRadiationDoseSR", seed=4)


def _radiopharmaceutical() -> authoring.Dataset:
    from authoring import synth

    return synth.dataset("RadiopharmaceuticalRadiationDoseSR", seed=4)


def _included() -> authoring.Dataset:
    """TID 1500 with measurement properties, TCOORD and WAVEFORM items (TID 310, 321)."""
    from tests.builders.test_sr_included_templates import document, measurement_report

    return document("ComprehensiveSR", measurement_report())  # type: ignore[no-any-return]


def _inferred() -> authoring.Dataset:
    """TID 2000 whose narrative is inferred from a linear measurement (TID 2001, 1400)."""
    from tests.builders.test_sr_included_templates import (
        basic_report,
        current_headings,
        document,
    )

    return document("EnhancedSR", basic_report(*current_headings()))  # type: ignore[no-any-return]


@pytest.mark.parametrize("make, template", [(_full, "MeasurementReport"),
                                            (ours_basic_document,
                                             "BasicDiagnosticImagingReport"),
                                            (_dose, "CTRadiationDose"),
                                            (_radiopharmaceutical,
                                             "RadiopharmaceuticalRadiationDose"),
                                            (_included, "MeasurementReport"),
                                            (_inferred, "BasicDiagnosticImagingReport")])
def test_a_templated_document_is_written_with_its_builders(tmp_path: Path, make: object,
                                                           template: str) -> None:
    script, text = _codified(make(), tmp_path)  # type: ignore[operator]
    assert f"report = {template}(" in text and "report.fill(ds)" in text
    assert "ContentSequence" not in text  # the tree comes from the builders only
    assert "from authoring.sr.templates import" in text
    for tool in (["-m", "black", "--check", "-q"], ["-m", "ruff", "check", "-q"]):
        result = subprocess.run([sys.executable, *tool, str(script)], capture_output=True,
                                text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_tree_the_builders_do_not_rebuild_exactly_is_written_item_by_item(
        tmp_path: Path) -> None:
    pytest.importorskip("highdicom")
    _, text = _codified(highdicom_document(2), tmp_path / "hd" if (tmp_path / "hd").mkdir()
                        is None else tmp_path)
    assert "report.fill" not in text and "ContentSequence" in text
    assert "codified item by item: it names TID 1500" in text
    sr = _full()
    group = sr.ContentSequence[-1]  # swap two items: the template's row order differs
    items = list(sr.ContentSequence)
    sr.ContentSequence = [items[1], items[0], *items[2:]]
    del group
    _, text = _codified(sr, tmp_path / "swapped" if (tmp_path / "swapped").mkdir() is None
                        else tmp_path)
    assert "report.fill" not in text
