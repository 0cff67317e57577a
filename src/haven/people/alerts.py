"""Alerts on a person's header (the MoJ identity bar): restricted, deceased, and whatever later
apps add (on a plan, missing now) through ``register(fn)``.

A provider is ``fn(person) -> list[Alert]``; keep it to one cheap query. Alerts show as tags
beside the person's name on every page that shows the header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.people.models import Person


@dataclass(frozen=True)
class Alert:
    label: str
    colour: str = ""  # a GOV.UK tag colour: red, orange, yellow, grey, purple, blue...
    order: int = 100


AlertProvider = Callable[["Person"], list[Alert]]

_providers: list[AlertProvider] = []


def register(fn: AlertProvider) -> None:
    if fn not in _providers:
        _providers.append(fn)


def alerts_for(person: Person) -> list[Alert]:
    found: list[Alert] = []
    for provider in _providers:
        found.extend(provider(person))
    return sorted(found, key=lambda alert: (alert.order, alert.label))


def people_alerts(person: Person) -> list[Alert]:
    """This app's own: a restricted record, a deceased person, an unborn child."""
    found = []
    if person.is_restricted:
        found.append(Alert("Restricted", "red", order=10))
    if person.is_deceased:
        found.append(Alert("Deceased", "grey", order=20))
    if person.is_unborn:
        found.append(Alert("Unborn", "blue", order=30))
    return found
