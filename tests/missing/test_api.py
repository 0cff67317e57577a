"""The missing children API: who may read, scopes, restricted records, audit, and the
figures with the children behind them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from haven.accounts.roles import Role
from haven.api.models import ApiToken, token_digest
from haven.audit.models import Event
from haven.people.models import Person
from tests.conftest import HavenClient
from tests.factories.missing import MissingEpisodeFactory, interview_stage

pytestmark = pytest.mark.django_db

READERS = {
    Role.MISSING_CHILDREN_WORKER,
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.CSE_COORDINATOR,
    Role.PERFORMANCE_ANALYST,
    Role.QUALITY_AUDITOR,
    Role.SENIOR_LEADER,
}
MI_READERS = READERS - {Role.SOCIAL_WORKER}


def signed_in(user) -> HavenClient:
    client = HavenClient()
    client.force_login(user)
    return client


def token_for(user, scopes: list[str]) -> dict[str, str]:
    raw = ApiToken.generate()
    ApiToken.objects.create(
        name="Test", user=user, digest=token_digest(raw), prefix=raw[:8], scopes=scopes
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def episode(child, missing_worker):
    now = timezone.now()
    made = MissingEpisodeFactory(
        child=child, went_missing_at=now - timedelta(days=5), returned_at=now - timedelta(days=4)
    )
    interview_stage(made, done_after_hours=80, on_file=True, by=missing_worker)
    return made


def period() -> dict[str, str]:
    today = timezone.localdate()
    return {"date_from": (today - timedelta(days=30)).isoformat(), "date_to": today.isoformat()}


@pytest.mark.parametrize("role", list(Role))
def test_who_may_read_episodes(make_user, episode, role):
    response = signed_in(make_user(role)).get(f"/api/v1/missing/episodes/{episode.pk}")
    assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("role", list(Role))
def test_who_may_read_the_figures(make_user, episode, role):
    response = signed_in(make_user(role)).get("/api/v1/missing/information", period())
    assert response.status_code == (200 if role in MI_READERS else 403)


def test_an_episode_with_its_late_interview(missing_worker, episode):
    body = signed_in(missing_worker).get(f"/api/v1/missing/episodes/{episode.pk}").json()
    assert body["child_id"] == episode.child_id
    assert body["interview"]["within_72_hours"] is False
    assert round(body["interview"]["hours_after_return"]) == 80
    assert body["interview"]["status"] == "on_file"
    assert body["findings"]["push_factors"] == "Arguments at home"
    event = Event.objects.get(action="view", object_type="missing.missingepisode")
    assert event.child_id == episode.child_id


def test_a_token_needs_the_missing_read_scope(missing_worker, episode):
    client = HavenClient()
    wrong = client.get("/api/v1/missing/episodes", **token_for(missing_worker, ["people:read"]))
    assert wrong.status_code == 403
    right = client.get("/api/v1/missing/episodes", **token_for(missing_worker, ["missing:read"]))
    assert right.status_code == 200
    assert [row["id"] for row in right.json()] == [episode.pk]


def test_a_restricted_childs_episode_needs_a_reason(missing_worker, episode):
    Person.objects.filter(pk=episode.child_id).update(is_restricted=True)
    client = signed_in(missing_worker)
    listed = client.get("/api/v1/missing/episodes").json()
    assert listed[0]["restricted"] is True
    assert listed[0]["interview"] is None
    assert client.get(f"/api/v1/missing/episodes/{episode.pk}").status_code == 403
    response = client.get(
        f"/api/v1/missing/episodes/{episode.pk}", {"reason": "Planning her return interview"}
    )
    assert response.status_code == 200


def test_the_queue_of_interviews_due(missing_worker, child):
    now = timezone.now()
    owed = MissingEpisodeFactory(
        child=child,
        went_missing_at=now - timedelta(hours=30),
        returned_at=now - timedelta(hours=10),
    )
    body = signed_in(missing_worker).get("/api/v1/missing/interviews/due").json()
    assert [row["id"] for row in body] == [owed.pk]
    assert body[0]["interview"]["status"] == "to_offer"


def test_the_figures_and_the_children_behind_one(analyst, episode):
    client = signed_in(analyst)
    figures = client.get("/api/v1/missing/information", period()).json()
    assert figures["children_returned"] == 1
    shares = {row["measure"]: row for row in figures["shares"]}
    assert shares["offered"]["share_of_returned"] == 1.0
    assert shares["within_72_hours"]["children"] == 0
    children = client.get(
        "/api/v1/missing/information/children", {**period(), "measure": "episodes_late"}
    ).json()
    assert [c["id"] for c in children["children"]] == [episode.child_id]
    assert children["denominator"] == 1
    event = Event.objects.get(action="search", detail__measure="episodes_late")
    assert event.detail["children"] == [episode.child_id]


def test_bad_figure_requests_get_a_clear_answer(analyst, episode):
    client = signed_in(analyst)
    backwards = {"date_from": date(2026, 3, 1).isoformat(), "date_to": date(2026, 1, 1).isoformat()}
    assert client.get("/api/v1/missing/information", backwards).status_code == 422
    assert client.get("/api/v1/missing/information", {"date_from": "nope"}).status_code == 422
    unknown = client.get("/api/v1/missing/information/children", {**period(), "measure": "x"})
    assert unknown.status_code == 404
