"""The people API: search and read, scoped to the caller, audited, in the schema."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from haven.accounts.roles import Role
from haven.api.models import ApiToken, token_digest
from haven.audit.models import Event
from haven.people.services import person_create
from tests.conftest import HavenClient, actor_for

pytestmark = pytest.mark.django_db


def token_for(user, scopes) -> str:
    raw = ApiToken.generate()
    ApiToken.objects.create(
        name="test", user=user, digest=token_digest(raw), prefix=raw[:8], scopes=scopes
    )
    return raw


@pytest.fixture
def john(social_worker):
    return person_create(
        actor=actor_for(social_worker),
        first_name="John",
        last_name="Smith",
        date_of_birth=date(2012, 4, 3),
    )


def test_search_with_a_token_finds_and_audits(social_worker, john):
    raw = token_for(social_worker, ["people:read"])
    response = Client().get(
        "/api/v1/people", {"q": "jon smyth 3/4/2012"}, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    first = response.json()[0]
    assert first["id"] == john.pk
    assert first["la_id"] == john.la_id
    assert "same date of birth" in first["reasons"]
    event = Event.objects.filter(action=Event.Action.SEARCH, actor=social_worker).get()
    assert event.user_agent.startswith("api-token:")


def test_read_is_audited_and_needs_the_scope(social_worker, john):
    without = token_for(social_worker, ["contacts:write"])
    refused = Client().get(f"/api/v1/people/{john.pk}", HTTP_AUTHORIZATION=f"Bearer {without}")
    assert refused.status_code == 403
    raw = token_for(social_worker, ["people:read"])
    response = Client().get(f"/api/v1/people/{john.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["last_name"] == "Smith"
    assert Event.objects.filter(action=Event.Action.VIEW, child_id=john.pk).exists()


def test_a_restricted_record_needs_a_reason(social_worker):
    secret = person_create(
        actor=actor_for(social_worker), first_name="Ann", last_name="Other", is_restricted=True
    )
    client = HavenClient()
    client.force_login(social_worker)
    assert client.get(f"/api/v1/people/{secret.pk}").status_code == 403
    ok = client.get(f"/api/v1/people/{secret.pk}", {"reason": "Allocated worker, visit today"})
    assert ok.status_code == 200
    assert Event.objects.filter(child_id=secret.pk, reason="Allocated worker, visit today").exists()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.PARTNER])
def test_callers_who_may_not_see_the_person_are_refused(make_user, john, role):
    client = HavenClient()
    client.force_login(make_user(role))
    response = client.get(f"/api/v1/people/{john.pk}")
    assert response.status_code in (403, 404)
    listed = client.get("/api/v1/people", {"q": "john smith"})
    assert listed.status_code == 403 or listed.json() == []


def test_unauthenticated_callers_are_refused(john):
    assert Client().get("/api/v1/people", {"q": "john"}).status_code == 401


def test_the_people_api_is_in_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/people" in paths
    assert "/api/v1/people/{person_id}" in paths


def test_read_includes_other_names_and_the_school(social_worker, john):
    from haven.people.services import person_name_add
    from tests.factories.people import SchoolFactory

    john.school = SchoolFactory(urn="199001", name="Canal Side Academy", phase="secondary")
    john.save(update_fields=["school"])
    person_name_add(
        actor=actor_for(social_worker),
        person=john,
        first_name="Johnny",
        last_name="Brown",
        kind="previous",
        used_until=date(2019, 8, 31),
    )
    raw = token_for(social_worker, ["people:read"])
    body = Client().get(f"/api/v1/people/{john.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert body["school"] == {"urn": "199001", "name": "Canal Side Academy", "phase": "secondary"}
    assert body["other_names"] == [
        {
            "kind": "previous",
            "first_name": "Johnny",
            "last_name": "Brown",
            "used_until": "2019-08-31",
        }
    ]
