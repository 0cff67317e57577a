"""The API: cases and assessments read with the assessment:read scope, scoped to staff who
read children's records, audited, restricted records only with a reason."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from haven.accounts.roles import Role
from haven.audit.models import Event
from tests.factories.assessment import AssessmentFactory, CaseFactory, VisitFactory

pytestmark = pytest.mark.django_db


def token_for(user, capsys, scopes):
    call_command("create_api_token", user=user.email, name="Case system", scopes=scopes)
    return capsys.readouterr().out.strip()


@pytest.fixture
def case(team, worker):
    found = CaseFactory(team=team, worker=worker, first_seen_at=timezone.now())
    VisitFactory(case=found)
    AssessmentFactory(
        case=found, factors=["3B", "16A"], authorised_at=timezone.now(), submitted_at=timezone.now()
    )
    return found


def test_a_worker_reads_their_cases_and_one_case(client, worker, case):
    client.force_login(worker)
    listed = client.get("/api/v1/assessment/cases")
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()] == [case.pk]
    assert Event.objects.filter(action="search", object_type="assessment.case").exists()
    read = client.get(f"/api/v1/assessment/cases/{case.pk}")
    body = read.json()
    assert body["child_id"] == case.child_id
    assert body["allocations"][0]["invo_professional_id"] == worker.pk
    assert body["visits"][0]["cinv_cin_visit_seen"] is True
    assert body["assessments"][0]["cinf_assessment_factors_json"] == ["3B", "16A"]
    assert Event.objects.filter(
        action="view", object_type="assessment.case", child_id=case.child_id
    ).exists()


def test_an_assessment_in_the_standard_safeguarding_dataset_names(client, worker, case):
    client.force_login(worker)
    assessment = case.assessments.get()
    body = client.get(f"/api/v1/assessment/assessments/{assessment.pk}").json()
    assert body["cina_referral_id"] == case.episode_id
    assert body["cina_assessment_outcome_json"] == {"OUTCOME_PROV_OF_SERVICES_FLAG": True}
    assert body["cina_assessment_outcome_nfa"] is False
    assert body["child_voice"].startswith('"I like it at Nan')


def test_a_token_needs_the_scope(client, worker, case, capsys):
    raw = token_for(worker, capsys, ["people:read"])
    refused = client.get("/api/v1/assessment/cases", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert refused.status_code == 403
    raw = token_for(worker, capsys, ["assessment:read"])
    allowed = client.get("/api/v1/assessment/cases", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert allowed.status_code == 200


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ADMINISTRATOR])
def test_partners_and_administrators_are_refused(client, make_user, role, case):
    client.force_login(make_user(role))
    assert client.get("/api/v1/assessment/cases").status_code == 403
    assert client.get(f"/api/v1/assessment/cases/{case.pk}").status_code == 403


def test_a_restricted_child_needs_a_reason(client, worker, case):
    case.child.is_restricted = True
    case.child.save()
    client.force_login(worker)
    assert client.get(f"/api/v1/assessment/cases/{case.pk}").status_code == 403
    ok = client.get(f"/api/v1/assessment/cases/{case.pk}?reason=Preparing the review meeting")
    assert ok.status_code == 200
    assert Event.objects.filter(reason="Preparing the review meeting").exists()


def test_a_missing_case_is_404(client, worker):
    client.force_login(worker)
    assert client.get("/api/v1/assessment/cases/999999").status_code == 404


def test_the_routes_are_in_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/assessment/cases/{case_id}" in paths
    assert "/api/v1/assessment/assessments/{assessment_id}" in paths
