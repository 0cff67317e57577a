from datetime import date, datetime, time

import pytest
from django import forms

from haven.core.forms import GovukDateField, GovukDateTimeField, parse_time


class BirthForm(forms.Form):
    date_of_birth = GovukDateField(label="Date of birth", past_only=True)


class ArrivedForm(forms.Form):
    received_at = GovukDateTimeField(label="When the concern arrived", past_only=True)


def birth(day: str, month: str, year: str) -> BirthForm:
    return BirthForm(
        {"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}
    )


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter the date of birth"),
        (("3", "", "2012"), "Date of birth must include a month"),
        (("", "", "2012"), "Date of birth must include a day and a month"),
        (("31", "2", "2012"), "Date of birth must be a real date"),
        (("3", "4", "12"), "Year must include 4 numbers"),
        (("3", "4", "2999"), "Date of birth must be today or in the past"),
        (("x", "4", "2012"), "Date of birth must be a real date"),
    ],
)
def test_date_errors_say_what_to_fix(parts: tuple[str, str, str], message: str) -> None:
    form = birth(*parts)
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]


def test_a_date_accepts_month_names_and_keeps_what_was_typed() -> None:
    form = birth("3", "April", "2012")
    assert form.is_valid()
    assert form.cleaned_data["date_of_birth"] == date(2012, 4, 3)
    bad = birth("3", "Aprill", "2012")
    assert not bad.is_valid()
    assert 'value="Aprill"' in str(bad["date_of_birth"])


def test_date_input_renders_three_labelled_boxes_marked_in_error() -> None:
    html = str(birth("3", "", "2012")["date_of_birth"].as_field_group())
    assert 'id="id_date_of_birth_0"' in html
    assert "govuk-input--error" in html
    assert "Date of birth must include a month" in html


def test_a_moment_needs_a_time_and_is_in_london_time() -> None:
    data = {"received_at_day": "24", "received_at_month": "12", "received_at_year": "2025"}
    missing_time = ArrivedForm({**data, "received_at_time": ""})
    assert not missing_time.is_valid()
    assert missing_time.errors["received_at"] == ["When the concern arrived must include a time"]
    ok = ArrivedForm({**data, "received_at_time": "2.30pm"})
    assert ok.is_valid()
    moment: datetime = ok.cleaned_data["received_at"]
    assert (moment.hour, moment.minute, str(moment.tzinfo)) == (14, 30, "Europe/London")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", time(14, 30)),
        ("1430", time(14, 30)),
        ("9am", time(9, 0)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("25:00", None),
        ("lunch", None),
        ("13pm", None),
    ],
)
def test_times_in_the_forms_people_type(text: str, expected: time | None) -> None:
    assert parse_time(text) == expected
