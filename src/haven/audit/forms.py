from typing import Any

from django import forms
from django.apps import apps

from haven.accounts.models import User
from haven.audit.models import Event
from haven.audit.selectors import EventFilter
from haven.core.forms import GovukDateField, choice_field


class EventFilterForm(forms.Form):
    """The auditor's questions: who looked at this record; what did this person look at."""

    object_type = forms.ChoiceField(label="Record type", required=False)
    object_id = forms.CharField(
        label="Record ID",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    child_id = forms.CharField(
        label="Child",
        help_text="The LA ID on the child's page, or Haven's internal number for the child",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    actor = forms.ModelChoiceField(
        label="Person",
        required=False,
        queryset=User.objects.order_by("full_name"),
        empty_label="Anyone",
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Event.Action.choices]
    )
    date_from = GovukDateField(label="From", required=False, past_only=True)
    date_to = GovukDateField(label="To", required=False)

    def __init__(self, *args: Any, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "object_type").choices = [("", "Any type")] + [
            (t, t) for t in sorted(object_types) if t
        ]

    def clean_child_id(self) -> int | None:
        """An LA ID (as the child's page shows it) or the internal id the events store. A
        merged record's LA ID still finds it: who looked at it before the merge matters."""
        value = (self.cleaned_data.get("child_id") or "").strip()
        if not value:
            return None
        if apps.is_installed("haven.people"):
            person = apps.get_model("people", "Person")
            found = person.objects.filter(la_id__iexact=value).values_list("pk", flat=True).first()
            if found is not None:
                return int(found)
        if value.isdigit() and int(value) > 0:
            return int(value)
        raise forms.ValidationError(
            "No child has that LA ID. Enter the LA ID shown on the child's page, like "
            "the one under their name"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned

    def to_filter(self) -> EventFilter:
        data = self.cleaned_data
        return EventFilter(
            object_type=data.get("object_type") or "",
            object_id=(data.get("object_id") or "").strip(),
            child_id=data.get("child_id"),
            actor=data.get("actor"),
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
