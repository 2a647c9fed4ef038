"""Codify walkthrough: turn a DICOM file into a script, edit one value in the script, run
it, and validate what it writes.

1. ``examples/ct_image.py`` writes a CT image (run first if needed);
2. ``authoring.codify_to`` writes ``ct_image_script.py`` (pixel data in a sidecar ``.npy``);
3. the script is run as is: its output is byte for byte the original;
4. one line of the script is edited (the patient's name), the script is run again, and the
   result is validated against the CT Image IOD and compared with the original.

Run: ``python examples/codify_walkthrough.py [OUTPUT_DIR]``
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import authoring

EXAMPLES = Path(__file__).resolve().parent


def original_ct(output: Path) -> Path:
    """The CT image of ``examples/ct_image.py``, written if missing."""
    path = output / "ct_image.dcm"
    if not path.exists():
        subprocess.run([sys.executable, str(EXAMPLES / "ct_image.py"), str(output)], check=True)
    return path


def run(script: Path, output: Path) -> None:
    """Run a generated script as a user would: ``python SCRIPT OUTPUT``."""
    subprocess.run([sys.executable, str(script), str(output)], check=True)


def main(output: Path) -> None:
    """The walkthrough, printing each step."""
    output.mkdir(parents=True, exist_ok=True)
    source = original_ct(output)
    script = output / "ct_image_script.py"
    result = authoring.codify_to(source, script)
    print(f"1. codified {source.name} -> {script.name} and {len(result.bulk)} sidecar file(s)")

    rebuilt = output / "ct_image_rebuilt.dcm"
    run(script, rebuilt)
    same = rebuilt.read_bytes() == source.read_bytes()
    print(f"2. ran the script: {rebuilt.name} is {'byte for byte' if same else 'NOT'} the "
          "original")
    if not same:
        raise SystemExit("the rebuilt file differs from the original")

    text = script.read_text(encoding="utf-8")
    old = 'ds.PatientName = PersonName("Phantom^Water")'
    new = 'ds.PatientName = PersonName("Doe^Jane")'
    if old not in text:
        raise SystemExit(f"the script has no line {old!r}")
    script.write_text(text.replace(old, new), encoding="utf-8")
    print(f"3. edited the script: {old}  ->  {new}")

    edited = output / "ct_image_edited.dcm"
    run(script, edited)
    dataset = authoring.read(edited)
    report = dataset.validate()
    print(f"4. ran it again: PatientName is {str(dataset.PatientName)!r}; {report}")
    if not report.ok:
        raise SystemExit("the edited file does not satisfy the CT Image IOD")
    original = authoring.read(source)
    changed = [e.keyword for e in dataset if e.tag != 0x7FE00010
               and (e.tag not in original or original[e.tag].value != e.value)]
    print(f"   attributes that differ from the original: {changed}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLES / "output")
