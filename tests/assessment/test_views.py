"""The pages: the whole journey through the browser's forms, autosave, factor 21, the team
page, allow/deny tables for every page, restricted records, audited reads, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.roles import Role
from haven.assessment import services
from haven.assessment.models import Assessment, Case, Visit
from haven.audit.models import Event
from haven.people.models import ChronologyEntry
from tests.conftest import actor_for, chain_lock_queries
from tests.factories.assessment import (
    AssessmentFactory,
    CaseFactory,
    CinPlanFactory,
    ClosureFactory,
    VisitFactory,
)
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def date_parts(prefix, moment):
    local = timezone.localtime(moment)
    return {
        f"{prefix}_day": local.day,
        f"{prefix}_month": local.month,
        f"{prefix}_year": local.year,
        f"{prefix}_time": local.strftime("%H:%M"),
    }


def day_parts(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


PARTS = {
    "worries": {"worries": "Mum drinks most evenings; Amy is hungry at school."},
    "working-well": {"working_well": "Gran visits daily."},
    "needs": {"needs_to_happen": "Mum to see the alcohol service."},
    "scale": {"scale": "4", "scale_given_by": "Mum and gran"},
    "child": {"child_voice": '"Nan makes fish fingers."'},
    "analysis": {"analysis": "Neglect linked to drinking; gran protective."},
    "factors": {"factors": ["1B", "16A"]},
    "outcome": {"outcome": "cin_plan"},
}


def test_the_journey_through_the_pages(client, referral, manager, worker, worker2):
    client.force_login(manager)
    team_page = client.get(reverse("assessment:team", args=[referral.receiving_team_id]))
    assert team_page.status_code == 200
    assert referral.child.full_name in team_page.content.decode()
    allocate_url = reverse("assessment:allocate", args=[referral.pk])
    page = client.get(allocate_url)
    assert "Sam Okafor" in page.content.decode()
    assert "0 open cases" in page.content.decode()
    # No worker chosen: a GOV.UK error, nothing made.
    refused = client.post(allocate_url, {})
    assert "Select the social worker to allocate the case to" in refused.content.decode()
    done = client.post(allocate_url, {"worker": worker.pk})
    assert done.status_code == 302
    case = Case.objects.get(episode=referral)
    assert case.worker == worker

    client.force_login(worker)
    assert client.get(reverse("assessment:index")).status_code == 200
    visit = client.post(
        reverse("assessment:visit-new", args=[case.pk]),
        {
            **date_parts("visited_at", timezone.now()),
            "kind": "home",
            "child_seen": "alone",
            "bedroom_seen": "yes",
            "present": "Mum",
        },
    )
    assert visit.status_code == 302, visit.content.decode()
    assert Visit.objects.filter(case=case, child_seen=True, seen_alone=True).exists()
    started = client.post(
        reverse("assessment:assessment-start", args=[case.pk]),
        day_parts("start_date", timezone.localdate()),
    )
    assessment = Assessment.objects.get(case=case)
    assert started.url == assessment.get_absolute_url()
    # Submitting too soon lists every unfinished part.
    early = client.post(reverse("assessment:check", args=[assessment.pk]))
    assert "Record the child&#x27;s own words" in early.content.decode()
    for key, data in PARTS.items():
        response = client.post(
            reverse("assessment:part", args=[assessment.pk, key]), {**data, "action": "continue"}
        )
        assert response.status_code == 302, (key, response.content.decode())
    assert response.url == reverse("assessment:check", args=[assessment.pk])
    check = client.get(response.url)
    assert "Gran visits daily." in check.content.decode()
    client.post(reverse("assessment:check", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == "submitted"

    client.force_login(manager)
    review_url = reverse("assessment:review", args=[assessment.pk])
    assert client.get(review_url).status_code == 200
    no_comment = client.post(review_url, {"decision": "returned", "comments": ""})
    assert "Enter what needs to change before you return it" in no_comment.content.decode()
    client.post(review_url, {"decision": "returned", "comments": "Add what school says."})
    assessment.refresh_from_db()
    assert assessment.status == "returned"

    client.force_login(worker)
    detail = client.get(assessment.get_absolute_url())
    assert "Add what school says." in detail.content.decode()
    client.post(
        reverse("assessment:part", args=[assessment.pk, "analysis"]),
        {"analysis": "Neglect linked to drinking. School: attendance 82%.", "action": "list"},
    )
    client.post(reverse("assessment:check", args=[assessment.pk]))

    client.force_login(manager)
    client.post(review_url, {"decision": "authorised", "comments": ""})
    assessment.refresh_from_db()
    assert assessment.status == "authorised"
    assert assessment.authorised_by == manager
    kinds = set(ChronologyEntry.objects.filter(child=case.child).values_list("kind", flat=True))
    assert {
        "episode_opened",
        "case_allocated",
        "visit",
        "assessment_started",
        "assessment_submitted",
        "assessment_returned",
        "assessment_authorised",
    } <= kinds
    person_page = client.get(case.child.get_absolute_url())
    body = person_page.content.decode()
    assert "Assessment returned by the manager" in body
    assert "Allocated to Sam Okafor" in body


def test_autosave_keeps_what_is_valid_and_answers_json(client, referral, manager, worker):
    case = services.case_allocate(actor=actor_for(manager), episode=referral, worker=worker)
    assessment = services.assessment_start(
        actor=actor_for(worker), case=case, start_date=timezone.localdate()
    )
    client.force_login(worker)
    url = reverse("assessment:part", args=[assessment.pk, "worries"])
    saved = client.post(url, {"worries": "Half a sentence"}, HTTP_X_HAVEN_AUTOSAVE="1")
    assert saved.status_code == 200
    assert saved.json()["saved"] is True
    assessment.refresh_from_db()
    assert assessment.worries == "Half a sentence"
    scale = client.post(
        reverse("assessment:part", args=[assessment.pk, "scale"]),
        {"scale": "11", "scale_given_by": "Gran"},
        HTTP_X_HAVEN_AUTOSAVE="1",
    )
    assert scale.status_code == 422
    assert scale.json()["errors"]["scale"]
    assessment.refresh_from_db()
    assert assessment.scale_given_by == "Gran"
    assert assessment.scale is None


def test_factor_21_with_another_is_refused_with_a_clear_message(client, referral, manager, worker):
    case = services.case_allocate(actor=actor_for(manager), episode=referral, worker=worker)
    assessment = services.assessment_start(
        actor=actor_for(worker), case=case, start_date=timezone.localdate()
    )
    client.force_login(worker)
    url = reverse("assessment:part", args=[assessment.pk, "factors"])
    response = client.post(url, {"factors": ["21", "3B"], "action": "continue"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Error: Assessment factors" in body
    assert "Factor 21 (no factors identified) cannot be chosen with other factors" in body
    # What was ticked is kept on the page to fix, and nothing invalid was saved.
    assert 'value="3B" checked' in body
    assert 'value="21" checked' in body
    assert not assessment.factors.exists()


def test_the_team_page_shows_caseloads_and_overdue_assessments(
    client, team, manager, worker, worker2
):
    long_ago = timezone.now() - timedelta(days=80)
    overdue_case = CaseFactory(
        team=team, worker=worker, referral_at=long_ago, first_seen_at=long_ago
    )
    AssessmentFactory(case=overdue_case, due_at=timezone.now() - timedelta(days=3))
    CaseFactory.create_batch(2, team=team, worker=worker2)
    client.force_login(manager)
    body = client.get(reverse("assessment:team", args=[team.pk])).content.decode()
    assert "Priya Shah" in body
    assert "Sam Okafor" in body
    assert "1</strong> assessment overdue" in body
    assert overdue_case.child.full_name in body


def _list_event(user, page):
    return Event.objects.filter(actor_id=user.pk, action="view", detail__page=page).get()


def test_my_cases_audits_one_event_naming_the_children_shown(client, team, worker, worker2):
    mine = CaseFactory.create_batch(2, team=team, worker=worker)
    CaseFactory(team=team, worker=worker2)
    client.force_login(worker)
    assert client.get(reverse("assessment:index")).status_code == 200
    event = _list_event(worker, "my cases")
    assert event.detail["children"] == sorted(case.child_id for case in mine)
    assert event.object_type == "assessment.case"


def test_a_workers_cases_are_audited_for_the_manager_who_opens_them(client, team, manager, worker):
    cases = CaseFactory.create_batch(2, team=team, worker=worker)
    client.force_login(manager)
    assert client.get(reverse("assessment:worker", args=[worker.pk])).status_code == 200
    event = _list_event(manager, "worker's cases")
    assert event.detail["children"] == sorted(case.child_id for case in cases)
    assert event.detail["worker"] == worker.pk


def test_the_team_page_audits_every_child_it_names(client, team, manager, worker):
    from tests.factories.frontdoor import EpisodeFactory

    waiting = EpisodeFactory(receiving_team=team)
    long_ago = timezone.now() - timedelta(days=80)
    overdue = AssessmentFactory(
        case=CaseFactory(team=team, worker=worker, referral_at=long_ago, first_seen_at=long_ago),
        due_at=timezone.now() - timedelta(days=3),
    )
    closing = ClosureFactory(case=CaseFactory(team=team, worker=worker))
    quiet = CaseFactory(team=team, worker=worker)  # on a caseload, not named on the page
    client.force_login(manager)
    body = client.get(reverse("assessment:team", args=[team.pk])).content.decode()
    event = _list_event(manager, "team")
    named = {waiting.child_id, overdue.child_id, closing.case.child_id}
    assert set(event.detail["children"]) == named
    assert quiet.child_id not in event.detail["children"]
    assert event.detail["team"] == team.pk
    assert waiting.child.full_name in body


def test_a_list_with_no_children_writes_no_event(client, team, manager):
    client.force_login(manager)
    client.get(reverse("assessment:team", args=[team.pk]))
    client.get(reverse("assessment:teams"))
    assert not Event.objects.filter(actor_id=manager.pk, action="view").exists()


@pytest.mark.parametrize("workers", [1, 6])
def test_the_team_page_runs_a_fixed_number_of_queries(
    client, manager, make_user, workers, django_assert_num_queries
):
    team = manager.team
    for n in range(workers):
        sw = make_user(Role.SOCIAL_WORKER, team=team, full_name=f"Worker {n}")
        for case in CaseFactory.create_batch(3, team=team, worker=sw):
            AssessmentFactory(case=case)
        VisitFactory(case=case)
    refer_children = [PersonFactory() for _ in range(workers)]
    for child in refer_children:
        from tests.factories.frontdoor import EpisodeFactory

        EpisodeFactory(child=child, receiving_team=team)
    client.force_login(manager)
    url = reverse("assessment:team", args=[team.pk])
    client.get(url)
    # 4 for the audit event, 2 for services
    with django_assert_num_queries(25 + chain_lock_queries()):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("cases", [1, 8])
def test_my_cases_runs_a_fixed_number_of_queries(
    client, team, worker, cases, django_assert_num_queries
):
    for case in CaseFactory.create_batch(cases, team=team, worker=worker):
        AssessmentFactory(case=case)
        CinPlanFactory(case=case)
        VisitFactory(case=case)
    client.force_login(worker)
    client.get(reverse("assessment:index"))
    with django_assert_num_queries(16 + chain_lock_queries()):  # 12, and 4 for the audit event
        response = client.get(reverse("assessment:index"))
    assert len(response.context["rows"]) == cases


def test_the_caseload_chart_is_an_svg_of_the_same_numbers(client, team, manager, worker):
    CaseFactory.create_batch(2, team=team, worker=worker)
    client.force_login(manager)
    response = client.get(reverse("assessment:team-chart", args=[team.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert "Sam Okafor" in svg


def test_a_long_queue_shows_its_most_urgent_rows_and_offers_the_rest(client, team, manager):
    from tests.factories.frontdoor import EpisodeFactory

    EpisodeFactory.create_batch(27, receiving_team=team)
    urgent = EpisodeFactory(receiving_team=team, is_urgent=True)
    client.force_login(manager)
    url = reverse("assessment:team", args=[team.pk])
    page = client.get(url)
    assert len(page.context["referrals"]) == 25
    assert page.context["referrals"][0] == urgent
    assert "Showing the 25 most urgent of 28" in page.content.decode()
    assert len(client.get(f"{url}?show=all").context["referrals"]) == 28
