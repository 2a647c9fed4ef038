"""Render compiler templates (``templates/compiler``) and format the result with black."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

import black
import jinja2
from black.mode import Mode, TargetVersion


def python_literal(value: object) -> str:
    """Return a Python literal for a str, int, bool or None taken from the standard.

    ``repr`` is the safe renderer here: for these types it always yields a literal that
    evaluates back to the same value, whatever characters the text holds.
    """
    if value is None or isinstance(value, (str, int, bool, float)):
        return repr(value)
    raise TypeError(f"no literal form for {type(value).__name__}")


def python_tuple(values: object) -> str:
    """A tuple literal of str/int/bool/None values (always with a trailing comma)."""
    if not isinstance(values, (tuple, list)):
        raise TypeError(f"expected a tuple or list, not {type(values).__name__}")
    members = cast("tuple[object, ...] | list[object]", values)
    return "(" + "".join(python_literal(v) + ", " for v in members) + ")"


def nested_literal(value: object) -> str:
    """A literal of nested tuples of str/int/bool/None (the generated tables' rows)."""
    if isinstance(value, (tuple, list)):
        members = cast("tuple[object, ...] | list[object]", value)
        return "(" + "".join(nested_literal(v) + ", " for v in members) + ")"
    return python_literal(value)


def rows_literal(rows: tuple[tuple[object, ...], ...], indent: int) -> str:
    """A tuple of rows, one row per line at ``indent`` spaces; a row's last member, when it
    is itself a tuple of rows (a sequence's children), continues on the following lines."""
    if not rows:
        return "()"
    pad = " " * indent
    lines = ["("]
    for row in rows:
        *head, last = row
        nested = cast("tuple[object, ...]", last) if isinstance(last, tuple) else ()
        if nested and all(isinstance(r, tuple) for r in nested):
            inner = rows_literal(cast("tuple[tuple[object, ...], ...]", nested), indent + 4)
            lines.append(f"{pad}    (" + "".join(nested_literal(v) + ", " for v in head)
                         + inner + "),")
        else:
            lines.append(f"{pad}    {nested_literal(row)},")
    lines.append(f"{pad})")
    return "\n".join(lines)


def docstring_text(text: object) -> str:
    """Text safe inside a triple-double-quoted docstring (backslashes and quotes escaped)."""
    value = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return " ".join(value.split())


def text_field(value: object) -> str:
    """One field of a generated text table (a tab-separated line inside a triple-quoted
    string): refused when it holds a tab, a line break, a backslash or a double quote,
    which would change the table's shape or the string."""
    text = str(value)
    if any(c in text for c in '\t\n\r\\"'):
        raise ValueError(f"a table field cannot hold tabs, line breaks, backslashes or "
                         f"double quotes: {text!r}")
    return text


def required_type(accepted: str) -> str:
    """An accepted type without its trailing ``| None`` (for a required argument)."""
    return accepted.removesuffix(" | None")


#: The compiler's templates: package data, so that an installed package can build too.
TEMPLATE_PACKAGE = ("authoring", "templates/compiler")


def make_environment() -> jinja2.Environment:
    """A Jinja2 environment over the compiler templates that fails on undefined names."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(*TEMPLATE_PACKAGE),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = python_literal
    env.filters["pyrepr_tuple"] = python_tuple
    env.filters["doc"] = docstring_text
    env.filters["required_type"] = required_type
    env.filters["text_field"] = text_field
    return env


BLACK_MODE = Mode(line_length=100, target_versions={TargetVersion.PY311})


def format_python(source: str) -> str:
    """Format generated Python with black (the project's settings)."""
    return black.format_str(source, mode=BLACK_MODE)


def format_stub(source: str) -> str:
    """Format a generated stub (``.pyi``) with black."""
    return black.format_str(source, mode=replace(BLACK_MODE, is_pyi=True))


def _format_file(item: tuple[str, str]) -> str:
    name, text = item
    return format_stub(text) if name.endswith(".pyi") else format_python(text)


def render(env: jinja2.Environment, template: str, *, formatted: bool = True,
           **context: Any) -> str:
    """Render one template; Python templates (``*.py.j2``) are black-formatted unless
    ``formatted`` is False (the build formats many files at once in parallel)."""
    text = env.get_template(template).render(template=template, **context)
    if template.endswith(".py.j2") and formatted:
        return format_python(text)
    return text


def format_many(files: dict[str, str], workers: int | None = None) -> dict[str, str]:
    """Black-format every ``.py`` and ``.pyi`` entry of ``files`` (in parallel processes)."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    names = [name for name in files if name.endswith((".py", ".pyi"))]
    workers = workers or min(len(names), os.cpu_count() or 1) or 1
    if workers <= 1 or len(names) < 4:
        return {name: _format_file((name, text)) if name in names else text
                for name, text in files.items()}
    out = dict(files)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, len(names) // (workers * 8))
        for name, text in zip(names, pool.map(_format_file, [(n, files[n]) for n in names],
                                              chunksize=chunk)):
            out[name] = text
    return out
