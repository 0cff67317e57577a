"""Tags on the child's header from the front door: an open contact, a recent domestic abuse
notification, an open children in need episode. One query each."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from haven.frontdoor.models import ContactPerson, Episode
from haven.people.alerts import Alert
from haven.people.models import Person

DOMESTIC_ABUSE_DAYS = 365


def contact_alerts(person: Person) -> list[Alert]:
    since = timezone.now() - timedelta(days=DOMESTIC_ABUSE_DAYS)
    counts = ContactPerson.objects.filter(
        person=person, contact__withdrawn_at__isnull=True
    ).aggregate(
        open=Count("pk", filter=Q(contact__decided_at__isnull=True)),
        domestic_abuse=Count(
            "pk", filter=Q(contact__is_domestic_abuse=True, contact__received_at__gte=since)
        ),
    )
    found = []
    if counts["open"]:
        found.append(Alert("Open contact", "orange", order=40))
    if counts["domestic_abuse"]:
        label = (
            "Domestic abuse notification"
            if counts["domestic_abuse"] == 1
            else (f"{counts['domestic_abuse']} domestic abuse notifications")
        )
        found.append(Alert(f"{label} in the last year", "purple", order=45))
    return found


def episode_alerts(person: Person) -> list[Alert]:
    if Episode.objects.open().filter(child=person).exists():
        return [Alert("Child in need", "blue", order=35)]
    return []
