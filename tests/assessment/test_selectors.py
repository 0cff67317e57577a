"""Reads that measure the service: how long services take to start after the assessment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.assessment import selectors
from haven.audit.models import Event
from tests.factories.assessment import AssessmentFactory, CaseFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def test_a_services_wait_counts_from_the_assessment_before_it_was_agreed(team, worker):
    case = CaseFactory(team=team, worker=worker)
    AssessmentFactory(case=case, start_date=days_ago(30))
    after = ServiceFactory(case=case, agreed_on=days_ago(20), start_date=days_ago(10))
    found = selectors.with_wait_start(type(after).objects.filter(pk=after.pk)).get()
    assert found.assessment_started_on == days_ago(30)
    assert found.waits_from == days_ago(30)
    # With no assessment before it was agreed, the wait counts from the agreement.
    alone = ServiceFactory(
        case=CaseFactory(team=team, worker=worker), agreed_on=days_ago(8), start_date=days_ago(2)
    )
    found = selectors.with_wait_start(type(alone).objects.filter(pk=alone.pk)).get()
    assert found.assessment_started_on is None
    assert found.waits_from == days_ago(8)


def test_services_waiting_are_the_teams_unstarted_ones_longest_wait_first(
    team, other_team, manager, worker
):
    case = CaseFactory(team=team, worker=worker)
    AssessmentFactory(case=case, start_date=days_ago(40))
    longest = ServiceFactory(case=case, agreed_on=days_ago(5))  # waits from day 40
    shorter = ServiceFactory(case=CaseFactory(team=team, worker=worker), agreed_on=days_ago(12))
    ServiceFactory(case=case, agreed_on=days_ago(30), start_date=days_ago(1))  # started
    ServiceFactory(case=CaseFactory(team=other_team), agreed_on=days_ago(50))  # another team
    waiting = list(selectors.services_waiting(user=manager, team_ids=[team.pk]))
    assert waiting == [longest, shorter]


def test_the_median_time_to_start_over_a_period(team, manager, worker):
    case = CaseFactory(team=team, worker=worker)
    AssessmentFactory(case=case, start_date=days_ago(60))
    # Waits of 5, 10 and 30 days (the last from the assessment, not the agreement).
    ServiceFactory(
        case=CaseFactory(team=team, worker=worker), agreed_on=days_ago(25), start_date=days_ago(20)
    )
    ServiceFactory(
        case=CaseFactory(team=team, worker=worker), agreed_on=days_ago(20), start_date=days_ago(10)
    )
    ServiceFactory(case=case, agreed_on=days_ago(35), start_date=days_ago(30))
    # Started before the period: not counted.
    ServiceFactory(case=case, agreed_on=days_ago(59), start_date=days_ago(50))
    start, end = selectors.service_period(6)
    assert end == timezone.localdate()
    assert start == days_ago(41)
    starts = selectors.service_starts(user=manager, team_ids=[team.pk], start=start, end=end)
    assert starts.days == [5, 10, 30]
    assert starts.median_days == 10
    assert selectors.ServiceStarts(start, end, [4, 9]).median_days == 6.5
    assert selectors.ServiceStarts(start, end, []).median_days is None


def test_the_team_page_lists_services_waiting_and_the_median(client, team, manager, worker):
    case = CaseFactory(team=team, worker=worker)
    AssessmentFactory(case=case, start_date=days_ago(40))
    oldest = ServiceFactory(case=case, agreed_on=days_ago(5), provider="Haven Parenting Team")
    newer = ServiceFactory(
        case=CaseFactory(team=team, worker=worker), agreed_on=days_ago(3), provider="Youth Club"
    )
    ServiceFactory(
        case=CaseFactory(team=team, worker=worker), agreed_on=days_ago(9), start_date=days_ago(2)
    )
    client.force_login(manager)
    page = client.get(reverse("assessment:team", args=[team.pk]))
    body = page.content.decode()
    assert "<strong>2</strong> services waiting to start" in body
    assert [s.pk for s in page.context["waiting_services"]] == [oldest.pk, newer.pk]
    assert [s.days_waiting for s in page.context["waiting_services"]] == [40, 3]
    assert body.index("Haven Parenting Team") < body.index("Youth Club")
    assert "a median of <strong>7 days</strong> after the assessment started" in body
    event = Event.objects.filter(actor_id=manager.pk, detail__page="team").get()
    assert oldest.child_id in event.detail["children"]
    # Another period is a link away; an unknown one falls back to 13 weeks.
    assert page.context["service_weeks"] == 13
    assert (
        client.get(reverse("assessment:team", args=[team.pk]), {"weeks": "52"}).context[
            "service_weeks"
        ]
        == 52
    )
    assert (
        client.get(reverse("assessment:team", args=[team.pk]), {"weeks": "x"}).context[
            "service_weeks"
        ]
        == 13
    )


def test_a_long_list_of_waiting_services_is_bounded(client, team, manager, worker):
    case = CaseFactory(team=team, worker=worker)
    ServiceFactory.create_batch(27, case=case)
    client.force_login(manager)
    url = reverse("assessment:team", args=[team.pk])
    page = client.get(url)
    assert len(page.context["waiting_services"]) == 25
    assert page.context["waiting_services_count"] == 27
    assert "Showing the 25 most urgent of 27" in page.content.decode()
    assert len(client.get(f"{url}?show=all").context["waiting_services"]) == 27
