"""The Image Pixel attributes an IOD allows, chosen, and pixel data made to match them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authoring.synth.content import PixelPlan, pixel_array
from authoring.synth.values import stable_seed
from authoring.validation import spec
from authoring.validation.conditions import Scope, applicable_value_set

if TYPE_CHECKING:
    from authoring.object.dataset import DatasetBase
    from authoring.synth.instance import Generator


def _allowed(generator: Generator, keyword: str, dataset: DatasetBase) -> list[str] | None:
    """The enumerated values an IOD allows for an attribute now (None: unconstrained)."""
    rules, _ = generator.rules.get(keyword, ((), None))
    scope = Scope(dataset, (), dataset.file_meta)
    allowed: set[str] | None = None
    for rule in rules:
        _, strength, selector, _ = rule
        if strength != "enumerated" or selector not in (None, "*"):
            continue
        applicable = applicable_value_set(rule, scope)
        if applicable is None:
            continue
        values = {str(v).strip() for v in applicable[1] if str(v).strip()}
        # sets that exclude each other: the later module (the IOD's own) decides
        allowed = values if allowed is None or not allowed & values else allowed & values
    return sorted(allowed) if allowed is not None else None


def _choose(generator: Generator, keyword: str, dataset: DatasetBase,
            preferred: list[Any]) -> Any:
    allowed = _allowed(generator, keyword, dataset)
    if not allowed:  # unconstrained, or value sets that exclude each other
        return preferred[0]
    for candidate in preferred:
        if str(candidate) in allowed:
            return candidate
    first = allowed[0]
    return int(first) if first.lstrip("-").isdigit() else first


def has_pixels(generator: Generator, dataset: DatasetBase) -> bool:
    """True when a module the instance needs holds Pixel Data."""
    for use in generator.needed_modules(dataset):
        try:
            rows = spec.module_rows(use.module)
        except KeyError:
            continue
        if any(r.keyword == "PixelData" and r.type in ("1", "1C") for r in rows):
            return True
    return False


def add_pixels(generator: Generator, dataset: DatasetBase) -> bool:
    """Choose the Image Pixel attributes the IOD allows and set matching pixel data; False
    when the IOD has no pixel data to make."""
    from authoring.synth.instance import modality_of

    if not has_pixels(generator, dataset):
        return False
    if "PixelData" in dataset:
        return True
    options = generator.options
    modality = str(dataset.get("Modality") or modality_of(generator.iod.name))
    colour_only = _allowed(generator, "SamplesPerPixel", dataset) == ["3"]
    preferences = ["RGB", "YBR_FULL_422", "YBR_FULL"] if colour_only else \
        ["MONOCHROME2", "RGB", "MONOCHROME1", "YBR_FULL", "PALETTE COLOR"]
    photometric = str(_choose(generator, "PhotometricInterpretation", dataset, preferences))
    if modality in ("US", "XC", "ES", "GM", "SM", "OP", "DMS") and _allowed(
            generator, "PhotometricInterpretation", dataset) in (None, ["RGB"]) and \
            _allowed(generator, "SamplesPerPixel", dataset) in (None, ["3"]):
        photometric = "RGB"
    dataset.set_value("PhotometricInterpretation", photometric)
    samples = 3 if photometric in ("RGB", "YBR_FULL", "YBR_FULL_422") else 1
    dataset.set_value("SamplesPerPixel", int(_choose(generator, "SamplesPerPixel", dataset,
                                                     [samples])))
    samples = int(dataset.get("SamplesPerPixel"))
    preferred_bits = [8] if samples == 3 or photometric == "PALETTE COLOR" else [16, 8]
    # depths the target syntax can encode first (JPEG Baseline: 8 bits), if the IOD allows
    preferred_bits.sort(key=lambda bits: not _encodable(options.transfer_syntax, bits,
                                                        samples, photometric))
    allocated = int(_choose(generator, "BitsAllocated", dataset, preferred_bits + [1, 32]))
    dataset.set_value("BitsAllocated", allocated)
    stored_choices = [12 if modality == "CT" and allocated == 16 else allocated, allocated,
                      *range(allocated, 0, -1)]
    stored = int(_choose(generator, "BitsStored", dataset, stored_choices))
    dataset.set_value("BitsStored", stored)
    dataset.set_value("HighBit", stored - 1)
    signed = int(_choose(generator, "PixelRepresentation", dataset, [0, 1]))
    dataset.set_value("PixelRepresentation", signed)
    if samples > 1:
        dataset.set_value("PlanarConfiguration", int(_choose(generator, "PlanarConfiguration",
                                                             dataset, [0, 1])))
        _check_planar_configuration(generator, dataset)
    dataset.set_value("Rows", options.rows)
    dataset.set_value("Columns", options.columns)
    if options.frames > 1 and _single_frame(generator, dataset):
        from authoring.errors import SynthError

        raise SynthError(f"{generator.iod.name} holds one frame per instance: ask for more "
                         f"instances, or a multi-frame IOD, rather than {options.frames} "
                         "frames")
    multi_frame = options.frames > 1 or any(
        r.keyword == "NumberOfFrames" and r.type == "1" for use in generator.iod.modules
        if use.usage == "M" for r in _rows(use.module))
    if multi_frame:
        dataset.set_value("NumberOfFrames", options.frames)
    plan = PixelPlan(options.rows, options.columns, options.frames, samples, allocated,
                     stored, signed == 1, photometric, modality)
    array = pixel_array(plan, options.first_position, options.spacing,
                        stable_seed(*generator.draw.parts, "pixels") % 2**32)
    from authoring.pixels.native import pixel_attributes

    data = pixel_attributes(array.astype(array.dtype), photometric=photometric,
                            bits_stored=stored, multi_frame=multi_frame)["PixelData"]
    dataset.set_value("PixelData", data, "OB" if allocated <= 8 else "OW")
    if modality == "CT" and "RescaleIntercept" in generator.rules:
        dataset.set_value("RescaleIntercept", "-1024")
        dataset.set_value("RescaleSlope", "1")
        dataset.set_value("RescaleType", "HU")
    for_processing = str(dataset.get("PresentationIntentType") or "") == "FOR PROCESSING"
    if samples == 1 and photometric.startswith("MONOCHROME") and not for_processing and \
            _has_row(generator, "WindowCenter"):  # (a window only for presentation)
        center, width = _window(array, modality, signed == 1, stored)
        dataset.set_value("WindowCenter", center)
        dataset.set_value("WindowWidth", width)
    if photometric == "PALETTE COLOR":
        from authoring.pixels.display import set_palette

        set_palette(dataset, "HOT_IRON")
    return True


def _encodable(syntax: str | None, bits: int, samples: int, photometric: str) -> bool:
    """True when pixels of ``bits`` (unsigned, all bits stored) can be encoded in
    ``syntax`` (True too when the syntax is native or has no encoder to ask)."""
    if syntax is None:
        return True
    from authoring.core.transfer_syntax import transfer_syntax
    from authoring.errors import AuthoringError
    from authoring.pixels.codecs import CODECS
    from authoring.pixels.info import PixelInfo

    try:
        uid = transfer_syntax(syntax).uid
    except AuthoringError:
        return True
    codec = next((c for c in CODECS if uid in c.uids), None)
    if codec is None or codec.encode is None:
        return True
    info = PixelInfo(16, 16, samples, bits, bits, bits - 1, False, 0, 1, photometric)
    return codec.encode_problem(info) is None


def _check_planar_configuration(generator: Generator, dataset: DatasetBase) -> None:
    """RLE Lossless stores colour by plane (Planar Configuration 1, PS3.5 G.2): an IOD that
    allows only colour by pixel cannot be written in it."""
    syntax = generator.options.transfer_syntax
    if syntax is None:
        return
    from authoring.core.transfer_syntax import transfer_syntax
    from authoring.errors import SynthError
    from authoring.pixels.codecs import RLE_LOSSLESS

    if transfer_syntax(syntax).uid == RLE_LOSSLESS and \
            _allowed(generator, "PlanarConfiguration", dataset) == ["0"]:
        raise SynthError(f"{generator.iod.name} allows colour by pixel only (Planar "
                         "Configuration 0), and RLE Lossless stores colour by plane")


def _single_frame(generator: Generator, dataset: DatasetBase) -> bool:
    """True when the IOD has no Number of Frames, or allows only 1."""
    return not _has_row(generator, "NumberOfFrames") or \
        _allowed(generator, "NumberOfFrames", dataset) == ["1"]


def _has_row(generator: Generator, keyword: str) -> bool:
    """True when a module of the IOD has a top-level ``keyword``."""
    return any(r.keyword == keyword for use in generator.iod.modules
               for r in _rows(use.module))


def _window(array: Any, modality: str, signed: bool, bits_stored: int) -> tuple[str, str]:
    """A display window for the pixels: the soft-tissue window for CT (in Hounsfield
    units, after the rescale), else the 1st to 99th percentile of the stored values."""
    import numpy as np

    if modality == "CT" and not signed and bits_stored >= 12:
        return "40", "400"
    low, high = (float(v) for v in np.percentile(array, [1, 99]))
    width = max(1.0, high - low)
    return f"{(low + high) / 2:.0f}", f"{width:.0f}"


def _rows(module: str) -> tuple[spec.Row, ...]:
    try:
        return spec.module_rows(module)
    except KeyError:
        return ()


def pixel_plan(dataset: DatasetBase, options: Any) -> PixelPlan | None:
    """The pixel plan a data set's Image Pixel attributes describe (None: no native pixel
    data to refresh)."""
    from authoring.synth.instance import modality_of

    if "PixelData" not in dataset or dataset["PixelData"].undefined_length:
        return None
    return PixelPlan(int(dataset.get("Rows")), int(dataset.get("Columns")),
                     int(str(dataset.get("NumberOfFrames") or 1)),
                     int(dataset.get("SamplesPerPixel")), int(dataset.get("BitsAllocated")),
                     int(dataset.get("BitsStored")), int(dataset.get("PixelRepresentation")) == 1,
                     str(dataset.get("PhotometricInterpretation")),
                     str(dataset.get("Modality") or modality_of(options.iod)))


def refresh_pixels(dataset: DatasetBase, options: Any, position: float,
                   where: tuple[object, ...], plan: PixelPlan | None = None) -> None:
    """New pixel data for another instance of a series (the same plan, another position);
    ``plan`` is :func:`pixel_plan` of the series' template when the caller has it."""
    from authoring.pixels.native import pixel_attributes

    plan = plan or pixel_plan(dataset, options)
    if plan is None:
        return
    array = pixel_array(plan, position, 2.5, stable_seed(*where, "pixels") % 2**32)
    data = pixel_attributes(array, photometric=plan.photometric, bits_stored=plan.bits_stored,
                            multi_frame=plan.frames > 1 or "NumberOfFrames" in dataset
                            )["PixelData"]
    dataset.replace_value("PixelData", data, dataset["PixelData"].vr)
