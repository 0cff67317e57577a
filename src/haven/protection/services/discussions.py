"""Recording a strategy discussion, step by step, and the actions agreed at it.

A discussion is saved as a draft at its first step (when, how, formal or not, who chaired,
which children), so nothing typed is lost; each later step saves its part. ``
strategy_discussion_complete`` checks the whole record, marks it recorded (from then on it is
shared with the agencies invited), writes each child's chronology and opens a section 47
enquiry for each child when that was the decision. Every change raises the record's
``version``, which the PDF prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Agency, Team
from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.core.actor import Actor
from haven.frontdoor.models import Contact, ContactDecision, Episode
from haven.people.models import Person
from haven.people.services import chronology_record
from haven.protection import codes, permissions
from haven.protection.models import (
    DiscussionAction,
    DiscussionAgency,
    DiscussionChild,
    MeetingKind,
    StrategyDiscussion,
)
from haven.protection.services.common import (
    Errors,
    audit_children,
    check_text,
    local_date,
    plain,
    raise_if,
    require,
)

if TYPE_CHECKING:
    from haven.accounts.models import User

MIN_RATIONALE = 20
MEDIUM_RISK_KIND = "medium-risk"


@dataclass(frozen=True)
class DiscussionDetails:
    """When and how the discussion took place, and about whom: the first step."""

    children: tuple[Person, ...]
    held_at: datetime | None
    method: str
    is_formal: bool | None
    chair: User | None = None


@dataclass(frozen=True)
class AgencyLine:
    """One agency on the record: invited or not (and why not), who took part."""

    role: str
    attendance: str
    agency: Agency | None = None
    name: str = ""
    attendees: str = ""
    not_invited_reason: str = ""


@dataclass(frozen=True)
class DecisionInput:
    decision: str
    rationale: str
    next_step: str = ""
    next_step_detail: str = ""


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner_role: str
    due_on: date | None
    owner_agency: Agency | None = None
    owner_name: str = ""
    owner_user: User | None = None


@dataclass
class Completeness:
    """Which parts of a draft are done, for the task list and for completing it."""

    details: bool = True
    agencies: bool = False
    information: bool = False
    decision: bool = False
    actions: bool = False
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return not self.problems


# --- Who chairs, which team ---------------------------------------------------------------


def default_chair(
    *,
    episodes: Sequence[Episode],
    decision: ContactDecision | None = None,
    recorder: User | None = None,
) -> User | None:
    """The manager of the assessment team that will receive the child, where known: the
    receiving team of the child's episode, else of the front door's decision (the letter:
    ASTI team managers chair discussions for the children their teams will take); else the
    manager of the recorder's own team (the emergency duty team's, out of hours); else the
    recorder, when they may chair. None only when none of these is a manager."""
    teams = [e.receiving_team for e in episodes] + [
        decision.receiving_team if decision is not None else None,
        recorder.team if recorder is not None and recorder.team_id is not None else None,
    ]
    for team in teams:
        manager = team.manager if team is not None and team.manager_id is not None else None
        if manager is not None and manager.is_active and manager.has_perm(permissions.CHAIR):
            return manager
    if recorder is not None and recorder.is_active and recorder.has_perm(permissions.CHAIR):
        return recorder
    return None


def _team_for(
    *,
    episodes: Sequence[Episode],
    decision: ContactDecision | None,
    chair: User | None,
    actor: Actor,
) -> Team | None:
    for episode in episodes:
        if episode.receiving_team_id is not None:
            return episode.receiving_team
    if decision is not None and decision.receiving_team_id is not None:
        return decision.receiving_team
    if chair is not None and chair.team_id is not None:
        return chair.team
    return actor.user.team if actor.user is not None else None


def _is_out_of_hours_worker(actor: Actor) -> bool:
    return actor.user is not None and actor.user.has_role(Role.OUT_OF_HOURS_WORKER)


def _validate_details(details: DiscussionDetails, *, out_of_hours: bool) -> None:
    errors: Errors = {}
    if not details.children:
        errors["children"] = ["Select the children the discussion is about"]
    elif any(child.kind != "child" for child in details.children):
        errors["children"] = ["Select children only: adults are recorded in what was shared"]
    if details.held_at is None:
        errors["held_at"] = ["Enter when the discussion took place"]
    elif details.held_at > timezone.now() + timedelta(minutes=5):
        errors["held_at"] = ["The discussion must have taken place: enter a time in the past"]
    if details.method not in codes.Method.values:
        errors["method"] = ["Select how the discussion took place"]
    if details.is_formal is None:
        errors["is_formal"] = [
            "Select whether this out-of-hours discussion was a formal strategy discussion"
            if out_of_hours
            else "Select whether this was a formal strategy discussion"
        ]
    chair = details.chair
    if chair is not None and not (chair.is_active and chair.has_perm(permissions.CHAIR)):
        errors["chair"] = ["Select a team manager to chair the discussion"]
    raise_if(errors)


def _bump(discussion: StrategyDiscussion) -> None:
    discussion.version += 1
    discussion.version_at = timezone.now()
    discussion.save(update_fields=["version", "version_at"])


def _child_ids(discussion: StrategyDiscussion) -> list[int]:
    return list(discussion.subjects.values_list("child_id", flat=True))


def _open_episodes(children: Sequence[Person]) -> dict[int, Episode]:
    return {
        e.child_id: e
        for e in Episode.objects.open()
        .filter(child__in=children)
        .select_related("receiving_team__manager")
    }


def strategy_discussion_start(
    *,
    actor: Actor,
    details: DiscussionDetails,
    origin: str = "",
    contact: Contact | None = None,
    decision: ContactDecision | None = None,
) -> StrategyDiscussion:
    """Save the first step of a new strategy discussion as a draft.

    Whether it was a formal strategy discussion must be answered (for everyone, and the message
    says so plainly for the out-of-hours worker). The origin follows from what started it: a
    front door decision, a child's open episode, or (for the emergency duty team) out of
    hours. The chair defaults to the receiving team's manager; the team whose queue shows the
    record is that receiving team."""
    require(actor, permissions.RECORD)
    out_of_hours = _is_out_of_hours_worker(actor) or origin == codes.Origin.OUT_OF_HOURS
    _validate_details(details, out_of_hours=out_of_hours)
    if decision is not None:
        contact = contact or decision.contact
    episodes = _open_episodes(details.children)
    if not origin:
        if out_of_hours:
            origin = codes.Origin.OUT_OF_HOURS
        elif decision is not None:
            origin = codes.Origin.CONTACT_DECISION
        elif episodes:
            origin = codes.Origin.REFERRAL
        else:
            origin = codes.Origin.OPEN_CASE
    if origin not in codes.Origin.values:
        raise ValidationError({"origin": ["Select what started the discussion"]})
    chair = details.chair or default_chair(
        episodes=list(episodes.values()), decision=decision, recorder=actor.user
    )
    if details.held_at is None:  # checked above
        raise ValueError("unchecked input")
    with transaction.atomic():
        discussion = StrategyDiscussion.objects.create(
            origin=origin,
            contact=contact,
            decision_at_front_door=decision,
            held_at=details.held_at,
            method=details.method,
            is_formal=bool(details.is_formal),
            is_out_of_hours=out_of_hours,
            chair=chair,
            team=_team_for(
                episodes=list(episodes.values()), decision=decision, chair=chair, actor=actor
            ),
            recorded_by=actor.user if actor.user is not None else _system_recorder(),
            version_at=timezone.now(),
        )
        DiscussionChild.objects.bulk_create(
            [
                DiscussionChild(
                    discussion=discussion,
                    child=child,
                    episode=episodes.get(child.pk),
                    name=child.full_name,
                    date_of_birth=child.date_of_birth or child.expected_date_of_birth,
                )
                for child in details.children
            ]
        )
        audit_children(
            actor=actor,
            action=Event.Action.CREATE,
            target=discussion,
            child_ids=[c.pk for c in details.children],
            detail={
                "origin": origin,
                "held_at": plain(details.held_at),
                "method": details.method,
                "is_formal": bool(details.is_formal),
                "out_of_hours": out_of_hours,
                "chair": plain(chair),
                "contact": contact.pk if contact else None,
            },
        )
    return discussion


def _system_recorder() -> User:
    raise PermissionDenied("A strategy discussion is recorded by a person.")


def strategy_discussion_update_details(
    *, actor: Actor, discussion: StrategyDiscussion, details: DiscussionDetails
) -> StrategyDiscussion:
    """Change the first step of a draft: when, how, formal or not, chair, children."""
    require(actor, "protection.edit_draft_discussion", discussion)
    _validate_details(details, out_of_hours=discussion.is_out_of_hours)
    if details.held_at is None:  # checked above
        raise ValueError("unchecked input")
    with transaction.atomic():
        before = {
            "held_at": plain(discussion.held_at),
            "method": discussion.method,
            "is_formal": discussion.is_formal,
            "chair": plain(discussion.chair),
        }
        discussion.held_at = details.held_at
        discussion.method = details.method
        discussion.is_formal = bool(details.is_formal)
        if details.chair is not None:
            discussion.chair = details.chair
        discussion.save(update_fields=["held_at", "method", "is_formal", "chair"])
        wanted = {child.pk: child for child in details.children}
        have = set(_child_ids(discussion))
        discussion.subjects.exclude(child_id__in=wanted).delete()
        episodes = _open_episodes([c for pk, c in wanted.items() if pk not in have])
        DiscussionChild.objects.bulk_create(
            [
                DiscussionChild(
                    discussion=discussion,
                    child=child,
                    episode=episodes.get(child.pk),
                    name=child.full_name,
                    date_of_birth=child.date_of_birth or child.expected_date_of_birth,
                )
                for pk, child in wanted.items()
                if pk not in have
            ]
        )
        _bump(discussion)
        audit_children(
            actor=actor,
            action=Event.Action.UPDATE,
            target=discussion,
            child_ids=sorted(set(wanted) | have),
            detail={
                "step": "details",
                "before": before,
                "after": {
                    "held_at": plain(discussion.held_at),
                    "method": discussion.method,
                    "is_formal": discussion.is_formal,
                    "chair": plain(discussion.chair),
                },
                "children": sorted(wanted),
            },
        )
    return discussion


def _validate_lines(lines: Sequence[AgencyLine]) -> None:
    errors: Errors = {}
    roles = [line.role for line in lines]
    for role in codes.REQUIRED_AGENCIES:
        if role not in roles:
            errors[f"{role}_attendance"] = [
                f"Select whether {codes.AgencyRole(role).label.lower()} "
                "took part, sent apologies or were not invited"
            ]
    for line in lines:
        prefix = line.role
        label = codes.AgencyRole(line.role).label if line.role in codes.AgencyRole.values else ""
        if line.role not in codes.AgencyRole.values:
            errors.setdefault("agencies", []).append("Select an agency from the list")
            continue
        if line.attendance not in codes.Attendance.values:
            errors[f"{prefix}_attendance"] = [f"Select whether {label.lower()} took part"]
        if line.attendance == codes.Attendance.NOT_INVITED:
            check_text(
                errors,
                f"{prefix}_reason",
                line.not_invited_reason,
                f"Enter why {label.lower()} were not invited",
            )
        expected_kind = codes.AGENCY_KIND_FOR_ROLE.get(codes.AgencyRole(line.role))
        if line.agency is not None and expected_kind and line.agency.kind != expected_kind:
            errors[f"{prefix}_agency"] = [f"Select a {label.lower()} organisation"]
        if (
            line.role == codes.AgencyRole.OTHER
            and line.attendance != codes.Attendance.NOT_INVITED
            and line.agency is None
            and not line.name.strip()
        ):
            errors[f"{prefix}_name"] = ["Enter the name of the other agency"]
    raise_if(errors)


def discussion_agencies_save(
    *, actor: Actor, discussion: StrategyDiscussion, lines: Sequence[AgencyLine]
) -> list[DiscussionAgency]:
    """Record each agency's invitation and attendance. Police, health, education and
    children's social care must each be accounted for (invited, or why not). What each agency
    shared is kept for the agencies that stay on the record."""
    _require_editable(actor, discussion)
    _validate_lines(lines)
    still_invited = {
        line.agency.pk
        for line in lines
        if line.agency is not None and line.attendance in codes.INVITED
    }
    orphaned = sorted(
        {
            str(action.owner_agency)
            for action in discussion.actions.select_related("owner_agency")
            if action.owner_agency_id is not None and action.owner_agency_id not in still_invited
        }
    )
    if orphaned:
        raise ValidationError(
            {
                "agencies": [
                    f"{', '.join(orphaned)} owns actions on this record: it stays invited, "
                    "so that it can see them"
                ]
            }
        )
    with transaction.atomic():
        existing = {row.role: row for row in discussion.agencies.all() if row.role != "other"}
        others = [row for row in discussion.agencies.all() if row.role == "other"]
        kept: list[DiscussionAgency] = []
        for line in lines:
            row = existing.pop(line.role, None)
            if row is None and line.role == "other" and others:
                row = others.pop(0)
            if row is None:
                row = DiscussionAgency(discussion=discussion, role=line.role)
            row.attendance = line.attendance
            row.agency = line.agency
            row.name = line.name.strip()
            row.attendees = line.attendees.strip()
            row.not_invited_reason = (
                line.not_invited_reason.strip()
                if line.attendance == codes.Attendance.NOT_INVITED
                else ""
            )
            if line.attendance == codes.Attendance.NOT_INVITED:
                row.information_shared = ""
            row.save()
            kept.append(row)
        for row in [*existing.values(), *others]:
            row.delete()
        _bump(discussion)
        audit_children(
            actor=actor,
            action=Event.Action.UPDATE,
            target=discussion,
            child_ids=_child_ids(discussion),
            detail={
                "step": "agencies",
                "agencies": [
                    {
                        "role": row.role,
                        "agency": plain(row.agency),
                        "attendance": row.attendance,
                        "reason": row.not_invited_reason,
                    }
                    for row in kept
                ],
            },
        )
    return kept


def _require_editable(actor: Actor, discussion: StrategyDiscussion) -> None:
    """A draft is edited by those who record discussions; a recorded one is amended (late
    information, more actions) by its recorder, its chair or a manager."""
    if discussion.is_recorded:
        require(actor, "protection.amend_discussion", discussion)
    else:
        require(actor, "protection.edit_draft_discussion", discussion)


def discussion_information_save(
    *, actor: Actor, discussion: StrategyDiscussion, shared: dict[int, str]
) -> None:
    """What each invited agency shared, by agency line."""
    _require_editable(actor, discussion)
    rows = {row.pk: row for row in discussion.agencies.all()}
    errors: Errors = {}
    for pk in shared:
        row = rows.get(pk)
        if row is None or not row.is_invited:
            errors.setdefault("information", []).append(
                "Information can only be recorded for agencies that were invited"
            )
    raise_if(errors)
    with transaction.atomic():
        changed = []
        for pk, text in shared.items():
            row = rows[pk]
            if row.information_shared != text.strip():
                row.information_shared = text.strip()
                row.save(update_fields=["information_shared"])
                changed.append(row.label)
        _bump(discussion)
        audit_children(
            actor=actor,
            action=Event.Action.UPDATE,
            target=discussion,
            child_ids=_child_ids(discussion),
            detail={"step": "information", "changed": changed},
        )


def _validate_decision(data: DecisionInput) -> None:
    errors: Errors = {}
    if data.decision not in codes.Decision.values:
        errors["decision"] = ["Select what the discussion decided"]
    check_text(
        errors,
        "rationale",
        data.rationale,
        f"Enter the reasons for the decision, in at least {MIN_RATIONALE} characters",
        MIN_RATIONALE,
    )
    if data.decision == codes.Decision.NO_S47:
        if data.next_step not in codes.NextStep.values:
            errors["next_step"] = ["Select the next step"]
        elif data.next_step == codes.NextStep.OTHER:
            check_text(errors, "next_step_detail", data.next_step_detail, "Enter the next step")
    if data.decision == codes.Decision.MORE_INFORMATION:
        check_text(
            errors,
            "more_information_detail",
            data.next_step_detail,
            "Enter what information is needed, from whom, and when the discussion will reconvene",
        )
    raise_if(errors)


def discussion_decision_save(
    *, actor: Actor, discussion: StrategyDiscussion, data: DecisionInput
) -> StrategyDiscussion:
    """The decision and its rationale. Fixed once the record is finished: a changed view is a
    new strategy discussion, so the enquiries it started keep their grounds."""
    require(actor, "protection.edit_draft_discussion", discussion)
    _validate_decision(data)
    with transaction.atomic():
        discussion.decision = data.decision
        discussion.rationale = data.rationale.strip()
        discussion.next_step = data.next_step if data.decision == codes.Decision.NO_S47 else ""
        discussion.next_step_detail = (
            data.next_step_detail.strip()
            if data.decision in (codes.Decision.NO_S47, codes.Decision.MORE_INFORMATION)
            else ""
        )
        discussion.save(update_fields=["decision", "rationale", "next_step", "next_step_detail"])
        _bump(discussion)
        audit_children(
            actor=actor,
            action=Event.Action.UPDATE,
            target=discussion,
            child_ids=_child_ids(discussion),
            detail={"step": "decision", "decision": data.decision, "next_step": data.next_step},
        )
    return discussion


def _validate_action(discussion_day: date, data: ActionInput) -> None:
    errors: Errors = {}
    check_text(errors, "description", data.description, "Enter what is to be done")
    if data.owner_role not in codes.AgencyRole.values:
        errors["owner_role"] = ["Select the agency that owns the action"]
    else:
        expected = codes.AGENCY_KIND_FOR_ROLE.get(codes.AgencyRole(data.owner_role))
        if data.owner_agency is not None and expected and data.owner_agency.kind != expected:
            errors["owner_agency"] = ["Select an organisation of the agency that owns the action"]
    if data.due_on is None:
        errors["due_on"] = ["Enter the date the action is due"]
    elif data.due_on < discussion_day:
        errors["due_on"] = ["The due date must be on or after the day of the discussion"]
    if data.owner_user is not None and not data.owner_user.is_active:
        errors["owner_user"] = ["Select a member of staff who can still sign in"]
    raise_if(errors)


def _owner_from_invited(discussion: StrategyDiscussion, data: ActionInput) -> ActionInput:
    """A partner organisation owns an action only if it was invited, since only invited
    organisations see the record and can mark their actions done. With no organisation
    chosen, the invited organisation of the owner agency's line owns it."""
    invited = [line for line in discussion.agencies.all() if line.is_invited and line.agency_id]
    if data.owner_agency is None:
        line = next((x for x in invited if x.role == data.owner_role), None)
        return replace(data, owner_agency=line.agency) if line is not None else data
    if data.owner_agency.pk not in {line.agency_id for line in invited}:
        names = ", ".join(sorted({line.label for line in invited}))
        raise ValidationError(
            {
                "owner_agency": [
                    "Select an organisation invited to the discussion"
                    + (f" ({names})" if names else "")
                    + ": only they see the record and its actions"
                ]
            }
        )
    return data


