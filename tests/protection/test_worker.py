"""The social worker of a section 47 enquiry: taken from the child's case allocation when the
enquiry opens, or assigned by a manager; the conference and plan follow, so each reaches the
worker's My work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.core.actor import Actor
from haven.people.models import ChronologyEntry
from haven.protection import selectors, services
from haven.protection.models import InitialConference, Section47Enquiry
from tests.factories.assessment import CaseFactory
from tests.factories.people import PersonFactory
from tests.factories.protection import recorded_discussion

pytestmark = pytest.mark.django_db


def _actor(user):  # type: ignore[no-untyped-def]
    return Actor(user=user, ip_address="127.0.0.1", user_agent="pytest")


def _mine(user):  # type: ignore[no-untyped-def]
    return {row.kind for row in selectors.conferences_due(user=user, scope=selectors.MINE)}


def test_the_enquiry_takes_the_allocated_worker_and_the_plan_follows(
    worker, chair, assessment_team
) -> None:  # type: ignore[no-untyped-def]
    case = CaseFactory(worker=worker, team=assessment_team)
    discussion = recorded_discussion(recorder=chair, chair=chair, children=[case.child])
    enquiry = Section47Enquiry.objects.get(discussion=discussion)
    assert enquiry.worker == worker
    assert _mine(worker) == {"enquiry"}
    actor = _actor(worker)
    services.section47_conclude(
        actor=actor,
        enquiry=enquiry,
        data=services.EnquiryOutcome(
            end_date=timezone.localdate(),
            concerns_substantiated=True,
            conference_needed=True,
            outcome_detail="Concerns confirmed.",
        ),
    )
    conference = InitialConference.objects.get(enquiry=enquiry)
    assert conference.worker == worker
    assert _mine(worker) == {"initial"}
    services.conference_record(
        actor=actor,
        conference=conference,
        data=services.ConferenceOutcome(
            held_on=timezone.localdate(), plan_needed=True, category="NEG"
        ),
    )
    conference.refresh_from_db()
    assert conference.plan.worker == worker
    assert _mine(worker) == {"review"}


def test_no_allocation_leaves_the_enquiry_unallocated(worker, chair) -> None:  # type: ignore[no-untyped-def]
    from haven.frontdoor.models import Episode

    closed = CaseFactory(worker=worker)
    Episode.objects.filter(pk=closed.episode_id).update(
        withdrawn_at=timezone.now() - timedelta(days=1), withdrawn_reason="Opened in error."
    )
    discussion = recorded_discussion(recorder=chair, chair=chair, children=[closed.child])
    assert Section47Enquiry.objects.get(discussion=discussion).worker is None
    assert _mine(worker) == set()


def test_a_manager_assigns_the_social_worker(client, worker, chair, make_user) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory()
    discussion = recorded_discussion(recorder=chair, chair=chair, children=[child])
    enquiry = Section47Enquiry.objects.get(discussion=discussion)
    page = reverse("protection:enquiry", args=[enquiry.pk])
    url = reverse("protection:enquiry-worker", args=[enquiry.pk])
    client.force_login(worker)
    assert "Assign a social worker" not in client.get(page).content.decode()
    assert client.get(url).status_code == 403
    assert _mine(worker) == set()

    client.force_login(chair)
    shown = client.get(page).content.decode()
    assert "Not allocated" in shown
    assert "Assign a social worker" in shown
    assert worker.full_name in client.get(url).content.decode()
    partner = make_user(Role.PARTNER, email="p@police.example.test")
    refused = client.post(url, {"worker": partner.pk})
    assert refused.status_code == 200
    assert "Select a social worker" in refused.content.decode()
    assert client.post(url, {"worker": worker.pk}).status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.worker == worker
    assert _mine(worker) == {"enquiry"}
    assert Event.objects.filter(
        actor=chair, object_type="protection.section47enquiry", action=Event.Action.UPDATE
    ).exists()
    assert ChronologyEntry.objects.filter(child=child, kind="section47_worker").exists()
    assert worker.full_name in client.get(page).content.decode()


def test_only_a_manager_assigns_through_the_service(worker, chair) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied, ValidationError

    discussion = recorded_discussion(recorder=chair, chair=chair)
    enquiry = Section47Enquiry.objects.get(discussion=discussion)
    with pytest.raises(PermissionDenied):
        services.section47_assign(actor=_actor(worker), enquiry=enquiry, worker=worker)
    with pytest.raises(ValidationError):
        services.section47_assign(actor=_actor(chair), enquiry=enquiry, worker=None)
