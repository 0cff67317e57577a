"""The people screens: who may open each, what they show, that every view is audited."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.people import sharing
from haven.people.models import DuplicateCandidate, Person, PersonMerge, Relationship
from haven.people.services import (
    address_add,
    chronology_record,
    person_create,
    relationship_add,
)
from tests.conftest import HavenClient, actor_for
from tests.factories.people import PersonFactory, valid_nhs_number

pytestmark = pytest.mark.django_db

STAFF = [
    Role.REFERRAL_AND_ADVICE_OFFICER,
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.CSE_COORDINATOR,
    Role.MISSING_CHILDREN_WORKER,
    Role.OUT_OF_HOURS_WORKER,
    Role.QUALITY_AUDITOR,
    Role.PERFORMANCE_ANALYST,
    Role.SENIOR_LEADER,
]
RECORDERS = STAFF[:6]


def client_for(user) -> HavenClient:
    client = HavenClient()
    client.force_login(user)
    return client


@pytest.fixture
def family(social_worker):
    actor = actor_for(social_worker)
    child = person_create(
        actor=actor,
        first_name="Maya",
        last_name="Patel",
        date_of_birth=date(2014, 5, 6),
        sex="F",
        ethnicity="AIND",
    )
    brother = person_create(
        actor=actor, first_name="Ravi", last_name="Patel", date_of_birth=date(2011, 2, 1), sex="M"
    )
    mother = person_create(
        actor=actor,
        first_name="Priya",
        last_name="Patel",
        kind="adult",
        date_of_birth=date(1985, 7, 8),
        sex="F",
    )
    relationship_add(actor=actor, person=child, relative=brother, kind="sibling", lives_with=True)
    relationship_add(actor=actor, person=child, relative=mother, kind="parent", lives_with=True)
    address_add(
        actor=actor,
        person=child,
        line_1="12 Canal Street",
        postcode="B12 9QA",
        moved_in=date(2019, 3, 1),
    )
    return child, brother, mother


@pytest.mark.parametrize("role", STAFF)
def test_staff_can_search_and_open_a_childs_page(make_user, family, role):
    user = make_user(role)
    client = client_for(user)
    child = family[0]
    assert client.get(reverse("people:search"), {"q": "maya patel"}).status_code == 200
    response = client.get(child.get_absolute_url())
    assert response.status_code == 200
    assert Event.objects.filter(action=Event.Action.VIEW, actor=user, child_id=child.pk).exists()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.PARTNER])
def test_the_administrator_and_unshared_partners_see_no_one(make_user, family, role):
    client = client_for(make_user(role))
    child = family[0]
    response = client.get(reverse("people:search"), {"q": "maya patel"})
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 403
    else:
        assert "No one matches" in response.content.decode()
    assert client.get(child.get_absolute_url()).status_code in (403, 404)


def test_a_partner_sees_children_shared_with_their_agency(partner, family):
    child = family[0]

    def shared_with(user):
        return Person.objects.filter(pk=child.pk).values("pk")

    sharing.register_share_provider(shared_with)
    try:
        client = client_for(partner)
        assert client.get(child.get_absolute_url()).status_code == 200
        assert client.get(family[1].get_absolute_url()).status_code == 404
    finally:
        sharing.unregister_share_provider(shared_with)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(r, r in RECORDERS) for r in STAFF] + [(Role.ADMINISTRATOR, False), (Role.PARTNER, False)],
)
def test_who_may_add_a_person(make_user, role, allowed):
    response = client_for(make_user(role)).get(reverse("people:create"))
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("role", "allowed"), [(r, r == Role.TEAM_MANAGER) for r in STAFF])
def test_only_team_managers_merge(make_user, role, allowed):
    response = client_for(make_user(role)).get(reverse("people:duplicates"))
    assert response.status_code == (200 if allowed else 403)


def test_the_childs_page_shows_siblings_household_and_chronology(social_worker, family):
    child, _brother, _mother = family
    body = client_for(social_worker).get(child.get_absolute_url()).content.decode()
    assert "Brothers and sisters" in body
    assert "Ravi Patel" in body
    assert "Same household" in body
    assert "Priya Patel" in body
    assert "12 Canal Street" in body
    assert "Record created for Maya Patel" in body
    assert "Ravi Patel recorded as sibling" in body
    assert "Moved to" not in body
    assert "Address recorded:" in body


def test_the_childs_page_shows_the_nhs_number_and_disabilities(social_worker):
    nhs = valid_nhs_number()
    child = person_create(
        actor=actor_for(social_worker),
        first_name="Ola",
        last_name="Adeyemi",
        date_of_birth=date(2013, 9, 2),
        nhs_number=nhs,
        disabilities=["HEAR", "AUT"],
    )
    body = client_for(social_worker).get(child.get_absolute_url()).content.decode()
    details = _summary_values(body)
    assert details["NHS number"] == f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
    assert details["Disabilities"] == "Hearing, Diagnosed with autism or Asperger syndrome"
    assert details["UPN"] == "Not recorded"


def _summary_values(body: str) -> dict[str, str]:
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt>'
        r'<dd class="govuk-summary-list__value">(.*?)</dd>',
        body,
        re.S,
    )
    return {key.strip(): value.strip() for key, value in rows}


def test_the_childs_page_has_a_fixed_number_of_queries(social_worker, family):
    """The query count does not grow with relatives or chronology entries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    child = family[0]
    client = client_for(social_worker)
    client.get(child.get_absolute_url())  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(child.get_absolute_url()).status_code == 200
    actor = actor_for(social_worker)
    for n in range(30):
        chronology_record(
            actor=actor,
            child=child,
            occurred_at=date(2024, 1, 1 + n % 28),
            kind="person_updated",
            summary=f"Entry {n}",
        )
        relationship_add(actor=actor, person=child, relative=PersonFactory(), kind="other")
    with CaptureQueriesContext(connection) as many:
        assert client.get(child.get_absolute_url()).status_code == 200
    assert len(many) == len(few)


