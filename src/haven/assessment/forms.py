"""Forms for allocation and assessment, rendered as GOV.UK components; every field says what to
fix. Forms parse what was typed; the services check the rules, so the API and the browser get
the same messages."""

from __future__ import annotations

from typing import Any

from django import forms

from haven.assessment import codes, parts
from haven.assessment.models import ServiceType
from haven.core.forms import GovukDateField, GovukDateTimeField

_YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class AllocateForm(forms.Form):
    """Who should hold the case. Each choice says the worker's caseload now."""

    worker = forms.ChoiceField(
        label="Who should the case be allocated to?",
        widget=forms.RadioSelect(attrs={"legend_class": "govuk-fieldset__legend--m"}),
        error_messages={"required": "Select the social worker to allocate the case to"},
    )
    reason = forms.CharField(
        label="Why is the case moving?",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the worker is on long-term leave, or the case needs a worker "
        "with experience of exploitation.",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], moving: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        worker = self.fields["worker"]
        if isinstance(worker, forms.ChoiceField):
            worker.choices = choices
        if not moving:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "Enter why the case is moving to another worker"
            )


class VisitForm(forms.Form):
    visited_at = GovukDateTimeField(
        label="Date and time of the visit",
        past_only=True,
        help_text="For example, 27 3 2026 and 14:30",
        error_messages={"required": "Enter when the visit was"},
    )
    kind = forms.ChoiceField(
        label="Where was the visit?",
        choices=codes.VisitKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the visit was"},
    )
    location = forms.CharField(
        label="Address or place (optional)",
        required=False,
        max_length=300,
        help_text="For example, the family home, or Harbour Primary School.",
    )
    child_seen = forms.ChoiceField(
        label="Was the child seen?",
        choices=[
            ("alone", "Yes, seen alone"),
            ("with_others", "Yes, seen with others there"),
            ("no", "No, not seen"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child was seen"},
    )
    bedroom_seen = forms.ChoiceField(
        label="Did you see where the child sleeps? (optional)",
        choices=_YES_NO,
        required=False,
        widget=forms.RadioSelect(attrs={"inline": True}),
        help_text="Leave this if the child was not seen.",
    )
    not_seen_reason = forms.CharField(
        label="If the child was not seen, why not?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, nobody answered the door, or the child was at their father's.",
    )
    present = forms.CharField(
        label="Who else was there? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label="What happened on the visit? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def visit_data(self) -> dict[str, Any]:
        """What the service takes: seen or not, and alone."""
        seen = self.cleaned_data["child_seen"]
        return {
            "child_seen": seen != "no",
            "seen_alone": {"alone": True, "with_others": False}.get(seen),
            "bedroom_seen": yes_no(self.cleaned_data.get("bedroom_seen")) if seen != "no" else None,
        }


class StartAssessmentForm(forms.Form):
    start_date = GovukDateField(
        label="Date the assessment started",
        past_only=True,
        help_text="Usually the day the case was allocated or the child was first seen.",
        error_messages={"required": "Enter the date the assessment started"},
    )


class PartForm(forms.Form):
    """A part of the assessment on its own page."""

    def __init__(self, *args: Any, part: parts.Part, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.part = part


class TextPartForm(PartForm):
    """One strength-based part: a single long answer."""

    def __init__(self, *args: Any, part: parts.Part, **kwargs: Any) -> None:
        super().__init__(*args, part=part, **kwargs)
        (name,) = part.fields
        self.fields[name] = forms.CharField(
            label=part.title,
            required=False,
            help_text=part.hint,
            widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}),
        )


class ScalePartForm(PartForm):
    scale = forms.TypedChoiceField(
        label="What is the score?",
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"invalid_choice": "The score must be a whole number from 0 to 10"},
    )
    scale_given_by = forms.CharField(
        label="Who gave the score?",
        required=False,
        max_length=300,
        help_text="For example, Mum and the social worker together; Jack (aged 12).",
    )

    def __init__(self, *args: Any, part: parts.Part, **kwargs: Any) -> None:
        super().__init__(*args, part=part, **kwargs)
        self.fields["scale"].help_text = part.hint


class FactorsPartForm(PartForm):
    factors = forms.MultipleChoiceField(
        label="Which factors were identified?",
        choices=codes.Factor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose factors from the list"},
    )

    def __init__(self, *args: Any, part: parts.Part, **kwargs: Any) -> None:
        super().__init__(*args, part=part, **kwargs)
        self.fields["factors"].help_text = part.hint

    def clean_factors(self) -> list[str]:
        chosen: list[str] = self.cleaned_data.get("factors") or []
        problem = parts.factor_problem(chosen)
        if problem:
            raise forms.ValidationError(problem)
        return chosen


class OutcomePartForm(PartForm):
    outcome = forms.ChoiceField(
        label="What is the outcome of the assessment?",
        choices=codes.Outcome.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, part: parts.Part, **kwargs: Any) -> None:
        super().__init__(*args, part=part, **kwargs)
        self.fields["outcome"].help_text = part.hint


def part_form_class(part: parts.Part) -> type[PartForm]:
    forms_by_key: dict[str, type[PartForm]] = {
        "scale": ScalePartForm,
        "factors": FactorsPartForm,
        "outcome": OutcomePartForm,
    }
    return forms_by_key.get(part.key, TextPartForm)


class ReviewForm(forms.Form):
    """The manager's decision on a submitted assessment."""

    decision = forms.ChoiceField(
        label="What is your decision?",
        choices=codes.ReviewDecision.choices,
        widget=forms.RadioSelect(attrs={"legend_class": "govuk-fieldset__legend--m"}),
        error_messages={"required": "Select whether you authorise the assessment or return it"},
    )
    comments = forms.CharField(
        label="Comments for the social worker",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Needed when you return the assessment: say what should change.",
    )


class PlanStartForm(forms.Form):
    start_date = GovukDateField(
        label="Date the plan started",
        past_only=True,
        error_messages={"required": "Enter the date the plan started"},
    )
    needs_to_happen = forms.CharField(
        label="What needs to happen, and who will do it?",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter what needs to happen, and who will do it"},
    )


class PlanReviewForm(forms.Form):
    held_on = GovukDateField(
        label="Date of the review",
        past_only=True,
        error_messages={"required": "Enter the date the review was held"},
    )
    outcome = forms.ChoiceField(
        label="What did the review decide?",
        choices=codes.PlanReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the review decided"},
    )
    notes = forms.CharField(
        label="What did the review find and agree?",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter what the review found and agreed"},
    )


class PlanEndForm(forms.Form):
    end_date = GovukDateField(
        label="Date the plan ended",
        past_only=True,
        error_messages={"required": "Enter the date the plan ended"},
    )
    reason = forms.CharField(
        label="Why is the plan ending?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the plan is ending"},
    )


