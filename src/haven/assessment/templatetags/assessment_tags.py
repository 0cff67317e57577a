"""Template helpers for allocation and assessment pages."""

from __future__ import annotations

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter
def elapsed(start: datetime | date | None, end: datetime | date | None) -> str:
    """How long from ``start`` to ``end`` in words: "5 hours", "3 days"."""
    if start is None or end is None:
        return ""
    if isinstance(start, datetime) and isinstance(end, datetime):
        seconds = max(0.0, (end - start).total_seconds())
        if seconds < 3600:
            minutes = max(1, round(seconds / 60))
            return f"{minutes} minute{'s' if minutes != 1 else ''}"
        if seconds < 48 * 3600:
            hours = round(seconds / 3600)
            return f"{hours} hour{'s' if hours != 1 else ''}"
        days = round(seconds / 86400)
        return f"{days} day{'s' if days != 1 else ''}"
    start_day = start.date() if isinstance(start, datetime) else start
    end_day = end.date() if isinstance(end, datetime) else end
    days = max(0, (end_day - start_day).days)
    return f"{days} day{'s' if days != 1 else ''}"
