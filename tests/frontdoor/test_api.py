"""The contacts API: partners refer with a scoped token and an idempotency key, and read only
their own agency's referrals; the same validation as the browser; only qualified staff decide."""

from __future__ import annotations

import pytest
from django.test import Client

from haven.accounts.models import Agency
from haven.accounts.roles import Role
from haven.api.models import ApiToken, token_digest
from haven.frontdoor import codes
from haven.frontdoor.models import Contact, ContactDecision, PartnerSubmission
from tests.factories.accounts import AgencyFactory
from tests.factories.frontdoor import ContactFactory, level

pytestmark = pytest.mark.django_db

BODY = {
    "children": [{"name": "Amy Carter", "date_of_birth": "2015-04-03"}],
    "adults": [{"name": "Lee Carter"}],
    "address": "4 Quay Street, Haven",
    "concerns": "Amy disclosed that her father hit her last night.",
    "immediate_risk": False,
    "consent": "not_sought",
    "consent_detail": "Seeking consent could put Amy at risk",
    "referrer": {"name": "PC Shah", "role": "Safeguarding officer", "phone": "0100 000 0000"},
}


def token_for(user, *scopes: str) -> str:
    raw = ApiToken.generate()
    ApiToken.objects.create(
        name="Police case system",
        user=user,
        digest=token_digest(raw),
        prefix=raw[:8],
        scopes=list(scopes),
    )
    return raw


@pytest.fixture
def police_user(make_user):
    agency = AgencyFactory(name="Haven Police", kind=Agency.Kind.POLICE)
    return make_user(Role.PARTNER, email="system@police.example", agency=agency)


def post(token: str, body: dict, key: str | None = "ref-0001"):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return Client().post("/api/v1/contacts", body, content_type="application/json", headers=headers)


def test_a_partner_system_refers_and_a_retry_makes_no_second_contact(police_user):
    token = token_for(police_user, "contacts:write", "contacts:read")
    first = post(token, BODY)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["status"] == "received"
    assert data["reference"].startswith("C")
    contact = Contact.objects.get()
    assert contact.channel == codes.Channel.API
    assert contact.source == codes.ReferralSource.POLICE  # from the agency
    assert contact.referrer_agency == police_user.agency
    assert [p.given_name for p in contact.people.all()] == ["Amy Carter", "Lee Carter"]
    again = post(token, BODY)
    assert again.status_code == 200
    assert again.json()["id"] == data["id"]
    assert Contact.objects.count() == 1
    conflict = post(token, {**BODY, "concerns": "Something else"})
    assert conflict.status_code == 409
    status = Client().get(
        f"/api/v1/contacts/{data['id']}", headers={"Authorization": f"Bearer {token}"}
    )
    assert status.json()["status_label"] == "Being considered"
    assert "concerns" not in status.json()


