"""Panels on the home page: each app registers what it can show, to whom.

A panel is a template and a function that returns its context for a user, or None when the
user has nothing to see there. The home page shows only panels with something in them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from haven.core.http import AuthenticatedRequest


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[[AuthenticatedRequest], dict[str, Any] | None]
    order: int = 100


_panels: dict[str, Panel] = {}


def register(
    key: str,
    template: str,
    context: Callable[[AuthenticatedRequest], dict[str, Any] | None],
    *,
    order: int = 100,
) -> None:
    _panels[key] = Panel(key, template, context, order)


def panels_for(request: AuthenticatedRequest) -> list[tuple[str, dict[str, Any]]]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown
