"""Finding a person: normalised search keys, reading a search box, scoring candidates.

A person's keys (``keys_for``) are stored in ``SearchKey`` by the services: phonetic codes of
first and last names (and of each part of a hyphenated surname, and of previous names), the
full name a nickname stands for, the date of birth, postcodes, NHS number and UPN. A search
(``parse_query``) turns what was typed into the same keys, with the variants people get wrong
(names swapped, day and month swapped), looks candidates up on the key index, and scores each
with ``rapidfuzz`` (``score``), saying in words why it matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import jellyfish
from django.utils import timezone
from rapidfuzz.distance import JaroWinkler

from haven.people.identifiers import is_valid_nhs_number, looks_like_postcode, normalise_postcode
from haven.people.nicknames import full_names_for, shared_full_name

# --- Normalising names ----------------------------------------------------------------------


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, accents removed (Zoë: zoe, Łukasz: lukasz), apostrophes dropped (O'Brien:
    obrien); hyphens and spaces kept as separators, anything else removed."""
    text = (text or "").replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = re.sub(r"['\u2019`]", "", plain)
    plain = re.sub(r"[^a-z\- ]+", " ", plain)
    return re.sub(r"\s+", " ", plain).strip()


@lru_cache(maxsize=65536)
def name_parts(name: str) -> tuple[str, ...]:
    """The parts of a name: "Smith-Jones" gives smith, jones and smithjones."""
    folded = fold(name)
    parts = [part for part in re.split(r"[\- ]", folded) if part]
    if len(parts) > 1:
        parts.append("".join(parts))
    return tuple(parts)


@lru_cache(maxsize=65536)
def phonetic(name: str) -> str:
    """Metaphone of a folded single name ("smyth" and "smith": SM0)."""
    if not name:
        return ""
    return jellyfish.metaphone(name)[:8] or name[:8].upper()


@lru_cache(maxsize=65536)
def first_name_key(first: str) -> str:
    parts = name_parts(first)
    return parts[0] if parts else ""


# --- A person's keys ----------------------------------------------------------------------


@dataclass(frozen=True)
class NameRecord:
    first: str
    last: str


def keys_for(
    *,
    names: Iterable[NameRecord],
    date_of_birth: date | None,
    expected_date_of_birth: date | None,
    postcodes: Iterable[str],
    nhs_number: str,
    upn: str,
) -> set[str]:
    """Every key that should find this person. Prefixes say what a key is: ``n`` first and
    last name sounds, ``c`` the full first name and surname sound, ``s`` surname sound, ``f``
    first name sound, ``d`` date of birth, ``p`` postcode, ``h`` NHS number, ``u`` UPN."""
    keys: set[str] = set()
    for name in names:
        first = first_name_key(name.first)
        surnames = name_parts(name.last)
        first_sound = phonetic(first)
        if first_sound:
            keys.add(f"f:{first_sound}")
        for surname in surnames:
            sound = phonetic(surname)
            keys.add(f"s:{sound}")
            if first_sound:
                keys.add(f"n:{first_sound}:{sound}")
            for full in full_names_for(first) if first else ():
                keys.add(f"c:{full}:{sound}")
    for day in (date_of_birth, expected_date_of_birth):
        if day is not None:
            keys.add(f"d:{day.isoformat()}")
    for postcode in postcodes:
        compact = postcode.replace(" ", "").upper()
        if compact:
            keys.add(f"p:{compact}")
    if nhs_number:
        keys.add(f"h:{nhs_number}")
    if upn:
        keys.add(f"u:{upn}")
    return {key[:80] for key in keys}


# Keys that pick out few people are looked up first; broad ones only fill up the rest.
NARROW_PREFIXES = ("n:", "c:", "d:", "p:", "h:", "u:")


def is_narrow(key: str) -> bool:
    return key.startswith(NARROW_PREFIXES)


