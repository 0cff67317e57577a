"""The front door generator: contacts at the DfE's source mix, about a third referred, most
decided within a working day, repeat contacts, chronically neglected families answered with
advice or early help (their flags kept), a live backlog and recent workflow reports."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.db import models
from django.db.models import Count

from haven.demo.simulation import simulate
from haven.demo.users import seed_organisation
from haven.frontdoor.models import (
    Contact,
    ContactDecision,
    ContactPerson,
    Episode,
    HarmFlag,
    WorkflowReport,
)
from haven.people.models import ChronologyEntry

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 15)


def test_without_anyone_to_decide_nothing_is_made():
    report = simulate(profile="small", seed=3, years=1, today=TODAY)
    assert report.made["contacts 2025-26"] == {}


def test_a_year_of_contacts():
    seed_organisation(password="correct horse battery staple")
    report = simulate(profile="small", seed=7, years=2, today=TODAY)
    made = report.made["contacts 2024-25"]
    contacts = Contact.objects.filter(received_at__year__lt=2025) | Contact.objects.filter(
        received_at__year=2025, received_at__month__lt=4
    )
    assert made["contacts"] > 500

    sources = Counter(Contact.objects.values_list("source", flat=True))
    total = sum(sources.values())
    assert 0.22 < sources["6"] / total < 0.36  # police
    assert 0.14 < sources["2A"] / total < 0.26  # schools
    assert Counter(Contact.objects.values_list("channel", flat=True))["police"] > 0

    decisions = ContactDecision.objects.filter(is_current=True)
    outcomes = Counter(decisions.values_list("outcome", flat=True))
    referred = (outcomes["referral"] + outcomes["strategy"]) / sum(outcomes.values())
    assert 0.25 < referred < 0.42
    assert outcomes["nfa"]
    assert outcomes["early_help"]
    assert outcomes["strategy"]

    decided = Contact.objects.filter(decided_at__isnull=False)
    on_time = sum(1 for c in decided if c.decided_at <= c.due_at) / decided.count()
    assert 0.75 < on_time < 0.97  # mostly within a working day, with a tail

    repeats = (
        ContactPerson.objects.filter(role="child")
        .values("person")
        .annotate(n=Count("contact"))
        .filter(n__gte=3)
    )
    assert repeats.exists()
    chronic = HarmFlag.objects.filter(
        decision__outcome__in=["advice", "early_help"], rule="repeated_neglect"
    )
    assert chronic.exists()
    assert not chronic.filter(decision__history_weighing="").exists()

    assert Episode.objects.count() > 0
    assert ChronologyEntry.objects.filter(kind="contact_received").count() >= made["contacts"] * 0.9
    assert ChronologyEntry.objects.filter(kind="episode_opened").count() == Episode.objects.count()
    assert WorkflowReport.objects.count() == 20
    assert contacts.exists()

    again = simulate(profile="small", seed=7, years=2, today=TODAY)
    assert "contacts 2024-25" in again.skipped


def test_the_simulated_flags_are_the_decision_pages_under_the_councils_pattern():
    """The simulator follows the configured pattern (here a tighter one) and counts brothers
    and sisters, so its stored flags are what harm.assess would show for each decision."""
    from haven.frontdoor import harm
    from haven.frontdoor.models import CumulativeHarmPattern

    pattern = CumulativeHarmPattern.current()
    pattern.contact_window_months = 6
    pattern.contact_threshold = 2
    pattern.neglect_window_months = 18
    pattern.save()
    seed_organisation(password="correct horse battery staple")
    simulate(profile="small", seed=11, years=1, today=TODAY)
    flags = HarmFlag.objects.all()
    assert set(flags.values_list("window_months", flat=True)) <= {6, 18}
    assert flags.exclude(child=models.F("about")).exists()  # a brother's or sister's history
    decided = list(
        Contact.objects.filter(decisions__flags__isnull=False).distinct().order_by("pk")[:40]
    )
    assert decided
    for contact in decided:
        stored = {
            (f.child_id, f.about_id, f.rule, f.count)
            for f in HarmFlag.objects.filter(contact=contact)
        }
        shown = {
            (f.child.pk, f.about.pk, f.rule, f.count)
            for f in harm.assess(contact, pattern=pattern).flags
        }
        assert stored == shown, contact.reference
