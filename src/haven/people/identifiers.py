"""Identifiers and their checks: NHS number (modulus 11), UPN (check letter), UK postcode,
the council's own child ID. Each ``clean_*`` returns the normal form or raises
``ValidationError`` with a GOV.UK-style message that says what to fix."""

from __future__ import annotations

import random
import re
import secrets

from django.core.exceptions import ValidationError

# --- NHS number ---------------------------------------------------------------------------


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None when no number can end them (10)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"\d{10}", digits):
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def clean_nhs_number(value: str) -> str:
    """Ten digits (spaces and dashes allowed as typed), passing the modulus 11 check."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError("NHS number must be 10 digits, like 943 476 5919", code="nhs_format")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            "NHS number is not valid: check each digit against the letter or health record",
            code="nhs_check",
        )
    return digits


def format_nhs_number(value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value


def make_nhs_number(rng: random.Random) -> str:
    """A synthetic NHS number that passes the check. The 999 range is set aside for tests
    and never issued to anyone."""
    while True:
        first_nine = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


# --- Unique pupil number -----------------------------------------------------------------

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # no I, O or S: they look like 1, 0 and 5


def upn_check_letter(last_twelve: str) -> str:
    """The DfE check letter over characters 2 to 13 (weights 2 to 13, modulus 23). A letter in
    the last place (a temporary UPN) counts as its position in ``UPN_LETTERS``."""
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        value = int(char) if char.isdigit() else UPN_LETTERS.index(char)
        total += value * weight
    return UPN_LETTERS[total % 23]


def clean_upn(value: str) -> str:
    """A 13-character UPN whose first letter checks the rest."""
    upn = re.sub(r"\s", "", value or "").upper()
    if not upn:
        return ""
    if not re.fullmatch(rf"[{UPN_LETTERS}]\d{{11}}[0-9{UPN_LETTERS}]", upn):
        raise ValidationError(
            "UPN must be a letter, 11 numbers, then a number or letter, like A123456789012",
            code="upn_format",
        )
    if upn_check_letter(upn[1:]) != upn[0]:
        raise ValidationError(
            "UPN is not valid: check it against the school's records", code="upn_check"
        )
    return upn


def make_upn(rng: random.Random, la_code: str = "330") -> str:
    body = la_code + "".join(str(rng.randrange(10)) for _ in range(12 - len(la_code)))
    return upn_check_letter(body) + body


# --- Postcode -----------------------------------------------------------------------------

_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the last three characters; "" when not a postcode."""
    compact = re.sub(r"\s", "", value or "").upper()
    match = _POSTCODE.match(compact)
    if not match:
        return ""
    return f"{match.group(1)} {match.group(2)}"


def clean_postcode(value: str) -> str:
    if not (value or "").strip():
        return ""
    postcode = normalise_postcode(value)
    if not postcode:
        raise ValidationError("Enter a real postcode, like B12 9QA", code="postcode")
    return postcode


def looks_like_postcode(token: str) -> bool:
    return bool(_POSTCODE.match(re.sub(r"\s", "", token).upper()))


# --- The council's child ID ---------------------------------------------------------------

LA_ID_ALPHABET = "0123456789"
LA_ID_PATTERN = re.compile(r"^[A-Z0-9]{1,20}$")
LA_ID_PREFIX = "HV"


def clean_la_id(value: str) -> str:
    la_id = re.sub(r"\s", "", value or "").upper()
    if not LA_ID_PATTERN.match(la_id):
        raise ValidationError("LA ID must be up to 20 letters and numbers", code="la_id")
    return la_id


def make_la_id(rng: random.Random | None = None) -> str:
    """``HV`` and eight digits, the first not zero (the DfE strips leading zeros)."""
    chooser = rng or secrets.SystemRandom()
    first = chooser.choice("123456789")
    rest = "".join(chooser.choice(LA_ID_ALPHABET) for _ in range(7))
    return f"{LA_ID_PREFIX}{first}{rest}"
