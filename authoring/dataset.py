"""The data set users get: the data model of :mod:`authoring.object.dataset` with the
conveniences of the layers above it (pixel data, validation, writing).

The data model does not know those layers (see the layer map in the README): the
conveniences live here, in :class:`DatasetActions`, which :class:`Dataset` and the typed
builders mix in. ``authoring.read`` (:func:`read`) returns this :class:`Dataset`, its
sequence items and file meta included; lower layers that build data sets for their own use
(file meta written, DICOMDIR records) build the data model's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, cast

from authoring.object.dataset import Dataset as ModelDataset
from authoring.object.dataset import DatasetBase

if TYPE_CHECKING:
    import os

    import numpy.typing as npt

    from authoring.core.tag import TagLike
    from authoring.core.transfer_syntax import TransferSyntax
    from authoring.validation.iod import Report


class DatasetActions(DatasetBase):
    """Pixel data, validation and writing for a data set (mixed into :class:`Dataset` and
    the typed builders)."""

    __slots__ = ()

    @property
    def pixel_array(self) -> npt.NDArray[Any]:
        """Every frame of the pixel data as a numpy array (decoded when compressed; YBR
        colour as RGB); see :func:`authoring.pixels.pixel_array`."""
        from authoring.pixels.api import pixel_array

        return pixel_array(self)

    def frame(self, index: int, *, as_rgb: bool = True) -> npt.NDArray[Any]:
        """Frame ``index`` (0-based), decoding that frame only."""
        from authoring.pixels.api import frame

        return frame(self, index, as_rgb=as_rgb)

    def iter_frames(self, *, as_rgb: bool = True) -> Iterator[npt.NDArray[Any]]:
        """Each frame in turn, decoded when reached."""
        from authoring.pixels.api import iter_frames

        return iter_frames(self, as_rgb=as_rgb)

    def set_pixel_data(self, array: npt.NDArray[Any], *, photometric: str | None = None,
                       transfer_syntax: str | TransferSyntax | None = None,
                       bits_stored: int | None = None) -> None:
        """Set Pixel Data and every Image Pixel attribute from ``array``, encoded in
        ``transfer_syntax`` when given; see :func:`authoring.pixels.set_pixel_data`."""
        from authoring.pixels.api import set_pixel_data

        set_pixel_data(self, array, photometric=photometric, transfer_syntax=transfer_syntax,
                       bits_stored=bits_stored)

    def validate(self, iod: str | None = None) -> Report:
        """Check this data set against its IOD, the one its SOP Class UID names unless
        ``iod`` (a builder class name such as ``"CTImage"``) is given; see
        :func:`authoring.validate`."""
        from authoring.validation.iod import validate

        return validate(self, iod)

    def save_as(self, path: Any, **options: Any) -> None:
        """Write this data set to ``path`` (same as :func:`authoring.write`)."""
        from authoring.io.writer import write

        write(self, path, **options)


class Dataset(DatasetActions, ModelDataset):
    """A DICOM data set.

    >>> ds = Dataset()
    >>> ds.PatientName = "Doe^Jane"
    >>> ds["PatientName"].vr, ds[0x00100010].value, (0x0010, 0x0010) in ds
    ('PN', PersonName('Doe^Jane'), True)

    Iterating yields the :class:`~authoring.object.element.DataElement` objects in tag
    order. ``file_meta`` holds the File Meta Information (group 0002) of a Part 10 file and
    ``preamble`` its 128-byte preamble; both are None for a data set built in code until it
    is written. ``pixel_array``, ``frame``, ``iter_frames``, ``set_pixel_data``,
    ``validate`` and ``save_as`` reach the pixel, validation and writing layers.

    Every keyword of the dictionary is an attribute, typed by its VR and VM for type
    checkers (``ds.PatientName`` is a :class:`PersonName`); a name that is not a keyword is
    a type error and, at run time, an ``AttributeError`` with a "did you mean" hint.
    """

    __slots__ = ()


def read(
    source: str | os.PathLike[str] | IO[bytes] | bytes,
    *,
    stop_before: TagLike | None = None,
    defer_size: int | str | None = None,
    transfer_syntax_hint: str | None = None,
) -> Dataset:
    """Read a DICOM file (or bytes, or a binary stream) into a :class:`Dataset`; see
    :func:`authoring.io.reader.read` for the options and the errors. A path ending in
    ``.json`` is read as a DICOM JSON document holding one data set
    (:func:`authoring.io.json_reader.read_json` reads several), one ending in ``.xml`` as a
    Native DICOM Model document (PS3.19 A)."""
    from authoring.io.json_reader import is_json_path, is_xml_path

    if is_xml_path(source):
        from authoring.io.xml_model import read_xml

        found_xml = read_xml(cast("str", source), dataset_class=Dataset)
        assert isinstance(found_xml, Dataset)
        return found_xml
    if is_json_path(source):
        import os as os_module

        from authoring.errors import ReadError
        from authoring.io.json_reader import read_json

        path = os_module.fspath(cast("str", source))
        found = read_json(path, dataset_class=Dataset)
        if len(found) != 1:
            raise ReadError(f"the document holds {len(found)} data sets; read_json returns "
                            "them all", path=path)
        assert isinstance(found[0], Dataset)
        return found[0]
    from authoring.io.reader import read as read_model

    dataset = read_model(source, stop_before=stop_before, defer_size=defer_size,
                         transfer_syntax_hint=transfer_syntax_hint, dataset_class=Dataset)
    assert isinstance(dataset, Dataset)
    return dataset
