"""Child protection in the API: read strategy discussions, section 47 enquiries, plans and
meeting waiting lists (staff, scope ``protection:read``); and, for partner agencies, the
records shared with them and marking their own actions done (scope ``protection:shared``).

Partners reach records only through ``selectors.strategy_discussions_shared_with``: any other
discussion, child, enquiry or plan is a 403 or 404 for them, as in the browser. Every read of
a child's record is audited, one event per child.

A staff read of a restricted child's record needs a ``reason`` (at least 10 characters),
audited like the reason given in the browser.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from haven.accounts.models import User
from haven.api.auth import api_actor, require_scope
from haven.api.reading import open_people, record_list, record_read
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.protection import permissions, selectors, services
from haven.protection.models import DiscussionAction, Meeting, StrategyDiscussion
from haven.protection.services.common import local_date

router = Router(tags=["protection"])
MAX_LIST = 500


class ChildOut(Schema):
    name: str
    date_of_birth: date | None


class StaffChildOut(ChildOut):
    id: int
    la_id: str


class AgencyOut(Schema):
    role: str
    organisation: str
    attendance: str
    attendees: str
    not_invited_reason: str
    information_shared: str


class ActionOut(Schema):
    id: int
    description: str
    owner_role: str
    owner: str
    owner_agency_id: int | None
    due_on: date
    done_on: date | None
    done_note: str
    overdue: bool


class DiscussionOut(Schema):
    id: int
    reference: str
    version: int
    version_at: datetime
    held_at: datetime
    method: str
    is_formal: bool
    is_out_of_hours: bool
    chair: str
    decision: str
    next_step: str
    next_step_detail: str
    rationale: str
    recorded: bool
    children: list[ChildOut]
    agencies: list[AgencyOut]
    actions: list[ActionOut]


class StaffDiscussionOut(DiscussionOut):
    origin: str
    children: list[StaffChildOut]  # type: ignore[assignment]
    enquiry_ids: list[int]


class DiscussionSummaryOut(Schema):
    id: int
    reference: str
    held_at: datetime
    is_formal: bool
    decision: str
    recorded: bool
    children: list[ChildOut]


class EnquiryOut(Schema):
    id: int
    reference: str
    child_id: int
    discussion_id: int
    is_joint: bool
    start_date: date
    conference_target_date: date
    end_date: date | None
    concerns_substantiated: bool | None
    conference_needed: bool | None
    conference_held_on: date | None
    plan_needed: bool | None


class ReviewOut(Schema):
    due_date: date
    held_on: date | None
    continue_plan: bool | None


class PlanOut(Schema):
    id: int
    child_id: int
    start_date: date
    end_date: date | None
    initial_category: str
    latest_category: str
    reviews: list[ReviewOut]


class WaitingOut(Schema):
    referral_id: int
    child_id: int
    child_name: str
    risk_level: str
    referred_on: date
    target_date: date
    scheduled_on: date | None
    days_waiting: int


class ListChildOut(Schema):
    id: int
    name: str
    date_of_birth: date | None  # left out for a restricted child
    restricted: bool


class DiscussionListOut(Schema):
    id: int
    reference: str
    held_at: datetime
    is_formal: bool
    is_out_of_hours: bool
    chair: str
    decision: str
    recorded: bool
    has_overdue_actions: bool
    children: list[ListChildOut]


class DiscussionListParams(Schema):
    scope: str = ""  # "mine", "team", or "" for every discussion the caller may see
    date_from: date | None = None
    date_to: date | None = None


class OpenActionOut(ActionOut):
    discussion_id: int
    discussion_reference: str


class ConferenceOut(Schema):
    id: int
    enquiry_id: int | None
    child_id: int
    target_date: date
    held_on: date | None
    within_timescale: bool | None
    plan_needed: bool | None
    category: str
    chair_name: str
    outcome_detail: str
    worker: str
    plan_id: int | None


class AttendeeOut(Schema):
    name: str
    role: str
    organisation: str
    attendance: str


class MeetingActionOut(Schema):
    id: int
    description: str
    owner_role: str
    owner: str
    due_on: date
    done_on: date | None
    done_note: str
    overdue: bool


class ConsiderationOut(Schema):
    child_id: int
    child_name: str
    referral_id: int
    risk_level: str
    outcome: str
    discussion_summary: str
    actions: list[MeetingActionOut]


class MeetingSummaryOut(Schema):
    id: int
    kind: str
    scheduled_for: datetime
    method: str
    chair: str
    recorded: bool
    children: int


class MeetingOut(MeetingSummaryOut):
    location: str
    attendees: list[AttendeeOut]
    considerations: list[ConsiderationOut]
    waiting_child_ids: list[int]


class ActionDoneIn(Schema):
    done_on: date
    note: str


def _staff(request: HttpRequest, permission: str = permissions.VIEW) -> User:
    require_scope(request, "protection:read")
    user = request.user
    if not isinstance(user, User) or not user.has_perm(permission):
        raise PermissionDenied("You do not have permission to see child protection records.")
    return user


def _partner(request: HttpRequest) -> User:
    require_scope(request, "protection:shared")
    user = request.user
    if not isinstance(user, User) or not user.has_perm(permissions.VIEW_SHARED):
        raise PermissionDenied("Only partner agencies' users read shared records here.")
    return user


def _audit(request: HttpRequest, record: StrategyDiscussion, *, partner: bool) -> None:
    record_read(
        request,
        target=record,
        child_ids=[s.child_id for s in record.subjects.all()],
        partner=partner,
    )


def _action(action: DiscussionAction) -> dict[str, Any]:
    """An action's fields, as every answer that names one gives them."""
    return {
        "id": action.pk,
        "description": action.description,
        "owner_role": action.owner_role,
        "owner": action.owner_label,
        "owner_agency_id": action.owner_agency_id,
        "due_on": action.due_on,
        "done_on": action.done_on,
        "done_note": action.done_note,
        "overdue": action.is_overdue(),
    }


