"""Orchestrate the dictionary pipeline: standard sources -> ``dictionary/`` -> generated code.

Two stages, each usable alone:

- :func:`import_standard` reads the dicom3tools snapshot into an :class:`Edition` and
  :func:`edition_files` renders it as the normalized tables committed under ``dictionary/``;
- :func:`generated_files` compiles an edition into the Python lookup tables committed under
  ``authoring/_generated/``.

Both return ``{relative path: text}`` so that a test can compare a fresh build with the
committed files without touching the working tree, and :func:`write_files` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from authoring.compiler.importers.dicom3tools import PUBLIC_EXTENSION_FILES, import_dicom3tools
from authoring.compiler.ir import Edition
from authoring.compiler.normalized import read_edition, render_edition
from authoring.compiler.render import make_environment, render

GENERATED_PACKAGE = Path("authoring") / "_generated"
DICTIONARY_DIR = Path("dictionary")


@dataclass(frozen=True)
class ProjectLayout:
    """Where the pipeline reads and writes, relative to a project checkout."""

    root: Path

    @property
    def templates(self) -> Path:
        """The compiler's Jinja2 templates."""
        return self.root / "templates" / "compiler"

    @property
    def dictionary(self) -> Path:
        """The committed normalized tables."""
        return self.root / DICTIONARY_DIR

    @property
    def generated(self) -> Path:
        """The committed generated package."""
        return self.root / GENERATED_PACKAGE


def default_project_root() -> Path:
    """The checkout this package was imported from (the compiler is a development tool)."""
    return Path(__file__).resolve().parents[2]


def default_standard_root(project_root: Path) -> Path:
    """``../shared/standard`` beside the project, where the read-only sources live."""
    return project_root.parent / "shared" / "standard"


def import_standard(standard_root: Path) -> tuple[Edition, str]:
    """Import the dicom3tools snapshot; return the edition and its license notice."""
    dicom3tools = standard_root / "dicom3tools"
    edition = import_dicom3tools(dicom3tools)
    notice = (dicom3tools / "COPYRIGHT").read_text(encoding="utf-8").strip()
    return edition, notice


def edition_files(edition: Edition, license_notice: str, layout: ProjectLayout) -> dict[str, str]:
    """Render the normalized tables, provenance note and license of ``edition``."""
    base = DICTIONARY_DIR / edition.edition
    files = {str(base / name): text for name, text in render_edition(edition).items()}
    env = make_environment(layout.templates)
    sources = ["elmdict/dicom3.tpl", *(f"elmdict/{f}" for f in PUBLIC_EXTENSION_FILES),
               "elmdict/<vendor>.tpl", "sopcl.tpl", "transyn.tpl"]
    counts = {
        "elements": len(edition.elements),
        "uids": len(edition.uids),
        "transfer_syntaxes": len(edition.transfer_syntaxes),
        "private_elements": len(edition.private_elements),
    }
    files[str(base / "PROVENANCE.md")] = render(
        env, "PROVENANCE.md.j2", edition=edition.edition, source=edition.source, files=sources,
        counts=counts, notes=edition.notes, license=license_notice,
    )
    files[str(base / "LICENSE")] = license_notice + "\n"
    files[str(DICTIONARY_DIR / "CURRENT")] = edition.edition + "\n"
    return files


def _hex(value: int, width: int = 8) -> str:
    return f"0x{value:0{width}X}"


def generated_files(edition: Edition, layout: ProjectLayout,
                    license_notice: str) -> dict[str, str]:
    """Compile ``edition`` into the Python modules of ``authoring/_generated``."""
    env = make_environment(layout.templates)
    fixed = []
    repeating = []
    for e in edition.elements:
        mask, value = e.mask_and_value()
        row = {"vr": e.vr, "vm": e.vm, "name": e.name, "keyword": e.keyword,
               "retired": e.retired}
        if mask == 0xFFFFFFFF:
            fixed.append({**row, "tag_hex": _hex(value)})
        else:
            repeating.append({**row, "mask_hex": _hex(mask), "value_hex": _hex(value)})
    common = {"edition": edition.edition, "license": license_notice}
    out: dict[str, str] = {}
    out[str(GENERATED_PACKAGE / "__init__.py")] = render(
        env, "package_init.py.j2", **common,
    )
    out[str(GENERATED_PACKAGE / "ps36_elements.py")] = render(
        env, "ps36_elements.py.j2", title=f"PS3.6 data elements ({edition.edition}).",
        table="elements.json", fixed=fixed, repeating=repeating, **common,
    )
    out[str(GENERATED_PACKAGE / "uids.py")] = render(
        env, "uids.py.j2", title=f"Registered UIDs and transfer syntaxes ({edition.edition}).",
        table="uids.json, transfer_syntaxes.json", uids=edition.uids,
        transfer_syntaxes=edition.transfer_syntaxes, **common,
    )
    private = [
        {"creator": p.creator, "group": p.group, "offset_hex": _hex(p.offset, 2), "vr": p.vr,
         "vm": p.vm, "name": p.name, "keyword": p.keyword}
        for p in edition.private_elements
    ]
    out[str(GENERATED_PACKAGE / "private_elements.py")] = render(
        env, "private_elements.py.j2",
        title=f"Private data elements known by creator ({edition.edition}).",
        table="private_elements.json", private_elements=private, **common,
    )
    return out


def current_edition(layout: ProjectLayout) -> tuple[Edition, str]:
    """Load the edition named in ``dictionary/CURRENT`` and its license notice."""
    name = (layout.dictionary / "CURRENT").read_text(encoding="utf-8").strip()
    notice = (layout.dictionary / name / "LICENSE").read_text(encoding="utf-8").strip()
    return read_edition(layout.dictionary / name), notice


def build_all(standard_root: Path, layout: ProjectLayout) -> dict[str, str]:
    """Both stages from the standard sources: every file a build produces."""
    edition, notice = import_standard(standard_root)
    files = edition_files(edition, notice, layout)
    files.update(generated_files(edition, layout, notice))
    return files


def write_files(files: dict[str, str], root: Path) -> list[Path]:
    """Write ``files`` (relative to ``root``); return the paths whose content changed."""
    changed = []
    for relative, text in sorted(files.items()):
        path = root / relative
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed
