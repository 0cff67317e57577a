"""Factors identified at the end of assessment, England, 2024-25: the DfE's "Children in need"
statistics, table C3 (``c3_factors_identified_at_end_of_assessment_2018_to_2025.csv``, Open
Government Licence). Each count is the episodes with that factor; 513,250 episodes had at least
one. Private fostering (8B to 8F) is published as one count, shared here equally."""

from __future__ import annotations

import random

EPISODES_WITH_FACTORS = 513_250

COUNTS: dict[str, float] = {
    "1A": 10_620,
    "1B": 73_250,
    "1C": 11_600,
    "2A": 24_550,
    "2B": 72_620,
    "2C": 15_930,
    "3A": 57_930,
    "3B": 162_890,
    "3C": 25_560,
    "4A": 90_400,
    "4B": 171_780,
    "4C": 23_600,
    "5A": 63_240,
    "5B": 15_170,
    "5C": 7_510,
    "6A": 24_220,
    "6B": 27_600,
    "6C": 5_310,
    "7A": 18_960,
    **dict.fromkeys(("8B", "8C", "8D", "8E", "8F"), 1950 / 5),
    "9A": 6_340,
    "10A": 16_940,
    "11A": 12_400,
    "12A": 2_250,
    "13A": 8_860,
    "14A": 35_980,
    "15A": 25_470,
    "16A": 90_370,
    "17A": 97_700,
    "18B": 15_270,
    "18C": 61_410,
    "19B": 12_590,
    "19C": 18_900,
    "20": 83_770,
    "22A": 780,
    "23A": 2_240,
    "24A": 16_250,
}
SHARES = {code: count / EPISODES_WITH_FACTORS for code, count in COUNTS.items()}
NO_FACTORS_AFTER_NFA = 1 / 3


def draw(rng: random.Random, *, no_further_action: bool) -> list[str]:
    """One assessment's factors: each drawn with its published share (at least one), or 21
    alone for some assessments that end in no further action."""
    if no_further_action and rng.random() < NO_FACTORS_AFTER_NFA:
        return ["21"]
    while True:
        chosen = [code for code, share in SHARES.items() if rng.random() < share]
        if chosen:
            return chosen