def _summary(record: StrategyDiscussion) -> DiscussionSummaryOut:
    return DiscussionSummaryOut(
        id=record.pk,
        reference=record.reference,
        held_at=record.held_at,
        is_formal=record.is_formal,
        decision=record.decision,
        recorded=record.is_recorded,
        children=[
            ChildOut(name=s.name, date_of_birth=s.date_of_birth) for s in record.subjects.all()
        ],
    )


def _discussion(record: StrategyDiscussion) -> dict[str, object]:
    return {
        "id": record.pk,
        "reference": record.reference,
        "version": record.version,
        "version_at": record.version_at,
        "held_at": record.held_at,
        "method": record.method,
        "is_formal": record.is_formal,
        "is_out_of_hours": record.is_out_of_hours,
        "chair": record.chair.full_name if record.chair else "",
        "decision": record.decision,
        "next_step": record.next_step,
        "next_step_detail": record.next_step_detail,
        "rationale": record.rationale,
        "recorded": record.is_recorded,
        "agencies": [
            AgencyOut(
                role=line.role,
                organisation=line.label,
                attendance=line.attendance,
                attendees=line.attendees,
                not_invited_reason=line.not_invited_reason,
                information_shared=line.information_shared,
            )
            for line in record.agencies.all()
        ],
        "actions": [ActionOut(**_action(a)) for a in record.actions.all()],
    }


@router.get(
    "/strategy-discussions/{discussion_id}",
    response=StaffDiscussionOut,
    summary="A strategy discussion (staff)",
)
def discussion_read(
    request: HttpRequest, discussion_id: int, reason: str = ""
) -> StaffDiscussionOut:
    """The whole record, with the children's LA IDs and the enquiries it started. A record
    about a restricted child needs ``reason``."""
    user = _staff(request)
    record = selectors.discussion_get(user=user, discussion_id=discussion_id)
    open_people(request, [s.child for s in record.subjects.all()], reason)
    _audit(request, record, partner=False)
    return StaffDiscussionOut(
        **_discussion(record),  # type: ignore[arg-type]
        origin=record.origin,
        children=[
            StaffChildOut(
                id=s.child_id, la_id=s.child.la_id, name=s.name, date_of_birth=s.date_of_birth
            )
            for s in record.subjects.all()
        ],
        enquiry_ids=list(record.enquiries.values_list("pk", flat=True)),
    )


@router.get(
    "/children/{child_id}/strategy-discussions",
    response=list[DiscussionSummaryOut],
    summary="A child's strategy discussions (staff)",
)
def discussions_for_child(
    request: HttpRequest, child_id: int, reason: str = ""
) -> list[DiscussionSummaryOut]:
    """The child's strategy discussions, newest first, drafts included. A restricted child's
    need ``reason``."""
    from haven.people import selectors as people_selectors

    user = _staff(request)
    child = people_selectors.person_get(user=user, person_id=child_id)
    open_people(request, [child], reason)
    found = list(
        selectors.discussions_about(user=user, child=child).prefetch_related("subjects")[:200]
    )
    event_record(
        actor=api_actor(request),
        action=Event.Action.VIEW,
        object_type="protection.strategydiscussion",
        child_id=child.pk,
        detail={"via": "api", "discussions": [d.pk for d in found]},
    )
    return [_summary(d) for d in found]


