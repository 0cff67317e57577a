"""Small helpers for the missing children pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.456 as "46%"; nothing when there is no share (no denominator)."""
    return "" if value is None else f"{round(value * 100)}%"


@register.filter
def hours(value: float | None) -> str:
    """A number of hours as "80 hours"; as days beyond a week."""
    if value is None:
        return ""
    if value < 24 * 7:
        whole = round(value)
        return f"{whole} hour{'s' if whole != 1 else ''}"
    return f"{round(value / 24)} days"


@register.simple_tag
def hours_left(due: datetime | None, now: datetime | None = None) -> str:
    """Time to a 72-hour deadline in hours: "52 hours left", "8 hours overdue" (days once it
    is more than a week overdue)."""
    if due is None:
        return ""
    seconds = (due - (now or timezone.now())).total_seconds()
    amount = abs(seconds) / 3600
    if amount >= 24 * 7:
        days = round(amount / 24)
        text = f"{days} days"
    else:
        whole = max(1, round(amount)) if amount >= 0.5 else 0
        text = "less than an hour" if whole == 0 else f"{whole} hour{'s' if whole != 1 else ''}"
    return f"{text} overdue" if seconds < 0 else f"{text} left"


@register.filter
def hours_after_return(interview: Any, returned_at: datetime | None) -> float | None:
    """How many hours after the child's return the interview was done."""
    return interview.hours_after_return(returned_at)
