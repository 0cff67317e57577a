from datetime import time

from django.apps import AppConfig
from django.conf import settings


def report_times() -> tuple[time, ...]:
    """When the workflow report runs on working days (``HAVEN_WORKFLOW_REPORT_TIMES``)."""
    return tuple(
        time.fromisoformat(str(value).strip())
        for value in getattr(settings, "HAVEN_WORKFLOW_REPORT_TIMES", ["08:30", "13:30"])
    )


class FrontdoorConfig(AppConfig):
    name = "haven.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    def ready(self) -> None:
        from haven.core import home, navigation, scheduling
        from haven.frontdoor import alerts, panels, permissions, work
        from haven.people import alerts as people_alerts
        from haven.people import chronology

        for kind, label in [
            ("contact_received", "Contact received"),
            ("contact_decision", "Threshold decision"),
            ("contact_decision_changed", "Threshold decision changed"),
            ("contact_oversight", "Manager's oversight"),
            ("episode_opened", "Referral: children in need episode opened"),
            ("episode_closed", "Children in need episode closed"),
        ]:
            chronology.register_kind(kind, label)
        people_alerts.register(alerts.contact_alerts)
        people_alerts.register(alerts.episode_alerts)

        navigation.register(
            "My work",
            "core:my-work",
            permissions=(permissions.VIEW,),
            order=10,
            active_prefix="/work/",
        )
        navigation.register(
            "Front door",
            "frontdoor:index",
            permissions=(permissions.VIEW,),
            order=30,
            active_prefix="/front-door/",
        )
        navigation.register(
            "Refer a child",
            "frontdoor:refer",
            permissions=(permissions.REFER,),
            order=30,
            active_prefix="/front-door/refer",
        )
        home.register("frontdoor", "frontdoor/panels/front_door.html", panels.front_door, order=12)
        home.register(
            "frontdoor-partner", "frontdoor/panels/partner.html", panels.partner, order=12
        )
        work.register()

        if getattr(settings, "HAVEN_FRONT_DOOR_IMAP_HOST", ""):
            scheduling.register(
                scheduling.Schedule(
                    name="frontdoor-mailbox",
                    task="haven.frontdoor.tasks.poll_mailbox",
                    every_minutes=int(getattr(settings, "HAVEN_FRONT_DOOR_POLL_MINUTES", 2)),
                    description="Take new emails from the front door mailbox as contacts.",
                )
            )
        scheduling.register(
            scheduling.Schedule(
                name="frontdoor-workflow-report",
                task="haven.frontdoor.tasks.make_workflow_report",
                times=report_times,
                working_days_only=True,
                description="The twice-daily workflow report of every open contact.",
            )
        )