@router.get(
    "/shared/strategy-discussions",
    response=list[DiscussionSummaryOut],
    summary="Strategy discussions shared with my agency (partners)",
)
def shared_list(request: HttpRequest) -> list[DiscussionSummaryOut]:
    """The records shared with the partner's agency, newest first; audited as one event
    naming the children listed."""
    user = _partner(request)
    found = list(
        selectors.strategy_discussions_shared_with(user)
        .prefetch_related("subjects")
        .order_by("-held_at")[:200]
    )
    record_list(
        request,
        object_type="protection.strategydiscussion",
        child_ids={s.child_id for d in found for s in d.subjects.all()},
        partner=True,
        partner_agency=str(user.agency or ""),
        discussions=[d.pk for d in found],
    )
    return [_summary(d) for d in found]


@router.get(
    "/shared/strategy-discussions/{discussion_id}",
    response=DiscussionOut,
    summary="A strategy discussion shared with my agency (partners)",
)
def shared_read(request: HttpRequest, discussion_id: int) -> DiscussionOut:
    """The shared record: the children's names and dates of birth as on the record, and its
    content; nothing else about them."""
    user = _partner(request)
    record = selectors.shared_discussion_get(user=user, discussion_id=discussion_id)
    _audit(request, record, partner=True)
    return DiscussionOut(
        **_discussion(record),  # type: ignore[arg-type]
        children=[
            ChildOut(name=s.name, date_of_birth=s.date_of_birth) for s in record.subjects.all()
        ],
    )


@router.post(
    "/shared/strategy-discussions/{discussion_id}/actions/{action_id}/done",
    response=ActionOut,
    summary="Mark one of my agency's actions done (partners)",
)
def shared_action_done(
    request: HttpRequest, discussion_id: int, action_id: int, payload: ActionDoneIn
) -> ActionOut:
    user = _partner(request)
    if not user.has_perm(permissions.PARTNER_ACTION):
        raise PermissionDenied("You cannot mark actions done.")
    action = selectors.shared_action_get(
        user=user, discussion_id=discussion_id, action_id=action_id
    )
    try:
        services.discussion_action_complete(
            actor=api_actor(request), action=action, done_on=payload.done_on, note=payload.note
        )
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    return ActionOut(**_action(action))


@router.get("/enquiries/{enquiry_id}", response=EnquiryOut, summary="A section 47 enquiry")
def enquiry_read(request: HttpRequest, enquiry_id: int, reason: str = "") -> EnquiryOut:
    """One enquiry and its conference. A restricted child's needs ``reason``."""
    user = _staff(request, permissions.VIEW_S47)
    record = selectors.enquiry_get(user=user, enquiry_id=enquiry_id)
    open_people(request, [record.child], reason)
    record_read(request, target=record, child_ids=[record.child_id])
    conference = getattr(record, "conference", None)
    return EnquiryOut(
        id=record.pk,
        reference=record.reference,
        child_id=record.child_id,
        discussion_id=record.discussion_id,
        is_joint=record.is_joint,
        start_date=record.start_date,
        conference_target_date=local_date(record.conference_due_at),
        end_date=record.end_date,
        concerns_substantiated=record.concerns_substantiated,
        conference_needed=record.conference_needed,
        conference_held_on=conference.held_on if conference else None,
        plan_needed=conference.plan_needed if conference else None,
    )


@router.get("/children/{child_id}/plans", response=list[PlanOut], summary="A child's plans")
def plans_for_child(request: HttpRequest, child_id: int, reason: str = "") -> list[PlanOut]:
    """A child's child protection plans, current first, with their review conferences. A
    restricted child's need ``reason``."""
    from haven.people import selectors as people_selectors

    user = _staff(request, permissions.VIEW_PLAN)
    child = people_selectors.person_get(user=user, person_id=child_id)
    open_people(request, [child], reason)
    found = list(selectors.plans_for_child(user=user, child=child).prefetch_related("reviews"))
    event_record(
        actor=api_actor(request),
        action=Event.Action.VIEW,
        object_type="protection.childprotectionplan",
        child_id=child.pk,
        detail={"via": "api", "plans": [p.pk for p in found]},
    )
    return [
        PlanOut(
            id=p.pk,
            child_id=p.child_id,
            start_date=p.start_date,
            end_date=p.end_date,
            initial_category=p.initial_category,
            latest_category=p.latest_category,
            reviews=[
                ReviewOut(due_date=r.due_date, held_on=r.held_on, continue_plan=r.continue_plan)
                for r in p.reviews.all()
            ],
        )
        for p in found
    ]