def test_chronology_filters_by_kind_and_period_in_the_url(social_worker, family):
    child = family[0]
    actor = actor_for(social_worker)
    chronology_record(
        actor=actor,
        child=child,
        occurred_at=date(2021, 6, 1),
        kind="person_updated",
        summary="Old change",
    )
    url = child.get_absolute_url()
    client = client_for(social_worker)
    only_addresses = client.get(url, {"kind": "address_changed"}).content.decode()
    assert "Address recorded:" in only_addresses
    assert "Record created for Maya" not in only_addresses
    period = client.get(
        url,
        {
            "date_from_day": "1",
            "date_from_month": "1",
            "date_from_year": "2021",
            "date_to_day": "31",
            "date_to_month": "12",
            "date_to_year": "2021",
        },
    ).content.decode()
    assert "Old change" in period
    assert "Record created for Maya" not in period
    bad = client.get(url, {"date_from_day": "40", "date_from_month": "1", "date_from_year": "2021"})
    assert bad.status_code == 200
    assert "From must be a real date" in bad.content.decode()


def test_a_restricted_record_asks_for_a_reason_and_audits_it(social_worker):
    child = person_create(
        actor=actor_for(social_worker),
        first_name="Secret",
        last_name="Child",
        date_of_birth=date(2015, 1, 1),
        is_restricted=True,
    )
    client = client_for(social_worker)
    response = client.get(child.get_absolute_url())
    assert response.status_code == 302
    assert reverse("people:restricted", args=[child.pk]) in response["Location"]
    page = client.get(response["Location"])
    assert "This record is restricted" in page.content.decode()
    short = client.post(reverse("people:restricted", args=[child.pk]), {"reason": "x"})
    assert "at least 10 characters" in short.content.decode()
    opened = client.post(
        reverse("people:restricted", args=[child.pk]),
        {"reason": "Allocated to me for the assessment", "next": child.get_absolute_url()},
    )
    assert opened.status_code == 302
    assert client.get(child.get_absolute_url()).status_code == 200
    assert Event.objects.filter(
        child_id=child.pk, action=Event.Action.VIEW, reason="Allocated to me for the assessment"
    ).exists()


