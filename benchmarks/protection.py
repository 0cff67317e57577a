"""Child protection on the large profile: server time (median and p95) and query counts of the
pages people use most, with a year of simulated strategy discussions, enquiries, plans and
medium-risk meetings: Team work for a manager whose team holds the most, the strategy
discussions list, one record, a police partner's shared list, the waiting list, the plans list,
and the PDF. Target: each page's median under 300 ms with a fixed number of queries.

    .venv/bin/python benchmarks/protection.py [--database-url postgres://.../haven_bench_protection]
        [--years 1] [--record]

Uses its own SQLite database (``benchmarks/output/protection``) unless given PostgreSQL.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common

RUNS = 30


def main() -> None:
    parser = _common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1)
    parser.set_defaults(data_dir=str(_common.ROOT / "benchmarks" / "output" / "protection"))
    options = parser.parse_args()
    _common.prepare_council(options, "people,protection")
    from django.db import connection
    from django.db.models import Count

    from haven.accounts.models import Agency, Team, User
    from haven.accounts.roles import Role
    from haven.protection.models import (
        ChildProtectionPlan,
        InitialConference,
        MeetingReferral,
        Section47Enquiry,
        StrategyDiscussion,
    )
    from haven.protection.selectors import strategy_discussions_shared_with

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    busiest = Team.objects.annotate(n=Count("strategy_discussions")).order_by("-n").first()
    manager = User.objects.filter(groups__name=Role.TEAM_MANAGER.label, is_active=True).first()
    assert manager is not None
    assert busiest is not None
    manager.team = busiest
    manager.save(update_fields=["team"])
    police = Agency.objects.filter(kind="police").first()
    partner = User.objects.filter(agency=police, groups__name=Role.PARTNER.label).first()
    assert partner is not None, "the demo organisation has a police partner"
    staff = _common.signed_in(manager)
    officer = _common.signed_in(partner)
    record = (
        StrategyDiscussion.objects.filter(completed_at__isnull=False).order_by("-held_at").first()
    )
    assert record is not None
    pages = [
        ("Team work (`/work/team/`, all sections)", staff, "/work/team/"),
        ("Strategy discussions list", staff, "/protection/"),
        ("One strategy discussion record", staff, record.get_absolute_url()),
        ("Shared with my agency (police partner)", officer, "/protection/shared/"),
        ("Medium-risk meeting waiting list", staff, "/protection/meetings/medium-risk/"),
        ("Child protection plans (current)", staff, "/protection/plans/"),
    ]
    rows = []
    for label, client, url in pages:
        timing, queries = _common.measure(client, url, RUNS)
        rows.append((label, f"{timing['median']:.0f}", f"{timing['p95']:.0f}", queries))
    pdf_seconds = []
    for _ in range(10):
        began = time.perf_counter()
        response = staff.get(f"{record.get_absolute_url()}record.pdf")
        assert response.status_code == 200
        pdf_seconds.append(time.perf_counter() - began)
    pdf = _common.summary_ms(pdf_seconds)
    conferences = InitialConference.objects.filter(held_on__isnull=False)
    in_time = sum(1 for c in conferences.only("held_on", "target_date") if c.within_timescale)
    lines = [
        f"Machine: {_common.machine()}. Database: {_common.database_label()}.",
        f"Data: large profile, seed {options.seed}, {_common.simulated_years('protection')}: "
        f"{StrategyDiscussion.objects.count():,} strategy discussions, "
        f"{Section47Enquiry.objects.count():,} section 47 enquiries, "
        f"{conferences.count():,} initial conferences held ({in_time / max(1, conferences.count()):.0%} "
        f"within 15 working days), {ChildProtectionPlan.objects.count():,} plans, "
        f"{MeetingReferral.objects.count():,} medium-risk meeting referrals; the police partner "
        f"shares {strategy_discussions_shared_with(partner).count():,} records; the manager's "
        f"team holds {busiest.n:,} discussions.",  # type: ignore[attr-defined]
        "",
        *_common.table(rows, ("page", "median ms", "p95 ms", "queries")),
        "",
        f"PDF of one record: median {pdf['median']:.0f} ms, p95 {pdf['p95']:.0f} ms (10 runs).",
        "Target: each page's median under 300 ms, with a fixed number of queries.",
    ]
    _common.show(lines)
    if options.record:
        _common.record(f"Child protection pages, {_common.database_label()}", lines)


if __name__ == "__main__":
    main()