@router.get(
    "/meetings/{kind_key}/waiting-list",
    response=list[WaitingOut],
    summary="Children waiting for a multi-agency meeting",
)
def waiting_list(request: HttpRequest, kind_key: str) -> list[WaitingOut]:
    user = _staff(request, permissions.VIEW_MEETING)
    kind = selectors.meeting_kind_get(user=user, key=kind_key)
    rows = list(selectors.waiting_list(user=user, kind=kind))
    event_record(
        actor=api_actor(request),
        action=Event.Action.VIEW,
        target=kind,
        detail={"via": "api", "children": [r.child_id for r in rows]},
    )
    return [
        WaitingOut(
            referral_id=r.pk,
            child_id=r.child_id,
            child_name=r.child.full_name,
            risk_level=r.risk_level,
            referred_on=r.referred_on,
            target_date=r.target_date,
            scheduled_on=r.scheduled_on,
            days_waiting=r.days_waiting(),
        )
        for r in rows
    ]


def _restricted_ids(child_ids: set[int]) -> set[int]:
    from haven.people.models import Person as PersonModel

    return set(
        PersonModel.objects.filter(pk__in=child_ids, is_restricted=True).values_list(
            "pk", flat=True
        )
    )


@router.get(
    "/strategy-discussions",
    response=list[DiscussionListOut],
    summary="Strategy discussions (staff)",
)
def discussion_list(
    request: HttpRequest, filters: Query[DiscussionListParams]
) -> list[DiscussionListOut]:
    """Strategy discussions the caller may see, newest first (at most 500): ``scope`` "mine"
    (recorded or chaired by me) or "team" (my teams'), between ``date_from`` and ``date_to``.
    A restricted child is listed without their date of birth. Audited as one event."""
    user = _staff(request)
    if filters.scope not in ("", selectors.MINE, selectors.TEAM):
        raise HttpError(422, "scope is 'mine', 'team' or empty")
    found = list(
        selectors.discussion_list(
            user=user,
            filters=selectors.DiscussionFilters(
                scope=filters.scope, date_from=filters.date_from, date_to=filters.date_to
            ),
        )[:MAX_LIST]
    )
    child_ids = {s.child_id for d in found for s in d.subjects.all()}
    restricted = _restricted_ids(child_ids)
    record_list(
        request,
        object_type="protection.strategydiscussion",
        child_ids=child_ids,
        discussions=[d.pk for d in found],
    )
    return [
        DiscussionListOut(
            id=d.pk,
            reference=d.reference,
            held_at=d.held_at,
            is_formal=d.is_formal,
            is_out_of_hours=d.is_out_of_hours,
            chair=d.chair.full_name if d.chair else "",
            decision=d.decision,
            recorded=d.is_recorded,
            has_overdue_actions=d.has_overdue,  # type: ignore[attr-defined]
            children=[
                ListChildOut(
                    id=s.child_id,
                    name=s.name,
                    date_of_birth=None if s.child_id in restricted else s.date_of_birth,
                    restricted=s.child_id in restricted,
                )
                for s in d.subjects.all()
            ],
        )
        for d in found
    ]


@router.get(
    "/strategy-discussion-actions",
    response=list[OpenActionOut],
    summary="Open strategy discussion actions (staff)",
)
def discussion_actions(request: HttpRequest, scope: str = selectors.MINE) -> list[OpenActionOut]:
    """Open actions on recorded discussions, soonest due first (at most 500): ``scope``
    "mine" (mine to do, or on discussions I chair or recorded) or "team" (my teams')."""
    user = _staff(request)
    if scope not in (selectors.MINE, selectors.TEAM):
        raise HttpError(422, "scope is 'mine' or 'team'")
    found = list(
        selectors.discussion_actions_open(user=user, scope=scope).prefetch_related(
            "discussion__subjects"
        )[:MAX_LIST]
    )
    record_list(
        request,
        object_type="protection.discussionaction",
        child_ids={s.child_id for a in found for s in a.discussion.subjects.all()},
        actions=[a.pk for a in found],
    )
    return [
        OpenActionOut(
            **_action(a),
            discussion_id=a.discussion_id,
            discussion_reference=a.discussion.reference,
        )
        for a in found
    ]


