"""Background work for people: finding duplicate records every night."""

from __future__ import annotations

from django.tasks import task

from haven.core.actor import Actor
from haven.people import duplicates, services


@task
def find_duplicates() -> dict[str, int]:
    """Compare every current record (Splink) and refresh the managers' review list; the same
    as ``haven find_duplicates``. Returns the counts ``duplicates_refresh`` reports."""
    pairs = duplicates.find_pairs()
    return services.duplicates_refresh(actor=Actor.system("people-find-duplicates"), pairs=pairs)
