"""Values that satisfy a VR, a VM and the value sets of the standard, drawn deterministically
from a seeded random source.

Every random choice comes from :class:`Draw`, seeded by a string (the seed and where the
value goes), so the same seed gives the same values whatever the order or process they are
made in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from typing import Any

#: Names for Patient's Name and other person names, per character set.
NAMES: dict[str, list[tuple[str, ...]]] = {
    "": [("Doe", "Jane"), ("Roe", "Richard"), ("Smith", "Alex"), ("Garcia", "Maria"),
         ("Nguyen", "Linh"), ("Kowalski", "Piotr"), ("Okafor", "Chidi"), ("Silva", "Ana")],
    "ISO_IR 100": [("Müller", "Jürgen"), ("Dubois", "Élodie"), ("Søndergaard", "Åse"),
                   ("García", "José")],
    "ISO_IR 192": [("Müller", "Jürgen"), ("Dubois", "Élodie"), ("山田", "太郎"),
                   ("Иванов", "Пётр"), ("김", "민준")],
    "ISO 2022 IR 87": [("Yamada", "Tarou", "山田", "太郎", "やまだ", "たろう"),
                       ("Suzuki", "Hanako", "鈴木", "花子", "すずき", "はなこ")],
    "ISO_IR 144": [("Иванов", "Пётр"), ("Смирнова", "Анна")],
}


def stable_seed(*parts: object) -> int:
    """A 64-bit number from the parts (stable across processes and Python versions)."""
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def stable_uid(*parts: object) -> str:
    """A UID under 2.25 (PS3.5 B.2) made from a hash of the parts: the same parts, the same
    UID; different parts, practically never the same."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return f"2.25.{int.from_bytes(digest[:16], 'big')}"