def test_search_shows_reasons_and_an_identifier_opens_the_record(social_worker, family):
    child = family[0]
    client = client_for(social_worker)
    body = client.get(reverse("people:search"), {"q": "maya patell 6/5/2014"}).content.decode()
    assert "Maya Patel" in body
    assert "same date of birth" in body
    response = client.get(reverse("people:search"), {"q": child.la_id})
    assert response.status_code == 302
    assert response["Location"] == child.get_absolute_url()
    assert Event.objects.filter(action=Event.Action.SEARCH, actor=social_worker).count() == 2


def test_creating_someone_who_exists_shows_the_existing_record_first(social_worker, family):
    client = client_for(social_worker)
    form = {
        "kind": "child",
        "first_name": "Maya",
        "last_name": "Patel",
        "date_of_birth_day": "6",
        "date_of_birth_month": "5",
        "date_of_birth_year": "2014",
        "sex": "F",
        "gender": "00",
        "ethnicity": "NOBT",
    }
    response = client.post(reverse("people:create"), form)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Is this person already known?" in body
    assert family[0].la_id in body
    assert Person.objects.filter(first_name="Maya").count() == 1
    confirmed = client.post(reverse("people:create"), {"confirm": "new"})
    assert confirmed.status_code == 302
    assert Person.objects.filter(first_name="Maya").count() == 2


def test_invalid_identifiers_are_refused_with_messages_that_say_what_to_fix(social_worker):
    client = client_for(social_worker)
    response = client.post(
        reverse("people:create"),
        {
            "kind": "child",
            "first_name": "Ada",
            "last_name": "Lovell",
            "sex": "F",
            "gender": "00",
            "ethnicity": "NOBT",
            "nhs_number": "943 476 5918",
            "upn": "A12345678901",
            "date_of_birth_day": "31",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2015",
        },
    )
    body = response.content.decode()
    assert "There is a problem" in body
    assert "NHS number is not valid" in body
    assert "UPN must be a letter, 11 numbers" in body
    assert "Date of birth must be a real date" in body
    assert 'value="Ada"' in body  # what was typed is kept
    assert not Person.objects.filter(first_name="Ada").exists()


def test_a_valid_person_is_created_with_a_generated_la_id(social_worker):
    nhs = valid_nhs_number()
    response = client_for(social_worker).post(
        reverse("people:create"),
        {
            "kind": "child",
            "first_name": "Ada",
            "last_name": "Lovell",
            "sex": "F",
            "gender": "00",
            "ethnicity": "WBRI",
            "nhs_number": nhs,
            "date_of_birth_day": "1",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2015",
            "disabilities": ["COMM", "LD"],
        },
    )
    person = Person.objects.get(first_name="Ada")
    assert response["Location"] == person.get_absolute_url()
    assert person.nhs_number == nhs
    assert person.disabilities == ["COMM", "LD"]
    assert person.la_id.startswith("HV")
    assert len(person.la_id) <= 20


def test_address_postcode_is_checked(social_worker, family):
    child = family[0]
    url = reverse("people:address-add", args=[child.pk])
    response = client_for(social_worker).post(
        url,
        {
            "line_1": "1 Road",
            "postcode": "NOT A CODE",
            "kind": "home",
            "moved_in_day": "1",
            "moved_in_month": "1",
            "moved_in_year": "2024",
        },
    )
    assert "Enter a real postcode, like B12 9QA" in response.content.decode()


