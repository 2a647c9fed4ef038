"""Value types: person names, dates and times with partial precision, DS and IS text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from authoring import DA, DS, DT, IS, TM, PersonName
from authoring.core.values.numbers import format_ds


def test_person_name_parts() -> None:
    name = PersonName("Yamada^Tarou=山田^太郎=やまだ^たろう")
    assert (name.family_name, name.given_name) == ("Yamada", "Tarou")
    assert name.ideographic == "山田^太郎" and name.phonetic == "やまだ^たろう"
    assert name.components[1] == ("山田", "太郎")
    assert name == "Yamada^Tarou=山田^太郎=やまだ^たろう"
    built = PersonName.from_parts("Doe", "Jane", name_suffix="MD")
    assert built == "Doe^Jane^^^MD" and built.name_suffix == "MD"
    assert PersonName.from_parts("Doe") == "Doe"
    with pytest.raises(ValueError):
        PersonName.from_parts("Doe^Jane")


def test_dates_keep_precision() -> None:
    assert DA(dt.date(2024, 2, 29)) == "20240229"
    assert DA("20240229").date == dt.date(2024, 2, 29)
    assert DA("2024").precision == "year" and DA("202402").precision == "month"
    assert DA("2024.02.29").date == dt.date(2024, 2, 29)  # ACR-NEMA form is read
    assert not DA("20240230").is_valid and DA("20240229").is_valid


def test_times_keep_precision() -> None:
    assert TM("1012").precision == "minute"
    assert TM("101230.5").time == dt.time(10, 12, 30, 500000)
    assert TM(dt.time(10, 12, 30)) == "101230"  # no fraction unless there is one
    assert TM(dt.time(10, 12, 30, 500)) == "101230.000500"
    assert TM("10:12:30").time == dt.time(10, 12, 30)  # ACR-NEMA form
    assert not TM("2512").is_valid


def test_datetimes() -> None:
    value = DT("20240229101230.25+0100")
    assert value.datetime == dt.datetime(2024, 2, 29, 10, 12, 30, 250000,
                                         tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert value.precision == "fraction"
    assert DT("2024").precision == "year"
    aware = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert DT(aware) == "20240102030405-0500"


def test_ds_keeps_its_text() -> None:
    value = DS("1.50")
    assert value == 1.5 and value.original == "1.50" and str(value) == "1.50"
    assert DS(" 1.5 ").text == "1.5"
    assert DS(0.1).original == "0.1"
    assert DS(Decimal("1.500")).original == "1.500"
    assert DS(120).original == "120"
    assert DS("1e3") == 1000.0


@pytest.mark.parametrize("number", [1 / 3, -1 / 3, 123456789.123456789, 1e-20, -1.5e300,
                                    2**60, 0.1 + 0.2])
def test_format_ds_fits_16_characters(number: float) -> None:
    text = format_ds(number)
    assert len(text) <= 16
    assert abs(float(text) - number) <= abs(number) * 1e-9


def test_format_ds_refuses_nan() -> None:
    with pytest.raises(ValueError):
        format_ds(float("nan"))


def test_is_keeps_its_text() -> None:
    assert IS("+0012") == 12 and IS("+0012").original == "+0012"
    assert IS("12.0") == 12
    assert IS(7).original == "7"
    with pytest.raises(ValueError):
        IS("1.5")
    assert not IS("2147483648").is_valid_text
