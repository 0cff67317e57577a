from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "haven.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from haven.core import navigation

        navigation.register(
            "Audit log",
            "audit:events",
            permissions=("audit.view_audit_log",),
            order=800,
            active_prefix="/audit/",
        )
