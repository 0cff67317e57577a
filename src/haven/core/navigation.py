"""The service navigation: each app registers its sections, shown to those allowed in.

Apps call ``register(...)`` from ``AppConfig.ready()``. An item shows when the user has
every permission it names; ``active_prefix`` marks the current section.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permissions: tuple[str, ...] = ()
    order: int = 100
    active_prefix: str = ""


@dataclass
class Shown:
    label: str
    url: str
    active: bool


_items: dict[str, NavItem] = {}


def register(
    label: str,
    url_name: str,
    *,
    permissions: tuple[str, ...] = (),
    order: int = 100,
    active_prefix: str = "",
) -> None:
    _items[url_name] = NavItem(label, url_name, permissions, order, active_prefix)


def items_for(request: HttpRequest) -> list[Shown]:
    user = request.user
    shown = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.label)):
        if item.permissions and not user.has_perms(item.permissions):
            continue
        url = reverse(item.url_name)
        prefix = item.active_prefix or url
        active = request.path == url if prefix == "/" else request.path.startswith(prefix)
        shown.append(Shown(item.label, url, active))
    return shown
