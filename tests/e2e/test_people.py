"""People journeys in the browser: search, create with a duplicate warning, the child's page,
a restricted record, linking a relative, recording an address, merging and undoing a merge.
Every page visited is checked with axe."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from haven.accounts.roles import Role
from haven.audit.models import Event
from haven.people.models import DuplicateCandidate, Person, PersonMerge
from haven.people.services import address_add, person_create, relationship_add
from tests.conftest import actor_for
from tests.e2e.conftest import axe_check
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def smiths(make_user: Any) -> dict[str, Any]:
    worker = make_user(Role.SOCIAL_WORKER, email="sam.e2e@example.test", full_name="Sam Okafor")
    actor = actor_for(worker)
    john = person_create(
        actor=actor,
        first_name="John",
        last_name="Smith",
        date_of_birth=date(2012, 4, 3),
        sex="M",
        ethnicity="WBRI",
    )
    lily = person_create(
        actor=actor,
        first_name="Lily",
        last_name="Smith",
        date_of_birth=date(2015, 9, 1),
        sex="F",
        ethnicity="WBRI",
    )
    mum = person_create(
        actor=actor,
        first_name="Karen",
        last_name="Smith",
        kind="adult",
        date_of_birth=date(1984, 2, 2),
        sex="F",
    )
    relationship_add(actor=actor, person=john, relative=lily, kind="sibling", lives_with=True)
    relationship_add(actor=actor, person=john, relative=mum, kind="parent", lives_with=True)
    address_add(
        actor=actor,
        person=john,
        line_1="7 Canal Street",
        postcode="HV3 2AB",
        moved_in=date(2020, 5, 1),
    )
    PersonFactory(first_name="Joan", last_name="Smith", date_of_birth=date(2012, 4, 3))
    PersonFactory(first_name="John", last_name="Smithson", date_of_birth=date(2001, 1, 1))
    return {"worker": worker, "john": john, "lily": lily, "mum": mum}


def test_search_from_the_home_page_to_the_childs_page(
    page: Any, sign_in: Any, smiths: dict[str, Any]
) -> None:
    worker, john = smiths["worker"], smiths["john"]
    sign_in(worker)
    page.goto("/")
    axe_check(page)
    page.get_by_label("Name, date of birth, postcode, NHS number or LA ID").fill(
        "jon smyth 3/4/2012"
    )
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Find a person")).to_be_visible()
    axe_check(page)
    first_row = page.locator("#search-results tbody tr").first
    expect(first_row).to_contain_text("John Smith")
    expect(first_row).to_contain_text("same date of birth")
    expect(first_row).to_contain_text("Strong match")

    first_row.get_by_role("link", name="John Smith").click()
    expect(page.get_by_role("heading", name="John Smith", level=1)).to_be_visible()
    axe_check(page)
    expect(page.locator(".moj-identity-bar")).to_contain_text(john.la_id)
    expect(page.locator("#siblings + ul")).to_contain_text("Lily Smith")
    expect(page.locator("#relationships")).to_contain_text("Karen Smith")
    expect(page.locator(".moj-timeline")).to_contain_text("Record created for John Smith")
    expect(page.locator(".moj-timeline")).to_contain_text("Lily Smith recorded as sibling")

    page.get_by_label("Address changed").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"kind=address_changed"))
    axe_check(page)
    expect(page.locator(".moj-timeline")).to_contain_text("Address recorded: 7 Canal Street")
    expect(page.locator(".moj-timeline")).not_to_contain_text("Record created for John")

    # Every view of the page is in the audit log.
    assert (
        Event.objects.filter(action=Event.Action.VIEW, actor=worker, child_id=john.pk).count() >= 2
    )
    assert Event.objects.filter(action=Event.Action.SEARCH, actor=worker).exists()


def test_creating_a_child_who_exists_shows_the_existing_record_first(
    page: Any, sign_in: Any, smiths: dict[str, Any]
) -> None:
    sign_in(smiths["worker"])
    page.goto("/people/new/")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the first name")
    expect(summary).to_contain_text("Enter the last name")
    assert page.title().startswith("Error: ")
    axe_check(page)

    page.get_by_label("Child", exact=True).check()
    page.get_by_label("First name").fill("Jon")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_label("Day").first.fill("3")
    page.get_by_label("Month").first.fill("4")
    page.get_by_label("Year").first.fill("2012")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("NHS number").fill("943 476 5918")
    page.get_by_role("button", name="Save").click()
    expect(summary).to_contain_text("NHS number is not valid")
    expect(page.get_by_label("First name")).to_have_value("Jon")
    axe_check(page)

    page.get_by_label("NHS number").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Is this person already known?")).to_be_visible()
    axe_check(page)
    expect(page.locator("#likely-matches tbody tr").first).to_contain_text("John Smith")
    expect(page.locator("#likely-matches")).to_contain_text(smiths["john"].la_id)

    page.get_by_role("button", name="None of these: create a new record").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Record created for Jon Smith"
    )
    axe_check(page)
    assert Person.objects.filter(first_name="Jon", last_name="Smith").count() == 1


def test_a_restricted_record_interrupts_and_asks_for_a_reason(
    page: Any, sign_in: Any, smiths: dict[str, Any]
) -> None:
    worker = smiths["worker"]
    secret = person_create(
        actor=actor_for(worker),
        first_name="Robin",
        last_name="Vale",
        date_of_birth=date(2013, 3, 3),
        is_restricted=True,
    )
    sign_in(worker)
    page.goto(f"/people/{secret.pk}/")
    expect(page.get_by_role("heading", name="This record is restricted")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Open the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you need to open this record"
    )
    axe_check(page)
    page.get_by_label("Why do you need to open this record?").fill(
        "Strategy discussion this afternoon"
    )
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", name="Robin Vale", level=1)).to_be_visible()
    expect(page.locator(".moj-identity-bar")).to_contain_text("Restricted")
    axe_check(page)
    assert Event.objects.filter(
        child_id=secret.pk, reason="Strategy discussion this afternoon"
    ).exists()


def test_linking_a_relative_and_recording_a_new_address(
    page: Any, sign_in: Any, smiths: dict[str, Any]
) -> None:
    john = smiths["john"]
    PersonFactory(first_name="Grace", last_name="Smith", date_of_birth=date(2018, 7, 7))
    sign_in(smiths["worker"])
    page.goto(f"/people/{john.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Add a relative or household member").click()
    axe_check(page)
    page.get_by_label("Find the person").fill("grace smith 7/7/2018")
    page.get_by_role("button", name="Find").click()
    axe_check(page)
    page.get_by_label(re.compile("Grace Smith, born 7 July 2018")).check()
    page.get_by_label("They are this person's").select_option("half_sibling")
    page.get_by_label("They live in the same household").check()
    page.get_by_role("button", name="Add relationship").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Grace Smith linked")
    expect(page.locator("#siblings + ul")).to_contain_text("Grace Smith")
    axe_check(page)

    page.get_by_role("link", name="Record a new address").click()
    axe_check(page)
    page.get_by_label("Address line 1").fill("2 Mill Lane")
    page.get_by_label("Postcode").fill("nowhere")
    page.get_by_role("button", name="Save address").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real postcode")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date they moved in")
    axe_check(page)
    page.get_by_label("Postcode").fill("hv4 9zz")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Save address").click()
    expect(page.locator("#addresses")).to_contain_text("2 Mill Lane")
    expect(page.locator("#addresses")).to_contain_text("HV4 9ZZ")
    axe_check(page)


def test_a_manager_merges_a_duplicate_and_undoes_it(
    page: Any, sign_in: Any, make_user: Any, smiths: dict[str, Any]
) -> None:
    manager = make_user(
        Role.TEAM_MANAGER, email="morgan.e2e@example.test", full_name="Morgan Price"
    )
    john = smiths["john"]
    copy = person_create(
        actor=actor_for(manager),
        first_name="Jonny",
        last_name="Smyth",
        date_of_birth=date(2012, 3, 4),
    )
    DuplicateCandidate.objects.create(person_a=john, person_b=copy, match_probability=0.98)
    sign_in(manager)
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Possible duplicates").click()
    expect(page.get_by_role("heading", name="Possible duplicate records")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile("Compare")).click()
    expect(page.get_by_role("heading", name="Are these the same person?")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Merge records").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the record to keep")
    axe_check(page)
    page.get_by_label(f"Keep John Smith, LA ID {john.la_id}").check()
    page.get_by_label("Why are these the same person?").fill(
        "Same child: nickname and date typed the American way at the contact"
    )
    page.get_by_role("button", name="Merge records").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Record {copy.la_id} merged into {john.la_id}"
    )
    expect(page.locator(".moj-timeline")).to_contain_text("merged into this one")
    axe_check(page)
    assert Person.objects.get(pk=copy.pk).merged_into_id == john.pk

    page.get_by_role("link", name=re.compile("Undo this merge")).click()
    axe_check(page)
    page.get_by_label("Why should this merge be undone?").fill("Twins, not the same child")
    page.get_by_role("button", name="Undo merge").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Merge undone")
    axe_check(page)
    assert Person.objects.get(pk=copy.pk).merged_into_id is None
    assert PersonMerge.objects.get().undone_by == manager


def test_adding_a_previous_name_that_search_then_finds(
    page: Any, sign_in: Any, smiths: dict[str, Any]
) -> None:
    john = smiths["john"]
    sign_in(smiths["worker"])
    page.goto(f"/people/{john.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Add another name (previous name or alias)").click()
    expect(page.get_by_role("heading", name="Add another name for John Smith")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Save name").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the last name")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what kind of name")
    axe_check(page)
    page.get_by_label("Previous name").check()
    page.get_by_label("First name (optional)").fill("Johnny")
    page.get_by_label("Last name").fill("Kowalczyk")
    page.get_by_role("button", name="Save name").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Johnny Kowalczyk")
    expect(page.locator("#details")).to_contain_text("Johnny Kowalczyk (previous name)")
    axe_check(page)
    page.goto("/people/?q=johnny+kowalczyk")
    expect(page.locator("#search-results")).to_contain_text("John Smith")
    axe_check(page)
