"""The child's header: a red "Missing now" tag while the child has an episode with no return.
One query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from haven.people.alerts import Alert

if TYPE_CHECKING:
    from haven.people.models import Person


def missing_alerts(person: Person) -> list[Alert]:
    from haven.missing.models import MissingEpisode

    if person.kind != "child" or person.pk is None:
        return []
    if MissingEpisode.objects.filter(child_id=person.pk, returned_at__isnull=True).exists():
        return [Alert("Missing now", "red", order=3)]
    return []
