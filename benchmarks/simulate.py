"""Making the large profile: ``haven simulate --profile large --years 1`` into an empty
database, timed, with its peak memory. Target: under 10 minutes.

    .venv/bin/python benchmarks/simulate.py [--database-url postgres://.../haven_bench_sim]
        [--years 1] [--record]

The database is emptied first: a fresh SQLite file under benchmarks/output/simulate/, or, for
PostgreSQL, the named database dropped and created again (give it a database of its own).
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common


def fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith(("haven_bench", "haven_people_bench")):
        raise SystemExit("Give a database named haven_bench...: it is dropped first.")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = _common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=1)
    options = parser.parse_args()
    if options.database_url:
        fresh_postgres(options.database_url)
    else:
        options.data_dir = str(Path(options.data_dir).parent / "simulate")
        shutil.rmtree(options.data_dir, ignore_errors=True)
    _common.haven(options, "migrate", "--noinput", "-v", "0")
    command = [
        str(Path(sys.executable).parent / "haven"),
        "simulate",
        "--profile",
        "large",
        "--seed",
        str(options.seed),
        "--years",
        str(options.years),
        "--synthetic-database",
    ]
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own command, no shell
        command, env=_common.environment(options), check=True, text=True, capture_output=True
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    _common.setup_django(options)
    made = [line.strip() for line in done.stdout.splitlines() if line.startswith("  people")]
    lines = [
        f"Machine: {_common.machine()}. Database: {_common.database_label()}.",
        "",
        f"`haven simulate --profile large --seed {options.seed} --years {options.years}` into "
        f"an empty database: **{seconds:.0f} s ({seconds / 60:.1f} min), peak memory "
        f"{peak_mb:,.0f} MB** (target: under 10 minutes).",
        "",
        *[f"- {line}" for line in made],
    ]
    _common.show(lines)
    if options.record:
        _common.record(f"Simulating the large profile, {_common.database_label()}", lines)


if __name__ == "__main__":
    main()
