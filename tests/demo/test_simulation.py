"""The simulator: deterministic for a seed, skips what it has made, plants near-duplicates
that search and the duplicate finder are then tested on."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from haven.audit.models import Event
from haven.demo import rates
from haven.demo.city import build_city
from haven.demo.models import PlantedDuplicate, SimulationRun
from haven.demo.simulation import PROFILES, ReportingYear, period_years, simulate
from haven.people import identifiers
from haven.people.models import Address, ChronologyEntry, Person, Relationship, SearchKey, Ward

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 15)
# Other modules add their own generators; these tests are about the people generator.
PEOPLE = ("people",)


def snapshot() -> list[tuple]:
    return list(
        Person.objects.order_by("pk").values_list(
            "la_id", "first_name", "last_name", "date_of_birth", "nhs_number", "ethnicity"
        )
    )


def test_reporting_years_run_april_to_march():
    assert ReportingYear.containing(date(2026, 1, 15)).label == "2025-26"
    assert ReportingYear.containing(date(2026, 4, 1)).label == "2026-27"
    assert [y.label for y in period_years(3, today=TODAY)] == ["2023-24", "2024-25", "2025-26"]


def test_the_city_is_the_same_for_a_seed_and_uses_no_real_postcodes():
    first = build_city(seed=3, profile=PROFILES["small"])
    again = build_city(seed=3, profile=PROFILES["small"])
    assert first == again
    assert len(first.wards) == 20
    assert all(
        p.startswith("HV") and identifiers.normalise_postcode(p) == p
        for ward in first.wards
        for p in ward.postcodes
    )
    assert {s.phase for s in first.schools} == {"primary", "secondary"}


def test_the_same_seed_gives_the_same_people():
    simulate(profile="small", seed=7, years=1, today=TODAY, only=PEOPLE)
    first = snapshot()
    assert len(first) > 1000
    Person.objects.all().delete()
    SimulationRun.objects.all().delete()
    PlantedDuplicate.objects.all().delete()
    simulate(profile="small", seed=7, years=1, today=TODAY, only=PEOPLE)
    assert snapshot() == first


def test_a_second_run_skips_and_more_years_top_up():
    report = simulate(profile="small", seed=1, years=1, today=TODAY, only=PEOPLE)
    people = Person.objects.count()
    again = simulate(profile="small", seed=1, years=1, today=TODAY, only=PEOPLE)
    assert again.made == {}
    assert "people 2025-26" in again.skipped
    assert Person.objects.count() == people
    topped = simulate(profile="small", seed=1, years=2, today=TODAY, only=PEOPLE)
    assert "people 2024-25" in topped.made
    assert not [name for name in topped.made if name.endswith("2025-26")]
    assert Person.objects.count() > people
    assert report.made["people 2025-26"]["children noticed"] >= 600
    assert (
        Event.objects.filter(
            object_type="demo.simulationrun", object_id__startswith="people:"
        ).count()
        == 2
    )


def test_families_households_and_identifiers_look_real():
    simulate(profile="small", seed=2, years=1, today=TODAY, only=PEOPLE)
    children = Person.objects.filter(kind="child")
    adults = Person.objects.filter(kind="adult")
    assert adults.count() > children.count() * 0.6
    assert Relationship.objects.filter(kind="sibling").exists()
    assert Relationship.objects.filter(kind="half_sibling").exists()
    # Kept both ways.
    assert (
        Relationship.objects.filter(kind="parent").count()
        == Relationship.objects.filter(kind="child").count()
    )
    with_nhs = [p.nhs_number for p in children.exclude(nhs_number="")]
    assert len(with_nhs) > children.count() * 0.6
    assert all(identifiers.is_valid_nhs_number(n) for n in with_nhs)
    assert all(
        identifiers.clean_upn(u) == u
        for u in children.exclude(upn="").values_list("upn", flat=True)
    )
    assert Ward.objects.count() == 20
    assert not Address.objects.filter(moved_out__isnull=True, ward_code="").exists()
    assert SearchKey.objects.count() > Person.objects.count() * 5
    assert ChronologyEntry.objects.filter(kind="person_created").count() == Person.objects.count()
    ethnicities = set(children.values_list("ethnicity", flat=True))
    assert {"WBRI", "APKN", "BAFR"} <= ethnicities


def test_about_two_percent_are_planted_near_duplicates():
    simulate(profile="small", seed=4, years=1, today=TODAY, only=PEOPLE)
    planted = PlantedDuplicate.objects.count()
    assert 0.015 < planted / Person.objects.count() < 0.025
    for pair in PlantedDuplicate.objects.all()[:20]:
        original = Person.objects.get(pk=pair.original_id)
        copy = Person.objects.get(pk=pair.duplicate_id)
        assert original.la_id != copy.la_id
        assert pair.changes


def test_search_finds_the_original_of_each_planted_duplicate(social_worker):
    from haven.people.selectors import person_search

    simulate(profile="small", seed=5, years=1, today=TODAY, only=PEOPLE)
    hits = 0
    pairs = list(PlantedDuplicate.objects.all())
    for pair in pairs:
        copy = Person.objects.get(pk=pair.duplicate_id)
        born = copy.date_of_birth.strftime("%d/%m/%Y") if copy.date_of_birth else ""
        found = person_search(
            user=social_worker, query=f"{copy.first_name} {copy.last_name} {born}", limit=5
        )
        hits += pair.original_id in [m.person.pk for m in found]
    assert hits / len(pairs) >= 0.95


def test_find_duplicates_lists_the_planted_pairs():
    from haven.people.models import DuplicateCandidate

    simulate(profile="small", seed=1, years=1, today=TODAY, only=PEOPLE)
    call_command("find_duplicates")
    truth = {tuple(sorted((d.original_id, d.duplicate_id))) for d in PlantedDuplicate.objects.all()}
    found = set(DuplicateCandidate.objects.values_list("person_a_id", "person_b_id"))
    true_positives = len(truth & found)
    assert true_positives / len(found) >= 0.9
    assert true_positives / len(truth) >= 0.85


def test_simulate_refuses_outside_demo_mode(settings):
    settings.HAVEN_DEMO_MODE = False
    with pytest.raises(CommandError, match="synthetic"):
        call_command("simulate", "--profile", "small")


def test_seed_demo_makes_people_once_and_prints_the_sign_in_list(settings, tmp_path, capsys):
    settings.HAVEN_DEMO_MODE = True
    settings.DATA_DIR = tmp_path
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Password for every demo user" in out
    assert "synthetic people" in out
    people = Person.objects.count()
    assert people > 1000
    call_command("seed_demo", "--quiet-list")
    assert Person.objects.count() == people
    every_demo_user_signs_in_and_every_page_in_their_navigation_opens(out)


def every_demo_user_signs_in_and_every_page_in_their_navigation_opens(printed: str) -> None:
    """On the demo's own data: each demo user signs in with the printed password, sees the
    home page saying who they are and in what role, and every section their navigation
    offers opens (none refused, none failing)."""
    from django.test import Client
    from django.urls import reverse

    from haven.demo.users import DEMO_USERS

    password = printed.split("Password for every demo user:")[1].split(maxsplit=1)[0]
    for demo in DEMO_USERS:
        assert demo.email in printed
        client = Client()
        home = client.post(
            reverse("accounts:sign-in"), {"email": demo.email, "password": password}, follow=True
        )
        assert home.request["PATH_INFO"] == reverse("core:home"), demo.email
        page = home.content.decode()
        assert f"Signed in as {demo.full_name} ({demo.role.label})" in page, demo.email
        links = [
            link.split('"')[0]
            for link in page.split('class="govuk-service-navigation__link" href="')[1:]
        ]
        assert links, demo.email
        for link in links:
            response = client.get(link, follow=True)
            assert response.status_code == 200, (demo.email, link, response.status_code)


def test_rates_come_from_the_published_statistics():
    assert rates.figure("population", "population_estimate", la_name="Birmingham") > 250_000
    assert rates.figure("referrals", "rereferral_percent", la_name="Birmingham", year=2025) == 20.7
    with pytest.raises(LookupError):
        rates.figure("referrals", "referral_count", la_name="Nowhere")
