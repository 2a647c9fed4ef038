"""Plan a codify script: a data set (read from a file) -> :class:`~authoring.codifier.model.Script`.

Each element becomes the most readable statement that rebuilds its bytes exactly:

1. a keyword assignment with a typed value (``ds.PatientName = PersonName("Doe^Jane")``)
   when the dictionary knows the keyword and gives the element's VR;
2. ``add_new(tag, vr, value)`` otherwise (private elements, VRs that differ from the
   dictionary, ambiguous VRs), with the private element's name as a comment;
3. ``add(raw(tag, vr, bytes))`` when no value re-encodes to the original bytes (non-canonical
   character-set escapes, odd spacing in numbers, NaN payloads...).

Which form is exact is not guessed: every value statement is evaluated here, encoded by the
writer in the element's own context, and compared with the bytes read from the file.
Sequences become nested blocks of item data sets; lengths forms (undefined-length sequences
and items), encapsulated fragments, the preamble and the file meta as found are kept.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, cast

from authoring.codifier.literal import UnsafeValueError, identifier
from authoring.codifier.model import (
    BulkFile,
    Call,
    Expression,
    Items,
    Member,
    Name,
    Script,
    Several,
    Statement,
    Value,
)
from authoring.core.transfer_syntax import EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax
from authoring.core.vm import members
from authoring.core.vr import CHARSET_VRS, VR_INFO, Kind
from authoring.dictionary.elements import element_info
from authoring.encoding.context import Context
from authoring.encoding.encapsulated import EncapsulatedPixelData
from authoring.object.dataset import DatasetBase
from authoring.object.element import DataElement

Style = Literal["core", "typed"]

PIXEL_DATA = 0x7FE00010
_TYPED_TEXT = {"PN": "PersonName", "DA": "DA", "TM": "TM", "DT": "DT"}
_NUMBER_TEXT = {"DS": "DS", "IS": "IS"}
_BYTE_VRS = {"OB", "OW", "OD", "OF", "OL", "OV", "UN"}
#: Text VRs whose values are plain strings (no typed wrapper, no number text).
_PLAIN_TEXT = {"AE", "AS", "CS", "LO", "LT", "SH", "ST", "UC", "UI", "UR", "UT"}
#: Bytes per value of the binary VRs whose values re-encode exactly when finite.
_BINARY_SIZES = {"US": 2, "SS": 2, "UL": 4, "SL": 4, "FL": 4, "FD": 8, "SV": 8, "UV": 8,
                 "AT": 4}


@dataclass
class Options:
    """What the caller chose."""

    style: Style = "core"
    bulk_threshold: int = 256
    inline: bool = False
    bulk_folder: str = "bulk"  # sidecar folder name, relative to the script


@dataclass
class _State:
    options: Options
    syntax: TransferSyntax
    names: set[str] = field(default_factory=set[str])
    statements: list[Statement] = field(default_factory=list[Statement])
    bulk: list[BulkFile] = field(default_factory=list[BulkFile])
    fallbacks: int = 0

    def fresh_name(self, base: str) -> str:
        name = base
        number = 1
        while name in self.names or name in _RESERVED:
            number += 1
            name = f"{base}_{number}"
        self.names.add(name)
        return name


_RESERVED = {"ds", "meta", "HERE", "SOURCE_NAME", "Dataset", "DataElement", "PersonName", "DA",
             "TM", "DT", "DS", "IS", "EncapsulatedPixelData", "write", "bulk", "bulk_array",
             "output_path", "raw", "script_folder"}


# -- evaluation: what a statement's value will be when the script runs --------------------


@cache
def _constructors() -> dict[str, Any]:
    from authoring.core.values import DA, DS, DT, IS, TM, PersonName

    return {"PersonName": PersonName, "DA": DA, "TM": TM, "DT": DT, "DS": DS, "IS": IS}


def evaluate(expression: Expression, state: _State) -> Any:
    """The object an expression produces (bulk reads served from memory)."""
    if isinstance(expression, Value):
        return expression.value
    if isinstance(expression, Several):
        return tuple(evaluate(e, state) for e in expression.items)
    if isinstance(expression, Items):
        return [evaluate(e, state) for e in expression.items]
    if isinstance(expression, Name):
        if expression.name == "HERE":
            return None  # the script's folder: bulk reads are served from memory here
        raise ValueError("names are not evaluated here")
    if isinstance(expression, Member):
        raise ValueError("context group members are not evaluated here")
    constructors = _constructors()
    arguments = [evaluate(a, state) for a in expression.args]
    if expression.function in constructors:
        return constructors[expression.function](*arguments)
    if expression.function in ("bulk", "bulk_array"):
        relative = arguments[1]
        data = next(b.data for b in state.bulk if b.relative == relative)
        if expression.function == "bulk":
            return data
        import numpy as np

        return np.load(io.BytesIO(data), allow_pickle=False)
    raise ValueError(f"cannot evaluate a call to {expression.function}")


@cache
def _encoder(syntax: TransferSyntax) -> Any:
    from authoring.io.encoder import DatasetEncoder

    return DatasetEncoder(syntax, "ignore", "keep")


def _encoded(element: DataElement, ctx: Context, syntax: TransferSyntax) -> bytes | None:
    """The bytes the writer produces for ``element`` in ``ctx`` (None if it refuses)."""
    from authoring.io.encoder import chunk_bytes

    encoder = _encoder(syntax)
    try:
        return chunk_bytes(encoder.value_bytes(element, ctx))
    except Exception:  # any refusal means: not this way
        return None


# -- values ---------------------------------------------------------------------------------


def _text_item(vr: str, item: Any, clean: bool) -> Expression:
    if item is None:
        return Value(None)
    if vr in _NUMBER_TEXT:
        text = str(getattr(item, "original", item))
        return Call(_NUMBER_TEXT[vr], (Value(text.strip(" ") if clean else text),))
    if vr in _TYPED_TEXT and str(item):
        return Call(_TYPED_TEXT[vr], (Value(str(item)),))
    return Value(str(item))


def _several(items: list[Expression]) -> Expression:
    return items[0] if len(items) == 1 else Several(tuple(items))


def _typed_value(vr: str, value: Any, clean: bool = True) -> Expression:
    """The readable expression of a decoded value (may raise UnsafeValueError); ``clean``
    drops the padding spaces of DS and IS text (the writer pads again)."""
    kind = VR_INFO[vr].kind if vr in VR_INFO else None
    if kind in (Kind.TEXT, Kind.NUMBER_TEXT):
        if value is None or value == "":
            return Value("" if kind is Kind.TEXT else None)
        items = members(value)
        return _several([_text_item(vr, item, clean) for item in items])
    if kind is Kind.BINARY_NUMBER:
        if value is None:
            return Value(None)
        items = members(value)
        for item in items:
            _check_number(item)
        return _several([Value(item) for item in items])
    if kind is Kind.TAG:
        if value is None:
            return Value(None)
        items = members(value)
        tags = [Value(int(item), hex=True) for item in items]
        # several tags as a list: a pair of ints in a tuple would read as (group, element)
        return tags[0] if len(tags) == 1 else Items(tuple(tags))
    raise UnsafeValueError(f"no typed form for {vr}")


def _check_number(item: Any) -> None:
    import math

    if isinstance(item, float) and not math.isfinite(item):
        raise UnsafeValueError("a non-finite number")
    if not isinstance(item, (int, float)):
        raise UnsafeValueError(f"a {type(item).__name__} among numbers")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bytes_expression(state: _State, data: bytes, stem: str, suffix: str = ".bin"
                      ) -> Expression:
    """Bytes as a literal, or a sidecar file when above the threshold."""
    if state.options.inline or len(data) <= state.options.bulk_threshold:
        return Value(bytes(data))
    relative = f"{state.options.bulk_folder}/{len(state.bulk) + 1:04d}-{stem}{suffix}"
    state.bulk.append(BulkFile(relative, bytes(data), _sha256(data)))
    return Call("bulk", (Name("HERE"), Value(relative), Value(_sha256(data))))


def _pixel_array_expression(state: _State, data: bytes, dataset: DatasetBase
                            ) -> Expression | None:
    """Native pixel data as an ``.npy`` sidecar shaped (frames, rows, columns, samples)."""
    if state.options.inline or len(data) <= state.options.bulk_threshold:
        return None
    import numpy as np

    try:
        bits = int(dataset.get(0x00280100) or 0)
        rows = int(dataset.get(0x00280010) or 0)
        columns = int(dataset.get(0x00280011) or 0)
        samples = int(dataset.get(0x00280002) or 1)
        frames = int(str(dataset.get(0x00280008) or 1).strip() or 1)
        signed = int(dataset.get(0x00280103) or 0) == 1
    except (TypeError, ValueError):
        return None
    if bits not in (8, 16, 32) or not rows or not columns:
        return None
    dtype = np.dtype(f"<{'i' if signed else 'u'}{bits // 8}")
    expected = frames * rows * columns * samples * dtype.itemsize
    if len(data) != expected:
        return None
    shape: tuple[int, ...] = (rows, columns) if frames == 1 else (frames, rows, columns)
    if samples > 1:
        shape = (*shape, samples)
    array = np.frombuffer(data, dtype=dtype).reshape(shape)
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    encoded = buffer.getvalue()
    relative = f"{state.options.bulk_folder}/{len(state.bulk) + 1:04d}-PixelData.npy"
    state.bulk.append(BulkFile(relative, encoded, _sha256(encoded)))
    return Call("bulk_array", (Name("HERE"), Value(relative), Value(_sha256(encoded))))


# -- elements -------------------------------------------------------------------------------


class Planner:
    """Builds the statements of one script."""

    def __init__(self, options: Options, syntax: TransferSyntax) -> None:
        self.state = _State(options, syntax)

    @property
    def statements(self) -> list[Statement]:
        """The statements planned so far."""
        return self.state.statements

    def dataset(self, dataset: DatasetBase, target: str, syntax: TransferSyntax,
                item_classes: dict[str, str] | None = None, attributes: frozenset[str] = frozenset(),
                skip: frozenset[int] = frozenset()) -> None:
        """Statements setting every element of ``dataset`` on ``target`` (but ``skip``)."""
        for element in dataset.ordered().values():
            if element.tag_number not in skip:
                self.element(element, dataset, target, syntax, attributes, item_classes or {})

    def element(self, element: DataElement, dataset: DatasetBase, target: str,
                syntax: TransferSyntax, attributes: frozenset[str],
                item_classes: dict[str, str]) -> None:
        """The statement(s) for one element."""
        tag = element.tag_number
        vr = element.vr
        private = bool(tag >> 16 & 1)
        info = element_info(tag) if not private else None
        keyword = info.keyword if info is not None and info.vr == vr and not info.retired \
            else None
        if keyword is not None and self.state.options.style == "typed" and attributes \
                and keyword not in attributes:
            keyword = None  # outside the builder: the core API says it
        if private:
            note = self.private_note(dataset, tag)
        elif keyword is None and info is not None:
            note = info.name + (" (retired)" if info.retired else "")
        else:
            note = ""
        if tag & 0xFFFF == 0:  # group length: recomputed by the writer, its value kept for show
            self.state.statements.append(Statement("element", target, tag=tag, vr=vr,
                                                   value=Value(element.value)))
            return
        lazy = element.source if getattr(element.source, "parse_items", None) else None
        if vr == "SQ" or (vr == "UN" and isinstance(element.value, list)):
            if lazy is not None and not _items_reencode(element, lazy, syntax):
                self.raw_sequence(element, lazy, target, note)
                return
            self.sequence(element, target, keyword, syntax, item_classes, note)
            return
        if tag == PIXEL_DATA and isinstance(element.value, EncapsulatedPixelData):
            self.encapsulated(element, target)
            return
        if element.raw_vr is not None and element.raw is not None:
            # an explicit header VR that differs from the one the value was decoded with (an
            # explicit UN for a known tag): the bytes under that header, as they are
            data = _bytes_expression(self.state, bytes(element.raw), "value")
            self.state.statements.append(Statement("element", target, tag=tag,
                                                   vr=element.raw_vr, value=data, note=note))
            return
        expression = self.value_expression(element, dataset)
        if expression is not None:
            if keyword is not None:
                self.state.statements.append(Statement("keyword", target, name=keyword,
                                                       value=expression, note=note))
            else:
                self.state.statements.append(Statement("element", target, tag=tag, vr=vr,
                                                       value=expression, note=note))
            return
        self.raw(element, target, note)

    def private_note(self, dataset: DatasetBase, tag: int) -> str:
        """The private element's name, for a comment (from our dictionary, never the file)."""
        if tag & 0xFF00 == 0 and tag & 0xFF >= 0x10:
            return "private creator"
        creator = dataset.private_creator_of(tag)
        if creator is None:
            return ""
        from authoring.dictionary.private import private_element_info

        info = private_element_info(creator, tag)
        return info.name if info is not None and info.name else ""

    def value_expression(self, element: DataElement, dataset: DatasetBase
                         ) -> Expression | None:
        """A readable expression that re-encodes to the element's bytes, or None."""
        raw = element.raw
        ctx = element.context
        if raw is None or ctx is None:
            return None
        vr = element.vr
        try:
            value = element.value
        except Exception:
            return None
        candidates: list[Expression] = []
        try:
            if vr in _BYTE_VRS:
                data: bytes | bytearray | None = value if isinstance(value, (bytes, bytearray)) \
                    else None
                if data is None and hasattr(value, "tobytes"):
                    data = bytes(getattr(value, "tobytes")())
                if data is None:
                    return None
                if element.tag_number == PIXEL_DATA and vr in ("OB", "OW"):
                    array = _pixel_array_expression(self.state, bytes(data), dataset)
                    if array is not None:
                        candidates.append(array)
                candidates.append(_bytes_expression(self.state, bytes(data), "value"))
            else:
                candidates.append(_typed_value(vr, value))
                if vr in _NUMBER_TEXT:
                    exact = _typed_value(vr, value, clean=False)
                    if exact != candidates[0]:
                        candidates.append(exact)
        except UnsafeValueError:
            return None
        texts = members(value)
        if vr in _PLAIN_TEXT and all(isinstance(v, str) for v in texts):
            text = "\\".join(texts)
            if text.isascii() and (ctx.charset.is_default or vr in ("UI", "AE", "CS", "AS")):
                encoded = text.encode("ascii")
                if len(encoded) % 2:
                    encoded += b"\x00" if vr == "UI" else b" "
                if encoded == bytes(raw):
                    return candidates[0]  # ASCII text with the standard padding
        size = _BINARY_SIZES.get(vr)
        if size is not None and value is not None:
            count = len(texts)
            if count * size == len(raw):
                return candidates[0]  # finite binary numbers pack back to the same bytes
        for candidate in candidates:
            try:
                built = DataElement(element.tag_number, vr, evaluate(candidate, self.state))
            except (TypeError, ValueError):
                continue
            if _encoded(built, ctx, self.state.syntax) == bytes(raw):
                return candidate
            self._forget_bulk(candidate)
        return None

    def _forget_bulk(self, expression: Expression) -> None:
        if isinstance(expression, Call) and expression.function in ("bulk", "bulk_array"):
            relative = expression.args[1]
            assert isinstance(relative, Value)
            self.state.bulk = [b for b in self.state.bulk if b.relative != relative.value]

    def raw(self, element: DataElement, target: str, note: str) -> None:
        """``target.add(raw(...))``: the element's bytes as they are."""
        data = element.raw
        ctx = element.context
        assert data is not None and ctx is not None
        keywords: list[tuple[str, Expression]] = []
        if not ctx.little_endian:
            keywords.append(("big_endian", Value(True)))
        if element.vr in CHARSET_VRS and ctx.charset.terms:
            keywords.append(("charset", Value("\\".join(ctx.charset.terms))))
        header_vr = element.raw_vr or element.vr
        data_expression = _bytes_expression(self.state, bytes(data), "raw")
        self.state.fallbacks += 1
        self.state.statements.append(Statement(
            "add", target, value=Call("raw", (Value(element.tag_number, hex=True), Value(header_vr),
                                              data_expression), tuple(keywords)),
            note=note or "kept as its original bytes"))

    def raw_sequence(self, element: DataElement, lazy: Any, target: str, note: str) -> None:
        """A sequence whose items do not encode back to their bytes (a wrong item length,
        say): its item stream as it is."""
        ctx = element.context
        assert ctx is not None
        keywords: list[tuple[str, Expression]] = []
        if element.vr != "SQ":
            keywords.append(("vr", Value(element.vr)))
        if element.undefined_length:
            keywords.append(("undefined_length", Value(True)))
        if lazy.implicit_vr:
            keywords.append(("implicit", Value(True)))
        if not lazy.little_endian:
            keywords.append(("big_endian", Value(True)))
        if ctx.charset.terms:
            keywords.append(("charset", Value("\\".join(ctx.charset.terms))))
        data = _bytes_expression(self.state, bytes(lazy.data), "items")
        self.state.fallbacks += 1
        self.state.statements.append(Statement(
            "add", target, value=Call("raw_sequence", (Value(element.tag_number, hex=True), data),
                                      tuple(keywords)),
            note=note or "items kept as their original bytes"))

    def encapsulated(self, element: DataElement, target: str) -> None:
        """Encapsulated Pixel Data: offset table and fragments, undefined length."""
        value = element.value
        assert isinstance(value, EncapsulatedPixelData)
        fragments = tuple(_bytes_expression(self.state, fragment, f"fragment{index + 1}")
                          for index, fragment in enumerate(value.fragments))
        pixel = Call("EncapsulatedPixelData", (), (
            ("offset_table", _bytes_expression(self.state, value.offset_table, "offsets")),
            ("fragments", Items(fragments))))
        self.state.statements.append(Statement(
            "add", target, value=Call("DataElement", (Value(PIXEL_DATA, hex=True),
                                                      Value(element.vr), pixel),
                                      (("undefined_length", Value(True)),)),
            note="encapsulated Pixel Data"))

    def sequence(self, element: DataElement, target: str, keyword: str | None,
                 syntax: TransferSyntax, item_classes: dict[str, str], note: str) -> None:
        """Items first (each a block), then the sequence, then its length form."""
        tag = element.tag_number
        base = identifier(keyword.removesuffix("Sequence") if keyword else
                          f"item_{tag >> 16:04x}_{tag & 0xFFFF:04x}", "item")
        item_class = item_classes.get(keyword or "")
        names: list[Expression] = []
        for item in element.value:
            name = self.state.fresh_name(base)
            names.append(Name(name))
            self.state.statements.append(Statement("blank"))
            self.state.statements.append(Statement("new", name, name=item_class or ""))
            nested_attributes: frozenset[str] = frozenset()
            nested_items: dict[str, str] = {}
            if item_class:
                cls = _part_class(item_class)
                nested_attributes = cls.ATTRIBUTES
                nested_items = dict(getattr(cls, "ITEMS", {}))
            self.dataset(item, name, syntax, nested_items, nested_attributes)
            if item.item_undefined_length:
                self.state.statements.append(Statement("attribute", name,
                                                       name="item_undefined_length",
                                                       value=Value(True)))
        header_vr = "UN" if element.raw_vr == "UN" else element.vr
        if keyword is not None and header_vr == "SQ":
            self.state.statements.append(Statement("keyword", target, name=keyword,
                                                   value=Items(tuple(names)), note=note))
        else:  # a private sequence, or one whose file header says UN
            keyword = None
            self.state.statements.append(Statement("element", target, tag=tag, vr=header_vr,
                                                   value=Items(tuple(names)), note=note))
        if element.undefined_length:
            self.state.statements.append(Statement("flag", target, name=keyword or "", tag=tag))