# --- Reading the search box ---------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
_YEAR = re.compile(r"^(\d{2}|\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        this_year = timezone.localdate().year % 100
        year += 2000 if year <= this_year else 1900
    return year


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass
class ParsedQuery:
    """What a search box held: names, dates (with their day and month swapped variants),
    a postcode, an NHS number, an identifier, and anything that could not be read."""

    text: str
    names: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    swapped_dates: list[date] = field(default_factory=list)
    postcode: str = ""
    nhs_number: str = ""
    identifier: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.names or self.dates or self.postcode or self.nhs_number or self.identifier)

    @property
    def all_dates(self) -> list[date]:
        return self.dates + [d for d in self.swapped_dates if d not in self.dates]


def _add_date(parsed: ParsedQuery, year: int, month: int, day: int, typed: str) -> None:
    found = _make_date(year, month, day)
    swapped = _make_date(year, day, month) if day != month else None
    if found is None and swapped is None:
        parsed.problems.append(
            f"“{typed}” is not a real date. Enter a date of birth like 3/4/2012 or 3 April 2012"
        )
        return
    if found is not None:
        parsed.dates.append(found)
        if swapped is not None:
            parsed.swapped_dates.append(swapped)
    elif swapped is not None:
        # 4/23/2012: only real the other way round, so someone typed the month first.
        parsed.dates.append(swapped)


def parse_query(text: str) -> ParsedQuery:  # noqa: PLR0912 - one pass over the tokens
    """Read a search: "jon smyth 3/4/2012", "B12 9QA", "943 476 5919", "HV12345678",
    "Smith, John 3 April 2012"."""
    parsed = ParsedQuery(text=text.strip())
    raw = parsed.text
    # NHS numbers are often typed in groups: 943 476 5919.
    nhs = re.search(r"(?<!\d)(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)", raw)
    if nhs:
        digits = "".join(nhs.groups())
        if is_valid_nhs_number(digits):
            parsed.nhs_number = digits
        else:
            parsed.problems.append(f"{nhs.group(0)} is not a valid NHS number: check the digits")
        raw = raw[: nhs.start()] + " " + raw[nhs.end() :]
    # Postcodes may be typed with or without their space.
    for match in re.finditer(r"\b([A-Za-z]{1,2}\d[A-Za-z\d]?)\s?(\d[A-Za-z]{2})\b", raw):
        if looks_like_postcode(match.group(0)):
            parsed.postcode = normalise_postcode(match.group(0))
            raw = raw[: match.start()] + " " + raw[match.end() :]
            break
    tokens = [t for t in re.split(r"[\s,]+", raw) if t]
    used = [False] * len(tokens)
    for i, token in enumerate(tokens):
        lower = token.lower()
        numeric = _NUMERIC_DATE.match(lower)
        iso = _ISO_DATE.match(lower)
        if numeric:
            used[i] = True
            _add_date(
                parsed, _year(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)), token
            )
        elif iso:
            used[i] = True
            _add_date(parsed, int(iso.group(1)), int(iso.group(2)), int(iso.group(3)), token)
        elif lower.rstrip(".") in _MONTHS:
            month = _MONTHS[lower.rstrip(".")]
            day_match = _DAY.match(tokens[i - 1].lower()) if i > 0 and not used[i - 1] else None
            year_match = _YEAR.match(tokens[i + 1]) if i + 1 < len(tokens) else None
            if day_match and year_match:
                used[i - 1] = used[i] = used[i + 1] = True
                typed = f"{tokens[i - 1]} {token} {tokens[i + 1]}"
                _add_date(parsed, _year(year_match.group(1)), month, int(day_match.group(1)), typed)
    for i, token in enumerate(tokens):
        if used[i]:
            continue
        upper = token.upper()
        if re.fullmatch(r"[A-Z]{1,4}\d{3,16}", upper):
            parsed.identifier = upper
            continue
        if re.fullmatch(r"\d+", token):
            parsed.problems.append(
                f"We could not read “{token}”: enter a full date of birth or a 10-digit NHS number"
            )
            continue
        folded = fold(token)
        if folded:
            parsed.names.extend(part for part in folded.split(" ") if part)
    return parsed


