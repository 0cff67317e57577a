"""A partner sees only the shared record: only the children it concerns and what it holds,
never the child's page, chronology or any other record or action, whether through the
browser, a typed URL or the API. Every partner view is audited."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.api.models import ApiToken, token_digest
from haven.audit.models import Event
from haven.protection import services
from haven.protection.models import InitialConference, Section47Enquiry
from tests.conftest import actor_for
from tests.factories.people import PersonFactory
from tests.factories.protection import MeetingReferralFactory, plan_agreed, recorded_discussion

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(worker, chair):  # type: ignore[no-untyped-def]
    child = PersonFactory(first_name="Ruby", last_name="Hale")
    return recorded_discussion(recorder=worker, children=[child], chair=chair)


@pytest.fixture
def not_shared(worker):  # type: ignore[no-untyped-def]
    from tests.factories.protection import health

    child = PersonFactory(first_name="Other", last_name="Child")
    return recorded_discussion(
        recorder=worker,
        children=[child],
        lines=[
            services.AgencyLine(
                role="police", attendance="not_invited", not_invited_reason="No police involvement."
            ),
            services.AgencyLine(role="health", attendance="attended", agency=health()),
            services.AgencyLine(role="education", attendance="attended"),
            services.AgencyLine(role="social_care", attendance="attended"),
        ],
        # Only invited organisations own actions (an empty list would give the factory's
        # default police action, which police, not invited, could never see).
        actions=[
            services.ActionInput(
                description="Health to arrange a medical.",
                owner_role="health",
                owner_agency=health(),
                due_on=timezone.localdate() + timedelta(days=1),
            )
        ],
    )


def test_the_partner_sees_the_shared_record_and_the_view_is_audited(
    client, police_user, shared
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(police_user)
    response = client.get(reverse("protection:shared-discussion", args=[shared.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ruby Hale" in body
    assert "Police to check records and visit." in body
    child_id = shared.subjects.get().child_id
    # No link to the child's page or any other record.
    assert reverse("people:person", args=[child_id]) not in body
    assert shared.subjects.get().child.la_id not in body
    event = Event.objects.filter(
        actor=police_user, action=Event.Action.VIEW, child_id=child_id
    ).get()
    assert event.detail["partner_agency"] == "Haven Police"


def test_the_list_shows_only_records_shared_with_the_agency(
    client, police_user, shared, not_shared
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(police_user)
    body = client.get(reverse("protection:shared")).content.decode()
    assert shared.reference in body
    assert not_shared.reference not in body


def test_a_draft_is_not_shared(client, police_user, worker) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.protection import DiscussionAgencyFactory, StrategyDiscussionFactory

    draft = StrategyDiscussionFactory(recorded_by=worker, completed_at=None)
    DiscussionAgencyFactory(discussion=draft)
    client.force_login(police_user)
    assert client.get(reverse("protection:shared-discussion", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["protection:shared-discussion", "protection:shared-pdf"],
)
def test_another_record_is_not_found(client, police_user, not_shared, name) -> None:  # type: ignore[no-untyped-def]
    client.force_login(police_user)
    assert client.get(reverse(name, args=[not_shared.pk])).status_code == 404


def test_another_agency_sees_nothing(client, other_police_user, shared) -> None:  # type: ignore[no-untyped-def]
    client.force_login(other_police_user)
    assert client.get(reverse("protection:shared-discussion", args=[shared.pk])).status_code == 404
    assert shared.reference not in client.get(reverse("protection:shared")).content.decode()


def _meeting_with_action(manager):  # type: ignore[no-untyped-def]
    from datetime import datetime, time

    from tests.factories.protection import medium_risk

    actor = actor_for(manager)
    held = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=1), time(12, 0))
    )
    referral = MeetingReferralFactory(
        child=PersonFactory(first_name="Ruby", last_name="Stone"),
        referred_at=held - timedelta(days=3),
    )
    meeting = services.meeting_create(
        actor=actor,
        kind=medium_risk(),
        data=services.MeetingInput(scheduled_for=held, method="video", chair=manager),
    )
    services.meeting_schedule_children(actor=actor, meeting=meeting, referrals=[referral])
    consideration = plan_agreed(
        actor=actor,
        meeting=meeting,
        referral=referral,
        description="Police to share intelligence.",
        owner_role="police",
        due_in_days=3,
    )
    return meeting, consideration.actions.get()


def test_no_other_page_of_the_child_or_the_records(client, police_user, shared) -> None:  # type: ignore[no-untyped-def]
    child = shared.subjects.get().child
    enquiry = Section47Enquiry.objects.get(discussion=shared)
    services.section47_conclude(
        actor=actor_for(shared.recorded_by),
        enquiry=enquiry,
        data=services.EnquiryOutcome(
            end_date=timezone.localdate(),
            concerns_substantiated=True,
            conference_needed=True,
            outcome_detail="Injuries consistent with the account given by the child.",
        ),
    )
    conference = InitialConference.objects.get(enquiry=enquiry)
    services.conference_record(
        actor=actor_for(shared.recorded_by),
        conference=conference,
        data=services.ConferenceOutcome(
            held_on=timezone.localdate(), plan_needed=True, category="PHY"
        ),
    )
    conference.refresh_from_db()
    plan = conference.plan
    review = plan.reviews.get()
    referral = MeetingReferralFactory(child=child)
    meeting, meeting_action = _meeting_with_action(shared.chair)
    draft = services.strategy_discussion_start(
        actor=actor_for(shared.recorded_by),
        details=services.DiscussionDetails(
            children=(child,),
            held_at=timezone.now(),
            method="phone",
            is_formal=True,
            chair=shared.chair,
        ),
    )
    police_action = shared.actions.get(owner_role="police")
    client.force_login(police_user)
    forbidden = [
        reverse("people:person", args=[child.pk]),
        reverse("protection:discussions"),
        reverse("protection:discussion-start") + f"?child={child.pk}",
        reverse("protection:discussion", args=[shared.pk]),
        reverse("protection:discussion-pdf", args=[shared.pk]),
        reverse("protection:discussion-actions", args=[shared.pk]),
        reverse("protection:discussion-agencies", args=[shared.pk]),
        reverse("protection:discussion-information", args=[shared.pk]),
        reverse("protection:discussion-action-done", args=[shared.pk, police_action.pk]),
        reverse("protection:discussion", args=[draft.pk]),
        reverse("protection:discussion-details", args=[draft.pk]),
        reverse("protection:discussion-decision", args=[draft.pk]),
        reverse("protection:discussion-complete", args=[draft.pk]),
        reverse("protection:enquiry", args=[enquiry.pk]),
        reverse("protection:enquiry-worker", args=[enquiry.pk]),
        reverse("protection:conference", args=[conference.pk]),
        reverse("protection:plans"),
        reverse("protection:plan", args=[plan.pk]),
        reverse("protection:plan-review", args=[plan.pk, review.pk]),
        reverse("protection:plan-end", args=[plan.pk]),
        reverse("protection:meetings"),
        reverse("protection:meeting-kind", args=["medium-risk"]),
        reverse("protection:meeting", args=[meeting.pk]),
        reverse("protection:meeting-action-done", args=[meeting_action.pk]),
        reverse("protection:referral-withdraw", args=[referral.pk]),
    ]
    for url in forbidden:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "Ruby" not in response.content.decode(), url
    # Nor can a partner post to the staff steps.
    for url in forbidden[7:9]:
        assert client.post(url, {"done_on_day": "1", "note": "x"}).status_code in (403, 404), url
    police_action.refresh_from_db()
    assert police_action.done_on is None
    # People search (a page partners may open) finds nothing of the child.
    found = client.get(reverse("people:search") + "?q=Ruby+Hale")
    page = found.content.decode()
    assert child.la_id not in page
    assert reverse("people:person", args=[child.pk]) not in page


def test_a_partner_marks_their_own_action_done_and_no_other(client, police_user, shared) -> None:  # type: ignore[no-untyped-def]
    police_action = shared.actions.get(owner_role="police")
    health_action = shared.actions.get(owner_role="health")
    client.force_login(police_user)
    other = reverse("protection:shared-action-done", args=[shared.pk, health_action.pk])
    assert client.get(other).status_code == 404
    assert (
        client.post(
            other, {"done_on_day": "1", "done_on_month": "1", "done_on_year": "2020", "note": "x"}
        ).status_code
        == 404
    )
    url = reverse("protection:shared-action-done", args=[shared.pk, police_action.pk])
    response = client.post(
        url, {"done_on_day": "", "done_on_month": "", "done_on_year": "", "note": ""}
    )
    assert response.status_code == 200
    assert "Enter the date done" in response.content.decode()
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "done_on_day": today.day,
            "done_on_month": today.month,
            "done_on_year": today.year,
            "note": "Records checked, visited with the social worker.",
        },
    )
    assert response.status_code == 302
    police_action.refresh_from_db()
    health_action.refresh_from_db()
    assert police_action.done_on == today
    assert police_action.done_by == police_user
    assert health_action.done_on is None


def test_staff_action_url_refuses_a_partner(client, police_user, shared) -> None:  # type: ignore[no-untyped-def]
    action = shared.actions.get(owner_role="police")
    client.force_login(police_user)
    url = reverse("protection:discussion-action-done", args=[shared.pk, action.pk])
    assert client.get(url).status_code == 403


def test_the_partner_pdf_is_audited_as_printed(client, police_user, shared) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    client.force_login(police_user)
    response = client.get(reverse("protection:shared-pdf", args=[shared.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"version {shared.version}" in text
    assert "Ruby Hale" in text
    assert Event.objects.filter(actor=police_user, action=Event.Action.PRINT).exists()


# --- The API ---------------------------------------------------------------------------


def _token(user, scopes):  # type: ignore[no-untyped-def]
    raw = ApiToken.generate()
    ApiToken.objects.create(
        name="Police system", user=user, digest=token_digest(raw), prefix=raw[:8], scopes=scopes
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_api_partner_reads_only_shared_records(client, police_user, shared, not_shared) -> None:  # type: ignore[no-untyped-def]
    headers = _token(police_user, ["protection:shared"])
    listed = client.get("/api/v1/protection/shared/strategy-discussions", **headers).json()
    assert [row["id"] for row in listed] == [shared.pk]
    one = client.get(f"/api/v1/protection/shared/strategy-discussions/{shared.pk}", **headers)
    assert one.status_code == 200
    data = one.json()
    assert data["children"] == [
        {"name": "Ruby Hale", "date_of_birth": shared.subjects.get().date_of_birth.isoformat()}
    ]
    assert "la_id" not in str(data["children"])
    assert (
        client.get(
            f"/api/v1/protection/shared/strategy-discussions/{not_shared.pk}", **headers
        ).status_code
        == 404
    )
    child = shared.subjects.get().child
    enquiry = Section47Enquiry.objects.get(discussion=shared)
    meeting, _action = _meeting_with_action(shared.chair)
    staff_urls = [
        f"/api/v1/protection/strategy-discussions/{shared.pk}",
        "/api/v1/protection/strategy-discussions",
        "/api/v1/protection/strategy-discussion-actions",
        "/api/v1/protection/strategy-discussion-actions?scope=team",
        f"/api/v1/protection/children/{child.pk}/strategy-discussions",
        f"/api/v1/protection/enquiries/{enquiry.pk}",
        f"/api/v1/protection/children/{child.pk}/plans",
        "/api/v1/protection/meetings/medium-risk/waiting-list",
        "/api/v1/protection/meetings/medium-risk/records",
        f"/api/v1/protection/meeting-records/{meeting.pk}",
        f"/api/v1/people/{child.pk}",
    ]
    # Neither with the partner scope, nor with the staff scope on a partner's token.
    staff_scope = _token(police_user, ["protection:read"])
    for url in staff_urls:
        assert client.get(url, **headers).status_code in (401, 403, 404), url
        assert client.get(url, **staff_scope).status_code in (401, 403, 404), url
    assert Event.objects.filter(
        actor=police_user, action=Event.Action.VIEW, child_id=child.pk
    ).exists()


def test_api_partner_marks_own_action_only(client, police_user, shared) -> None:  # type: ignore[no-untyped-def]
    headers = _token(police_user, ["protection:shared"])
    police_action = shared.actions.get(owner_role="police")
    health_action = shared.actions.get(owner_role="health")
    base = f"/api/v1/protection/shared/strategy-discussions/{shared.pk}/actions"
    body = {"done_on": timezone.localdate().isoformat(), "note": "Visit done."}
    assert (
        client.post(
            f"{base}/{health_action.pk}/done", body, content_type="application/json", **headers
        ).status_code
        == 404
    )
    response = client.post(
        f"{base}/{police_action.pk}/done", body, content_type="application/json", **headers
    )
    assert response.status_code == 200, response.content
    assert response.json()["done_on"] == body["done_on"]


def test_api_token_without_the_scope_is_refused(client, police_user, shared) -> None:  # type: ignore[no-untyped-def]
    headers = _token(police_user, ["people:read"])
    assert (
        client.get("/api/v1/protection/shared/strategy-discussions", **headers).status_code == 403
    )


def test_the_partner_lists_are_audited(client, police_user, shared, not_shared) -> None:  # type: ignore[no-untyped-def]
    """The shared list names children: the browser and the API each write one event naming
    the children listed (and only those shared with the agency)."""
    child_id = shared.subjects.get().child_id
    client.force_login(police_user)
    assert client.get(reverse("protection:shared")).status_code == 200
    headers = _token(police_user, ["protection:shared"])
    assert (
        client.get("/api/v1/protection/shared/strategy-discussions", **headers).status_code == 200
    )
    events = list(
        Event.objects.filter(
            actor=police_user,
            action=Event.Action.VIEW,
            object_type="protection.strategydiscussion",
            child_id__isnull=True,
        ).order_by("pk")
    )
    assert len(events) == 2
    for event in events:
        assert event.detail["children"] == [child_id]
        assert event.detail["discussions"] == [shared.pk]
        assert event.detail["partner_agency"] == "Haven Police"
    assert events[0].detail["page"] == "shared-list"
    assert events[1].detail["via"] == "api"


@pytest.mark.parametrize(
    ("attendance", "sees"),
    [("attended", True), ("apologies", True), ("did_not_attend", True), ("not_invited", False)],
)
def test_every_invited_agency_sees_the_record(  # type: ignore[no-untyped-def]
    client, make_user, worker, attendance, sees
) -> None:
    """ADR 0302: shared with every agency invited (an education setting that sent apologies
    most needs the agreed actions), never with one recorded as not invited."""
    from haven.accounts.models import Agency
    from haven.accounts.roles import Role
    from tests.factories.protection import education, health, police

    school = education()
    teacher = make_user(
        Role.PARTNER,
        email="dsl@school.example.test",
        agency=school,
    )
    assert teacher.agency.kind == Agency.Kind.EDUCATION
    record = recorded_discussion(
        recorder=worker,
        lines=[
            services.AgencyLine(role="police", attendance="attended", agency=police()),
            services.AgencyLine(role="health", attendance="attended", agency=health()),
            services.AgencyLine(
                role="education",
                attendance=attendance,
                agency=school,
                not_invited_reason="School closed for the holidays."
                if attendance == "not_invited"
                else "",
            ),
            services.AgencyLine(role="social_care", attendance="attended"),
        ],
    )
    client.force_login(teacher)
    page = client.get(reverse("protection:shared-discussion", args=[record.pk]))
    assert page.status_code == (200 if sees else 404)
    listed = client.get(reverse("protection:shared")).content.decode()
    assert (record.reference in listed) is sees
