from django.contrib import admin

from haven.core.models import Timescale


@admin.register(Timescale)
class TimescaleAdmin(admin.ModelAdmin):
    """Administrators change the lengths; keys are what the code asks for, so they stay."""

    list_display = ["name", "length", "unit", "start_event", "source"]
    readonly_fields = ["key"]
    fields = ["key", "name", "start_event", "length", "unit", "source"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
