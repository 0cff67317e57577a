"""Reading child protection records: always through the user, so a list and a record cannot
disagree about who sees what.

Staff who read children's records see every strategy discussion, enquiry, plan and meeting.
A partner agency's user sees nothing through these, only through
``strategy_discussions_shared_with(user)``: the recorded discussions their agency was invited
to, and nothing else of the children in them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from haven.accounts.models import Team
from haven.core.calendar import local_tz
from haven.frontdoor import codes as frontdoor_codes
from haven.frontdoor.models import ContactDecision
from haven.people.models import Person
from haven.protection import codes, permissions
from haven.protection.models import (
    ChildProtectionPlan,
    DiscussionAction,
    DiscussionAgency,
    DiscussionChild,
    InitialConference,
    Meeting,
    MeetingAction,
    MeetingConsideration,
    MeetingKind,
    MeetingReferral,
    PlanReview,
    Section47Enquiry,
    StrategyDiscussion,
)

if TYPE_CHECKING:
    from haven.accounts.models import User

MINE = "mine"
TEAM = "team"


def _active(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def team_ids_of(user: User) -> list[int]:
    """The teams whose work is the user's "team work": their own and those they manage."""
    ids = set(Team.objects.filter(manager=user, is_active=True).values_list("pk", flat=True))
    if user.team_id is not None:
        ids.add(user.team_id)
    return sorted(ids)


# --- Strategy discussions, for staff --------------------------------------------------------


def _discussion_prefetch(discussions: QuerySet[StrategyDiscussion]) -> QuerySet[StrategyDiscussion]:
    return discussions.select_related("chair", "team", "recorded_by", "contact").prefetch_related(
        Prefetch("subjects", queryset=DiscussionChild.objects.select_related("child", "episode")),
        Prefetch("agencies", queryset=DiscussionAgency.objects.select_related("agency")),
        Prefetch(
            "actions",
            queryset=DiscussionAction.objects.select_related(
                "owner_agency", "owner_user", "done_by"
            ),
        ),
    )


def discussions_visible(user: User) -> QuerySet[StrategyDiscussion]:
    """Every strategy discussion for staff who read children's records; none otherwise (a
    partner reads through ``strategy_discussions_shared_with``)."""
    if not _active(user) or not user.has_perm(permissions.VIEW):
        return StrategyDiscussion.objects.none()
    return StrategyDiscussion.objects.all()


def discussion_get(*, user: User, discussion_id: int) -> StrategyDiscussion:
    found = _discussion_prefetch(discussions_visible(user)).filter(pk=discussion_id).first()
    if found is None:
        raise Http404("No such strategy discussion")
    return found


@dataclass(frozen=True)
class DiscussionFilters:
    scope: str = ""  # "mine" (recorded or chaired by me), "team", or "" for all
    drafts_only: bool = False
    date_from: date | None = None
    date_to: date | None = None


def discussion_list(
    *, user: User, filters: DiscussionFilters | None = None
) -> QuerySet[StrategyDiscussion]:
    """Strategy discussions, newest first, with their children, chair and open-action counts
    (a fixed number of queries whatever the number of rows)."""
    filters = filters or DiscussionFilters()
    discussions = discussions_visible(user)
    if filters.scope == MINE:
        discussions = discussions.filter(Q(recorded_by=user) | Q(chair=user))
    elif filters.scope == TEAM:
        discussions = discussions.filter(team_id__in=team_ids_of(user))
    if filters.drafts_only:
        discussions = discussions.filter(completed_at__isnull=True)
    tz = local_tz()
    if filters.date_from:
        discussions = discussions.filter(
            held_at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz)
        )
    if filters.date_to:
        discussions = discussions.filter(
            held_at__lt=datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=tz)
        )
    overdue = DiscussionAction.objects.filter(
        discussion=OuterRef("pk"), done_on__isnull=True, due_on__lt=timezone.localdate()
    )
    return (
        discussions.select_related("chair", "team")
        .prefetch_related(Prefetch("subjects", queryset=DiscussionChild.objects.order_by("id")))
        .annotate(has_overdue=Exists(overdue))
        .order_by("-held_at", "-id")
    )


