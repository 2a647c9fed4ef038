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

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from authoring.compiler.builders import (
    AttributeModel,
    ClassModel,
    IODModel,
    build_models,
    referenced_classes,
)
from authoring.compiler.context_groups import TABLE, codes_modules, context_group_tables
from authoring.compiler.coverage import coverage, storage_sop_classes
from authoring.compiler.importers.dicom3tools import (
    PUBLIC_EXTENSION_FILES,
    import_dicom3tools,
    records,
)
from authoring.compiler.importers.dicom3tools_iods import import_dicom3tools_iods
from authoring.compiler.importers.docbook_palettes import Palette
from authoring.compiler.ir import Edition
from authoring.compiler.ir_iods import IODEdition
from authoring.compiler.normalized import read_edition, render_edition
from authoring.compiler.normalized_iods import read_iod_edition, render_iod_edition
from authoring.compiler.python_types import TYPE_IMPORTS, attribute_types, used_type_imports
from authoring.compiler.render import format_many, make_environment, render
from authoring.compiler.spec_tables import spec_context

GENERATED_PACKAGE = Path("authoring") / "_generated"
DICTIONARY_DIR = Path("dictionary")


@dataclass(frozen=True)
class ProjectLayout:
    """Where the pipeline reads and writes, relative to a project checkout."""

    root: Path

    @property
    def dictionary(self) -> Path:
        """The committed normalized tables."""
        return self.root / DICTIONARY_DIR

    @property
    def generated(self) -> Path:
        """The committed generated package."""
        return self.root / GENERATED_PACKAGE


def checkout_root() -> Path | None:
    """The project checkout this package runs from, or None for an installed package
    (then the build needs an output folder)."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / DICTIONARY_DIR).is_dir():
        return root
    return None


def default_standard_root(project_root: Path) -> Path:
    """``../shared/standard`` beside the project, where the read-only sources live."""
    return project_root.parent / "shared" / "standard"


def import_standard(standard_root: Path) -> tuple[Edition, IODEdition, str]:
    """Import the dicom3tools snapshot (PS3.6 and PS3.3); return both editions and the
    source's license notice."""
    dicom3tools = standard_root / "dicom3tools"
    edition = import_dicom3tools(dicom3tools)
    sop_classes: dict[str, tuple[str, str]] = {}
    for _, _, attrs in records(dicom3tools / "libsrc" / "standard" / "sopcl.tpl"):
        sop_classes.setdefault(attrs["Name"], (attrs["Uid"], attrs["Desc"]))
    iods = import_dicom3tools_iods(dicom3tools, sop_classes)
    notice = (dicom3tools / "COPYRIGHT").read_text(encoding="utf-8").strip()
    return edition, iods, notice


def edition_files(
    edition: Edition, iods: IODEdition, license_notice: str, layout: ProjectLayout
) -> dict[str, str]:
    """Render the normalized tables, provenance note and license of ``edition``."""
    base = DICTIONARY_DIR / edition.edition
    files = {str(base / name): text for name, text in render_edition(edition).items()}
    files.update({str(base / name): text for name, text in render_iod_edition(iods).items()})
    env = make_environment()
    sources = [
        "elmdict/dicom3.tpl",
        *(f"elmdict/{f}" for f in PUBLIC_EXTENSION_FILES),
        "elmdict/<vendor>.tpl",
        "sopcl.tpl",
        "transyn.tpl",
        "module/*.tpl",
        "iodcomp/*.tpl",
        "condn.tpl",
        "strval/*.tpl",
        "binval.tpl",
        "tagval.tpl",
    ]
    counts = {
        "elements": len(edition.elements),
        "uids": len(edition.uids),
        "transfer_syntaxes": len(edition.transfer_syntaxes),
        "private_elements": len(edition.private_elements),
        "iods": len(iods.iods),
        "modules and macros": len(iods.modules),
        "conditions": len(iods.conditions),
        "value sets": len(iods.value_sets),
    }
    files[str(base / "PROVENANCE.md")] = render(
        env,
        "PROVENANCE.md.j2",
        edition=edition.edition,
        source=edition.source,
        files=sources,
        counts=counts,
        notes=edition.notes + iods.notes,
        license=license_notice,
    )
    report = coverage(edition, iods)
    files[str(base / "COVERAGE.md")] = render(
        env,
        "COVERAGE.md.j2",
        edition=edition.edition,
        covered=report.covered,
        missing=report.missing,
        without=report.iods_without_storage_class,
        retired_total=sum(1 for u in storage_sop_classes(edition) if u.retired),
        retired_missing=sum(1 for u in report.missing if u.retired),
        iod_count=sum(1 for iod in iods.iods if iod.base is None),
    )
    files[str(base / "LICENSE")] = license_notice + "\n"
    files[str(DICTIONARY_DIR / "CURRENT")] = edition.edition + "\n"
    return files


