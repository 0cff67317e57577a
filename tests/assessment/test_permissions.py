"""Who may open and do what: role tables for every page, the object rules (allocated worker,
same team, manager of the team, not one's own assessment, an open case), restricted records,
and every read of a child's record audited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.roles import Role
from haven.assessment import services
from haven.audit.models import Event
from tests.conftest import actor_for
from tests.factories.assessment import (
    AssessmentFactory,
    CaseFactory,
    CinPlanFactory,
    ClosureFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

READERS = [
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.REFERRAL_AND_ADVICE_OFFICER,
    Role.CSE_COORDINATOR,
    Role.MISSING_CHILDREN_WORKER,
    Role.OUT_OF_HOURS_WORKER,
    Role.QUALITY_AUDITOR,
    Role.PERFORMANCE_ANALYST,
    Role.SENIOR_LEADER,
]
NOBODY = [Role.PARTNER, Role.ADMINISTRATOR]


@pytest.fixture
def records(team, worker):
    case = CaseFactory(team=team, worker=worker, first_seen_at=timezone.now())
    assessment = AssessmentFactory(case=case)
    plan = CinPlanFactory(case=case)
    return {"case": case, "assessment": assessment, "plan": plan}


def reading_pages(records, team):
    return [
        reverse("assessment:teams"),
        reverse("assessment:team", args=[team.pk]),
        reverse("assessment:case", args=[records["case"].pk]),
        reverse("assessment:assessment", args=[records["assessment"].pk]),
        reverse("assessment:plan", args=[records["plan"].pk]),
    ]


@pytest.mark.parametrize("role", READERS)
def test_staff_who_read_childrens_records_read_cases(client, make_user, role, records, team):
    client.force_login(make_user(role))
    for url in reading_pages(records, team):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", NOBODY)
def test_partners_and_the_administrator_see_no_case(client, make_user, role, records, team):
    client.force_login(make_user(role))
    for url in [reverse("assessment:index"), *reading_pages(records, team)]:
        assert client.get(url).status_code == 403, url
    assert not Event.objects.filter(action="view", child_id=records["case"].child_id).exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.SOCIAL_WORKER, False),
        (Role.QUALITY_AUDITOR, False),
        (Role.SENIOR_LEADER, False),
        (Role.TEAM_MANAGER, True),
    ],
)
def test_only_the_teams_manager_allocates(client, make_user, referral, role, allowed):
    team = referral.receiving_team
    user = make_user(role, team=team)
    if role == Role.TEAM_MANAGER:
        team.manager = user
        team.save()
    client.force_login(user)
    response = client.get(reverse("assessment:allocate", args=[referral.pk]))
    assert response.status_code == (200 if allowed else 403)


def test_a_manager_of_another_team_cannot_allocate_or_authorise(
    client, other_manager, referral, records
):
    client.force_login(other_manager)
    assert client.get(reverse("assessment:allocate", args=[referral.pk])).status_code == 403
    assessment = records["assessment"]
    assessment.submitted_at = timezone.now()
    assessment.save()
    assert client.get(reverse("assessment:review", args=[assessment.pk])).status_code == 403


WORK_PAGES = ["visit-new", "assessment-start", "service-new", "closure-new"]


@pytest.fixture
def three_workers(worker, worker2, other_worker):
    """The allocated worker, a colleague in the same team, a worker in another team."""
    return worker, worker2, other_worker


@pytest.mark.parametrize("page", WORK_PAGES)
def test_the_allocated_worker_and_their_team_work_on_the_case(client, page, three_workers, auditor):
    worker, worker2, other_worker = three_workers
    case = CaseFactory(team=worker.team, worker=worker)
    url = reverse(f"assessment:{page}", args=[case.pk])
    for user, status in [(worker, 200), (worker2, 200), (other_worker, 403)]:
        client.force_login(user)
        assert client.get(url).status_code == status, (user, url)
    client.force_login(auditor)
    assert client.get(url).status_code == 403


def test_nothing_is_changed_on_a_closed_case(client, team, worker):
    case = CaseFactory(team=team, worker=worker)
    case.episode.closed_on = timezone.localdate()
    case.episode.closure_reason = "RC8"
    case.episode.save()
    client.force_login(worker)
    assert client.get(reverse("assessment:visit-new", args=[case.pk])).status_code == 403
    assert client.get(reverse("assessment:case", args=[case.pk])).status_code == 200


def test_the_author_edits_a_draft_and_nobody_edits_a_submitted_one(
    client, records, worker, other_worker
):
    assessment = records["assessment"]
    url = reverse("assessment:part", args=[assessment.pk, "analysis"])
    client.force_login(other_worker)
    assert client.get(url).status_code == 403
    client.force_login(worker)
    assert client.get(url).status_code == 200
    assessment.submitted_at = timezone.now()
    assessment.save()
    assert client.get(url).status_code == 403
    autosave = client.post(url, {"analysis": "late words"}, HTTP_X_HAVEN_AUTOSAVE="1")
    assert autosave.status_code == 409
    assert autosave.json()["saved"] is False


def test_a_manager_cannot_authorise_their_own_assessment(client, team, manager):
    case = CaseFactory(team=team, worker=manager)
    assessment = AssessmentFactory(case=case, worker=manager, submitted_at=timezone.now())
    client.force_login(manager)
    assert client.get(reverse("assessment:review", args=[assessment.pk])).status_code == 403


def test_only_the_manager_approves_closure(client, team, worker, manager, worker2):
    case = CaseFactory(team=team, worker=worker)
    closure = ClosureFactory(case=case, proposed_by=worker)
    url = reverse("assessment:closure-decide", args=[closure.pk])
    client.force_login(worker2)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_service_changes_follow_the_case(client, team, worker, other_worker):
    service = ServiceFactory(case=CaseFactory(team=team, worker=worker))
    url = reverse("assessment:service-change", args=[service.pk, "start"])
    client.force_login(other_worker)
    assert client.get(url).status_code == 403
    client.force_login(worker)
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("assessment:service-change", args=[service.pk, "nope"])).status_code
        == 404
    )


def test_a_restricted_child_asks_for_a_reason_first(client, team, worker):
    case = CaseFactory(team=team, worker=worker)
    case.child.is_restricted = True
    case.child.save()
    client.force_login(worker)
    url = reverse("assessment:case", args=[case.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("people:restricted", args=[case.child.pk]))
    assert not Event.objects.filter(action="view", object_type="assessment.case").exists()
    client.post(
        reverse("people:restricted", args=[case.child.pk]),
        {"reason": "Allocated worker preparing for a home visit", "next": url},
    )
    assert client.get(url).status_code == 200


def test_every_read_of_a_childs_record_is_audited(client, records, worker):
    client.force_login(worker)
    case, assessment = records["case"], records["assessment"]
    client.get(reverse("assessment:case", args=[case.pk]))
    client.get(reverse("assessment:assessment", args=[assessment.pk]))
    client.get(reverse("assessment:part", args=[assessment.pk, "worries"]))
    views = Event.objects.filter(action="view", child_id=case.child_id, actor=worker)
    assert set(views.values_list("object_type", flat=True)) == {
        "assessment.case",
        "assessment.assessment",
    }
    assert {e.detail["page"] for e in views} == {"case", "assessment", "assessment-worries"}


def test_the_work_queue_sections_follow_the_role(client, referral, manager, worker):
    case = services.case_allocate(actor=actor_for(manager), episode=referral, worker=worker)
    client.force_login(worker)
    body = client.get(reverse("core:my-work")).content.decode()
    assert "First visits due" in body
    assert case.child.full_name in body
    assert "Referrals to allocate" not in body
    client.force_login(manager)
    body = client.get(reverse("core:team-work")).content.decode()
    assert "Referrals to allocate" in body
    assert "Assessments awaiting authorisation" in body


def test_the_administrator_configures_service_types_and_sees_no_case(client, administrator):
    client.force_login(administrator)
    listing = client.get("/configuration/assessment/servicetype/")
    assert listing.status_code == 200
    assert "Parenting programme" in listing.content.decode()
    assert client.get(reverse("assessment:teams")).status_code == 403
