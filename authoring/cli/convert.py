"""``authoring convert``: read a file and write it again, optionally in another syntax."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from authoring.cli.errors import reported


def convert(
    source: Annotated[Path, typer.Argument(help="File to read.")],
    target: Annotated[Path, typer.Argument(help="File to write (replaced atomically).")],
    transfer_syntax: Annotated[str | None, typer.Option(
        "--transfer-syntax", "-t",
        help="UID, keyword (ExplicitVRBigEndian) or alias: implicit, explicit, big, deflated, "
             "rle, jpeg, jpeg-lossless, jpeg-ls, jpeg-ls-near, j2k, j2k-lossy. Pixel data is "
             "decoded and encoded as the syntax needs."
    )] = None,
    validation: Annotated[str, typer.Option(help="raise, warn or ignore value problems.")
                          ] = "raise",
    lengths: Annotated[str, typer.Option(help="Sequence and item lengths: keep (as read), "
                                         "defined or undefined.")] = "keep",
) -> None:
    """Convert SOURCE to TARGET. Without --transfer-syntax the output is byte-identical to
    the input wherever the file is well formed; with it, pixel data is transcoded (decoded
    and encoded again) and the attributes the encoding changes are updated."""
    from authoring.io.reader import read
    from authoring.io.writer import write

    if validation not in ("raise", "warn", "ignore"):
        raise typer.BadParameter("must be raise, warn or ignore", param_hint="--validation")
    if lengths not in ("keep", "defined", "undefined"):
        raise typer.BadParameter("must be keep, defined or undefined", param_hint="--lengths")
    with reported(str(source)):
        dataset = read(source)
        write(dataset, target, transfer_syntax=transfer_syntax,
              validation=validation, lengths=lengths)  # type: ignore[arg-type]
    typer.echo(f"wrote {target}")