class Draw:
    """A seeded random source for one place in one data set."""

    def __init__(self, *parts: object) -> None:
        self.parts = parts
        self.random = random.Random(stable_seed(*parts))

    def child(self, *parts: object) -> Draw:
        """An independent source for a place inside this one."""
        return Draw(*self.parts, *parts)

    def choice(self, options: list[Any] | tuple[Any, ...]) -> Any:
        """One of ``options``."""
        return options[self.random.randrange(len(options))]

    def integer(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return self.random.randint(low, high)

    def date(self, start: int = 2015, end: int = 2025) -> dt.date:
        """A date in the years given."""
        first = dt.date(start, 1, 1).toordinal()
        last = dt.date(end, 12, 31).toordinal()
        return dt.date.fromordinal(self.random.randint(first, last))

    def time(self) -> dt.time:
        """A time of the working day, to the second."""
        seconds = self.random.randint(7 * 3600, 19 * 3600)
        return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def count_for_vm(vm: str | None) -> int:
    """How many values to write for a VM: its minimum (at least 1)."""
    if not vm:
        return 1
    first = re.match(r"(\d+)", vm)
    return max(1, int(first.group(1))) if first else 1


#: The sex the given names of :data:`NAMES` usually go with (PS3.3 C.7.1.1 Patient's Sex).
SEX_OF_GIVEN_NAME = {
    "Jane": "F", "Richard": "M", "Alex": "O", "Maria": "F", "Linh": "F", "Piotr": "M",
    "Chidi": "M", "Ana": "F", "Jürgen": "M", "Élodie": "F", "Åse": "F", "José": "M",
    "太郎": "M", "Пётр": "M", "민준": "M", "Tarou": "M", "Hanako": "F", "Анна": "F",
}


def _name_parts(charset: str) -> list[tuple[str, ...]]:
    return NAMES.get(charset.split("\\")[-1].strip()) or NAMES[""]


def _spelled(parts: tuple[str, ...]) -> str:
    if len(parts) == 6:
        family, given, ideo_family, ideo_given, phon_family, phon_given = parts
        return f"{family}^{given}={ideo_family}^{ideo_given}={phon_family}^{phon_given}"
    return f"{parts[0]}^{parts[1]}"


def person_name(draw: Draw, charset: str = "", *, avoid: str | None = None) -> str:
    """A person name in the character set's script (with ideographic and phonetic groups
    for ISO 2022 IR 87), other than ``avoid`` (a physician is not the patient)."""
    options = [p for p in _name_parts(charset) if _spelled(p) != avoid] or \
        _name_parts(charset)
    return _spelled(draw.choice(options))


def patient_identity(draw: Draw, charset: str = "") -> tuple[str, str]:
    """A patient's name and the sex that goes with it."""
    parts = draw.choice(_name_parts(charset))
    return _spelled(parts), SEX_OF_GIVEN_NAME.get(parts[1], "O")


#: Values a modality's instances typically carry, used wherever the IOD's value sets
#: allow them (anything else is drawn as usual).
MODALITY_VALUES: dict[str, dict[str, Any]] = {
    "CT": {"ImageType": ("ORIGINAL", "PRIMARY", "AXIAL"), "KVP": "120",
           "ScanOptions": "HELICAL", "ConvolutionKernel": "STANDARD",
           "XRayTubeCurrent": "250", "ExposureTime": "500", "RotationDirection": "CW"},
    "MR": {"ScanningSequence": "SE", "SequenceVariant": "NONE", "ScanOptions": "",
           "MRAcquisitionType": "2D", "RepetitionTime": "500", "EchoTime": "15",
           "EchoTrainLength": "1", "MagneticFieldStrength": "1.5",
           "ImagingFrequency": "63.87", "ImagedNucleus": "1H"},
    "US": {"ImageType": ("ORIGINAL", "PRIMARY", "ABDOMINAL", "0001")},
    "CR": {"ImageType": ("ORIGINAL", "PRIMARY"), "KVP": "80"},
    "DX": {"KVP": "80"},
}


_TEXT_DEFAULTS = {
    "AE": "AUTHORING", "AS": "045Y", "CS": "SYNTHETIC", "LO": "synthetic",
    "SH": "SYNTH", "ST": "Synthetic data made by authoring.", "LT": "Synthetic data.",
    "UT": "Synthetic data.", "UC": "synthetic", "UR": "https://example.org/synthetic",
}

#: Values for attributes whose meaning a generic value would break.
KEYWORD_VALUES: dict[str, Any] = {
    "PatientSex": "O",
    "PatientAge": "045Y",
    "PatientPosition": "HFS",
    "PositionReferenceIndicator": "",
    "Manufacturer": "authoring synthetic",
    "ManufacturerModelName": "SYNTH-1",
    "DeviceSerialNumber": "SN0001",
    "SoftwareVersions": "authoring",
    "InstitutionName": "Synthetic Hospital",
    "StationName": "SYNTH01",
    "CodeValue": "SYN001",
    "CodingSchemeDesignator": "99SYNTH",
    "CodeMeaning": "Synthetic concept",
    "ContextIdentifier": "99SYNTH",
    "MappingResource": "99SYNTH",
    "SpecificCharacterSet": None,  # set by the generator from its options
    "PixelSpacing": ("0.5", "0.5"),
    "ImagerPixelSpacing": ("0.5", "0.5"),
    "NominalScannedPixelSpacing": ("0.5", "0.5"),
    "SliceThickness": "1.0",
    "ImageOrientationPatient": ("1", "0", "0", "0", "1", "0"),
    "ImagePositionPatient": ("0", "0", "0"),
    "PatientOrientation": ("L", "P"),
    "RescaleSlope": "1",
    "RescaleIntercept": "0",
    "RescaleType": "US",
    "WindowCenter": "40",
    "WindowWidth": "400",
    "KVP": "120",
    "SamplesPerPixel": 1,
    "PlanarConfiguration": 0,
    "PixelRepresentation": 0,
    "NumberOfFrames": "1",
    "LossyImageCompression": "00",
    "BurnedInAnnotation": "NO",
    "RecognizableVisualFeatures": "NO",
    "PresentationLUTShape": "IDENTITY",
    "ContentQualification": "RESEARCH",
    "Laterality": "",
    "ImageLaterality": "R",
    "AnatomicRegionSequence": None,
    "FrameOfReferenceUID": None,
    "ImageOrientationSlide": ("1", "0", "0", "0", "1", "0"),
    "SlabOrientation": ("0", "0", "1"),
    "DisplayedAreaTopLeftHandCorner": (1, 1),
    "DisplayedAreaBottomRightHandCorner": (64, 64),
}

#: Values for particular IODs (by the start of their name).
IOD_VALUES: dict[str, dict[str, Any]] = {
    "OphthalmicPhotography": {"ImageType": ("ORIGINAL", "PRIMARY")},
    "VLSlideCoordinates": {"PositionReferenceIndicator": "SLIDE_CORNER"},
    "VLWholeSlide": {"PositionReferenceIndicator": "SLIDE_CORNER",
                     "DimensionOrganizationType": "TILED_FULL"},
}


def lut_value(keyword: str, vr: str, bits: int = 16) -> Any:
    """A consistent lookup table: descriptors of 256 entries of ``bits`` bits, data ramping
    over the whole range (what dciodvfy checks the descriptor against)."""
    if keyword.startswith("Segmented"):
        return None
    if keyword.endswith("LookupTableDescriptor") or keyword == "LUTDescriptor":
        return (256, 0, bits)
    if keyword.endswith("PaletteColorLookupTableData") or keyword == "LUTData":
        top = (1 << bits) - 1
        ramp = [value * top // 255 for value in range(256)]
        if vr == "US":
            return tuple(ramp)
        if bits <= 8 and keyword != "LUTData":
            return bytes(ramp)  # 8-bit palette entries packed two to a word
        return b"".join(v.to_bytes(2, "little") for v in ramp)
    return None


def text_value(vr: str, keyword: str, draw: Draw, charset: str = "") -> Any:
    """One text value for a VR (dates, times and UIDs drawn; the rest fixed)."""
    if vr == "DA":
        return draw.date().strftime("%Y%m%d")
    if vr == "TM":
        return draw.time().strftime("%H%M%S")
    if vr == "DT":
        moment = dt.datetime.combine(draw.date(), draw.time())
        return moment.strftime("%Y%m%d%H%M%S")
    if vr == "PN":
        return person_name(draw, charset)
    if vr == "UI":
        return stable_uid(*draw.parts, keyword)
    if vr == "DS":
        return "1.0"
    if vr == "IS":
        return "1"
    return _TEXT_DEFAULTS.get(vr, "synthetic")


def binary_value(vr: str) -> Any:
    """One binary value for a VR."""
    if vr in ("FL", "FD"):
        return 1.0
    if vr == "AT":
        return 0x00100010
    if vr in ("OB", "OW", "OD", "OF", "OL", "OV", "UN"):
        return b"\x00" * 8
    return 1


#: The SOP class a synthetic reference names, by the sequence that holds it (PS3.4
#: registry); any other reference names an image (CT Image Storage), never an invented UID.
REFERENCED_SOP_CLASSES = {
    "ReferencedPerformedProcedureStepSequence": "1.2.840.10008.3.1.2.3.3",  # MPPS
    "ReferencedStudySequence": "1.2.840.10008.3.1.2.3.1",  # Detached Study Management
    "RTReferencedStudySequence": "1.2.840.10008.3.1.2.3.1",
    "ReferencedPatientSequence": "1.2.840.10008.3.1.2.1.1",  # Detached Patient Management
    "ReferencedVisitSequence": "1.2.840.10008.3.1.2.2.1",  # Detached Visit Management
    "ReferencedStructureSetSequence": "1.2.840.10008.5.1.4.1.1.481.3",
    "ReferencedRTPlanSequence": "1.2.840.10008.5.1.4.1.1.481.5",
    "ReferencedDoseSequence": "1.2.840.10008.5.1.4.1.1.481.2",
    "ReferencedTreatmentRecordSequence": "1.2.840.10008.5.1.4.1.1.481.4",
}
IMAGE_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.2"


#: the image a synthetic instance of these IODs (by name prefix) refers to
IMAGE_SOP_CLASS_OF = {"Microscopy": "1.2.840.10008.5.1.4.1.1.77.1.6",  # VL WSI
                      "VLWholeSlide": "1.2.840.10008.5.1.4.1.1.77.1.6"}


def referenced_sop_class(path: str, iod: str = "") -> str:
    """The SOP Class UID a synthetic Referenced SOP Class UID at ``path`` (``A[0].B[0].
    ReferencedSOPClassUID``) of an ``iod`` instance names: by its enclosing sequence, else
    an image's (a whole slide image for microscopy, else a CT image)."""
    parts = [part.split("[", 1)[0] for part in path.split(".")[:-1]]
    for keyword in reversed(parts):
        if keyword in REFERENCED_SOP_CLASSES:
            return REFERENCED_SOP_CLASSES[keyword]
    for prefix, sop_class in IMAGE_SOP_CLASS_OF.items():
        if iod.startswith(prefix):
            return sop_class
    return IMAGE_SOP_CLASS