def query_keys(parsed: ParsedQuery) -> set[str]:
    """The keys to look candidates up by: both name orders, nickname full names, every date
    variant, the postcode, the NHS number."""
    keys: set[str] = set()
    names = parsed.names
    orders: list[tuple[str, str]] = []
    if len(names) >= 2:
        orders = [(names[0], names[-1]), (names[-1], names[0])]
    for first, last in orders:
        first_part = first_name_key(first)
        first_sound = phonetic(first_part)
        for surname in name_parts(last):
            sound = phonetic(surname)
            keys.add(f"n:{first_sound}:{sound}")
            for full in full_names_for(first_part):
                keys.add(f"c:{full}:{sound}")
    for name in names:
        for part in name_parts(name):
            keys.add(f"s:{phonetic(part)}")
            keys.add(f"f:{phonetic(part)}")
    for day in parsed.all_dates:
        keys.add(f"d:{day.isoformat()}")
    if parsed.postcode:
        keys.add(f"p:{parsed.postcode.replace(' ', '')}")
    if parsed.nhs_number:
        keys.add(f"h:{parsed.nhs_number}")
    return {key[:80] for key in keys}


# --- Scoring ------------------------------------------------------------------------------


@dataclass
class Candidate:
    """What scoring needs to know about a person (loaded in bulk by the selector)."""

    person_id: int
    first_name: str
    last_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None = None
    other_names: list[NameRecord] = field(default_factory=list)
    postcodes: list[str] = field(default_factory=list)
    nhs_number: str = ""
    la_id: str = ""
    upn: str = ""


@dataclass
class Part:
    score: float
    reason: str


def _similarity(a: str, b: str) -> float:
    return JaroWinkler.normalized_similarity(a, b)


def _first_name_part(typed: str, first_name: str) -> Part:  # noqa: PLR0911
    typed = first_name_key(typed)
    actual = first_name_key(first_name)
    if not typed or not actual:
        return Part(0.0, "")
    if typed == actual:
        return Part(1.0, "same first name")
    full = shared_full_name(typed, actual)
    if full:
        return Part(0.95, f"nickname of {full.title()}")
    if len(typed) == 1:
        return Part(
            0.7 if actual.startswith(typed) else 0.0,
            "same first initial" if actual.startswith(typed) else "",
        )
    similarity = _similarity(typed, actual)
    if phonetic(typed) == phonetic(actual):
        return Part(max(similarity, 0.9), "first name sounds the same")
    if similarity >= 0.85:
        return Part(similarity, "first name spelt similarly")
    return Part(similarity * 0.6, "")


def _last_name_part(typed: str, last_name: str, previous: Iterable[str]) -> Part:
    typed_folded = fold(typed).replace(" ", "-")
    best = Part(0.0, "")
    candidates: list[tuple[str, bool]] = [(last_name, False)] + [(p, True) for p in previous]
    for name, is_previous in candidates:
        folded = fold(name).replace(" ", "-")
        if not folded:
            continue
        parts = name_parts(name)
        suffix = " (a previous name)" if is_previous else ""
        if typed_folded == folded or typed_folded.replace("-", "") == folded.replace("-", ""):
            part = Part(1.0 if not is_previous else 0.95, f"same surname{suffix}")
        elif typed_folded in parts or any(p in name_parts(typed) for p in parts[:-1]):
            part = Part(0.93, f"part of a hyphenated surname{suffix}")
        else:
            similarity = max(
                _similarity(typed_folded, folded), *(_similarity(typed_folded, p) for p in parts)
            )
            if phonetic(typed_folded.replace("-", "")) in {phonetic(p) for p in parts}:
                part = Part(max(similarity, 0.9), f"surname sounds the same{suffix}")
            elif similarity >= 0.85:
                part = Part(similarity, f"surname spelt similarly{suffix}")
            else:
                part = Part(similarity * 0.6, "")
        if part.score > best.score:
            best = part
    return best


