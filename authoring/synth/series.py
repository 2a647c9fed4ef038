"""Realistic studies: patients, studies, series and instances with a consistent UID
hierarchy, dates, demographics and geometry, written as a sortable folder tree.

Everything an instance holds is a function of the seed and its place (patient, study,
series, instance), so the same seed gives byte-identical files whatever the number of
workers or the order they finish in.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from authoring.synth.instance import InstanceOptions, instance, modality_of
from authoring.synth.values import Draw, patient_identity, person_name, stable_seed, stable_uid


@dataclass(frozen=True)
class SynthOptions:
    """What to generate."""

    iod: str = "CTImage"
    patients: int = 1
    studies: int = 1
    series: int = 1
    instances: int = 1
    rows: int = 64
    columns: int = 64
    frames: int = 1
    transfer_syntax: str | None = None
    charset: str = ""
    seed: int = 0
    overrides: tuple[tuple[str, Any], ...] = ()
    #: the number (0-based) of the first series: two runs with the same seed and
    #: different ``first_series`` add series to the same patients and studies
    first_series: int = 0
    #: a DICOM File-set: file names without extension (valid File IDs) and a DICOMDIR
    #: indexing every file below the output folder
    dicomdir: bool = False


@dataclass(frozen=True)
class Place:
    """Where one instance sits in the tree (all 0-based)."""

    patient: int
    study: int
    series: int
    instance: int

    def relative_path(self, extension: str = ".dcm") -> Path:
        """``P0001/ST0001/SE0001/IM0001.dcm``: sorts by patient, study, series, instance
        (each component also a valid File ID, without the extension)."""
        return Path(f"P{self.patient + 1:04d}", f"ST{self.study + 1:04d}",
                    f"SE{self.series + 1:04d}", f"IM{self.instance + 1:04d}{extension}")


@cache
def resolve_iod(name_or_uid: str) -> str:
    """The IOD name for a name or a SOP Class UID."""
    from authoring.errors import UnknownIODError
    from authoring.validation import spec

    text = name_or_uid.strip()
    if text and text[0].isdigit():
        found = spec.iod_for_sop_class(text)
        if found is None:
            raise UnknownIODError(f"no IOD of SOP class {text} in this specification")
        return found.name
    return spec.iod_named(text).name


def places(options: SynthOptions) -> Iterator[Place]:
    """Every instance's place, in sorted order."""
    for patient in range(options.patients):
        for study in range(options.studies):
            for series in range(options.first_series,
                                options.first_series + options.series):
                for number in range(options.instances):
                    yield Place(patient, study, series, number)


@cache
def _has(iod: str, keyword: str) -> bool:
    from authoring.validation import spec

    found = spec.iod_named(iod)
    for use in found.modules:
        try:
            rows = spec.module_rows(use.module)
        except KeyError:
            continue
        if any(r.keyword == keyword for r in rows):
            return True
    return False


def _digits(count: int, *parts: object) -> str:
    """``count`` decimal digits drawn from the parts (identifiers of bounded length)."""
    return f"{stable_seed(*parts) % 10**count:0{count}d}"


@cache
def _clock(seed: int, patient: int, study: int, series: int
           ) -> tuple[dt.date, dt.time, dt.datetime]:
    """The study's date and time and the series' start (five minutes per series)."""
    draw = Draw(seed, "study", patient, study)
    study_date = draw.date(2018, 2025)
    study_time = draw.time()
    series_start = dt.datetime.combine(study_date, study_time) + dt.timedelta(minutes=5 * series)
    return study_date, study_time, series_start


@cache
def _geometry(iod: str, rows: int, columns: int) -> tuple[float, float, float] | None:
    """(slice spacing, field of view, pixel spacing) for IODs with a patient position."""
    if not _has(iod, "ImagePositionPatient"):
        return None
    field_of_view = 350.0 if modality_of(iod) == "CT" else 240.0
    return 2.5, field_of_view, field_of_view / max(rows, columns)


def instance_values(options: SynthOptions, place: Place, iod: str) -> dict[str, Any]:
    """What an instance has of its own: UID, number, times, and its position along the
    series (each of its series' instances 2 s and one slice spacing further)."""
    seed = options.seed
    series_start = _clock(seed, place.patient, place.study, place.series)[2]
    content_time = (series_start + dt.timedelta(seconds=2 * place.instance)).strftime("%H%M%S")
    values: dict[str, Any] = {
        "InstanceNumber": f"{place.instance + 1}",
        "SOPInstanceUID": stable_uid(seed, "instance", iod, place.patient, place.study,
                                     place.series, place.instance),
        "ContentTime": content_time,
        "AcquisitionTime": content_time,
    }
    geometry = _geometry(iod, options.rows, options.columns)
    if geometry is not None:
        spacing, field_of_view, _ = geometry
        z = f"{-place.instance * spacing:.2f}"
        corner = f"{-field_of_view / 2:.2f}"
        values["ImagePositionPatient"] = (corner, corner, z)
        values["SliceLocation"] = z
    return values


