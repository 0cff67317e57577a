"""Which people a partner agency's user may see: those in records shared with their agency.

The apps that share records (strategy discussions, in protection) register a provider:
``register_share_provider(fn)`` where ``fn(user)`` returns a queryset of person ids shared with
that user's agency. A partner sees the union of every provider's people; with no provider, none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    from haven.accounts.models import User

ShareProvider = Callable[["User"], "QuerySet[Any]"]

_providers: list[ShareProvider] = []


def register_share_provider(fn: ShareProvider) -> None:
    if fn not in _providers:
        _providers.append(fn)


def unregister_share_provider(fn: ShareProvider) -> None:
    """For tests: forget a provider."""
    if fn in _providers:
        _providers.remove(fn)


def share_providers() -> list[ShareProvider]:
    return list(_providers)
