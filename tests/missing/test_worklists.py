"""My work and Team work: interviews due (hours left, overdue first), reports to place on file,
children to link; the home page panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.roles import Role
from tests.conftest import HavenClient
from tests.factories.missing import MissingEpisodeFactory, interview_stage
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> HavenClient:
    client = HavenClient()
    client.force_login(user)
    return client


@pytest.fixture
def interviews(missing_worker):
    now = timezone.now()
    overdue = MissingEpisodeFactory(
        child=PersonFactory(first_name="Olly", last_name="Overdue"),
        went_missing_at=now - timedelta(days=6),
        returned_at=now - timedelta(days=5),
    )
    mine = MissingEpisodeFactory(
        child=PersonFactory(first_name="Mia", last_name="Mine"),
        went_missing_at=now - timedelta(hours=30),
        returned_at=now - timedelta(hours=10),
    )
    mine.interview.worker = missing_worker
    mine.interview.save()
    done = MissingEpisodeFactory(child=PersonFactory(first_name="Dan", last_name="Done"))
    interview_stage(done, done_after_hours=5, by=missing_worker)
    unlinked = MissingEpisodeFactory(child=None, given_name="Nina Named")
    return {"overdue": overdue, "mine": mine, "done": done, "unlinked": unlinked}


def test_my_work_has_my_interview_with_hours_left(missing_worker, interviews):
    page = signed_in(missing_worker).get(reverse("core:my-work")).content.decode()
    assert 'data-section="missing-interviews"' in page
    assert "Mia Mine" in page
    assert "Olly Overdue" not in page
    assert "62 hours left" in page or "3 days left" in page
    assert "Dan Done" in page  # done by me, to place on file
    assert "Nina Named" not in page  # linking is team work


def test_team_work_has_the_unassigned_and_overdue_first(missing_worker, interviews):
    page = signed_in(missing_worker).get(reverse("core:team-work")).content.decode()
    assert "Olly Overdue" in page
    assert "Mia Mine" in page
    assert page.index("Olly Overdue") < page.index("Mia Mine")
    assert "Assign to me" in page
    assert "Nina Named" in page


def test_team_work_filters_by_worker(missing_worker, interviews):
    page = (
        signed_in(missing_worker)
        .get(reverse("core:team-work"), {"missing-worker": "unassigned"})
        .content.decode()
    )
    assert "Olly Overdue" in page
    assert "Mia Mine" not in page


def test_the_worker_filter_offers_the_team_s_recorders_only(
    missing_worker, missing_team, make_user, interviews
):
    colleague = make_user(
        Role.MISSING_CHILDREN_WORKER, full_name="Cora Colleague", team=missing_team
    )
    make_user(Role.MISSING_CHILDREN_WORKER, full_name="Otto Otherteam")
    page = signed_in(missing_worker).get(reverse("core:team-work")).content.decode()
    select = page.split('name="missing-worker"')[1].split("</select>")[0]
    assert f'value="{colleague.pk}"' in select
    assert "Milo Grant" in select
    assert "Otto Otherteam" not in select


def test_a_social_worker_outside_the_missing_team_sees_no_unassigned_interviews(
    make_user, interviews
):
    worker = make_user(Role.SOCIAL_WORKER)
    page = signed_in(worker).get(reverse("core:team-work")).content.decode()
    assert "Olly Overdue" not in page


def test_the_home_panel(missing_worker, interviews):
    MissingEpisodeFactory(returned_at=None)
    page = signed_in(missing_worker).get("/").content.decode()
    assert 'id="missing-panel"' in page
    assert "1 child missing now" in page
    assert "2 return home interviews due" in page
    assert "1 overdue" in page
    assert "1 interview report to place on the child's file" in page


def test_no_panel_for_those_who_may_not_read(make_user, interviews):
    page = signed_in(make_user(Role.REFERRAL_AND_ADVICE_OFFICER)).get("/").content.decode()
    assert 'id="missing-panel"' not in page
