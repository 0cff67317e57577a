"""A restricted child's records: every protection page that shows them, form pages included,
asks the reason first and audits the view, as the record pages do."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from datetime import time as clock

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.core.actor import Actor
from haven.protection import codes, services
from haven.protection.models import InitialConference, MeetingAction, Section47Enquiry
from tests.factories.people import PersonFactory
from tests.factories.protection import (
    MeetingReferralFactory,
    medium_risk,
    plan_agreed,
    recorded_discussion,
)

pytestmark = pytest.mark.django_db


def _actor(user):  # type: ignore[no-untyped-def]
    return Actor(user=user, ip_address="127.0.0.1", user_agent="pytest")


@pytest.fixture
def child():  # type: ignore[no-untyped-def]
    return PersonFactory(is_restricted=True, first_name="Rowan")


@pytest.fixture
def worker_pages(worker, child):  # type: ignore[no-untyped-def]
    """Every form page a worker opens on the restricted child's records."""
    actor = _actor(worker)
    record = recorded_discussion(recorder=worker, children=[child])
    draft = services.strategy_discussion_start(
        actor=actor,
        details=services.DiscussionDetails(
            children=(child,),
            held_at=timezone.now() - timedelta(hours=1),
            method=codes.Method.PHONE,
            is_formal=True,
            chair=None,
        ),
    )
    enquiry = Section47Enquiry.objects.get(discussion=record)
    concluded = Section47Enquiry.objects.get(
        discussion=recorded_discussion(recorder=worker, children=[child])
    )
    services.section47_conclude(
        actor=actor,
        enquiry=concluded,
        data=services.EnquiryOutcome(
            end_date=timezone.localdate(),
            concerns_substantiated=True,
            conference_needed=True,
            outcome_detail="Injuries confirmed.",
        ),
    )
    conference = InitialConference.objects.get(enquiry=concluded)
    held = InitialConference.objects.get(
        pk=services.conference_record(
            actor=actor,
            conference=InitialConference.objects.get(pk=conference.pk),
            data=services.ConferenceOutcome(
                held_on=timezone.localdate(),
                plan_needed=True,
                category="PHY",
                chair_name="An independent chair",
                outcome_detail="",
            ),
        ).pk
    )
    plan = held.plan
    review = plan.reviews.get()
    action = record.actions.first()
    return [
        reverse("protection:discussion-details", args=[draft.pk]),
        reverse("protection:discussion-agencies", args=[record.pk]),
        reverse("protection:discussion-information", args=[record.pk]),
        reverse("protection:discussion-decision", args=[draft.pk]),
        reverse("protection:discussion-actions", args=[record.pk]),
        reverse("protection:discussion-action-done", args=[record.pk, action.pk]),
        reverse("protection:discussion-complete", args=[draft.pk]),
        reverse("protection:enquiry-conclude", args=[enquiry.pk]),
        reverse("protection:conference", args=[conference.pk]),
        reverse("protection:plan-review", args=[plan.pk, review.pk]),
        reverse("protection:plan-end", args=[plan.pk]),
    ]


def _grant(client, child) -> None:  # type: ignore[no-untyped-def]
    session = client.session
    granted = dict(session.get("people.restricted_access", {}))
    granted[str(child.pk)] = time.time() + 600
    session["people.restricted_access"] = granted
    session.save()


def _views(user, child) -> int:  # type: ignore[no-untyped-def]
    return Event.objects.filter(actor=user, child_id=child.pk, action=Event.Action.VIEW).count()


def test_form_pages_ask_the_reason_then_audit(client, worker, child, worker_pages) -> None:  # type: ignore[no-untyped-def]
    client.force_login(worker)
    before = _views(worker, child)
    restricted = reverse("people:restricted", args=[child.pk])
    for url in worker_pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(restricted), url
    assert _views(worker, child) == before
    _grant(client, child)
    for url in worker_pages:
        seen = _views(worker, child)
        assert client.get(url).status_code == 200, url
        assert _views(worker, child) == seen + 1, url


def test_meeting_action_page_asks_the_reason_then_audits(client, make_user, child) -> None:  # type: ignore[no-untyped-def]
    manager = make_user(Role.TEAM_MANAGER, email="mrm@example.test")
    actor = _actor(manager)
    held = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=1), clock(12, 0))
    )
    referral = MeetingReferralFactory(child=child, referred_at=held - timedelta(days=3))
    meeting = services.meeting_create(
        actor=actor,
        kind=medium_risk(),
        data=services.MeetingInput(scheduled_for=held, method="video", chair=manager),
    )
    services.meeting_schedule_children(actor=actor, meeting=meeting, referrals=[referral])
    plan_agreed(actor=actor, meeting=meeting, referral=referral)
    action = MeetingAction.objects.get(consideration__child=child)
    waiting = MeetingReferralFactory(
        child=PersonFactory(is_restricted=True, first_name="Wren"),
        referred_at=held - timedelta(days=2),
    )
    services.meeting_schedule_children(actor=actor, meeting=meeting, referrals=[waiting])
    pages = [
        (reverse("protection:meeting-action-done", args=[action.pk]), child),
        (reverse("protection:meeting-consider", args=[meeting.pk, waiting.pk]), waiting.child),
    ]
    client.force_login(manager)
    for url, shown in pages:
        before = _views(manager, shown)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("people:restricted", args=[shown.pk]))
        _grant(client, shown)
        assert client.get(url).status_code == 200, url
        assert _views(manager, shown) == before + 1, url
    # The meeting record shows both children: it asks for each reason in turn.
    record = reverse("protection:meeting", args=[meeting.pk])
    session = client.session
    del session["people.restricted_access"]
    session.save()
    assert client.get(record)["Location"].startswith(reverse("people:restricted", args=[child.pk]))
    _grant(client, child)
    assert client.get(record)["Location"].startswith(
        reverse("people:restricted", args=[waiting.child_id])
    )
    _grant(client, waiting.child)
    assert client.get(record).status_code == 200
    assert client.get(reverse("protection:meeting-action-done", args=[999999])).status_code == 404