def discussion_action_add(
    *, actor: Actor, discussion: StrategyDiscussion, data: ActionInput
) -> DiscussionAction:
    """An agreed action: what, which agency and person owns it, when it is due."""
    _require_editable(actor, discussion)
    _validate_action(local_date(discussion.held_at), data)
    data = _owner_from_invited(discussion, data)
    if data.due_on is None:  # checked above
        raise ValueError("unchecked input")
    with transaction.atomic():
        action = DiscussionAction.objects.create(
            discussion=discussion,
            description=data.description.strip(),
            owner_role=data.owner_role,
            owner_agency=data.owner_agency,
            owner_name=data.owner_name.strip(),
            owner_user=data.owner_user,
            due_on=data.due_on,
            created_by=actor.user,
        )
        _bump(discussion)
        audit_children(
            actor=actor,
            action=Event.Action.CREATE,
            target=action,
            child_ids=_child_ids(discussion),
            detail={
                "discussion": discussion.pk,
                "owner": action.owner_label,
                "due_on": data.due_on.isoformat(),
            },
        )
    return action


def discussion_action_remove(*, actor: Actor, action: DiscussionAction) -> None:
    """Take an action off a draft (once recorded, actions stay: mark them done instead)."""
    discussion = action.discussion
    require(actor, "protection.edit_draft_discussion", discussion)
    with transaction.atomic():
        detail = {"discussion": discussion.pk, "description": action.description}
        audit_children(
            actor=actor,
            action=Event.Action.DELETE,
            target=action,
            child_ids=_child_ids(discussion),
            detail=detail,
        )
        action.delete()
        _bump(discussion)