def _hex(value: int, width: int = 8) -> str:
    return f"0x{value:0{width}X}"


def generated_files(
    edition: Edition, iods: IODEdition, layout: ProjectLayout, license_notice: str
) -> dict[str, str]:
    """Compile ``edition`` into the Python modules of ``authoring/_generated``."""
    env = make_environment()
    fixed: list[dict[str, Any]] = []
    repeating: list[dict[str, Any]] = []
    for e in edition.elements:
        mask, value = e.mask_and_value()
        row = {"vr": e.vr, "vm": e.vm, "name": e.name, "keyword": e.keyword, "retired": e.retired}
        if mask == 0xFFFFFFFF:
            fixed.append({**row, "tag_hex": _hex(value)})
        else:
            repeating.append({**row, "mask_hex": _hex(mask), "value_hex": _hex(value)})
    common = {"edition": edition.edition, "license": license_notice}
    out: dict[str, str] = {}
    out[str(GENERATED_PACKAGE / "__init__.py")] = render(
        env,
        "package_init.py.j2",
        formatted=False,
        **common,
    )
    out[str(GENERATED_PACKAGE / "ps36_elements.py")] = render(
        env,
        "ps36_elements.py.j2",
        formatted=False,
        title=f"PS3.6 data elements ({edition.edition}).",
        table="elements.json",
        fixed=fixed,
        repeating=repeating,
        **common,
    )
    out[str(GENERATED_PACKAGE / "uids.py")] = render(
        env,
        "uids.py.j2",
        formatted=False,
        title=f"Registered UIDs and transfer syntaxes ({edition.edition}).",
        table="uids.json, transfer_syntaxes.json",
        uids=edition.uids,
        transfer_syntaxes=edition.transfer_syntaxes,
        **common,
    )
    private = [
        {
            "creator": p.creator,
            "group": p.group,
            "offset_hex": _hex(p.offset, 2),
            "vr": p.vr,
            "vm": p.vm,
            "name": p.name,
            "keyword": p.keyword,
        }
        for p in edition.private_elements
    ]
    out[str(GENERATED_PACKAGE / "private_elements.py")] = render(
        env,
        "private_elements.py.j2",
        formatted=False,
        title=f"Private data elements known by creator ({edition.edition}).",
        table="private_elements.json",
        private_elements=private,
        **common,
    )
    out[str(GENERATED_PACKAGE / "dataset_keywords.py")] = render(
        env,
        "dataset_keywords.py.j2",
        formatted=False,
        title="Typed keyword attributes of the plain Dataset " f"({edition.edition}).",
        table="elements.json",
        keywords=keyword_rows(edition),
        type_imports=TYPE_IMPORTS,
        **common,
    )
    if iods.iods:
        out.update(builder_files(edition, iods, env, common))

    out[str(GENERATED_PACKAGE / "iod_spec.py")] = render(
        env,
        "iod_spec.py.j2",
        formatted=False,
        title=f"PS3.3 IODs, modules, conditions and value sets " f"({edition.edition}).",
        table="iods.json, modules.json, conditions.json, " "value_sets.json",
        **spec_context(iods),
        **common,
    )
    return format_many(out)


