"""Person search on the large profile: speed (median, p95) and recall@5.

Makes (or reuses) the large synthetic council with over 300,000 people, then asks 1,000
labelled queries made from known people with the mistakes people make (typos, first and last
names swapped, nicknames, day and month swapped, dates in different forms, part of a
hyphenated surname, accents dropped) and counts how often the right person is in the top 5.
Targets: p95 under 100 ms, recall@5 at least 0.98.

    .venv/bin/python benchmarks/person_search.py [--database-url postgres://...] [--record]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common

QUERIES = 1000
WARM_UP = 30
KINDS = [
    "exact",
    "first_typo",
    "last_typo",
    "names_swapped",
    "nickname",
    "date_swapped",
    "typo_and_date_swapped",
    "hyphen_part",
    "accents_and_case",
]


def typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]


def date_text(rng: random.Random, day: int, month: int, year: int) -> str:
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    form = rng.randrange(4)
    if form == 0:
        return f"{day}/{month}/{year}"
    if form == 1:
        return f"{day:02d}-{month:02d}-{year % 100:02d}"
    if form == 2:
        return f"{day} {months[month - 1]} {year}"
    return f"{year}-{month:02d}-{day:02d}"


def make_query(rng: random.Random, person: object, kind: str) -> tuple[str, str]:  # noqa: PLR0912
    from haven.people.matching import fold
    from haven.people.nicknames import NICKNAMES, full_names_for

    first, last = person.first_name, person.last_name  # type: ignore[attr-defined]
    born = person.date_of_birth  # type: ignore[attr-defined]
    day, month, year = born.day, born.month, born.year
    used = kind
    if kind == "first_typo":
        first = typo(rng, first)
    elif kind == "last_typo":
        last = typo(rng, last)
    elif kind == "names_swapped":
        first, last = last, first
    elif kind == "nickname":
        folded = fold(first)
        options = list(NICKNAMES.get(folded, ())) or sorted(full_names_for(folded) - {folded})
        if options:
            first = rng.choice(options)
        else:
            first, used = typo(rng, first), "first_typo"
    elif kind in ("date_swapped", "typo_and_date_swapped"):
        if day <= 12 and day != month:
            day, month = month, day
        else:
            used = "exact"
        if kind == "typo_and_date_swapped":
            last = typo(rng, last)
            used = kind if used != "exact" else "last_typo"
    elif kind == "hyphen_part":
        parts = last.replace(" ", "-").split("-")
        if len(parts) > 1:
            last = rng.choice(parts)
        else:
            last, used = typo(rng, last), "last_typo"
    elif kind == "accents_and_case":
        first, last = fold(first).upper(), fold(last).lower()
    return f"{first} {last} {date_text(rng, day, month, year)}", used


def main() -> None:  # noqa: PLR0915 - one benchmark, start to finish
    options = _common.arguments(__doc__.splitlines()[0]).parse_args()
    _common.ensure_large_dataset(options)
    _common.setup_django(options)

    from django.contrib.auth.models import Group

    from haven.accounts.models import User
    from haven.accounts.roles import Role
    from haven.demo.models import PlantedDuplicate
    from haven.people.models import Person
    from haven.people.selectors import person_search

    people = Person.objects.current().count()
    adults = Person.objects.current().filter(kind="adult").count()
    print(f"{people:,} people ({adults:,} adults) on {_common.database_label()}")
    assert people >= 300_000, "the benchmark needs at least 300,000 people"

    user, _ = User.objects.get_or_create(
        email="benchmark@haven.test", defaults={"full_name": "Benchmark"}
    )
    user.groups.add(Group.objects.get(name=Role.SOCIAL_WORKER.label))
    user = User.objects.get(pk=user.pk)

    rng = random.Random(options.seed)
    copies = set(PlantedDuplicate.objects.values_list("duplicate_id", flat=True))
    ids = [
        pk
        for pk in Person.objects.current()
        .filter(date_of_birth__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        if pk not in copies
    ]
    targets = list(Person.objects.filter(pk__in=rng.sample(ids, QUERIES)).order_by("pk"))
    rng.shuffle(targets)
    queries = [
        (person.pk, *make_query(rng, person, KINDS[i % len(KINDS)]))
        for i, person in enumerate(targets)
    ]

    for _, text, _ in queries[:WARM_UP]:
        person_search(user=user, query=text, limit=10)

    timings: list[float] = []
    cpu: list[float] = []
    hits = 0
    by_kind: dict[str, list[int]] = {}
    misses = []
    for target, text, kind in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        found = person_search(user=user, query=text, limit=10)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        ok = target in [match.person.pk for match in found[:5]]
        hits += ok
        by_kind.setdefault(kind, []).append(int(ok))
        if not ok and len(misses) < 8:
            misses.append(f"  missed: {text!r}")
    recall = hits / len(queries)
    stats = _common.summary_ms(timings)
    cpu_stats = _common.summary_ms(cpu)

    other: list[tuple[str, str, dict[str, float]]] = []
    sample = targets[:100]
    for label, make in [
        ("surname only (broad)", lambda p: p.last_name),
        ("first name and surname", lambda p: f"{p.first_name} {p.last_name}"),
        (
            "postcode",
            lambda p: (
                (p.addresses.filter(moved_out__isnull=True).first() or p.addresses.first()).postcode
            ),
        ),
        ("NHS number", lambda p: p.nhs_number),
        ("LA ID", lambda p: p.la_id),
    ]:
        texts = [
            make(p)
            for p in sample
            if make(p)
            if not (label == "postcode" and not p.addresses.exists())
        ]
        times = []
        for text in texts:
            started = time.perf_counter()
            person_search(user=user, query=text, limit=10)
            times.append(time.perf_counter() - started)
        other.append((label, f"{len(texts)}", _common.summary_ms(times)))

    lines = [
        f"Machine: {_common.machine()}. Database: {_common.database_label()}.",
        f"Data: large profile, seed {options.seed}, {people:,} current people ({adults:,} adults).",
        "",
        f"1,000 labelled corrupted queries (name, surname and date of birth with mistakes): "
        f"**median {stats['median']:.1f} ms, p95 {stats['p95']:.1f} ms** "
        f"(max {stats['max']:.1f} ms); **recall@5 {recall:.3f}** "
        f"(targets: p95 < 100 ms, recall@5 >= 0.98). CPU time of the searching process "
        f"(Haven's own work, less sensitive to other load; on SQLite this includes the "
        f"database): median {cpu_stats['median']:.1f} ms, p95 {cpu_stats['p95']:.1f} ms.",
        "",
        *_common.table(
            [(kind, len(v), f"{sum(v) / len(v):.3f}") for kind, v in sorted(by_kind.items())],
            ("mistake", "queries", "recall@5"),
        ),
        "",
        *_common.table(
            [(label, n, f"{s['median']:.1f}", f"{s['p95']:.1f}") for label, n, s in other],
            ("other searches", "queries", "median ms", "p95 ms"),
        ),
    ]
    _common.show(lines + (["", *misses] if misses else []))
    if options.record:
        _common.record(f"Person search, {_common.database_label()}", lines)


if __name__ == "__main__":
    main()
