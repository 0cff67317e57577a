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
workers beside a team of 10.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common

CASELOAD = 25
SMALL_CASELOAD = 5
TEAM_WORKERS = 30
SMALL_TEAM_WORKERS = 10
RUNS = 40


def prepare(options: Any) -> None:
    _common.haven(options, "migrate", "--noinput", "-v", "0")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    _common.setup_django(options)
    from haven.accounts.models import User
    from haven.demo.users import seed_organisation

    if not User.objects.filter(email__endswith="@demo.haven.test").exists():
        seed_organisation(password=f"bench-{random.random()}")
    started = time.perf_counter()
    done = _common.haven(
        options,
        "simulate",
        "--profile",
        "large",
        "--seed",
        str(options.seed),
        "--years",
        str(options.years),
        "--synthetic-database",
    )
    print(done.stdout.strip().splitlines()[-1], f"[{time.perf_counter() - started:.0f}s]")


def signed_in_client(user: Any) -> Any:
    """A test client signed in as ``user`` with two-factor confirmed, as every real session."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Bench", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


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


def time_page(client: Any, url: str, runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return seconds, len(captured)


def main() -> None:
    parser = _common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1)
    options = parser.parse_args()
    prepare(options)
    from django.db import connection
    from django.db.models import Count

    from haven.accounts.models import Team, User
    from haven.accounts.roles import Role
    from haven.assessment.models import Assessment, Case, Visit
    from haven.assessment.selectors import workers_in

    teams = (
        Team.objects.filter(kind=Team.Kind.ASSESSMENT, manager__isnull=False)
        .annotate(
            workers=Count("members", filter=Q_social_workers(), distinct=True),
        )
        .order_by("-workers", "pk")
    )
    full = next(t for t in teams if t.workers >= TEAM_WORKERS)
    small = next((t for t in teams if t.workers <= SMALL_TEAM_WORKERS), None)
    assert len(workers_in([full.pk])) == TEAM_WORKERS + (
        1 if full.manager.team_id == full.pk else 0
    )
    worker = (
        User.objects.filter(team=full, groups__name=Role.SOCIAL_WORKER.label, is_active=True)
        .order_by("pk")
        .first()
    )
    light = (
        User.objects.filter(team=full, groups__name=Role.SOCIAL_WORKER.label, is_active=True)
        .exclude(pk=worker.pk)
        .order_by("-pk")
        .first()
    )
    set_caseload(worker, CASELOAD)
    set_caseload(light, SMALL_CASELOAD)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    own_client = signed_in_client(worker)
    # The floor: a page of the same stack that reads almost nothing (the person search form).
    floor_seconds, floor_queries = time_page(own_client, "/people/", RUNS // 2)
    own, own_queries = time_page(own_client, "/assessment/", RUNS)
    light_seconds, light_queries = time_page(signed_in_client(light), "/assessment/", RUNS // 2)
    manager_client = signed_in_client(full.manager)
    team_seconds, team_queries = time_page(manager_client, f"/assessment/teams/{full.pk}/", RUNS)
    full_cases = Case.objects.open().filter(team=full).count()
    if small is not None:
        small_seconds, small_queries = time_page(
            manager_client, f"/assessment/teams/{small.pk}/", RUNS // 2
        )
        small_workers, small_cases = small.workers, Case.objects.open().filter(team=small).count()
    cases = _common.summary_ms(own)
    fewer = _common.summary_ms(light_seconds)
    team = _common.summary_ms(team_seconds)
    lines = [
        f"Machine: {_common.machine()}. Database: {_common.database_label()}.",
        f"Data: large profile, seed {options.seed}, {options.years} simulated year"
        f"{'s' if options.years != 1 else ''}: {Case.objects.count():,} cases "
        f"({Case.objects.open().count():,} open), {Assessment.objects.count():,} assessments, "
        f"{Visit.objects.count():,} visits, "
        f"{Team.objects.filter(kind=Team.Kind.ASSESSMENT).count()} assessment teams.",
        "",
        f"A social worker's case list (`/assessment/`) with **{CASELOAD} open cases**: "
        f"**median {cases['median']:.0f} ms, p95 {cases['p95']:.0f} ms** over {RUNS} requests, "
        f"**{own_queries} queries**; with {SMALL_CASELOAD} cases: median {fewer['median']:.0f} ms, "
        f"p95 {fewer['p95']:.0f} ms, {light_queries} queries (ratio "
        f"{cases['median'] / fewer['median']:.1f}x for {CASELOAD / SMALL_CASELOAD:.0f}x the rows).",
        "",
        f"A manager's team page (`/assessment/teams/<id>/`) with **{TEAM_WORKERS} workers** and "
        f"{full_cases} open cases: **median {team['median']:.0f} ms, p95 {team['p95']:.0f} ms** "
        f"over {RUNS} requests, **{team_queries} queries**",
    ]
    if small is not None:
        smaller = _common.summary_ms(small_seconds)
        lines[-1] += (
            f"; a team of {small_workers} workers and {small_cases} open cases: median "
            f"{smaller['median']:.0f} ms, p95 {smaller['p95']:.0f} ms, {small_queries} queries "
            f"(ratio {team['median'] / smaller['median']:.1f}x)."
        )
    else:
        lines[-1] += "."
    floor = _common.summary_ms(floor_seconds)
    lines += [
        "",
        f"For scale, the same stack's emptiest signed-in page (`/people/`, the search form) "
        f"measured beside them: median {floor['median']:.0f} ms, p95 {floor['p95']:.0f} ms, "
        f"{floor_queries} queries. Load average during the run: {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores (other work shares the machine).",
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
