"""Multi-agency meetings: referral with its target date from the risk level, one wait per
child, scheduling, recording each child's outcome, and the waits for a period."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from haven.accounts.roles import Role
from haven.people.models import ChronologyEntry
from haven.protection import codes, selectors, services
from haven.protection.models import MeetingReferral
from tests.conftest import actor_for
from tests.factories.people import PersonFactory
from tests.factories.protection import MeetingReferralFactory, medium_risk, plan_agreed

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def manager(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.TEAM_MANAGER, email="mrm@example.test")


def test_the_target_is_five_working_days_across_a_bank_holiday(worker) -> None:  # type: ignore[no-untyped-def]
    # Friday 22 August 2025; Monday 25 August is the summer bank holiday.
    referred = datetime(2025, 8, 22, 11, 0, tzinfo=LONDON)
    referral = services.meeting_referral_add(
        actor=actor_for(worker),
        kind=medium_risk(),
        child=PersonFactory(),
        risk_level="medium",
        reason="Older friends, missing overnight.",
        referred_at=referred,
    )
    assert referral.target_date == datetime(2025, 9, 1).date()
    assert ChronologyEntry.objects.filter(child=referral.child, kind="meeting_referred").exists()


def test_a_child_waits_once_and_only_at_a_level_the_meeting_takes(worker) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory()
    actor = actor_for(worker)
    with pytest.raises(ValidationError) as raised:
        services.meeting_referral_add(
            actor=actor, kind=medium_risk(), child=child, risk_level="high", reason="x"
        )
    assert "medium risk" in raised.value.message_dict["risk_level"][0]
    services.meeting_referral_add(
        actor=actor,
        kind=medium_risk(),
        child=child,
        risk_level="medium",
        reason="Concerns from school.",
    )
    with pytest.raises(ValidationError):
        services.meeting_referral_add(
            actor=actor, kind=medium_risk(), child=child, risk_level="medium", reason="Again."
        )


def test_a_meeting_considers_children_and_ends_their_wait(manager) -> None:  # type: ignore[no-untyped-def]
    actor = actor_for(manager)
    # The meeting was yesterday at noon, so the wait in calendar days does not
    # depend on the hour the test runs.
    held = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=1), time(12, 0))
    )
    first = MeetingReferralFactory(referred_at=held - timedelta(days=4))
    second = MeetingReferralFactory(referred_at=held - timedelta(days=2))
    meeting = services.meeting_create(
        actor=actor,
        kind=medium_risk(),
        data=services.MeetingInput(scheduled_for=held, method="video", chair=manager),
    )
    services.meeting_schedule_children(actor=actor, meeting=meeting, referrals=[first, second])
    with pytest.raises(ValidationError) as raised:
        services.meeting_complete(actor=actor, meeting=meeting)
    assert set(raised.value.message_dict) == {"attendees", "considerations"}
    services.meeting_attendee_add(
        actor=actor,
        meeting=meeting,
        data=services.AttendeeInput(name="DS Kay", role="police", attendance="attended"),
    )
    consideration = plan_agreed(actor=actor, meeting=meeting, referral=first)
    assert consideration.actions.count() == 1
    services.meeting_complete(actor=actor, meeting=meeting)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.considered_at == meeting.scheduled_for
    assert first.days_waiting() == 4
    # Not reached: back on the waiting list, still waiting.
    assert second.is_waiting
    assert second.meeting is None


def test_consider_again_puts_the_child_back_on_the_list(manager) -> None:  # type: ignore[no-untyped-def]
    actor = actor_for(manager)
    referral = MeetingReferralFactory()
    meeting = services.meeting_create(
        actor=actor,
        kind=medium_risk(),
        data=services.MeetingInput(
            scheduled_for=timezone.now() - timedelta(hours=1), method="phone"
        ),
    )
    services.meeting_consider_child(
        actor=actor,
        meeting=meeting,
        referral=referral,
        data=services.ConsiderationInput(
            risk_level="medium",
            outcome="review",
            discussion_summary="Waiting for the school's report.",
        ),
    )
    waiting = MeetingReferral.objects.get(child=referral.child, considered_at__isnull=True)
    assert waiting.referred_at == meeting.scheduled_for


def test_a_social_worker_cannot_run_a_meeting(worker) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=actor_for(worker),
            kind=medium_risk(),
            data=services.MeetingInput(scheduled_for=timezone.now(), method="phone"),
        )


def test_waits_for_a_period(manager) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    for days in (10, 6, 2):
        MeetingReferralFactory(referred_at=now - timedelta(days=days))
    old = MeetingReferralFactory(referred_at=now - timedelta(days=40))
    MeetingReferral.objects.filter(pk=old.pk).update(considered_at=now - timedelta(days=37))
    today = timezone.localdate()
    stats = selectors.wait_stats(
        user=manager, kind=medium_risk(), date_from=today - timedelta(days=14), date_to=today
    )
    assert (stats.referred, stats.longest, stats.median) == (3, 10, 6)
    wider = selectors.wait_stats(
        user=manager, kind=medium_risk(), date_from=today - timedelta(days=60), date_to=today
    )
    assert (wider.referred, wider.considered, wider.longest) == (4, 1, 10)


def test_refer_and_record_through_the_pages(client, manager) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory(first_name="Nia")
    client.force_login(manager)
    url = reverse("protection:meeting-refer", args=["medium-risk"])
    assert (
        client.post(
            f"{url}?child={child.pk}", {"child": child.pk, "risk_level": "medium", "reason": ""}
        ).status_code
        == 200
    )
    response = client.post(
        f"{url}?child={child.pk}",
        {"child": child.pk, "risk_level": "medium", "reason": "Missing twice this month."},
    )
    assert response.status_code == 302
    referral = MeetingReferral.objects.get(child=child)
    held = timezone.localtime() - timedelta(hours=2)
    response = client.post(
        reverse("protection:meeting-new", args=["medium-risk"]),
        {
            "scheduled_for_day": held.day,
            "scheduled_for_month": held.month,
            "scheduled_for_year": held.year,
            "scheduled_for_time": held.strftime("%H:%M"),
            "method": "video",
            "location": "Video call",
            "chair": manager.pk,
        },
    )
    assert response.status_code == 302
    meeting_id = int(response["Location"].rstrip("/").split("/")[-2])
    client.post(
        reverse("protection:meeting-schedule", args=[meeting_id]), {"referrals": [str(referral.pk)]}
    )
    client.post(
        reverse("protection:meeting-attendee", args=[meeting_id]),
        {"name": "DS Kay", "role": "police", "attendance": "attended"},
    )
    due = timezone.localdate() + timedelta(days=5)
    response = client.post(
        reverse("protection:meeting-consider", args=[meeting_id, referral.pk]),
        {
            "risk_level": "medium",
            "outcome": codes.MeetingOutcome.PLAN_AGREED,
            "discussion_summary": "Plan agreed with school and police.",
            "action_1_description": "Police to share intelligence.",
            "action_1_role": "police",
            "action_1_due_day": due.day,
            "action_1_due_month": due.month,
            "action_1_due_year": due.year,
        },
    )
    assert response.status_code == 302
    client.post(reverse("protection:meeting-complete", args=[meeting_id]))
    referral.refresh_from_db()
    assert referral.considered_at is not None
    page = client.get(reverse("protection:meeting", args=[meeting_id])).content.decode()
    assert "Police to share intelligence." in page
    assert "Finished" in page


def _section_rows(user, scope, key):  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    from haven.core import worklists

    request = RequestFactory().get("/work/")
    request.user = user
    groups = worklists.build(request, scope)  # type: ignore[arg-type]
    return next(s for g in groups for s in g.sections if s.section.key == key).rows


def test_meeting_actions_reach_the_owner_the_chair_and_the_team(  # type: ignore[no-untyped-def]
    client, worker, chair, assessment_team, make_user
) -> None:
    from haven.core import worklists
    from haven.protection.models import MeetingAction

    kind = medium_risk()
    kind.team = assessment_team
    kind.save()
    held = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=10), time(12, 0))
    )
    referral = MeetingReferralFactory(referred_at=held - timedelta(days=3))
    actor = actor_for(chair)
    meeting = services.meeting_create(
        actor=actor,
        kind=kind,
        data=services.MeetingInput(scheduled_for=held, method="video", chair=chair),
    )
    services.meeting_schedule_children(actor=actor, meeting=meeting, referrals=[referral])
    client.force_login(chair)
    overdue = timezone.localdate() - timedelta(days=2)
    later = timezone.localdate() + timedelta(days=5)
    response = client.post(
        reverse("protection:meeting-consider", args=[meeting.pk, referral.pk]),
        {
            "risk_level": "medium",
            "outcome": codes.MeetingOutcome.PLAN_AGREED,
            "discussion_summary": "Plan agreed.",
            "action_1_description": "Social worker to visit the child at home.",
            "action_1_role": "social_care",
            "action_1_staff": worker.pk,
            "action_1_due_day": overdue.day,
            "action_1_due_month": overdue.month,
            "action_1_due_year": overdue.year,
            "action_2_description": "School to check attendance daily.",
            "action_2_role": "education",
            "action_2_owner": "Head of year",
            "action_2_due_day": later.day,
            "action_2_due_month": later.month,
            "action_2_due_year": later.year,
        },
    )
    assert response.status_code == 302
    visit = MeetingAction.objects.get(owner_role="social_care")
    assert visit.owner_user == worker

    mine = _section_rows(worker, worklists.MINE, "protection-meeting-actions")
    assert [row.rag for row in mine] == ["red"]
    assert mine[0].row.item.url.endswith(f"#action-{visit.pk}")
    assert len(_section_rows(chair, worklists.MINE, "protection-meeting-actions")) == 2
    team = _section_rows(chair, worklists.TEAM, "protection-meeting-actions")
    assert sorted(str(row.rag) for row in team) == ["green", "red"]
    outsider = make_user(Role.TEAM_MANAGER, email="elsewhere@example.test")
    assert _section_rows(outsider, worklists.TEAM, "protection-meeting-actions") == []

    services.meeting_action_complete(
        actor=actor, action=visit, done_on=timezone.localdate(), note="Visited; child seen."
    )
    assert _section_rows(worker, worklists.MINE, "protection-meeting-actions") == []