def context(options: SynthOptions, place: Place, iod: str) -> dict[str, Any]:
    """The values an instance shares with its patient, study and series, and its own
    place in the series (numbers, times, geometry)."""
    seed = options.seed
    patient = Draw(seed, "patient", place.patient)
    study_date, study_time, series_start = _clock(seed, place.patient, place.study,
                                                  place.series)
    birth = patient.date(1940, 2000)
    name, sex = patient_identity(patient, options.charset)
    values: dict[str, Any] = {
        "PatientName": name,
        # identifiers stay within their VR's length whatever the seed (LO 64, SH 16)
        "PatientID": f"SYN{_digits(8, seed, 'patient id')}-{place.patient + 1:04d}",
        "PatientBirthDate": birth.strftime("%Y%m%d"),
        "PatientSex": sex,
        "PatientAge": f"{max(0, study_date.year - birth.year):03d}Y",
        "StudyInstanceUID": stable_uid(seed, "study", place.patient, place.study),
        "StudyDate": study_date.strftime("%Y%m%d"),
        "StudyTime": study_time.strftime("%H%M%S"),
        "StudyID": f"{place.study + 1}",
        "AccessionNumber": f"A{_digits(12, seed, 'accession', place.patient, place.study)}",
        "StudyDescription": f"Synthetic study {place.study + 1}",
        # study-level: the same in every series of the study, whatever its IOD
        "ReferringPhysicianName": person_name(Draw(seed, "referring", place.patient,
                                                   place.study), options.charset,
                                              avoid=name),
        "SeriesInstanceUID": stable_uid(seed, "series", iod, place.patient, place.study,
                                        place.series),
        "SeriesNumber": f"{place.series + 1}",
        "SeriesDate": study_date.strftime("%Y%m%d"),
        "SeriesTime": series_start.strftime("%H%M%S"),
        "SeriesDescription": f"Synthetic series {place.series + 1}",
        "FrameOfReferenceUID": stable_uid(seed, "frame of reference", iod, place.patient,
                                          place.study, place.series),
        "ContentDate": study_date.strftime("%Y%m%d"),
        "AcquisitionDate": study_date.strftime("%Y%m%d"),
        "AcquisitionNumber": "1",
    }
    values.update(instance_values(options, place, iod))
    geometry = _geometry(iod, options.rows, options.columns)
    if geometry is not None:
        spacing, _, pixel = geometry
        values.update({
            "ImageOrientationPatient": ("1", "0", "0", "0", "1", "0"),
            "PixelSpacing": (f"{pixel:.4f}", f"{pixel:.4f}"),
            "SliceThickness": f"{spacing:.2f}",
        })
    values.update(dict(options.overrides))
    return {k: v for k, v in values.items() if k in ("SOPInstanceUID",) or _has(iod, k)}


#: What differs between the instances of one series (the rest comes from its template).
PER_INSTANCE = ("SOPInstanceUID", "InstanceNumber", "ContentTime", "AcquisitionTime",
                "ImagePositionPatient", "SliceLocation")


@cache
def _template(options: SynthOptions, patient: int, study: int, series: int) -> Any:
    """The first instance of a series, complete and checked: the others differ from it only
    in :data:`PER_INSTANCE` and their pixels."""
    iod = resolve_iod(options.iod)
    first = Place(patient, study, series, 0)
    values = context(options, first, iod)
    position = float(values.get("SliceLocation", 0.0))
    instance_options = InstanceOptions(rows=options.rows, columns=options.columns,
                                       frames=options.frames, charset=options.charset,
                                       overrides=values, first_position=position, spacing=2.5,
                                       transfer_syntax=options.transfer_syntax)
    made = instance(iod, seed=options.seed, options=instance_options,
                    where=(patient, study, series))
    # encoded once and read back: the copies keep each value's bytes, which the writer
    # reuses for every value an instance does not change
    import io

    import authoring

    return authoring.read(io.BytesIO(authoring.to_bytes(made, validation="ignore")))


def make(options: SynthOptions, place: Place, *, shared: bool = False) -> Any:
    """The data set at ``place``: its series' template with its own UID, number, times,
    position and pixels (every value a function of the seed and the place). ``shared``: a
    copy that shares the template's unchanged elements (cheapest; only for writing)."""
    template = _template(options, place.patient, place.study, place.series)
    copy = template.copy_shared() if shared else template.copy()
    if place.instance == 0:
        return copy
    from authoring.synth.pixels import refresh_pixels

    values = instance_values(options, place, resolve_iod(options.iod))
    overridden = dict(options.overrides)
    for keyword in PER_INSTANCE:
        if keyword in values and keyword not in overridden and keyword in copy:
            copy.replace_value(keyword, values[keyword])
    refresh_pixels(copy, options, float(values.get("SliceLocation", 0.0)),
                   (options.seed, place.patient, place.study, place.series, place.instance),
                   _plan(options, place.patient, place.study, place.series))
    return copy


@cache
def _plan(options: SynthOptions, patient: int, study: int, series: int) -> Any:
    """The pixel plan of a series' template (read once per series)."""
    from authoring.synth.pixels import pixel_plan

    return pixel_plan(_template(options, patient, study, series), options)


@dataclass
class Outcome:
    """One written file."""

    path: Path
    error: str | None = None


