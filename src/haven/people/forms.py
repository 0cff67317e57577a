"""Forms for people's records, rendered as GOV.UK components; every field says what to fix."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from haven.core.forms import GovukDateField
from haven.people import chronology, codes, identifiers
from haven.people.models import School

_WIDE = {"class": "govuk-input--width-20"}


class PersonForm(forms.Form):
    """A person's details. Dates are GOV.UK date inputs; identifiers are checked as typed."""

    kind = forms.ChoiceField(
        label="Is this a child or an adult?",
        choices=codes.PersonKind.choices,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select whether this is a child or an adult"},
    )
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        widget=forms.TextInput(attrs={**_WIDE, "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the first name"},
    )
    middle_names = forms.CharField(
        label="Middle names", max_length=200, required=False, widget=forms.TextInput(attrs=_WIDE)
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        widget=forms.TextInput(attrs={**_WIDE, "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the last name"},
    )
    preferred_name = forms.CharField(
        label="Known as (optional)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs=_WIDE),
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        past_only=True,
        help_text="For example, 3 4 2012. Leave blank if not known or the child is not born yet.",
    )
    expected_date_of_birth = GovukDateField(
        label="Expected date of birth", required=False, help_text="Only for an unborn child."
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=codes.Sex.choices,
        widget=forms.RadioSelect(attrs={"inline": True}),
        initial=codes.Sex.UNKNOWN,
        error_messages={"required": "Select the person's sex"},
    )
    gender = forms.ChoiceField(
        label="Gender", choices=codes.Gender.choices, initial=codes.Gender.NOT_KNOWN
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=codes.Ethnicity.choices,
        initial=codes.Ethnicity.NOBT,
        help_text="As the child or their family describe it.",
    )
    disabilities = forms.MultipleChoiceField(
        label="Disabilities",
        required=False,
        choices=codes.Disability.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
    )
    first_language = forms.CharField(
        label="First language",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "list": "languages"}),
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=14,
        help_text="10 digits, like 943 476 5919",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        required=False,
        max_length=15,
        help_text="13 characters, starting with a letter",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    school = forms.ModelChoiceField(
        label="School",
        required=False,
        queryset=School.objects.order_by("name"),
        empty_label="No school, or not known",
    )
    date_of_death = GovukDateField(label="Date of death", required=False, past_only=True)
    is_restricted = forms.BooleanField(
        label="Restricted record: ask anyone opening it for a reason",
        required=False,
        help_text="For example, a child of a member of staff, or a high-profile family.",
    )

    def clean_nhs_number(self) -> str:
        return identifiers.clean_nhs_number(self.cleaned_data.get("nhs_number", ""))

    def clean_upn(self) -> str:
        return identifiers.clean_upn(self.cleaned_data.get("upn", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        born, expected = cleaned.get("date_of_birth"), cleaned.get("expected_date_of_birth")
        if born and expected:
            self.add_error(
                "expected_date_of_birth",
                "Enter a date of birth or an expected date of birth, not both",
            )
        if cleaned.get("kind") == codes.PersonKind.ADULT and expected:
            self.add_error(
                "expected_date_of_birth", "An adult cannot have an expected date of birth"
            )
        death = cleaned.get("date_of_death")
        if death and born and death < born:
            self.add_error(
                "date_of_death", "Date of death must be the same as or after the date of birth"
            )
        disabilities = cleaned.get("disabilities") or []
        if codes.Disability.NONE in disabilities and len(disabilities) > 1:
            self.add_error(
                "disabilities", "Select 'No disability' on its own, or the disabilities they have"
            )
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["disabilities"] = list(data.get("disabilities") or [])
        return data


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for a person",
        max_length=200,
        required=False,
        help_text="Name, date of birth, postcode, NHS number or LA ID. "
        "For example, jon smyth 3/4/2012",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your reason is recorded with your name and the time.",
        error_messages={
            "required": "Enter why you need to open this record",
            "min_length": "Enter why you need to open this record, in at least 10 characters",
        },
    )


class PersonNameForm(forms.Form):
    """Another name a person is or was known by."""

    kind = forms.ChoiceField(
        label="What kind of name is it?",
        choices=codes.NameKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of name this is"},
    )
    first_name = forms.CharField(
        label="First name (optional)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the last name"},
    )
    used_until = GovukDateField(
        label="Used until (optional)",
        required=False,
        past_only=True,
        help_text="For a previous name, when they stopped using it. For example, 27 3 2024",
    )


class AddressForm(forms.Form):
    line_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={"required": "Enter the first line of the address"},
    )
    line_2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(
        label="Town or city",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
        error_messages={"required": "Enter the postcode"},
    )
    kind = forms.ChoiceField(
        label="Type of address", choices=codes.AddressKind.choices, initial=codes.AddressKind.HOME
    )
    moved_in = GovukDateField(
        label="Date they moved in",
        past_only=True,
        help_text="For example, 27 3 2024",
        error_messages={"required": "Enter the date they moved in"},
    )

    def clean_postcode(self) -> str:
        return identifiers.clean_postcode(self.cleaned_data.get("postcode", ""))


class RelationshipForm(forms.Form):
    relative = forms.TypedChoiceField(
        label="Who",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person"},
    )
    kind = forms.ChoiceField(
        label="They are this person's",
        choices=codes.RelationshipKind.choices,
        error_messages={"required": "Select how they are related"},
    )
    lives_with = forms.BooleanField(label="They live in the same household", required=False)
    started_on = GovukDateField(label="Since (optional)", required=False, past_only=True)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relative"].choices = choices  # type: ignore[attr-defined]


class ChronologyFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label="What happened",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
    )
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = chronology.kinds()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned


class MergeForm(forms.Form):
    keep = forms.ChoiceField(
        label="Which record should be kept?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the record to keep"},
    )
    reason = forms.CharField(
        label="Why are these the same person?",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why these are the same person",
            "min_length": "Enter why these are the same person, in at least 10 characters",
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = choices  # type: ignore[attr-defined]


class UndoMergeForm(forms.Form):
    reason = forms.CharField(
        label="Why should this merge be undone?",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the merge should be undone",
            "min_length": "Enter why the merge should be undone, in at least 10 characters",
        },
    )


class MergeWithForm(forms.Form):
    other = forms.CharField(
        label="LA ID of the other record",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": "Enter the LA ID of the other record"},
    )

    def clean_other(self) -> str:
        try:
            return identifiers.clean_la_id(self.cleaned_data.get("other", ""))
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None
