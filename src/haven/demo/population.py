"""Who lives in the simulated city: an ethnicity mix and names to match, drawn from Faker's
locale name lists (en_GB first, as the issue asks, and others so that the names, and their
accents, look like a diverse English city's). The lists are loaded once and sampled with the
generator's own random numbers, which is far faster than a Faker call per name.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# An illustrative ethnicity mix for the children of a large, diverse English city (shares
# of 1). Not an official statistic: see haven/performance/data/SOURCES.md.
ETHNICITY_MIX: dict[str, float] = {
    "WBRI": 0.38,
    "WIRI": 0.005,
    "WIRT": 0.003,
    "WOTH": 0.05,
    "WROM": 0.007,
    "MWBC": 0.04,
    "MWBA": 0.01,
    "MWAS": 0.02,
    "MOTH": 0.02,
    "AIND": 0.05,
    "APKN": 0.18,
    "ABAN": 0.05,
    "AOTH": 0.03,
    "BCRB": 0.03,
    "BAFR": 0.06,
    "BOTH": 0.02,
    "CHNE": 0.005,
    "OOTH": 0.03,
    "REFU": 0.005,
    "NOBT": 0.01,
}

# Which name lists each group's names come from: (first names, surnames).
_LOCALES: dict[str, tuple[str, str]] = {
    "WBRI": ("en_GB", "en_GB"),
    "WIRI": ("en_IE", "en_IE"),
    "WIRT": ("en_IE", "en_IE"),
    "WOTH": ("ro_RO", "ro_RO"),
    "WROM": ("ro_RO", "ro_RO"),
    "MWBC": ("en_GB", "en_GB"),
    "MWBA": ("en_GB", "en_KE"),
    "MWAS": ("en_GB", "en_IN"),
    "MOTH": ("en_GB", "pt_PT"),
    "AIND": ("en_IN", "en_IN"),
    "APKN": ("en_PK", "en_PK"),
    "ABAN": ("en_PK", "en_PK"),
    "AOTH": ("en_IN", "en_PK"),
    "BCRB": ("en_GB", "en_GB"),
    "BAFR": ("en_KE", "en_KE"),
    "BOTH": ("en_NG", "en_NG"),
    "CHNE": ("zh_CN", "zh_CN"),
    "OOTH": ("tr_TR", "tr_TR"),
    "REFU": ("en_GB", "en_GB"),
    "NOBT": ("en_GB", "en_GB"),
}


@dataclass(frozen=True)
class NamePool:
    names: tuple[str, ...]
    weights: tuple[float, ...] | None

    def pick(self, rng: random.Random) -> str:
        if self.weights is None:
            return self.names[rng.randrange(len(self.names))]
        return rng.choices(self.names, cum_weights=self.weights)[0]


def _pool(values: Any) -> NamePool:
    if isinstance(values, dict):
        names = tuple(values)
        running, cumulative = 0.0, []
        for name in names:
            running += float(values[name])
            cumulative.append(running)
        return NamePool(names, tuple(cumulative))
    return NamePool(tuple(values), None)


@lru_cache(maxsize=32)
def _provider(locale: str) -> Any:
    return importlib.import_module(f"faker.providers.person.{locale}").Provider


@lru_cache(maxsize=64)
def first_names(locale: str, sex: str) -> NamePool:
    provider = _provider(locale)
    if locale == "zh_CN":
        return _pool(provider.first_romanized_names)
    attribute = {"M": "first_names_male", "F": "first_names_female"}.get(sex, "first_names")
    # en_PK has one list for everyone: its girls' and boys' names come from en_IN instead.
    if locale == "en_PK" and sex in ("M", "F"):
        provider = _provider("en_IN")
    return _pool(getattr(provider, attribute, None) or provider.first_names)


@lru_cache(maxsize=32)
def last_names(locale: str) -> NamePool:
    provider = _provider(locale)
    if locale == "zh_CN":
        return _pool(provider.last_romanized_names)
    return _pool(provider.last_names)


@lru_cache(maxsize=1)
def _ethnicity_table() -> tuple[tuple[str, ...], tuple[float, ...]]:
    codes = tuple(ETHNICITY_MIX)
    running, cumulative = 0.0, []
    for code in codes:
        running += ETHNICITY_MIX[code]
        cumulative.append(running)
    return codes, tuple(cumulative)


def pick_ethnicity(rng: random.Random) -> str:
    codes, cumulative = _ethnicity_table()
    return rng.choices(codes, cum_weights=cumulative)[0]


def pick_first_name(rng: random.Random, ethnicity: str, sex: str) -> str:
    return first_names(_LOCALES[ethnicity][0], sex).pick(rng)


def pick_last_name(rng: random.Random, ethnicity: str) -> str:
    return last_names(_LOCALES[ethnicity][1]).pick(rng)
