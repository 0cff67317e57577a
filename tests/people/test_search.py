"""Search and matching: forgiving on names and dates, exact on identifiers, scoped to the user."""

from __future__ import annotations

from datetime import date

import pytest

from haven.people import matching
from haven.people.selectors import person_search
from haven.people.services import address_add, person_create, person_name_add
from tests.conftest import actor_for
from tests.factories.people import PersonFactory, valid_nhs_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def john(social_worker):
    return person_create(
        actor=actor_for(social_worker),
        first_name="John",
        last_name="Smith",
        date_of_birth=date(2012, 4, 3),
        sex="M",
    )


@pytest.fixture
def crowd():
    # Others who share parts of John's details, so ranking matters.
    return [
        PersonFactory(first_name="Joan", last_name="Smith", date_of_birth=date(2012, 4, 3)),
        PersonFactory(first_name="John", last_name="Smith", date_of_birth=date(2009, 11, 20)),
        PersonFactory(first_name="Jonah", last_name="Smythe", date_of_birth=date(2012, 5, 3)),
        PersonFactory(first_name="Amir", last_name="Khan", date_of_birth=date(2012, 4, 3)),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "jon smyth 3/4/2012",
        "John Smith 03-04-12",
        "john smith 3 April 2012",
        "Smith John 3/4/2012",
        "Smith, John 2012-04-03",
        "jhon smith 4/3/2012",
        "johnny smith 3rd april 2012",
    ],
)
def test_the_right_person_comes_first(social_worker, john, crowd, query):
    results = person_search(user=social_worker, query=query)
    assert results[0].person == john, [(m.person.full_name, m.score, m.reasons) for m in results]


def test_reasons_are_said_in_words(social_worker, john, crowd):
    best = person_search(user=social_worker, query="jon smyth 3/4/2012")[0]
    assert "same date of birth" in best.reasons
    assert "surname sounds the same" in best.reasons
    assert best.score > 0.85

    swapped = person_search(user=social_worker, query="Smith John 4/3/2012")[0]
    assert swapped.person == john
    assert "first and last names swapped" in swapped.reasons
    assert "date of birth with day and month swapped" in swapped.reasons


def test_nicknames_accents_and_hyphens(social_worker):
    william = PersonFactory(first_name="William", last_name="Brown", date_of_birth=date(2015, 1, 9))
    kate = PersonFactory(
        first_name="Catherine", last_name="Ó Súilleabháin", date_of_birth=date(2011, 6, 30)
    )
    zoe = PersonFactory(first_name="Zoë", last_name="Ashby-Clarke", date_of_birth=date(2016, 2, 2))
    PersonFactory(first_name="Bill", last_name="Braun", date_of_birth=date(1980, 1, 9))

    bill = person_search(user=social_worker, query="Bill Brown 9/1/2015")[0]
    assert bill.person == william
    assert "nickname of William" in bill.reasons
    assert person_search(user=social_worker, query="kate o suilleabhain")[0].person == kate
    hyphen = person_search(user=social_worker, query="zoe clarke 2/2/2016")[0]
    assert hyphen.person == zoe
    assert "part of a hyphenated surname" in hyphen.reasons


def test_identifiers_find_exactly(social_worker, john):
    nhs = valid_nhs_number()
    child = PersonFactory(first_name="Ada", last_name="Lovell", nhs_number=nhs)
    spaced = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
    assert [m.person for m in person_search(user=social_worker, query=spaced)] == [child]
    assert person_search(user=social_worker, query=spaced)[0].reasons == ["same NHS number"]
    assert [m.person for m in person_search(user=social_worker, query=john.la_id)] == [john]


def test_postcode_and_previous_names(social_worker, john):
    address_add(
        actor=actor_for(social_worker),
        person=john,
        line_1="4 Quay Street",
        postcode="b129qa",
        moved_in=date(2020, 1, 1),
    )
    found = person_search(user=social_worker, query="B12 9QA")
    assert [m.person for m in found] == [john]
    assert found[0].reasons == ["same postcode"]
    person_name_add(
        actor=actor_for(social_worker), person=john, first_name="John", last_name="Okonkwo"
    )
    by_old = person_search(user=social_worker, query="john okonkwo 3/4/2012")[0]
    assert by_old.person == john
    assert "same surname (a previous name)" in by_old.reasons


def test_search_is_scoped_to_the_user(administrator, partner, john):
    assert person_search(user=administrator, query="john smith") == []
    assert person_search(user=partner, query="john smith") == []


def test_unreadable_parts_are_reported():
    parsed = matching.parse_query("john smith 31/2/2012 12345")
    assert parsed.names == ["john", "smith"]
    assert parsed.dates == []
    assert any("is not a real date" in problem for problem in parsed.problems)
    assert any("12345" in problem for problem in parsed.problems)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3/4/2012", [date(2012, 4, 3)]),
        ("03-04-12", [date(2012, 4, 3)]),
        ("3.4.2012", [date(2012, 4, 3)]),
        ("3 April 2012", [date(2012, 4, 3)]),
        ("3rd Apr 12", [date(2012, 4, 3)]),
        ("2012-04-03", [date(2012, 4, 3)]),
        ("4/23/2012", [date(2012, 4, 23)]),
        ("12/12/1999", [date(1999, 12, 12)]),
    ],
)
def test_dates_in_common_uk_forms(typed, expected):
    assert matching.parse_query(typed).dates == expected
