"""``authoring convert``: read a file and write it again, optionally in another syntax."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from authoring.cli.errors import reported

if TYPE_CHECKING:
    from authoring.io.writer import Lengths, Validation
    from authoring.pixels.lossy import EncodeOptions as Options


_VALIDATIONS: dict[str, Validation] = {"raise": "raise", "warn": "warn", "ignore": "ignore"}
_LENGTHS: dict[str, Lengths] = {"keep": "keep", "defined": "defined", "undefined": "undefined"}


def convert(
    source: Annotated[Path, typer.Argument(help="File to read, or a folder (recursive; "
                                           "hidden files skipped).")],
    target: Annotated[Path, typer.Argument(help="File to write (replaced atomically), or "
                                           "the folder for a folder's files.")],
    transfer_syntax: Annotated[str | None, typer.Option(
        "--transfer-syntax", "-t",
        help="UID, keyword (ExplicitVRBigEndian) or alias: implicit, explicit, big, deflated, "
             "rle, jpeg, jpeg-lossless, jpeg-ls, jpeg-ls-near, j2k, j2k-lossy, "
             "htj2k-lossless. Pixel data is decoded and encoded as the syntax needs."
    )] = None,
    validation: Annotated[str, typer.Option(help="raise, warn or ignore value problems.")
                          ] = "raise",
    lengths: Annotated[str, typer.Option(help="Sequence and item lengths: keep (as read), "
                                         "defined or undefined.")] = "keep",
    psnr: Annotated[float, typer.Option(
        help="Lossy JPEG Baseline and JPEG 2000: the PSNR in dB every frame must reach "
             "(checked by decoding; at least 20).")] = 45.0,
    near: Annotated[int, typer.Option(
        help="JPEG-LS near-lossless: the largest error of any sample (NEAR).")] = 2,
    bulk_data_min_bytes: Annotated[int | None, typer.Option(
        help="Writing DICOM JSON or XML: byte values at least this long go to files beside "
             "the document, referenced by BulkDataURI (default: all InlineBinary).")] = None,
) -> None:
    """Convert SOURCE to TARGET. Without --transfer-syntax the output is byte-identical to
    the input wherever the file is well formed; with it, pixel data is transcoded (decoded
    and encoded again) and the attributes the encoding changes are updated. A SOURCE or
    TARGET ending in .json is a DICOM JSON document (PS3.18 F), in .xml a Native DICOM
    Model document (PS3.19 A)."""
    from authoring.io.writer import write

    checks = _VALIDATIONS.get(validation)
    if checks is None:
        raise typer.BadParameter("must be raise, warn or ignore", param_hint="--validation")
    layout = _LENGTHS.get(lengths)
    if layout is None:
        raise typer.BadParameter("must be keep, defined or undefined", param_hint="--lengths")
    from authoring.errors import AuthoringError
    from authoring.pixels.lossy import EncodeOptions

    try:
        options = EncodeOptions(psnr=psnr, near=near)
    except AuthoringError as exc:
        raise typer.BadParameter(str(exc), param_hint="--psnr/--near") from None
    if source.is_dir():
        _convert_folder(source, target, transfer_syntax, checks, layout, options)
        return
    with reported(str(source)):
        dataset = _read_any(source)
        if target.suffix.lower() == ".json":
            from authoring.io.json_model import write_json

            write_json(dataset, target, bulk_data_min_bytes=bulk_data_min_bytes)
        elif target.suffix.lower() == ".xml":
            from authoring.io.xml_model import write_xml

            write_xml(dataset, target, bulk_data_min_bytes=bulk_data_min_bytes)
        else:
            write(dataset, target, transfer_syntax=transfer_syntax, validation=checks,
                  lengths=layout, encode_options=options)
    typer.echo(f"wrote {target}")


def _read_any(source: Path) -> Any:
    """A DICOM file, or a DICOM JSON (``.json``) or Native DICOM Model (``.xml``) document
    holding one data set."""
    if source.suffix.lower() in (".json", ".xml"):
        from authoring.dataset import read as read_json_or_dicom

        return read_json_or_dicom(source)
    from authoring.io.reader import read

    return read(source)


def _convert_folder(source: Path, target: Path, transfer_syntax: str | None,
                    validation: Validation, lengths: Lengths, options: Options) -> None:
    """Each file below ``source`` to the same place below ``target``; a file that fails is
    reported and the others go on (exit status 1 if any failed)."""
    from authoring.errors import AuthoringError
    from authoring.io.output import visible_files
    from authoring.io.reader import read
    from authoring.io.writer import write

    failed = done = 0
    for path in visible_files(source):
        out = target / path.relative_to(source)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            write(read(path), out, transfer_syntax=transfer_syntax, validation=validation,
                  lengths=lengths, encode_options=options)
            done += 1
        except (AuthoringError, OSError) as exc:
            failed += 1
            message = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
            typer.echo(f"failed: {message}", err=True)
    typer.echo(f"{done} files converted into {target}" + (f"; {failed} failed" if failed
                                                           else ""))
    if failed:
        raise typer.Exit(1)
