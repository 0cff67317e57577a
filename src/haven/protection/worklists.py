"""This app's sections of "My work" and "Team work": strategy discussion actions (overdue
ones show to the chair and on the team's queue), conferences due (initial conferences 15
working days from the strategy discussion, review conferences), and the multi-agency meeting
waiting list. Each runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from haven.core import worklists
from haven.core.worklists import Link, Rows, Section, Tag, WorkRequest, WorkRow
from haven.protection import codes, permissions, selectors
from haven.protection.models import DiscussionChild
from haven.protection.services.common import day_moment

GROUP = "protection"
# A queue loads the soonest due (overdue first) up to this many rows per section, and shows
# the most urgent of them (core.worklists.SHOWN_ROWS) with the total; the full
# lists are on the strategy discussions, plans and waiting-list pages.
LIMIT = 100
GROUP_TITLE = "Child protection"


def _child_link(child: object) -> Link:
    return Link(str(child), reverse("people:person", args=[child.pk]))  # type: ignore[attr-defined]


def discussion_action_rows(work: WorkRequest) -> list[WorkRow]:
    actions = selectors.discussion_actions_open(user=work.user, scope=work.scope).prefetch_related(
        Prefetch("discussion__subjects", queryset=DiscussionChild.objects.select_related("child"))
    )
    loaded, total = worklists.most_urgent(actions, LIMIT)
    rows = []
    for action in loaded:
        discussion = action.discussion
        overdue = action.is_overdue()
        rows.append(
            WorkRow(
                item=Link(
                    f"{discussion.reference}: {action.description[:80]}",
                    f"{discussion.get_absolute_url()}#action-{action.pk}",
                ),
                children=tuple(_child_link(s.child) for s in discussion.subjects.all()),
                status=Tag("Overdue", "red") if overdue else Tag("Open", "blue"),
                owner=action.owner_label,
                due_at=day_moment(action.due_on),
                started_at=discussion.held_at,
                detail=f"Strategy discussion {discussion.held_at:%-d %b %Y}",
            )
        )
    return Rows(rows, total=total)


def meeting_action_rows(work: WorkRequest) -> list[WorkRow]:
    """Open actions agreed at multi-agency meetings (MASE too): to the owner and the chair
    (My work) and the team that runs the meeting (Team work); overdue ones red."""
    actions = selectors.meeting_actions_open(user=work.user, scope=work.scope)
    loaded, total = worklists.most_urgent(actions, LIMIT)
    rows = []
    for action in loaded:
        meeting = action.consideration.meeting
        rows.append(
            WorkRow(
                item=Link(
                    f"{meeting.kind.short_name}: {action.description[:80]}",
                    f"{meeting.get_absolute_url()}#action-{action.pk}",
                ),
                children=(_child_link(action.consideration.child),),
                status=Tag("Overdue", "red") if action.is_overdue() else Tag("Open", "blue"),
                owner=action.owner_label,
                due_at=day_moment(action.due_on),
                started_at=meeting.scheduled_for,
                detail=f"{meeting.kind.name} {timezone.localtime(meeting.scheduled_for):%-d %b %Y}",
            )
        )
    return Rows(rows, total=total)


def conference_rows(work: WorkRequest) -> list[WorkRow]:
    status = {
        "enquiry": Tag("Section 47 enquiry open", "purple"),
        "initial": Tag("Conference to hold", "blue"),
        "review": Tag("Review due", "turquoise"),
    }
    rows = [
        WorkRow(
            item=Link(row.label, row.url),
            children=(_child_link(row.child),),
            status=status[row.kind],
            owner=row.owner,
            due_at=row.due_at,
            started_at=row.started_at,
        )
        for row in selectors.conferences_due(user=work.user, scope=work.scope, limit=LIMIT)
    ]
    if len(rows) < LIMIT:
        return rows
    return Rows(rows, total=selectors.conferences_due_count(user=work.user, scope=work.scope))


def waiting_rows(work: WorkRequest) -> list[WorkRow]:
    user = work.user
    referrals = selectors.waiting_list(user=user)
    if work.scope == selectors.MINE:
        referrals = referrals.filter(Q(referred_by=user) | Q(meeting__chair=user))
    else:
        team_ids = selectors.team_ids_of(user)
        shown = Q(kind__team_id__in=team_ids)
        if user.has_perm(permissions.MANAGE_MEETING):
            shown |= Q(kind__team__isnull=True)
        referrals = referrals.filter(shown)
    loaded, total = worklists.most_urgent(referrals, LIMIT)
    rows = []
    for referral in loaded:
        scheduled = referral.scheduled_on
        days = referral.days_waiting()
        rows.append(
            WorkRow(
                item=Link(
                    f"{referral.kind.short_name}: waiting {days} day{'s' if days != 1 else ''}",
                    reverse("protection:meeting-kind", args=[referral.kind.key]),
                ),
                children=(_child_link(referral.child),),
                status=Tag(f"Scheduled {scheduled:%-d %b}", "green")
                if scheduled
                else Tag("Waiting", "yellow"),
                owner=referral.kind.name,
                due_at=referral.due_at,
                started_at=referral.referred_at,
                tags=(
                    Tag(
                        f"{codes.RiskLevel(referral.risk_level).label} risk",
                        codes.RISK_COLOURS[codes.RiskLevel(referral.risk_level)],
                    ),
                ),
            )
        )
    return Rows(rows, total=total)


def register() -> None:
    worklists.register(
        Section(
            key="protection-actions",
            title="Strategy discussion actions",
            permission=permissions.VIEW,
            rows=discussion_action_rows,
            group=GROUP,
            group_title=GROUP_TITLE,
            order=40,
            description="Open actions agreed at strategy discussions: yours, and on the "
            "discussions you chair or recorded (My work), or your teams' (Team work).",
            empty_text="No open strategy discussion actions.",
        )
    )
    worklists.register(
        Section(
            key="protection-meeting-actions",
            title="Multi-agency meeting actions",
            permission=permissions.VIEW_MEETING,
            rows=meeting_action_rows,
            group=GROUP,
            group_title=GROUP_TITLE,
            order=43,
            description="Open actions agreed at multi-agency meetings: yours, and those of the "
            "meetings you chair (My work), or of the meetings your teams run (Team work).",
            empty_text="No open meeting actions.",
        )
    )
    worklists.register(
        Section(
            key="protection-conferences",
            title="Conferences due",
            permission=permissions.VIEW_S47,
            rows=conference_rows,
            group=GROUP,
            group_title=GROUP_TITLE,
            order=41,
            description="Initial conferences are due 15 working days after the strategy "
            "discussion; review conferences 3 months after the initial one, then every 6 "
            "months.",
            empty_text="No conferences due.",
        )
    )
    worklists.register(
        Section(
            key="protection-waiting",
            title="Multi-agency meeting waiting list",
            permission=permissions.VIEW_MEETING,
            rows=waiting_rows,
            group=GROUP,
            group_title=GROUP_TITLE,
            order=42,
            description="Children referred to a multi-agency meeting and not yet considered.",
            empty_text="No children waiting.",
        )
    )


__all__ = ["register"]
