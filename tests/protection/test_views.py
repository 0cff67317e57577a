"""The staff screens: who may open what (allow/deny tables), the out-of-hours rule in the form,
the PDF, the page query counts, and the queues."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.core import worklists
from haven.protection.models import InitialConference, Section47Enquiry, StrategyDiscussion
from tests.conftest import chain_lock_queries
from tests.factories.people import PersonFactory
from tests.factories.protection import (
    MeetingReferralFactory,
    StrategyDiscussionFactory,
    recorded_discussion,
)

pytestmark = pytest.mark.django_db

READ = [
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.OUT_OF_HOURS_WORKER,
    Role.CSE_COORDINATOR,
    Role.QUALITY_AUDITOR,
    Role.PERFORMANCE_ANALYST,
    Role.SENIOR_LEADER,
    Role.REFERRAL_AND_ADVICE_OFFICER,
    Role.MISSING_CHILDREN_WORKER,
]
NO_READ = [Role.PARTNER, Role.ADMINISTRATOR]
RECORD = [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.OUT_OF_HOURS_WORKER]
NO_RECORD = [
    Role.CSE_COORDINATOR,
    Role.QUALITY_AUDITOR,
    Role.PERFORMANCE_ANALYST,
    Role.SENIOR_LEADER,
    Role.REFERRAL_AND_ADVICE_OFFICER,
    Role.PARTNER,
    Role.ADMINISTRATOR,
]


@pytest.fixture
def record(worker):  # type: ignore[no-untyped-def]
    return recorded_discussion(recorder=worker, children=[PersonFactory(first_name="Ivy")])


@pytest.mark.parametrize(
    ("role", "allowed"), [(r, True) for r in READ] + [(r, False) for r in NO_READ]
)
def test_who_reads_a_discussion(client, make_user, record, role, allowed) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(role))
    response = client.get(reverse("protection:discussion", args=[record.pk]))
    assert response.status_code == (200 if allowed else 403)
    for url in (
        reverse("protection:discussions"),
        reverse("protection:plans"),
        reverse("protection:meeting-kind", args=["medium-risk"]),
    ):
        assert client.get(url).status_code == (200 if allowed else 403), url


@pytest.mark.parametrize(
    ("role", "allowed"), [(r, True) for r in RECORD] + [(r, False) for r in NO_RECORD]
)
def test_who_records_a_discussion(client, make_user, role, allowed) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(role))
    assert client.get(reverse("protection:discussion-start")).status_code == (
        200 if allowed else 403
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.SOCIAL_WORKER, True),
        (Role.TEAM_MANAGER, True),
        (Role.OUT_OF_HOURS_WORKER, False),
        (Role.CSE_COORDINATOR, False),
        (Role.SENIOR_LEADER, False),
        (Role.PARTNER, False),
    ],
)
def test_who_concludes_an_enquiry(client, make_user, record, role, allowed) -> None:  # type: ignore[no-untyped-def]
    enquiry = Section47Enquiry.objects.filter(discussion=record).first()
    client.force_login(make_user(role))
    url = reverse("protection:enquiry-conclude", args=[enquiry.pk])
    assert client.get(url).status_code == (200 if allowed else 403)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.TEAM_MANAGER, True),
        (Role.CSE_COORDINATOR, True),
        (Role.SOCIAL_WORKER, False),
        (Role.SENIOR_LEADER, False),
        (Role.PARTNER, False),
    ],
)
def test_who_runs_meetings(client, make_user, role, allowed) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(role))
    url = reverse("protection:meeting-new", args=["medium-risk"])
    assert client.get(url).status_code == (200 if allowed else 403)


def _details_post(child, **changes):  # type: ignore[no-untyped-def]
    held = timezone.localtime() - timedelta(hours=3)
    data = {
        "child": str(child.pk),
        "children": [str(child.pk)],
        "held_at_day": held.day,
        "held_at_month": held.month,
        "held_at_year": held.year,
        "held_at_time": held.strftime("%H:%M"),
        "method": "phone",
        "is_formal": "yes",
        "chair": "",
    }
    data.update(changes)
    return data


def test_out_of_hours_worker_cannot_save_without_saying_whether_formal(client, edt) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory()
    client.force_login(edt)
    url = reverse("protection:discussion-start") + f"?child={child.pk}"
    page = client.get(url).content.decode()
    assert "Was this out-of-hours discussion a formal strategy discussion?" in page
    data = _details_post(child)
    del data["is_formal"]
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select whether this out-of-hours discussion was a formal strategy discussion" in body
    assert "<title>Error: " in body
    assert not StrategyDiscussion.objects.exists()
    response = client.post(url, _details_post(child, is_formal="no"))
    assert response.status_code == 302
    saved = StrategyDiscussion.objects.get()
    assert saved.is_out_of_hours
    assert saved.is_formal is False


def test_the_pdf_has_the_version_and_is_audited(client, worker, record) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    client.force_login(worker)
    response = client.get(reverse("protection:discussion-pdf", args=[record.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert f"{record.reference} version {record.version}" in text
    assert "Education" in text and "Invited, sent apologies" in text  # noqa: PT018
    child_id = record.subjects.get().child_id
    assert Event.objects.filter(actor=worker, action=Event.Action.PRINT, child_id=child_id).exists()


def test_a_draft_has_no_pdf(client, worker) -> None:  # type: ignore[no-untyped-def]
    draft = StrategyDiscussionFactory(recorded_by=worker, completed_at=None)
    client.force_login(worker)
    assert client.get(reverse("protection:discussion-pdf", args=[draft.pk])).status_code == 404


def test_list_page_queries_do_not_grow_with_rows(
    client, worker, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        StrategyDiscussionFactory(recorded_by=worker)
    client.force_login(worker)
    url = reverse("protection:discussions")
    client.get(url)
    # 16, and 2 for the audit event naming the children listed.
    with django_assert_max_num_queries(18 + chain_lock_queries()) as few:
        client.get(url)
    for _ in range(12):
        StrategyDiscussionFactory(recorded_by=worker)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_waiting_list_page_queries_do_not_grow(
    client, make_user, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    manager = make_user(Role.TEAM_MANAGER)
    MeetingReferralFactory()
    client.force_login(manager)
    url = reverse("protection:meeting-kind", args=["medium-risk"])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(10):
        MeetingReferralFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-days="3"') == 11


def test_waiting_list_shows_days_waiting_and_the_waits(client, make_user) -> None:  # type: ignore[no-untyped-def]
    manager = make_user(Role.TEAM_MANAGER)
    now = timezone.now()
    MeetingReferralFactory(
        child=PersonFactory(first_name="Ada"), referred_at=now - timedelta(days=6)
    )
    MeetingReferralFactory(
        child=PersonFactory(first_name="Ben"), referred_at=now - timedelta(days=2)
    )
    client.force_login(manager)
    body = client.get(reverse("protection:meeting-kind", args=["medium-risk"])).content.decode()
    assert "Waiting now: 2 children, the longest for 6 days" in body
    assert 'data-days="6"' in body and 'data-days="2"' in body  # noqa: PT018
    assert 'id="median-wait">4 days' in body


def _team_rows(client, user, key):  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    request = RequestFactory().get("/work/team/")
    request.user = user
    groups = worklists.build(request, worklists.TEAM)  # type: ignore[arg-type]
    return next(s for g in groups for s in g.sections if s.section.key == key).rows


def test_an_overdue_conference_is_red_on_the_team_queue(worker, chair, assessment_team) -> None:  # type: ignore[no-untyped-def]
    held = timezone.now() - timedelta(days=40)
    record = recorded_discussion(recorder=worker, held_at=held, team=assessment_team)
    enquiry = Section47Enquiry.objects.get(discussion=record)
    assert enquiry.team == assessment_team
    rows = _team_rows(None, chair, "protection-conferences")
    assert [row.rag for row in rows] == ["red"]
    assert rows[0].row.item.url == enquiry.get_absolute_url()


def test_overdue_actions_show_to_the_chair(worker, chair, assessment_team) -> None:  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    held = timezone.now() - timedelta(days=10)
    recorded_discussion(recorder=worker, chair=chair, held_at=held, team=assessment_team)
    request = RequestFactory().get("/work/")
    request.user = chair
    groups = worklists.build(request, worklists.MINE)  # type: ignore[arg-type]
    rows = next(s for g in groups for s in g.sections if s.section.key == "protection-actions").rows
    assert len(rows) == 2
    assert {row.rag for row in rows} == {"red"}


def test_conference_and_plan_journey_by_forms(client, worker, record) -> None:  # type: ignore[no-untyped-def]
    enquiry = Section47Enquiry.objects.filter(discussion=record).first()
    client.force_login(worker)
    today = timezone.localdate()
    date = {"day": today.day, "month": today.month, "year": today.year}
    response = client.post(
        reverse("protection:enquiry-conclude", args=[enquiry.pk]),
        {
            **{f"end_date_{k}": v for k, v in date.items()},
            "concerns_substantiated": "yes",
            "conference_needed": "yes",
            "outcome_detail": "Injuries confirmed by a paediatrician.",
        },
    )
    assert response.status_code == 302
    conference = InitialConference.objects.get(enquiry=enquiry)
    url = reverse("protection:conference", args=[conference.pk])
    response = client.post(
        url, {**{f"held_on_{k}": v for k, v in date.items()}, "plan_needed": "yes"}
    )
    assert "Select the initial category of abuse" in response.content.decode()
    response = client.post(
        url,
        {**{f"held_on_{k}": v for k, v in date.items()}, "plan_needed": "yes", "category": "PHY"},
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    plan = conference.plan
    assert plan.initial_category == "PHY"
    review = plan.reviews.get()
    assert review.is_first
    person_page = client.get(reverse("people:person", args=[plan.child_id])).content.decode()
    assert "Child protection plan" in person_page


def test_plans_and_shared_lists_queries_do_not_grow(  # type: ignore[no-untyped-def]
    client, worker, police_user, django_assert_max_num_queries
) -> None:
    from tests.factories.protection import DiscussionAgencyFactory, police

    def plan() -> None:
        from haven.protection.models import ChildProtectionPlan, PlanReview

        made = ChildProtectionPlan.objects.create(
            child=PersonFactory(),
            start_date=timezone.localdate(),
            initial_category="NEG",
            latest_category="NEG",
        )
        PlanReview.objects.create(
            plan=made,
            child=made.child,
            is_first=True,
            due_date=timezone.localdate(),
            due_at=timezone.now(),
        )

    def shared() -> None:
        discussion = StrategyDiscussionFactory(recorded_by=worker)
        DiscussionAgencyFactory(discussion=discussion, agency=police())

    for make, user, url in (
        (plan, worker, reverse("protection:plans")),
        (shared, police_user, reverse("protection:shared")),
    ):
        make()
        client.force_login(user)
        client.get(url)
        with django_assert_max_num_queries(30) as few:
            client.get(url)
        for _ in range(8):
            make()
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url)


def test_a_discussion_starts_from_a_front_door_decision(  # type: ignore[no-untyped-def]
    client, make_user, chair, assessment_team
) -> None:
    from haven.protection import codes, selectors
    from tests.factories.frontdoor import DecisionFactory

    # A worker in another team: the chair comes from the decision's receiving team.
    recorder = make_user(Role.SOCIAL_WORKER, email="duty@example.test")
    child = PersonFactory(first_name="Isla", last_name="Morgan")
    decision = DecisionFactory(outcome="strategy", receiving_team=assessment_team)
    decision.referred_children.add(child)
    assert list(selectors.decisions_awaiting_discussion(recorder)) == [decision]
    client.force_login(recorder)
    index = client.get(reverse("protection:discussions")).content.decode()
    assert f"?decision={decision.pk}" in index
    url = reverse("protection:discussion-start") + f"?decision={decision.pk}"
    page = client.get(url).content.decode()
    assert "Isla Morgan" in page
    assert f'value="{chair.pk}" selected' in page
    response = client.post(url, _details_post(child, chair=str(chair.pk)))
    assert response.status_code == 302
    discussion = StrategyDiscussion.objects.get()
    assert discussion.decision_at_front_door == decision
    assert discussion.contact == decision.contact
    assert discussion.origin == codes.Origin.CONTACT_DECISION
    assert discussion.team == assessment_team
    assert [s.child for s in discussion.subjects.all()] == [child]
    assert list(selectors.decisions_awaiting_discussion(recorder)) == []
    # Only a current strategy-discussion decision starts one.
    other = DecisionFactory(outcome="information")
    start = reverse("protection:discussion-start")
    assert client.get(f"{start}?decision={other.pk}").status_code == 404


def test_the_discussions_list_is_audited_as_one_event(client, worker) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.frontdoor import DecisionFactory

    listed = StrategyDiscussionFactory(recorded_by=worker)
    waiting_child = PersonFactory()
    decision = DecisionFactory(outcome="strategy")
    decision.referred_children.add(waiting_child)
    client.force_login(worker)
    assert client.get(reverse("protection:discussions")).status_code == 200
    event = Event.objects.get(actor=worker, detail__page="sd-list")
    assert event.child_id is None
    assert set(event.detail["children"]) == {listed.subjects.get().child_id, waiting_child.pk}
    assert event.detail["discussions"] == [listed.pk]
