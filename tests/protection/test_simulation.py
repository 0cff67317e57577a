"""The protection generator: made at the rates the DfE figures imply, education often
missing, about 81% of initial conferences within 15 working days, a waiting-list spread."""

from __future__ import annotations

from datetime import date

import pytest

from haven.demo.simulation import simulate
from haven.demo.users import seed_organisation
from haven.protection import simulation
from haven.protection.models import (
    ChildProtectionPlan,
    DiscussionAgency,
    InitialConference,
    MeetingReferral,
    PlanReview,
    Section47Enquiry,
    StrategyDiscussion,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 15)


def test_rates_come_from_the_published_tables() -> None:
    assert simulation.plans_started(2025) == 1936  # Birmingham, table D3
    assert simulation.plans_started(2031) == 1936  # latest published year
    shares = [share for _lo, _hi, share in simulation.plan_length_buckets()]
    assert shares == [31.5, 25.5, 26.3, 14.4, 2.3]  # England at 31 March 2025, table D5


def test_without_staff_the_generator_makes_nothing() -> None:
    report = simulate(profile="small", seed=5, years=1, today=TODAY)
    assert report.made["protection 2025-26"] == {}


def test_a_year_of_child_protection_work() -> None:
    seed_organisation(password="correct horse battery staple")
    report = simulate(profile="small", seed=11, years=2, today=TODAY)
    made = report.made["protection 2024-25"]
    assert made["strategy discussions"] > 50
    discussions = StrategyDiscussion.objects.all()
    assert discussions.filter(is_out_of_hours=True).exists()
    assert not discussions.filter(completed_at__isnull=True).exists()
    # Every finished discussion names its chair: out of hours the emergency duty team's
    # manager, for MASE (made by the exploitation generator) the CSE team's.
    assert discussions.filter(is_out_of_hours=True).exists()
    assert discussions.filter(next_step_detail="Refer to MASE.").exists()
    assert not discussions.filter(chair__isnull=True).exists()

    def missing(role: str) -> float:
        lines = DiscussionAgency.objects.filter(role=role)
        return lines.exclude(attendance="attended").count() / lines.count()

    assert missing("education") > 2 * missing("police")

    held = InitialConference.objects.filter(held_on__isnull=False)
    in_time = sum(1 for c in held if c.within_timescale) / held.count()
    assert 0.7 < in_time < 0.92
    enquiries = Section47Enquiry.objects.count()
    assert 0.2 < held.count() / enquiries < 0.5
    plans = ChildProtectionPlan.objects.all()
    assert plans.exists()
    assert set(plans.values_list("initial_category", flat=True)) <= {
        "NEG",
        "PHY",
        "SAB",
        "EMO",
        "MUL",
    }
    for plan in plans.filter(end_date__isnull=True)[:20]:
        assert PlanReview.objects.filter(plan=plan, held_on__isnull=True).count() == 1
    # Open work names the child's allocated social worker, so reviews reach their My work.
    from haven.assessment.models import Case

    allocated = dict(
        Case.objects.open().filter(worker__isnull=False).values_list("child_id", "worker_id")
    )
    named = plans.filter(end_date__isnull=True, worker__isnull=False)
    assert named.exists()
    for plan in named[:20]:
        assert plan.worker_id == allocated.get(plan.child_id, plan.worker_id)

    considered = MeetingReferral.objects.filter(considered_at__isnull=False)
    waits = sorted(r.days_waiting() for r in considered)
    assert waits[0] >= 1
    assert waits[-1] > waits[len(waits) // 2]  # a spread, not one wait for all
    assert MeetingReferral.objects.filter(considered_at__isnull=True).exists()

    again = simulate(profile="small", seed=11, years=2, today=TODAY)
    assert "protection 2024-25" in again.skipped
