"""Forms for child protection records, rendered as GOV.UK components; every field says what to
fix. Forms only parse: the services check the rules (so the API gets the same messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from haven.accounts.models import Agency, User
from haven.core.forms import GovukDateField, GovukDateTimeField
from haven.protection import codes

_YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def as_yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "") if value is not None else ""


def chairs() -> QuerySet[User]:
    """Active staff who may chair a strategy discussion (team managers)."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="chair_strategy_discussion",
            groups__permissions__content_type__app_label="protection",
        )
        .distinct()
        .order_by("full_name")
    )


def staff_owners() -> QuerySet[User]:
    """Staff who can own an action (anyone who works with children's records)."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="view_strategydiscussion",
            groups__permissions__content_type__app_label="protection",
        )
        .distinct()
        .order_by("full_name")
    )


def social_workers(team_ids: list[int]) -> QuerySet[User]:
    """Active staff in these teams who may lead an enquiry (social workers and managers)."""
    return (
        User.objects.filter(
            is_active=True,
            team_id__in=team_ids,
            groups__permissions__codename="record_child_protection",
            groups__permissions__content_type__app_label="protection",
        )
        .select_related("team")
        .distinct()
        .order_by("full_name")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        job = f", {obj.job_title}" if getattr(obj, "job_title", "") else ""
        team = f" ({obj.team})" if getattr(obj, "team_id", None) else ""
        return f"{obj.full_name}{job}{team}"


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Find the child",
        max_length=200,
        help_text="Name, date of birth, postcode, NHS number or LA ID.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-30", "spellcheck": "false"}),
        error_messages={"required": "Enter a name, date of birth or identifier to search for"},
    )


class DetailsForm(forms.Form):
    """The first step: about whom, when, how, formal or not, who chaired."""

    children = forms.MultipleChoiceField(
        label="Which children is the discussion about?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the children the discussion is about"},
    )
    held_at = GovukDateTimeField(
        label="When did the discussion take place?",
        past_only=True,
        help_text="For example, 27 3 2026 and 14:30",
        error_messages={"required": "Enter when the discussion took place"},
    )
    method = forms.ChoiceField(
        label="How did it take place?",
        choices=codes.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the discussion took place"},
    )
    is_formal = forms.ChoiceField(
        label="Was this a formal strategy discussion?",
        choices=_YES_NO,
        widget=forms.RadioSelect(attrs={"inline": True}),
        help_text="A formal strategy discussion decides whether there will be a section 47 "
        "enquiry. Always answer, including for discussions with the police out of hours.",
        error_messages={"required": "Select whether this was a formal strategy discussion"},
    )
    chair = UserChoiceField(
        label="Who chaired it?",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose the chair",
        help_text="A team manager: by default, the manager of the team that will receive the "
        "child. A draft can be saved without one; the record cannot be finished without it.",
    )

    def __init__(
        self, *args: Any, children: list[tuple[int, str]], out_of_hours: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        children_field = self.fields["children"]
        if isinstance(children_field, forms.ChoiceField):
            children_field.choices = [(str(pk), label) for pk, label in children]
        chair = self.fields["chair"]
        if isinstance(chair, forms.ModelChoiceField):
            chair.queryset = chairs()
        if out_of_hours:
            self.fields[
                "is_formal"
            ].label = "Was this out-of-hours discussion a formal strategy discussion?"
            self.fields["is_formal"].error_messages["required"] = (
                "Select whether this out-of-hours discussion was a formal strategy discussion"
            )


class AgenciesForm(forms.Form):
    """One fieldset per agency: invited or not (and why not), which organisation, who took
    part. Built from ``codes.AgencyRole``; field names are ``<role>_<what>``; ``groups`` gives
    the template each agency's fields in order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roles: list[tuple[str, str]] = []
        names: list[tuple[str, str, list[str]]] = []
        for role in codes.AgencyRole:
            label = role.label
            required = role in codes.REQUIRED_AGENCIES
            choices = list(codes.Attendance.choices)
            self.fields[f"{role}_attendance"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=required,
                help_text="" if required else "Leave blank if no other agency was involved.",
                widget=forms.RadioSelect(attrs={"legend_class": "govuk-fieldset__legend--m"}),
                error_messages={
                    "required": f"Select whether {label.lower()} took part, sent apologies "
                    "or were not invited"
                },
            )
            self.fields[f"{role}_reason"] = forms.CharField(
                label=f"{label}: if not invited, why not?",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            others: list[str] = []
            kind = codes.AGENCY_KIND_FOR_ROLE.get(role)
            if kind:
                self.fields[f"{role}_agency"] = forms.ModelChoiceField(
                    label=f"{label}: organisation",
                    queryset=Agency.objects.filter(kind=kind, is_active=True),
                    required=False,
                    empty_label="Not a partner organisation in Haven",
                    help_text="Its staff will see the finished record and can mark their "
                    "actions done.",
                )
                others.append(f"{role}_agency")
            if role == codes.AgencyRole.OTHER:
                self.fields[f"{role}_name"] = forms.CharField(
                    label="Name of the other agency", max_length=200, required=False
                )
                others.append(f"{role}_name")
            self.fields[f"{role}_attendees"] = forms.CharField(
                label=f"{label}: who took part (names and roles)",
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-30"}),
            )
            others.append(f"{role}_attendees")
            others.append(f"{role}_reason")
            self.roles.append((role.value, label))
            names.append((role.value, label, others))
        self.groups = [
            {
                "role": role,
                "label": label,
                "attendance": self[f"{role}_attendance"],
                "others": [self[name] for name in others],
            }
            for role, label, others in names
        ]


class InformationForm(forms.Form):
    """What each invited agency shared: one box per agency line."""

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line_fields: list[tuple[int, str]] = []
        for line in lines:
            name = f"line_{line.pk}"
            self.fields[name] = forms.CharField(
                label=f"What did {line.label} share?",
                required=False,
                initial=line.information_shared,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=line.get_attendance_display()
                + (f": {line.attendees}" if line.attendees else ""),
            )
            self.line_fields.append((line.pk, name))

    def shared(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for pk, name in self.line_fields}


class DecisionForm(forms.Form):
    """The follow-up questions are shown, not revealed: GOV.UK Frontend's reveal marks radios
    with ``aria-expanded``, which assistive technology does not support on a radio (axe)."""

    decision = forms.ChoiceField(
        label="What did the discussion decide?",
        choices=codes.Decision.choices,
        widget=forms.RadioSelect(attrs={"legend_class": "govuk-fieldset__legend--m"}),
        error_messages={"required": "Select what the discussion decided"},
    )
    next_step = forms.ChoiceField(
        label="If there is to be no section 47 enquiry: what is the next step?",
        choices=codes.NextStep.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    next_step_detail = forms.CharField(
        label="Details of the next step (for 'something else', say what)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    more_information_detail = forms.CharField(
        label="If more information is needed: what, from whom, and when will the discussion "
        "reconvene?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rationale = forms.CharField(
        label="Why? The reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the agencies' information shows about the risk of significant harm to "
        "each child, and why this response is right.",
        error_messages={"required": "Enter the reasons for the decision"},
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What is to be done?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what is to be done"},
    )
    owner_role = forms.ChoiceField(
        label="Which agency owns it?",
        choices=codes.AgencyRole.choices,
        widget=forms.RadioSelect(attrs={"small": True}),
        error_messages={"required": "Select the agency that owns the action"},
    )
    owner_agency = forms.ModelChoiceField(
        label="Organisation (for a partner agency)",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label="Choose the organisation",
        help_text="One of the organisations invited to the discussion; left empty, the invited "
        "organisation of the agency chosen above. Its staff can mark the action done once the "
        "record is shared with them.",
    )
    owner_name = forms.CharField(label="Who will do it?", max_length=200, required=False)
    owner_user = UserChoiceField(
        label="Or a member of council staff",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not a member of staff",
        help_text="The action appears in their My work.",
    )
    due_on = GovukDateField(
        label="Due date",
        help_text="For example, 3 4 2026",
        error_messages={"required": "Enter the date the action is due"},
    )

    def __init__(self, *args: Any, invited: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_user"]
        if isinstance(owner, forms.ModelChoiceField):
            owner.queryset = staff_owners()
        agency = self.fields["owner_agency"]
        if invited is not None and isinstance(agency, forms.ModelChoiceField):
            # Only the organisations invited see the record, so only they own its actions.
            agency.queryset = Agency.objects.filter(pk__in=invited)


class ActionDoneForm(forms.Form):
    done_on = GovukDateField(
        label="Date done",
        past_only=True,
        help_text="For example, 3 4 2026",
        error_messages={"required": "Enter the date the action was done"},
    )
    note = forms.CharField(
        label="What was done?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter a note of what was done"},
    )


class EnquiryOutcomeForm(forms.Form):
    end_date = GovukDateField(
        label="Date the enquiry concluded",
        past_only=True,
        error_messages={"required": "Enter the date the enquiry concluded"},
    )
    concerns_substantiated = forms.ChoiceField(
        label="Were the concerns substantiated?",
        choices=_YES_NO,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select whether the concerns were substantiated"},
    )
    conference_needed = forms.ChoiceField(
        label="Is an initial child protection conference needed?",
        choices=_YES_NO,
        widget=forms.RadioSelect(attrs={"inline": True}),
        help_text="The child is judged to be suffering, or likely to suffer, significant harm.",
        error_messages={
            "required": "Select whether an initial child protection conference is needed"
        },
    )
    outcome_detail = forms.CharField(
        label="What did the enquiry find?",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what the enquiry found"},
    )


class WorkerForm(forms.Form):
    """A manager names the social worker leading a section 47 enquiry."""

    worker = UserChoiceField(
        label="Who is the social worker?",
        queryset=User.objects.none(),
        empty_label="Choose the social worker",
        error_messages={
            "required": "Select a social worker",
            "invalid_choice": "Select a social worker",
        },
    )

    def __init__(self, *args: Any, team_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worker = self.fields["worker"]
        if isinstance(worker, forms.ModelChoiceField):
            worker.queryset = social_workers(team_ids)


class ConferenceForm(forms.Form):
    held_on = GovukDateField(
        label="Date the conference was held",
        past_only=True,
        error_messages={"required": "Enter the date the conference was held"},
    )
    plan_needed = forms.ChoiceField(
        label="Does the child need a child protection plan?",
        choices=_YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child needs a child protection plan"},
    )
    category = forms.ChoiceField(
        label="If a plan: the initial category of abuse",
        choices=codes.CategoryOfAbuse.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    chair_name = forms.CharField(
        label="Who chaired the conference?", max_length=200, required=False
    )
    outcome_detail = forms.CharField(
        label="The conference's decision and reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ReviewForm(forms.Form):
    held_on = GovukDateField(
        label="Date the review conference was held",
        past_only=True,
        error_messages={"required": "Enter the date the review conference was held"},
    )
    continue_plan = forms.ChoiceField(
        label="Does the child protection plan continue?",
        choices=_YES_NO,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select whether the child protection plan continues"},
    )
    category = forms.ChoiceField(
        label="Latest category of abuse",
        choices=[("", "Unchanged"), *codes.CategoryOfAbuse.choices],
        required=False,
    )
    quorate = forms.ChoiceField(
        label="Was the conference quorate?",
        choices=_YES_NO,
        required=False,
        widget=forms.RadioSelect(attrs={"inline": True}),
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class PlanEndForm(forms.Form):
    end_date = GovukDateField(
        label="Date the plan ended",
        past_only=True,
        error_messages={"required": "Enter the date the plan ended"},
    )
    reason = forms.CharField(
        label="Why did the plan end?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the plan ended"},
    )


class ReferralForm(forms.Form):
    risk_level = forms.ChoiceField(
        label="Risk level",
        choices=codes.RiskLevel.choices,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select the risk level"},
    )
    reason = forms.CharField(
        label="Why is the child referred?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter why the child is referred"},
    )

    def __init__(self, *args: Any, levels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["risk_level"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [(v, codes.RiskLevel(v).label) for v in levels]
            if len(levels) == 1:
                field.initial = levels[0]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why does the child no longer need the meeting?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the child no longer needs the meeting"},
    )


class MeetingForm(forms.Form):
    scheduled_for = GovukDateTimeField(
        label="When is the meeting?",
        help_text="For example, 27 3 2026 and 10:00",
        error_messages={"required": "Enter when the meeting is"},
    )
    method = forms.ChoiceField(
        label="How will it take place?",
        choices=codes.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the meeting takes place"},
    )
    location = forms.CharField(label="Where (or the call details)", max_length=200, required=False)
    chair = UserChoiceField(
        label="Chair", queryset=User.objects.none(), required=False, empty_label="Choose the chair"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chair = self.fields["chair"]
        if isinstance(chair, forms.ModelChoiceField):
            chair.queryset = staff_owners()


class ScheduleForm(forms.Form):
    referrals = forms.MultipleChoiceField(
        label="Which waiting children will the meeting consider?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the children to consider at this meeting"},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["referrals"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [(str(pk), label) for pk, label in choices]


class AttendeeForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the attendee's name"}
    )
    role = forms.ChoiceField(
        label="Agency",
        choices=codes.AgencyRole.choices,
        error_messages={"required": "Select the agency the attendee is from"},
    )
    organisation = forms.CharField(label="Organisation and job", max_length=200, required=False)
    attendance = forms.ChoiceField(
        label="Attendance",
        choices=[(a.value, a.label) for a in codes.INVITED],
        widget=forms.RadioSelect(attrs={"inline": True, "small": True}),
        initial=codes.Attendance.ATTENDED,
        error_messages={"required": "Select whether they attended"},
    )


class ConsiderationForm(forms.Form):
    """The outcome for one child, with up to three actions (a blank action is left out)."""

    risk_level = forms.ChoiceField(
        label="Risk level agreed at the meeting",
        choices=codes.RiskLevel.choices,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select the risk level the meeting agreed"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=codes.MeetingOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome for the child"},
    )
    discussion_summary = forms.CharField(
        label="Summary of the discussion",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a summary of the discussion"},
    )

    ACTIONS = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, self.ACTIONS + 1):
            self.fields[f"action_{n}_description"] = forms.CharField(
                label=f"Action {n}: what is to be done",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"action_{n}_role"] = forms.ChoiceField(
                label=f"Action {n}: agency",
                choices=[("", "Choose the agency"), *codes.AgencyRole.choices],
                required=False,
            )
            self.fields[f"action_{n}_owner"] = forms.CharField(
                label=f"Action {n}: who will do it", max_length=200, required=False
            )
            self.fields[f"action_{n}_staff"] = UserChoiceField(
                label=f"Action {n}: or a member of council staff",
                queryset=staff_owners(),
                required=False,
                empty_label="Not a member of staff",
                help_text="The action appears in their My work; every open action is on the "
                "meeting team's Team work.",
            )
            self.fields[f"action_{n}_due"] = GovukDateField(
                label=f"Action {n}: due date", required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, self.ACTIONS + 1):
            description = (data.get(f"action_{n}_description") or "").strip()
            if not description:
                continue
            if not data.get(f"action_{n}_role"):
                self.add_error(f"action_{n}_role", f"Select the agency that owns action {n}")
            if not data.get(f"action_{n}_due"):
                self.add_error(f"action_{n}_due", f"Enter the date action {n} is due")
        return data

    def actions(self) -> list[dict[str, Any]]:
        found = []
        for n in range(1, self.ACTIONS + 1):
            description = (self.cleaned_data.get(f"action_{n}_description") or "").strip()
            if description:
                found.append(
                    {
                        "n": n,
                        "description": description,
                        "owner_role": self.cleaned_data.get(f"action_{n}_role") or "",
                        "owner_name": self.cleaned_data.get(f"action_{n}_owner") or "",
                        "owner_user": self.cleaned_data.get(f"action_{n}_staff"),
                        "due_on": self.cleaned_data.get(f"action_{n}_due"),
                    }
                )
        return found


class WaitRangeForm(forms.Form):
    date_from = GovukDateField(label="Referred from", required=False)
    date_to = GovukDateField(label="Referred to", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", "The end of the period must be the same as or after the start"
            )
        return data