MAX_INIT_ATTRIBUTES = 60


@dataclass
class Imports:
    """What a generated module imports for its types: classes of ``parts`` modules, and
    modules of ``items`` (item classes are named qualified by theirs)."""

    parts: list[tuple[str, list[str]]]
    item_modules: list[str]


def _imports_for(
    classes: list[ClassModel],
    homes: dict[str, str],
    own_file: str,
    extra: tuple[AttributeModel, ...] = (),
    exclude: frozenset[str] = frozenset(),
    own_items: str = "",
) -> Imports:
    needed: dict[str, set[str]] = {}
    modules: set[str] = set()
    own = {c.name for c in classes} | exclude
    referenced = {n for a in extra for n in a.item_classes}
    for cls in classes:
        referenced |= referenced_classes(cls)
    for name in sorted(referenced - own):
        if "." in name:
            module = name.split(".", 1)[0]
            if module != own_items:
                modules.add(module)
            continue
        home = homes.get(name)
        if home is not None and home != own_file:
            needed.setdefault(home, set()).add(name)
    return Imports(
        [(module, sorted(names)) for module, names in sorted(needed.items())], sorted(modules)
    )


def _local(cls: ClassModel, items_module: str) -> ClassModel:
    """``cls`` as its items module declares it: its own item classes named unqualified."""
    prefix = re.compile(rf"\b{items_module}\.")
    return replace(
        cls,
        attributes=[
            replace(
                a,
                read_type=prefix.sub("", a.read_type),
                accepted_type=prefix.sub("", a.accepted_type),
            )
            for a in cls.attributes
        ],
    )


def _type_texts(classes: list[ClassModel]) -> list[str]:
    return [t for c in classes for a in c.attributes for t in (a.read_type, a.accepted_type)]


def _uses_unset(classes: list[ClassModel]) -> bool:
    """Whether a constructor of ``classes`` has optional arguments (defaulting to UNSET)."""
    return any(
        c.kind != "module"
        and 0 < len(c.attributes) <= MAX_INIT_ATTRIBUTES
        and any(not a.constructor_required for a in c.attributes)
        for c in classes
    )