def _date_part(parsed: ParsedQuery, candidate: Candidate) -> Part:
    born = candidate.date_of_birth or candidate.expected_date_of_birth
    label = "date of birth" if candidate.date_of_birth else "expected date of birth"
    if born is None:
        return Part(0.0, "")
    if born in parsed.dates:
        return Part(1.0, f"same {label}")
    if born in parsed.swapped_dates:
        return Part(0.85, f"{label} with day and month swapped")
    best = 0.0
    for typed in parsed.dates:
        same_year = typed.year == born.year
        one_off = (
            sum([typed.day != born.day, typed.month != born.month, typed.year != born.year]) == 1
        )
        if one_off and same_year:
            best = max(best, 0.6)
        elif one_off:
            best = max(best, 0.5)
    return Part(best, f"{label} nearly the same" if best else "")


# How much each part counts when the search has it.
WEIGHTS = {"first": 0.25, "last": 0.35, "date": 0.3, "postcode": 0.1}


def score(parsed: ParsedQuery, candidate: Candidate) -> tuple[float, list[str]]:  # noqa: PLR0912
    """How well a candidate matches (0 to 1) and the reasons, in words."""
    if parsed.nhs_number and parsed.nhs_number == candidate.nhs_number:
        return 1.0, ["same NHS number"]
    if parsed.identifier and parsed.identifier in (candidate.la_id, candidate.upn):
        return 1.0, ["same LA ID" if parsed.identifier == candidate.la_id else "same UPN"]
    parts: dict[str, Part] = {}
    names = parsed.names
    previous_last = [n.last for n in candidate.other_names]
    previous_first = [n.first for n in candidate.other_names if n.first]
    swapped = False
    if len(names) >= 2:
        straight = (
            _best_first(names[0], candidate.first_name, previous_first),
            _last_name_part(names[-1], candidate.last_name, previous_last),
        )
        crossed = (
            _best_first(names[-1], candidate.first_name, previous_first),
            _last_name_part(names[0], candidate.last_name, previous_last),
        )
        if crossed[0].score + crossed[1].score > straight[0].score + straight[1].score + 0.05:
            parts["first"], parts["last"] = crossed
            swapped = True
        else:
            parts["first"], parts["last"] = straight
    elif len(names) == 1:
        as_first = _best_first(names[0], candidate.first_name, previous_first)
        as_last = _last_name_part(names[0], candidate.last_name, previous_last)
        if as_last.score >= as_first.score:
            parts["last"] = as_last
        else:
            parts["first"] = as_first
    if parsed.dates:
        parts["date"] = _date_part(parsed, candidate)
    if parsed.postcode:
        compact = {p.replace(" ", "") for p in candidate.postcodes}
        hit = parsed.postcode.replace(" ", "") in compact
        parts["postcode"] = Part(1.0 if hit else 0.0, "same postcode" if hit else "")
    if not parts:
        return 0.0, []
    total_weight = sum(WEIGHTS[name] for name in parts)
    value = sum(WEIGHTS[name] * part.score for name, part in parts.items()) / total_weight
    reasons = [part.reason for part in parts.values() if part.reason]
    if swapped:
        reasons.append("first and last names swapped")
    if parsed.nhs_number and candidate.nhs_number and parsed.nhs_number != candidate.nhs_number:
        value *= 0.5
        reasons.append("different NHS number")
    return round(value, 4), reasons


def _best_first(typed: str, first_name: str, previous: list[str]) -> Part:
    best = _first_name_part(typed, first_name)
    for name in previous:
        part = _first_name_part(typed, name)
        if part.score > best.score:
            best = Part(
                part.score * 0.95, f"{part.reason} (a previous name)" if part.reason else ""
            )
    return best