@router.get(
    "/conferences/{conference_id}",
    response=ConferenceOut,
    summary="An initial child protection conference",
)
def conference_read(request: HttpRequest, conference_id: int, reason: str = "") -> ConferenceOut:
    """The initial conference: target date, when held, plan or not, the initial category of
    abuse and who chaired. A restricted child's needs ``reason``."""
    user = _staff(request, permissions.VIEW_S47)
    record = selectors.conference_get(user=user, conference_id=conference_id)
    open_people(request, [record.child], reason)
    record_read(request, target=record, child_ids=[record.child_id])
    plan = getattr(record, "plan", None)
    return ConferenceOut(
        id=record.pk,
        enquiry_id=record.enquiry_id,
        child_id=record.child_id,
        target_date=record.target_date,
        held_on=record.held_on,
        within_timescale=record.within_timescale,
        plan_needed=record.plan_needed,
        category=record.category,
        chair_name=record.chair_name,
        outcome_detail=record.outcome_detail,
        worker=record.worker.full_name if record.worker else "",
        plan_id=plan.pk if plan is not None else None,
    )


def _meeting_summary(meeting: Meeting) -> dict[str, object]:
    return {
        "id": meeting.pk,
        "kind": meeting.kind.key,
        "scheduled_for": meeting.scheduled_for,
        "method": meeting.method,
        "chair": meeting.chair.full_name if meeting.chair else "",
        "recorded": meeting.is_recorded,
    }


@router.get(
    "/meetings/{kind_key}/records",
    response=list[MeetingSummaryOut],
    summary="Multi-agency meetings of a kind (MASE too)",
)
def meeting_list(request: HttpRequest, kind_key: str) -> list[MeetingSummaryOut]:
    """The kind's meetings, newest first (at most 500), with how many children each took."""
    from django.db.models import Count

    user = _staff(request, permissions.VIEW_MEETING)
    kind = selectors.meeting_kind_get(user=user, key=kind_key)
    found = list(
        selectors.meetings_for(user=user, kind=kind)
        .select_related("kind")
        .annotate(children=Count("referrals", distinct=True))[:MAX_LIST]
    )
    return [
        MeetingSummaryOut(**_meeting_summary(m), children=m.children)  # type: ignore[arg-type]
        for m in found
    ]


@router.get(
    "/meeting-records/{meeting_id}",
    response=MeetingOut,
    summary="A multi-agency meeting's record (MASE too)",
)
def meeting_read(request: HttpRequest, meeting_id: int, reason: str = "") -> MeetingOut:
    """Who attended; for each child considered, the risk level, outcome, summary and actions;
    the children scheduled and not yet considered. A meeting about a restricted child needs
    ``reason``. Audited for each child."""
    user = _staff(request, permissions.VIEW_MEETING)
    record = selectors.meeting_get(user=user, meeting_id=meeting_id)
    referrals = list(record.referrals.all())
    considerations = list(record.considerations.all())
    children = {r.child_id: r.child for r in referrals}
    children.update({c.child_id: c.child for c in considerations})
    open_people(request, list(children.values()), reason)
    record_read(request, target=record, child_ids=children)
    considered = {c.referral_id for c in considerations}
    return MeetingOut(
        **_meeting_summary(record),  # type: ignore[arg-type]
        children=len(children),
        location=record.location,
        attendees=[
            AttendeeOut(
                name=a.name,
                role=a.role,
                organisation=a.organisation or (str(a.agency) if a.agency_id else ""),
                attendance=a.attendance,
            )
            for a in record.attendees.all()
        ],
        considerations=[
            ConsiderationOut(
                child_id=c.child_id,
                child_name=c.child.full_name,
                referral_id=c.referral_id,
                risk_level=c.risk_level,
                outcome=c.outcome,
                discussion_summary=c.discussion_summary,
                actions=[
                    MeetingActionOut(
                        id=a.pk,
                        description=a.description,
                        owner_role=a.owner_role,
                        owner=a.owner_label,
                        due_on=a.due_on,
                        done_on=a.done_on,
                        done_note=a.done_note,
                        overdue=a.is_overdue(),
                    )
                    for a in c.actions.all()
                ],
            )
            for c in considerations
        ],
        waiting_child_ids=[r.child_id for r in referrals if r.pk not in considered],
    )


ROUTES = [("/protection", router)]
