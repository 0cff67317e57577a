"""The staff API: read a discussion, a child's discussions, an enquiry, a child's plans and a
waiting list; scoped, audited, refused without the scope or the role."""

from __future__ import annotations

import pytest

from haven.api.models import ApiToken, token_digest
from haven.audit.models import Event
from haven.protection.models import Section47Enquiry
from tests.factories.people import PersonFactory
from tests.factories.protection import MeetingReferralFactory, plan_agreed, recorded_discussion

pytestmark = pytest.mark.django_db


def _token(user, scopes):  # type: ignore[no-untyped-def]
    raw = ApiToken.generate()
    ApiToken.objects.create(
        name="Case system", user=user, digest=token_digest(raw), prefix=raw[:8], scopes=scopes
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_staff_read_the_records(client, worker) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory()
    discussion = recorded_discussion(recorder=worker, children=[child])
    enquiry = Section47Enquiry.objects.get(discussion=discussion)
    MeetingReferralFactory(child=PersonFactory())
    headers = _token(worker, ["protection:read"])
    one = client.get(f"/api/v1/protection/strategy-discussions/{discussion.pk}", **headers).json()
    assert one["children"][0]["la_id"] == child.la_id
    assert one["enquiry_ids"] == [enquiry.pk]
    assert {a["role"] for a in one["agencies"]} == {"police", "health", "education", "social_care"}
    listed = client.get(f"/api/v1/protection/children/{child.pk}/strategy-discussions", **headers)
    assert [d["id"] for d in listed.json()] == [discussion.pk]
    got = client.get(f"/api/v1/protection/enquiries/{enquiry.pk}", **headers).json()
    assert (
        got["conference_target_date"] == enquiry.conference_due_at.astimezone().date().isoformat()
    )
    assert client.get(f"/api/v1/protection/children/{child.pk}/plans", **headers).json() == []
    waiting = client.get("/api/v1/protection/meetings/medium-risk/waiting-list", **headers).json()
    assert len(waiting) == 1
    assert waiting[0]["days_waiting"] == 3
    assert Event.objects.filter(actor=worker, child_id=child.pk, action="view").count() >= 3


def test_without_the_scope_or_the_role(client, worker, make_user) -> None:  # type: ignore[no-untyped-def]
    from haven.accounts.roles import Role

    discussion = recorded_discussion(recorder=worker)
    url = f"/api/v1/protection/strategy-discussions/{discussion.pk}"
    assert client.get(url, **_token(worker, ["people:read"])).status_code == 403
    admin = make_user(Role.ADMINISTRATOR)
    assert client.get(url, **_token(admin, ["protection:read"])).status_code == 403
    assert client.get(url).status_code == 401


def test_configuration_screen_for_meeting_kinds(client, administrator, worker) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from haven.protection.models import MeetingKindTimescale

    client.force_login(administrator)
    assert client.get("/configuration/protection/meetingkind/").status_code == 200
    client.force_login(worker)
    assert client.get("/configuration/protection/meetingkind/").status_code in (302, 403)
    rule = MeetingKindTimescale.objects.first()
    rule.timescale_key = "no_such_rule"
    with pytest.raises(ValidationError):
        rule.full_clean()


def test_a_restricted_childs_records_need_a_reason(client, worker) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory(is_restricted=True)
    discussion = recorded_discussion(recorder=worker, children=[child])
    enquiry = Section47Enquiry.objects.get(discussion=discussion)
    headers = _token(worker, ["protection:read"])
    urls = [
        f"/api/v1/protection/strategy-discussions/{discussion.pk}",
        f"/api/v1/protection/children/{child.pk}/strategy-discussions",
        f"/api/v1/protection/enquiries/{enquiry.pk}",
        f"/api/v1/protection/children/{child.pk}/plans",
    ]
    for url in urls:
        refused = client.get(url, **headers)
        assert refused.status_code == 403, url
        assert "reason" in refused.json()["detail"]
        assert client.get(url, {"reason": "short"}, **headers).status_code == 403
    assert not Event.objects.filter(actor=worker, child_id=child.pk, action="view").exists()
    for url in urls:
        got = client.get(url, {"reason": "Core group meeting tomorrow"}, **headers)
        assert got.status_code == 200, url
    granted = Event.objects.filter(actor=worker, child_id=child.pk, reason__startswith="Core group")
    assert granted.count() == len(urls)


def _considered_meeting(manager, child):  # type: ignore[no-untyped-def]
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from haven.protection import services
    from tests.conftest import actor_for
    from tests.factories.protection import medium_risk

    actor = actor_for(manager)
    held = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=1), time(12, 0))
    )
    referral = MeetingReferralFactory(child=child, referred_at=held - timedelta(days=3))
    waiting = MeetingReferralFactory(referred_at=held - timedelta(days=2))
    meeting = services.meeting_create(
        actor=actor,
        kind=medium_risk(),
        data=services.MeetingInput(scheduled_for=held, method="video", chair=manager),
    )
    services.meeting_schedule_children(actor=actor, meeting=meeting, referrals=[referral, waiting])
    services.meeting_attendee_add(
        actor=actor,
        meeting=meeting,
        data=services.AttendeeInput(name="DS Kay", role="police", attendance="attended"),
    )
    plan_agreed(actor=actor, meeting=meeting, referral=referral)
    return meeting, waiting


