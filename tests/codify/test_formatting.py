"""The scripts are formatted as black formats them: black, run over a whole script, changes
nothing (the generator lays most statements out itself and calls black for the rest)."""

from __future__ import annotations

import warnings
from pathlib import Path

import black
import pytest

from authoring.codifier import generate
from authoring.codifier.layout import expression_lines
from authoring.codifier.model import Call, Items, Several, Value
from tests.conftest import corpus_files, pydicom_data
from tests.support.hostile import write_hostile


def _unchanged_by_black(script: str) -> bool:
    return black.format_str(script, mode=black.Mode()) == script


@pytest.mark.slow
def test_black_leaves_every_corpus_script_unchanged() -> None:
    changed = []
    count = 0
    for name in corpus_files():
        for style in ("core", "typed"):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    script = generate(pydicom_data() / name, style=style).script  # type: ignore[arg-type]
            except Exception:
                continue  # unreadable files: the corpus test covers them
            count += 1
            if not _unchanged_by_black(script):
                changed.append(f"{name} ({style})")
    print(f"\n{count} scripts, {len(changed)} changed by black")
    assert count > 300 and not changed, changed


def test_black_leaves_hostile_scripts_unchanged(tmp_path: Path) -> None:
    for path in write_hostile(tmp_path):
        for threshold in (16, 100_000):
            assert _unchanged_by_black(generate(path, bulk_threshold=threshold).script), path.name


def test_layout_of_long_shapes() -> None:
    long_text = "x" * 100
    lines = expression_lines("ds.X = ", Call("DS", (Value(long_text),)), "", "")
    assert lines == ["ds.X = DS(", f'    "{long_text}"', ")"]
    several = Several(tuple(Value(f"value{i}") for i in range(12)))
    lines = expression_lines("ds.Y = ", several, "", "")
    assert lines[0] == "ds.Y = (" and lines[-1] == ")" and all(
        line.endswith(",") for line in lines[1:-1])
    for shape in (several, Items(tuple(Value(i) for i in range(40))),
                  Call("bulk", (Value("a" * 30), Value("b" * 64), Value("c" * 20)))):
        text = "\n".join(expression_lines("ds.Z = ", shape, "", "")) + "\n"
        assert _unchanged_by_black(text), text
