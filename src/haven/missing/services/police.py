"""Missing episodes from police notifications: the front door's import calls
``missing_notification_imported`` (registered for type missing) for each notification it
imports, in the import's transaction, and again when a later file sends the same police
reference (with the child's return, say).

Each child named on the notification gets one episode (one per child, by the name given). A
child is linked to their record only beyond doubt: exactly one current child record with the
same name and date of birth. Otherwise the episode waits, with the name and date of birth the
police gave, for a missing-children worker to link it (``episode_link_child``). A child
already recorded as missing in Haven within a day of the notification gets the police
details on that episode instead of a second one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from haven.missing.models import MissingEpisode, PoliceRisk
from haven.missing.services.episodes import (
    EpisodeDetails,
    episode_from_police,
    episode_police_update,
)
from haven.people import codes as people_codes
from haven.people.matching import fold
from haven.people.models import Person

if TYPE_CHECKING:
    from datetime import date

    from haven.frontdoor.police import NamedPerson, NotificationImported

# An episode recorded in Haven this close to the police's time is the same going missing.
SAME_EPISODE_WINDOW = timedelta(hours=24)


def child_beyond_doubt(name: str, date_of_birth: date | None) -> Person | None:
    """The one current child record whose first and last names and date of birth are those
    given (accents, case and spacing aside); None when there is none or more than one."""
    if date_of_birth is None:
        return None
    parts = fold(name).split()
    if len(parts) < 2:
        return None
    first, last = parts[0], parts[-1]
    found = [
        person
        for person in Person.objects.current().filter(
            kind=people_codes.PersonKind.CHILD, date_of_birth=date_of_birth
        )[:200]
        if fold(person.first_name).split()[:1] == [first]
        and fold(person.last_name).split()[-1:] == [last]
    ]
    return found[0] if len(found) == 1 else None


# How police systems write the risk grading of a missing child.
GRADINGS = {
    "high": PoliceRisk.HIGH,
    "high risk": PoliceRisk.HIGH,
    "medium": PoliceRisk.MEDIUM,
    "medium risk": PoliceRisk.MEDIUM,
    "low": PoliceRisk.LOW,
    "low risk": PoliceRisk.LOW,
    "no apparent risk": PoliceRisk.NO_APPARENT_RISK,
    "no_apparent_risk": PoliceRisk.NO_APPARENT_RISK,
    "no risk": PoliceRisk.NO_APPARENT_RISK,
    "none": PoliceRisk.NO_APPARENT_RISK,
}


def grading(text: str) -> str:
    """The police risk grading in a CSV's ``risk_level`` column, or a reason the row is bad."""
    cleaned = " ".join(text.strip().lower().replace("-", " ").split())
    if not cleaned:
        return ""
    found = GRADINGS.get(cleaned)
    if found is None:
        raise ValidationError(
            f"The risk level '{text.strip()}' is not a police risk grading for a missing "
            "child: high, medium, low or no apparent risk"
        )
    return str(found)


def _details(event: NotificationImported) -> EpisodeDetails:
    row = event.row
    return EpisodeDetails(
        went_missing_at=row.occurred_at,
        reported_at=row.reported_at,
        returned_at=row.returned_at,
        where_found=row.where_found,
        circumstances=row.narrative,
        police_reference=row.police_reference,
        police_risk=grading(row.risk_level),
        looked_after=row.looked_after,
    )


def _mention(event: NotificationImported, named: NamedPerson) -> Any:
    contact = event.notification.contact
    return contact.people.filter(role="child", given_name=named.name[:200]).order_by("id").first()


def _existing(event: NotificationImported, named: NamedPerson) -> MissingEpisode | None:
    episodes = list(MissingEpisode.objects.filter(notification=event.notification))
    for episode in episodes:
        if fold(episode.given_name) == fold(named.name):
            return episode
    # The same notification, one child, the name spelled differently in the later row.
    if len(episodes) == 1 and len(event.row.children) == 1:
        return episodes[0]
    return None


def _recorded_in_haven(child: Person, details: EpisodeDetails) -> MissingEpisode | None:
    went = details.went_missing_at
    return (
        MissingEpisode.objects.filter(
            child=child,
            notification__isnull=True,
            went_missing_at__gte=went - SAME_EPISODE_WINDOW,
            went_missing_at__lte=went + SAME_EPISODE_WINDOW,
        )
        .order_by("went_missing_at")
        .first()
    )


def missing_notification_imported(event: NotificationImported) -> None:
    """Make or bring up to date the episode of each child the notification names."""
    details = _details(event)
    seen: set[str] = set()
    for named in event.row.children:
        if fold(named.name) in seen:
            continue  # the same child named twice on one notification
        seen.add(fold(named.name))
        episode = _existing(event, named)
        if episode is not None:
            episode_police_update(actor=event.actor, episode=episode, details=details)
            continue
        child = child_beyond_doubt(named.name, named.date_of_birth)
        if child is not None:
            earlier = _recorded_in_haven(child, details)
            if earlier is not None:
                episode_police_update(
                    actor=event.actor,
                    episode=earlier,
                    details=details,
                    notification=event.notification,
                    given_name=named.name,
                )
                continue
            if MissingEpisode.objects.filter(child=child, returned_at__isnull=True).exists():
                child = None  # a person decides how this fits the episode already open
        episode_from_police(
            actor=event.actor,
            details=details,
            notification=event.notification,
            given_name=named.name,
            given_date_of_birth=named.date_of_birth,
            child=child,
            mention=_mention(event, named),
        )
