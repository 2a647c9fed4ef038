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
    dicomdir: bool = False  # a DICOM File-set: names without extension, a DICOMDIR


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

    def path(self, extension: str = ".dcm") -> str:
        """Where it goes below the output folder (``P0001`` is set by the writer); a
        File-set's names have no extension (each component a valid File ID)."""
        return f"ST0001/SE{self.series:04d}/IM{self.instance:04d}{extension}"


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
    segmentation = _segmentation(phantom, ct, options, patient, 2, labels, truths)
    seg, segment_of = segmentation.dataset, segmentation.truth["segment_of"]
    made.append(segmentation)

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
    labelmap = _segmentation(phantom, ct, options, patient, 7, labels, truths, labelmap=True)
    labelmap.kind = "SEG-LABELMAP"
    made.append(labelmap)
    made[0].truth["phantom"] = {
        "geometry": asdict(phantom.geometry) | {"origin": list(phantom.geometry.origin)},
        "structures": [truths[label] | {"lesion": any(s.label == label and s.lesion
                                                      for s in phantom.structures)}
                       for label in labels]}
    return made


def _pet_ct(options: StudyOptions, patient: int) -> list[Made]:
    """CT and FDG PET of the phantom in one Frame of Reference; the Spatial Registration
    saying so; a Segmentation of the lesions on the PET grid; a TID 1500 report of each
    lesion's SUVbw maximum and mean (from the PET values over its voxels)."""
    import datetime as dt

    import numpy as np

    from authoring.synth import derived, pet
    from authoring.synth.derived import text_of
    from authoring.synth.phantom import Geometry, Phantom
    from authoring.synth.series import Place, SynthOptions, make

    phantom = _phantom(options, patient)
    ct_options = SynthOptions(iod="CTImage", rows=options.rows, columns=options.columns,
                              seed=options.seed, transfer_syntax=options.transfer_syntax,
                              overrides=derived.geometry_overrides(phantom))
    ct = derived.ct_series(phantom, ct_options, patient)
    frame = text_of(ct[0], "FrameOfReferenceUID")
    made = [Made("CT", 1, index + 1, dataset, {"slice": index})
            for index, dataset in enumerate(ct)]
    geometry = phantom.geometry
    pet_geometry = Geometry(max(geometry.rows // 2, 16), max(geometry.columns // 2, 16),
                            geometry.slices,
                            geometry.pixel_spacing * geometry.rows / max(geometry.rows // 2, 16),
                            geometry.slice_spacing)
    on_pet = Phantom(pet_geometry, phantom.structures, phantom.seed)
    scan = dt.datetime(2026, 1, 1, 10, 0, 0) + dt.timedelta(minutes=phantom.seed % 300)
    administration = pet.Administration(
        weight_kg=60 + phantom.seed % 40, dose_bq=370e6, injected=scan - dt.timedelta(
            minutes=60), scan_start=scan)
    pet_options = SynthOptions(iod="PositronEmissionTomographyImage",
                               rows=pet_geometry.rows, columns=pet_geometry.columns,
                               seed=options.seed, transfer_syntax=options.transfer_syntax)
    pet_slices, values = pet.pet_series(on_pet, pet_options, patient, administration, frame, 2)
    made += [Made("PT", 2, index + 1, dataset, {"slice": index})
             for index, dataset in enumerate(pet_slices)]
    reg = pet.registration(make(SynthOptions(iod="SpatialRegistration", seed=options.seed),
                                Place(patient, 0, 2, 0)), ct, pet_slices)
    made.append(Made("REG", 3, 1, reg, {"frame_of_reference_uid": frame}))

    lesions = [s.label for s in phantom.lesions]
    truths = {s.label: on_pet.truth(s) for s in phantom.lesions}
    for label, truth in truths.items():
        suv = np.asarray(administration.suv(values[on_pet.mask(label)]), dtype=np.float64)
        truth["suv_max"] = round(float(suv.max()), 4)
        truth["suv_mean"] = round(float(suv.mean()), 4)
        truth["nominal_suv"] = pet.lesion_uptake(phantom)[label]
    segmentation = _segmentation(on_pet, pet_slices, options, patient, 4, lesions, truths)
    seg, segment_of = segmentation.dataset, segmentation.truth["segment_of"]
    made.append(segmentation)
    report = derived.measurement_report(on_pet, pet_slices, seg, segment_of, truths,
                                        options.seed, kind="pet")
    sr = _document("ComprehensiveSR", options, patient, 5)
    report.fill(sr)
    made.append(Made("SR", 5, 1, sr, {"template": "1500"}))
    made[0].truth["phantom"] = {
        "geometry": asdict(geometry) | {"origin": list(geometry.origin)},
        "pet_geometry": asdict(pet_geometry) | {"origin": list(pet_geometry.origin)},
        "administration": {"weight_kg": administration.weight_kg,
                           "dose_bq": administration.dose_bq,
                           "injected": administration.injected.isoformat(),
                           "scan_start": administration.scan_start.isoformat()},
        "structures": [truths[label] | {"lesion": True} for label in lesions]}
    return made


def _rt_plan(options: StudyOptions, patient: int) -> list[Made]:
    """CT of the phantom; an RT Structure Set of the body, the organs at risk, the liver
    lesion (GTV) and its PTV; a five-field photon plan aimed at the PTV's centre; the dose
    of those beams on a grid covering the body with each ROI's DVH; the record of the
    first fraction."""
    from authoring.synth import derived, radiotherapy as rt
    from authoring.synth.derived import text_of
    from authoring.synth.phantom import Phantom
    from authoring.synth.series import Place, SynthOptions, make

    phantom = _phantom(options, patient)
    ct_options = SynthOptions(iod="CTImage", rows=options.rows, columns=options.columns,
                              seed=options.seed, transfer_syntax=options.transfer_syntax,
                              overrides=derived.geometry_overrides(phantom))
    ct = derived.ct_series(phantom, ct_options, patient)
    frame = text_of(ct[0], "FrameOfReferenceUID")
    made = [Made("CT", 1, index + 1, dataset, {
        "slice": index, "image_position": list(phantom.geometry.position(index))})
        for index, dataset in enumerate(ct)]
    ptv = rt.planning_target(phantom)
    gtv = phantom.lesions[-1]
    organs = [2, 3, 4, 5, 6, 7, 11, gtv.label]  # lungs, liver, kidneys, spine, sternum, GTV
    body = phantom.structures[0]
    rtss_base = make(SynthOptions(iod="RTStructureSet", seed=options.seed,
                                  overrides=(("FrameOfReferenceUID", frame),)),
                     Place(patient, 0, 1, 0))
    rtss, contours = derived.structure_set(phantom, ct, rtss_base, organs, [
        (body, phantom.labels > 0, "EXTERNAL"), (ptv, rt.mask_of(phantom, ptv), "PTV")])
    roi_of = {label: number for number, label in enumerate([*organs, 1, ptv.label],
                                                           start=1)}
    names = {s.label: s.name for s in (*phantom.structures, ptv)}
    made.append(Made("RTSTRUCT", 2, 1, rtss, {"rois": [
        {"number": roi_of[label], "label": label, "name": names[label],
         "contours": contours[label]} for label in roi_of]}))

    grid = rt.dose_geometry(phantom.geometry)
    on_grid = Phantom(grid, phantom.structures, phantom.seed)
    ptv_on_grid = rt.mask_of(on_grid, ptv)
    isocentre = rt.centre_of(rt.mask_of(phantom, ptv), phantom.geometry)
    prescription = rt.Prescription()
    plan_beams = rt.beams(ptv)
    dose_gy = rt.dose(on_grid, isocentre, plan_beams, ptv_on_grid, prescription)
    per_beam = prescription.dose_gy / prescription.fractions / len(plan_beams)
    meterset = round(per_beam * 100.0 * 1.12, 1)  # MU: 1 cGy/MU at depth, 12% attenuation
    plan = rt.plan(make(SynthOptions(iod="RTPlan", seed=options.seed),
                        Place(patient, 0, 2, 0)),
                   rtss, roi_of[ptv.label], isocentre, plan_beams, prescription, meterset)
    made.append(Made("RTPLAN", 3, 1, plan, {
        "isocentre_mm": list(isocentre), "prescription_gy": prescription.dose_gy,
        "fractions": prescription.fractions,
        "beams": [{"number": b.number, "gantry": b.gantry, "half_x_mm": b.half_x,
                   "half_y_mm": b.half_y} for b in plan_beams]}))

    voxel_cm3 = grid.voxel_volume / 1000.0
    histograms: list[tuple[int, list[float], dict[str, float]]] = []
    dvh_truth: list[dict[str, Any]] = []
    for label, number in roi_of.items():
        mask = (ptv_on_grid if label == ptv.label else on_grid.labels > 0 if label == 1
                else on_grid.mask(label))
        if not mask.any():
            continue
        volumes, summary = rt.cumulative_dvh(dose_gy, mask, voxel_cm3)
        histograms.append((number, volumes, summary))
        dvh_truth.append({"roi": number, "name": names[label]} | summary)
    dose_base = make(SynthOptions(iod="RTDose", seed=options.seed, rows=grid.rows,
                                  columns=grid.columns), Place(patient, 0, 3, 0))
    dose = rt.dose_object(dose_base, plan, rtss, grid, dose_gy, histograms)
    in_ptv = dose_gy[ptv_on_grid]
    made.append(Made("RTDOSE", 4, 1, dose, {
        "grid": {"rows": grid.rows, "columns": grid.columns, "frames": grid.slices,
                 "pixel_spacing": grid.pixel_spacing, "origin": list(grid.origin)},
        "ptv_minimum_gy": round(float(in_ptv.min()), 4),
        "ptv_d95_gy": round(float(sorted(in_ptv)[int(0.05 * len(in_ptv))]), 4),
        "dvh": dvh_truth}))
    record_base = make(SynthOptions(iod="RTBeamsTreatmentRecord", seed=options.seed),
                       Place(patient, 0, 4, 0))
    when = (text_of(ct[0], "StudyDate") or "20260101", "090000")
    record = rt.treatment_record(record_base, plan, plan_beams, meterset, when)
    made.append(Made("RTRECORD", 5, 1, record, {"fraction": 1, "meterset_per_beam": meterset}))
    made[0].truth["phantom"] = {
        "geometry": asdict(phantom.geometry) | {"origin": list(phantom.geometry.origin)},
        "structures": [phantom.truth(s) | {"lesion": s.lesion} for s in phantom.structures
                       if s.label in roi_of]}
    return made


def _mr_neuro(options: StudyOptions, patient: int) -> list[Made]:
    """A head phantom with a tumour and oedema, imaged in one Frame of Reference: T1 spin
    echo, T2 turbo spin echo, FLAIR, a diffusion-weighted trace (b = 1000), the same
    diffusion acquisition as one Enhanced MR instance (b = 0 and b = 1000 frames) and the
    ADC map computed from it; a Segmentation of the oedema and tumour citing the FLAIR
    slices."""
    from authoring.synth import mr
    from authoring.synth.derived import text_of
    from authoring.synth.phantom import make_head_phantom
    from authoring.synth.series import Place, SynthOptions, make
    from authoring.synth.values import stable_uid

    phantom = make_head_phantom(seed=options.seed * 1009 + patient, rows=options.rows,
                                columns=options.columns, slices=options.slices)

    def base(iod: str, series: int, frames: int = 1) -> DatasetBase:
        made_: DatasetBase = make(SynthOptions(
            iod=iod, rows=options.rows, columns=options.columns, frames=frames,
            seed=options.seed), Place(patient, 0, series - 1, 0))
        return made_

    made: list[Made] = []
    frame = ""
    for series, sequence in enumerate((mr.T1, mr.T2, mr.FLAIR, mr.DWI), start=1):
        template = base("MRImage", series)
        frame = frame or text_of(template, "FrameOfReferenceUID")
        images = mr.classic_series(phantom, template, sequence, patient, options.seed,
                                   frame, stream=series * 10)
        b_value = sequence.b_values[-1]
        made += [Made("MR", series, index + 1, image, {
            "slice": index, "sequence": sequence.name,
            "image_position": list(phantom.geometry.position(index))} | ({
                "expected_signal": {str(k): v for k, v in mr.expected(
                    sequence, b_value).items()}, "b_value": b_value} if index == 0 else {}))
            for index, image in enumerate(images)]
    organization = stable_uid(options.seed, "mr-neuro dimension", patient)
    enhanced, frames = mr.enhanced_series(
        phantom, base("EnhancedMRImage", 5, 2 * options.slices), mr.DWI, frame,
        stream=50, organization_uid=organization)
    flair = [m.dataset for m in made if m.truth.get("sequence") == mr.FLAIR.name]
    truths = {s.label: phantom.truth(s) for s in phantom.structures}
    for truth in truths.values():
        truth.pop("mean_hu")  # an MR phantom: no CT values
    made.append(_segmentation(phantom, flair, options, patient, 7, [8, 9], truths,
                              body_part="HEAD"))
    made.append(Made("MR-ENHANCED", 5, 1, enhanced, {
        "sequence": mr.DWI.name, "b_values": list(mr.DWI.b_values),
        "frames": int(frames.shape[0]),
        "expected_signal": {str(b): {str(k): v for k, v in mr.expected(mr.DWI, b).items()}
                            for b in mr.DWI.b_values}}))
    maps, _ = mr.adc_map(base("MRImage", 6), enhanced, frames, phantom, patient,
                         options.seed)
    made += [Made("MR-ADC", 6, index + 1, image, {"slice": index} | ({
        "adc_unit_mm2_per_s": mr.ADC_UNIT,
        "expected_adc": {str(k): t.adc for k, t in mr.TISSUES.items()}} if index == 0 else {}))
        for index, image in enumerate(maps)]
    made[0].truth["phantom"] = {
        "geometry": asdict(phantom.geometry) | {"origin": list(phantom.geometry.origin)},
        "structures": [phantom.truth(s) | {"lesion": s.lesion} for s in phantom.structures],
        "tissues": {str(k): asdict(t) for k, t in mr.TISSUES.items()}}
    return made


def _wsi(options: StudyOptions, patient: int) -> list[Made]:
    """A whole slide of H&E-stained tissue with nuclei and a tumour region: the pyramid of
    VL Whole Slide Microscopy levels (tiles of ``rows`` pixels, at most 256; the base 8 x
    6 tiles) and the Microscopy Bulk Simple Annotations of the nuclei and the tumour over
    its base level."""
    from authoring.synth import wsi
    from authoring.synth.series import Place, SynthOptions, make
    from authoring.synth.values import stable_uid

    tile = max(32, min(options.rows, 256))
    slide = wsi.render_slide(options.seed * 1009 + patient, tile * 8, tile * 6)
    levels = wsi.pyramid(slide.pixels, tile)
    base = make(SynthOptions(iod="VLWholeSlideMicroscopyImage", rows=tile, columns=tile,
                             seed=options.seed), Place(patient, 0, 0, 0))
    organization = stable_uid(options.seed, "wsi dimension", patient)
    made: list[Made] = []
    for index, level in enumerate(levels):
        instance = wsi.level_instance(base, level, index, tile, options.seed, patient,
                                      organization)
        made.append(Made("SM", 1, index + 1, instance, {
            "level": index, "total_pixel_matrix_columns": int(level.shape[1]),
            "total_pixel_matrix_rows": int(level.shape[0]),
            "pixel_spacing_mm": wsi.BASE_SPACING_MM * 2 ** index,
            "tiles": int(instance.get("NumberOfFrames") or 0)}))
    annotation_base = make(SynthOptions(iod="MicroscopyBulkSimpleAnnotations",
                                        seed=options.seed), Place(patient, 0, 1, 0))
    annotation = wsi.bulk_annotations(annotation_base, slide, made[0].dataset)
    made.append(Made("ANN", 2, 1, annotation, {
        "groups": {"Nuclei": len(slide.nuclei), "Tumour": 1},
        "nuclei_in_tumour": sum(n.tumour for n in slide.nuclei)}))
    made[0].truth["phantom"] = {"slide": {
        "columns": int(slide.pixels.shape[1]), "rows": int(slide.pixels.shape[0]),
        "tile": tile, "base_pixel_spacing_mm": wsi.BASE_SPACING_MM,
        "tissue_fraction": slide.tissue_fraction,
        "tumour_outline": [list(point) for point in slide.tumour_outline],
        "nuclei": [[n.column, n.row, n.radius, n.tumour] for n in slide.nuclei]}}
    return made


def _mammo_cad(options: StudyOptions, patient: int) -> list[Made]:
    """The four screening views (R/L CC and MLO) of a seeded pair of breasts with a mass in
    one and a calcification cluster in the other, and the Mammography CAD SR (TID 4000)
    whose single image findings point at them."""
    from authoring.synth import mammography as mg
    from authoring.synth.series import Place, SynthOptions, make

    rows, columns = 2 * options.rows, options.columns * 3 // 2
    found = mg.lesions(options.seed * 1009 + patient, rows)
    base = make(SynthOptions(iod="DigitalMammographyXRayImageForPresentation", rows=rows,
                             columns=columns, seed=options.seed), Place(patient, 0, 0, 0))
    images, truths = mg.views(base, found, rows, columns, options.seed, patient)
    made = [Made("MG", 1, index + 1, image, truth)
            for index, (image, truth) in enumerate(zip(images, truths, strict=True))]
    report = _document("MammographyCADSR", options, patient, 2)
    findings = mg.cad_report(report, images, truths)
    made.append(Made("CAD-SR", 2, 1, report, {"template": "4000", "findings": findings}))
    made[0].truth["phantom"] = {"lesions": [
        {"kind": lesion.kind, "side": lesion.side, "depth": lesion.depth,
         "across": lesion.across, "radius": lesion.radius,
         "calcifications": len(lesion.specks)} for lesion in found]}
    return made


def _segmentation(phantom: Phantom, images: list[DatasetBase], options: StudyOptions,
                  patient: int, series: int, labels: list[int],
                  truths: dict[int, dict[str, Any]], labelmap: bool = False,
                  body_part: str = "CHEST") -> Made:
    """The Segmentation of ``labels`` on the grid of ``images`` (its series ``series``),
    with the segments' numbers, names and the slices they are on as its truth (and, for
    the recipe, ``segment_of``: label -> segment number)."""
    from authoring.synth import derived
    from authoring.synth.derived import text_of
    from authoring.synth.series import Place, SynthOptions, make

    base = make(SynthOptions(iod="Segmentation", rows=phantom.geometry.rows,
                             columns=phantom.geometry.columns, seed=options.seed,
                             overrides=(("FrameOfReferenceUID",
                                         text_of(images[0], "FrameOfReferenceUID")),
                                        ("BodyPartExamined", body_part),
                                        *((("SOPClassUID", derived.LABEL_MAP_SEGMENTATION),)
                                          if labelmap else ()))),
                Place(patient, 0, series - 1, 0))
    seg, slices_of = derived.segmentation(phantom, images, base, labels, labelmap)
    segment_of = {label: number for number, label in enumerate(labels, start=1)}
    return Made("SEG", series, 1, seg, {
        "segment_of": segment_of,
        "segments": [{"number": segment_of[label], "label": label,
                      "name": truths[label]["name"],
                      "slices": slices_of[segment_of[label]]} for label in labels]})


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
        "structure; a Grayscale Softcopy Presentation State circling each lesion; the "
        "same segments as a Label Map Segmentation",
        ("CT", "SEG", "SR", "KOS", "RTSTRUCT", "PR", "SEG-LABELMAP"), _ct_oncology),
    "pet-ct": Recipe(
        "pet-ct",
        "CT and FDG PET of the phantom in one Frame of Reference (lesions hot, SUVbw 4-12); a "
        "Spatial Registration; a Segmentation of the lesions on the PET grid; TID 1500 "
        "SUVmax and SUVmean of each lesion",
        ("CT", "PT", "REG", "SEG", "SR"), _pet_ct),
    "rt-plan": Recipe(
        "rt-plan",
        "CT of the phantom; RT Structure Set of the body, organs at risk, the liver lesion "
        "(GTV) and its PTV (5 mm margin); a five-field 6 MV photon plan aimed at the PTV "
        "centre (60 Gy in 30 fractions); RT Dose of those beams over the body with a "
        "cumulative DVH per ROI; RT Beams Treatment Record of the first fraction",
        ("CT", "RTSTRUCT", "RTPLAN", "RTDOSE", "RTRECORD"), _rt_plan),
    "mr-neuro": Recipe(
        "mr-neuro",
        "MR of a head phantom (scalp, skull, CSF, grey and white matter, ventricles, a "
        "tumour with oedema) in one Frame of Reference: T1 SE, T2 TSE, FLAIR, DWI b1000 "
        "trace, the diffusion acquisition as an Enhanced MR multi-frame (b = 0 and 1000) "
        "and the ADC map computed from it, a Segmentation of the tumour and oedema on the "
        "FLAIR; signals from each tissue's T1, T2, proton density and diffusion "
        "coefficient",
        ("MR", "MR-ENHANCED", "MR-ADC", "SEG"), _mr_neuro),
    "wsi": Recipe(
        "wsi",
        "A whole slide of H&E-stained tissue (nuclei of known centre and size, a tumour "
        "region of known outline): a VL Whole Slide Microscopy pyramid (TILED_FULL RGB "
        "tiles, each level half the one below, an sRGB ICC profile) and Microscopy Bulk "
        "Simple Annotations of the nuclei (points, with their areas) and the tumour "
        "(a polygon) over the base level",
        ("SM", "ANN"), _wsi),
    "mammo-cad": Recipe(
        "mammo-cad",
        "Screening mammography of a seeded pair of breasts (a mass in one, a calcification "
        "cluster in the other): the four views R/L CC and MLO with laterality, view codes "
        "and patient orientation, and a Mammography CAD SR (TID 4000) whose single image "
        "findings point at each lesion on each view",
        ("MG", "CAD-SR"), _mammo_cad),
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
        path = root / one.path("" if options.dicomdir else ".dcm")
        path.parent.mkdir(parents=True, exist_ok=True)
        syntax = options.transfer_syntax if one.kind in IMAGE_KINDS else None
        write(one.dataset, path, transfer_syntax=syntax, encode_options=_encoding(one, syntax))
        if one.kind == "SM" and syntax == JPEG_BASELINE:
            _check_wsi_colour(path)
        truth = dict(one.truth)
        phantom = truth.pop("phantom", phantom)
        truth.pop("segment_of", None)  # for the recipe only (the segments list says it)
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


#: JPEG Baseline of whole slide images: the VL WSI IOD allows YBR_FULL_422 (or RGB), not
#: YBR_FULL, so the encoder must reach its PSNR target with 4:2:2 chroma; 38 dB is what
#: scanners' usual quality settings give
WSI_JPEG_PSNR = 38.0
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
#: the objects ``--transfer-syntax`` applies to: the images (derived objects stay Explicit
#: VR Little Endian)
IMAGE_KINDS = ("CT", "PT", "SM", "MR", "MR-ENHANCED", "MR-ADC", "MG")
RLE_LOSSLESS = "1.2.840.10008.1.2.5"


def _encoding(one: Made, syntax: str | None) -> Any:
    """The lossy encoder's settings for ``one`` (None: the defaults)."""
    if one.kind == "SM" and syntax == JPEG_BASELINE:
        from authoring.pixels.lossy import EncodeOptions

        return EncodeOptions(psnr=WSI_JPEG_PSNR)
    return None


def _check_wsi_colour(path: Path) -> None:
    """A JPEG whole slide level must be YBR_FULL_422 (4:2:2 reached the PSNR target)."""
    from authoring.errors import SynthError
    from authoring.io.reader import read

    photometric = str(read(path, stop_before=0x7FE00010).get("PhotometricInterpretation"))
    if photometric != "YBR_FULL_422":
        path.unlink()
        raise SynthError(f"{path}: JPEG Baseline reached {WSI_JPEG_PSNR} dB only without "
                         "chroma subsampling (YBR_FULL), which the VL Whole Slide "
                         "Microscopy IOD does not allow")


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
          overwrite: bool = False, dicomdir: bool = False) -> dict[str, Any]:
    """Write the study of ``recipe`` for each patient into ``out`` and return the manifest
    (also written, last, to ``out/manifest.json``). A folder holding files is refused
    unless ``overwrite``. Patients are made in parallel (``workers`` processes). With
    ``dicomdir`` the output is a DICOM File-set (a DICOMDIR indexing every file)."""
    from authoring.errors import SynthError

    if recipe not in RECIPES:
        raise SynthError(f"no recipe {recipe!r}; the recipes are {', '.join(sorted(RECIPES))}")
    if slices < 8 or rows < 32 or columns < 32:
        raise SynthError("a recipe needs at least 8 slices of 32 x 32 pixels")
    if patients < 1:
        raise SynthError(f"patients is {patients}: a study needs at least one")
    if transfer_syntax is not None:
        from authoring.core.transfer_syntax import transfer_syntax as resolve

        transfer_syntax = resolve(transfer_syntax).uid
        if recipe == "wsi" and transfer_syntax == RLE_LOSSLESS:
            raise SynthError("the VL Whole Slide Microscopy IOD allows Planar Configuration 0 "
                             "only, and RLE Lossless stores colour by plane: choose another "
                             "transfer syntax")
    options = StudyOptions(recipe, seed, patients, slices, rows, columns, transfer_syntax,
                           dicomdir)
    folder = Path(out)
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise SynthError(f"{folder} is not empty (overwrite=True replaces the study)")
    folder.mkdir(parents=True, exist_ok=True)
    parts = list(_patients(options, folder, workers, progress))
    if dicomdir:
        from authoring.io.dicomdir import write_dicomdir

        write_dicomdir(folder, fileset_id="SYNTHETIC")
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
