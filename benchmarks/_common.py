"""What every benchmark needs: a database of synthetic data, Django set up against it, the
machine described, percentiles, and a place to record results.

Benchmarks run against their own database, never the demo's: SQLite in ``benchmarks/output/data/``
(or ``--data-dir``), or the PostgreSQL database named by ``--database-url``. The data comes
from ``haven simulate`` with the ``--synthetic-database`` confirmation.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
DEFAULT_DATA_DIR = ROOT / "benchmarks" / "output" / "data"  # git-ignored
# Five reporting years of the large profile make over 300,000 people with their adults.
LARGE_YEARS = 5


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--database-url", default="", help="postgres://... to run on PostgreSQL; SQLite when empty."
    )
    parser.add_argument(
        "--data-dir", default=str(DEFAULT_DATA_DIR), help="Where the SQLite database is kept."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--record", action="store_true", help="Append the results to benchmarks/RESULTS.md."
    )
    return parser


def environment(options: argparse.Namespace) -> dict[str, str]:
    """The environment a Haven process for this benchmark runs with."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "haven.config.settings.dev"
    env["DEBUG"] = "false"  # DEBUG keeps every query in memory
    env["HAVEN_DEMO_MODE"] = "false"
    env["HAVEN_LOG_LEVEL"] = "WARNING"
    Path(options.data_dir).mkdir(parents=True, exist_ok=True)
    env["HAVEN_DATA_DIR"] = options.data_dir
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def setup_django(options: argparse.Namespace) -> None:
    os.environ.update(environment(options))
    if not options.database_url:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def haven(options: argparse.Namespace, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a ``haven`` command against the benchmark database."""
    command = [str(Path(sys.executable).parent / "haven"), *args]
    return subprocess.run(  # noqa: S603 - our own command, no shell
        command, env=environment(options), check=True, text=True, capture_output=True
    )


def ensure_large_dataset(
    options: argparse.Namespace, years: int = LARGE_YEARS, only: str = "people"
) -> None:
    """Migrate and simulate the large profile (years already made are skipped). People
    benchmarks need only the people generator; other modules' benchmarks name theirs."""
    haven(options, "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    done = haven(
        options,
        "simulate",
        "--profile",
        "large",
        "--seed",
        str(options.seed),
        "--years",
        str(years),
        "--synthetic-database",
        "--only",
        only,
    )
    print(done.stdout.strip().splitlines()[-1], f"[{time.perf_counter() - started:.0f}s]")


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{memory_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory = "unknown memory"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory}; Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average {load} (1, 5, 15 min: other "
        "work on the machine slows every figure)"
    )


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: Sequence[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values) * 1000,
        "p95": percentile(values, 0.95) * 1000,
        "max": max(values) * 1000,
    }


def record(title: str, lines: list[str]) -> None:
    """Append a dated section to RESULTS.md."""
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    block = [f"### {title} ({stamp})", "", *lines, ""]
    existing = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    RESULTS.write_text(existing.rstrip("\n") + "\n\n" + "\n".join(block))


def show(lines: list[str]) -> None:
    print("\n".join(lines))


def table(rows: list[tuple[Any, ...]], header: tuple[str, ...]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return out


def prepare_council(options: argparse.Namespace, only: str = "") -> None:
    """The large synthetic council for a page benchmark: migrated, static files collected
    (pages render with DEBUG off, as in production, and need the manifest), the demo's
    organisation (so there are staff in every role), and ``options.years`` simulated years
    of the generators named in ``only`` (all when empty). Django is set up afterwards."""
    haven(options, "migrate", "--noinput", "-v", "0")
    haven(options, "collectstatic", "--noinput", "-v", "0")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    setup_django(options)
    import random

    from haven.accounts.models import User
    from haven.demo.users import seed_organisation

    if not User.objects.filter(email__endswith="@demo.haven.test").exists():
        seed_organisation(password=f"bench-{random.random()}")
    started = time.perf_counter()
    args = ["--profile", "large", "--seed", str(options.seed), "--years", str(options.years)]
    args += ["--synthetic-database", *(["--only", only] if only else [])]
    done = haven(options, "simulate", *args)
    print(done.stdout.strip().splitlines()[-1], f"[{time.perf_counter() - started:.0f}s]")
    analyze()


def analyze() -> None:
    """Fresh planner statistics after bulk inserts: autovacuum may be off or behind, and a
    plan chosen from an empty table's statistics is no measure of the page."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def signed_in(user: Any) -> Any:
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


def measure(
    client: Any, url: str, runs: int = 30, *, cold: bool = False
) -> tuple[dict[str, float], int]:
    """Server time of ``runs`` requests after three to warm up (with the cache cleared before
    each when ``cold``), and the number of queries one request makes."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    seconds = []
    for _ in range(runs):
        if cold:
            cache.clear()
        began = time.perf_counter()
        client.get(url)
        seconds.append(time.perf_counter() - began)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return summary_ms(seconds), len(captured)


def simulated_years(generator: str = "people") -> str:
    """How many reporting years the database holds (a benchmark may reuse another's larger
    database), as words for the results: "2 simulated years"."""
    from haven.demo.models import SimulationRun

    years = SimulationRun.objects.filter(generator=generator).count()
    return f"{years} simulated year{'s' if years != 1 else ''}"
