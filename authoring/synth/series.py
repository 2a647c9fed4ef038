"""Realistic studies: patients, studies, series and instances with a consistent UID
hierarchy, dates, demographics and geometry, written as a sortable folder tree.

Everything an instance holds is a function of the seed and its place (patient, study,
series, instance), so the same seed gives byte-identical files whatever the number of
workers or the order they finish in.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from authoring.errors import AuthoringError
from authoring.pixels.lossy import EncodeOptions
from authoring.synth.instance import InstanceOptions, instance, modality_of
from authoring.synth.values import (
    Draw,
    patient_identity,
    person_name,
    stable_seed,
    stable_uid,
)


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
    #: the lossy encoders' settings (PSNR target, JPEG-LS NEAR) for a lossy syntax
    encode_options: EncodeOptions | None = None

    def __post_init__(self) -> None:
        """A misspelled override keyword is an error at once, never silently dropped."""
        from authoring.dictionary.elements import tag_for_keyword
        from authoring.errors import UnknownKeywordError
        from authoring.object.dataset import suggest_keywords

        for keyword, _ in self.overrides:
            if tag_for_keyword(keyword) is None:
                hint = suggest_keywords(keyword, limit=1)
                raise UnknownKeywordError(f"override {keyword!r}: no such attribute"
                                          + (f"; did you mean {hint[0]!r}?" if hint else ""))


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

    from authoring.dataset import read
    from authoring.io.writer import to_bytes

    return read(io.BytesIO(to_bytes(made, validation="ignore")))


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

    return TemplateWriter(_template(options, patient, study, series), options.transfer_syntax,
                          options.encode_options)


def write_one(options: SynthOptions, place: Place, folder: Path,
              made: set[Path] | None = None, overwrite: bool = False) -> Outcome:
    """Make and write the instance at ``place`` under ``folder``; ``made`` holds the
    folders this run has already made (one mkdir per series, not per file). An existing
    file is an error unless ``overwrite``."""
    target = folder / place.relative_path("" if options.dicomdir else ".dcm")
    made = made if made is not None else set()
    try:
        dataset = make(options, place, shared=True)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        _writer(options, place.patient, place.study, place.series).write(
            dataset, target, durable=False, overwrite=overwrite)
    except AuthoringError as exc:  # reported per file; the others go on
        return Outcome(target, str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug, still reported per file
        return Outcome(target, f"{type(exc).__name__}: {exc}")
    return Outcome(target)


def preflight(options: SynthOptions, *, every_override: bool = True) -> None:
    """Make and encode the first instance once before anything is written: what no file of
    the run could be (an IOD whose pixels the transfer syntax cannot hold, an override the
    IOD has no attribute for or that the generator cannot honour) is one clear error, not
    one per file. ``every_override=False`` lets overrides the IOD lacks pass (a study of
    several IODs: each applies where its IOD has it)."""
    from authoring.errors import SynthError

    first = next(places(options), None)
    if first is None:
        return
    try:
        made = make(options, first, shared=True)
        _check_overrides(options, made, every_override)
        _writer(options, first.patient, first.study, first.series).chunks(made)
    except SynthError:
        raise
    except AuthoringError as exc:
        from authoring.core.transfer_syntax import transfer_syntax

        syntax = transfer_syntax(options.transfer_syntax).name if options.transfer_syntax \
            else "its transfer syntax"
        raise SynthError(f"{options.iod} cannot be written in {syntax}: {exc}") from None


def _check_overrides(options: SynthOptions, made: Any, every_override: bool) -> None:
    """Every override the IOD has is in ``made`` as given, and breaks no rule of its VR."""
    from authoring.dictionary.elements import vm_for_tag
    from authoring.errors import SynthError
    from authoring.object.dataset import Dataset
    from authoring.validation.value_rules import check_value

    for keyword, value in options.overrides:
        if not _has(options.iod, keyword):
            if every_override:
                raise SynthError(f"{keyword} is not an attribute of the {options.iod} IOD; "
                                 "an override sets attributes the IOD has")
            continue
        wanted = Dataset()
        try:
            wanted.set_value(keyword, value)
        except AuthoringError as exc:
            raise SynthError(f"{keyword}={value!r}: {exc}") from None
        element = wanted.get_element(keyword)
        assert element is not None
        problems = check_value(element.vr, element.value, vm=vm_for_tag(element.tag_number) or None)
        if problems:
            raise SynthError(f"{keyword}={value!r}: {problems[0].message}")
        if made.get(keyword) != element.value:
            raise SynthError(f"{keyword}={value!r} cannot be imposed: the generator sets "
                             f"{keyword} itself ({made.get(keyword)!r}) from the options "
                             "(--rows, --columns, --frames, --transfer-syntax ...)")


def _write_chunk(options: SynthOptions, chunk: list[Place], folder: str, overwrite: bool
                 ) -> list[Outcome]:
    made: set[Path] = set()
    return [write_one(options, place, Path(folder), made, overwrite) for place in chunk]


@dataclass
class Summary:
    """What a run wrote."""

    written: list[Path] = field(default_factory=list[Path])
    failed: list[Outcome] = field(default_factory=list[Outcome])
    dicomdir: Path | None = None


#: What to do when the output folder already holds files: ``"refuse"`` (the default:
#: nothing is written), ``"overwrite"`` (files of the same names are replaced, others left)
#: or ``"append"`` (new series beside the old ones, numbered after the highest there;
#: nothing is ever replaced).
ExistingFiles = Literal["refuse", "overwrite", "append"]
_SERIES_FOLDER = re.compile(r"SE(\d+)")


def prepare_output(options: SynthOptions, folder: Path, if_exists: ExistingFiles,
                   blocks: int = 1) -> SynthOptions:
    """Check the output folder for ``if_exists`` before anything is written; for
    ``"append"``, reserve this run's series folders (``blocks`` blocks of
    ``options.series``) after the highest series number below ``folder``, under a lock so
    that concurrent runs get different numbers. Returns the options to run with."""
    from authoring.errors import SynthError
    from authoring.io.output import folder_lock, visible_files

    if if_exists not in ("refuse", "overwrite", "append"):
        raise SynthError(f"if_exists must be 'refuse', 'overwrite' or 'append', not "
                         f"{if_exists!r}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SynthError(f"{folder}: cannot make the output folder: {exc.strerror}") from None
    if if_exists == "overwrite":
        return options
    if if_exists == "refuse":
        present = next(visible_files(folder), None)
        if present is not None:
            raise SynthError(f"{folder} already holds files ({present}); pass --overwrite to "
                             "replace files of the same names, or --append to add series "
                             "beside them")
        return options
    with folder_lock(folder):
        highest = max((int(match.group(1)) for path in folder.glob("P*/ST*/SE*")
                       if (match := _SERIES_FOLDER.fullmatch(path.name))), default=0)
        first = max(options.first_series, highest)
        for patient in range(options.patients):
            for study in range(options.studies):
                for number in range(first, first + options.series * blocks):
                    place = Place(patient, study, number, 0)
                    (folder / place.relative_path().parent).mkdir(parents=True,
                                                                   exist_ok=True)
    return replace(options, first_series=first)


def generate(options: SynthOptions, folder: Path, *, workers: int | None = None,
             progress: Callable[[int], None] | None = None,
             write_dicomdir: bool = True, if_exists: ExistingFiles = "refuse") -> Summary:
    """Write every instance under ``folder`` with ``workers`` processes (default: one per
    core); ``progress`` is called with the number of files finished so far. With
    ``options.dicomdir``, the DICOMDIR is written too unless ``write_dicomdir`` is False
    (a caller adding more series first). ``if_exists`` says what to do with a folder that
    already holds files (:data:`ExistingFiles`); only ``"overwrite"`` replaces a file,
    and a file that appears meanwhile (a concurrent run) is a per-file error otherwise."""
    options = _checked(options)
    preflight(options)
    options = prepare_output(options, folder, if_exists)
    summary = _write_all(options, folder, workers, progress, if_exists == "overwrite")
    if options.dicomdir and write_dicomdir and not summary.failed:
        from authoring.io.dicomdir import write_dicomdir as write_directory

        summary.dicomdir = write_directory(folder, fileset_id="SYNTHETIC")
    return summary


def _checked(options: SynthOptions) -> SynthOptions:
    """The options with the IOD and transfer syntax resolved (unknown names: one clear
    error before anything else)."""
    options = replace(options, iod=resolve_iod(options.iod))
    if options.transfer_syntax is not None:
        from authoring.core.transfer_syntax import transfer_syntax

        options = replace(options, transfer_syntax=transfer_syntax(options.transfer_syntax).uid)
    return options


def _write_all(options: SynthOptions, folder: Path, workers: int | None,
               progress: Callable[[int], None] | None, overwrite: bool) -> Summary:
    """Write every instance of ``options`` under ``folder``."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

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
            record([write_one(options, place, folder, made, overwrite)])
    else:
        for place in everything:  # templates made once, here: forked workers inherit them
            if place.instance == 0:
                _plan(options, place.patient, place.study, place.series)  # and its template
                _writer(options, place.patient, place.study, place.series)
        size = max(1, min(16, len(everything) // (workers * 4) or 1))
        chunks = [everything[i:i + size] for i in range(0, len(everything), size)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_write_chunk, options, chunk, str(folder), overwrite)
                       for chunk in chunks]
            for future in as_completed(futures):
                record(future.result())
    summary.written.sort()
    return summary


def generate_study(iods: list[str], options: SynthOptions, folder: Path, *,
                   workers: int | None = None,
                   progress: Callable[[int], None] | None = None,
                   if_exists: ExistingFiles = "refuse") -> Summary:
    """Series of several IODs in the same patients and studies: ``options.series`` series
    of each IOD, numbered one after the other from ``options.first_series`` (a CT and a PET
    series of one patient, say); the DICOMDIR, if asked for, is written once at the end.
    ``if_exists`` as for :func:`generate`, checked once for the whole study."""
    from authoring.errors import SynthError

    parts = [_checked(replace(options, iod=iod)) for iod in iods]
    for keyword, _ in options.overrides:
        if not any(_has(part.iod, keyword) for part in parts):
            raise SynthError(f"{keyword} is not an attribute of "
                             f"{' or '.join(part.iod for part in parts)}")
    for part in parts:
        preflight(part, every_override=False)
    first = prepare_output(options, folder, if_exists, blocks=len(iods)).first_series
    merged = Summary()
    finished = 0
    for index, part in enumerate(parts):
        part = replace(part, first_series=first + index * options.series)

        def report(done: int, before: int = finished) -> None:
            if progress is not None:
                progress(before + done)

        summary = _write_all(part, folder, workers, report, if_exists == "overwrite")
        merged.written += summary.written
        merged.failed += summary.failed
        finished += len(summary.written) + len(summary.failed)
    merged.written.sort()
    if options.dicomdir and not merged.failed:
        from authoring.io.dicomdir import write_dicomdir as write_directory

        merged.dicomdir = write_directory(folder, fileset_id="SYNTHETIC")
    return merged
