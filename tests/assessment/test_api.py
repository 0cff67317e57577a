"""The API: cases and assessments read with the assessment:read scope, scoped to staff who
read children's records, audited, restricted records only with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from haven.accounts.roles import Role
from haven.audit.models import Event
from tests.factories.assessment import (
    AssessmentFactory,
    CaseFactory,
    CinPlanFactory,
    ClosureFactory,
    VisitFactory,
)

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


def test_a_case_gives_where_visits_were_plan_reviews_and_closure_decisions(
    client, manager, worker, case
):
    VisitFactory(case=case, location="Nan's flat, 2 Quay Street", present="Nan and her partner")
    plan = CinPlanFactory(case=case, start_date=timezone.localdate() - timedelta(days=100))
    first_review = plan.reviews.get()
    first_review.held_on = timezone.localdate() - timedelta(days=8)
    first_review.outcome = "continue"
    first_review.notes = "Family support is working; continue."
    first_review.recorded_by = worker
    first_review.recorded_at = timezone.now()
    first_review.save()
    refused = ClosureFactory(
        case=case,
        proposed_by=worker,
        proposed_at=timezone.now() - timedelta(days=3),
        decided_by=manager,
        decided_at=timezone.now() - timedelta(days=2),
        approved=False,
        manager_comment="Not until the plan's next review.",
    )
    client.force_login(worker)
    body = client.get(f"/api/v1/assessment/cases/{case.pk}").json()
    visits = {v["location"]: v["present"] for v in body["visits"]}
    assert visits["Nan's flat, 2 Quay Street"] == "Nan and her partner"
    reviews = body["cin_plans"][0]["reviews"]
    assert reviews[0]["held_on"] == first_review.held_on.isoformat()
    assert reviews[0]["notes"] == "Family support is working; continue."
    assert reviews[0]["recorded_by"] == worker.full_name
    closure = body["closures"][0]
    assert closure["id"] == refused.pk
    assert closure["cine_close_reason"] == refused.reason
    assert closure["summary"] == refused.summary
    assert closure["proposed_by"] == worker.full_name
    assert closure["approved"] is False
    assert closure["decided_by"] == manager.full_name
    assert closure["decided_at"] is not None
    assert closure["manager_comment"] == "Not until the plan's next review."


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
