"""The missing children screens: who may open each (allow/deny by role), the journeys through
them, bad input kept with a message, every view of a child audited, and query counts that do
not grow with the rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.core.calendar import local_tz
from haven.exploitation.models import ScreeningRequest
from haven.missing.models import InterviewStatus, MissingEpisode
from haven.people.models import ChronologyEntry, Person
from tests.conftest import HavenClient
from tests.factories.missing import MissingEpisodeFactory, interview_stage
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db

RECORDERS = {Role.MISSING_CHILDREN_WORKER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER}
READERS = RECORDERS | {
    Role.CSE_COORDINATOR,
    Role.PERFORMANCE_ANALYST,
    Role.QUALITY_AUDITOR,
    Role.SENIOR_LEADER,
}
MI_READERS = READERS - {Role.SOCIAL_WORKER}
ALL_ROLES = list(Role)


def client_for(user: User) -> HavenClient:
    client = HavenClient()
    client.force_login(user)
    return client


def date_fields(prefix: str, moment: datetime) -> dict[str, str]:
    local = timezone.localtime(moment, local_tz())
    return {
        f"{prefix}_day": str(local.day),
        f"{prefix}_month": str(local.month),
        f"{prefix}_year": str(local.year),
        f"{prefix}_time": local.strftime("%H:%M"),
    }


@pytest.fixture
def episode(child: Person) -> MissingEpisode:
    """Jade came back 20 hours ago; her interview is due in 52 hours."""
    now = timezone.now().replace(second=0, microsecond=0)
    return MissingEpisodeFactory(
        child=child,
        went_missing_at=now - timedelta(hours=40),
        returned_at=now - timedelta(hours=20),
    )


def _pages(episode: MissingEpisode) -> dict[str, tuple[str, set[Role]]]:
    pk = episode.pk
    return {
        "index": (reverse("missing:index"), READERS),
        "episode": (reverse("missing:episode", args=[pk]), READERS),
        "record": (reverse("missing:record"), RECORDERS),
        "record-for-child": (f"{reverse('missing:record')}?child={episode.child_id}", RECORDERS),
        "edit": (reverse("missing:edit", args=[pk]), RECORDERS),
        "return": (reverse("missing:return", args=[pk]), RECORDERS),
        "link": (reverse("missing:link-child", args=[pk]), RECORDERS),
        "assign": (reverse("missing:interview-assign", args=[pk]), RECORDERS),
        "offer": (reverse("missing:interview-offer", args=[pk]), RECORDERS),
        "not-offered": (reverse("missing:interview-not-offered", args=[pk]), RECORDERS),
        "interview": (reverse("missing:interview-record", args=[pk]), RECORDERS),
        "information": (reverse("missing:information"), MI_READERS),
    }


PAGE_NAMES = [
    "index",
    "episode",
    "record",
    "record-for-child",
    "edit",
    "return",
    "link",
    "assign",
    "offer",
    "not-offered",
    "interview",
    "information",
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_who_may_open_each_page(make_user: Callable[..., User], episode, role, name):
    url, allowed = _pages(episode)[name]
    response = client_for(make_user(role)).get(url)
    assert response.status_code == (200 if role in allowed else 403), (role, name)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_open_the_children_behind_a_number(make_user, episode, role):
    today = timezone.localdate()
    url = (
        f"{reverse('missing:information-children')}?date_from_day=1&date_from_month=1"
        f"&date_from_year={today.year - 1}&date_to_day={today.day}&date_to_month={today.month}"
        f"&date_to_year={today.year}&measure=returned"
    )
    response = client_for(make_user(role)).get(url)
    assert response.status_code == (200 if role in MI_READERS else 403)


def test_the_navigation_shows_missing_children_to_readers_only(make_user):
    reader = client_for(make_user(Role.SENIOR_LEADER)).get("/")
    assert reverse("missing:index") in reader.content.decode()
    rao = client_for(make_user(Role.REFERRAL_AND_ADVICE_OFFICER)).get("/")
    assert reverse("missing:index") not in rao.content.decode()


def test_recording_an_episode_in_the_browser(missing_worker, child):
    client = client_for(missing_worker)
    search = client.get(reverse("missing:record"), {"q": "Jade Okoro"})
    assert child.full_name in search.content.decode()
    assert Event.objects.filter(action="search", detail__for="missing-episode").exists()
    went = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=30)
    back = went + timedelta(hours=10)
    data = {
        "child": child.pk,
        **date_fields("went_missing_at", went),
        "has_returned": "yes",
        **date_fields("returned_at", back),
        "where_found": "McDonald's, New Street",
        "police_reference": "WM-20260320-0042",
        "police_risk": "high",
        "looked_after": "no",
    }
    response = client.post(reverse("missing:record"), data)
    made = MissingEpisode.objects.get()
    assert response.status_code == 302
    assert response["Location"] == made.get_absolute_url()
    assert made.interview.due_at == back + timedelta(hours=72)
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Due by" in page
    assert "WM-20260320-0042" in page


def test_bad_input_is_kept_with_a_message(missing_worker, child):
    client = client_for(missing_worker)
    went = timezone.now() - timedelta(hours=5)
    data = {
        "child": child.pk,
        **date_fields("went_missing_at", went),
        "has_returned": "yes",
        **date_fields("returned_at", went - timedelta(hours=2)),
        "where_found": "Kept text",
        "police_risk": "not_graded",
        "looked_after": "unknown",
    }
    response = client.post(reverse("missing:record"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Error: " in page
    assert "When the child came back must be after they went missing" in page
    assert 'value="Kept text"' in page
    data["returned_at_time"] = "25:99"
    page = client.post(reverse("missing:record"), data).content.decode()
    assert "Enter the time as hours and minutes" in page
    assert MissingEpisode.objects.count() == 0


def test_the_interview_journey_offer_interview_and_file(missing_worker, episode):
    client = client_for(missing_worker)
    pk = episode.pk
    offered = episode.returned_at + timedelta(hours=2)
    response = client.post(
        reverse("missing:interview-offer", args=[pk]),
        {**date_fields("offered_at", offered), "who": "me", "answer": "accepted"},
    )
    assert response.status_code == 302
    episode.interview.refresh_from_db()
    assert episode.interview.status == InterviewStatus.TO_HOLD
    done = episode.returned_at + timedelta(hours=6)
    response = client.post(
        reverse("missing:interview-record", args=[pk]),
        {
            **date_fields("done_at", done),
            "who": "other",
            "name": "Kim Lee, Haven Runaways Service",
            "push_factors": "Arguments about curfew",
            "pull_factors": "Older friends in the city centre",
            "where_and_with_whom": "A flat above a shop with two older boys",
            "exploitation_concerns": "yes",
            "exploitation_detail": "Given cannabis and a new phone",
        },
    )
    assert response.status_code == 302
    assert ScreeningRequest.objects.filter(child=episode.child).count() == 1
    episode.interview.refresh_from_db()
    assert episode.interview.done_by_name == "Kim Lee, Haven Runaways Service"
    assert client.get(reverse("missing:interview-file", args=[pk])).status_code == 200
    response = client.post(reverse("missing:interview-file", args=[pk]))
    assert response.status_code == 302
    episode.interview.refresh_from_db()
    assert episode.interview.status == InterviewStatus.ON_FILE
    # On file: no more changes.
    assert client.get(reverse("missing:interview-record", args=[pk])).status_code == 403
    child_page = client.get(episode.child.get_absolute_url()).content.decode()
    assert "Older friends in the city centre" in child_page
    assert "Within 72 hours" in child_page


def test_the_childs_page_shows_the_episode_the_interview_due_and_a_late_interview(
    missing_worker, child
):
    now = timezone.now()
    due_soon = MissingEpisodeFactory(
        child=child,
        went_missing_at=now - timedelta(hours=30),
        returned_at=now - timedelta(hours=10),
    )
    late = MissingEpisodeFactory(
        child=child, went_missing_at=now - timedelta(days=30), returned_at=now - timedelta(days=29)
    )
    interview_stage(late, done_after_hours=80, on_file=True, by=missing_worker)
    page = client_for(missing_worker).get(child.get_absolute_url()).content.decode()
    assert 'id="missing-episodes"' in page
    assert "Due by" in page
    assert "haven-rag" in page
    assert "80 hours after the return" in page
    assert ">Late<" in page
    assert f'data-episode="{due_soon.pk}"' in page


def test_missing_now_is_a_tag_on_the_childs_header(missing_worker, child):
    MissingEpisodeFactory(child=child, returned_at=None)
    page = client_for(missing_worker).get(child.get_absolute_url()).content.decode()
    assert "Missing now" in page


def test_viewing_an_episode_is_audited_against_the_child(missing_worker, episode):
    client_for(missing_worker).get(episode.get_absolute_url())
    event = Event.objects.get(action="view", object_type="missing.missingepisode")
    assert event.child_id == episode.child_id


def test_the_overview_lists_and_audits_the_children_it_shows(missing_worker, episode):
    page = client_for(missing_worker).get(reverse("missing:index")).content.decode()
    assert episode.child.full_name in page
    assert "52 hours left" in page
    event = Event.objects.get(action="view", detail__page="missing-overview")
    assert event.detail["children"] == [episode.child_id]


def test_a_restricted_childs_episode_asks_for_a_reason_first(missing_worker, episode):
    Person.objects.filter(pk=episode.child_id).update(is_restricted=True)
    response = client_for(missing_worker).get(episode.get_absolute_url())
    assert response.status_code == 302
    assert reverse("people:restricted", args=[episode.child_id]) in response["Location"]


def test_linking_a_child_named_by_the_police(missing_worker, child):
    unlinked = MissingEpisodeFactory(
        child=None,
        given_name="Jade Okoro",
        given_date_of_birth=date(2010, 6, 14),
        source=MissingEpisode.Source.POLICE,
    )
    client = client_for(missing_worker)
    page = client.get(reverse("missing:link-child", args=[unlinked.pk])).content.decode()
    assert child.full_name in page  # suggested by name and date of birth
    response = client.post(reverse("missing:link-child", args=[unlinked.pk]), {"child": child.pk})
    assert response.status_code == 302
    unlinked.refresh_from_db()
    assert unlinked.child == child
    assert ChronologyEntry.objects.filter(child=child, kind="missing_went_missing").exists()


def test_take_assigns_the_interview_to_me(missing_worker, episode):
    response = client_for(missing_worker).post(reverse("missing:interview-take", args=[episode.pk]))
    assert response.status_code == 302
    episode.interview.refresh_from_db()
    assert episode.interview.worker == missing_worker


def _queries(client: HavenClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_overview_runs_the_same_queries_for_more_rows(missing_worker):
    client = client_for(missing_worker)
    now = timezone.now()

    def add(count: int) -> None:
        for n in range(count):
            episode = MissingEpisodeFactory(
                went_missing_at=now - timedelta(hours=40 + n), returned_at=now - timedelta(hours=20)
            )
            MissingEpisodeFactory(returned_at=None)
            MissingEpisodeFactory(child=None, given_name=f"Named Child {n}")
            done = MissingEpisodeFactory(went_missing_at=now - timedelta(days=10 + n))
            interview_stage(done, done_after_hours=5, by=missing_worker)
            if n % 2:
                episode.interview.worker = missing_worker
                episode.interview.save()

    add(2)
    few = _queries(client, reverse("missing:index"))
    add(6)
    assert _queries(client, reverse("missing:index")) == few


def test_the_information_page_runs_the_same_queries_for_more_rows(analyst, missing_worker):
    client = client_for(analyst)
    today = timezone.localdate()
    url = (
        f"{reverse('missing:information')}?date_from_day=1&date_from_month=1"
        f"&date_from_year={today.year - 1}&date_to_day={today.day}&date_to_month={today.month}"
        f"&date_to_year={today.year}&repeat=2"
    )
    now = timezone.now()

    def add(count: int) -> None:
        for n in range(count):
            child = PersonFactory()
            for k in range(1 + n % 3):
                episode = MissingEpisodeFactory(
                    child=child,
                    went_missing_at=now - timedelta(days=20 + 5 * k),
                    returned_at=now - timedelta(days=19 + 5 * k),
                )
                interview_stage(
                    episode, done_after_hours=10 * (k + 1), on_file=bool(k % 2), by=missing_worker
                )

    add(2)
    few = _queries(client, url)
    add(8)
    assert _queries(client, url) == few


def test_the_childs_section_runs_the_same_queries_for_more_episodes(missing_worker, child):
    client = client_for(missing_worker)
    now = timezone.now()
    MissingEpisodeFactory(child=child, went_missing_at=now - timedelta(days=100))
    few = _queries(client, child.get_absolute_url())
    for n in range(5):
        episode = MissingEpisodeFactory(
            child=child, went_missing_at=now - timedelta(days=90 - 10 * n)
        )
        interview_stage(episode, done_after_hours=20, on_file=True, by=missing_worker)
    assert _queries(client, child.get_absolute_url()) == few


def test_the_interview_findings_are_kept_as_they_are_typed(missing_worker, episode):
    client = client_for(missing_worker)
    url = reverse("missing:interview-record", args=[episode.pk])
    page = client.get(url)
    assert "data-autosave" in page.text
    assert "haven/autosave" in page.text
    # Half-way through: no date or who yet, concerns ticked before the detail is written.
    answer = client.post(
        url,
        {
            "push_factors": "Rows at home about his phone",
            "exploitation_concerns": "yes",
        },
        HTTP_X_HAVEN_AUTOSAVE="1",
    )
    assert answer.status_code == 200
    assert answer.json()["saved"] is True
    interview = episode.interview
    interview.refresh_from_db()
    assert interview.push_factors == "Rows at home about his phone"
    assert interview.exploitation_concerns is True
    # A draft is not an interview: still owed, nothing asked of the CSE team, no chronology.
    assert interview.done_at is None
    assert interview.status == InterviewStatus.TO_OFFER
    assert not ScreeningRequest.objects.filter(child=episode.child).exists()
    assert not ChronologyEntry.objects.filter(kind="missing_rhi_done").exists()
    event = Event.objects.filter(
        object_type="missing.returninterview", object_id=str(interview.pk), action="update"
    ).get()
    assert event.detail["draft"] == ["push_factors", "exploitation_concerns"]
    # Half a date cannot be read: nothing saved, the message says why.
    half = client.post(
        url,
        {"pull_factors": "Friends", "done_at_day": "3", "done_at_month": ""},
        HTTP_X_HAVEN_AUTOSAVE="1",
    )
    assert half.status_code == 422
    interview.refresh_from_db()
    assert interview.pull_factors == ""
    # Without JavaScript, "Save as draft" keeps it too; coming back, the words are there.
    saved = client.post(url, {"pull_factors": "Older friends in town", "action": "save"})
    assert saved.status_code == 302
    again = client.get(url).text
    assert "Older friends in town" in again


def test_autosave_of_a_recorded_interview_saves_a_whole_correction(missing_worker, episode):
    client = client_for(missing_worker)
    url = reverse("missing:interview-record", args=[episode.pk])
    whole = {
        **date_fields("done_at", episode.returned_at + timedelta(hours=6)),
        "who": "me",
        "push_factors": "Arguments about curfew",
        "pull_factors": "Older friends",
        "where_and_with_whom": "At a friend's house",
        "exploitation_concerns": "no",
    }
    assert client.post(url, {**whole, "action": "record"}).status_code == 302
    corrected = client.post(
        url, {**whole, "pull_factors": "Older friends in town"}, HTTP_X_HAVEN_AUTOSAVE="1"
    )
    assert corrected.json()["saved"] is True
    episode.interview.refresh_from_db()
    assert episode.interview.pull_factors == "Older friends in town"
    emptied = client.post(url, {**whole, "push_factors": ""}, HTTP_X_HAVEN_AUTOSAVE="1")
    assert emptied.status_code == 422
    episode.interview.refresh_from_db()
    assert episode.interview.push_factors == "Arguments about curfew"
