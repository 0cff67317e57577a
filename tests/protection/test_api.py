"""The staff API: read a discussion, a child's discussions, an enquiry, a child's plans and a
waiting list; scoped, audited, refused without the scope or the role."""

from __future__ import annotations

import pytest

from haven.api.models import ApiToken, token_digest
from haven.audit.models import Event
from haven.protection.models import Section47Enquiry
from tests.factories.people import PersonFactory
from tests.factories.protection import MeetingReferralFactory, recorded_discussion

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
