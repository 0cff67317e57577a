"""Allocation and assessment on the large profile: a social worker's case list with 25 open
cases and a team manager's team page with 30 workers (server time, median and p95, and the
query count beside the same pages for a smaller caseload and team). Target: each under 300 ms
median with a fixed number of queries.

    .venv/bin/python benchmarks/assessment.py [--database-url postgres://.../haven_bench_assessment]
        [--years 1] [--record]

Makes (or reuses) the large synthetic council with the demo's organisation (so there are front
door staff to decide and referrals to allocate); the simulator gives the assessment teams up to
30 social workers each. The benchmark then gives one worker exactly 25 open cases (moving cases
between colleagues in their team) and another exactly 5, and measures a team of exactly 30
workers beside the team whose workers hold the fewest cases.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common

CASELOAD = 25
SMALL_CASELOAD = 5
TEAM_WORKERS = 30
RUNS = 40


def set_caseload(worker: Any, count: int) -> None:
    """Give ``worker`` exactly ``count`` open cases, moving cases to or from colleagues in
    the same team (the case and its current allocation both)."""
    from haven.assessment.models import Allocation, Case

    mine = list(
        Case.objects.open().filter(worker=worker).order_by("pk").values_list("pk", flat=True)
    )
    colleagues = list(
        Case.objects.open()
        .filter(team_id=worker.team_id)
        .exclude(worker=worker)
        .order_by("pk")
        .values_list("pk", "worker_id")
    )
    if len(mine) > count:
        spare = mine[count:]
        others = [w for _, w in colleagues] or [worker.pk]
        for n, case_id in enumerate(spare):
            move(case_id, others[n % len(others)])
    elif len(mine) < count:
        for case_id, _ in colleagues[: count - len(mine)]:
            move(case_id, worker.pk)
    assert Case.objects.open().filter(worker=worker).count() == count
    assert Allocation.objects.filter(case__worker=worker, ended_at__isnull=True).exists()


def move(case_id: int, worker_id: int) -> None:
    from haven.assessment.models import Allocation, Case

    Case.objects.filter(pk=case_id).update(worker_id=worker_id)
    Allocation.objects.filter(case_id=case_id, ended_at__isnull=True).update(worker_id=worker_id)


def time_pages(pages: dict[str, tuple[Any, str]], runs: int) -> dict[str, tuple[list[float], int]]:
    """Each page ``runs`` times, taking turns, so every page meets the same load on a shared
    machine; then each page's query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for client, url in pages.values():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
    seconds: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(runs):
        for name, (client, url) in pages.items():
            began = time.perf_counter()
            response = client.get(url)
            seconds[name].append(time.perf_counter() - began)
            assert response.status_code == 200, (url, response.status_code)
    found = {}
    for name, (client, url) in pages.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        found[name] = (seconds[name], len(captured))
    return found


def main() -> None:
    parser = _common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1)
    options = parser.parse_args()
    _common.prepare_council(options)
    from django.db import connection
    from django.db.models import Count

    from haven.accounts.models import Team, User
    from haven.accounts.roles import Role
    from haven.assessment.models import Assessment, Case, Visit

    teams = list(
        Team.objects.filter(kind=Team.Kind.ASSESSMENT, manager__isnull=False)
        .annotate(workers=Count("members", filter=Q_social_workers(), distinct=True))
        .order_by("pk")
    )
    full = next(t for t in teams if t.workers == TEAM_WORKERS)
    # The comparison: the team whose workers hold the fewest open cases (but some).
    open_by_team = dict(
        Case.objects.open()
        .values_list("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
    )
    small = min(
        (t for t in teams if t.pk != full.pk and open_by_team.get(t.pk)),
        key=lambda t: open_by_team[t.pk],
    )
    social_workers = User.objects.filter(
        team=full, groups__name=Role.SOCIAL_WORKER.label, is_active=True
    ).order_by("pk")
    worker, light = social_workers.first(), social_workers.last()
    set_caseload(worker, CASELOAD)
    set_caseload(light, SMALL_CASELOAD)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    own_client = _common.signed_in(worker)
    manager_client = _common.signed_in(full.manager)
    measured = time_pages(
        {
            "floor": (own_client, "/people/"),
            "cases": (own_client, "/assessment/"),
            "fewer": (_common.signed_in(light), "/assessment/"),
            "team": (manager_client, f"/assessment/teams/{full.pk}/"),
            "small": (manager_client, f"/assessment/teams/{small.pk}/"),
        },
        RUNS,
    )
    ms = {name: _common.summary_ms(seconds) for name, (seconds, _) in measured.items()}
    queries = {name: count for name, (_, count) in measured.items()}
    full_cases, small_cases = open_by_team.get(full.pk, 0), open_by_team.get(small.pk, 0)
    lines = [
        f"Machine: {_common.machine()}. Database: {_common.database_label()}.",
        f"Data: large profile, seed {options.seed}, {_common.simulated_years('assessment')}: "
        f"{Case.objects.count():,} cases "
        f"({Case.objects.open().count():,} open), {Assessment.objects.count():,} assessments, "
        f"{Visit.objects.count():,} visits, "
        f"{Team.objects.filter(kind=Team.Kind.ASSESSMENT).count()} assessment teams. Each page "
        f"requested {RUNS} times, the pages taking turns so they meet the same load.",
        "",
        f"A social worker's case list (`/assessment/`) with **{CASELOAD} open cases**: "
        f"**median {ms['cases']['median']:.0f} ms, p95 {ms['cases']['p95']:.0f} ms, "
        f"{queries['cases']} queries**; with {SMALL_CASELOAD} cases: median "
        f"{ms['fewer']['median']:.0f} ms, p95 {ms['fewer']['p95']:.0f} ms, {queries['fewer']} "
        f"queries (ratio {ms['cases']['median'] / ms['fewer']['median']:.1f}x for "
        f"{CASELOAD / SMALL_CASELOAD:.0f}x the rows).",
        "",
        f"A manager's team page (`/assessment/teams/<id>/`) with **{TEAM_WORKERS} workers** and "
        f"{full_cases:,} open cases: **median {ms['team']['median']:.0f} ms, p95 "
        f"{ms['team']['p95']:.0f} ms, {queries['team']} queries**; a team of {small.workers} "
        f"workers with {small_cases:,} open cases: median {ms['small']['median']:.0f} ms, p95 "
        f"{ms['small']['p95']:.0f} ms, {queries['small']} queries (ratio "
        f"{ms['team']['median'] / ms['small']['median']:.1f}x).",
        "",
        f"For scale, the stack's emptiest signed-in page (`/people/`, the search form), measured "
        f"in the same turns: median {ms['floor']['median']:.0f} ms, p95 "
        f"{ms['floor']['p95']:.0f} ms, {queries['floor']} queries. Load average at the end: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        "Targets: each median under 300 ms, with a fixed number of queries.",
    ]
    _common.show(lines)
    if options.record:
        _common.record(f"Case list and team page, {_common.database_label()}", lines)


def Q_social_workers() -> Any:  # noqa: N802 - reads as the filter it is
    from django.db.models import Q

    from haven.accounts.roles import Role

    return Q(members__groups__name=Role.SOCIAL_WORKER.label, members__is_active=True)


if __name__ == "__main__":
    main()
