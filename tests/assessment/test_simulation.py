"""The simulator's allocation and assessment year: every referral's case in time order,
assessments on time about as often as England's, factors as the census allows, closures with
reason codes, and a pace that makes the council faster or slower."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest
from django.db.models import Count

from haven.assessment.models import Assessment, Case, Closure, Visit
from haven.assessment.simulation import closures
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
    reasons = Counter(closed.values_list("closure_reason", flat=True))
    assert set(reasons) <= {f"RC{n}" for n in range(1, 10)}
    # Mostly the path's own reason (RC7, RC8, RC9), but not only those.
    usual = reasons["RC7"] + reasons["RC8"] + reasons["RC9"]
    assert 0.8 <= usual / reasons.total() < 1
    assert not Closure.objects.filter(approved=True, decided_by__isnull=True).exists()
    # The chronology tells each step.
    kinds = set(ChronologyEntry.objects.values_list("kind", flat=True))
    assert {"case_allocated", "visit", "assessment_authorised", "episode_closed"} <= kinds


def test_closure_reasons_spread_over_the_cin_codes_in_plausible_proportions():
    rng = random.Random(7)
    draws = 20_000
    after_assessment = Counter(closures.closure_reason(rng, "RC8") for _ in range(draws))
    assert after_assessment["RC8"] / draws == pytest.approx(0.943, abs=0.01)
    assert after_assessment["RC5"] / draws == pytest.approx(0.04, abs=0.006)
    assert set(after_assessment) <= {"RC2", "RC5", "RC6", "RC8"}
    after_care = Counter(
        closures.closure_reason(rng, "RC7", path=closures.LOOKED_AFTER) for _ in range(draws)
    )
    assert set(after_care) >= {"RC1", "RC3", "RC4", "RC5", "RC7"}
    assert after_care["RC1"] / draws == pytest.approx(0.15, abs=0.01)
    after_plan = Counter(
        closures.closure_reason(rng, "RC7", path=closures.PLAN) for _ in range(draws)
    )
    assert "RC1" not in after_plan  # adoption follows care, not a child in need plan
    assert after_plan["RC7"] / draws > 0.9


def test_a_slower_council_is_late_more_often(settings):
    seed_organisation(password="synthetic-only-1")
    assert within_45(1.4, settings) < 0.7
