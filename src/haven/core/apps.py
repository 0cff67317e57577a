from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "haven.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from haven.core import checks  # noqa: F401 - registers system checks
