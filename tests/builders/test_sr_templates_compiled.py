"""Builders compiled from the PS3.16 templates: one argument per row, context groups as
types, and content items nested as the template nests its rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from authoring.codes import CID270, CID7453, Code
from authoring.errors import InvalidValueError
from authoring.sr.templates import (
    AlgorithmIdentification,
    ObserverContext,
    PersonObserverIdentifyingAttributes,
    ProcedureContext,
)


def test_rows_become_content_items_nested_as_the_template_says() -> None:
    person = PersonObserverIdentifyingAttributes(
        person_observer_name="Reader^One",
        person_observers_role_in_this_procedure=CID7453.Standby,
        identifier_within_person_observers_role="R-17")
    items = ObserverContext(observer_type=CID270.Person,
                            person_observer_identifying_attributes=person).to_content()
    assert [(i.RelationshipType, i.ValueType, i.ConceptNameCodeSequence[0].CodeValue)
            for i in items] == [("HAS OBS CONTEXT", "CODE", "121005"),
                                ("HAS OBS CONTEXT", "PNAME", "121008"),
                                ("HAS OBS CONTEXT", "CODE", "121011")]
    assert items[0].ConceptCodeSequence[0].CodeValue == "121006"  # Person
    assert str(items[1].PersonName) == "Reader^One"
    nested = items[2].ContentSequence  # TID 1003 row 5 sits inside row 4's item
    assert [(n.RelationshipType, n.TextValue) for n in nested] == [("HAS OBS CONTEXT", "R-17")]


def test_a_nested_row_without_its_parent_is_refused() -> None:
    person = PersonObserverIdentifyingAttributes(person_observer_name="A^B",
                                                 identifier_within_person_observers_role="x")
    with pytest.raises(InvalidValueError, match="row 5 .* row 4"):
        person.to_content()


def test_rows_left_to_the_including_row_take_its_relationship() -> None:
    algorithm = AlgorithmIdentification(algorithm_name="lesion finder",
                                        algorithm_version="2.1",
                                        algorithm_parameters=["threshold=0.5", "tta=on"])
    items = algorithm.to_content("HAS CONCEPT MOD")
    assert {i.RelationshipType for i in items} == {"HAS CONCEPT MOD"}
    assert [i.TextValue for i in items] == ["lesion finder", "2.1", "threshold=0.5", "tta=on"]


def test_values_of_the_wrong_kind_are_refused() -> None:
    procedure = ProcedureContext(procedure_code=["not a code"])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="CODE"):
        procedure.to_content()
    assert ProcedureContext(procedure_code=[Code("P1", "99X", "Protocol")]).to_content()


def test_a_template_is_read_back_from_its_content_items() -> None:
    person = PersonObserverIdentifyingAttributes(
        person_observer_name="Reader^One",
        person_observers_role_in_this_procedure=CID7453.Standby,
        identifier_within_person_observers_role="R-17")
    observer = ObserverContext(observer_type=CID270.Person,
                               person_observer_identifying_attributes=person)
    view = ObserverContext.view(observer.to_content())
    assert view.values["observer_type"] is CID270.Person  # a member of its context group
    read = view.values["person_observer_identifying_attributes"]
    assert isinstance(read, PersonObserverIdentifyingAttributes)
    assert read.values == person.values


def test_a_written_report_is_read_back_into_the_templates(tmp_path: Path) -> None:
    """The TID 1500 example, written and read with ``authoring.read``: its observer and
    language come back through the compiled templates."""
    import authoring
    from authoring.sr.templates import LanguageOfContentItemAndDescendants
    from tests.support.examples import example

    path = example("comprehensive_sr").main(tmp_path)
    items = list(authoring.read(path).ContentSequence)
    observer = ObserverContext.view(items)
    person = observer.values["person_observer_identifying_attributes"]
    assert person.values == {"person_observer_name": "Reader^One"}
    assert observer.values["observer_type"] is CID270.Person
    language = LanguageOfContentItemAndDescendants.view(items)
    assert language.values["language_of_content_item_and_descendants"] == Code(
        "en-US", "RFC5646", "English (United States)")
    assert AlgorithmIdentification.view(items).values == {}  # nothing of it in the report


def test_a_malformed_item_is_reported_not_raised_raw() -> None:
    items = PersonObserverIdentifyingAttributes(person_observer_name="A^B").to_content()
    del items[0].PersonName  # a PNAME item without its name (a hostile or broken file)
    with pytest.raises(InvalidValueError, match="TID 1003 row 1: a PNAME content item"):
        PersonObserverIdentifyingAttributes.view(items)