@cache
def _writer(options: SynthOptions, patient: int, study: int, series: int) -> Any:
    """The series' template writer: what the instances share is encoded once."""
    from authoring.io.template_writer import TemplateWriter

    return TemplateWriter(_template(options, patient, study, series), options.transfer_syntax)


def write_one(options: SynthOptions, place: Place, folder: Path,
              made: set[Path] | None = None) -> Outcome:
    """Make and write the instance at ``place`` under ``folder``; ``made`` holds the
    folders this run has already made (one mkdir per series, not per file)."""
    target = folder / place.relative_path("" if options.dicomdir else ".dcm")
    made = made if made is not None else set()
    try:
        dataset = make(options, place, shared=True)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        _writer(options, place.patient, place.study, place.series).write(dataset, target,
                                                                          durable=False)
    except Exception as exc:  # reported per file; the others go on
        return Outcome(target, f"{type(exc).__name__}: {exc}")
    return Outcome(target)


def preflight(options: SynthOptions) -> None:
    """Encode the first instance once before anything is written: what no file of the run
    could be (an IOD whose pixels the transfer syntax cannot hold) is one clear error, not
    one per file."""
    from authoring.errors import AuthoringError, SynthError

    first = next(places(options), None)
    if first is None:
        return
    try:
        _writer(options, first.patient, first.study, first.series).chunks(
            make(options, first, shared=True))
    except SynthError:
        raise
    except AuthoringError as exc:
        from authoring.io.transfer_syntax import transfer_syntax

        syntax = transfer_syntax(options.transfer_syntax).name if options.transfer_syntax \
            else "its transfer syntax"
        raise SynthError(f"{options.iod} cannot be written in {syntax}: {exc}") from None


def _write_chunk(options: SynthOptions, chunk: list[Place], folder: str) -> list[Outcome]:
    made: set[Path] = set()
    return [write_one(options, place, Path(folder), made) for place in chunk]


@dataclass
class Summary:
    """What a run wrote."""

    written: list[Path] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    dicomdir: Path | None = None


def generate(options: SynthOptions, folder: Path, *, workers: int | None = None,
             progress: Callable[[int], None] | None = None,
             write_dicomdir: bool = True) -> Summary:
    """Write every instance under ``folder`` with ``workers`` processes (default: one per
    core); ``progress`` is called with the number of files finished so far. With
    ``options.dicomdir``, the DICOMDIR is written too unless ``write_dicomdir`` is False
    (a caller adding more series first)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    options = replace(options, iod=resolve_iod(options.iod))
    if options.transfer_syntax is not None:  # an unknown name: one clear error, first
        from authoring.io.transfer_syntax import transfer_syntax

        options = replace(options, transfer_syntax=transfer_syntax(options.transfer_syntax).uid)
    preflight(options)
    everything = list(places(options))
    workers = workers or os.cpu_count() or 1
    summary = Summary()
    done = 0

    def record(outcomes: list[Outcome]) -> None:
        nonlocal done
        for outcome in outcomes:
            if outcome.error is None:
                summary.written.append(outcome.path)
            else:
                summary.failed.append(outcome)
        done += len(outcomes)
        if progress is not None:
            progress(done)

    if workers <= 1 or len(everything) <= 1:
        made: set[Path] = set()
        for place in everything:
            record([write_one(options, place, folder, made)])
    else:
        for place in everything:  # templates made once, here: forked workers inherit them
            if place.instance == 0:
                _plan(options, place.patient, place.study, place.series)  # and its template
                _writer(options, place.patient, place.study, place.series)
        size = max(1, min(16, len(everything) // (workers * 4) or 1))
        chunks = [everything[i:i + size] for i in range(0, len(everything), size)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_write_chunk, options, chunk, str(folder))
                       for chunk in chunks]
            for future in as_completed(futures):
                record(future.result())
    summary.written.sort()
    if options.dicomdir and write_dicomdir and not summary.failed:
        from authoring.io.dicomdir import write_dicomdir as write_directory

        summary.dicomdir = write_directory(folder, fileset_id="SYNTHETIC")
    return summary


def generate_study(iods: list[str], options: SynthOptions, folder: Path, *,
                   workers: int | None = None,
                   progress: Callable[[int], None] | None = None) -> Summary:
    """Series of several IODs in the same patients and studies: ``options.series`` series
    of each IOD, numbered one after the other from ``options.first_series`` (a CT and a PET
    series of one patient, say); the DICOMDIR, if asked for, is written once at the end."""
    merged = Summary()
    finished = 0
    for index, iod in enumerate(iods):
        last = index == len(iods) - 1
        part = replace(options, iod=iod,
                       first_series=options.first_series + index * options.series)

        def report(done: int, before: int = finished) -> None:
            if progress is not None:
                progress(before + done)

        summary = generate(part, folder, workers=workers, progress=report,
                           write_dicomdir=last)
        merged.written += summary.written
        merged.failed += summary.failed
        merged.dicomdir = summary.dicomdir or merged.dicomdir
        finished += len(summary.written) + len(summary.failed)
    merged.written.sort()
    return merged

