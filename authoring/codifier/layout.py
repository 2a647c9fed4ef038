"""Lay statements out the way black formats them, without running black on every line.

Black is the formatter of record: a test proves that black leaves every script unchanged.
Running it over thousands of long lines is slow, though, and the statements a script holds
have few shapes, so this module writes black's layout for them directly:

- a line that fits in 88 columns stays on one line;
- a trailing comment that would push a line past 88 columns goes on its own line above;
- an assignment whose value is a single literal that does not fit is wrapped in
  parentheses, when the literal then fits (black's invisible parentheses), else left long;
- a call that does not fit puts its arguments on one indented line, or, when that line does
  not fit either, one argument per line with a trailing comma (a single argument is split
  inside its own brackets instead);
- a tuple or list that does not fit has one item per line with a trailing comma.

Any statement of another shape that does not fit is handed to black itself.
"""

from __future__ import annotations

from authoring.codifier.model import (
    Call,
    Expression,
    Items,
    Several,
    Statement,
    Value,
    render,
)

LINE_LENGTH = 88
INDENT = "    "


def _fits(text: str) -> bool:
    return len(text) <= LINE_LENGTH


Argument = tuple[str, Expression]  # (keyword= prefix or "", value)


def _call_arguments(call: Call) -> list[Argument]:
    found: list[Argument] = [("", a) for a in call.args]
    found.extend((f"{key}=", value) for key, value in call.keywords)
    return found


def _call_lines(head: str, arguments: list[Argument], suffix: str, indent: str) -> list[str]:
    """``head(arguments)suffix``: flat, or the arguments on one indented line, or one per
    line with a trailing comma (one argument: split inside it)."""
    inner = indent + INDENT
    flat = f"{indent}{head}(" + ", ".join(k + render(v) for k, v in arguments) + f"){suffix}"
    if _fits(flat) or not arguments:
        return [flat]
    together = inner + ", ".join(k + render(v) for k, v in arguments)
    opening, closing = f"{indent}{head}(", f"{indent}){suffix}"
    if _fits(together):
        return [opening, together, closing]
    if len(arguments) == 1:
        key, value = arguments[0]
        return [opening, *expression_lines(key, value, "", inner), closing]
    lines = [opening]
    for key, value in arguments:
        lines.extend(expression_lines(key, value, ",", inner))
    return [*lines, closing]


def expression_lines(prefix: str, expression: Expression, suffix: str, indent: str
                     ) -> list[str]:
    """``prefix + expression + suffix`` at ``indent``, split as black splits it."""
    flat = f"{indent}{prefix}{render(expression)}{suffix}"
    if _fits(flat):
        return [flat]
    if isinstance(expression, Call):
        return _call_lines(prefix + expression.function, _call_arguments(expression), suffix,
                           indent)
    if isinstance(expression, (Several, Items)):
        opener, closer = ("(", ")") if isinstance(expression, Several) else ("[", "]")
        lines = [f"{indent}{prefix}{opener}"]
        for item in expression.items:
            lines.extend(expression_lines("", item, ",", indent + INDENT))
        return [*lines, f"{indent}{closer}{suffix}"]
    return [flat]  # a literal or a name: black cannot split it


def statement_lines(statement: Statement) -> list[str] | None:
    """The statement laid out as black lays it out, or None for a shape left to black."""
    code = statement.source()
    note = statement.comment
    if _fits(code):
        if not note:
            return [code]
        if _fits(f"{code}  # {note}"):
            return [f"{code}  # {note}"]
        return [f"# {note}", code]
    lines: list[str] | None = None
    if statement.kind in ("keyword", "attribute") and statement.value is not None:
        prefix = f"{statement.target}.{statement.name} = "
        value = statement.value
        if isinstance(value, (Call, Several, Items)):
            lines = expression_lines(prefix, value, "", "")
        else:
            wrapped = INDENT + render(value)
            lines = [prefix + "(", wrapped, ")"] if _fits(wrapped) else [code]
    elif statement.kind == "element" and statement.value is not None:
        lines = _call_lines(f"{statement.target}.add_new",
                            [("", Value(statement.tag, hex=True)), ("", Value(statement.vr)),
                             ("", statement.value)], "", "")
    elif statement.kind == "assign" and statement.value is not None:
        lines = expression_lines(f"{statement.target} = ", statement.value, "", "")
    elif statement.kind == "add" and statement.value is not None:
        lines = _call_lines(f"{statement.target}.add", [("", statement.value)], "", "")
    if lines is None:
        return None
    if note:
        lines = [f"# {note}", *lines]
    return lines
