"""Codify is safe whatever the file holds: hostile values and file names round-trip exactly,
every generated script passes the syntax-tree allow-list, and running one writes its output
and nothing else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import authoring
from authoring.codifier import generate
from authoring.codifier.literal import comment, identifier, literal
from authoring.codifier.runtime import SidecarError, bulk, output_path
from tests.support.hostile import PAYLOADS, write_hostile
from tests.support.script_safety import violations


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_hostile(tmp_path_factory.mktemp("hostile"))


def test_literals_are_inert() -> None:
    import ast

    for payload in PAYLOADS:
        assert ast.literal_eval(literal(payload)) == payload
        assert ast.literal_eval(literal(payload.encode("utf-8"))) == payload.encode("utf-8")
        assert "\n" not in literal(payload) and "\u2028" not in literal(payload)
        assert "\n" not in comment(payload) and '"' not in comment(payload)
        assert identifier(payload).isidentifier()
    assert ast.literal_eval(literal(("a'b", None, 3, -1.5))) == ("a'b", None, 3, -1.5)
    with pytest.raises(TypeError):
        literal(float("nan"))
    with pytest.raises(TypeError):
        literal(object())


@pytest.mark.parametrize("style", ["core", "typed"])
def test_hostile_files_round_trip_exactly(hostile: list[Path], style: str,
                                          tmp_path: Path) -> None:
    for index, source in enumerate(hostile):
        folder = tmp_path / f"{index}"
        folder.mkdir()
        result = generate(source, style=style, bulk_threshold=64)  # type: ignore[arg-type]
        script = result.save(folder / "rebuild.py")
        assert violations(result.script) == [], (source.name, violations(result.script))
        before = set(folder.rglob("*"))
        run = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                             text=True, timeout=120)
        assert run.returncode == 0, (source.name, run.stderr[-2000:])
        created = set(folder.rglob("*")) - before
        # the original's name, its last component only (a backslash counts as a separator)
        expected = folder / Path(source.name.replace("\\", "/")).name
        assert created == {expected}, (source.name, created)  # its output and nothing else
        assert expected.read_bytes() == source.read_bytes(), source.name


def test_payload_values_are_the_same_objects_after_rebuild(hostile: list[Path],
                                                          tmp_path: Path) -> None:
    source = next(p for p in hostile if p.name.startswith("text-"))
    script = generate(source).save(tmp_path / "text.py")
    out = tmp_path / "out.dcm"
    subprocess.run([sys.executable, str(script), str(out)], check=True, timeout=120)
    rebuilt = authoring.read(out)
    assert rebuilt.StudyDescription == PAYLOADS[0]
    assert rebuilt[0x0040A160].value == "".join(PAYLOADS)


def test_output_path_never_leaves_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.setattr(sys, "argv", ["script.py"])
    for name in ("../../etc/passwd", "..", "", "/abs/path.dcm", "a\\..\\b.dcm", "x\n.dcm"):
        path = output_path(tmp_path, name)
        assert path.parent == tmp_path, (name, path)
    monkeypatch.setattr(sys, "argv", ["script.py", str(tmp_path / "chosen.dcm")])
    assert output_path(tmp_path, "x.dcm") == tmp_path / "chosen.dcm"


def test_sidecars_are_verified(tmp_path: Path) -> None:
    (tmp_path / "data.bin").write_bytes(b"abc")
    import hashlib

    digest = hashlib.sha256(b"abc").hexdigest()
    assert bulk(tmp_path, "data.bin", digest) == b"abc"
    with pytest.raises(SidecarError, match="SHA-256"):
        bulk(tmp_path, "data.bin", "0" * 64)
    with pytest.raises(SidecarError, match="outside"):
        bulk(tmp_path / "sub", "../data.bin", digest)


def test_the_allow_list_rejects_code() -> None:
    attacks = ["import os\nos.system('x')\n", "__import__('os')\n",
               "from authoring import Dataset\nds = Dataset()\nds.__class__\n",
               "from authoring import write\nwrite.__globals__\n", "(lambda: 1)()\n",
               "from subprocess import run\n", "eval('1')\n", "x = [i for i in ()]\n",
               "from authoring import Dataset\nds = Dataset()\nds.add_new.__self__\n"]
    for attack in attacks:
        assert violations(attack), attack
