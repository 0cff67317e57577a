"""The management information: for a chosen quarter, the three interview shares (per child),
the same by episode, wards, schools, CSE risk and repeat-missing children; each number's
list of children is the number; the page and its lists in the browser, audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from haven.audit.models import Event
from haven.core.calendar import local_tz
from haven.missing import information
from haven.missing.information import Period
from haven.people.models import Person
from tests.conftest import HavenClient
from tests.factories.exploitation import completed_screening
from tests.factories.missing import MissingEpisodeFactory, interview_stage
from tests.factories.people import AddressFactory, PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 4, 15, 10, 0, tzinfo=local_tz())
QUARTER = Period(date(2026, 1, 1), date(2026, 3, 31))


def at(day: int, month: int = 2, hour: int = 18) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=local_tz())


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def episode(child: Person | None, start: datetime, *, back_after: float | None = 12, **kwargs):
    returned = start + timedelta(hours=back_after) if back_after is not None else None
    return MissingEpisodeFactory(child=child, went_missing_at=start, returned_at=returned, **kwargs)


@pytest.fixture
def quarter(missing_worker) -> dict[str, Person]:
    """Six children: A (interview within 72 hours, on file), B (twice: not offered, then
    declined), C (three times, one interview late), D (still missing), E (missing only the
    quarter before), F (came back, never offered); and one episode not linked to a child."""
    school_1 = SchoolFactory(name="Harbour Academy")
    school_2 = SchoolFactory(name="Canal Primary")
    names = "ABCDEF"
    kids = {
        n: PersonFactory(first_name=f"Child{n}", last_name="Test", school=school)
        for n, school in zip(names, [school_1, school_2, school_1, None, None, None], strict=True)
    }
    for n in "ABF":
        AddressFactory(
            person=kids[n], ward_code="E05000001", ward_name="Ladywood", moved_in=date(2020, 1, 1)
        )
    AddressFactory(
        person=kids["C"],
        ward_code="E05000003",
        ward_name="Aston",
        moved_in=date(2019, 1, 1),
        moved_out=date(2026, 2, 10),
    )
    AddressFactory(
        person=kids["C"], ward_code="E05000002", ward_name="Nechells", moved_in=date(2026, 2, 10)
    )

    a = episode(kids["A"], at(3))
    interview_stage(
        a,
        offered_after_hours=2,
        accepted=True,
        done_after_hours=20,
        on_file=True,
        by=missing_worker,
    )
    episode(kids["B"], at(5))
    b2 = episode(kids["B"], at(20))
    interview_stage(b2, offered_after_hours=5, accepted=False, by=missing_worker)
    episode(kids["C"], at(1))  # in Aston: before the move
    c2 = episode(kids["C"], at(14))
    interview_stage(c2, done_after_hours=80, by=missing_worker)
    episode(kids["C"], at(25))
    episode(kids["D"], at(28, 3), back_after=None)
    episode(kids["E"], at(20, 12).replace(year=2025))
    episode(kids["F"], at(10, 3))
    episode(None, at(12), given_name="Unknown Child")
    completed_screening(kids["A"], "serious-risk", date(2026, 3, 1))
    completed_screening(kids["C"], "significant-risk", date(2026, 1, 5))
    completed_screening(kids["B"], "at-risk", date(2026, 4, 2))  # after the quarter
    return kids


def test_the_three_shares_count_children(analyst, quarter):
    data = information.load(user=analyst, period=QUARTER)
    figures = information.figures(data=data)
    assert figures.counts["went_missing"] == 5
    assert figures.counts["returned"] == 4
    assert figures.counts["still_missing"] == 1
    assert figures.counts["not_offered"] == 1
    shares = {row.measure.key: row for row in figures.shares}
    assert (shares["offered"].children, shares["offered"].of_returned) == (3, 0.75)
    assert (shares["within_72_hours"].children, shares["within_72_hours"].of_returned) == (1, 0.25)
    assert shares["within_72_hours"].of_offered == pytest.approx(1 / 3)
    assert (shares["on_file"].children, shares["on_file"].of_returned) == (1, 0.25)
    assert data.unlinked_episodes == 1


def test_the_same_by_episode(analyst, quarter):
    figures = information.figures(data=information.load(user=analyst, period=QUARTER))
    rows = {row.measure.key: (row.episodes, row.children) for row in figures.episode_rows}
    assert rows["episodes_returned"] == (7, 4)
    assert rows["episodes_offered"] == (3, 3)
    assert rows["episodes_declined"] == (1, 1)
    assert rows["episodes_done"] == (2, 2)
    assert rows["episodes_in_time"] == (1, 1)
    assert rows["episodes_late"] == (1, 1)
    assert rows["episodes_on_file"] == (1, 1)


def test_wards_are_where_the_child_lived_when_they_went_missing(analyst, quarter):
    figures = information.figures(data=information.load(user=analyst, period=QUARTER))
    wards = {row.label: (row.episodes, row.children) for row in figures.wards}
    assert wards == {
        "Ladywood": (4, 3),
        "Nechells": (2, 1),
        "Aston": (1, 1),
        "Not known or outside the area": (1, 1),
    }
    assert figures.wards[-1].key == information.NOT_KNOWN


def test_schools_risk_and_repeat_missing(analyst, quarter):
    figures = information.figures(data=information.load(user=analyst, period=QUARTER))
    schools = {row.label: (row.episodes, row.children) for row in figures.schools}
    assert schools == {
        "Harbour Academy": (4, 2),
        "Canal Primary": (2, 1),
        "No school recorded": (2, 2),
    }
    risk = {row.label: row.children for row in figures.risk}
    assert risk == {
        "Serious risk": 1,
        "Significant risk": 1,
        "At risk": 0,
        "No current risk": 0,
        "Not screened": 3,
    }
    assert [row.label for row in figures.risk][:2] == ["Serious risk", "Significant risk"]
    assert figures.repeat_children == 1
    assert {row.label: row.children for row in figures.repeat} == {
        "1": 3,
        "2": 1,
        "3": 1,
        "4": 0,
        "5 or more": 0,
    }
    assert information.figures(data=figures.data, repeat_threshold=2).repeat_children == 2


@pytest.mark.parametrize(
    ("measure", "key", "expected"),
    [
        ("returned", "", "ABCF"),
        ("still_missing", "", "D"),
        ("offered", "", "ABC"),
        ("not_offered", "", "F"),
        ("within_72_hours", "", "A"),
        ("on_file", "", "A"),
        ("episodes_late", "", "C"),
        ("episodes_declined", "", "B"),
        ("repeat", "", "C"),
        ("episodes", "2", "B"),
        ("school", information.NOT_KNOWN, "DF"),
        ("risk", information.NOT_KNOWN, "BDF"),
    ],
)
def test_each_number_opens_exactly_its_children(analyst, quarter, measure, key, expected):
    data = information.load(user=analyst, period=QUARTER)
    drill = information.children_for(data=data, measure=measure, key=key)
    names = {quarter[n].pk: n for n in quarter}
    assert "".join(sorted(names[i] for i in drill.child_ids)) == expected


def test_a_ward_list_shows_the_episodes_in_that_ward(analyst, quarter):
    data = information.load(user=analyst, period=QUARTER)
    drill = information.children_for(data=data, measure="ward", key="E05000003")
    assert drill.child_ids == [quarter["C"].pk]
    assert len(drill.episodes[quarter["C"].pk]) == 1
    assert drill.title == "Children who went missing from Aston"


def test_every_group_list_matches_its_count(analyst, quarter):
    figures = information.figures(data=information.load(user=analyst, period=QUARTER))
    for measure, rows in (
        ("ward", figures.wards),
        ("school", figures.schools),
        ("risk", figures.risk),
        ("episodes", figures.repeat),
    ):
        for row in rows:
            drill = information.children_for(data=figures.data, measure=measure, key=row.key)
            assert len(drill.child_ids) == row.children, (measure, row.label)


def test_an_unknown_figure_is_refused(analyst, quarter):
    data = information.load(user=analyst, period=QUARTER)
    with pytest.raises(information.UnknownMeasureError):
        information.children_for(data=data, measure="nonsense")
    with pytest.raises(information.UnknownMeasureError):
        information.children_for(data=data, measure="episodes", key="9")


def test_quarters():
    assert Period.quarter_of(date(2026, 11, 3)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert Period.quarter_of(date(2026, 2, 28)) == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert Period.last_complete_quarter(date(2026, 4, 15)) == QUARTER
    assert [p.date_from for p in QUARTER.previous_quarters(3)] == [
        date(2026, 1, 1),
        date(2025, 10, 1),
        date(2025, 7, 1),
    ]


def _query(period: Period, **extra: str) -> str:
    from haven.missing.forms import InformationForm

    return InformationForm.query(period, 3) + "".join(f"&{k}={v}" for k, v in extra.items())


def test_the_page_for_a_chosen_quarter_links_each_share_to_its_children(analyst, quarter):
    client = HavenClient()
    client.force_login(analyst)
    page = client.get(f"{reverse('missing:information')}?{_query(QUARTER)}").content.decode()
    assert "1 January 2026 to 31 March 2026" in page
    assert 'data-share="offered">75%' in page
    assert 'data-share="within_72_hours">25%' in page
    assert 'data-share="on_file">25%' in page
    assert "measure=within_72_hours" in page
    assert 'class="haven-chart' in page
    drill = client.get(
        f"{reverse('missing:information-children')}?{_query(QUARTER, measure='within_72_hours')}"
    )
    text = drill.content.decode()
    assert "ChildA Test" in text
    assert "ChildC Test" not in text
    assert "25% of the" in text
    assert "measure=returned" in text
    event = Event.objects.get(action="search", detail__page="missing-information-children")
    assert event.detail["children"] == [quarter["A"].pk]
    assert event.detail["measure"] == "within_72_hours"


def test_the_page_defaults_to_the_last_complete_quarter_and_refuses_a_backwards_period(
    analyst, quarter
):
    client = HavenClient()
    client.force_login(analyst)
    page = client.get(reverse("missing:information")).content.decode()
    assert "1 January 2026 to 31 March 2026" in page
    bad = client.get(
        reverse("missing:information"),
        {
            "date_from_day": "1",
            "date_from_month": "3",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "1",
            "date_to_year": "2026",
        },
    ).content.decode()
    assert "The last day must be the same as or after the first" in bad
    missing = client.get(reverse("missing:information-children"), {"measure": "offered"})
    assert missing.status_code == 404
    unknown = client.get(
        f"{reverse('missing:information-children')}?{_query(QUARTER, measure='x')}"
    )
    assert unknown.status_code == 404
