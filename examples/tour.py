"""The tour (``make demo``): generate a small synthetic study, validate it, build three
instances with the typed builders, codify one file and rebuild it byte for byte, transcode
it, render a frame to PNG, and say where everything is.

Run: ``python examples/tour.py [OUTPUT_DIR]`` (default ``examples/output/tour``).
"""

from __future__ import annotations

import runpy
import shutil
import subprocess
import sys
import time
from pathlib import Path

import authoring
from authoring import synth
from authoring.pixels.display import display_frame, png_bytes

EXAMPLES = Path(__file__).resolve().parent


def step(title: str) -> float:
    """Print a step's title; return the time it started."""
    print(f"\n== {title}")
    return time.perf_counter()


def done(started: float, what: str) -> None:
    """Print what a step made and how long it took."""
    print(f"   {what} ({time.perf_counter() - started:.1f} s)")


def main(output: Path) -> None:
    """Run every step into ``output``."""
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    study = output / "study"

    started = step("1. a synthetic study: one patient, a CT and an MR series")
    options = synth.SynthOptions(instances=12, rows=256, columns=256, seed=2026,
                                 charset="ISO_IR 192")
    made = synth.generate_study(["CTImage", "MRImage"], options, study)
    files = made.written
    ct = [path for path in files if path.parent.name == "SE0001"]
    mr = [path for path in files if path.parent.name == "SE0002"]
    patients = {str(authoring.read(path).PatientName) for path in files}
    studies = {authoring.read(path).StudyInstanceUID for path in files}
    done(started, f"{len(files)} files under {study}: patient {', '.join(sorted(patients))}, "
                  f"{len(studies)} study, series {ct[0].parent.name} (CT) and "
                  f"{mr[0].parent.name} (MR)")

    started = step("2. validate every file against its IOD")
    reports = [authoring.read(path).validate() for path in files]
    errors = sum(len(r.errors) for r in reports)
    done(started, f"{len(reports)} files, {errors} errors")
    if errors:
        raise SystemExit("a synthetic file does not satisfy its IOD")

    started = step("3. typed builders: a CT image, a Secondary Capture, a Comprehensive SR")
    built = output / "builders"
    for name in ("ct_image", "secondary_capture", "comprehensive_sr"):
        module = runpy.run_path(str(EXAMPLES / f"{name}.py"))
        module["main"](built)
    done(started, f"written and validated in {built}")

    started = step("4. codify a CT file, run the script, compare the bytes")
    source = ct[0]
    script = output / "codify" / "ct_script.py"
    authoring.codify_to(source, script)
    rebuilt = output / "codify" / "rebuilt.dcm"
    subprocess.run([sys.executable, str(script), str(rebuilt)], check=True)
    same = rebuilt.read_bytes() == source.read_bytes()
    done(started, f"{script.name} rebuilds {source.name}: "
                  f"{'byte for byte' if same else 'NOT identical'}")
    if not same:
        raise SystemExit("the codify script did not rebuild the file exactly")

    started = step("5. transcode to JPEG 2000 and render a frame to PNG")
    j2k = output / "ct_j2k.dcm"
    authoring.write(authoring.read(source), j2k, transfer_syntax="j2k")
    png = output / "ct.png"
    png.write_bytes(png_bytes(display_frame(authoring.read(j2k), center=40, width=400)))
    done(started, f"{j2k.name} ({j2k.stat().st_size} bytes, from {source.stat().st_size}), "
                  f"{png.name}")

    print(f"\nEverything is in {output}:")
    for path in (study, built, script, rebuilt, j2k, png):
        print(f"  {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLES / "output" / "tour")