def decisions_awaiting_discussion(user: User) -> QuerySet[ContactDecision]:
    """Front door decisions that asked for a strategy discussion (immediate risk of significant
    harm) with no discussion recorded yet: the discussions still to hold."""
    if not _active(user) or not user.has_perm(permissions.RECORD):
        return ContactDecision.objects.none()
    held = StrategyDiscussion.objects.filter(decision_at_front_door=OuterRef("pk"))
    return (
        ContactDecision.objects.filter(
            outcome=frontdoor_codes.Outcome.STRATEGY_DISCUSSION,
            is_current=True,
            contact__withdrawn_at__isnull=True,
        )
        .exclude(Exists(held))
        .select_related("contact", "receiving_team", "decided_by")
        .prefetch_related("referred_children")
        .order_by("decided_at")
    )


def discussions_about(*, user: User, child: Person) -> QuerySet[StrategyDiscussion]:
    """A child's strategy discussions, newest first (for the case and assessment pages)."""
    return discussions_visible(user).filter(subjects__child=child).order_by("-held_at")


# --- Strategy discussions, for partners -----------------------------------------------------


def strategy_discussions_shared_with(user: User) -> QuerySet[StrategyDiscussion]:
    """The recorded strategy discussions a partner's agency was invited to (attended, sent
    apologies or did not come): all a partner may ever see of children's records."""
    if (
        not _active(user)
        or not user.has_perm(permissions.VIEW_SHARED)
        or user.agency_id is None
        or (user.agency is not None and not user.agency.is_active)
    ):
        return StrategyDiscussion.objects.none()
    invited = DiscussionAgency.objects.filter(
        agency_id=user.agency_id, attendance__in=codes.INVITED
    ).values("discussion_id")
    return StrategyDiscussion.objects.filter(completed_at__isnull=False, pk__in=invited)


def shared_discussion_get(*, user: User, discussion_id: int) -> StrategyDiscussion:
    """One discussion shared with the partner's agency, or 404 (the same rule as the list)."""
    found = (
        _discussion_prefetch(strategy_discussions_shared_with(user))
        .filter(pk=discussion_id)
        .first()
    )
    if found is None:
        raise Http404("No such strategy discussion")
    return found


def shared_action_get(*, user: User, discussion_id: int, action_id: int) -> DiscussionAction:
    """An action on a shared discussion that the partner's own agency owns, or 404."""
    discussion = shared_discussion_get(user=user, discussion_id=discussion_id)
    found = (
        DiscussionAction.objects.select_related("discussion")
        .filter(discussion=discussion, pk=action_id, owner_agency_id=user.agency_id)
        .first()
    )
    if found is None:
        raise Http404("No such action for your agency")
    return found


# --- Actions ----------------------------------------------------------------------------


def discussion_actions_open(*, user: User, scope: str) -> QuerySet[DiscussionAction]:
    """Open actions on recorded discussions: "mine" (mine to do, or on discussions I chair or
    recorded) or "team" (on my teams' discussions), soonest due first."""
    if not _active(user) or not user.has_perm(permissions.VIEW):
        return DiscussionAction.objects.none()
    actions = DiscussionAction.objects.filter(
        done_on__isnull=True, discussion__completed_at__isnull=False
    )
    if scope == MINE:
        actions = actions.filter(
            Q(owner_user=user) | Q(discussion__chair=user) | Q(discussion__recorded_by=user)
        )
    else:
        actions = actions.filter(discussion__team_id__in=team_ids_of(user))
    return actions.select_related("discussion", "owner_agency", "owner_user").order_by(
        "due_on", "id"
    )


# --- Enquiries, conferences, plans -----------------------------------------------------------


def enquiries_visible(user: User) -> QuerySet[Section47Enquiry]:
    if not _active(user) or not user.has_perm(permissions.VIEW_S47):
        return Section47Enquiry.objects.none()
    return Section47Enquiry.objects.select_related("child", "discussion", "team", "worker")