def completeness(discussion: StrategyDiscussion) -> Completeness:
    """Which parts of the record are done, and what stops it being finished."""
    result = Completeness()
    lines = list(discussion.agencies.all())
    roles = {line.role for line in lines}
    missing = [r for r in codes.REQUIRED_AGENCIES if r not in roles]
    result.agencies = not missing
    if missing:
        result.problems["agencies"] = (
            "Say for police, health, education and children's social care whether they were "
            "invited and took part"
        )
    invited = [line for line in lines if line.is_invited]
    result.information = bool(invited) and any(line.information_shared for line in invited)
    result.decision = bool(discussion.decision and discussion.rationale)
    if not result.decision:
        result.problems["decision"] = "Record the decision and the reasons for it"
    result.actions = discussion.actions.exists()
    if not discussion.subjects.exists():
        result.details = False
        result.problems["details"] = "Select the children the discussion is about"
    elif discussion.chair_id is None:
        # A strategy discussion is chaired by a manager, out of hours too: a record with no
        # chair cannot say who made the decision.
        result.details = False
        result.problems["details"] = "Select who chaired the discussion"
    return result


def strategy_discussion_complete(
    *, actor: Actor, discussion: StrategyDiscussion
) -> StrategyDiscussion:
    """Finish the record: it is shared from now on with the agencies invited. Writes each
    child's chronology; for a section 47 decision opens an enquiry for each child (its
    conference due 15 working days from the discussion); for a referral to the medium-risk
    multi-agency meeting puts each child on its waiting list."""
    from haven.protection.services.enquiries import section47_open
    from haven.protection.services.meetings import meeting_referral_add

    require(actor, "protection.edit_draft_discussion", discussion)
    state = completeness(discussion)
    if not state.ready:
        raise ValidationError({key: [message] for key, message in state.problems.items()})
    with transaction.atomic():
        discussion = StrategyDiscussion.objects.select_for_update().get(pk=discussion.pk)
        if discussion.is_recorded:
            raise ValidationError({"discussion": ["This strategy discussion is already recorded"]})
        discussion.completed_at = timezone.now()
        discussion.save(update_fields=["completed_at"])
        _bump(discussion)
        subjects = list(discussion.subjects.select_related("child", "episode"))
        kind_label = (
            "Strategy discussion"
            if discussion.is_formal
            else "Discussion (not a formal strategy discussion)"
        )
        summary = f"{kind_label}: {discussion.get_decision_display().lower()}"
        if discussion.is_out_of_hours:
            summary += " (out of hours)"
        for subject in subjects:
            chronology_record(
                actor=actor,
                child=subject.child,
                occurred_at=discussion.held_at,
                kind="strategy_discussion_held",
                summary=summary,
                target=discussion,
                url=discussion.get_absolute_url(),
            )
        audit_children(
            actor=actor,
            action=Event.Action.UPDATE,
            target=discussion,
            child_ids=[s.child_id for s in subjects],
            detail={
                "step": "complete",
                "decision": discussion.decision,
                "version": discussion.version,
            },
        )
        if discussion.is_section47:
            for subject in subjects:
                section47_open(actor=actor, discussion=discussion, subject=subject)
        if (
            discussion.decision == codes.Decision.NO_S47
            and discussion.next_step == codes.NextStep.MEDIUM_RISK_MEETING
        ):
            kind = MeetingKind.objects.filter(key=MEDIUM_RISK_KIND, is_active=True).first()
            if kind is not None:
                for subject in subjects:
                    meeting_referral_add(
                        actor=actor,
                        kind=kind,
                        child=subject.child,
                        risk_level=codes.RiskLevel.MEDIUM,
                        reason=discussion.rationale,
                        referred_at=discussion.completed_at,
                        discussion=discussion,
                        episode=subject.episode,
                        check_permission=False,
                    )
    return discussion


