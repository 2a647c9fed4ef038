"""Lay a planned :class:`~authoring.codifier.model.Script` out through the template
``templates/codify/script.py.j2`` and format it with black."""

from __future__ import annotations

from functools import cache
from typing import Any

from authoring.codifier.layout import statement_lines
from authoring.codifier.literal import comment, literal
from authoring.codifier.model import Script
from authoring.codifier.model import render as render_expression

#: The codify templates: package data (``authoring/templates/codify``; the project's
#: top-level ``templates`` folder links to ``authoring/templates``).
TEMPLATE_PACKAGE = ("authoring", "templates/codify")


@cache
def _environment() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader(*TEMPLATE_PACKAGE),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["literal"] = literal
    environment.filters["expression"] = render_expression
    return environment


#: black's default line length, which ruff's defaults expect too.
LINE_LENGTH = 88


#: Standard-library modules a script may import from (isort puts them first, apart).
STANDARD_LIBRARY = ("datetime",)


def _import_lines(script: Script) -> str:
    lines: list[str] = []
    imports = script.imports()
    first = [m for m in STANDARD_LIBRARY if m in imports]
    ordered = [*first, *(m for m in imports if m not in first)]
    for index, module in enumerate(ordered):
        names = imports[module]
        if first and index == len(first):
            lines.append("")  # the standard library, then the third-party section
        line = f"from {module} import {', '.join(names)}"
        if len(line) > LINE_LENGTH:
            line = f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"
        lines.append(line)
    return "\n".join(lines)


_MARKER = "# codify: statement boundary"


def _format_with_black(lines: list[str], which: list[int]) -> None:
    """Format, in place, the lines at ``which`` that black would change (too long): all in
    one black call, each statement between marker comments (black keeps those)."""
    long = [i for i in which if any(len(part) > LINE_LENGTH for part in lines[i].split("\n"))]
    if not long:
        return
    import black

    joined = "".join(f"{lines[i]}\n{_MARKER}\n" for i in long)
    formatted = black.format_str(joined, mode=black.Mode())
    pieces = formatted.split(f"{_MARKER}\n")
    if len(pieces) != len(long) + 1:  # a marker moved: one call per statement instead
        for i in long:
            lines[i] = black.format_str(lines[i] + "\n", mode=black.Mode()).rstrip("\n")
        return
    for i, piece in zip(long, pieces, strict=False):
        lines[i] = piece.strip("\n")


def render_script(script: Script, *, style: str, threshold: int, bulk_folder: str,
                  formatted: bool = True) -> str:
    """The script's source text, formatted as black formats it unless ``formatted`` is False.

    The generator writes black's layout itself (double quotes where black prefers them,
    imports wrapped at 88 columns) and hands black only the statements longer than a line,
    one at a time; a test proves that black leaves the whole script unchanged."""
    lines: list[str] = []
    if formatted:
        leftovers: list[int] = []  # statements of a shape the layout does not know: black formats them
        for statement in script.statements:
            laid_out = statement_lines(statement) if statement.kind not in (
                "blank", "comment") else None
            if laid_out is None:
                leftovers.append(len(lines))
                lines.append(statement.line())
            else:
                lines.append("\n".join(laid_out))
        _format_with_black(lines, leftovers)
    else:
        lines = [statement.line() for statement in script.statements]
    environment = _environment()
    text: str = environment.get_template("script.py.j2").render(
        script=script, style=style, threshold=threshold, bulk_folder=bulk_folder,
        notes=[comment(n) for n in script.notes], body="\n".join(lines),
        imports=_import_lines(script))
    return text
