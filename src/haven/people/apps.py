from datetime import time

from django.apps import AppConfig
from django.conf import settings


class PeopleConfig(AppConfig):
    name = "haven.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from haven.core import home, navigation, scheduling
        from haven.people import alerts, chronology, panels

        for kind, label in [
            ("person_created", "Record created"),
            ("person_updated", "Details changed"),
            ("address_changed", "Address changed"),
            ("relationship_changed", "Relationship changed"),
            ("records_merged", "Records merged"),
            ("merge_undone", "Merge undone"),
        ]:
            chronology.register_kind(kind, label)
        alerts.register(alerts.people_alerts)
        navigation.register(
            "People",
            "people:search",
            permissions=("people.view_person",),
            order=20,
            active_prefix="/people/",
        )
        home.register("people-search", "people/panels/search.html", panels.search, order=15)
        scheduling.register(
            scheduling.Schedule(
                name="people-find-duplicates",
                task="haven.people.tasks.find_duplicates",
                times=_find_duplicates_at,
                description="Find likely duplicate records for team managers to review.",
            )
        )


def _find_duplicates_at() -> tuple[time, ...]:
    """Nightly, when nobody is recording (HAVEN_FIND_DUPLICATES_AT, local time)."""
    return (time.fromisoformat(settings.HAVEN_FIND_DUPLICATES_AT),)