def test_the_same_validation_as_the_browser(police_user):
    token = token_for(police_user, "contacts:write")
    bad = post(
        token,
        {**BODY, "children": [{"name": "Amy Carter"}], "consent_detail": ""},
        key="ref-bad",
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert fields == {"children", "consent_detail"}
    assert post(token, BODY, key=None).status_code == 422
    assert not Contact.objects.exists()
    assert not PartnerSubmission.objects.exists()


def test_scopes_and_agencies_are_enforced(police_user, make_user):
    read_only = token_for(police_user, "contacts:read")
    assert post(read_only, BODY).status_code == 403
    other_agency = make_user(
        Role.PARTNER,
        email="nurse@health.example",
        agency=AgencyFactory(name="Haven Health", kind="health"),
    )
    created = post(token_for(police_user, "contacts:write"), BODY).json()
    other = Client().get(
        f"/api/v1/contacts/{created['id']}",
        headers={"Authorization": f"Bearer {token_for(other_agency, 'contacts:read')}"},
    )
    assert other.status_code == 404
    anonymous = Client().post("/api/v1/contacts", BODY, content_type="application/json")
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("role", "expected"),
    [("rao", 403), ("social_worker", 201), ("team_manager", 201), ("partner", 403)],
)
def test_only_qualified_staff_decide_through_the_api(
    role, expected, make_user, siblings, front_door
):
    user = make_user(
        {
            "rao": Role.REFERRAL_AND_ADVICE_OFFICER,
            "social_worker": Role.SOCIAL_WORKER,
            "team_manager": Role.TEAM_MANAGER,
            "partner": Role.PARTNER,
        }[role],
        email=f"{role}@api.example",
        team=front_door,
    )
    contact = ContactFactory(children=[siblings[0]], team=front_door)
    token = token_for(user, "contacts:decide")
    response = Client().post(
        f"/api/v1/contacts/{contact.pk}/decision",
        {
            "level_of_need": "universal-plus",
            "outcome": "advice",
            "rationale": "Advice to school on support.",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == expected, response.content
    assert ContactDecision.objects.exists() == (expected == 201)


def test_the_harm_pattern_applies_to_api_decisions_too(make_user, siblings, front_door):
    from datetime import timedelta

    from django.utils import timezone

    amy, _ = siblings
    for days in (30, 60):
        ContactFactory(children=[amy], received_at=timezone.now() - timedelta(days=days))
    contact = ContactFactory(children=[amy])
    worker = make_user(Role.SOCIAL_WORKER, email="sw@api.example")
    token = token_for(worker, "contacts:decide")
    response = Client().post(
        f"/api/v1/contacts/{contact.pk}/decision",
        {
            "level_of_need": level().key,
            "outcome": "nfa",
            "rationale": "Nothing new in this contact.",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "history_weighing"


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/contacts" in schema["paths"]
    assert "/api/v1/contacts/{contact_id}" in schema["paths"]
    assert "/api/v1/contacts/{contact_id}/decision" in schema["paths"]


def test_deciding_on_a_restricted_child_needs_a_reason(make_user, siblings, front_door):
    from haven.audit.models import Event

    amy, ben = siblings
    ben.is_restricted = True  # a brother whose history the decision weighs
    ben.save()
    contact = ContactFactory(children=[amy], team=front_door)
    worker = make_user(Role.SOCIAL_WORKER, email="sw@api.example", team=front_door)
    token = token_for(worker, "contacts:decide")
    body = {
        "level_of_need": "universal-plus",
        "outcome": "advice",
        "rationale": "Advice to school on support.",
    }
    url = f"/api/v1/contacts/{contact.pk}/decision"
    headers = {"Authorization": f"Bearer {token}"}
    refused = Client().post(url, body, content_type="application/json", headers=headers)
    assert refused.status_code == 403
    assert "reason" in refused.json()["detail"]
    assert not ContactDecision.objects.exists()
    made = Client().post(
        f"{url}?reason=Duty+decision+on+an+urgent+contact",
        body,
        content_type="application/json",
        headers=headers,
    )
    assert made.status_code == 201, made.content
    granted = Event.objects.get(child_id=ben.pk, reason="Duty decision on an urgent contact")
    assert granted.detail["restricted"] is True


def test_the_schema_declares_the_idempotency_key_and_the_refusals(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    create = paths["/api/v1/contacts"]["post"]
    headers = {p["name"]: p for p in create["parameters"] if p["in"] == "header"}
    assert "Idempotency-Key" in headers
    assert {"401", "403"} <= set(create["responses"])
    assert {"401", "403", "404"} <= set(paths["/api/v1/contacts/{contact_id}"]["get"]["responses"])
    decide = paths["/api/v1/contacts/{contact_id}/decision"]["post"]
    assert {"401", "403", "404", "422"} <= set(decide["responses"])


def test_referring_a_child_not_on_the_contact_is_refused_not_dropped(
    make_user, siblings, front_door
):
    amy, ben = siblings
    contact = ContactFactory(children=[amy], team=front_door)
    worker = make_user(Role.SOCIAL_WORKER, email="sw@api.example", team=front_door)
    team = front_door.__class__.objects.create(
        name="Assessment South", kind=front_door.__class__.Kind.ASSESSMENT
    )
    response = Client().post(
        f"/api/v1/contacts/{contact.pk}/decision",
        {
            "level_of_need": "complex-significant",
            "outcome": "referral",
            "rationale": "Needs a statutory assessment of both children now.",
            "primary_need": "N1",
            "receiving_team_id": team.pk,
            "referred_child_ids": [amy.pk, ben.pk],
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(worker, 'contacts:decide')}"},
    )
    assert response.status_code == 422, response.content
    (error,) = response.json()["errors"]
    assert error["field"] == "referred_child_ids"
    assert str(ben.pk) in error["message"]
    assert not ContactDecision.objects.exists()


def test_an_api_referral_to_the_front_door_itself_is_refused(make_user, siblings, front_door):
    contact = ContactFactory(children=[siblings[0]], team=front_door)
    worker = make_user(Role.SOCIAL_WORKER, email="sw@api.example", team=front_door)
    response = Client().post(
        f"/api/v1/contacts/{contact.pk}/decision",
        {
            "level_of_need": "complex-significant",
            "outcome": "referral",
            "rationale": "Needs a statutory assessment of both children now.",
            "primary_need": "N1",
            "receiving_team_id": front_door.pk,
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(worker, 'contacts:decide')}"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "receiving_team"
