from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "haven.protection"
    label = "protection"
    verbose_name = "Child protection"

    def ready(self) -> None:
        from haven.core import home, navigation
        from haven.people import alerts, chronology, sections
        from haven.protection import alerts as protection_alerts
        from haven.protection import panels, permissions, worklists

        for kind, label in [
            ("strategy_discussion_held", "Strategy discussion"),
            ("section47_started", "Section 47 enquiry started"),
            ("section47_worker", "Social worker for a section 47 enquiry"),
            ("section47_concluded", "Section 47 enquiry concluded"),
            ("conference_held", "Child protection conference"),
            ("cp_plan_started", "Child protection plan started"),
            ("cp_review_held", "Review conference"),
            ("cp_plan_ended", "Child protection plan ended"),
            ("meeting_referred", "Referred to a multi-agency meeting"),
            ("meeting_considered", "Multi-agency meeting"),
        ]:
            chronology.register_kind(kind, label)
        alerts.register(protection_alerts.protection_alerts)
        navigation.register(
            "Strategy discussions",
            "protection:discussions",
            permissions=(permissions.VIEW,),
            order=40,
            active_prefix="/protection/strategy-discussions/",
        )
        navigation.register(
            "Child protection plans",
            "protection:plans",
            permissions=(permissions.VIEW_PLAN,),
            order=41,
            active_prefix="/protection/plans/",
        )
        navigation.register(
            "Multi-agency meetings",
            "protection:meetings",
            permissions=(permissions.VIEW_MEETING,),
            order=42,
            active_prefix="/protection/meetings/",
        )
        navigation.register(
            "Shared with my agency",
            "protection:shared",
            permissions=(permissions.VIEW_SHARED,),
            order=40,
            active_prefix="/protection/shared/",
        )
        home.register("protection", "protection/panels/home.html", panels.home, order=30)
        sections.register(
            "child-protection",
            "Child protection",
            "protection/panels/child_section.html",
            context=panels.child_section,
            order=20,
        )
        worklists.register()