def test_staff_read_meeting_records(client, chair) -> None:  # type: ignore[no-untyped-def]
    child = PersonFactory()
    meeting, waiting = _considered_meeting(chair, child)
    headers = _token(chair, ["protection:read"])
    listed = client.get("/api/v1/protection/meetings/medium-risk/records", **headers).json()
    assert [(m["id"], m["children"], m["chair"]) for m in listed] == [
        (meeting.pk, 2, chair.full_name)
    ]
    got = client.get(f"/api/v1/protection/meeting-records/{meeting.pk}", **headers)
    assert got.status_code == 200
    record = got.json()
    assert record["attendees"] == [
        {"name": "DS Kay", "role": "police", "organisation": "", "attendance": "attended"}
    ]
    (considered,) = record["considerations"]
    assert considered["child_id"] == child.pk
    assert considered["outcome"] == "plan_agreed"
    assert [a["description"] for a in considered["actions"]] == [
        "School to check attendance daily."
    ]
    assert record["waiting_child_ids"] == [waiting.child_id]
    for child_id in (child.pk, waiting.child_id):
        assert Event.objects.filter(actor=chair, child_id=child_id, action="view").exists()
    assert client.get("/api/v1/protection/meeting-records/999999", **headers).status_code == 404
    # A restricted child on the meeting: the record needs a reason.
    child.is_restricted = True
    child.save()
    url = f"/api/v1/protection/meeting-records/{meeting.pk}"
    assert client.get(url, **headers).status_code == 403
    assert client.get(url, {"reason": "Preparing the next meeting"}, **headers).status_code == 200


def test_staff_list_discussions_and_open_actions(client, worker, chair, assessment_team) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    hidden = PersonFactory(is_restricted=True)
    child = PersonFactory()
    old = recorded_discussion(
        recorder=worker,
        chair=chair,
        children=[child, hidden],
        held_at=timezone.now() - timedelta(days=10),
        team=assessment_team,
    )
    headers = _token(worker, ["protection:read"])
    listed = client.get("/api/v1/protection/strategy-discussions?scope=mine", **headers).json()
    assert [d["id"] for d in listed] == [old.pk]
    assert listed[0]["chair"] == chair.full_name
    assert listed[0]["has_overdue_actions"] is True
    shown = {c["id"]: c for c in listed[0]["children"]}
    assert shown[hidden.pk]["restricted"] is True
    assert shown[hidden.pk]["date_of_birth"] is None
    assert shown[child.pk]["date_of_birth"] == child.date_of_birth.isoformat()
    event = (
        Event.objects.filter(
            actor=worker, object_type="protection.strategydiscussion", child_id__isnull=True
        )
        .order_by("pk")
        .last()
    )
    assert event.detail["children"] == sorted([child.pk, hidden.pk])
    assert (
        client.get("/api/v1/protection/strategy-discussions?scope=nobody", **headers).status_code
        == 422
    )
    actions = client.get("/api/v1/protection/strategy-discussion-actions", **headers).json()
    assert {a["discussion_id"] for a in actions} == {old.pk}
    assert len(actions) == 2
    assert all(a["overdue"] for a in actions)
    team = client.get(
        "/api/v1/protection/strategy-discussion-actions?scope=team",
        **_token(chair, ["protection:read"]),
    ).json()
    assert len(team) == 2


def test_staff_read_an_initial_conference(client, worker) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from haven.protection import services
    from haven.protection.models import InitialConference
    from tests.conftest import actor_for

    child = PersonFactory()
    enquiry = Section47Enquiry.objects.get(
        discussion=recorded_discussion(recorder=worker, children=[child])
    )
    actor = actor_for(worker)
    services.section47_conclude(
        actor=actor,
        enquiry=enquiry,
        data=services.EnquiryOutcome(
            end_date=timezone.localdate(),
            concerns_substantiated=True,
            conference_needed=True,
            outcome_detail="Injuries confirmed.",
        ),
    )
    conference = InitialConference.objects.get(enquiry=enquiry)
    services.conference_record(
        actor=actor,
        conference=conference,
        data=services.ConferenceOutcome(
            held_on=timezone.localdate(),
            plan_needed=True,
            category="EMO",
            chair_name="Alex Chair",
        ),
    )
    headers = _token(worker, ["protection:read"])
    got = client.get(f"/api/v1/protection/conferences/{conference.pk}", **headers).json()
    assert (got["category"], got["chair_name"], got["plan_needed"]) == ("EMO", "Alex Chair", True)
    assert got["within_timescale"] is True
    assert got["plan_id"] is not None
    assert Event.objects.filter(
        actor=worker, child_id=child.pk, object_type="protection.initialconference"
    ).exists()
    child.is_restricted = True
    child.save()
    assert (
        client.get(f"/api/v1/protection/conferences/{conference.pk}", **headers).status_code == 403
    )
