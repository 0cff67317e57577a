"""Forms for missing episodes and return home interviews, rendered as GOV.UK components; every
field says what to fix. Forms only parse: the services check the rules (so the API and the
import get the same messages)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from haven.accounts.models import User
from haven.core.forms import GovukDateField, GovukDateTimeField, choice_field, model_choice_field
from haven.missing import selectors
from haven.missing.information import REPEAT_THRESHOLD, Period
from haven.missing.models import PoliceRisk

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
WHO_ME, WHO_STAFF, WHO_OTHER = "me", "staff", "other"
NOT_GRADED = "not_graded"


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def as_yes_no(value: bool | None, *, unknown: str = "") -> str:
    if value is None:
        return unknown
    return "yes" if value else "no"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        team = f" ({obj.team})" if getattr(obj, "team_id", None) else ""
        return f"{obj.full_name}{team}"


class QueueForm(forms.Form):
    """The queue of interviews due, filtered by worker and to the overdue ones."""

    worker = forms.ChoiceField(label="Worker", required=False, choices=[("", "Anyone")])
    overdue = forms.BooleanField(label="Only overdue interviews", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "worker").choices = [
            ("", "Anyone"),
            ("unassigned", "Unassigned"),
            *[(str(w.pk), w.full_name) for w in selectors.recorders()],
        ]


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Find the child",
        max_length=200,
        help_text="Name, date of birth, postcode, NHS number or LA ID.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-30", "spellcheck": "false"}),
        error_messages={"required": "Enter a name, date of birth or identifier to search for"},
    )


class EpisodeForm(forms.Form):
    """When the child went missing, whether they are back, and what the police said."""

    went_missing_at = GovukDateTimeField(
        label="When did the child go missing?",
        past_only=True,
        help_text="When they were last seen. For example, 27 3 2026 and 21:30",
        error_messages={"required": "Enter when the child went missing"},
    )
    reported_at = GovukDateTimeField(
        label="When were they reported missing to the police? (optional)",
        past_only=True,
        required=False,
    )
    has_returned = forms.ChoiceField(
        label="Has the child come back?",
        choices=YES_NO,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select whether the child has come back"},
    )
    returned_at = GovukDateTimeField(
        label="When did they come back?",
        past_only=True,
        required=False,
        help_text="The return home interview is due 72 hours after this.",
    )
    where_found = forms.CharField(
        label="Where were they found? (optional)", max_length=500, required=False
    )
    circumstances = forms.CharField(
        label="What is known (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Where they went missing from, who they may be with, what the police said.",
    )
    police_reference = forms.CharField(
        label="Police reference (optional)", max_length=100, required=False
    )
    police_risk = forms.ChoiceField(
        label="Police risk grading",
        choices=[*PoliceRisk.choices, (NOT_GRADED, "Not graded or not known")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the police risk grading, or that it is not known"},
    )
    looked_after = forms.ChoiceField(
        label="Was the child looked after when they went missing?",
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select whether the child was looked after"},
    )

    conditional_fields = {"has_returned": {"yes": ["returned_at", "where_found"]}}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        returned = data.get("returned_at")
        if data.get("has_returned") == "yes" and not returned and "returned_at" not in self.errors:
            self.add_error("returned_at", "Enter when the child came back")
        if data.get("has_returned") == "no":
            data["returned_at"] = None
            data["where_found"] = ""
        return data

    def details_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "went_missing_at": data["went_missing_at"],
            "reported_at": data.get("reported_at"),
            "returned_at": data.get("returned_at"),
            "where_found": data.get("where_found") or "",
            "circumstances": data.get("circumstances") or "",
            "police_reference": data.get("police_reference") or "",
            "police_risk": "" if data.get("police_risk") == NOT_GRADED else data["police_risk"],
            "looked_after": yes_no(data.get("looked_after")),
        }

    @classmethod
    def initial_for(cls, episode: Any) -> dict[str, Any]:
        return {
            "went_missing_at": episode.went_missing_at,
            "reported_at": episode.reported_at,
            "has_returned": "yes" if episode.returned_at else "no",
            "returned_at": episode.returned_at,
            "where_found": episode.where_found,
            "circumstances": episode.circumstances,
            "police_reference": episode.police_reference,
            "police_risk": episode.police_risk or NOT_GRADED,
            "looked_after": as_yes_no(episode.looked_after, unknown="unknown"),
        }


class ReturnForm(forms.Form):
    returned_at = GovukDateTimeField(
        label="When did the child come back?",
        past_only=True,
        help_text="The return home interview is due 72 hours after this. "
        "For example, 27 3 2026 and 09:15",
        error_messages={"required": "Enter when the child came back"},
    )
    where_found = forms.CharField(
        label="Where were they found? (optional)", max_length=500, required=False
    )


class _WhoForm(forms.Form):
    """Who did something: the person signed in, someone else at the council, or someone from
    another organisation (a commissioned service's worker), by name."""

    who_prefix = ""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        who = choice_field(self, "who")
        who.choices = [
            (WHO_ME, f"You ({user.full_name})"),
            (WHO_STAFF, "Someone else at the council"),
            (WHO_OTHER, "Someone from another organisation"),
        ]
        model_choice_field(self, "staff").queryset = selectors.recorders().exclude(pk=user.pk)

    def person(self) -> tuple[User | None, str]:
        data = self.cleaned_data
        if data.get("who") == WHO_ME:
            return self.user, ""
        if data.get("who") == WHO_STAFF:
            return data.get("staff"), ""
        return None, (data.get("name") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("who") == WHO_STAFF and not data.get("staff") and "staff" not in self.errors:
            self.add_error("staff", "Select who it was")
        if data.get("who") == WHO_OTHER and not (data.get("name") or "").strip():
            self.add_error("name", "Enter their name and organisation")
        return data

    @staticmethod
    def initial_who(user: User, by: User | None, name: str) -> dict[str, Any]:
        if by is not None and by.pk == user.pk:
            return {"who": WHO_ME}
        if by is not None:
            return {"who": WHO_STAFF, "staff": by.pk}
        if name:
            return {"who": WHO_OTHER, "name": name}
        return {}


class OfferForm(_WhoForm):
    offered_at = GovukDateTimeField(
        label="When was the interview offered?",
        past_only=True,
        help_text="For example, 28 3 2026 and 10:00",
        error_messages={"required": "Enter when the interview was offered"},
    )
    who = forms.ChoiceField(
        label="Who offered it?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who offered the interview"},
    )
    staff = UserChoiceField(
        label="Who at the council?",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose",
    )
    name = forms.CharField(label="Their name and organisation", max_length=200, required=False)
    answer = forms.ChoiceField(
        label="What did the child say?",
        choices=[
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("not_yet", "Not answered yet"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the child said"},
    )
    declined_reason = forms.CharField(
        label="Why did they decline?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In the child's words if you can.",
    )

    conditional_fields = {
        "who": {WHO_STAFF: ["staff"], WHO_OTHER: ["name"]},
        "answer": {"declined": ["declined_reason"]},
    }

    def accepted(self) -> bool | None:
        return {"accepted": True, "declined": False}.get(self.cleaned_data.get("answer") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("answer") == "declined" and not (data.get("declined_reason") or "").strip():
            self.add_error(
                "declined_reason", "Enter why the child declined, in their words if you can"
            )
        return data


class NotOfferedForm(forms.Form):
    reason = forms.CharField(
        label="Why will no interview be offered?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the child lives in another council's area and that council "
        "arranges the interview.",
        error_messages={"required": "Enter why no interview will be offered"},
    )


class InterviewForm(_WhoForm):
    done_at = GovukDateTimeField(
        label="When was the interview done?",
        past_only=True,
        help_text="For example, 29 3 2026 and 16:00. Within 72 hours of the return is on time.",
        error_messages={"required": "Enter when the interview was done"},
    )
    who = forms.ChoiceField(
        label="Who did the interview?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who did the interview"},
    )
    staff = UserChoiceField(
        label="Who at the council?",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose",
    )
    name = forms.CharField(label="Their name and organisation", max_length=200, required=False)
    push_factors = forms.CharField(
        label="What made the child leave? (push factors)",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Write that they did not say, if they did not.",
        error_messages={"required": "Enter what made the child leave, or that they did not say"},
    )
    pull_factors = forms.CharField(
        label="What drew the child away? (pull factors)",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what drew the child away, or that they did not say"},
    )
    where_and_with_whom = forms.CharField(
        label="Where were they, and who with?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter where the child was and who with, or that they did not say"
        },
    )
    exploitation_concerns = forms.ChoiceField(
        label="Are there concerns that the child is being exploited?",
        choices=YES_NO,
        widget=forms.RadioSelect(attrs={"inline": True}),
        help_text="Yes asks the CSE coordinators for a CSE screening of the child.",
        error_messages={"required": "Select whether there are exploitation concerns"},
    )
    exploitation_detail = forms.CharField(
        label="What are the concerns?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_steps = forms.CharField(
        label="What happens next? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who will do what, and what was shared with whom.",
    )

    conditional_fields = {
        "who": {WHO_STAFF: ["staff"], WHO_OTHER: ["name"]},
        "exploitation_concerns": {"yes": ["exploitation_detail"]},
    }

    def __init__(self, *args: Any, draft: bool = False, **kwargs: Any) -> None:
        """``draft`` reads the findings typed so far (autosave, "Save as draft"): nothing is
        required yet, but what is given must be readable."""
        super().__init__(*args, **kwargs)
        self.draft = draft
        if draft:
            for field in self.fields.values():
                field.required = False

    def clean(self) -> dict[str, Any]:
        if self.draft:
            return forms.Form.clean(self) or {}
        data = super().clean()
        concerns = data.get("exploitation_concerns")
        if concerns == "yes" and not (data.get("exploitation_detail") or "").strip():
            self.add_error("exploitation_detail", "Enter what the exploitation concerns are")
        return data


class AssignForm(forms.Form):
    worker = UserChoiceField(
        label="Worker",
        queryset=User.objects.none(),
        required=False,
        empty_label="No one yet (unassigned)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "worker").queryset = selectors.recorders()


class InformationForm(forms.Form):
    """The period (a quarter by default) and what counts as repeat missing."""

    date_from = GovukDateField(
        label="From", error_messages={"required": "Enter the first day of the period"}
    )
    date_to = GovukDateField(
        label="To", error_messages={"required": "Enter the last day of the period"}
    )
    repeat = forms.IntegerField(
        label="Repeat missing means at least this many episodes in the period",
        min_value=2,
        max_value=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        error_messages={
            "invalid": "Enter a whole number of episodes, like 3",
            "min_value": "Repeat missing must mean at least 2 episodes",
            "max_value": "Repeat missing must mean no more than 20 episodes",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", "The last day must be the same as or after the first")
            elif end - start > timedelta(days=366 * 5):
                self.add_error("date_to", "Choose a period of 5 years or less")
        return data

    def chosen(self, default: Period) -> tuple[Period, int]:
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return Period(data["date_from"], data["date_to"]), data.get(
                "repeat"
            ) or REPEAT_THRESHOLD
        return default, REPEAT_THRESHOLD

    @staticmethod
    def query(period: Period, repeat: int) -> str:
        def parts(prefix: str, day: date) -> str:
            return f"{prefix}_day={day.day}&{prefix}_month={day.month}&{prefix}_year={day.year}"

        return f"{parts('date_from', period.date_from)}&{parts('date_to', period.date_to)}&repeat={repeat}"