def _items_reencode(element: DataElement, lazy: Any, syntax: TransferSyntax) -> bool:
    """True when the sequence's items, parsed and encoded again, give its original bytes."""
    from authoring.io.encoder import DatasetEncoder, chunk_bytes

    ctx = element.context
    if ctx is None:
        return False
    try:
        items = element.value
        twin = DataElement.from_value(element.tag_number, element.vr, items,
                                      undefined_length=element.undefined_length)
        twin.raw_vr = element.raw_vr
        out: list[Any] = []
        encoder = DatasetEncoder(syntax, "ignore", "keep")
        encoder.sequence(twin, ctx, 0, out)
        header = len(encoder.header(element.tag_number, "UN" if element.raw_vr == "UN" else
                                    element.vr, 0))
    except Exception:
        return False
    encoded = b"".join(chunk_bytes(c) for c in out)
    end = len(encoded) - (8 if element.undefined_length else 0)
    return encoded[header:end] == bytes(lazy.data)


def _part_class(name: str) -> Any:
    from authoring.items import item_class

    return item_class(name)


def plan(dataset: DatasetBase, *, source_name: str, options: Options) -> Script:
    """The script that rebuilds ``dataset`` as it was read."""
    from authoring.io.encoder import target_syntax

    syntax = dataset.read_transfer_syntax or EXPLICIT_VR_LITTLE_ENDIAN
    written = target_syntax(dataset, None)  # what convert writes: the meta's syntax
    planner = Planner(options, syntax)
    script = Script(source_name=source_name, output_name=source_name)
    state = planner.state
    builder = _builder_for(dataset) if options.style == "typed" else None
    options_out: list[tuple[str, Expression]] = [
        ("transfer_syntax", Value(written.uid)),
        ("file_meta", Value("as-is")),
        ("validation", Value("ignore")),
    ]
    if dataset.is_part10 is False or dataset.preamble is None:
        options_out.append(("part10", Value(False)))
    report = None
    if builder is not None:
        from authoring.codifier.sr_plan import declared_compiled, template_plan

        report = template_plan(dataset, {k: cast(Value, v).value for k, v in options_out})
        if report is None and declared_compiled(dataset) is not None:
            script.notes.append(
                f"The SR content tree is codified item by item: it names TID "
                f"{declared_compiled(dataset)}, whose compiled builder does not rebuild it "
                "byte for byte (item order, code meanings or attributes the template does "
                "not make).")
    if dataset.file_meta is not None and len(dataset.file_meta):
        state.statements.append(Statement("comment", note="File Meta Information, as found"))
        state.statements.append(Statement("new", "meta"))
        planner.dataset(dataset.file_meta, "meta", EXPLICIT_VR_LITTLE_ENDIAN)
        state.statements.append(Statement("blank"))
    state.statements.append(Statement("comment", note="The data set"))
    if builder is not None:
        script.typed_class = builder.__name__
        script.typed_module = "authoring.iods"
        state.statements.append(Statement("new", "ds", name=builder.__name__))
        planner.dataset(dataset, "ds", syntax, dict(getattr(builder, "ITEMS", {})),
                        builder.ATTRIBUTES, report.tags if report is not None else frozenset())
        if report is not None:
            state.statements.append(Statement("blank"))
            state.statements.append(Statement(
                "comment", note=f"The content tree: TID {report.tid}, {report.class_name}"))
            state.statements.append(Statement("assign", "report", value=report.expression))
            state.statements.append(Statement("fill", "report", name="ds"))
    else:
        state.statements.append(Statement("new", "ds"))
        planner.dataset(dataset, "ds", syntax)
    state.statements.append(Statement("blank"))
    if dataset.file_meta is not None and len(dataset.file_meta):
        state.statements.append(Statement("attribute", "ds", name="file_meta", value=Name("meta")))
    if dataset.deflated_source is not None:
        digest, compressed = dataset.deflated_source
        state.statements.append(Statement(
            "attribute", "ds", name="deflated_source",
            value=Several((Value(digest), _bytes_expression(state, compressed, "deflated"))),
            note="the original deflate stream, reused while the data set encodes the same"))
    if dataset.preamble is not None and any(dataset.preamble):
        state.statements.append(Statement("attribute", "ds", name="preamble",
                                          value=_bytes_expression(state, dataset.preamble,
                                                                  "preamble")))
    script.write_options = tuple(options_out)
    script.statements = state.statements
    script.bulk = state.bulk
    if state.fallbacks:
        script.notes.append(f"{state.fallbacks} element(s) are kept as their original bytes: "
                            "no value re-encodes to them exactly.")
    return script


def _builder_for(dataset: DatasetBase) -> Any:
    """The builder class of the data set's IOD, or None."""
    sop_class = dataset.get(0x00080016)
    if not sop_class:
        return None
    from authoring.validation import spec

    found = spec.iod_for_sop_class(str(sop_class).strip())
    if found is None:
        return None
    import authoring.iods

    return getattr(authoring.iods, found.name, None)
