"""Helpers for files people download and open in spreadsheets."""

from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Stop a spreadsheet treating text as a formula (CSV injection): text that starts like a
    formula gets a leading apostrophe. Numbers pass through unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value