def test_adding_a_relationship_writes_both_ways(social_worker, family):
    child, _brother, _ = family
    sister = PersonFactory(first_name="Anika", last_name="Patel", date_of_birth=date(2016, 9, 9))
    client = client_for(social_worker)
    url = reverse("people:relationship-add", args=[child.pk])
    page = client.get(url, {"q": "anika patel"})
    assert "Anika Patel" in page.content.decode()
    response = client.post(
        url, {"q": "anika patel", "relative": sister.pk, "kind": "half_sibling", "lives_with": "on"}
    )
    assert response.status_code == 302
    assert Relationship.objects.filter(person=child, relative=sister, kind="half_sibling").exists()
    assert Relationship.objects.filter(person=sister, relative=child, kind="half_sibling").exists()


def test_a_manager_merges_from_the_duplicates_list_and_undoes_it(team_manager, family):
    child = family[0]
    copy = PersonFactory(first_name="Maya", last_name="Patell", date_of_birth=date(2014, 5, 6))
    pair = DuplicateCandidate.objects.create(person_a=child, person_b=copy, match_probability=0.97)
    client = client_for(team_manager)
    assert "Maya Patell" in client.get(reverse("people:duplicates")).content.decode()
    compare_url = f"{reverse('people:compare')}?pair={pair.pk}"
    assert "Are these the same person?" in client.get(compare_url).content.decode()
    response = client.post(
        compare_url, {"keep": str(child.pk), "reason": "Same child, surname misspelt at contact"}
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.merged_into == child
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.MERGED
    # The merged record's address opens the kept one.
    assert client.get(copy.get_absolute_url())["Location"] == child.get_absolute_url()
    merge = PersonMerge.objects.get()
    undo = client.post(
        reverse("people:merge-undo", args=[merge.pk]), {"reason": "Merged in error: twins"}
    )
    assert undo.status_code == 302
    copy.refresh_from_db()
    assert copy.merged_into is None


def test_marking_a_pair_as_different_people(team_manager, family):
    pair = DuplicateCandidate.objects.create(
        person_a=family[0], person_b=family[1], match_probability=0.91
    )
    response = client_for(team_manager).post(reverse("people:not-duplicate", args=[pair.pk]))
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.NOT_DUPLICATE


def test_the_home_page_offers_the_search_box(social_worker, administrator):
    assert "Find a person" in client_for(social_worker).get("/").content.decode()
    assert "Find a person" not in client_for(administrator).get("/").content.decode()


def _queries(client, url, params=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_search_results_take_the_same_queries_however_many_match(social_worker):
    client = client_for(social_worker)
    for n in range(2):
        PersonFactory(first_name="Tariq", last_name="Hussain", date_of_birth=date(2010, 1, 1 + n))
    client.get(reverse("people:search"), {"q": "tariq hussain"})
    few = _queries(client, reverse("people:search"), {"q": "tariq hussain"})
    for n in range(18):
        PersonFactory(first_name="Tariq", last_name="Hussain", date_of_birth=date(2011, 1, 1 + n))
    many = _queries(client, reverse("people:search"), {"q": "tariq hussain"})
    assert many == few


def test_the_duplicates_list_takes_the_same_queries_however_long(team_manager):
    client = client_for(team_manager)
    for _ in range(2):
        DuplicateCandidate.objects.create(
            person_a=PersonFactory(), person_b=PersonFactory(), match_probability=0.9
        )
    client.get(reverse("people:duplicates"))
    few = _queries(client, reverse("people:duplicates"))
    for _ in range(20):
        DuplicateCandidate.objects.create(
            person_a=PersonFactory(), person_b=PersonFactory(), match_probability=0.9
        )
    assert _queries(client, reverse("people:duplicates")) == few


def test_other_apps_add_alerts_to_the_person_header(social_worker, family):
    from haven.people import alerts

    child = family[0]

    def on_a_plan(person):
        return [alerts.Alert("Child protection plan", "red", order=5)] if person == child else []

    alerts.register(on_a_plan)
    try:
        body = client_for(social_worker).get(child.get_absolute_url()).content.decode()
    finally:
        alerts._providers.remove(on_a_plan)
    assert "Child protection plan" in body


@pytest.fixture
def restricted_child(social_worker):
    return person_create(
        actor=actor_for(social_worker),
        first_name="Hidden",
        last_name="Child",
        date_of_birth=date(2016, 3, 14),
        nhs_number=valid_nhs_number(),
        is_restricted=True,
    )


def _give_reason(client, person) -> None:
    response = client.post(
        reverse("people:restricted", args=[person.pk]),
        {"reason": "Checking a possible duplicate record"},
    )
    assert response.status_code == 302


def test_comparing_a_restricted_record_asks_for_the_reason_first(team_manager, restricted_child):
    other = PersonFactory(first_name="Hidden", last_name="Childe")
    client = client_for(team_manager)
    compare_url = f"{reverse('people:compare')}?a={other.pk}&b={restricted_child.pk}"
    response = client.get(compare_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:restricted", args=[restricted_child.pk]))
    assert not Event.objects.filter(child_id=restricted_child.pk, detail__page="compare").exists()
    # The reason page brings the manager back to the comparison, both records intact.
    page = client.get(response["Location"])
    assert f'value="{compare_url}"' in page.content.decode().replace("&amp;", "&")
    pair = DuplicateCandidate.objects.create(
        person_a=other, person_b=restricted_child, match_probability=0.9
    )
    assert client.get(f"{reverse('people:compare')}?pair={pair.pk}").status_code == 302
    _give_reason(client, restricted_child)
    body = client.get(compare_url).content.decode()
    assert "Are these the same person?" in body
    assert "14 March 2016" in body


def test_undoing_a_merge_into_a_restricted_record_asks_for_the_reason(
    team_manager, restricted_child
):
    from haven.people.services import person_merge

    copy = PersonFactory(first_name="Hidden", last_name="Childe")
    merge = person_merge(
        actor=actor_for(team_manager),
        kept=restricted_child,
        duplicate=copy,
        reason="Same child recorded twice at the front door",
    )
    client = client_for(team_manager)
    url = reverse("people:merge-undo", args=[merge.pk])
    assert client.get(url).status_code == 302
    assert client.post(url, {"reason": "Merged in error: different children"}).status_code == 302
    assert PersonMerge.objects.get().undone_at is None
    _give_reason(client, restricted_child)
    assert "Undo the merge" in client.get(url).content.decode()


def test_lists_hide_a_restricted_persons_date_of_birth(
    social_worker, team_manager, family, restricted_child
):
    child = family[0]
    relationship_add(
        actor=actor_for(social_worker), person=child, relative=restricted_child, kind="sibling"
    )
    body = client_for(social_worker).get(child.get_absolute_url()).content.decode()
    siblings = body.split('id="siblings"')[1].split("</ul>")[0]
    assert "Hidden Child" in siblings
    assert "14 Mar 2016" not in siblings
    assert "born 1 Feb 2011" in siblings  # the unrestricted brother keeps his
    DuplicateCandidate.objects.create(
        person_a=child, person_b=restricted_child, match_probability=0.8
    )
    listed = client_for(team_manager).get(reverse("people:duplicates")).content.decode()
    assert "Hidden Child" in listed
    assert "14 Mar 2016" not in listed
    assert "restricted record" in listed
    assert "born 6 May 2014" in listed


def _views_of(person, page: str) -> int:
    return Event.objects.filter(
        action=Event.Action.VIEW, child_id=person.pk, detail__page=page
    ).count()


def test_every_page_showing_a_person_is_audited(team_manager, family):
    child, brother, _mother = family
    client = client_for(team_manager)
    relationship = Relationship.objects.get(person=child, relative=brother)
    pages = {
        "merge-with": reverse("people:merge-with", args=[child.pk]),
        "relationship-end": reverse("people:relationship-end", args=[child.pk, relationship.pk]),
        "relationship": reverse("people:relationship-add", args=[child.pk]),
        "edit": reverse("people:edit", args=[child.pk]),
        "address": reverse("people:address-add", args=[child.pk]),
    }
    for page, url in pages.items():
        assert client.get(url).status_code == 200, page
        assert _views_of(child, page) == 1, page


def test_a_failed_form_shown_again_is_audited(social_worker, family):
    child = family[0]
    client = client_for(social_worker)
    edit = client.post(reverse("people:edit", args=[child.pk]), {"first_name": ""})
    assert edit.status_code == 200
    assert _views_of(child, "edit") == 1
    address = client.post(
        reverse("people:address-add", args=[child.pk]), {"line_1": "", "postcode": "nonsense"}
    )
    assert address.status_code == 200
    assert _views_of(child, "address") == 1


def test_a_saved_form_records_the_change_not_a_view(social_worker, family):
    child = family[0]
    response = client_for(social_worker).post(
        reverse("people:address-add", args=[child.pk]),
        {
            "line_1": "3 Mill Lane",
            "postcode": "B12 9QA",
            "kind": "home",
            "moved_in_day": "1",
            "moved_in_month": "1",
            "moved_in_year": "2024",
        },
    )
    assert response.status_code == 302
    assert _views_of(child, "address") == 0


def test_searching_for_a_relative_is_audited(social_worker, family):
    child, brother, _mother = family
    client_for(social_worker).get(
        reverse("people:relationship-add", args=[child.pk]), {"q": "ravi patel"}
    )
    search = Event.objects.get(action=Event.Action.SEARCH, actor=social_worker)
    assert search.child_id == child.pk
    assert search.detail["query"] == "ravi patel"
    assert brother.pk in search.detail["results"]


def test_the_undo_merge_page_is_audited_for_both_records(team_manager, family):
    from haven.people.services import person_merge

    child = family[0]
    copy = PersonFactory(first_name="Maya", last_name="Patell")
    merge = person_merge(
        actor=actor_for(team_manager), kept=child, duplicate=copy, reason="Same child twice over"
    )
    client_for(team_manager).get(reverse("people:merge-undo", args=[merge.pk]))
    assert _views_of(child, "merge-undo") == 1
    assert _views_of(copy, "merge-undo") == 1


def test_another_name_is_added_listed_and_searchable(social_worker, family):
    child = family[0]
    client = client_for(social_worker)
    url = reverse("people:name-add", args=[child.pk])
    page = client.get(url).content.decode()
    assert "Add another name for Maya Patel" in page
    assert _views_of(child, "name") == 1
    missing = client.post(url, {"kind": "previous", "first_name": "Maya"})
    assert "Enter the last name" in missing.content.decode()
    response = client.post(
        url,
        {
            "kind": "previous",
            "first_name": "Maya",
            "last_name": "Okonkwo",
            "used_until_day": "31",
            "used_until_month": "8",
            "used_until_year": "2020",
        },
    )
    assert response.status_code == 302
    details = _summary_values(client.get(child.get_absolute_url()).content.decode())
    assert details["Other names"] == "Maya Okonkwo (previous name, until 31 Aug 2020)"
    assert Event.objects.filter(
        action=Event.Action.CREATE, child_id=child.pk, object_type="people.personname"
    ).exists()
    assert child.chronology.filter(summary__startswith="Other name recorded: Maya Okonkwo").exists()
    found = client.get(reverse("people:search"), {"q": "maya okonkwo"}).content.decode()
    assert child.get_absolute_url() in found


def test_only_those_who_change_records_add_names(make_user, family):
    url = reverse("people:name-add", args=[family[0].pk])
    assert client_for(make_user(Role.SENIOR_LEADER)).get(url).status_code == 403
