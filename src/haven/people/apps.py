from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "haven.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from haven.people import alerts, chronology

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
