"""Base rates for the simulator, read from the DfE statistics in ``haven/performance/data``.

A generator asks for a figure by dataset, column and area: ``figure("c1_children_in_need_
referrals_and_rereferrals", "referral_count", la_name="Birmingham")`` gives the latest year's
value. Files and their sources are listed in ``performance/data/SOURCES.md``.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "performance" / "data"

DATASETS = {
    "population": "ons_mid-year_population_estimates_2012_to_2024.csv",
    "referrals": "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "children_in_need": "b1_children_in_need_2013_to_2025.csv",
}


@lru_cache(maxsize=16)
def rows(dataset: str) -> tuple[dict[str, str], ...]:
    """Every row of a dataset (its short name in ``DATASETS`` or its file name, without
    ``.csv``)."""
    name = DATASETS.get(dataset, f"{dataset}.csv")
    with (DATA_DIR / name).open(newline="", encoding="utf-8-sig") as handle:
        return tuple(csv.DictReader(handle))


def figure(dataset: str, column: str, *, la_name: str = "", year: int | None = None) -> float:
    """One published number: for the local authority ``la_name`` (or England when empty), in
    ``year`` (the reporting year's end, e.g. 2025) or the latest year published."""
    matching = [
        row
        for row in rows(dataset)
        if (row["la_name"] == la_name if la_name else row["geographic_level"] == "National")
        and (year is None or row["time_period"] == str(year))
    ]
    if not matching:
        raise LookupError(f"no {dataset} row for {la_name or 'England'} {year or ''}".strip())
    latest = max(matching, key=lambda row: row["time_period"])
    value = latest[column].replace(",", "").strip()
    return float(value)