def enquiry_get(*, user: User, enquiry_id: int) -> Section47Enquiry:
    found = (
        enquiries_visible(user)
        .select_related("conference", "conference__plan", "completed_by")
        .filter(pk=enquiry_id)
        .first()
    )
    if found is None:
        raise Http404("No such section 47 enquiry")
    return found


def conference_get(*, user: User, conference_id: int) -> InitialConference:
    """An initial conference, for those who may see the enquiry that called it."""
    found = (
        InitialConference.objects.select_related("child", "enquiry", "plan")
        .filter(enquiry__in=enquiries_visible(user), pk=conference_id)
        .first()
    )
    if found is None:
        raise Http404("No such initial child protection conference")
    return found


def plans_visible(user: User) -> QuerySet[ChildProtectionPlan]:
    if not _active(user) or not user.has_perm(permissions.VIEW_PLAN):
        return ChildProtectionPlan.objects.none()
    return ChildProtectionPlan.objects.select_related("child", "team", "worker", "conference")


def plan_get(*, user: User, plan_id: int) -> ChildProtectionPlan:
    found = plans_visible(user).prefetch_related("reviews").filter(pk=plan_id).first()
    if found is None:
        raise Http404("No such child protection plan")
    return found


def plans_for_child(*, user: User, child: Person) -> QuerySet[ChildProtectionPlan]:
    """A child's plans, current first then newest: for the case page (assessment app)."""
    return plans_visible(user).filter(child=child).order_by("end_date", "-start_date")


def current_plan_for(child: Person) -> ChildProtectionPlan | None:
    """The child's current child protection plan, if any (one indexed query)."""
    return ChildProtectionPlan.objects.filter(child=child, end_date__isnull=True).first()


def children_with_current_plans(child_ids: list[int]) -> set[int]:
    """Which of these children have a current plan (one query, for lists and headers)."""
    return set(
        ChildProtectionPlan.objects.filter(
            child_id__in=child_ids, end_date__isnull=True
        ).values_list("child_id", flat=True)
    )


def plan_list(*, user: User, current_only: bool = True) -> QuerySet[ChildProtectionPlan]:
    plans = plans_visible(user)
    if current_only:
        plans = plans.filter(end_date__isnull=True)
    due = PlanReview.objects.filter(plan=OuterRef("pk"), held_on__isnull=True).order_by("due_date")
    return (
        plans.prefetch_related(
            Prefetch(
                "reviews",
                queryset=PlanReview.objects.filter(held_on__isnull=True),
                to_attr="due_reviews",
            )
        )
        .order_by("child__last_name", "child__first_name")
        .annotate(has_due=Exists(due))
    )


@dataclass
class ConferenceDue:
    """A row for the "conferences due" queue: an enquiry whose initial conference clock is
    running, a conference to hold, or a review conference to hold."""

    kind: str  # "enquiry", "initial", "review"
    child: Person
    due_at: datetime
    started_at: datetime | None
    url: str
    label: str
    owner: str


def _conferences_open(
    user: User, scope: str
) -> tuple[QuerySet[Section47Enquiry], QuerySet[InitialConference], QuerySet[PlanReview]]:
    """Open enquiries, initial conferences not yet held and review conferences due, in the
    user's scope, each in due order."""
    mine_or_team = (
        Q(worker=user) | Q(discussion__chair=user) | Q(discussion__recorded_by=user)
        if scope == MINE
        else Q(team_id__in=team_ids_of(user))
    )
    conference_scope = (
        Q(worker=user) | Q(enquiry__discussion__chair=user) | Q(enquiry__worker=user)
        if scope == MINE
        else Q(team_id__in=team_ids_of(user))
    )
    review_scope = Q(plan__worker=user) if scope == MINE else Q(plan__team_id__in=team_ids_of(user))
    return (
        Section47Enquiry.objects.filter(end_date__isnull=True)
        .filter(mine_or_team)
        .order_by("conference_due_at"),
        InitialConference.objects.filter(held_on__isnull=True)
        .filter(conference_scope)
        .order_by("due_at"),
        PlanReview.objects.filter(held_on__isnull=True).filter(review_scope).order_by("due_at"),
    )


