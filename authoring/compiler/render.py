"""Render compiler templates (``templates/compiler``) and format the result with black."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def make_environment(template_dir: Path) -> jinja2.Environment:
    """A Jinja2 environment over ``template_dir`` that fails on undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pyrepr"] = python_literal
    return env


BLACK_MODE = Mode(line_length=100, target_versions={TargetVersion.PY311})


def format_python(source: str) -> str:
    """Format generated Python with black (the project's settings)."""
    return black.format_str(source, mode=BLACK_MODE)


def render(env: jinja2.Environment, template: str, **context: Any) -> str:
    """Render one template; Python templates (``*.py.j2``) are black-formatted."""
    text = env.get_template(template).render(template=template, **context)
    if template.endswith(".py.j2"):
        return format_python(text)
    return text