def builder_files(
    edition: Edition, iods: IODEdition, env: Any, common: dict[str, Any]
) -> dict[str, str]:
    """The part, item, IOD and index modules of the typed builders."""
    models = build_models(iods, edition)
    out: dict[str, str] = {}
    parts_dir = GENERATED_PACKAGE / "parts"
    items_dir = GENERATED_PACKAGE / "items"
    iods_dir = GENERATED_PACKAGE / "iods"
    part_entries: list[tuple[str, str]] = []
    item_modules: list[str] = []
    for cls, items in models.parts:
        out[str(parts_dir / f"{cls.file}.py")] = render(
            env,
            "part.py.j2",
            formatted=False,
            title=f"{cls.name}: {cls.doc}",
            table="modules.json",
            classes=[cls],
            imports=_imports_for([cls], models.item_homes, cls.file),
            type_imports=used_type_imports(_type_texts([cls])),
            uses_unset=_uses_unset([cls]),
            max_init=MAX_INIT_ATTRIBUTES,
            **common,
        )
        part_entries.append((cls.name, cls.file))
        if not items:
            continue
        local = [_local(item, cls.file) for item in items]
        out[str(items_dir / f"{cls.file}.py")] = render(
            env,
            "part.py.j2",
            formatted=False,
            title=f"Item classes of the sequences of {cls.name}.",
            table="modules.json",
            classes=local,
            imports=_imports_for(items, models.item_homes, "", own_items=cls.file),
            type_imports=used_type_imports(_type_texts(local)),
            uses_unset=_uses_unset(local),
            max_init=MAX_INIT_ATTRIBUTES,
            **common,
        )
        item_modules.append(cls.file)
    iod_entries: list[tuple[str, str]] = []
    for model in models.iods:
        out[str(iods_dir / f"{model.cls.file}.py")] = render(
            env,
            "iod.py.j2",
            formatted=False,
            title=f"{model.cls.name}: builder of the {model.iod.name} IOD.",
            table="iods.json",
            m=model,
            typing_names=_typing_names(model),
            imports=_imports_for(
                [replace(model.cls, attributes=model.own)],
                models.item_homes,
                "",
                tuple(model.required),
                exclude=frozenset(model.part_bases),
            ),
            type_imports=used_type_imports(
                [
                    *(t for a in model.own for t in (a.read_type, a.accepted_type)),
                    *(a.accepted_type for a in model.required),
                    "_UID" if model.generated_uids else "",
                ]
            ),
            **common,
        )
        iod_entries.append((model.cls.name, model.cls.file))
    out[str(parts_dir / "__init__.py")] = render(
        env,
        "index.py.j2",
        formatted=False,
        title="Module and macro classes, loaded on first use.",
        table="modules.json",
        package="parts",
        entries=sorted(part_entries),
        **common,
    )
    out[str(parts_dir / "__init__.pyi")] = render(
        env,
        "index.pyi.j2",
        formatted=False,
        title="Module and macro classes (for type checkers).",
        table="modules.json",
        package="parts",
        entries=sorted(part_entries),
        **common,
    )
    out[str(items_dir / "__init__.py")] = render(
        env,
        "items_index.py.j2",
        formatted=False,
        title="Item classes, one module per module or macro, loaded on first use.",
        table="modules.json",
        modules=sorted(item_modules),
        **common,
    )
    out[str(iods_dir / "__init__.py")] = render(
        env,
        "index.py.j2",
        formatted=False,
        title="IOD builders, loaded on first use.",
        table="iods.json",
        package="iods",
        entries=sorted(iod_entries),
        **common,
    )
    out[str(iods_dir / "__init__.pyi")] = render(
        env,
        "index.pyi.j2",
        formatted=False,
        title="IOD builders (for type checkers).",
        table="iods.json",
        package="iods",
        entries=sorted(iod_entries),
        **common,
    )
    return out


def _typing_names(model: IODModel) -> list[str]:
    """The names an IOD builder module imports from ``typing``."""
    texts = " ".join(
        [
            *(t for a in model.own for t in (a.read_type, a.accepted_type)),
            *(a.accepted_type for a in model.required),
        ]
    )
    names = ["TYPE_CHECKING"]
    if model.has_pixels:
        names.append("Any")
    names.append("ClassVar")
    if "Literal[" in texts or len(model.iod.sop_classes) > 1:
        names.append("Literal")
    return names


def keyword_rows(edition: Edition) -> list[dict[str, str]]:
    """Template rows of ``dataset_keywords.py.j2``: every keyword with its types."""
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for e in edition.elements:
        if not e.keyword or not e.vr or e.keyword in seen or not e.keyword.isidentifier():
            continue
        seen.add(e.keyword)
        _, value = e.mask_and_value()
        read, accepted = attribute_types(e.vr, e.vm)
        doc = f"{e.name} {e.tag} {e.vr}, VM {e.vm}" + (" (retired)" if e.retired else "") + "."
        rows.append(
            {
                "keyword": e.keyword,
                "tag_hex": _hex(value),
                "read": read,
                "accepted": accepted,
                "doc": doc,
            }
        )
    return rows


def current_edition(layout: ProjectLayout) -> tuple[Edition, IODEdition, str]:
    """Load the edition named in ``dictionary/CURRENT`` and its license notice."""
    name = (layout.dictionary / "CURRENT").read_text(encoding="utf-8").strip()
    notice = (layout.dictionary / name / "LICENSE").read_text(encoding="utf-8").strip()
    directory = layout.dictionary / name
    return read_edition(directory), read_iod_edition(directory), notice


