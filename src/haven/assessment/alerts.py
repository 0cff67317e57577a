"""The child's header: who holds the open case (UX.md 1), or that the referral is waiting to
be allocated. One query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from haven.people.alerts import Alert

if TYPE_CHECKING:
    from haven.people.models import Person


def allocation_alerts(person: Person) -> list[Alert]:
    from haven.frontdoor.models import Episode

    if person.kind != "child" or person.pk is None:
        return []
    episode = (
        Episode.objects.open()
        .filter(child_id=person.pk)
        .select_related("case__worker", "case__team", "receiving_team")
        .first()
    )
    if episode is None:
        return []
    case = getattr(episode, "case", None)
    if case is None or case.worker is None:
        team = f" in {episode.receiving_team.name}" if episode.receiving_team else ""
        return [Alert(f"Waiting to be allocated{team}", "orange", order=36)]
    # Short, so the header stays on one line: the team is on the case and the child's page.
    return [Alert(f"Allocated to {case.worker.full_name}", "grey", order=37)]