def discussion_action_complete(
    *,
    actor: Actor,
    action: DiscussionAction,
    done_on: date | None,
    note: str,
) -> DiscussionAction:
    """Mark an action done, with the date and a note. A partner agency's user may do this only
    for actions their own agency owns, on a record shared with them (the note is required
    from them, so the chair can see what was done); staff who record or chair discussions for
    any action on a recorded discussion."""
    discussion = action.discussion
    user = actor.user
    if (
        user is not None
        and user.has_perm(permissions.PARTNER_ACTION)
        and not user.has_perm(permissions.VIEW)
    ):
        require(actor, "protection.view_shared_discussion_object", discussion)
        if user.agency_id is None or action.owner_agency_id != user.agency_id:
            raise PermissionDenied("This action belongs to another agency.")
    else:
        require(actor, "protection.complete_staff_action", discussion)
    errors: Errors = {}
    if action.is_done:
        errors["done_on"] = ["This action is already marked done"]
    if done_on is None:
        errors["done_on"] = ["Enter the date the action was done"]
    elif done_on > timezone.localdate():
        errors["done_on"] = ["The date done must be today or in the past"]
    elif done_on < local_date(discussion.held_at):
        errors["done_on"] = ["The date done cannot be before the strategy discussion"]
    check_text(errors, "note", note, "Enter a note of what was done")
    raise_if(errors)
    with transaction.atomic():
        action.done_on = done_on
        action.done_note = note.strip()
        action.done_by = user
        action.done_recorded_at = timezone.now()
        action.save(update_fields=["done_on", "done_note", "done_by", "done_recorded_at"])
        _bump(discussion)
        audit_children(
            actor=actor,
            action=Event.Action.UPDATE,
            target=action,
            child_ids=_child_ids(discussion),
            detail={
                "discussion": discussion.pk,
                "done_on": plain(done_on),
                "by_agency": plain(user.agency) if user is not None and user.agency_id else "",
            },
        )
    return action


def discussion_print(
    *, actor: Actor, discussion: StrategyDiscussion, partner: bool = False
) -> None:
    """Record that the PDF of the record was made (one event per child)."""
    audit_children(
        actor=actor,
        action=Event.Action.PRINT,
        target=discussion,
        child_ids=_child_ids(discussion),
        detail={"version": discussion.version, "partner": partner},
    )
