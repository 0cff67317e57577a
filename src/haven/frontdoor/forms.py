"""Forms for the front door, rendered as GOV.UK components. Each question page asks one
thing; every field says what to fix. Services check everything again: forms are for people."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from haven.accounts.models import Team
from haven.core.forms import GovukDateTimeField, choice_field, model_choice_field
from haven.frontdoor import codes
from haven.frontdoor.models import ConcernCategory, LevelOfNeed, OversightNote
from haven.frontdoor.selectors import receiving_teams

_WIDE = {"class": "govuk-input--width-20"}
_LEGEND_M = {"legend_class": "govuk-fieldset__legend--m"}


class StartForm(forms.Form):
    """The first question: how and when the concern arrived (the clock starts then)."""

    channel = forms.ChoiceField(
        label="How did the concern arrive?",
        choices=[(c.value, c.label) for c in codes.RECORDED_CHANNELS],
        widget=forms.RadioSelect(attrs=_LEGEND_M),
        error_messages={"required": "Select how the concern arrived"},
    )
    received_at = GovukDateTimeField(
        label="When did it arrive?",
        past_only=True,
        help_text="The time the call came in or the letter arrived, not the time you are "
        "typing it. For example, 14 3 2025 and 09:40.",
        error_messages={"required": "Enter when the concern arrived"},
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for a child or adult",
        max_length=200,
        help_text="Name, date of birth, postcode, NHS number or LA ID.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-30", "spellcheck": "false"}),
        error_messages={"required": "Enter a name, date of birth or number to search for"},
    )


class AddPersonForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=codes.PersonRole.choices, widget=forms.HiddenInput)


class ReferrerForm(forms.Form):
    source = forms.ChoiceField(
        label="Who is referring?",
        choices=[("", "Select the referral source"), *codes.ReferralSource.choices],
        help_text="The children in need census source of referral.",
        error_messages={"required": "Select the referral source"},
    )
    referrer_name = forms.CharField(
        label="Their name",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_WIDE),
        help_text="Leave blank for an anonymous referral.",
    )
    referrer_role = forms.CharField(
        label="Their role or relationship to the child",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_WIDE),
    )
    referrer_organisation = forms.CharField(
        label="Organisation", max_length=200, required=False, widget=forms.TextInput(attrs=_WIDE)
    )
    referrer_phone = forms.CharField(
        label="Phone number",
        max_length=50,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-20", "autocomplete": "off", "type": "tel"}
        ),
    )
    referrer_email = forms.EmailField(
        label="Email address",
        required=False,
        widget=forms.EmailInput(attrs={**_WIDE, "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )


class ConcernsForm(forms.Form):
    concern_categories = forms.ModelMultipleChoiceField(
        label="What are the concerns about?",
        queryset=ConcernCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"small": True, **_LEGEND_M}),
        help_text="Select all that apply.",
    )
    concern_summary = forms.CharField(
        label="Describe the concerns",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What happened or is happening, to whom, how the referrer knows, and what "
        "has been done so far. Use the referrer's words where you can.",
        error_messages={"required": "Enter what the concerns are"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "concern_categories").queryset = ConcernCategory.objects.filter(
            is_active=True
        ).order_by("order", "name")


_YES_NO = [("yes", "Yes"), ("no", "No")]


class RiskForm(forms.Form):
    immediate_risk = forms.ChoiceField(
        label="Is there immediate risk of significant harm to a child?",
        choices=_YES_NO,
        widget=forms.RadioSelect(attrs=_LEGEND_M),
        help_text="Yes puts the contact in front of the duty social worker at once.",
        error_messages={"required": "Select yes if there is immediate risk of significant harm"},
    )
    immediate_risk_detail = forms.CharField(
        label="What is the risk, and to which child?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    conditional_fields = {"immediate_risk": {"yes": ["immediate_risk_detail"]}}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("immediate_risk") == "yes"
            and not cleaned.get("immediate_risk_detail", "").strip()
        ):
            self.add_error("immediate_risk_detail", "Describe the immediate risk to the child")
        return cleaned

    def service_data(self) -> dict[str, Any]:
        risk = self.cleaned_data["immediate_risk"] == "yes"
        return {
            "immediate_risk": risk,
            "immediate_risk_detail": self.cleaned_data.get("immediate_risk_detail", "")
            if risk
            else "",
        }


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(
        label="Has a parent or carer consented to this contact?",
        choices=codes.Consent.choices,
        widget=forms.RadioSelect(attrs=_LEGEND_M),
        error_messages={"required": "Select whether consent was given, refused or not sought"},
    )
    refused_detail = forms.CharField(
        label="What did they say? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    not_sought_reason = forms.CharField(
        label="Why was consent not sought?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, asking would put a child at greater risk.",
    )
    conditional_fields = {
        "consent": {"refused": ["refused_detail"], "not_sought": ["not_sought_reason"]}
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("consent") == codes.Consent.NOT_SOUGHT
            and not cleaned.get("not_sought_reason", "").strip()
        ):
            self.add_error("not_sought_reason", "Enter why consent was not sought")
        return cleaned

    def service_data(self) -> dict[str, Any]:
        consent = self.cleaned_data["consent"]
        detail = {
            codes.Consent.REFUSED: self.cleaned_data.get("refused_detail", ""),
            codes.Consent.NOT_SOUGHT: self.cleaned_data.get("not_sought_reason", ""),
        }.get(consent, "")
        return {"consent": consent, "consent_detail": detail}


class InformationRequestForm(forms.Form):
    agency_kind = forms.ChoiceField(
        label="Which kind of agency?",
        choices=codes.AgencyKind.choices,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select which kind of agency was asked"},
    )
    agency_name = forms.CharField(
        label="Organisation or service",
        max_length=200,
        widget=forms.TextInput(attrs=_WIDE),
        help_text="For example, Harbour Primary School or the police safeguarding unit.",
        error_messages={"required": "Enter which organisation or service was asked"},
    )
    asked_of = forms.CharField(
        label="Who was asked (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_WIDE),
    )
    question = forms.CharField(
        label="What was asked?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what was asked"},
    )
    requested_at = GovukDateTimeField(
        label="When was it asked?",
        past_only=True,
        help_text="For example, 14 3 2025 and 10:15.",
        error_messages={"required": "Enter when it was asked"},
    )


class InformationAnswerForm(forms.Form):
    response = forms.CharField(
        label="What came back?",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what came back"},
    )
    answered_at = GovukDateTimeField(
        label="When did it come back?",
        past_only=True,
        error_messages={"required": "Enter when the answer came back"},
    )


class DecisionForm(forms.Form):
    level_of_need = forms.ModelChoiceField(
        label="Level of need",
        queryset=LevelOfNeed.objects.none(),
        widget=forms.RadioSelect(attrs=_LEGEND_M),
        empty_label=None,
        error_messages={"required": "Select the level of need"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=codes.Outcome.choices,
        widget=forms.RadioSelect(attrs=_LEGEND_M),
        error_messages={"required": "Select the outcome"},
    )
    # Not revealed by the outcome radios: two outcomes need them, and a field revealed under
    # two choices would be in the form twice.
    primary_need = forms.ChoiceField(
        label="Primary need (for a referral or strategy discussion)",
        choices=[("", "Select the primary need"), *codes.PrimaryNeed.choices],
        required=False,
        help_text="The children in need census code. If two fit, choose the one higher in the list.",
    )
    receiving_team = forms.ModelChoiceField(
        label="Team the referral goes to (for a referral or strategy discussion)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Select a team",
    )
    referred_children = forms.MultipleChoiceField(
        label="Which children are referred? (for a referral or strategy discussion)",
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
    )
    rationale = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you weighed and why this level and outcome.",
        error_messages={"required": "Enter the reasons for the decision"},
    )
    history_weighing = forms.CharField(
        label="How did you weigh the children's history?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The history meets the cumulative-harm pattern. Say how it was weighed: "
        "needed before deciding on no further action, advice or early help.",
    )

    def __init__(
        self,
        *args: Any,
        children: list[Any],
        harm_met: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "level_of_need").queryset = LevelOfNeed.objects.filter(
            is_active=True
        ).order_by("order")
        model_choice_field(self, "receiving_team").queryset = receiving_teams()
        referred = choice_field(self, "referred_children")
        referred.choices = [(str(c.pk), c.full_name) for c in children]
        if not self.is_bound:
            self.initial.setdefault("referred_children", [str(c.pk) for c in children])
        if not harm_met:
            del self.fields["history_weighing"]
        if len(children) <= 1:
            # One child: they are the one referred.
            referred.widget = forms.MultipleHiddenInput()


class DecisionChangeForm(DecisionForm):
    change_reason = forms.CharField(
        label="Why is the decision changing?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the decision is changing"},
    )


class OversightForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you recording?",
        choices=OversightNote.Kind.choices,
        widget=forms.RadioSelect(attrs=_LEGEND_M),
        error_messages={"required": "Select a note or a countersignature"},
    )
    text = forms.CharField(
        label="Your oversight",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Whether you agree with the decision and why; anything to be done.",
        error_messages={"required": "Enter your oversight"},
    )

    def __init__(self, *args: Any, decided: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not decided:  # before the decision: direction for the decision maker, no signature
            kind = choice_field(self, "kind")
            kind.choices = [(OversightNote.Kind.NOTE.value, "Management oversight and direction")]
            kind.initial = OversightNote.Kind.NOTE.value
            self.fields[
                "text"
            ].help_text = (
                "Your direction for whoever decides: what to find out, who to ask, how soon."
            )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(
        label="Who should work on it?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Select who should work on it"},
    )

    def __init__(self, *args: Any, workers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "assignee").choices = [("none", "Nobody (unassigned)")] + [
            (str(w.pk), f"{w.full_name}, {w.job_title}" if w.job_title else w.full_name)
            for w in workers
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why"},
    )


class UploadEmailForm(forms.Form):
    file = forms.FileField(
        label="Upload a saved email",
        help_text="An .eml file, or an Outlook .msg file, up to 60 MB.",
        error_messages={"required": "Select a saved email to upload"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".eml", ".msg")):
            raise forms.ValidationError("The selected file must be an .eml or .msg file")
        return upload


class PoliceUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a police notifications file",
        help_text="A CSV file with the columns in the guide, up to 20 MB.",
        error_messages={"required": "Select a CSV file to import"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file")
        return upload


class PoliceRowForm(forms.Form):
    """A bad row, each column a field, for a person to correct."""

    police_reference = forms.CharField(label="Police reference", max_length=100, required=False)
    occurred_at = forms.CharField(
        label="Date and time", required=False, help_text="Like 2025-03-14 21:40 or 14/03/2025 21:40"
    )
    notification_type = forms.CharField(
        label="Type", required=False, help_text="Domestic abuse, missing, child concern or other"
    )
    children = forms.CharField(
        label="Children",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Names with dates of birth in brackets, separated by semicolons: "
        "Amy Smith (03/04/2015); Ben Smith (30/09/2017)",
    )
    adults = forms.CharField(
        label="Adults", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    address = forms.CharField(label="Address", required=False, max_length=500)
    narrative = forms.CharField(
        label="Narrative", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    officer = forms.CharField(label="Officer", required=False, max_length=200)
    risk_level = forms.CharField(label="Risk level", required=False, max_length=50)
    shared_at = forms.CharField(label="Shared with the council at", required=False)
    reported_at = forms.CharField(label="Reported missing at", required=False)
    returned_at = forms.CharField(label="Returned or found at", required=False)
    where_found = forms.CharField(label="Where found", required=False, max_length=500)
    looked_after = forms.CharField(
        label="Looked after", required=False, help_text="Yes or no, for a missing child"
    )


class PartnerReferralForm(forms.Form):
    """A partner agency's referral: who it is about, the concerns, risk and consent."""

    children = forms.CharField(
        label="Which children is it about?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Full names with dates of birth in brackets, separated by semicolons: "
        "Amy Smith (03/04/2015); Ben Smith (30/09/2017)",
        error_messages={"required": "Enter the children's names and dates of birth"},
    )
    adults = forms.CharField(
        label="Parents, carers or other adults (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Names, with dates of birth in brackets if you know them.",
    )
    address = forms.CharField(
        label="Where do the children live? (optional)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    concern_summary = forms.CharField(
        label="What are you worried about?",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What happened, when, how you know, and what you have done so far.",
        error_messages={"required": "Enter what you are worried about"},
    )
    immediate_risk = forms.ChoiceField(
        label="Is a child at immediate risk of significant harm?",
        choices=_YES_NO,
        widget=forms.RadioSelect(attrs={"inline": True}),
        help_text="If a child is in danger now, call 999 as well.",
        error_messages={"required": "Select yes if a child is at immediate risk"},
    )
    consent = forms.ChoiceField(
        label="Has a parent or carer agreed to this referral?",
        choices=codes.Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was given, refused or not sought"},
    )
    consent_detail = forms.CharField(
        label="Why was consent not sought?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    referrer_name = forms.CharField(
        label="Your name",
        max_length=200,
        widget=forms.TextInput(attrs=_WIDE),
        error_messages={"required": "Enter your name"},
    )
    referrer_role = forms.CharField(
        label="Your role",
        max_length=200,
        widget=forms.TextInput(attrs=_WIDE),
        error_messages={"required": "Enter your role"},
    )
    referrer_phone = forms.CharField(
        label="Phone number to reach you",
        max_length=50,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "type": "tel"}),
        error_messages={"required": "Enter a phone number to reach you"},
    )
    conditional_fields = {"consent": {"not_sought": ["consent_detail"]}}

    def clean_children(self) -> str:
        from haven.frontdoor.services.partner import named_children

        text: str = self.cleaned_data["children"]
        _, problems = named_children(text)
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean_adults(self) -> str:
        from haven.frontdoor.police import parse_people

        text: str = self.cleaned_data.get("adults", "")
        _, problems = parse_people(text, what="Adults")
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("consent") == codes.Consent.NOT_SOUGHT
            and not cleaned.get("consent_detail", "").strip()
        ):
            self.add_error("consent_detail", "Enter why consent was not sought")
        return cleaned


def now_initial() -> dict[str, Any]:
    return {"received_at": timezone.localtime().replace(second=0, microsecond=0)}
