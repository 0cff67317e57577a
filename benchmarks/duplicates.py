"""Duplicate finding with Splink over the large profile: time, precision and recall against the
near-duplicates the simulator planted. Targets: under 2 minutes, precision at least 0.95,
recall at least 0.9.

    .venv/bin/python benchmarks/duplicates.py [--database-url postgres://...] [--record]

Times the whole ``find_pairs`` (export from the database, Splink training and prediction).
Pairs are not written to the review list here, so the benchmark leaves the data as it was.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common


def main() -> None:
    parser = _common.arguments(__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=None)
    options = parser.parse_args()
    _common.ensure_large_dataset(options)
    _common.setup_django(options)

    from haven.demo.models import PlantedDuplicate
    from haven.people.duplicates import DEFAULT_THRESHOLD, find_pairs
    from haven.people.models import Person

    threshold = options.threshold if options.threshold is not None else DEFAULT_THRESHOLD
    people = Person.objects.current().count()
    started = time.perf_counter()
    pairs = find_pairs(threshold=threshold, seed=options.seed)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    truth = {tuple(sorted((d.original_id, d.duplicate_id))) for d in PlantedDuplicate.objects.all()}
    found = {(pair.person_a, pair.person_b) for pair in pairs}
    right = len(truth & found)
    precision = right / len(found) if found else 0.0
    recall = right / len(truth) if truth else 0.0
    by_change: dict[str, list[int]] = {}
    for planted in PlantedDuplicate.objects.all():
        pair = tuple(sorted((planted.original_id, planted.duplicate_id)))
        for change in planted.changes.split(", "):
            by_change.setdefault(change, []).append(int(pair in found))

    lines = [
        f"Machine: {_common.machine()}. Database: {_common.database_label()}.",
        f"Data: large profile, seed {options.seed}, {people:,} current people, "
        f"{len(truth):,} planted near-duplicates.",
        "",
        f"Splink (DuckDB), threshold {threshold}: **{seconds:.1f} s**, "
        f"**precision {precision:.3f}, recall {recall:.3f}** ({len(found):,} pairs found, "
        f"{right:,} right); peak memory {peak_mb:,.0f} MB "
        f"(targets: < 120 s, precision >= 0.95, recall >= 0.9).",
        "",
        *_common.table(
            [(change, len(v), f"{sum(v) / len(v):.3f}") for change, v in sorted(by_change.items())],
            ("planted change", "pairs", "recall"),
        ),
    ]
    _common.show(lines)
    if options.record:
        _common.record(f"Duplicate finding, {_common.database_label()}", lines)


if __name__ == "__main__":
    main()
