"""Synthetic studies that are true together: recipes that image one phantom
(:mod:`authoring.synth.phantom`) and derive every other object from its labels, each
reference resolving inside the study, with a ground-truth ``manifest.json``.

    from authoring import synth
    manifest = synth.study("ct-oncology", Path("out"), seed=7, slices=64)

The tree is ``P0001/ST0001/SE0001/IM0001.dcm`` (one series per object kind); the manifest
is written last. The same seed gives byte-identical files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase
    from authoring.synth.phantom import Phantom

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class StudyOptions:
    """What a recipe makes: how many patients (one study each, a phantom per patient from
    the seed), the CT's size, and the transfer syntax of the image objects."""

    recipe: str = "ct-oncology"
    seed: int = 0
    patients: int = 1
    slices: int = 48
    rows: int = 128
    columns: int = 128
    transfer_syntax: str | None = None


@dataclass(frozen=True)
class Recipe:
    """A recipe: its name, what it writes, and the function that makes one patient's
    objects."""

    name: str
    description: str
    objects: tuple[str, ...]
    make: Callable[[StudyOptions, int], list[Made]]


@dataclass
class Made:
    """One object of a study: its kind (``CT``, ``SEG``...), series and instance numbers
    (1-based), the data set, and what a reader should find true of it."""

    kind: str
    series: int
    instance: int
    dataset: DatasetBase
    truth: dict[str, Any]

    @property
    def path(self) -> str:
        """Where it goes below the output folder (``P0001`` is set by the writer)."""
        return f"ST0001/SE{self.series:04d}/IM{self.instance:04d}.dcm"


def _phantom(options: StudyOptions, patient: int) -> Phantom:
    from authoring.synth.phantom import make_phantom

    return make_phantom(seed=options.seed * 1009 + patient, rows=options.rows,
                        columns=options.columns, slices=options.slices)


