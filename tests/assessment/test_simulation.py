"""The simulator's allocation and assessment year: every referral's case in time order,
assessments on time about as often as England's, factors as the census allows, closures with
reason codes, and a pace that makes the council faster or slower."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.db.models import Count

from haven.assessment.models import Assessment, Case, Closure, Visit
from haven.demo.simulation import simulate
from haven.demo.users import seed_organisation
from haven.frontdoor.models import Episode
from haven.people.models import ChronologyEntry

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 15)


def within_45(pace: float, settings) -> float:
    settings.HAVEN_SIMULATION_ASSESSMENT_PACE = pace
    simulate(profile="small", seed=3, years=1, today=TODAY)
    authorised = Assessment.objects.filter(authorised_at__isnull=False)
    return sum(1 for a in authorised if a.authorised_at <= a.due_at) / authorised.count()


def test_a_year_of_cases(settings):
    seed_organisation(password="synthetic-only-1")
    share = within_45(1.0, settings)
    assert 0.75 <= share <= 0.95  # England: about 86%
    cases = Case.objects.all()
    assert cases.count() > 100
    # Every allocated case has its allocation, a first-visit deadline and, once seen, a visit.
    assert not cases.filter(allocations__isnull=True).exists()
    assert not cases.filter(first_seen_at__isnull=False, visits__isnull=True).exists()
    assert Visit.objects.filter(child_seen=False).exclude(not_seen_reason="").exists()
    # Factors: CIN codes, several a child, 21 only on its own.
    counts = Assessment.objects.filter(authorised_at__isnull=False).annotate(n=Count("factors"))
    assert all(a.n >= 1 for a in counts)
    alone = Assessment.objects.filter(factors__code="21").annotate(n=Count("factors"))
    assert alone.exists()
    assert all(a.n == 1 for a in alone)
    codes = Counter(Assessment.objects.values_list("factors__code", flat=True))
    assert codes["3B"] > codes["22A"]  # domestic abuse is common, FGM rare, as in table C3
    # Closures: approved by a manager, the episode closed with the CIN reason.
    closed = Episode.objects.filter(closed_on__isnull=False)
    assert closed.exists()
    assert set(closed.values_list("closure_reason", flat=True)) <= {"RC7", "RC8", "RC9"}
    assert not Closure.objects.filter(approved=True, decided_by__isnull=True).exists()
    # The chronology tells each step.
    kinds = set(ChronologyEntry.objects.values_list("kind", flat=True))
    assert {"case_allocated", "visit", "assessment_authorised", "episode_closed"} <= kinds


def test_a_slower_council_is_late_more_often(settings):
    seed_organisation(password="synthetic-only-1")
    assert within_45(1.4, settings) < 0.7