class ServiceForm(forms.Form):
    service_type = forms.ModelChoiceField(
        label="What kind of service?",
        queryset=ServiceType.objects.none(),
        empty_label="Choose the kind of service",
        error_messages={"required": "Select the kind of service"},
    )
    provider = forms.CharField(
        label="Who provides it?",
        max_length=300,
        help_text="The organisation or team, for example Harbour Family Centre.",
        error_messages={"required": "Enter who provides the service"},
    )
    agreed_on = GovukDateField(
        label="Date the service was agreed",
        past_only=True,
        error_messages={"required": "Enter the date the service was agreed"},
    )
    start_date = GovukDateField(
        label="Date the service started (optional)",
        past_only=True,
        required=False,
        help_text="Leave this empty if the service has not started yet.",
    )
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service_type"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = types

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("started") == "yes"
            and not data.get("start_date")
            and not self.errors.get("start_date")
        ):
            self.add_error("start_date", "Enter the date the service started")
        return data


class ServiceDateForm(forms.Form):
    day = GovukDateField(label="Date", past_only=True)

    def __init__(self, *args: Any, label: str, required_message: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].label = label
        self.fields["day"].error_messages["required"] = required_message


class ClosureForm(forms.Form):
    closed_on = GovukDateField(
        label="Closure date",
        past_only=True,
        help_text="The closure date for the children in need census: today or earlier.",
        error_messages={"required": "Enter the closure date"},
    )
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=codes.ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason for closing the case"},
    )
    summary = forms.CharField(
        label="Closing summary",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Why the case can close, what has changed for the child, and what happens "
        "next (who will keep an eye, what the family know).",
        error_messages={"required": "Enter why the case can close and what happens next"},
    )


class ClosureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you agree the case can close?",
        choices=[("approve", "Yes, close the case"), ("decline", "No, keep it open")],
        widget=forms.RadioSelect(attrs={"legend_class": "govuk-fieldset__legend--m"}),
        error_messages={"required": "Select whether the case can close"},
    )
    comment = forms.CharField(
        label="Comments for the social worker",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when the case stays open: say what is still to do.",
    )
