"""Missing children on the large profile: server time (median and p95) and query counts of the
pages people use most, after three simulated years of missing episodes and return home
interviews (with the CSE screenings the figures read): the missing children page (the queue of
interviews due), Team work and My work for a missing-children worker, the child's page for the
child who went missing most often, one episode, and the management information for the last
complete quarter and for a year, with the lists behind two of its numbers and the API's
figures. The figures page draws five charts, cached by their numbers: it is also timed cold
(cache cleared before each run), the ratio beside. Also reported: the quarter's three
interview shares, which follow the letter's pattern by default. Target: each page's median
under 300 ms, with a fixed number of queries.

    .venv/bin/python benchmarks/missing.py [--database-url postgres://.../haven_bench_missing]
        [--years 3] [--record]

Uses its own SQLite database (``benchmarks/output/missing``) unless given PostgreSQL.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common

RUNS = 30
COLD_RUNS = 8


def main() -> None:
    parser = _common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=3)
    parser.set_defaults(data_dir=str(_common.ROOT / "benchmarks" / "output" / "missing"))
    options = parser.parse_args()
    _common.prepare_council(options, "people,exploitation,missing")
    from django.db.models import Count

    from haven.accounts.models import User
    from haven.accounts.roles import Role
    from haven.missing import information
    from haven.missing.forms import InformationForm
    from haven.missing.models import MissingEpisode, ReturnInterview
    from haven.people.models import Person

    worker = User.objects.filter(groups__name=Role.MISSING_CHILDREN_WORKER.label).first()
    analyst = User.objects.filter(groups__name=Role.PERFORMANCE_ANALYST.label).first()
    assert worker is not None
    assert analyst is not None
    busiest = (
        MissingEpisode.objects.filter(child__isnull=False)
        .values("child_id")
        .annotate(n=Count("id"))
        .order_by("-n", "child_id")
        .first()
    )
    assert busiest is not None, "the simulator made no missing episodes"
    child = Person.objects.get(pk=busiest["child_id"])
    episode = MissingEpisode.objects.filter(child=child).order_by("-went_missing_at").first()
    assert episode is not None
    quarter = information.Period.last_complete_quarter()
    year = information.Period(
        information.Period.quarter_of(quarter.date_from).previous_quarters(4)[-1].date_from,
        quarter.date_to,
    )
    q_query = InformationForm.query(quarter, information.REPEAT_THRESHOLD)
    y_query = InformationForm.query(year, information.REPEAT_THRESHOLD)
    figures = information.figures(data=information.load(user=analyst, period=quarter))
    biggest_ward = figures.wards[0].key if figures.wards else ""
    staff = _common.signed_in(worker)
    reader = _common.signed_in(analyst)
    pages = [
        ("Missing children page (interviews due)", staff, "/missing/"),
        ("Team work, missing-children worker", staff, "/work/team/"),
        ("My work, missing-children worker", staff, "/work/"),
        (f"Child's page, {busiest['n']} episodes", staff, child.get_absolute_url()),
        ("One episode", staff, episode.get_absolute_url()),
        ("MI: last complete quarter", reader, f"/missing/information/?{q_query}"),
        ("MI: four quarters", reader, f"/missing/information/?{y_query}"),
        (
            "MI: children behind 'came back' (quarter)",
            reader,
            f"/missing/information/children/?{q_query}&measure=returned",
        ),
        (
            "MI: children behind the biggest ward (year)",
            reader,
            f"/missing/information/children/?{y_query}&measure=ward&key={biggest_ward}",
        ),
        (
            "API: figures (quarter)",
            reader,
            f"/api/v1/missing/information?date_from={quarter.date_from}&date_to={quarter.date_to}",
        ),
    ]
    rows = []
    for label, client, url in pages:
        timing, queries = _common.measure(client, url, RUNS)
        rows.append((label, f"{timing['median']:.0f}", f"{timing['p95']:.0f}", queries))
    cold_rows = []
    for label, client, url in (pages[5], pages[6]):
        warm, _ = _common.measure(client, url, runs=COLD_RUNS)
        cold, _ = _common.measure(client, url, runs=COLD_RUNS, cold=True)
        cold_rows.append(
            (
                label,
                f"{warm['median']:.0f}",
                f"{cold['median']:.0f}",
                f"{cold['median'] / max(warm['median'], 0.001):.1f}",
            )
        )
    shares = [
        (
            row.measure.label,
            row.children,
            f"{(row.of_returned or 0) * 100:.0f}%",
            f"{(row.of_offered or 0) * 100:.0f}%" if row.of_offered is not None else "",
        )
        for row in figures.shares
    ]
    lines = [
        f"Machine: {_common.machine()}. Database: {_common.database_label()}.",
        f"Data: large profile, seed {options.seed}, {_common.simulated_years('missing')}: "
        f"{MissingEpisode.objects.count():,} missing episodes of "
        f"{MissingEpisode.objects.values('child_id').distinct().count():,} children, "
        f"{ReturnInterview.objects.filter(done_at__isnull=False).count():,} interviews done, "
        f"{ReturnInterview.objects.filter(due_at__isnull=False, done_at__isnull=True, not_offered_at__isnull=True).exclude(accepted=False).count():,} "
        f"owed now; {figures.counts['went_missing']:,} children went missing in "
        f"{quarter.label}, {figures.repeat_children:,} of them 3 or more times.",
        "",
        *_common.table(rows, ("page", "median ms", "p95 ms", "queries")),
        "",
        *_common.table(
            cold_rows, ("page", "charts cached: median ms", "charts drawn: median ms", "ratio")
        ),
        "",
        f"Return home interviews in {quarter.label} (the simulator's default practice, the "
        f"letter's pattern), of the {figures.counts['returned']:,} children who came back:",
        "",
        *_common.table(shares, ("measure", "children", "share", "of those offered")),
    ]
    _common.show(lines)
    if options.record:
        _common.record(f"Missing children, {_common.database_label()}", lines)


if __name__ == "__main__":
    main()
