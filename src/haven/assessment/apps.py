from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "haven.assessment"
    label = "assessment"
    verbose_name = "Allocation and assessment"

    def ready(self) -> None:
        from haven.assessment import alerts, panels, permissions, worklists
        from haven.core import home, navigation
        from haven.people import alerts as people_alerts
        from haven.people import chronology, sections

        for kind, label in [
            ("case_allocated", "Allocated to a social worker"),
            ("visit", "Visit"),
            ("assessment_started", "Assessment started"),
            ("assessment_submitted", "Assessment submitted for authorisation"),
            ("assessment_returned", "Assessment returned by the manager"),
            ("assessment_authorised", "Assessment authorised"),
            ("cin_plan_started", "Child in need plan started"),
            ("cin_plan_reviewed", "Child in need plan reviewed"),
            ("cin_plan_ended", "Child in need plan ended"),
            ("service_agreed", "Service agreed"),
            ("service_started", "Service started"),
            ("service_ended", "Service ended"),
            ("closure_proposed", "Closure proposed"),
            ("closure_declined", "Closure not agreed"),
        ]:
            chronology.register_kind(kind, label)
        people_alerts.register(alerts.allocation_alerts)
        navigation.register(
            "Cases",
            "assessment:index",
            permissions=(permissions.VIEW,),
            order=35,
            active_prefix="/assessment/",
        )
        home.register("assessment", "assessment/panels/home.html", panels.home, order=20)
        sections.register(
            "assessment-case",
            "Children in need",
            "assessment/panels/child_section.html",
            panels.child_section,
            order=10,
        )
        worklists.register()
