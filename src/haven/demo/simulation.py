"""The simulator: a synthetic council, filled by one generator per app.

Each app that has synthetic data to add puts a ``simulation.py`` beside its models that
registers a generator::

    from haven.demo.simulation import Generator, register

    def run(ctx: SimulationContext) -> dict[str, int]:
        ...  # make this year's rows with ctx.rng, ctx.city, ctx.bulk_create
        return {"contacts": made}

    register(Generator(name="contacts", order=20, run=run))

``haven simulate --profile small|large --seed N --years Y`` runs every generator in ``order``
once for each reporting year (1 April to 31 March) of the period, oldest first. A generator's
random numbers come from its own ``random.Random`` seeded by the seed, its name and the year,
so the output is the same for a seed, and adding a generator does not change the others'.
Each finished (generator, year) is recorded in ``SimulationRun``: a second run skips it, and a
longer ``--years`` tops up the missing years.
"""

from __future__ import annotations

import importlib
import logging
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from haven.core.actor import Actor
from haven.demo.city import City, build_city

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Profile:
    """The size of the simulated council. Rates per year; later generators add their own
    rates from the DfE statistics (``haven.demo.rates``)."""

    name: str
    description: str
    council: str
    wards: int
    postcodes_per_ward: int
    primary_schools: int
    secondary_schools: int
    child_population: int
    children_noticed_per_year: int
    # The share of a year's children who were already known from an earlier year.
    already_known_share: float
    duplicate_share: float = 0.02


PROFILES: dict[str, Profile] = {
    "small": Profile(
        name="small",
        description="A small town for the demo and the tests: quick to make.",
        council="Haven",
        wards=20,
        postcodes_per_ward=12,
        primary_schools=12,
        secondary_schools=4,
        child_population=24_000,
        children_noticed_per_year=600,
        already_known_share=0.2,
    ),
    "large": Profile(
        name="large",
        description=(
            "A city the size of Birmingham: about 290,000 children (ONS, 2024), of whom about "
            "35,000 different children a year are the subject of contacts; 20.7% of referred "
            "children were referred before (DfE children in need, 2025)."
        ),
        council="Haven City",
        wards=40,
        postcodes_per_ward=150,
        primary_schools=320,
        secondary_schools=80,
        child_population=292_859,
        children_noticed_per_year=35_000,
        already_known_share=0.207,
    ),
}


@dataclass(frozen=True)
class ReportingYear:
    """A DfE reporting year: 1 April to 31 March, labelled like 2025-26."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.start.year}-{str(self.end.year)[-2:]}"

    @classmethod
    def containing(cls, day: date) -> ReportingYear:
        first = day.year if day >= date(day.year, 4, 1) else day.year - 1
        return cls(date(first, 4, 1), date(first + 1, 3, 31))

    def previous(self) -> ReportingYear:
        return ReportingYear(
            self.start.replace(year=self.start.year - 1), self.end.replace(year=self.end.year - 1)
        )


def period_years(years: int, *, today: date | None = None) -> list[ReportingYear]:
    """The last ``years`` reporting years, oldest first, the current (partial) year last."""
    current = ReportingYear.containing(today or timezone.localdate())
    found = [current]
    while len(found) < years:
        found.append(found[-1].previous())
    return list(reversed(found))


@dataclass
class SimulationContext:
    """What a generator gets: the seed, profile, year, city, a seeded ``random.Random``, an
    actor for services, and bulk-insert helpers. ``shared`` passes facts between generators
    (the people generator puts the children it made this year there)."""

    seed: int
    profile: Profile
    year: ReportingYear
    years: Sequence[ReportingYear]
    city: City
    rng: random.Random
    actor: Actor
    today: date
    shared: dict[str, Any]
    log: Callable[[str], None]

    @property
    def is_first_year(self) -> bool:
        return self.year == self.years[0]

    def moment_in_year(self, rng: random.Random | None = None) -> datetime:
        """A random working-hours moment in this year (and not after today)."""
        chooser = rng or self.rng
        last = min(self.year.end, self.today)
        span = (last - self.year.start).days
        day = self.year.start.toordinal() + chooser.randrange(max(span, 0) + 1)
        moment = datetime.combine(
            date.fromordinal(day), datetime.min.time(), tzinfo=timezone.get_current_timezone()
        )
        return moment.replace(hour=chooser.randrange(8, 19), minute=chooser.randrange(60))

    def bulk_create(self, model: type[M], rows: Iterable[M], *, batch_size: int = 2000) -> list[M]:
        """Insert rows in batches; primary keys are set on the returned objects."""
        made = list(rows)
        for start in range(0, len(made), batch_size):
            model._default_manager.bulk_create(made[start : start + batch_size])
        return made

    def insert_rows(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        batch_size: int = 10_000,
    ) -> int:
        """Insert plain tuples (values ready for the database, in ``fields`` order) straight
        into the model's table: many times faster than ``bulk_create`` for the large tables,
        for rows whose primary keys nobody needs back. No ``save()``, no defaults: give every
        column that is not nullable."""
        quote = connection.ops.quote_name
        columns = [str(getattr(model._meta.get_field(name), "column", name)) for name in fields]
        # Table and column names come from the model, quoted; the values are parameters.
        table = quote(model._meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is PostgreSQL's bulk path: several times faster than INSERTs.
                raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return len(rows)
            for start in range(0, len(rows), batch_size):
                cursor.executemany(sql, rows[start : start + batch_size])
        return len(rows)

    def insert_chronology(self, rows: Sequence[Sequence[Any]]) -> int:
        """Chronology entries as tuples in ``CHRONOLOGY_COLUMNS`` order, straight into the
        table (``insert_rows``): what a module's generator writes to each child's story."""
        from haven.people.models import ChronologyEntry

        return self.insert_rows(ChronologyEntry, CHRONOLOGY_COLUMNS, rows)


# The columns of ``SimulationContext.insert_chronology``'s tuples.
CHRONOLOGY_COLUMNS = (
    "child", "occurred_at", "kind", "summary", "actor", "actor_label", "target_type",
    "target_id", "url", "recorded_at",
)  # fmt: skip


@dataclass(frozen=True)
class Generator:
    """One app's contribution: ``run(ctx)`` makes one year's rows and returns counts by name."""

    name: str
    order: int
    run: Callable[[SimulationContext], dict[str, int] | None]
    description: str = ""


_generators: dict[str, Generator] = {}


def register(generator: Generator) -> None:
    _generators[generator.name] = generator


def discover() -> list[Generator]:
    """Import every installed Haven app's ``simulation`` module; the generators, in order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("haven."):
            continue
        module = f"{config.name}.simulation"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
    return sorted(_generators.values(), key=lambda g: (g.order, g.name))