def _ct_oncology(options: StudyOptions, patient: int) -> list[Made]:
    """CT of the phantom; a Segmentation of its organs and lesions; a TID 1500 report of
    the lesions (volume, long axis, mean HU) citing the segments; a Key Object Selection
    of the slices through each lesion."""
    from authoring.synth import derived
    from authoring.synth.derived import text_of
    from authoring.synth.series import Place, SynthOptions, make

    phantom = _phantom(options, patient)
    ct_options = SynthOptions(iod="CTImage", rows=options.rows, columns=options.columns,
                              seed=options.seed, transfer_syntax=options.transfer_syntax,
                              overrides=derived.geometry_overrides(phantom))
    ct = derived.ct_series(phantom, ct_options, patient)
    frame_of_reference = text_of(ct[0], "FrameOfReferenceUID")
    truths = {s.label: phantom.truth(s) for s in phantom.structures if s.label != 1}
    made = [Made("CT", 1, index + 1, dataset, {"slice": index,
                                                "image_position": list(
                                                    phantom.geometry.position(index))})
            for index, dataset in enumerate(ct)]

    labels = [s.label for s in phantom.structures if s.label != 1]  # organs and lesions
    seg_base = make(SynthOptions(iod="Segmentation", rows=options.rows,
                                 columns=options.columns, seed=options.seed,
                                 overrides=(("FrameOfReferenceUID", frame_of_reference),
                                            ("BodyPartExamined", "CHEST"))),
                    Place(patient, 0, 1, 0))
    seg, slices_of = derived.segmentation(phantom, ct, seg_base, labels)
    segment_of = {label: number for number, label in enumerate(labels, start=1)}
    made.append(Made("SEG", 2, 1, seg, {
        "segments": [{"number": segment_of[label], "label": label,
                      "name": truths[label]["name"],
                      "ct_slices": slices_of[segment_of[label]]} for label in labels]}))

    report = derived.measurement_report(phantom, ct, seg, segment_of, truths, options.seed)
    sr = _document("ComprehensiveSR", options, patient, 3)
    report.fill(sr)
    made.append(Made("SR", 3, 1, sr, {"template": "1500", "lesions": [
        truths[s.label]["name"] for s in phantom.lesions]}))

    through = sorted({truths[s.label]["slices"][len(truths[s.label]["slices"]) // 2]
                      for s in phantom.lesions})
    kos = _document("KeyObjectSelectionDocument", options, patient, 4)
    derived.key_objects(ct, through).fill(kos)
    made.append(Made("KOS", 4, 1, kos, {"selected_ct_slices": through}))

    rtss_base = make(SynthOptions(iod="RTStructureSet", seed=options.seed,
                                  overrides=(("FrameOfReferenceUID", frame_of_reference),)),
                     Place(patient, 0, 4, 0))
    rtss, contours = derived.structure_set(phantom, ct, rtss_base, labels)
    made.append(Made("RTSTRUCT", 5, 1, rtss, {"rois": [
        {"number": segment_of[label], "label": label, "name": truths[label]["name"],
         "contours": contours[label]} for label in labels]}))

    gsps_base = make(SynthOptions(iod="GrayscaleSoftcopyPresentationState", seed=options.seed),
                     Place(patient, 0, 5, 0))
    gsps, circles = derived.presentation_state(phantom, ct, gsps_base, truths)
    made.append(Made("PR", 6, 1, gsps, {"circles": circles}))
    made[0].truth["phantom"] = {
        "geometry": asdict(phantom.geometry) | {"origin": list(phantom.geometry.origin)},
        "structures": [truths[label] | {"lesion": any(s.label == label and s.lesion
                                                      for s in phantom.structures)}
                       for label in labels]}
    return made


def _document(iod: str, options: StudyOptions, patient: int, series: int) -> DatasetBase:
    """A synthetic SR document of the patient's study, its content and evidence emptied
    for a template to fill."""
    from authoring.synth.series import Place, SynthOptions, make

    document: DatasetBase = make(SynthOptions(iod=iod, seed=options.seed),
                                 Place(patient, 0, series - 1, 0))
    for keyword in ("ContentSequence", "ContentTemplateSequence",
                    "CurrentRequestedProcedureEvidenceSequence",
                    "PertinentOtherEvidenceSequence", "ConceptNameCodeSequence"):
        if keyword in document:
            del document[keyword]
    if "ReferencedPerformedProcedureStepSequence" in document:  # Type 2: no MPPS in a study
        document.set_value("ReferencedPerformedProcedureStepSequence", [], "SQ")
    return document


RECIPES: dict[str, Recipe] = {
    "ct-oncology": Recipe(
        "ct-oncology",
        "CT of a chest and upper abdomen phantom with two lung nodules and a liver lesion; "
        "Segmentation of organs and lesions; TID 1500 lesion measurements; Key Object "
        "Selection of the slices through each lesion; RT Structure Set contours of every "
        "structure; a Grayscale Softcopy Presentation State circling each lesion",
        ("CT", "SEG", "SR", "KOS", "RTSTRUCT", "PR"), _ct_oncology),
}


def recipes() -> dict[str, str]:
    """Each recipe's name and what it writes."""
    return {name: recipe.description for name, recipe in RECIPES.items()}


def _references(dataset: DatasetBase) -> list[dict[str, Any]]:
    """Every (SOP Class, SOP Instance) a data set references, at any depth, with the
    segments or frames it names."""
    found: dict[str, dict[str, Any]] = {}

    def walk(item: Any) -> None:
        for element in item:
            if element.vr == "SQ":
                for child in element.value or ():
                    uid = child.get("ReferencedSOPInstanceUID")
                    if uid is not None:
                        entry = found.setdefault(str(uid), {
                            "sop_class_uid": str(child.get("ReferencedSOPClassUID") or ""),
                            "sop_instance_uid": str(uid)})
                        for keyword, name in (("ReferencedSegmentNumber", "segments"),
                                              ("ReferencedFrameNumber", "frames")):
                            value = child.get(keyword)
                            if value is not None and value != "":
                                values: list[Any] = list(cast("list[Any]", value)) \
                                    if isinstance(value, (list, tuple)) else [value]
                                entry.setdefault(name, [])
                                entry[name] = sorted({*entry[name], *map(int, values)})
                    walk(child)

    walk(dataset)
    return sorted(found.values(), key=lambda e: e["sop_instance_uid"])


def _write_patient(options: StudyOptions, patient: int, folder: str) -> dict[str, Any]:
    """Make and write one patient's study; its part of the manifest."""
    from authoring.io.writer import write
    from authoring.synth.derived import text_of

    made = RECIPES[options.recipe].make(options, patient)
    root = Path(folder) / f"P{patient + 1:04d}"
    objects: list[dict[str, Any]] = []
    phantom: dict[str, Any] = {}
    for one in made:
        path = root / one.path
        path.parent.mkdir(parents=True, exist_ok=True)
        syntax = options.transfer_syntax if one.kind == "CT" else None
        write(one.dataset, path, transfer_syntax=syntax)
        truth = dict(one.truth)
        phantom = truth.pop("phantom", phantom)
        ds = one.dataset
        objects.append({
            "path": str(path.relative_to(folder)),
            "kind": one.kind,
            "sop_class_uid": text_of(ds, "SOPClassUID"),
            "sop_instance_uid": text_of(ds, "SOPInstanceUID"),
            "series_instance_uid": text_of(ds, "SeriesInstanceUID"),
            "modality": str(ds.get("Modality") or ""),
            "references": _references(ds),
            "truth": truth,
        })
    first = made[0].dataset
    return {"patient_id": text_of(first, "PatientID"),
            "study_instance_uid": text_of(first, "StudyInstanceUID"),
            "frame_of_reference_uid": str(first.get("FrameOfReferenceUID") or ""),
            "phantom": phantom, "objects": objects}


def _patients(options: StudyOptions, folder: Path, workers: int | None,
              progress: Callable[[int], None] | None) -> Iterator[dict[str, Any]]:
    if options.patients == 1 or workers == 1:
        for patient in range(options.patients):
            yield _write_patient(options, patient, str(folder))
            if progress is not None:
                progress(patient + 1)
        return
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
        futures = [pool.submit(_write_patient, options, patient, str(folder))
                   for patient in range(options.patients)]
        for done, future in enumerate(futures, start=1):
            yield future.result()
            if progress is not None:
                progress(done)


def study(recipe: str = "ct-oncology", out: str | os.PathLike[str] = "study", *,
          seed: int = 0, patients: int = 1, slices: int = 48, rows: int = 128,
          columns: int = 128, transfer_syntax: str | None = None,
          workers: int | None = None, progress: Callable[[int], None] | None = None,
          overwrite: bool = False) -> dict[str, Any]:
    """Write the study of ``recipe`` for each patient into ``out`` and return the manifest
    (also written, last, to ``out/manifest.json``). A folder holding files is refused
    unless ``overwrite``. Patients are made in parallel (``workers`` processes)."""
    from authoring.errors import SynthError

    if recipe not in RECIPES:
        raise SynthError(f"no recipe {recipe!r}; the recipes are {', '.join(sorted(RECIPES))}")
    if slices < 8 or rows < 32 or columns < 32:
        raise SynthError("a recipe needs at least 8 slices of 32 x 32 pixels")
    if transfer_syntax is not None:
        from authoring.core.transfer_syntax import transfer_syntax as resolve

        transfer_syntax = resolve(transfer_syntax).uid
    options = StudyOptions(recipe, seed, patients, slices, rows, columns, transfer_syntax)
    folder = Path(out)
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise SynthError(f"{folder} is not empty (overwrite=True replaces the study)")
    folder.mkdir(parents=True, exist_ok=True)
    parts = list(_patients(options, folder, workers, progress))
    manifest = {"manifest_version": MANIFEST_VERSION, "recipe": recipe,
                "description": RECIPES[recipe].description,
                "options": asdict(replace(options)), "patients": parts}
    _write_manifest(folder / MANIFEST, manifest)
    return manifest


def _write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest atomically (a temporary file renamed over the target)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(manifest, indent=1, sort_keys=False) + "\n",
                         encoding="utf-8")
    os.replace(temporary, path)