def conferences_due_count(*, user: User, scope: str) -> int:
    """How many rows ``conferences_due`` would list without a limit (three counts)."""
    if not _active(user) or not user.has_perm(permissions.VIEW_S47):
        return 0
    return sum(queryset.count() for queryset in _conferences_open(user, scope))


def conferences_due(*, user: User, scope: str, limit: int = 500) -> list[ConferenceDue]:
    """Open enquiries (the initial conference due 15 working days from the strategy
    discussion), initial conferences not yet held, and review conferences due: the ``limit``
    due soonest. Three queries, whatever the number of rows."""
    if not _active(user) or not user.has_perm(permissions.VIEW_S47):
        return []
    enquiries, conferences, reviews = _conferences_open(user, scope)
    rows: list[ConferenceDue] = []
    for enquiry in enquiries.select_related("child", "worker", "discussion")[:limit]:
        rows.append(
            ConferenceDue(
                kind="enquiry",
                child=enquiry.child,
                due_at=enquiry.conference_due_at,
                started_at=enquiry.discussion.held_at,
                url=enquiry.get_absolute_url(),
                label=f"Section 47 enquiry {enquiry.reference}: conclude, and hold any conference",
                owner=enquiry.worker.full_name if enquiry.worker else "Not allocated",
            )
        )
    for conference in conferences.select_related("child", "worker", "enquiry__discussion")[:limit]:
        rows.append(
            ConferenceDue(
                kind="initial",
                child=conference.child,
                due_at=conference.due_at,
                started_at=conference.enquiry.discussion.held_at if conference.enquiry else None,
                url=conference.get_absolute_url(),
                label="Initial child protection conference",
                owner=conference.worker.full_name if conference.worker else "Not allocated",
            )
        )
    for review in reviews.select_related("child", "plan__worker")[:limit]:
        rows.append(
            ConferenceDue(
                kind="review",
                child=review.child,
                due_at=review.due_at,
                started_at=None,
                url=review.plan.get_absolute_url(),
                label="First review conference" if review.is_first else "Review conference",
                owner=review.plan.worker.full_name if review.plan.worker else "Not allocated",
            )
        )
    return sorted(rows, key=lambda row: row.due_at)[:limit]


# --- Multi-agency meetings ---------------------------------------------------------------


def meeting_kinds_visible(user: User) -> QuerySet[MeetingKind]:
    if not _active(user) or not user.has_perm(permissions.VIEW_MEETING):
        return MeetingKind.objects.none()
    return MeetingKind.objects.filter(is_active=True).prefetch_related("timescales")


def meeting_kind_get(*, user: User, key: str) -> MeetingKind:
    found = meeting_kinds_visible(user).filter(key=key).select_related("team").first()
    if found is None:
        raise Http404("No such meeting")
    return found


def waiting_list(*, user: User, kind: MeetingKind | None = None) -> QuerySet[MeetingReferral]:
    """Children waiting for a meeting, the longest waiting first (two queries at most)."""
    if not _active(user) or not user.has_perm(permissions.VIEW_MEETING):
        return MeetingReferral.objects.none()
    referrals = MeetingReferral.objects.filter(
        considered_at__isnull=True, withdrawn_at__isnull=True
    )
    if kind is not None:
        referrals = referrals.filter(kind=kind)
    return referrals.select_related("child", "kind", "meeting", "referred_by").order_by(
        "referred_at", "id"
    )


def referral_get(*, user: User, referral_id: int) -> MeetingReferral:
    if not _active(user) or not user.has_perm(permissions.VIEW_MEETING):
        raise Http404("No such referral")
    found = (
        MeetingReferral.objects.select_related("child", "kind", "meeting")
        .filter(pk=referral_id)
        .first()
    )
    if found is None:
        raise Http404("No such referral")
    return found