def build_all(standard_root: Path, layout: ProjectLayout,
              progress: Callable[[str], None] | None = None) -> dict[str, str]:
    """Both stages from the standard sources: every file a build produces. ``progress`` is
    told each stage as it starts (the whole build takes minutes)."""
    def silent(stage: str) -> None:
        del stage

    say = progress or silent
    say(f"importing the standard sources in {standard_root}")
    edition, iods, notice = import_standard(standard_root)
    say(f"rendering the normalized tables of {edition.edition}")
    files = edition_files(edition, iods, notice, layout)
    say(f"compiling {len(iods.iods)} IODs and {len(iods.modules)} modules to Python "
        "(formatted with black)")
    files.update(generated_files(edition, iods, layout, notice))
    say("importing the well-known colour palettes")
    tables = palette_tables(standard_root)
    files.update(tables)
    palettes_json = next(text for name, text in tables.items() if name.endswith(".json"))
    files.update(palette_module(layout, palettes_json))
    say("importing the PS3.16 context groups (from pydicom's wheel, read as data)")
    groups = context_group_tables()
    files.update(groups)
    files.update(codes_modules(groups[str(TABLE)]))
    files.update(sr_template_modules(layout, groups[str(TABLE)], say))
    files.update(sr_constraint_module(layout))
    return files


def sr_constraint_module(layout: ProjectLayout) -> dict[str, str]:
    """``authoring/_generated/sr_constraints.py`` from the committed relationship
    constraints (``dictionary/sr_constraints``); none where the folder is absent."""
    import json

    path = layout.dictionary / "sr_constraints" / "relationships.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    text = render(make_environment(), "sr_constraints.py.j2", formatted=False,
                  iods=data["iods"])
    return {str(GENERATED_PACKAGE / "sr_constraints.py"): text}


def sr_template_modules(layout: ProjectLayout, groups_table: str,
                        say: Callable[[str], None] | None = None) -> dict[str, str]:
    """The builders compiled from the hand-encoded PS3.16 templates of the checkout
    (``dictionary/templates``); none where the folder is absent."""
    import json

    from authoring.compiler.sr_compile import template_modules

    folder = layout.dictionary / "templates"
    if not folder.is_dir():
        if say is not None:
            say(f"no SR templates in {folder}: none compiled")
        return {}
    if say is not None:
        say("compiling the PS3.16 templates of dictionary/templates")
    known = frozenset(g["cid"] for g in json.loads(groups_table)["groups"])
    return template_modules(folder, known)


def stale_generated(files: dict[str, str], root: Path) -> list[Path]:
    """Generated modules on disk that a build no longer produces."""
    produced = {root / name for name in files}
    return sorted(
        p
        for pattern in ("*.py", "*.pyi")
        for p in (root / GENERATED_PACKAGE).rglob(pattern)
        if p not in produced
    )


def write_files(files: dict[str, str], root: Path) -> list[Path]:
    """Write ``files`` (relative to ``root``) and remove generated modules no longer
    produced; return the paths that changed."""
    changed: list[Path] = []
    for stale in stale_generated(files, root):
        stale.unlink()
        changed.append(stale)
    for relative, text in sorted(files.items()):
        path = root / relative
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed


PALETTE_SOURCE = Path("docbook") / "part06_2013.xml"
PALETTE_FOLDER = "palettes"


def palette_instance_folder(standard_root: Path) -> Path:
    """Where the Color Palette instances PS3.6 Annex B publishes are: ``palettes/`` in the
    standard sources if present, else the copy in pydicom's wheel (``pydicom/data/palettes``,
    a test-time dependency; the build never imports pydicom)."""
    import importlib.util

    from authoring.errors import DictionarySourceError

    local = standard_root / "palettes"
    if local.is_dir():
        return local
    found = importlib.util.find_spec("pydicom")
    if found is not None and found.origin is not None:
        folder = Path(found.origin).parent / "data" / "palettes"
        if folder.is_dir():
            return folder
    raise DictionarySourceError("the Color Palette instances of PS3.6 Annex B are needed: put "
                                "them in palettes/ beside the sources, or install the test "
                                "extras (pydicom's wheel ships them)", path=local)


