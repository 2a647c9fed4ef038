"""The coverage report: storage SOP classes of PS3.6 with and without an IOD builder."""

from __future__ import annotations

from authoring.compiler.coverage import coverage, storage_sop_classes
from authoring.compiler.normalized import read_edition
from authoring.compiler.normalized_iods import read_iod_edition
from tests.conftest import REPO

DICTIONARY = REPO / "dictionary" / "dicom3tools-20260320"


def test_coverage_of_the_current_edition() -> None:
    edition = read_edition(DICTIONARY)
    iods = read_iod_edition(DICTIONARY)
    report = coverage(edition, iods)
    storage = {u.uid for u in storage_sop_classes(edition)}
    covered = {u.uid: name for u, name in report.covered}
    assert covered["1.2.840.10008.5.1.4.1.1.2"] == "CTImage"
    assert covered["1.2.840.10008.5.1.4.1.1.7"] == "SecondaryCaptureImage"
    assert covered["1.2.840.10008.5.1.4.1.1.88.33"] == "ComprehensiveSR"
    assert "1.2.840.10008.1.20.1" not in storage  # Storage Commitment is not storage
    assert set(covered) | {u.uid for u in report.missing} == storage
    assert not set(covered) & {u.uid for u in report.missing}
    # every builder of a storage IOD is reachable from the report
    import authoring.iods

    assert set(covered.values()) <= set(authoring.iods.__all__)
    print(f"\n{len(covered)} of {len(storage)} storage SOP classes have a builder; "
          f"{len(report.missing)} lack an IOD in the dicom3tools snapshot")
