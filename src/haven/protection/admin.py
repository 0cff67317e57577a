"""Multi-agency meeting kinds in the configuration screens: names, the team that runs each,
and the timescale rule for each risk level. Open to those who manage the council's
configuration (the administrator), who see no children's records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haven.protection.models import MeetingKind, MeetingKindTimescale

CONFIGURE = "core.manage_configuration"


def _configures(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.has_perm(CONFIGURE))


class MeetingKindTimescaleInline(admin.TabularInline):
    model = MeetingKindTimescale
    extra = 0
    fields = ["risk_level", "timescale_key"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _configures(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _configures(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _configures(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _configures(request)


@admin.register(MeetingKind)
class MeetingKindAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "team", "is_active"]
    fields = ["name", "short_name", "key", "description", "team", "order", "is_active"]
    readonly_fields = ["key"]
    inlines = [MeetingKindTimescaleInline]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _configures(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _configures(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _configures(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Kinds are added by the apps that serve them (a data migration), with their code.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