@dataclass(frozen=True)
class WaitStats:
    """How long children referred in a period waited (days from referral to the meeting that
    considered them, or to today for those still waiting)."""

    referred: int
    considered: int
    still_waiting: int
    longest: int | None
    median: float | None
    within_target: int


def wait_stats(*, user: User, kind: MeetingKind, date_from: date, date_to: date) -> WaitStats:
    """Longest and median waits of children referred from ``date_from`` to ``date_to``."""
    if not _active(user) or not user.has_perm(permissions.VIEW_MEETING):
        return WaitStats(0, 0, 0, None, None, 0)
    tz = local_tz()
    referrals = list(
        MeetingReferral.objects.filter(
            kind=kind,
            withdrawn_at__isnull=True,
            referred_at__gte=datetime.combine(date_from, time.min, tzinfo=tz),
            referred_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz),
        ).only("referred_at", "considered_at", "withdrawn_at", "due_at")
    )
    today = timezone.localdate()
    waits = [r.days_waiting(today) for r in referrals]
    considered = [r for r in referrals if r.considered_at is not None]
    return WaitStats(
        referred=len(referrals),
        considered=len(considered),
        still_waiting=len(referrals) - len(considered),
        longest=max(waits) if waits else None,
        median=statistics.median(waits) if waits else None,
        within_target=sum(
            1 for r in considered if r.considered_at is not None and r.considered_at <= r.due_at
        ),
    )


def meetings_for(*, user: User, kind: MeetingKind) -> QuerySet[Meeting]:
    if not _active(user) or not user.has_perm(permissions.VIEW_MEETING):
        return Meeting.objects.none()
    return Meeting.objects.filter(kind=kind).select_related("chair").order_by("-scheduled_for")


def meeting_get(*, user: User, meeting_id: int) -> Meeting:
    if not _active(user) or not user.has_perm(permissions.VIEW_MEETING):
        raise Http404("No such meeting")
    found = (
        Meeting.objects.select_related("kind", "chair", "recorded_by")
        .prefetch_related(
            "attendees",
            Prefetch("referrals", queryset=MeetingReferral.objects.select_related("child")),
            Prefetch(
                "considerations",
                queryset=MeetingConsideration.objects.select_related(
                    "child", "referral"
                ).prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=MeetingAction.objects.select_related("owner_agency", "owner_user"),
                    )
                ),
            ),
        )
        .filter(pk=meeting_id)
        .first()
    )
    if found is None:
        raise Http404("No such meeting")
    return found


def meeting_action_get(*, user: User, action_id: int) -> MeetingAction:
    """One action from a multi-agency meeting, for those who may see meetings."""
    if not _active(user) or not user.has_perm(permissions.VIEW_MEETING):
        raise Http404("No such action")
    found = (
        MeetingAction.objects.select_related("consideration__meeting", "consideration__child")
        .filter(pk=action_id)
        .first()
    )
    if found is None:
        raise Http404("No such action")
    return found


def meeting_actions_open(*, user: User, scope: str) -> QuerySet[MeetingAction]:
    """Open actions from multi-agency meetings, soonest due first: "mine" (mine to do, or
    agreed at meetings I chair) or "team" (agreed at the meetings my teams run; for those
    who run meetings, also the meetings no team runs), as the waiting list is shown."""
    if not _active(user) or not user.has_perm(permissions.VIEW_MEETING):
        return MeetingAction.objects.none()
    actions = MeetingAction.objects.filter(done_on__isnull=True)
    if scope == MINE:
        actions = actions.filter(Q(owner_user=user) | Q(consideration__meeting__chair=user))
    else:
        shown = Q(consideration__meeting__kind__team_id__in=team_ids_of(user))
        if user.has_perm(permissions.MANAGE_MEETING):
            shown |= Q(consideration__meeting__kind__team__isnull=True)
        actions = actions.filter(shown)
    return actions.select_related(
        "consideration__child", "consideration__meeting__kind", "owner_agency", "owner_user"
    ).order_by("due_on", "id")