@dataclass
class SimulationReport:
    profile: str
    seed: int
    made: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0


def simulate(
    *,
    profile: str,
    seed: int,
    years: int,
    log: Callable[[str], None] | None = None,
    today: date | None = None,
    only: Sequence[str] = (),
) -> SimulationReport:
    """Run every generator (or those named in ``only``) for every year of the period that it
    has not done yet."""
    from haven.audit.models import Event
    from haven.audit.services import event_record
    from haven.demo.models import SimulationRun

    chosen = PROFILES[profile]
    say = log or logger.info
    today = today or timezone.localdate()
    period = period_years(years, today=today)
    city = build_city(seed=seed, profile=chosen)
    actor = Actor.system("simulator")
    report = SimulationReport(profile=profile, seed=seed)
    started = time.perf_counter()
    shared: dict[str, Any] = {}
    done = {(run.generator, run.period): run for run in SimulationRun.objects.all()}
    for year in period:
        for generator in discover():
            if only and generator.name not in only:
                continue
            key = (generator.name, year.label)
            if key in done:
                report.skipped.append(f"{generator.name} {year.label}")
                continue
            rng = random.Random(f"{seed}:{generator.name}:{year.label}")  # noqa: S311
            ctx = SimulationContext(
                seed=seed,
                profile=chosen,
                year=year,
                years=period,
                city=city,
                rng=rng,
                actor=actor,
                today=today,
                shared=shared,
                log=say,
            )
            began = time.perf_counter()
            with transaction.atomic():
                made = generator.run(ctx) or {}
                seconds = time.perf_counter() - began
                SimulationRun.objects.create(
                    generator=generator.name,
                    period=year.label,
                    profile=profile,
                    seed=seed,
                    created=made,
                    seconds=round(seconds, 2),
                )
                # One audit event per run: the rows are synthetic and made in bulk.
                event_record(
                    actor=actor,
                    action=Event.Action.CREATE,
                    object_type="demo.simulationrun",
                    object_id=f"{generator.name}:{year.label}",
                    detail={"profile": profile, "seed": seed, "made": made},
                )
            report.made[f"{generator.name} {year.label}"] = made
            say(
                f"{generator.name} {year.label}: "
                + ", ".join(f"{count:,} {name}" for name, count in made.items())
                + f" ({seconds:.1f}s)"
            )
    if report.made:
        # Fresh statistics after bulk loads, or the query planner guesses (both databases);
        # on PostgreSQL also the visibility map, so index-only scans skip the table.
        with connection.cursor() as cursor:
            in_transaction = connection.in_atomic_block
            vacuum = connection.vendor == "postgresql" and not in_transaction
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    report.seconds = time.perf_counter() - started
    return report
