from django.apps import AppConfig

CHRONOLOGY_KINDS = [
    ("missing_went_missing", "Went missing"),
    ("missing_returned", "Returned from missing"),
    ("missing_rhi_offered", "Return home interview offered"),
    ("missing_rhi_not_offered", "Return home interview not offered"),
    ("missing_rhi_done", "Return home interview"),
    ("missing_rhi_on_file", "Return home interview on file"),
]


class MissingConfig(AppConfig):
    name = "haven.missing"
    label = "missing"
    verbose_name = "Missing children"

    def ready(self) -> None:
        from haven.core import home, navigation
        from haven.frontdoor import codes as frontdoor_codes
        from haven.frontdoor import police
        from haven.missing import alerts, panels, permissions, worklists
        from haven.missing.services.police import missing_notification_imported
        from haven.people import alerts as people_alerts
        from haven.people import chronology, sections

        for kind, label in CHRONOLOGY_KINDS:
            chronology.register_kind(kind, label)
        people_alerts.register(alerts.missing_alerts)
        navigation.register(
            "Missing children",
            "missing:index",
            permissions=(permissions.VIEW,),
            order=50,
            active_prefix="/missing/",
        )
        home.register("missing", "missing/panels/home.html", panels.home, order=35)
        sections.register(
            "missing",
            "Missing episodes",
            "missing/panels/child_section.html",
            context=panels.child_section,
            order=40,
        )
        worklists.register()
        police.register_notification_handler(
            frontdoor_codes.PoliceNotificationType.MISSING, missing_notification_imported
        )