def merge_palettes(from_tables: list[Palette], from_instances: list[Palette]) -> list[Palette]:
    """The palettes of both sources, by SOP Instance UID; a palette both define must be the
    same in both (label, descriptor and every entry), or the build stops."""
    from authoring.errors import DictionarySourceError

    merged = {p.uid: p for p in from_instances}
    for table in from_tables:
        instance = merged.get(table.uid)
        if instance is not None and (instance.label, instance.entries, instance.first,
                                     instance.bits, instance.red, instance.green,
                                     instance.blue) != (table.label, table.entries,
                                                        table.first, table.bits, table.red,
                                                        table.green, table.blue):
            raise DictionarySourceError(f"{table.label}: the DocBook table and the Color "
                                        "Palette instance differ")
        merged[table.uid] = table
    return sorted(merged.values(), key=lambda p: [int(n) for n in p.uid.split(".")])


def palette_tables(standard_root: Path) -> dict[str, str]:
    """The normalized well-known palettes (PS3.6 Annex B) and their provenance."""
    import json

    from authoring.compiler.importers.docbook_palettes import import_palettes
    from authoring.compiler.importers.palette_instances import import_palette_instances

    source = standard_root / PALETTE_SOURCE
    edition, from_tables = import_palettes(source)
    instances = palette_instance_folder(standard_root)
    from_instances = import_palette_instances(instances)
    palettes = merge_palettes(from_tables, from_instances)
    records = [{"name": p.name, "label": p.label, "uid": p.uid, "entries": p.entries,
                "first": p.first, "bits": p.bits, "red": list(p.red), "green": list(p.green),
                "blue": list(p.blue)} for p in palettes]
    folder = DICTIONARY_DIR / PALETTE_FOLDER
    in_tables = {p.uid for p in from_tables}
    only_instances = [p.label for p in palettes if p.uid not in in_tables]
    where = ("pydicom's wheel (`pydicom/data/palettes`)" if "pydicom" in instances.parts
             else f"`{instances.name}/` beside the standard sources")
    provenance = (
        "# Well-known colour palettes (PS3.6 Annex B)\n\n"
        "Imported by `authoring dictionary build` from two sources, which are checked against "
        "each other where both define a palette (the build stops if any entry differs):\n\n"
        f"- `../shared/standard/{PALETTE_SOURCE}` (NEMA PS3.6 {edition}, DocBook), Annex B "
        f"tables: {', '.join(p.label for p in from_tables)}.\n"
        "- The Color Palette Storage instances PS3.6 Annex B publishes beside its text (one "
        "Part 10 file per palette, SOP Instance UIDs 1.2.840.10008.1.5.1 to .8, made for NEMA "
        f"in 2012), read with our own reader from the copy in {where}: "
        f"{', '.join(p.label for p in from_instances)}. {', '.join(only_instances)} come from "
        "these alone: segmented tables (PS3.3 C.7.9.2), expanded to 256 entries. Labels are "
        "the files' Content Label without the trailing \" LUT\".\n\n"
        "Facts of the DICOM standard (copyright NEMA), kept as data with this provenance.\n")
    return {str(folder / "palettes.json"): json.dumps(records, indent=1) + "\n",
            str(folder / "PROVENANCE.md"): provenance}


def palette_module(layout: ProjectLayout, tables_text: str) -> dict[str, str]:
    """``authoring/_generated/palettes.py`` from the normalized palettes."""
    import json

    records = json.loads(tables_text)
    env = make_environment()
    text = render(env, "palettes.py.j2", formatted=False, palettes=records,
                  folder=PALETTE_FOLDER,
                  source="NEMA PS3.6 2013 DocBook tables and the Annex B palette instances")
    return {str(GENERATED_PACKAGE / "palettes.py"): text}


def committed_palette_module(layout: ProjectLayout) -> dict[str, str]:
    """The palettes module from the committed normalized table (for ``compile``)."""
    path = layout.dictionary / PALETTE_FOLDER / "palettes.json"
    return palette_module(layout, path.read_text(encoding="utf-8")) if path.exists() else {}
