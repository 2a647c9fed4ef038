"""Turn library errors into one-line messages and exit codes."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from typing import TypeVar

import typer

from authoring.errors import AuthoringError

T = TypeVar("T")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def reported(what: str = "") -> Generator[None, None, None]:
    """Report AuthoringError and OSError as one line and exit 1."""
    try:
        yield
    except AuthoringError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        name = exc.filename if exc.filename is not None else what
        raise fail(f"{name}: {exc.strerror or exc}") from None
