"""Django forms rendered as GOV.UK Frontend components.

Every form in Haven renders through ``GovukFormRenderer``: ``{{ form }}`` gives GOV.UK
fields, hints, error messages and fieldsets. Dates use ``GovukDateField`` (day, month, year
boxes with GOV.UK's error messages); radios can reveal follow-up questions with
``Form.conditional_fields``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from haven.core.calendar import local_tz


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "components/forms/form.html"
    field_template_name = "components/forms/field.html"


# Which component template renders which Django widget.
WIDGET_TEMPLATES = {
    "radioselect": "components/forms/radios.html",
    "checkboxselectmultiple": "components/forms/checkboxes.html",
    "checkboxinput": "components/forms/checkbox.html",
    "select": "components/forms/select.html",
    "selectmultiple": "components/forms/select.html",
    "textarea": "components/forms/textarea.html",
    "govukdate": "components/forms/date_input.html",
    "govukdatetime": "components/forms/date_input.html",
    "clearablefileinput": "components/forms/file_upload.html",
    "fileinput": "components/forms/file_upload.html",
    "hiddeninput": "components/forms/hidden.html",
}


def widget_template(bound_field: forms.BoundField) -> str:
    return WIDGET_TEMPLATES.get(bound_field.widget_type, "components/forms/input.html")


class GovukDateWidget(forms.MultiWidget):
    """Three boxes (day, month, year), as in the GOV.UK date input."""

    template_name = "components/forms/date_widget.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime):
            value = timezone.localtime(value, local_tz()).date()
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateTimeWidget(forms.MultiWidget):
    """Day, month, year and a time ("14:30"): when something happened."""

    template_name = "components/forms/date_widget.html"
    parts = ("day", "month", "year", "time")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
            "time": forms.TextInput(),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime):
            local = timezone.localtime(value, local_tz())
            return [local.day, local.month, local.year, local.strftime("%H:%M")]
        return [None, None, None, None]


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def _parse_month(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    return _MONTHS.get(text)


class GovukDateField(forms.Field):
    """A date typed into three boxes, with the error messages the GOV.UK pattern asks for.

    ``label`` names the thing ("Date of birth") so messages read "Date of birth must include
    a month". ``past_only`` and ``future_only`` refuse dates on the wrong side of today.
    """

    widget = GovukDateWidget

    def __init__(
        self, *, past_only: bool = False, future_only: bool = False, **kwargs: Any
    ) -> None:
        self.past_only = past_only
        self.future_only = future_only
        super().__init__(**kwargs)

    @property
    def thing(self) -> str:
        return str(self.label or "Date")

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        if not value or not any(str(part or "").strip() for part in value):
            return None
        day_text, month_text, year_text = (str(part or "").strip() for part in value[:3])
        missing = [
            name
            for name, text in (("day", day_text), ("month", month_text), ("year", year_text))
            if not text
        ]
        if missing:
            raise ValidationError(
                f"{self.thing} must include a {' and a '.join(missing)}", code="incomplete"
            )
        month = _parse_month(month_text)
        if not (day_text.isdigit() and year_text.isdigit()) or month is None:
            raise ValidationError(f"{self.thing} must be a real date", code="invalid")
        if len(year_text) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return date(int(year_text), month, int(day_text))
        except ValueError:
            raise ValidationError(f"{self.thing} must be a real date", code="invalid") from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(f"Enter the {self.thing.lower()}", code="required")
        if value is None:
            return
        today = timezone.localdate()
        if self.past_only and value > today:
            raise ValidationError(f"{self.thing} must be today or in the past", code="future")
        if self.future_only and value < today:
            raise ValidationError(f"{self.thing} must be today or in the future", code="past")


_TIME = re.compile(r"^(\d{1,2})[:.]?(\d{2})?\s*(am|pm)?$", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """Accepts 14:30, 1430, 2.30pm, 9am."""
    match = _TIME.match(text.strip().replace(" ", ""))
    if not match:
        return None
    hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class GovukDateTimeField(GovukDateField):
    """A moment: the date boxes and a time, in the council's time zone."""

    widget = GovukDateTimeWidget  # type: ignore[assignment]

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, datetime):
            return value
        if not value or not any(str(part or "").strip() for part in value):
            return None
        day = super().to_python(value[:3])
        time_text = str(value[3] or "").strip() if len(value) > 3 else ""
        if not time_text:
            raise ValidationError(f"{self.thing} must include a time", code="incomplete")
        moment = parse_time(time_text)
        if moment is None:
            raise ValidationError(
                "Enter the time as hours and minutes, like 14:30", code="invalid_time"
            )
        if day is None:
            raise ValidationError(f"Enter the {self.thing.lower()}", code="required")
        return datetime.combine(day, moment, tzinfo=local_tz())

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(f"Enter the {self.thing.lower()}", code="required")
        if value is None:
            return
        if self.past_only and value > timezone.now() + timedelta(minutes=5):
            raise ValidationError(f"{self.thing} must be in the past", code="future")
        if self.future_only and value < timezone.now():
            raise ValidationError(f"{self.thing} must be in the future", code="past")


def first_error_anchor(bound_field: forms.BoundField) -> str:
    """The id the error summary links to: the first box of a date, the first radio."""
    if bound_field.widget_type in ("govukdate", "govukdatetime"):
        return f"{bound_field.auto_id}_0"
    if bound_field.widget_type in ("radioselect", "checkboxselectmultiple"):
        for choice in bound_field.subwidgets:
            if choice.data["value"] not in ("", None):
                return str(choice.id_for_label)
    return str(bound_field.auto_id)


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """A form's field, typed as the model choice field it is (to set its queryset)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's field, typed as the choice field it is (to set its choices)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field
