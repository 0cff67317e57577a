"""The child's header: a red "Child protection plan" tag while a plan is current, and a
"Section 47 enquiry" tag while one is open. One query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef

from haven.people.alerts import Alert

if TYPE_CHECKING:
    from haven.people.models import Person


def protection_alerts(person: Person) -> list[Alert]:
    from haven.people.models import Person
    from haven.protection.models import ChildProtectionPlan, Section47Enquiry

    if person.kind != "child" or person.pk is None:
        return []
    row = (
        Person.objects.filter(pk=person.pk)
        .annotate(
            on_plan=Exists(
                ChildProtectionPlan.objects.filter(child=OuterRef("pk"), end_date__isnull=True)
            ),
            in_enquiry=Exists(
                Section47Enquiry.objects.filter(child=OuterRef("pk"), end_date__isnull=True)
            ),
        )
        .values_list("on_plan", "in_enquiry")
        .first()
    )
    if row is None:
        return []
    found = []
    if row[0]:
        found.append(Alert("Child protection plan", "red", order=5))
    if row[1]:
        found.append(Alert("Section 47 enquiry", "orange", order=6))
    return found
