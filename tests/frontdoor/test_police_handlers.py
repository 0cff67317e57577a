"""The police import and the missing-children app together: a notification of type missing
makes a missing episode (one per named child), whose return home interview is due 72 hours
after the return; the same police reference sent again with the return brings the episode up
to date; a bad risk grading makes a bad row; a corrected row makes its episode too."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from haven.core.actor import Actor
from haven.core.calendar import local_tz
from haven.frontdoor import services
from haven.frontdoor.models import Contact, PoliceNotification
from haven.missing.models import InterviewStatus, MissingEpisode
from haven.people.models import ChronologyEntry
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("tests")
HEADER = (
    "police_reference,occurred_at,notification_type,children,narrative,risk_level,"
    "reported_at,returned_at,where_found,looked_after\n"
)
REPORTED = HEADER + (
    "WM/2025/0314/77,2025-03-14 19:00,missing,Jo Price (01/02/2010),"
    "Jo did not come home from school.,High,2025-03-14 21:00,,,yes\n"
)
RETURNED = HEADER + (
    "WM/2025/0314/77,2025-03-14 19:00,missing,Jo Price (01/02/2010),"
    "Jo did not come home from school.,Medium,2025-03-14 21:00,2025-03-15 02:10,"
    "A friend's flat in Aston,yes\n"
)


def imported(text: str) -> None:
    services.police_import(actor=SYSTEM, filename="police.csv", data=text.encode())


@pytest.fixture
def jo():
    return PersonFactory(first_name="Jo", last_name="Price", date_of_birth=date(2010, 2, 1))


def test_a_missing_notification_makes_an_episode_for_the_child(jo):
    imported(REPORTED)
    episode = MissingEpisode.objects.get()
    assert episode.child == jo  # one record with that name and date of birth: linked
    assert episode.source == MissingEpisode.Source.POLICE
    assert episode.police_reference == "WM/2025/0314/77"
    assert episode.police_risk == "high"
    assert episode.looked_after is True
    assert episode.notification == PoliceNotification.objects.get()
    assert episode.mention is not None
    assert episode.mention.given_name == "Jo Price"
    assert episode.is_open
    assert episode.interview.status == InterviewStatus.CHILD_MISSING
    assert ChronologyEntry.objects.filter(child=jo, kind="missing_went_missing").count() == 1


def test_the_return_sent_later_puts_the_interview_due_72_hours_after_it(jo):
    imported(REPORTED)
    imported(RETURNED)
    episode = MissingEpisode.objects.get()
    returned = datetime(2025, 3, 15, 2, 10, tzinfo=local_tz())
    assert episode.returned_at == returned
    assert episode.where_found == "A friend's flat in Aston"
    assert episode.police_risk == "medium"
    assert episode.interview.due_at == returned + timedelta(hours=72)
    assert Contact.objects.count() == 1
    # The same file again changes nothing.
    imported(RETURNED)
    assert MissingEpisode.objects.count() == 1
    assert ChronologyEntry.objects.filter(child=jo, kind="missing_returned").count() == 1


def test_a_notification_with_the_return_already_in_it(jo):
    imported(RETURNED)
    episode = MissingEpisode.objects.get()
    assert episode.interview.due_at == episode.returned_at + timedelta(hours=72)
    assert episode.interview.status == InterviewStatus.TO_OFFER


def test_a_child_the_police_name_ambiguously_waits_to_be_linked():
    PersonFactory(first_name="Jo", last_name="Price", date_of_birth=date(2010, 2, 1))
    PersonFactory(first_name="Jo", last_name="Price", date_of_birth=date(2010, 2, 1))
    imported(REPORTED)
    episode = MissingEpisode.objects.get()
    assert episode.child is None
    assert episode.given_name == "Jo Price"
    assert episode.given_date_of_birth == date(2010, 2, 1)


def test_each_named_child_gets_an_episode():
    two = HEADER + (
        "WM/9,2025-03-14 19:00,missing,Amy Carter (03/04/2012); Ben Carter (30/09/2013),"
        "Siblings left together.,low,,,,no\n"
    )
    imported(two)
    assert sorted(MissingEpisode.objects.values_list("given_name", flat=True)) == [
        "Amy Carter",
        "Ben Carter",
    ]


def test_an_episode_already_recorded_in_haven_gets_the_police_details(jo):
    from haven.missing.services import EpisodeDetails, episode_record

    recorded = episode_record(
        actor=SYSTEM,
        child=jo,
        details=EpisodeDetails(went_missing_at=datetime(2025, 3, 14, 18, 30, tzinfo=local_tz())),
    )
    imported(RETURNED)
    recorded.refresh_from_db()
    assert MissingEpisode.objects.count() == 1
    assert recorded.police_reference == "WM/2025/0314/77"
    assert recorded.notification is not None
    assert recorded.went_missing_at.hour == 18  # the worker's own time stands
    assert recorded.returned_at is not None


def test_a_bad_risk_grading_makes_the_row_a_bad_row(jo):
    bad = REPORTED.replace(",High,", ",Amber,")
    record = services.police_import(actor=SYSTEM, filename="bad.csv", data=bad.encode())
    problem = record.problems.get()
    assert "not a police risk grading" in problem.reasons[0]
    assert not MissingEpisode.objects.exists()
    assert not Contact.objects.exists()
    # Corrected in the browser, it makes the contact and the episode.
    values = {**problem.raw, "risk_level": "high"}
    services.problem_correct(actor=SYSTEM, problem=problem, values=values)
    assert MissingEpisode.objects.get().police_risk == "high"


def test_other_notifications_make_no_episode():
    other = HEADER + "DA/1,2025-03-14 19:00,domestic abuse,Amy Carter (03/04/2012),Row.,high,,,,\n"
    imported(other)
    assert Contact.objects.count() == 1
    assert not MissingEpisode.objects.exists()


def test_a_child_named_twice_on_one_notification_gets_one_episode():
    twice = HEADER + (
        "WM/10,2025-03-14 19:00,missing,Amy Carter (03/04/2012); Amy  Carter (03/04/2012),"
        "Named twice.,low,,,,no\n"
    )
    imported(twice)
    assert Contact.objects.count() == 1
    assert MissingEpisode.objects.count() == 1
