"""Finding duplicate person records in bulk with Splink (DuckDB).

Every current record is exported once (names folded for accents and nicknames, date of birth,
current postcode, NHS number), compared within blocks (same date of birth, same name sounds,
same postcode...), and scored by a Fellegi-Sunter model whose parameters Splink estimates from
the records themselves: u by random sampling, m by expectation maximisation. Pairs above the
threshold go to the review list (``services.duplicates_refresh``).

A council-wide or regional run (hundreds of thousands of records from several councils) uses
the same model with Splink's Spark backend instead of DuckDB.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jellyfish
import pyarrow as pa

from haven.people.matching import fold
from haven.people.models import Address, Person
from haven.people.nicknames import full_names_for

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.8
COLUMNS = [
    "person_id",
    "dob_sorted",
    "first_name",
    "first_canonical",
    "last_name",
    "name_key",
    "first_sound",
    "last_sound",
    "dob",
    "dob_year",
    "postcode",
    "nhs_number",
    "sex",
]


@dataclass(frozen=True)
class FoundPair:
    person_a: int
    person_b: int
    match_probability: float
    match_weight: float


def _rows(chunk: int = 20_000) -> Iterator[dict[str, list[Any]]]:
    """The current records as columns, a chunk at a time (few queries, little memory)."""
    current = dict(
        Address.objects.filter(moved_out__isnull=True, person__merged_into__isnull=True)
        .exclude(postcode="")
        .order_by("person_id", "moved_in")
        .values_list("person_id", "postcode")
    )
    people = (
        Person.objects.current()
        .order_by("pk")
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_date_of_birth",
            "nhs_number",
            "sex",
        )
    )
    last_pk = 0
    while True:
        batch = list(people.filter(pk__gt=last_pk)[:chunk])
        if not batch:
            return
        columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
        for pk, first, last, born, expected, nhs, sex in batch:
            first_folded = (fold(first).split(" ") or [""])[0]
            last_folded = fold(last).replace(" ", "-")
            day = born or expected
            columns["person_id"].append(pk)
            columns["first_name"].append(first_folded or None)
            columns["first_canonical"].append(
                min(full_names_for(first_folded)) if first_folded else None
            )
            columns["last_name"].append(last_folded or None)
            columns["name_key"].append(" ".join(sorted([first_folded, last_folded])) or None)
            columns["first_sound"].append(jellyfish.metaphone(first_folded) or None)
            columns["last_sound"].append(jellyfish.metaphone(last_folded.replace("-", "")) or None)
            columns["dob"].append(day.isoformat() if day else None)
            columns["dob_year"].append(str(day.year) if day else None)
            # Day and month in order: the same for a date typed either way round.
            columns["dob_sorted"].append(
                f"{day.year}-{min(day.day, day.month):02d}-{max(day.day, day.month):02d}"
                if day
                else None
            )
            columns["postcode"].append(current.get(pk))
            columns["nhs_number"].append(nhs or None)
            columns["sex"].append(sex if sex in ("M", "F") else None)
        last_pk = batch[-1][0]
        yield columns


def export_table() -> pa.Table:
    batches = [pa.table(columns) for columns in _rows()]
    if not batches:
        return pa.table({name: pa.array([], type=pa.string()) for name in COLUMNS})
    return pa.concat_tables(batches)


# The prior: the share of records that have a duplicate somewhere. Councils report a few per
# cent; 1% keeps the model cautious. Expectation maximisation then learns the rest.
DUPLICATE_SHARE_PRIOR = 0.01


def _settings(record_count: int) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    first = cl.CustomComparison(
        [
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name"),
            cll.ExactMatchLevel("first_canonical").configure(label_for_charts="Nickname"),
            cll.JaroWinklerLevel("first_name", 0.9),
            cll.JaroWinklerLevel("first_name", 0.8),
            cll.CustomLevel(
                "jaro_winkler_similarity(first_name_l, last_name_r) >= 0.9",
                label_for_charts="First name typed as the surname",
            ),
            cll.ElseLevel(),
        ],
        output_column_name="first_name",
    )
    last = cl.CustomComparison(
        [
            cll.NullLevel("last_name"),
            cll.ExactMatchLevel("last_name"),
            cll.JaroWinklerLevel("last_name", 0.92),
            cll.CustomLevel(
                "contains(last_name_l, last_name_r) OR contains(last_name_r, last_name_l)",
                label_for_charts="One surname holds the other",
            ),
            cll.JaroWinklerLevel("last_name", 0.8),
            cll.CustomLevel(
                "jaro_winkler_similarity(last_name_l, first_name_r) >= 0.9 OR "
                "contains(first_name_r, last_name_l)",
                label_for_charts="Surname typed as the first name",
            ),
            cll.ElseLevel(),
        ],
        output_column_name="last_name",
    )
    # Date of birth m-values are set from experience rather than learnt: families share
    # surnames, addresses and sometimes first names across generations, which would teach
    # the model that a different date of birth is common among matches. u is still learnt.
    born = cl.CustomComparison(
        [
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob").configure(m_probability=0.88, fix_m_probability=True),
            cll.CustomLevel(
                "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND "
                "substr(dob_l, 6, 2) = substr(dob_r, 9, 2) AND "
                "substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
                label_for_charts="Day and month swapped",
            ).configure(m_probability=0.04, fix_m_probability=True),
            cll.DamerauLevenshteinLevel("dob", 1).configure(
                m_probability=0.05, fix_m_probability=True
            ),
            cll.ElseLevel().configure(m_probability=0.03, fix_m_probability=True),
        ],
        output_column_name="dob",
    )
    pairs = max(1, record_count * (record_count - 1) // 2)
    return SettingsCreator(
        link_type="dedupe_only",
        probability_two_random_records_match=min(
            0.5, max(1.0, DUPLICATE_SHARE_PRIOR * record_count) / pairs
        ),
        unique_id_column_name="person_id",
        comparisons=[
            first,
            last,
            born,
            cl.ExactMatch("postcode"),
            cl.ExactMatch("nhs_number"),
            cl.ExactMatch("sex"),
        ],
        # Every planted or real-world mistake leaves at least one of these the same: the date
        # of birth (either way round), the NHS number, both name sounds, the two names (in
        # either order), or the postcode and first-name sound.
        blocking_rules_to_generate_predictions=[
            block_on("dob_sorted"),
            block_on("nhs_number"),
            block_on("first_sound", "last_sound"),
            block_on("name_key"),
            block_on("postcode", "first_sound"),
        ],
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
    )


def find_pairs(*, threshold: float = DEFAULT_THRESHOLD, seed: int = 1) -> list[FoundPair]:
    """Score every likely pair of current records; those at or above ``threshold``."""
    from splink import DuckDBAPI, Linker, block_on

    table = export_table()
    if table.num_rows < 2:
        return []
    # Splink warns about levels a small or clean dataset never shows; the counts we report
    # say what matters.
    logging.getLogger("splink").setLevel(logging.ERROR)
    db_api = DuckDBAPI()
    frame = db_api.register(table, table_name="haven_people")
    linker = Linker(frame, _settings(table.num_rows), log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=seed)
    # Within records born on the same day, the names, postcode, NHS number and sex tell
    # matches from strangers and twins.
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    result = (
        predictions.as_duckdbpyrelation()
        .select("person_id_l, person_id_r, match_probability, match_weight")
        .fetchall()
    )
    pairs = [FoundPair(min(a, b), max(a, b), float(p), float(w)) for a, b, p, w in result]
    return sorted(pairs, key=lambda pair: (-pair.match_probability, pair.person_a, pair.person_b))
