"""The front door on the large profile: the team queue with 500 open contacts (server time,
median and p95, and its query count against a team with 50), and the twice-daily workflow
report with 1,000 open contacts. Targets: queue median under 300 ms with a fixed number of
queries; report made in under 5 s.

    .venv/bin/python benchmarks/frontdoor.py [--database-url postgres://.../haven_bench_frontdoor]
        [--years 2] [--record]

Makes (or reuses) the large synthetic council with the demo's organisation (so there are
front door staff to decide), then adds a benchmark team holding exactly 500 open contacts and
tops the council's open contacts up to 1,000.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common

QUEUE_CONTACTS = 500
SMALL_QUEUE = 50
REPORT_CONTACTS = 1000
QUEUE_RUNS = 40
REPORT_RUNS = 5


def open_contacts(team, count: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Top ``team`` up to ``count`` open contacts: a mix of statuses, owners and deadlines."""
    from django.utils import timezone

    from haven.accounts.models import User
    from haven.frontdoor import codes
    from haven.frontdoor.models import OPEN, Contact, ContactPerson, InformationRequest
    from haven.people.models import Person

    have = Contact.objects.filter(OPEN, team=team).count()
    if have >= count:
        return
    workers = list(User.objects.filter(groups__name="Referral and advice officer"))[:5] or [None]
    children = list(
        Person.objects.filter(kind="child").order_by("?").values_list("pk", flat=True)[: count * 2]
    )
    now = timezone.now()
    made = []
    for _ in range(count - have):
        received = now - timedelta(minutes=rng.randrange(5, 60 * 72))
        made.append(
            Contact(
                channel=rng.choice(codes.Channel.values),
                received_at=received,
                due_at=received + timedelta(hours=rng.choice((0, 24, 24, 24, 72))),
                team=team,
                source=rng.choice(codes.ReferralSource.values),
                concern_summary="Synthetic benchmark contact.",
                immediate_risk=rng.random() < 0.05,
                is_domestic_abuse=rng.random() < 0.2,
                consent="given",
                completed_at=None if rng.random() < 0.3 else received + timedelta(minutes=20),
                assigned_to=rng.choice(workers) if rng.random() < 0.8 else None,
            )
        )
    Contact.objects.bulk_create(made)
    ContactPerson.objects.bulk_create(
        [
            ContactPerson(contact=contact, person_id=child, role="child")
            for contact in made
            for child in rng.sample(children, rng.choice((1, 1, 2, 3)))
        ]
    )
    InformationRequest.objects.bulk_create(
        [
            InformationRequest(
                contact=contact,
                agency_kind="school",
                agency_name="Benchmark school",
                question="Attendance?",
                requested_at=contact.received_at + timedelta(minutes=30),
            )
            for contact in made
            if contact.completed_at is not None and rng.random() < 0.2
        ]
    )


def time_queue(client, runs: int) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get("/work/team/")
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get("/work/team/")
        seconds.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        client.get("/work/team/")
    return seconds, len(captured)


def main() -> None:
    parser = _common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=2)
    options = parser.parse_args()
    _common.prepare_council(options)
    from django.db import connection
    from django.utils import timezone

    from haven.accounts.models import Team, User
    from haven.accounts.roles import Role
    from haven.core.actor import Actor
    from haven.frontdoor.models import OPEN, Contact
    from haven.frontdoor.services import workflow_report_make

    rng = random.Random(options.seed)
    big, _ = Team.objects.get_or_create(
        name="Benchmark front door", defaults={"kind": "front_door"}
    )
    small, _ = Team.objects.get_or_create(
        name="Benchmark small team", defaults={"kind": "front_door"}
    )
    open_contacts(big, QUEUE_CONTACTS, rng)
    open_contacts(small, SMALL_QUEUE, rng)
    if Contact.objects.filter(OPEN).count() < REPORT_CONTACTS:
        spare, _ = Team.objects.get_or_create(
            name="Benchmark spare", defaults={"kind": "front_door"}
        )
        open_contacts(
            spare, REPORT_CONTACTS - Contact.objects.filter(OPEN).exclude(team=spare).count(), rng
        )
    manager = User.objects.filter(groups__name=Role.TEAM_MANAGER.label, is_active=True).first()
    assert manager is not None, "the demo organisation has a team manager"
    in_big = Contact.objects.filter(OPEN, team=big).count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    manager.team = big
    manager.save(update_fields=["team"])
    client = _common.signed_in(manager)
    big_seconds, big_queries = time_queue(client, QUEUE_RUNS)
    manager.team = small
    manager.save(update_fields=["team"])
    small_seconds, small_queries = time_queue(client, QUEUE_RUNS // 2)

    open_total = Contact.objects.filter(OPEN).count()
    report_seconds = []
    for _ in range(REPORT_RUNS):
        began = time.perf_counter()
        report = workflow_report_make(
            actor=Actor.system("benchmark"), as_of=timezone.now(), send=False
        )
        report_seconds.append(time.perf_counter() - began)
    queue = _common.summary_ms(big_seconds)
    smaller = _common.summary_ms(small_seconds)
    contacts_total = Contact.objects.count()
    lines = [
        f"Machine: {_common.machine()}. Database: {_common.database_label()}.",
        f"Data: large profile, seed {options.seed}, {_common.simulated_years('contacts')}: "
        f"{contacts_total:,} contacts, {open_total:,} open.",
        "",
        f"Team work (`/work/team/`, a team manager) with **{in_big} open contacts**: "
        f"**median {queue['median']:.0f} ms, p95 {queue['p95']:.0f} ms** over {QUEUE_RUNS} "
        f"requests, **{big_queries} queries**; the same page for a team with {SMALL_QUEUE}: "
        f"median {smaller['median']:.0f} ms, p95 {smaller['p95']:.0f} ms, {small_queries} "
        f"queries (ratio {queue['median'] / smaller['median']:.1f}x for "
        f"{in_big / SMALL_QUEUE:.0f}x the rows). Target: median under 300 ms, fixed queries.",
        "",
        f"Workflow report of **{report.contact_count:,} open contacts**: **median "
        f"{statistics.median(report_seconds):.2f} s**, max {max(report_seconds):.2f} s over "
        f"{REPORT_RUNS} runs. Target: under 5 s.",
    ]
    _common.show(lines)
    if options.record:
        _common.record(f"Front door queue and workflow report, {_common.database_label()}", lines)


if __name__ == "__main__":
    main()
