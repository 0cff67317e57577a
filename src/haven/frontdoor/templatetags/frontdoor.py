"""Template helpers for the front door's pages and emails."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ labels|get:row.status }}``: a dictionary's value for a key, or the key itself."""
    if isinstance(mapping, dict):
        return mapping.get(key, key)
    return key


@register.filter(name="abs")
def absolute(value: Any) -> Any:
    try:
        return abs(value)
    except TypeError:
        return value
