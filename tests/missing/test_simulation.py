"""The missing children generator: teenagers who go missing, some repeatedly; interviews in the
letter's pattern by default (fewer than half of children offered one, about half of those in
time, a third on file) or a better council's; the live picture near "now"; the child's story."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings
from django.utils import timezone

from haven.demo import simulation as framework
from haven.demo.simulation import simulate
from haven.demo.users import seed_organisation
from haven.missing import information
from haven.missing.models import MissingEpisode, ReturnInterview
from haven.people.models import ChronologyEntry

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 15)
YEAR = information.Period(date(2025, 4, 1), date(2025, 12, 31))


@pytest.fixture(autouse=True)
def _only_what_missing_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    """People, their CSE screenings, and missing children: the other apps' generators are not
    needed here and take time."""
    framework.discover()
    kept = {
        k: v for k, v in framework._generators.items() if k in {"people", "exploitation", "missing"}
    }
    monkeypatch.setattr(framework, "_generators", kept)


def shares(user) -> dict[str, float]:
    figures = information.figures(data=information.load(user=user, period=YEAR))
    found = {row.measure.key: row for row in figures.shares}
    offered = found["offered"].children
    return {
        "offered": found["offered"].of_returned or 0,
        "in_time_of_offered": found["within_72_hours"].children / offered,
        "on_file_of_offered": found["on_file"].children / offered,
        "repeat": figures.repeat_children,
        "returned": figures.counts["returned"],
    }


def test_the_letters_pattern_by_default():
    users = seed_organisation(password="correct horse battery staple")
    analyst = next(u for u in users if u.email.startswith("analyst@"))
    report = simulate(profile="small", seed=11, years=2, today=TODAY)
    made = report.made["missing 2025-26"]
    assert made["children missing"] > 15
    assert made["missing episodes"] > made["children missing"]  # some go missing again
    found = shares(analyst)
    assert found["returned"] > 15
    assert found["offered"] < 0.5  # fewer than half offered
    assert 0.3 < found["in_time_of_offered"] < 0.75  # about half of those within 72 hours
    assert found["on_file_of_offered"] < 0.5  # about a third on file
    assert found["repeat"] >= 1
    # The interviews are given to the missing children team's worker.
    assert ReturnInterview.objects.filter(worker__email__startswith="missing@").exists()
    # Each episode is in its child's story.
    episode = MissingEpisode.objects.filter(returned_at__isnull=False).first()
    assert ChronologyEntry.objects.filter(
        child=episode.child, kind="missing_returned", target_id=str(episode.pk)
    ).exists()


@override_settings(HAVEN_SIMULATION_RETURN_INTERVIEWS="good")
def test_a_better_council():
    users = seed_organisation(password="correct horse battery staple")
    analyst = next(u for u in users if u.email.startswith("analyst@"))
    simulate(profile="small", seed=11, years=2, today=TODAY)
    found = shares(analyst)
    assert found["offered"] > 0.85
    assert found["in_time_of_offered"] > 0.7
    assert found["on_file_of_offered"] > 0.75


def test_the_live_picture_near_now():
    seed_organisation(password="correct horse battery staple")
    simulate(profile="small", seed=5, years=1, today=timezone.localdate())
    assert ReturnInterview.objects.filter(due_at__isnull=False, done_at__isnull=True).exists()
    # Nothing happens after "now".
    now = timezone.now()
    assert not MissingEpisode.objects.filter(went_missing_at__gt=now).exists()
    assert not ReturnInterview.objects.filter(done_at__gt=now).exists()
    assert not ReturnInterview.objects.filter(placed_on_file_at__gt=now).exists()
